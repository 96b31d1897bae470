// Operations, end to end: /metrics on its own address (scraped and parsed) after requests made with the aws CLI,
// the per-request log lines, MFA locks listed and lifted with `gatehouse mfa locks`, and nothing secret in the
// metrics or the logs (every secret the test created, searched for in several encodings).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOTP, Secret } from 'otpauth';
import { startGatehouse } from '../helpers/server.js';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { awsCli, iam, NO_AWS_CLI } from '../helpers/clients.js';
import type { Credentials } from '../helpers/server.js';

const BIN = new URL('../../bin/gatehouse.js', import.meta.url).pathname;
const STEP = 30_000;
type Node = Awaited<ReturnType<typeof startGatehouse>>;

/** One sample of the Prometheus text format: name, labels, value. */
interface Sample { readonly name: string; readonly labels: Readonly<Record<string, string>>; readonly value: number }

/** A small parser of the Prometheus text exposition format (0.0.4): every line a comment or a valid sample. */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const t = /^# TYPE (\w+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (t) { types.set(t[1]!, t[2]!); continue; } // both groups are in every match
    if (line.startsWith('# HELP ')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    const re = /(\w+)="((?:[^"\\]|\\.)*)",?/gy;
    let consumed = 0;
    for (let l = re.exec(body); l; l = re.exec(body)) { labels[l[1]!] = l[2]!; consumed = re.lastIndex; } // both groups are in every match
    assert.equal(consumed, body.length, `malformed labels: ${line}`);
    const value = Number(m[3] === '+Inf' ? Infinity : m[3]);
    assert.ok(!Number.isNaN(value), `not a number: ${line}`);
    samples.push({ name: m[1]!, labels, value }); // group 1 is in every match
  }
  return { samples, types };
}

/** The value of the one sample with this name and these labels (0 when absent, as Prometheus reads a counter). */
function value(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.reduce((sum, s) => sum + s.value, 0);
}

/** How a gatehouse command ended. */
interface Run { code: number | string | null | undefined; stdout: string; stderr: string }
function gatehouse(node: Node, args: string[]): Promise<Run> {
  const storeArgs = ['--data', node.dataDir, ...(node.databaseUrl ? ['--database', node.databaseUrl] : [])];
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args, ...storeArgs], { timeout: 30_000 }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}

let node: Node;
let metricsUrl: string;
before(async () => {
  node = await startGatehouse({ args: ['--metrics-address', '127.0.0.1:0'], env: { GATEHOUSE_LOG_LEVEL: 'info' } });
  const m = /Metrics: (http:\/\/\S+\/metrics)/.exec(node.stdout);
  assert.ok(m?.[1], `the banner names the metrics URL: ${node.stdout}`);
  metricsUrl = m[1];
});
after(async () => { await node?.stop(); });

async function scrape(): Promise<{ text: string; samples: Sample[]; types: Map<string, string> }> {
  const r = await fetch(metricsUrl);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await r.text();
  return { text, ...parsePrometheus(text) };
}

/** The JSON log lines the server wrote so far. */
function logLines(): Record<string, unknown>[] {
  return node.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>); // pino writes one object a line
}

