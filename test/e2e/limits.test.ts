// Input limits on the wire, for any caller: more than 5,000 parameters is InvalidQueryParameter before the rest
// is decoded; lists longer than the model allows (or than 1,000 where the model sets none) are a ValidationError
// before their members are parsed; NUL and other control characters in a string are a ValidationError on both
// stores (never a 500); an oversized body is 413. What it costs is counted in test/unit/query-parse.test.ts and measured by
// bench/worst-case.ts; nothing here is timed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects } from '../helpers/clients.js';
import { formRequest, sign, send, errorCode } from '../helpers/raw.js';
import * as I from '@aws-sdk/client-iam';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

let node: Node;
/** The parts of an AWS error response's XML read here (parsed: any element may be absent). */
interface ErrorXml { ErrorResponse?: { Error?: { Message?: string } } }
before(async () => { node = await startGatehouse(); });
after(async () => { await node?.stop(); });

const message = (r: { xml: unknown }): string | undefined => (r.xml as ErrorXml | null)?.ErrorResponse?.Error?.Message; // parsed XML, or null

async function signedPost(params: Record<string, string>, creds: { accessKeyId: string; secretAccessKey: string } = node.admin) {
  return send(node, await sign(formRequest(node, { Version: '2010-05-08', ...params }), creds));
}

test('SimulateCustomPolicy with 15,000 ContextEntries is refused (400) for its parameter count, even from a caller with no permissions', async () => {
  await iam(node).send(new I.CreateUserCommand({ UserName: 'limits-nobody' }));
  const AccessKey = (await iam(node).send(new I.CreateAccessKeyCommand({ UserName: 'limits-nobody' }))).AccessKey!;
  const nobody = { accessKeyId: AccessKey.AccessKeyId!, secretAccessKey: AccessKey.SecretAccessKey! };
  const params: Record<string, string> = {
    Action: 'SimulateCustomPolicy',
    'PolicyInputList.member.1': '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    'ActionNames.member.1': 'iam:ListUsers',
  };
  // Under the 1 MiB body limit (about 700 KB), as the 818 KB request was.
  for (let i = 1; i <= 15_000; i++) params[`ContextEntries.member.${i}.ContextKeyName`] = `aws:k${i}`;
  for (const creds of [node.admin, nobody]) {
    const r = await signedPost(params, creds);
    assert.equal(r.status, 400, r.text.slice(0, 300));
    assert.equal(errorCode(r), 'InvalidQueryParameter');
    assert.equal(message(r), 'The request has more than 5000 parameters.');
  }
  // 5,000 distinct unknown parameters (5,001 with Action) are refused the same way: the count, not the names, decides;
  // 4,998 of them are ignored as unknown parameters always are.
  const junk = (n: number): Record<string, string> => Object.fromEntries([['Action', 'ListUsers'], ...Array.from({ length: n }, (_, i) => [`Junk${i}`, ''])]);
  const rj = await signedPost(junk(5000));
  assert.equal(rj.status, 400);
  assert.equal(errorCode(rj), 'InvalidQueryParameter');
  const fits = await signedPost(junk(4998)); // with Action and Version (added by signedPost): exactly 5,000
  assert.equal(fits.status, 200, fits.text.slice(0, 300));
});

test('1,001 ContextEntries (unbounded in the model) are a ValidationError naming the count', async () => {
  const params: Record<string, string> = { Action: 'SimulateCustomPolicy', 'PolicyInputList.member.1': '{"Version":"2012-10-17","Statement":[]}', 'ActionNames.member.1': 'iam:ListUsers' };
  for (let i = 1; i <= 1001; i++) params[`ContextEntries.member.${i}.ContextKeyName`] = `aws:k${i}`;
  const r = await signedPost(params);
  assert.equal(r.status, 400);
  assert.equal(errorCode(r), 'ValidationError');
  assert.equal(message(r), "1 validation error detected: Value '[1001 items]' at 'contextEntries' failed to satisfy constraint: Member must have length less than or equal to 1000");
});

test('1,001 ActionNames (unbounded in the model) are refused; 1,000 are simulated', async () => {
  const base = { Action: 'SimulateCustomPolicy', 'PolicyInputList.member.1': '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}' };
  const names = (n: number): Record<string, string> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`ActionNames.member.${i + 1}`, `iam:GetThing${i}`]));
  const over = await signedPost({ ...base, ...names(1001) });
  assert.equal(over.status, 400);
  assert.equal(errorCode(over), 'ValidationError');
  assert.match(message(over)!, /at 'actionNames' failed to satisfy constraint: Member must have length less than or equal to 1000$/);
  const at = await signedPost({ ...base, ...names(1000), MaxItems: '1000' });
  assert.equal(at.status, 200, at.text.slice(0, 300));
  // the parsed XML answer: the part read here
  const result = at.xml as { SimulateCustomPolicyResponse: { SimulateCustomPolicyResult: { EvaluationResults: { member: unknown[] } } } };
  assert.equal(result.SimulateCustomPolicyResponse.SimulateCustomPolicyResult.EvaluationResults.member.length, 1000);
});

test('CreateUser with 51 tags is a ValidationError at the model\'s 50, with 10,000 tags InvalidQueryParameter; neither creates the user', async () => {
  const tagged = (n: number): Record<string, string> => {
    const params: Record<string, string> = { Action: 'CreateUser', UserName: 'limits-tagged' };
    for (let i = 1; i <= n; i++) { params[`Tags.member.${i}.Key`] = `k${i}`; params[`Tags.member.${i}.Value`] = 'v'; }
    return params;
  };
  const r = await signedPost(tagged(51));
  assert.equal(r.status, 400);
  assert.equal(errorCode(r), 'ValidationError');
  assert.equal(message(r), "1 validation error detected: Value '[51 items]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
  const many = await signedPost(tagged(10_000));
  assert.equal(many.status, 400);
  assert.equal(errorCode(many), 'InvalidQueryParameter');
  const e = await rejects(iam(node).send(new I.GetUserCommand({ UserName: 'limits-tagged' })));
  assert.equal(e.name, 'NoSuchEntityException');
});

test('a NUL in a string member is a ValidationError (400) on this store, through the SDK and raw', async () => {
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
  // policyDescriptionType has no pattern in the model: the NUL used to reach the database.
  const e = await rejects(iam(node).send(new I.CreatePolicyCommand({ PolicyName: 'nul-desc', PolicyDocument: doc, Description: 'before\u0000after' })));
  assert.equal(e.name, 'ValidationError');
  assert.equal(e.$metadata.httpStatusCode, 400);
  assert.match(e.message, /at 'description' failed to satisfy constraint: Member must not contain control characters other than tab, line feed and carriage return/);
  const listed = await iam(node).send(new I.ListPoliciesCommand({ Scope: 'Local' }));
  assert.ok(!listed.Policies!.some((p) => p.PolicyName === 'nul-desc'));

  const raw = await signedPost({ Action: 'TagUser', UserName: 'admin', 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'a\u0000b' });
  assert.equal(raw.status, 400, raw.text);
  assert.equal(errorCode(raw), 'ValidationError');
  assert.match(message(raw)!, /Value 'a\\u0000b' at 'tags.1.member.value'/);
  const roleDesc = await signedPost({ Action: 'CreateRole', RoleName: 'nul-role', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}', Description: 'x\u0000' });
  assert.equal(roleDesc.status, 400, roleDesc.text);
  assert.equal(errorCode(roleDesc), 'ValidationError');
});
