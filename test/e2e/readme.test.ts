// The README's first commands, as a new user types them: `npx gatehouse serve`, load the admin's keys with
// `npx gatehouse env`, then `aws --endpoint-url … iam create-user --user-name jane.doe`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_AWS_CLI } from '../helpers/clients.js';
import { STORE } from '../helpers/server.js';
import { packageRoot } from '../../src/paths.js';

const ROOT = packageRoot;

test('npx gatehouse serve, npx gatehouse env, aws iam create-user', { skip: NO_AWS_CLI || (STORE === 'postgres' && 'the README flow uses the embedded SQLite store') }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-readme-'));
  const data = join(dir, '.gatehouse');
  // A fresh npm cache for npx: npx keeps bin links for local packages in <cache>/_npx, and a stale entry there
  // once pointed at an old bin path; with its own cache the test always runs the current package's bin.
  const npmCache = mkdtempSync(join(tmpdir(), 'gatehouse-readme-npm-'));
  const npxEnv = { ...process.env, npm_config_cache: npmCache };
  // Its own process group, so the stop below reaches npx's child too.
  const server = spawn('npx', ['gatehouse', 'serve', '--port', '0', '--data', data], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...npxEnv, GATEHOUSE_LOG_LEVEL: 'warn' } });
  try {
    let out = '';
    const endpoint = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no start in 30 s: ${out}`)), 30_000);
      server.stdout.on('data', (d) => { out += d; const m = /listening on (http:\/\/\S+)/.exec(out); if (m?.[1]) { clearTimeout(timer); ok(m[1]); } });
    });
    assert.match(out, /bootstrap\.json/);
    const exports = execFileSync('npx', ['gatehouse', 'env', '--data', data], { cwd: ROOT, env: npxEnv, encoding: 'utf8' });
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['AWS_PROFILE'];
    for (const [, name, value] of exports.matchAll(/^export (\w+)=(.*)$/gm)) if (name) env[name] = value;
    const created = JSON.parse(execFileSync('aws', ['--endpoint-url', endpoint, 'iam', 'create-user', '--user-name', 'jane.doe', '--output', 'json'], { env, encoding: 'utf8' })) as { User: { UserName: string; Arn: string } }; // the CLI's JSON answer
    assert.equal(created.User.UserName, 'jane.doe');
    assert.match(created.User.Arn, /^arn:aws:iam::\d{12}:user\/jane\.doe$/);
    const who = JSON.parse(execFileSync('aws', ['sts', 'get-caller-identity', '--output', 'json'], { env, encoding: 'utf8' })) as { Arn: string }; // the CLI's JSON answer
    assert.match(who.Arn, /:user\/admin$/, 'AWS_ENDPOINT_URL from gatehouse env reaches the server');
  } finally {
    try { process.kill(-server.pid!, 'SIGTERM'); } catch { /* already gone */ }
    await new Promise<void>((r) => { if (server.exitCode !== null) r(); else server.once('exit', () => r()); setTimeout(r, 10_000); });
    rmSync(dir, { recursive: true, force: true });
    rmSync(npmCache, { recursive: true, force: true });
  }
});
