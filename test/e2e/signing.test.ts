// What a signature covers, through raw signed requests (no SDK sends these): a presigned URL authorises exactly
// the request that was signed — no UNSIGNED-PAYLOAD body riding along, no parameter added or repeated, no other
// service or made-up region in the scope, no second Host header, no missing X-Amz-Expires.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects } from '../helpers/clients.js';
import type { SdkError } from '../helpers/clients.js';
import { formRequest, sign, presign, send, errorCode } from '../helpers/raw.js';
import type { RawRequest } from '../helpers/raw.js';
import * as I from '@aws-sdk/client-iam';

type Node = Awaited<ReturnType<typeof startGatehouse>>;

let node: Node;
before(async () => { node = await startGatehouse(); });
after(async () => { await node?.stop(); });

const gci = { Action: 'GetCallerIdentity', Version: '2011-06-15' };
const createUser = (name: string) => ({ Action: 'CreateUser', Version: '2010-05-08', UserName: name });
// The message exactly as sent (the XML parser would trim AWS's trailing space).
const message = (r: { text: string }) => /<Message>([^<]*)<\/Message>/.exec(r.text)?.[1]?.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

async function userExists(name: string): Promise<boolean> {
  try {
    await iam(node).send(new I.GetUserCommand({ UserName: name }));
    return true;
  } catch (caught) {
    const e = caught as SdkError; // an SDK call rejects with the SDK's error
    assert.equal(e.name, 'NoSuchEntityException');
    return false;
  }
}

