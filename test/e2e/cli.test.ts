// The command line and the process: help, first-start bootstrap, restarts, health, clean shutdown on SIGTERM,
// durability across kill -9, and no secret readable in the store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/index.js';
import { startGatehouse, STORE } from '../helpers/server.js';
import { iam, sts, NO_AWS_CLI } from '../helpers/clients.js';
import { formRequest, sign } from '../helpers/raw.js';
import * as I from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** DATA/bootstrap.json as read here. */
interface BootstrapFile {
  accountId: string;
  endpoint: string | null;
  root: { email: string; password: string };
  admin: { userName: string; accessKeyId: string; secretAccessKey: string };
}

const BIN = new URL('../../bin/gatehouse.js', import.meta.url).pathname;
const run = (args: string[], env: NodeJS.ProcessEnv = {}): string => execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

test('gatehouse --help and serve --help describe the commands, every flag and its environment variable', () => {
  const help = run(['--help']);
  assert.match(help, /gatehouse serve/);
  const serve = run(['serve', '--help']);
  for (const [flag, env] of [['--port', 'GATEHOUSE_PORT'], ['--host', 'GATEHOUSE_HOST'], ['--data', 'GATEHOUSE_DATA'], ['--database', 'GATEHOUSE_DATABASE_URL'],
    ['--account-id', 'GATEHOUSE_ACCOUNT_ID'], ['--root-email', 'GATEHOUSE_ROOT_EMAIL'], ['--log-level', 'GATEHOUSE_LOG_LEVEL'], ['--workers', 'GATEHOUSE_WORKERS'],
    ['--trust-proxy', 'GATEHOUSE_TRUST_PROXY'], ['--audit-interval', 'GATEHOUSE_AUDIT_INTERVAL'], ['--audit-debounce', 'GATEHOUSE_AUDIT_DEBOUNCE'],
    ['--audit-webhook', 'GATEHOUSE_AUDIT_WEBHOOK'], ['--public-url', 'GATEHOUSE_PUBLIC_URL']] satisfies [string, string][]) {
    assert.ok(serve.includes(flag), flag);
    assert.ok(serve.includes(env), env);
  }
  assert.match(serve, /\.\/\.gatehouse/);
});

test('first start writes bootstrap.json (0600) with exactly the documented shape; a restart keeps every credential', async () => {
  const node = await startGatehouse({ args: ['--account-id', '123456789012'], env: { GATEHOUSE_ROOT_EMAIL: 'ops@example.com' } });
  try {
    const file = join(node.dataDir, 'bootstrap.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as BootstrapFile; // the file the server wrote
    assert.deepEqual(Object.keys(doc).sort(), ['accountId', 'admin', 'endpoint', 'root']);
    assert.deepEqual(Object.keys(doc.root).sort(), ['email', 'password']);
    assert.deepEqual(Object.keys(doc.admin).sort(), ['accessKeyId', 'secretAccessKey', 'userName']);
    assert.equal(doc.accountId, '123456789012');
    assert.equal(doc.endpoint, node.endpoint);
    assert.equal(doc.root.email, 'ops@example.com');
    assert.ok(doc.root.password.length >= 16);
    assert.equal(doc.admin.userName, 'admin');
    assert.match(node.stdout, /bootstrap\.json/);
    assert.ok(!node.stdout.includes(doc.admin.secretAccessKey), 'the secret is not printed');
    assert.ok(!node.stdout.includes(doc.root.password), 'the root password is not printed');

    const client = iam(node);
    const group = await client.send(new I.GetGroupCommand({ GroupName: 'Administrators' }));
    assert.deepEqual(group.Users!.map((u) => u.UserName), ['admin']);
    await client.send(new I.CreateUserCommand({ UserName: 'survivor' }));

    const health = await fetch(`${node.endpoint}/healthz`);
    assert.equal(health.status, 200);

    const stopped = await node.stop({ keepData: true });
    assert.equal(stopped!.code, 0, 'SIGTERM exits cleanly');
    const again = await startGatehouse({ dataDir: node.dataDir, ...(node.databaseUrl ? { databaseUrl: node.databaseUrl } : {}) });
    try {
      const doc2 = JSON.parse(readFileSync(file, 'utf8')) as BootstrapFile; // the file the server wrote
      assert.deepEqual({ ...doc2, endpoint: null }, { ...doc, endpoint: null }, 'credentials never change');
      const who = await sts(again, doc.admin).send(new GetCallerIdentityCommand({}));
      assert.equal(who.Account, '123456789012');
      await iam(again, doc.admin).send(new I.GetUserCommand({ UserName: 'survivor' }));
    } finally {
      await again.stop({ keepData: true });
    }
  } finally {
    await node.cleanup();
  }
});

/**
 * A signed CreateUser sent with `Expect: 100-continue`: the server answers 100 once it has parsed the headers and
 * the request is being handled, so `started` proves the request is in flight; the body goes only on `finish()`.
 */
async function heldRequest(node: Node, userName: string): Promise<{ started: Promise<unknown>; response: Promise<{ status: number | undefined; text: string }>; finish: () => void }> {
  // The signer resolves a copy of the form request with its headers added; a POST form's body is its text.
  const signed = (await sign(formRequest(node, { Action: 'CreateUser', Version: '2010-05-08', UserName: userName }), node.admin)) as unknown as { headers: Record<string, string>; body: string };
  const body = signed.body;
  const { hostname, port } = new URL(node.endpoint);
  const req = http.request({
    host: hostname, port, method: 'POST', path: '/', agent: false,
    headers: { ...signed.headers, 'content-length': Buffer.byteLength(body), expect: '100-continue' },
  });
  const started = new Promise((ok) => req.once('continue', ok));
  const response = new Promise<{ status: number | undefined; text: string }>((ok, fail) => {
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => ok({ status: res.statusCode, text }));
    });
    req.once('error', fail);
  });
  req.flushHeaders();
  return { started, response, finish: () => { req.end(body); } };
}

