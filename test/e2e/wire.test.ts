// The wire protocol through raw HTTP: authentication failures, malformed input and unknown actions each get
// the right AWS error in XML with the right status, never a 5xx; both POST and GET forms work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects, keyCreds } from '../helpers/clients.js';
import { formRequest, sign, presign, send, errorCode } from '../helpers/raw.js';
import { CreateAccessKeyCommand, UpdateAccessKeyCommand, CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import type { AccessKey as SdkAccessKey } from '@aws-sdk/client-iam';

type Node = Awaited<ReturnType<typeof startGatehouse>>;

/** The parts of the parsed XML answers this file reads (fast-xml-parser: elements as nested objects). */
interface WireXml {
  ErrorResponse: { Error: { Type: string; Message: string } };
  ListUsersResponse: { ResponseMetadata: { RequestId: string }; ListUsersResult: { IsTruncated: boolean; Users: { member: { UserName: string } } } };
  GetCallerIdentityResponse: { GetCallerIdentityResult: { Account: number } };
}
const xmlOf = (r: { xml: unknown }): WireXml => r.xml as WireXml; // the parsed XML body

import type { Credentials as Creds } from '../helpers/server.js';

let node: Node;
before(async () => { node = await startGatehouse(); });
after(async () => { await node?.stop(); });

const listUsers = { Action: 'ListUsers', Version: '2010-05-08' };

test('a signed POST form request succeeds with the Query envelope and a request id header', async () => {
  const r = await send(node, await sign(formRequest(node, listUsers), node.admin));
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type']!, /text\/xml/);
  assert.match(r.headers['x-amzn-requestid']!, /^[0-9a-f-]{36}$/);
  const body = xmlOf(r).ListUsersResponse;
  assert.equal(body.ResponseMetadata.RequestId, r.headers['x-amzn-requestid']);
  assert.equal(body.ListUsersResult.IsTruncated, false);
  assert.equal(body.ListUsersResult.Users.member.UserName, 'admin');
});

test('the GET query-string form works with a signed header and with a presigned URL', async () => {
  const getReq = await sign(formRequest(node, listUsers, { method: 'GET' }), node.admin);
  const signed = await send(node, getReq);
  assert.equal(signed.status, 200, signed.text + JSON.stringify(getReq));
  const pre = await send(node, await presign(formRequest(node, listUsers, { method: 'GET' }), node.admin));
  assert.equal(pre.status, 200, pre.text);
  assert.ok(xmlOf(pre).ListUsersResponse);
});

test('a presigned URL is refused after it expires and when tampered with', async () => {
  const old = new Date(Date.now() - 10 * 60 * 1000);
  const expired = await send(node, await presign(formRequest(node, listUsers, { method: 'GET' }), node.admin, { expiresIn: 60, signingDate: old }));
  assert.equal(expired.status, 403);
  assert.equal(errorCode(expired), 'SignatureDoesNotMatch');
  assert.match(xmlOf(expired).ErrorResponse.Error.Message, /expired/i);
  const req = await presign(formRequest(node, listUsers, { method: 'GET' }), node.admin);
  req.query.Action = 'ListGroups';
  const tampered = await send(node, req);
  assert.equal(tampered.status, 403);
  assert.equal(errorCode(tampered), 'SignatureDoesNotMatch');
});

test('an unsigned request is MissingAuthenticationToken (403)', async () => {
  const r = await send(node, formRequest(node, listUsers));
  assert.equal(r.status, 403);
  assert.equal(errorCode(r), 'MissingAuthenticationToken');
  assert.equal(xmlOf(r).ErrorResponse.Error.Type, 'Sender');
});

test('a malformed Authorization header is IncompleteSignature (400)', async () => {
  for (const header of ['AWS4-HMAC-SHA256 Credential=AKIAFOO', 'Bearer abc', 'AWS4-HMAC-SHA256 Credential=AKIA/x/y, SignedHeaders=host, Signature=00']) {
    const base = formRequest(node, listUsers);
    const req = { ...base, headers: { ...base.headers, authorization: header, 'x-amz-date': new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '') } };
    const r = await send(node, req);
    assert.equal(r.status, 400, header);
    assert.equal(errorCode(r), 'IncompleteSignature', header);
  }
});

test('an unknown access key is InvalidClientTokenId (403)', async () => {
  const r = await send(node, await sign(formRequest(node, listUsers), { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) }));
  assert.equal(r.status, 403);
  assert.equal(errorCode(r), 'InvalidClientTokenId');
});

