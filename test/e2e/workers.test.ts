// `serve --workers 2`: several processes on one port, sharing the store; rules that depend on the store
// (unique names, key quotas) hold across them, and SIGTERM drains every worker. A port already in use stops
// the server with a clear message and a non-zero exit, with workers as without.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as I from '@aws-sdk/client-iam';
import { startGatehouse, createPgDatabase, STORE } from '../helpers/server.js';
import { iam } from '../helpers/clients.js';

test('two workers serve one endpoint; uniqueness and quotas hold across them; SIGTERM exits cleanly', async () => {
  const node = await startGatehouse({ args: ['--workers', '2'] });
  try {
    assert.match(node.stdout, /2 workers/);
    const client = iam(node);
    const names = Array.from({ length: 20 }, (_, i) => `parallel-${i}`);
    await Promise.all(names.map((UserName) => client.send(new I.CreateUserCommand({ UserName }))));
    const same = await Promise.allSettled(Array.from({ length: 10 }, () => client.send(new I.CreateUserCommand({ UserName: 'only-once' }))));
    assert.equal(same.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of same.filter((x) => x.status === 'rejected')) assert.equal(r.reason.name, 'EntityAlreadyExistsException');
    const keys = await Promise.allSettled(Array.from({ length: 6 }, () => client.send(new I.CreateAccessKeyCommand({ UserName: 'only-once' }))));
    assert.equal(keys.filter((r) => r.status === 'fulfilled').length, 2, 'at most two keys, whichever worker answers');
    for (const r of keys.filter((x) => x.status === 'rejected')) assert.equal(r.reason.name, 'LimitExceededException');
    const listed: (string | undefined)[] = [];
    for await (const page of I.paginateListUsers({ client }, { PathPrefix: '/' })) listed.push(...page.Users!.map((u) => u.UserName));
    for (const n of [...names, 'only-once', 'admin']) assert.ok(listed.includes(n), n);
  } finally {
    const exit = await node.stop();
    assert.equal(exit?.code, 0);
  }
});

/** Runs `gatehouse serve ARGS` until it exits (killed after 30 s: a hang fails the test); resolves code and stderr. */
function serveUntilExit(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const bin = new URL('../../bin/gatehouse.js', import.meta.url).pathname;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'serve', ...args], { env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stderr }); });
  });
}

test('a port already in use: serve exits 1 with a clear message, with --workers 2 as with one process, leaving no process behind', async () => {
  const blocker = net.createServer();
  await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
  const { port } = blocker.address() as net.AddressInfo; // a TCP server listening on a port
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-inuse-'));
  const database = STORE === 'postgres' ? await createPgDatabase() : null;
  try {
    for (const extra of [['--workers', '2'], []]) {
      const r = await serveUntilExit(['--port', String(port), '--data', dataDir, ...(database ? ['--database', database.url] : []), ...extra]);
      assert.equal(r.signal, null, `${extra.join(' ') || 'one process'}: exited by itself, not killed after hanging`);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`gatehouse: cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use \\(EADDRINUSE\\)`));
      assert.doesNotMatch(r.stderr, /Unhandled|at Server\./, 'a message, not a stack trace');
      const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(dataDir));
      assert.deepEqual(left, [], 'no worker left running');
    }
  } finally {
    blocker.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
