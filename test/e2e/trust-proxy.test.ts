// Behind a TLS-terminating proxy (--trust-proxy): aws:SourceIp and aws:SecureTransport come from X-Forwarded-For
// and X-Forwarded-Proto only when the peer is a trusted proxy, walking the chain from the right; otherwise (and by
// default) the headers are ignored. Checked through the JS SDK with a policy that allows GetUser only from
// 203.0.113.0/24 over TLS, the headers added after signing as a proxy would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as I from '@aws-sdk/client-iam';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects } from '../helpers/clients.js';
import { parseTrustedProxies, requestSource } from '../../src/server/trust-proxy.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */
interface Creds { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Effect: 'Allow',
    Action: 'iam:GetUser',
    Resource: '*',
    Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' }, Bool: { 'aws:SecureTransport': 'true' } },
  }],
});

let proxied: Node; // trusts loopback (the test's own connection) and 198.51.100.0/24 (a second proxy tier)
let direct: Node; // trusts nobody: the default
before(async () => {
  [proxied, direct] = await Promise.all([
    startGatehouse({ args: ['--trust-proxy', '127.0.0.0/8, ::1, 198.51.100.0/24'] }),
    startGatehouse(),
  ]);
});
after(async () => { await Promise.all([proxied?.stop(), direct?.stop()]); });

async function userWithPolicy(node: Node): Promise<Creds> {
  const admin = iam(node);
  await admin.send(new I.CreateUserCommand({ UserName: 'behind-proxy' }));
  await admin.send(new I.PutUserPolicyCommand({ UserName: 'behind-proxy', PolicyName: 'from-office-over-tls', PolicyDocument: POLICY }));
  const { AccessKey } = await admin.send(new I.CreateAccessKeyCommand({ UserName: 'behind-proxy' }));
  assert.ok(AccessKey?.AccessKeyId && AccessKey.SecretAccessKey, 'CreateAccessKey returned a key');
  return { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
}

/** The SDK's HTTP request at the deserialize step: an object with its headers. */
const hasHeaders = (r: unknown): r is { headers: Record<string, string> } =>
  typeof r === 'object' && r !== null && 'headers' in r && typeof r.headers === 'object' && r.headers !== null;

/** An SDK client whose requests get the given headers after signing, as a proxy adds them. */
function viaProxy(node: Node, creds: Creds, headers: Record<string, string>): I.IAMClient {
  const client = iam(node, creds);
  client.middlewareStack.add((next) => (args) => {
    if (hasHeaders(args.request)) Object.assign(args.request.headers, headers);
    return next(args);
  }, { step: 'deserialize', name: 'asIfProxied' });
  return client;
}

const getUser = (client: I.IAMClient) => client.send(new I.GetUserCommand({ UserName: 'behind-proxy' }));

test('from a trusted proxy: the forwarded client address and https decide; anything else is denied', async () => {
  const creds = await userWithPolicy(proxied);
  const ok = await getUser(viaProxy(proxied, creds, { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' }));
  assert.equal(ok.User!.UserName, 'behind-proxy');
  // Two trusted tiers: the office address is two hops back.
  const twoTiers = await getUser(viaProxy(proxied, creds, { 'x-forwarded-for': '203.0.113.7, 198.51.100.20', 'x-forwarded-proto': 'https' }));
  assert.equal(twoTiers.User!.UserName, 'behind-proxy');
  const denied: [Record<string, string>, string][] = [
    [{ 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'http' }, 'plain HTTP at the proxy'],
    [{ 'x-forwarded-for': '203.0.113.7' }, 'no X-Forwarded-Proto: the hop to Gatehouse was plain HTTP'],
    [{ 'x-forwarded-proto': 'https' }, 'no X-Forwarded-For: the source is the proxy itself'],
    [{ 'x-forwarded-for': '203.0.113.7, 192.0.2.44', 'x-forwarded-proto': 'https' }, 'a client-supplied address in front of the real client'],
    [{ 'x-forwarded-for': '203.0.113.7, not-an-address', 'x-forwarded-proto': 'https' }, 'garbage in the chain stops the walk'],
  ];
  for (const [headers, why] of denied) {
    const e = await rejects(getUser(viaProxy(proxied, creds, headers)));
    assert.equal(e.name, 'AccessDenied', why);
    assert.equal(e.$metadata.httpStatusCode, 403, why);
  }
});

test('by default (no --trust-proxy) the forwarded headers are ignored', async () => {
  const creds = await userWithPolicy(direct);
  const e = await rejects(getUser(viaProxy(direct, creds, { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' })));
  assert.equal(e.name, 'AccessDenied');
  assert.equal(e.$metadata.httpStatusCode, 403);
});

test('requestSource walks X-Forwarded-For from the right through trusted hops only', () => {
  const trusted = parseTrustedProxies('10.0.0.0/8, ::1');
  const src = (peer: string, xff: string | string[], xfp: string | undefined) => requestSource({ peer, forwardedFor: xff, ...(xfp === undefined ? {} : { forwardedProto: xfp }) }, trusted);
  assert.deepEqual(src('::ffff:10.1.2.3', '198.51.100.1', 'https'), { sourceIp: '198.51.100.1', secure: true });
  assert.deepEqual(src('10.1.2.3', '1.1.1.1, 198.51.100.1, 10.9.9.9', 'http, https'), { sourceIp: '198.51.100.1', secure: true });
  assert.deepEqual(src('192.0.2.1', '198.51.100.1', 'https'), { sourceIp: '192.0.2.1', secure: false }, 'untrusted peer: headers ignored');
  assert.deepEqual(src('::1', '[2001:db8::5]:443', undefined), { sourceIp: '2001:db8::5', secure: false });
  assert.deepEqual(src('10.0.0.1', '203.0.113.9:5555', 'HTTPS'), { sourceIp: '203.0.113.9', secure: true });
  assert.deepEqual(src('10.0.0.1', ['203.0.113.9', '10.0.0.2'], 'https'), { sourceIp: '203.0.113.9', secure: true }, 'repeated headers are one list');
  assert.deepEqual(src('10.0.0.1', '10.0.0.3, 10.0.0.2', 'https'), { sourceIp: '10.0.0.3', secure: true }, 'all trusted: the leftmost');
  assert.equal(parseTrustedProxies(undefined).size, 0);
  for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.1/8/2', '::1/129', '10.0.0.0/x']) {
    assert.throws(() => parseTrustedProxies(bad), /--trust-proxy: .* is not an IP address or CIDR block/, bad);
  }
});

test('gatehouse serve --trust-proxy with a bad entry exits 1 with a clear message', async () => {
  const bin = new URL('../../bin/gatehouse.js', import.meta.url).pathname;
  const r = await new Promise<{ code: unknown; stderr: string }>((resolve) => execFile(process.execPath, [bin, 'serve', '--port', '0', '--trust-proxy', '10.0.0.0/8,proxy.internal'],
    { env: { ...process.env, GATEHOUSE_DATA: '/nonexistent/never-created' }, timeout: 20_000 }, (err, stdout, stderr) => resolve({ code: err?.code ?? 0, stderr })));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /gatehouse: --trust-proxy: 'proxy.internal' is not an IP address or CIDR block/);
});