test('a wrong secret is SignatureDoesNotMatch (403); so is a body changed after signing', async () => {
  const wrong = await send(node, await sign(formRequest(node, listUsers), { accessKeyId: node.admin.accessKeyId, secretAccessKey: 'y'.repeat(40) }));
  assert.equal(wrong.status, 403);
  assert.equal(errorCode(wrong), 'SignatureDoesNotMatch');
  const req = await sign(formRequest(node, listUsers), node.admin);
  req.body = new URLSearchParams({ Action: 'CreateUser', Version: '2010-05-08', UserName: 'mallory' }).toString();
  const tampered = await send(node, req);
  assert.equal(tampered.status, 403);
  assert.equal(errorCode(tampered), 'SignatureDoesNotMatch');
});

test('a request signed more than 15 minutes away from the server clock is refused', async () => {
  for (const offset of [-20, 20]) {
    const signingDate = new Date(Date.now() + offset * 60 * 1000);
    const r = await send(node, await sign(formRequest(node, listUsers), node.admin, { signingDate }));
    assert.equal(r.status, 403, `offset ${offset} min`);
    assert.equal(errorCode(r), 'SignatureDoesNotMatch');
  }
  const near = await send(node, await sign(formRequest(node, listUsers), node.admin, { signingDate: new Date(Date.now() - 5 * 60 * 1000) }));
  assert.equal(near.status, 200);
});

test('an inactive access key is refused, and works again once reactivated', async () => {
  const client = iam(node);
  await client.send(new CreateUserCommand({ UserName: 'wire-inactive' }));
  const { AccessKey } = await client.send(new CreateAccessKeyCommand({ UserName: 'wire-inactive' }));
  const creds = keyCreds(AccessKey);
  await client.send(new UpdateAccessKeyCommand({ UserName: 'wire-inactive', AccessKeyId: AccessKey?.AccessKeyId, Status: 'Inactive' }));
  const e = await rejects(iam(node, creds).send(new ListUsersCommand({})));
  assert.equal(e.name, 'InvalidClientTokenId');
  assert.equal(e.$metadata.httpStatusCode, 403);
  await client.send(new UpdateAccessKeyCommand({ UserName: 'wire-inactive', AccessKeyId: AccessKey?.AccessKeyId, Status: 'Active' }));
  // Active again: authenticated, but this user holds no policy, so the call is denied rather than unauthenticated.
  const denied = await rejects(iam(node, creds).send(new ListUsersCommand({})));
  assert.equal(denied.name, 'AccessDenied');
});

test('an unknown action is InvalidAction (400) in XML, for IAM and STS versions alike', async () => {
  const r = await send(node, await sign(formRequest(node, { Action: 'LaunchRockets', Version: '2010-05-08' }), node.admin));
  assert.equal(r.status, 400);
  assert.equal(errorCode(r), 'InvalidAction');
  const wrongVersion = await send(node, await sign(formRequest(node, { Action: 'ListUsers', Version: '2011-06-15' }), node.admin));
  assert.equal(wrongVersion.status, 400);
  assert.equal(errorCode(wrongVersion), 'InvalidAction');
  const none = await send(node, await sign(formRequest(node, { Version: '2010-05-08' }), node.admin));
  assert.equal(none.status, 400);
  assert.equal(errorCode(none), 'MissingAction');
});

test('an action named like a property every JavaScript object has is InvalidAction, never a call', async () => {
  for (const action of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    for (const [version, service] of [['2010-05-08', 'iam'], ['2011-06-15', 'sts']] as const) {
      const r = await send(node, await sign(formRequest(node, { Action: action, Version: version }), node.admin, { service }));
      assert.equal(r.status, 400, `${action} ${version}: ${r.text}`);
      assert.equal(errorCode(r), 'InvalidAction');
    }
  }
});