/** Resolves once nothing listens on the node's port any more (the server has begun shutting down). */
async function untilRefused(node: Node): Promise<void> {
  const { hostname, port } = new URL(node.endpoint);
  for (let attempt = 0; attempt < 500; attempt++) {
    const refused = await new Promise<boolean>((ok) => {
      const s = net.connect(Number(port), hostname);
      s.once('connect', () => { s.destroy(); ok(false); });
      s.once('error', (e: NodeJS.ErrnoException) => ok(e.code === 'ECONNREFUSED'));
    });
    if (refused) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${node.endpoint} still accepts connections after SIGTERM`);
}

test('SIGTERM: every request in flight when it arrives completes with 200, new connections are refused, exit 0', async () => {
  const node = await startGatehouse();
  try {
    const held = await Promise.all(Array.from({ length: 6 }, (_, i) => heldRequest(node, `inflight-${i}`)));
    await Promise.all(held.map((h) => h.started)); // all six are being handled, waiting for their bodies
    process.kill(node.pid!, 'SIGTERM'); // started, so it has a pid
    await untilRefused(node); // the server has stopped listening: SIGTERM was handled before any body arrived
    for (const h of held) h.finish();
    const results = await Promise.all(held.map((h) => h.response));
    for (const [i, r] of results.entries()) {
      assert.equal(r.status, 200, `inflight-${i}: ${r.text}`);
      assert.match(r.text, new RegExp(`<UserName>inflight-${i}</UserName>`));
    }
    const exit = await node.exited;
    assert.equal(exit.code, 0);
    const again = await startGatehouse({ dataDir: node.dataDir, ...(node.databaseUrl ? { databaseUrl: node.databaseUrl } : {}) });
    try {
      const users = (await iam(again).send(new I.ListUsersCommand({}))).Users!.map((u) => u.UserName);
      for (let i = 0; i < 6; i++) assert.ok(users.includes(`inflight-${i}`), `inflight-${i} was stored`);
    } finally { await again.stop({ keepData: true }); }
  } finally {
    await node.cleanup();
  }
});

test('the data folder is 0700 and every file in it 0600, also when the folder existed and files were looser', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-modes-'));
  chmodSync(dataDir, 0o755);
  const umask = process.umask(0o022); // the server inherits it: files would be 0644 unless created private
  const mode = (f: string): string => (statSync(join(dataDir, f)).mode & 0o777).toString(8);
  try {
    const node = await startGatehouse({ dataDir });
    try {
      await iam(node).send(new I.CreateUserCommand({ UserName: 'modes' }));
      const expected: Record<string, string> = { '.': '700', 'master.key': '600', 'bootstrap.json': '600' };
      // On SQLite the event history has a database file of its own, written by a worker thread (docs/events.md).
      if (STORE === 'sqlite') Object.assign(expected, { 'gatehouse.db': '600', 'gatehouse.db-wal': '600', 'gatehouse.db-shm': '600', 'events.db': '600' });
      assert.deepEqual(Object.fromEntries(Object.keys(expected).map((f) => [f, mode(f)])), expected);
      // (events.db's WAL files exist while its writer has it open: private too)
      const walOfEvents = (f: string): boolean => STORE === 'sqlite' && /^events\.db-(wal|shm)$/.test(f);
      for (const f of readdirSync(dataDir).filter(walOfEvents)) assert.equal(mode(f), '600', f);
      assert.deepEqual(readdirSync(dataDir).filter((f) => !(f in expected) && !walOfEvents(f)), [], 'no other file');
    } finally { await node.stop({ keepData: true }); }
    // Files an older version left readable are made private again at the next start.
    chmodSync(dataDir, 0o755);
    const loose = readdirSync(dataDir).filter((f) => f.startsWith('gatehouse.db') || f.startsWith('events.db'));
    for (const f of loose) chmodSync(join(dataDir, f), 0o644);
    const again = await startGatehouse({ dataDir, ...(node.databaseUrl ? { databaseUrl: node.databaseUrl } : {}) });
    try {
      assert.equal(mode('.'), '700');
      for (const f of readdirSync(dataDir)) assert.equal(mode(f), '600', f);
    } finally { await again.stop({ keepData: true }); await again.cleanup(); await node.cleanup(); }
  } finally {
    process.umask(umask);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an acknowledged write survives kill -9', async () => {
  const node = await startGatehouse();
  try {
    const client = iam(node);
    await client.send(new I.CreateUserCommand({ UserName: 'durable', Tags: [{ Key: 'k', Value: 'v' }] }));
    const { AccessKey } = await client.send(new I.CreateAccessKeyCommand({ UserName: 'durable' }));
    const exit = await node.kill9();
    assert.equal(exit.signal, 'SIGKILL');
    const again = await startGatehouse({ dataDir: node.dataDir, ...(node.databaseUrl ? { databaseUrl: node.databaseUrl } : {}) });
    try {
      const u = await iam(again).send(new I.GetUserCommand({ UserName: 'durable' }));
      assert.deepEqual(u.User!.Tags, [{ Key: 'k', Value: 'v' }]);
      const keys = await iam(again).send(new I.ListAccessKeysCommand({ UserName: 'durable' }));
      assert.equal(keys.AccessKeyMetadata![0]!.AccessKeyId, AccessKey!.AccessKeyId);
    } finally {
      await again.stop({ keepData: true });
    }
  } finally {
    await node.cleanup();
  }
});

test('the store alone reveals no secret: no secret access key, no password in the database', async () => {
  const node = await startGatehouse();
  try {
    const client = iam(node);
    await client.send(new I.CreateUserCommand({ UserName: 'secretive' }));
    const AccessKey = (await client.send(new I.CreateAccessKeyCommand({ UserName: 'secretive' }))).AccessKey!;
    const password = 'Very-Distinct-Password-42!';
    await client.send(new I.CreateLoginProfileCommand({ UserName: 'secretive', Password: password }));
    const needles: string[] = [AccessKey.SecretAccessKey!, node.admin.secretAccessKey, node.bootstrap.root.password, password];
    let haystack: string;
    if (STORE === 'postgres') {
      const db = await openDatabase({ databaseUrl: node.databaseUrl });
      try {
        const tables = await db.all<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
        haystack = '';
        for (const t of tables) haystack += JSON.stringify(await db.all(`SELECT * FROM ${t.tablename}`));
      } finally { await db.close(); }
    } else {
      haystack = readdirSync(node.dataDir).filter((f) => f.startsWith('gatehouse.db'))
        .map((f) => readFileSync(join(node.dataDir, f)).toString('latin1')).join('');
    }
    assert.ok(haystack.includes(AccessKey.AccessKeyId!), 'the store was read (the key id is there)');
    for (const n of needles) assert.ok(!haystack.includes(n), 'a secret is readable in the store');
    assert.match(haystack, /\$argon2id\$/, 'passwords are argon2id hashes');
  } finally {
    await node.stop();
  }
});

test('gatehouse env prints exports that the aws tools understand', async () => {
  const node = await startGatehouse();
  try {
    const out = run(['env', '--data', node.dataDir]);
    assert.match(out, new RegExp(`export AWS_ACCESS_KEY_ID=${node.admin.accessKeyId}`));
    assert.match(out, /export AWS_SECRET_ACCESS_KEY=\S{40}/);
    const url = node.endpoint.replace(/[.]/g, '\\.');
    assert.match(out, new RegExp(`export AWS_ENDPOINT_URL_IAM=${url}`));
    assert.match(out, new RegExp(`export AWS_ENDPOINT_URL_STS=${url}`));
    // Not the global AWS_ENDPOINT_URL, which would send every other service (aws s3 ls) to Gatehouse.
    assert.doesNotMatch(out, /AWS_ENDPOINT_URL=/);
    if (!NO_AWS_CLI) {
      // The aws CLI, given only these exports, reaches Gatehouse for IAM and STS without --endpoint-url.
      const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
      for (const [, name, value] of out.matchAll(/^export (\w+)=(.*)$/gm)) if (name) env[name] = value;
      const who = JSON.parse(execFileSync('aws', ['sts', 'get-caller-identity', '--output', 'json'], { env, encoding: 'utf8' })) as { Arn: string }; // the CLI's JSON answer
      assert.equal(who.Arn, `arn:aws:iam::${node.accountId}:user/admin`);
      const users = JSON.parse(execFileSync('aws', ['iam', 'list-users', '--output', 'json'], { env, encoding: 'utf8' })) as { Users: { UserName: string }[] }; // the CLI's JSON answer
      assert.ok(users.Users.some((u) => u.UserName === 'admin'));
    }
  } finally {
    await node.stop();
  }
});
