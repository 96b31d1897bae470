// The README's quick start, run as typed: its two shell blocks are read from README.md and run unchanged (but
// for `npm install`, which the test's checkout has already done). The first block's `npx gatehouse serve` runs in
// the background like the reader's first terminal; the second block runs in bash -e like the second terminal.
// Only the environment isolates the run: GATEHOUSE_DATA (a temporary data folder, read by serve and env alike),
// GATEHOUSE_PORT=0 (a free port), a fresh npm cache, and no AWS_* variables of the machine's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_AWS_CLI } from '../helpers/clients.js';
import { STORE } from '../helpers/server.js';
import { packageRoot } from '../../src/paths.js';

const ROOT = packageRoot;

/** The shell blocks of the README's "Quick start" section, as written. */
function quickStartBlocks(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Quick start');
  assert.ok(start >= 0, 'the README has a Quick start section');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

test('the README quick start, typed top to bottom', { skip: NO_AWS_CLI || (STORE === 'postgres' && 'the README flow uses the embedded SQLite store') }, async () => {
  const [first, second] = quickStartBlocks();
  assert.ok(first && second, 'two shell blocks: the server, then the aws CLI');
  const firstLines = first.split('\n').filter((l) => l.trim());
  assert.equal(firstLines[0]?.trim(), 'npm install');
  const serveLine = firstLines[1] ?? '';
  assert.match(serveLine, /^npx gatehouse serve\b/);

  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-readme-'));
  const npmCache = mkdtempSync(join(tmpdir(), 'gatehouse-readme-npm-'));
  // A fresh npm cache for npx: npx keeps bin links for local packages in <cache>/_npx, and a stale entry there
  // once pointed at an old bin path; with its own cache the test always runs the current package's bin.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('GATEHOUSE_')));
  Object.assign(env, { npm_config_cache: npmCache, GATEHOUSE_DATA: join(dir, '.gatehouse'), GATEHOUSE_PORT: '0', GATEHOUSE_LOG_LEVEL: 'warn', AWS_DEFAULT_OUTPUT: 'json' });
  // Its own process group, so the stop below reaches npx's child too.
  const server = spawn('bash', ['-c', serveLine], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  try {
    let out = '';
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no start in 30 s: ${out}`)), 30_000);
      server.stdout.on('data', (d) => { out += d; if (/listening on http:\/\/\S+/.test(out)) { clearTimeout(timer); ok(); } });
    });
    assert.match(out, /bootstrap\.json/);
    const typed = execFileSync('bash', ['-e', '-c', second], { cwd: ROOT, env, encoding: 'utf8' });
    // The two aws commands printed their JSON answers, one after the other.
    assert.match(typed, /"Arn": "arn:aws:iam::\d{12}:user\/admin"/, 'get-caller-identity reached Gatehouse as admin');
    assert.match(typed, /"UserName": "jane\.doe"/, 'create-user reached Gatehouse');
    assert.match(typed, /"Arn": "arn:aws:iam::\d{12}:user\/jane\.doe"/);
  } finally {
    try { process.kill(-server.pid!, 'SIGTERM'); } catch { /* already gone */ }
    await new Promise<void>((r) => { if (server.exitCode !== null) r(); else server.once('exit', () => r()); setTimeout(r, 10_000); });
    rmSync(dir, { recursive: true, force: true });
    rmSync(npmCache, { recursive: true, force: true });
  }
});
