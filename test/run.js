// `npm test`: the pure unit tests once, then the server tests against SQLite and against PostgreSQL.
// Prints node's own test output, then one closing line with the totals of all runs.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('.', import.meta.url).pathname;
function files(dir) {
  const out = [];
  let entries = [];
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
const stores = (process.env.GATEHOUSE_TEST_STORES ?? 'sqlite,postgres').split(',');
const runs = [{ name: 'unit', files: pure, env: {} }, ...stores.map((s) => ({ name: `e2e (${s})`, files: server, env: { GATEHOUSE_TEST_STORE: s } }))];

const totals = { pass: 0, fail: 0, skipped: 0 };
let failed = false;
for (const run of runs) {
  const list = only.length ? run.files.filter((f) => only.some((o) => f.includes(o))) : run.files;
  if (!list.length) continue;
  console.log(`\n=== ${run.name}: ${list.length} files ===`);
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', ...list], {
    env: { ...process.env, ...run.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  for (const key of Object.keys(totals)) {
    const m = new RegExp(`^# ${key} (\\d+)$`, 'm').exec(r.stdout);
    if (m) totals[key] += Number(m[1]);
  }
  if (r.status !== 0) failed = true;
}
console.log(`\ntests: ${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(failed || totals.fail ? 1 : 0);
