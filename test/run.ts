// `npm test` runs this from dist/: the pure unit tests once, then the server tests against SQLite and against
// PostgreSQL, all on the compiled code that ships. node --test on Node 20 does not expand globs, so the files are
// listed here; a run that finds no test file, or whose files report no test, fails.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

function files(dir: string): string[] {
  const out: string[] = [];
  let entries: string[] = [];
  try { entries = readdirSync(join(root, dir)); } catch { return out; }
  for (const e of entries.sort()) {
    const p = join(root, dir, e);
    if (statSync(p).isDirectory()) out.push(...files(join(dir, e)));
    else if (e.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
const pure = ['unit', 'policy', 'mfa'].flatMap(files);
const server = files('e2e');
const stores = (process.env['GATEHOUSE_TEST_STORES'] ?? 'sqlite,postgres').split(',');
const runs = [
  { name: 'unit', files: pure, env: {} },
  ...stores.map((s) => ({ name: `e2e (${s})`, files: server, env: { GATEHOUSE_TEST_STORE: s } })),
];

const totals = { pass: 0, fail: 0, skipped: 0 };
let failed = false;
let ranFiles = 0;
for (const run of runs) {
  const list = only.length ? run.files.filter((f) => only.some((o) => f.includes(o))) : run.files;
  if (!list.length) continue;
  ranFiles += list.length;
  console.log(`\n=== ${run.name}: ${list.length} files ===`);
  const r = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-reporter=tap', ...list], {
    env: { ...process.env, ...run.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  for (const key of Object.keys(totals) as (keyof typeof totals)[]) {
    const m = new RegExp(`^# ${key} (\\d+)$`, 'm').exec(r.stdout);
    if (m) totals[key] += Number(m[1]);
  }
  if (r.status !== 0) failed = true;
}
console.log(`\ntests: ${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
if (ranFiles === 0 || totals.pass === 0) {
  console.error(`no test ran (${ranFiles} files matched${only.length ? ` ${only.join(', ')}` : ''}): failing`);
  process.exit(1);
}
process.exit(failed || totals.fail ? 1 : 0);
