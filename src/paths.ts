// The package's root folder, found from this module whether it runs from src/ (tsc --noEmit, editors) or from the
// compiled dist/src/: data files (service models, AWS-managed policies) are read from the source tree, not copied.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package root above ${start}`);
  }
}

export const packageRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, from its root: sourcePath('src', 'aws', 'models', 'iam-2010-05-08.json'). */
export const sourcePath = (...parts: string[]): string => join(packageRoot, ...parts);