test('metrics, request logs and MFA locks after an aws CLI session; nothing secret in either', { skip: NO_AWS_CLI }, async () => {
  const secrets: string[] = [node.admin.secretAccessKey, node.bootstrap.root.password];
  // The public port never serves the metrics.
  const pub = await fetch(`${node.endpoint}/metrics`);
  assert.ok(!(await pub.text()).includes('gatehouse_requests_total'), 'no metrics on the public port');
  assert.equal((await fetch(metricsUrl.replace(/\/metrics$/, '/other'))).status, 404);

  const cli = async <T>(args: string[], creds?: Credentials): Promise<T> => {
    const r = await awsCli<T>(node, args, creds);
    assert.ok(r.ok, `aws ${args.join(' ')}: ${r.stderr}`);
    return r.json as T; // the CLI printed the operation's JSON output
  };
  await cli(['iam', 'create-user', '--user-name', 'ops-user']);
  await cli(['iam', 'list-users']);
  const missing = await awsCli(node, ['iam', 'get-user', '--user-name', 'nobody']);
  assert.ok(!missing.ok && /NoSuchEntity/.test(missing.stderr));
  const key = await cli<{ AccessKey: { AccessKeyId: string; SecretAccessKey: string } }>(['iam', 'create-access-key', '--user-name', 'ops-user']);
  const user: Credentials = { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };
  secrets.push(user.secretAccessKey);
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-ops-'));
  try {
    const seedFile = join(dir, 'seed.txt');
    const device = await cli<{ VirtualMFADevice: { SerialNumber: string } }>(['iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'ops-user', '--outfile', seedFile, '--bootstrap-method', 'Base32StringSeed']);
    const seed = readFileSync(seedFile, 'utf8').trim();
    secrets.push(seed, Buffer.from(Secret.fromBase32(seed).bytes).toString('hex'), Buffer.from(Secret.fromBase32(seed).bytes).toString('base64'));
    const serial = device.VirtualMFADevice.SerialNumber;
    const totp = (t: number): string => new TOTP({ secret: Secret.fromBase32(seed), digits: 6, period: 30 }).generate({ timestamp: t });
    const t = Date.now();
    await cli(['iam', 'enable-mfa-device', '--user-name', 'ops-user', '--serial-number', serial, '--authentication-code1', totp(t - 2 * STEP), '--authentication-code2', totp(t - STEP)]);

    const session = (code: string) => awsCli<{ Credentials: { SecretAccessKey: string; SessionToken: string } }>(node, ['sts', 'get-session-token', '--serial-number', serial, '--token-code', code], user);
    const wrong = (c: string): string => String((Number(c) + 500_000) % 1_000_000).padStart(6, '0');
    const good = totp(t);
    assert.ok(!(await session(wrong(good))).ok, 'a wrong code is refused');
    const ok = await session(good);
    assert.ok(ok.ok, ok.stderr);
    secrets.push(ok.json!.Credentials.SecretAccessKey, ok.json!.Credentials.SessionToken); // ok: the CLI printed it
    assert.match((await session(good)).stderr, /AccessDenied/, 'a replayed code is refused');
    for (let i = 0; i < 4; i++) assert.ok(!(await session(wrong(good))).ok);
    const locked = await session(totp(t + STEP));
    assert.match(locked.stderr, /refused until (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)/, `the API says until when: ${locked.stderr}`);

    // gatehouse mfa locks lists the lock with its end, and lifts it.
    const listed = await gatehouse(node, ['mfa', 'locks']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /user ops-user\s+LOCKED until \d{4}-\d\d-\d\dT[\d:.]+Z\s+5/);
    assert.match(listed.stdout, /1 locked/);
    const lifted = await gatehouse(node, ['mfa', 'locks', '--unlock', 'ops-user']);
    assert.equal(lifted.code, 0, lifted.stderr);
    assert.match(lifted.stdout, /user ops-user: lock lifted/);
    assert.match((await gatehouse(node, ['mfa', 'locks'])).stdout, /No failed MFA codes on record/);
    const unknown = await gatehouse(node, ['mfa', 'locks', '--unlock', 'nobody']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no IAM user named nobody/);
    const again = await session(totp(t + STEP));
    assert.ok(again.ok, `after the unlock the next code works: ${again.stderr}`);
    secrets.push(again.json!.Credentials.SecretAccessKey, again.json!.Credentials.SessionToken); // ok: the CLI printed it
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // An action no model has is counted as "unknown", never as its own label.
  await fetch(node.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=MadeUpActionXyz&Version=2010-05-08' });

  const { text, samples, types } = await scrape();
  assert.equal(types.get('gatehouse_requests_total'), 'counter');
  assert.equal(types.get('gatehouse_request_duration_seconds'), 'histogram');
  assert.equal(value(samples, 'gatehouse_requests_total', { service: 'iam', action: 'CreateUser', status: '200' }), 1);
  assert.equal(value(samples, 'gatehouse_requests_total', { service: 'iam', action: 'ListUsers', status: '200' }), 1);
  assert.equal(value(samples, 'gatehouse_requests_total', { service: 'iam', action: 'GetUser', status: '404' }), 1);
  assert.equal(value(samples, 'gatehouse_requests_total', { service: 'sts', action: 'GetSessionToken', status: '200' }), 2);
  assert.equal(value(samples, 'gatehouse_requests_total', { service: 'sts', action: 'GetSessionToken', status: '403' }), 7);
  assert.ok(value(samples, 'gatehouse_requests_total', { action: 'unknown' }) >= 1);
  assert.ok(!text.includes('MadeUpActionXyz'), 'an unknown action never becomes a label');
  assert.equal(value(samples, 'gatehouse_request_duration_seconds_count', { service: 'iam', action: 'CreateUser' }), 1);
  assert.equal(value(samples, 'gatehouse_request_duration_seconds_bucket', { service: 'iam', action: 'CreateUser', le: '+Inf' }), 1);
  // Codes: enable + two sign-ins ok; 5 wrong; 1 replay; 1 refused while locked; one lock, one unlock.
  assert.equal(value(samples, 'gatehouse_mfa_checks_total', { outcome: 'ok' }), 3);
  assert.equal(value(samples, 'gatehouse_mfa_checks_total', { outcome: 'invalid' }), 5);
  assert.equal(value(samples, 'gatehouse_mfa_checks_total', { outcome: 'replay' }), 1);
  assert.equal(value(samples, 'gatehouse_mfa_checks_total', { outcome: 'locked' }), 1);
  assert.equal(value(samples, 'gatehouse_mfa_locks_total'), 1);
  assert.equal(value(samples, 'gatehouse_sessions_issued_total', { source: 'GetSessionToken' }), 2);
  assert.ok(types.has('gatehouse_event_recording_backlog'));
  assert.ok(value(samples, 'process_cpu_user_seconds_total') > 0, 'process metrics');
  assert.ok(samples.some((s) => s.name === 'nodejs_heap_size_total_bytes'));

  // One info line per request, with what the issue names.
  const lines = logLines().filter((l) => l['msg'] === 'request');
  const create = lines.find((l) => l['action'] === 'CreateUser');
  assert.ok(create, 'CreateUser was logged');
  assert.equal(create['principal'], `arn:aws:iam::${node.accountId}:user/admin`);
  assert.equal(create['status'], 200);
  assert.equal(create['level'], 30);
  assert.equal(typeof create['ms'], 'number');
  assert.match(String(create['requestId']), /^[0-9a-f-]{36}$/);
  const denied = lines.filter((l) => l['action'] === 'GetSessionToken' && l['status'] === 403);
  assert.equal(denied.length, 7);
  assert.ok(denied.every((l) => l['errorCode'] === 'AccessDenied' && l['principal'] === `arn:aws:iam::${node.accountId}:user/ops-user`));
  assert.ok(lines.some((l) => l['action'] === 'GetUser' && l['errorCode'] === 'NoSuchEntity'));

  // Nothing secret anywhere: the metrics, the logs (stdout and stderr).
  const haystack = `${text}\n${node.stdout}\n${node.stderr}`;
  for (const s of secrets) {
    for (const form of [s, Buffer.from(s).toString('base64'), Buffer.from(s).toString('hex'), encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]) {
      assert.ok(!haystack.includes(form), 'a secret appears in the metrics or the logs');
    }
  }
});

test('with --workers 2 the primary serves the sum of its workers\' metrics', async () => {
  const multi = await startGatehouse({ args: ['--workers', '2', '--metrics-address', '127.0.0.1:0'] });
  try {
    const m = /Metrics: (http:\/\/\S+\/metrics)/.exec(multi.stdout);
    assert.ok(m?.[1], `the banner names the metrics URL: ${multi.stdout}`);
    const client = iam(multi);
    // Each request on a new connection, so the cluster spreads them over both workers.
    for (let i = 0; i < 6; i++) await fetch(multi.endpoint, { method: 'POST', headers: { connection: 'close', 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers&Version=2010-05-08' });
    await client.send(new ListUsersCommand({}));
    const r = await fetch(m[1]);
    assert.equal(r.status, 200);
    const { samples } = parsePrometheus(await r.text());
    assert.equal(value(samples, 'gatehouse_requests_total', { service: 'iam', action: 'ListUsers', status: '200' }), 1);
    assert.equal(value(samples, 'gatehouse_requests_total', { service: 'iam', action: 'ListUsers', status: '403' }), 6, 'the unsigned requests of both workers, summed');
  } finally {
    await multi.stop();
  }
});