/** A URL presigned the way S3 presigns (payload UNSIGNED-PAYLOAD), which @smithy/signature-v4 does on request. */
async function presignUnsignedPayload(params: Record<string, string>, service = 'sts'): Promise<RawRequest> {
  const get = formRequest(node, params, { method: 'GET' });
  const req = { ...get, headers: { ...get.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } };
  const pre = await presign(req, node.admin, { service });
  assert.equal(pre.query['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD', 'the URL is signed over UNSIGNED-PAYLOAD');
  return pre;
}

test('a URL presigned over UNSIGNED-PAYLOAD is refused, and a body POSTed to it creates nothing', async () => {
  const pre = await presignUnsignedPayload(gci);
  const get = await send(node, pre);
  assert.equal(get.status, 403, get.text);
  assert.equal(errorCode(get), 'SignatureDoesNotMatch');

  // The attack: the signed query only names the version; the unsigned body supplies the action.
  const versionOnly = await presignUnsignedPayload({ Version: '2010-05-08' }, 'iam');
  const post = { ...versionOnly, method: 'POST', headers: { ...versionOnly.headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Action: 'CreateUser', UserName: 'presign-mallory' }).toString() };
  const r = await send(node, post);
  assert.equal(r.status, 403, r.text);
  assert.equal(errorCode(r), 'SignatureDoesNotMatch');

  // And the form: a GetCallerIdentity URL with a body that names another action and attaches a policy.
  const overriding = { ...pre, method: 'POST', headers: { ...pre.headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(createUser('presign-mallory')).toString() };
  const r2 = await send(node, overriding);
  assert.equal(r2.status, 400, r2.text);
  assert.equal(errorCode(r2), 'InvalidQueryParameter');
  assert.equal(await userExists('presign-mallory'), false);
});

test('x-amz-content-sha256: UNSIGNED-PAYLOAD on a header-signed request is refused', async () => {
  const post = formRequest(node, createUser('unsigned-body'));
  const req = { ...post, headers: { ...post.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } };
  const r = await send(node, await sign(req, node.admin));
  assert.equal(r.status, 403, r.text);
  assert.equal(errorCode(r), 'SignatureDoesNotMatch');
  assert.equal(await userExists('unsigned-body'), false);
});

test('a normally presigned URL (hash of the empty body) authorises its own GET and nothing POSTed with it', async () => {
  const pre = await presign(formRequest(node, gci, { method: 'GET' }), node.admin, { service: 'sts' });
  const ok = await send(node, pre);
  assert.equal(ok.status, 200, ok.text);
  assert.equal((ok.xml as { GetCallerIdentityResponse: { GetCallerIdentityResult: { Arn: string } } }).GetCallerIdentityResponse.GetCallerIdentityResult.Arn, /* parsed XML */ `arn:aws:iam::${node.accountId}:user/admin`);
  const post = { ...pre, method: 'POST', headers: { ...pre.headers, 'content-type': 'application/x-www-form-urlencoded' } };
  post.body = new URLSearchParams({ UserName: 'presign-extra' }).toString();
  const r = await send(node, post);
  assert.equal(r.status, 403, r.text);
  assert.equal(errorCode(r), 'SignatureDoesNotMatch');
});

test('a parameter given twice — in the query string, in the body, or in both — is InvalidQueryParameter (400)', async () => {
  // Each request is correctly signed: the refusal is about the repetition, not the signature.
  // @smithy/signature-v4 signs a repeated query key given as an array.
  const repeated: Record<string, string | string[]> = { Action: ['ListUsers', 'CreateUser'], Version: '2010-05-08', UserName: 'dup-q' };
  const get = { ...formRequest(node, {}, { method: 'GET' }), query: repeated as Record<string, string> }; // the signer's query bag takes string[] too
  const signedGet = await sign(get, node.admin);
  const qs = Object.entries(signedGet.query).flatMap(([k, v]) => [v].flat().map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`)).join('&');
  const res = await fetch(`${node.endpoint}/?${qs}`, { headers: Object.fromEntries(Object.entries(signedGet.headers).filter(([k]) => k !== 'host')) });
  const text = await res.text();
  assert.equal(res.status, 400, text);
  assert.match(text, /<Code>InvalidQueryParameter<\/Code>/);
  assert.match(message({ text })!, /The parameter 'Action' appears more than once \(in the query string\)/);

  const inBody = formRequest(node, {});
  inBody.body = 'Action=ListUsers&Version=2010-05-08&Action=CreateUser&UserName=dup-b';
  const rb = await send(node, await sign(inBody, node.admin));
  assert.equal(rb.status, 400, rb.text);
  assert.equal(errorCode(rb), 'InvalidQueryParameter');
  assert.match(message(rb)!, /'Action' appears more than once \(in the body\)/);

  const both = formRequest(node, createUser('dup-both'));
  both.query = { Action: 'ListUsers' };
  const rq = await send(node, await sign(both, node.admin));
  assert.equal(rq.status, 400, rq.text);
  assert.equal(errorCode(rq), 'InvalidQueryParameter');
  assert.match(message(rq)!, /'Action' appears more than once \(in the query string and in the body\)/);
  for (const name of ['dup-q', 'dup-b', 'dup-both']) assert.equal(await userExists(name), false, name);

  // A repeated name with a control character in it is echoed as \u0001: the error is still well-formed XML.
  const control = formRequest(node, {});
  control.body = 'Action=ListUsers&Version=2010-05-08&a%01=1&a%01=2';
  const rc = await send(node, await sign(control, node.admin));
  assert.equal(rc.status, 400);
  assert.equal(errorCode(rc), 'InvalidQueryParameter');
  assert.equal(message(rc), "The parameter 'a\\u0001' appears more than once (in the body); send each parameter once.");
});

test('the credential scope must name the service that owns the operation, in AWS words', async () => {
  const cases: [Record<string, string>, string, string][] = [
    [createUser('scope-sts'), 'sts', 'iam'],
    [createUser('scope-s3'), 's3', 'iam'],
    [gci, 'iam', 'sts'],
    [gci, 's3', 'sts'],
    [{ Action: 'AttachUserPolicy', Version: '2010-05-08', UserName: 'admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, 'sts', 'iam'],
  ];
  for (const [params, scope, owner] of cases) {
    const r = await send(node, await sign(formRequest(node, params), node.admin, { service: scope }));
    assert.equal(r.status, 403, `${params.Action} signed for ${scope}: ${r.text}`);
    assert.equal(errorCode(r), 'SignatureDoesNotMatch');
    assert.equal(message(r), `Credential should be scoped to correct service: '${owner}'. `);
  }
  // A presigned URL is held to the same rule.
  const pre = await presign(formRequest(node, gci, { method: 'GET' }), node.admin, { service: 's3' });
  const rp = await send(node, pre);
  assert.equal(rp.status, 403);
  assert.equal(message(rp), "Credential should be scoped to correct service: 'sts'. ");
  assert.equal(await userExists('scope-sts'), false);
  assert.equal(await userExists('scope-s3'), false);
});

test('the credential scope must name a real AWS region; any real one is accepted', async () => {
  for (const region of ['mars-west-9', 'aws-global', 'us-east-1x', '']) {
    const r = await send(node, await sign(formRequest(node, gci), node.admin, { service: 'sts', region: region || 'x' }));
    assert.equal(r.status, 403, region);
    assert.equal(errorCode(r), 'SignatureDoesNotMatch');
    assert.equal(message(r), `Credential should be scoped to a valid region, not '${region || 'x'}'. `);
  }
  const both = await send(node, await sign(formRequest(node, createUser('nowhere')), node.admin, { service: 's3', region: 'mars-west-9' }));
  assert.equal(message(both), "Credential should be scoped to a valid region, not 'mars-west-9'. Credential should be scoped to correct service: 'iam'. ");
  for (const region of ['eu-west-1', 'cn-north-1', 'us-gov-west-1', 'ap-southeast-7']) {
    const r = await send(node, await sign(formRequest(node, gci), node.admin, { service: 'sts', region }));
    assert.equal(r.status, 200, `${region}: ${r.text}`);
  }
});

test('X-Amz-Expires is required on a presigned URL, from 1 to 604800 seconds', async () => {
  const pre = await presign(formRequest(node, gci, { method: 'GET' }), node.admin, { service: 'sts' });
  const without = { ...pre, query: { ...pre.query } };
  delete without.query['X-Amz-Expires'];
  const r = await send(node, without);
  assert.equal(r.status, 400, r.text);
  assert.equal(errorCode(r), 'IncompleteSignature');
  assert.match(message(r)!, /missing X-Amz-Expires/);
  for (const expires of ['0', '604801', '-5', '1e3', 'soon']) {
    const bad = { ...pre, query: { ...pre.query, 'X-Amz-Expires': expires } };
    const rb = await send(node, bad);
    assert.equal(rb.status, 400, expires);
    assert.equal(errorCode(rb), 'AuthorizationQueryParametersError', expires);
  }
  const week = await send(node, await presign(formRequest(node, gci, { method: 'GET' }), node.admin, { service: 'sts', expiresIn: 604800 }));
  assert.equal(week.status, 200, week.text);
});

/** Sends raw HTTP/1.1 bytes and resolves the response's status line and body. */
function rawHttp(head: string, body: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(node.endpoint);
  return new Promise((resolve, reject) => {
    // Written, not ended: a half-closed connection may be dropped before the answer (Node's http server does).
    // `connection: close` makes the server close it once it has answered.
    const sock = net.connect(Number(port), hostname, () => sock.write(head + body));
    let data = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => { data += d; });
    sock.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1]), text: data }));
    sock.on('error', reject);
  });
}

test('a request with two Host headers is refused (400 InvalidRequest), whichever of them was signed', async () => {
  const signed = await sign(formRequest(node, createUser('two-hosts')), node.admin);
  const body = signed.body!; // a POST as formRequest builds it has a body
  const { host } = new URL(node.endpoint);
  const lines = Object.entries(signed.headers).filter(([k]) => k !== 'host').map(([k, v]) => `${k}: ${v}\r\n`).join('');
  for (const hosts of [[host, 'evil.example'], ['evil.example', host]]) {
    const head = `POST / HTTP/1.1\r\nHost: ${hosts[0]}\r\nHost: ${hosts[1]}\r\n${lines}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`;
    const r = await rawHttp(head, body);
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, /<Code>InvalidRequest<\/Code>/);
    assert.match(r.text, /more than one Host header/);
  }
  // The same bytes with one Host header are accepted: the refusal is about the repetition.
  const one = `POST / HTTP/1.1\r\nHost: ${host}\r\n${lines}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`;
  const ok = await rawHttp(one, body);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(await userExists('two-hosts'), true);
  const e = await rejects(iam(node).send(new I.CreateUserCommand({ UserName: 'two-hosts' })));
  assert.equal(e.name, 'EntityAlreadyExistsException');
});
