// Where the bundled islands are (dist/console-static): the server reads them from here; ./build.ts writes them.
import { sourcePath } from '../../paths.js';

export const ISLANDS_OUT = sourcePath('dist', 'console-static');