test('STS is routed by Version and by the signing scope on the same endpoint and path', async () => {
  const byVersion = await send(node, await sign(formRequest(node, { Action: 'GetCallerIdentity', Version: '2011-06-15' }), node.admin, { service: 'sts' }));
  assert.equal(byVersion.status, 200, byVersion.text);
  assert.match(byVersion.text, /xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"/);
  assert.equal(xmlOf(byVersion).GetCallerIdentityResponse.GetCallerIdentityResult.Account, Number(node.accountId));
  const byScope = await send(node, await sign(formRequest(node, { Action: 'GetCallerIdentity' }), node.admin, { service: 'sts' }));
  assert.equal(byScope.status, 200, byScope.text);
});

test('model validation: lengths, patterns, enums, ranges and required members give ValidationError naming the member', async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ Action: 'CreateUser', UserName: 'x'.repeat(65) }, /at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64/],
    [{ Action: 'CreateUser', UserName: 'bad name' }, /at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern/],
    [{ Action: 'CreateUser' }, /Value null at 'userName' failed to satisfy constraint: Member must not be null/],
    [{ Action: 'ListUsers', MaxItems: '0' }, /at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1/],
    [{ Action: 'ListUsers', MaxItems: 'many' }, /at 'maxItems' failed to satisfy constraint: Member must be a number/],
    [{ Action: 'UpdateAccessKey', AccessKeyId: 'AKIAAAAAAAAAAAAAAAAA', Status: 'Sleeping' }, /at 'status' failed to satisfy constraint: Member must satisfy enum value set/],
    [{ Action: 'CreateUser', UserName: 'ok', Path: 'nopath' }, /at 'path' failed to satisfy constraint/],
    [{ Action: 'CreateLoginProfile', UserName: 'ok', Password: 'a\u0001' }, /^1 validation error detected: Value at 'password'/],
  ];
  for (const [params, message] of cases) {
    const r = await send(node, await sign(formRequest(node, { Version: '2010-05-08', ...params }), node.admin));
    assert.equal(r.status, 400, JSON.stringify(params));
    assert.equal(errorCode(r), 'ValidationError', JSON.stringify(params));
    assert.match(xmlOf(r).ErrorResponse.Error.Message, message);
  }
  const two = await send(node, await sign(formRequest(node, { Version: '2010-05-08', Action: 'CreateUser', UserName: 'a b', Path: 'x' }), node.admin));
  assert.equal(errorCode(two), 'ValidationError');
  assert.match(xmlOf(two).ErrorResponse.Error.Message, /^2 validation errors detected: /);
});

test('a password never appears in a validation message', async () => {
  const secret = `Sup3r-secret-${'z'.repeat(130)}`;
  const r = await send(node, await sign(formRequest(node, { Version: '2010-05-08', Action: 'CreateLoginProfile', UserName: 'admin', Password: secret }), node.admin));
  assert.equal(r.status, 400);
  assert.equal(errorCode(r), 'ValidationError');
  assert.equal(xmlOf(r).ErrorResponse.Error.Message, "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 128");
  assert.ok(!r.text.includes('Sup3r-secret'), r.text);
});

test('garbage bodies, odd content types and oversized bodies: each gets its AWS error, or is read as the form it is', async () => {
  const cases: [string, number, string | undefined][] = [
    ['%%%', 400, 'MissingAction'],
    ['\u0000\u0001binary', 400, 'MissingAction'],
    // Invalid UTF-8 decodes to U+FFFD, which the user name pattern refuses.
    ['Action=CreateUser&Version=2010-05-08&UserName=%E0%A4%A', 400, 'ValidationError'],
    // Empty segments and a nameless parameter are ignored like any unknown parameter: a valid ListUsers.
    ['Action=ListUsers&Version=2010-05-08&&&==', 200, undefined],
  ];
  for (const [body, status, code] of cases) {
    const req = formRequest(node, {});
    req.body = body;
    const r = await send(node, await sign(req, node.admin));
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(errorCode(r), code, JSON.stringify(body));
  }
  const json = formRequest(node, listUsers);
  json.headers['content-type'] = 'application/json';
  json.body = '{"Action":"ListUsers"}';
  const rj = await send(node, await sign(json, node.admin));
  assert.equal(rj.status, 400);
  assert.equal(errorCode(rj), 'InvalidParameterValue');
  assert.match(xmlOf(rj).ErrorResponse.Error.Message, /Unsupported Content-Type 'application\/json'/);
  const big = formRequest(node, { ...listUsers, Pad: 'x'.repeat(2 * 1024 * 1024) });
  const rb = await send(node, big);
  assert.equal(rb.status, 413);
  assert.equal(errorCode(rb), 'RequestEntityTooLarge');
});

test('unknown optional parameters are tolerated', async () => {
  const r = await send(node, await sign(formRequest(node, { ...listUsers, SomeFutureParameter: 'x' }), node.admin));
  assert.equal(r.status, 200);
});
