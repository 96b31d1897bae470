// Bundles the console's browser islands with esbuild (a devDependency: this runs at build time, `npm run build`,
// never in the server). Output: dist/console-static/*.js, served by the console from there; not committed, and the
// same source gives the same bundle (no timestamps, no paths in the output).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { sourcePath } from '../../paths.js';
import { ISLANDS_OUT } from './build-paths.js';

export async function buildIslands(outdir = ISLANDS_OUT): Promise<void> {
  await build({
    entryPoints: { webauthn: sourcePath('src', 'console', 'islands', 'webauthn.browser.ts'), copy: sourcePath('src', 'console', 'islands', 'copy.browser.ts') },
    outdir,
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildIslands();
