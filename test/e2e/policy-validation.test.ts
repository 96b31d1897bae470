// Policy documents at the wire: what IAM rejects when a document is written (MalformedPolicyDocument, or
// InvalidInput for the simulator's inputs), through the JS SDK, the aws CLI and boto3; and policy variables in
// ARN conditions deciding real requests end to end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects, awsCli, boto3, NO_AWS_CLI, NO_BOTO3 } from '../helpers/clients.js';
import { AWS_INVALID_POLICY_DOCUMENTS, AWS_VALID_POLICY_DOCUMENTS } from '../fixtures/aws-policy-validity.js';
import type { JsonValue } from '../fixtures/aws-policy-validity.js';
import * as I from '@aws-sdk/client-iam';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
interface Creds { accessKeyId: string; secretAccessKey: string }
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

let node: Node;
let client: I.IAMClient;
before(async () => {
  node = await startGatehouse();
  client = iam(node);
  await client.send(new I.CreateUserCommand({ UserName: 'target' }));
});
after(async () => { await node?.stop(); });

// Any IAM command through the admin's client (the SDK's send is overloaded per command; this keeps each output type).
type IamCommand<In extends I.ServiceInputTypes, Out extends I.ServiceOutputTypes> = I.$Command<In, Out, I.IAMClientResolvedConfig, I.ServiceInputTypes, I.ServiceOutputTypes>;
const send = <In extends I.ServiceInputTypes, Out extends I.ServiceOutputTypes>(cmd: IamCommand<In, Out>): Promise<Out> => client.send(cmd);

/** The AWS error of a call that must fail: its code (SDK exception name), HTTP status and message. */
async function failure<In extends I.ServiceInputTypes, Out extends I.ServiceOutputTypes>(cmd: IamCommand<In, Out>): Promise<{ name: string; status: number | undefined; message: string }> {
  const e = await rejects(send(cmd));
  return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
}

test('deeply nested JSON is MalformedPolicyDocument / InvalidInput, never a 500', async () => {
  const deep = '['.repeat(20000) + ']'.repeat(20000);
  const docs = [
    '['.repeat(20000),
    `{"Version":"2012-10-17","Statement":[{"Effect":${deep},"Action":"*","Resource":"*"}]}`,
    `{"Version":${deep},"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
  ];
  for (const d of docs) {
    assert.deepEqual(await failure(new I.PutUserPolicyCommand({ UserName: 'target', PolicyName: 'deep', PolicyDocument: d })),
      { name: 'MalformedPolicyDocumentException', status: 400, message: 'Syntax errors in policy.' });
    const sim = await failure(new I.SimulateCustomPolicyCommand({ PolicyInputList: [d], ActionNames: ['iam:GetUser'] }));
    assert.equal(sim.name, 'InvalidInputException');
    assert.equal(sim.status, 400);
    assert.match(sim.message, /^PolicyInputList\.1: Syntax errors in policy\./);
    const keys = await failure(new I.GetContextKeysForCustomPolicyCommand({ PolicyInputList: [d] }));
    assert.equal(keys.name, 'InvalidInputException');
    assert.equal(keys.status, 400);
  }
  // Under the managed-policy size quota (6,144), so the nesting is what gets rejected.
  const shallower = '['.repeat(3000) + ']'.repeat(3000);
  assert.deepEqual(await failure(new I.CreatePolicyCommand({ PolicyName: 'deep', PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":${shallower},"Action":"*","Resource":"*"}]}` })),
    { name: 'MalformedPolicyDocumentException', status: 400, message: 'Syntax errors in policy.' });
  const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":${deep}}}]}`;
  assert.deepEqual(await failure(new I.CreateRoleCommand({ RoleName: 'deep', AssumeRolePolicyDocument: trust })),
    { name: 'MalformedPolicyDocumentException', status: 400, message: 'Syntax errors in policy.' });
  // The server is still answering.
  assert.equal((await send(new I.GetUserCommand({ UserName: 'target' }))).User?.UserName, 'target');
});

async function userWithKey(name: string): Promise<Creds> {
  await send(new I.CreateUserCommand({ UserName: name }));
  const { AccessKey } = await send(new I.CreateAccessKeyCommand({ UserName: name }));
  assert.ok(AccessKey?.AccessKeyId && AccessKey.SecretAccessKey, 'CreateAccessKey returned a key');
  return { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
}

test('${aws:PrincipalAccount} before the fifth colon, in ArnLike/ArnNotLike and in Resource, decides real requests', async () => {
  const alice = await userWithKey('arn-alice');
  const bob = await userWithKey('arn-bob');
  const me = 'arn:aws:iam::${aws:PrincipalAccount}:user/arn-alice';
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'OnlyAliceLists', Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': me } } },
      { Sid: 'GroupsForAll', Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*' },
      { Sid: 'GroupsDeniedToOthers', Effect: 'Deny', Action: 'iam:ListGroups', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': me } } },
      { Sid: 'OwnUser', Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}' },
    ],
  });
  const { Policy } = await send(new I.CreatePolicyCommand({ PolicyName: 'ArnVariables', PolicyDocument: policy }));
  for (const u of ['arn-alice', 'arn-bob']) await send(new I.AttachUserPolicyCommand({ UserName: u, PolicyArn: Policy?.Arn }));

  const asAlice = iam(node, alice);
  const asBob = iam(node, bob);
  // ArnLike matches alice (it never matched anyone while the variable was split at its colon).
  assert.ok(((await asAlice.send(new I.ListUsersCommand({}))).Users ?? []).length >= 2);
  const listBob = await rejects(asBob.send(new I.ListUsersCommand({})));
  assert.equal(listBob.name, 'AccessDenied');
  assert.equal(listBob.$metadata.httpStatusCode, 403);
  // ArnNotLike is false for alice (it was true for everyone, so the Deny hit alice too).
  await asAlice.send(new I.ListGroupsCommand({}));
  const groupsBob = await rejects(asBob.send(new I.ListGroupsCommand({})));
  assert.equal(groupsBob.name, 'AccessDenied');
  assert.match(groupsBob.message, /with an explicit deny in an identity-based policy/);
  // Resource with the variable in the account segment.
  assert.equal((await asAlice.send(new I.GetUserCommand({ UserName: 'arn-alice' }))).User?.UserName, 'arn-alice');
  assert.equal((await asBob.send(new I.GetUserCommand({ UserName: 'arn-bob' }))).User?.UserName, 'arn-bob');
  const cross = await rejects(asBob.send(new I.GetUserCommand({ UserName: 'arn-alice' })));
  assert.equal(cross.name, 'AccessDenied');

  // The simulator agrees, and lists the variable among the context keys.
  const sim = async (user: string) => (await send(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${node.accountId}:user/${user}`, ActionNames: ['iam:ListUsers', 'iam:ListGroups'] }))).EvaluationResults?.map((r) => r.EvalDecision);
  assert.deepEqual(await sim('arn-alice'), ['allowed', 'allowed']);
  assert.deepEqual(await sim('arn-bob'), ['implicitDeny', 'explicitDeny']);
  const keys = await send(new I.GetContextKeysForCustomPolicyCommand({ PolicyInputList: [policy] }));
  assert.deepEqual(keys.ContextKeyNames, ['aws:PrincipalAccount', 'aws:PrincipalArn', 'aws:username']);
});

test('aws CLI: the ArnNotLike Deny with ${aws:PrincipalAccount} spares the named user only', { skip: NO_AWS_CLI }, async () => {
  const carol = await userWithKey('cli-carol');
  const dave = await userWithKey('cli-dave');
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*' },
      { Effect: 'Deny', Action: 'iam:ListGroups', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:user/cli-carol' } } },
    ],
  });
  for (const u of ['cli-carol', 'cli-dave']) await send(new I.PutUserPolicyCommand({ UserName: u, PolicyName: 'OnlyCarol', PolicyDocument: policy }));
  const ok = await awsCli(node, ['iam', 'list-groups'], carol);
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(Array.isArray((ok.json as { Groups?: unknown }).Groups)); // parsed CLI output
  const denied = await awsCli(node, ['iam', 'list-groups'], dave);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /\(AccessDenied\) when calling the ListGroups operation/);
});

const text = (d: JsonValue): string => (typeof d === 'string' ? d : JSON.stringify(d));
const malformed = (message: string) => ({ name: 'MalformedPolicyDocumentException', status: 400, message });

test("CreatePolicy answers IAM's recorded first error for 78 invalid documents and accepts 51 valid ones", async () => {
  for (const c of AWS_INVALID_POLICY_DOCUMENTS) {
    assert.deepEqual(await failure(new I.CreatePolicyCommand({ PolicyName: `bad-${c.id}`, PolicyDocument: text(c.doc) })), malformed(c.message), c.id);
  }
  for (const c of AWS_VALID_POLICY_DOCUMENTS) {
    const { Policy } = await send(new I.CreatePolicyCommand({ PolicyName: `ok-${c.id}`, PolicyDocument: text(c.doc) }));
    assert.equal(Policy?.DefaultVersionId, 'v1', c.id);
  }
});

test('Version: managed policies need 2012-10-17, inline and trust policies do not', async () => {
  const body = { Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] };
  const need = malformed('Policy document must be version 2012-10-17 or greater.');
  for (const doc of [body, { Version: '2008-10-17', ...body }]) {
    assert.deepEqual(await failure(new I.CreatePolicyCommand({ PolicyName: 'old', PolicyDocument: JSON.stringify(doc) })), need);
  }
  const { Policy } = await send(new I.CreatePolicyCommand({ PolicyName: 'current', PolicyDocument: JSON.stringify({ Version: '2012-10-17', ...body }) }));
  assert.deepEqual(await failure(new I.CreatePolicyVersionCommand({ PolicyArn: Policy?.Arn, PolicyDocument: JSON.stringify(body) })), need);
  // Inline policies: accepted without Version (the old language: no variables).
  await send(new I.PutUserPolicyCommand({ UserName: 'target', PolicyName: 'noversion', PolicyDocument: JSON.stringify(body) }));
  const got = await send(new I.GetUserPolicyCommand({ UserName: 'target', PolicyName: 'noversion' }));
  assert.deepEqual(JSON.parse(decodeURIComponent(got.PolicyDocument!)), body);
  // Trust policies too.
  const trust = { Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  await send(new I.CreateRoleCommand({ RoleName: 'old-trust', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  await send(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'old-trust', PolicyDocument: JSON.stringify({ Version: '2008-10-17', ...trust }) }));
});

test('ARN rules: region in IAM/S3 ARNs, IAM resource types, partitions; odd but well-formed documents accepted', async () => {
  const one = (extra: object): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', ...extra }] });
  const cases: [object, string][] = [
    [{ Resource: `arn:aws:iam:us-east-1:${node.accountId}:user/x` }, `IAM resource arn:aws:iam:us-east-1:${node.accountId}:user/x cannot contain region information.`],
    [{ Resource: `arn:aws:iam::${node.accountId}:person/x` }, 'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.'],
    [{ Resource: 'arn:aws:s3:eu-west-1::bucket' }, 'Resource arn:aws:s3:eu-west-1::bucket can not contain region information.'],
    [{ Resource: 'arn:awz:iam::*:user/x' }, 'Partition "awz" is not valid for resource "arn:awz:iam::*:user/x".'],
    [{ Resource: `arn:aws:iam::${node.accountId}` }, 'The policy failed legacy parsing'],
  ];
  for (const [extra, message] of cases) {
    assert.deepEqual(await failure(new I.PutUserPolicyCommand({ UserName: 'target', PolicyName: 'arn', PolicyDocument: one(extra) })), malformed(message), message);
  }
  // Accepted by IAM, refused by Gatehouse before: condition keys without a vendor, empty condition blocks
  // (also under an unknown operator name), empty value lists, actions with odd characters, short ARNs.
  const odd = JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: ['iam: asdf safdsf af ', 's3.s:ListBucket'], Resource: ['arn:aws:fdsasf', 'arn:aws:iam::*'], Condition: { StringEquals: { username: 'x' }, DateGreaterThan: {}, x: {}, NumericLessThan: { 'aws:MultiFactorAuthAge': [] } } },
  ] });
  await send(new I.PutUserPolicyCommand({ UserName: 'target', PolicyName: 'odd', PolicyDocument: odd }));
  await send(new I.CreatePolicyCommand({ PolicyName: 'odd', PolicyDocument: odd }));
});

test('malformed JSON: "Syntax errors in policy." for permissions policies, "This policy contains invalid Json" for trust policies', async () => {
  const broken = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": "*",}]}';
  assert.deepEqual(await failure(new I.CreatePolicyCommand({ PolicyName: 'broken', PolicyDocument: broken })), malformed('Syntax errors in policy.'));
  assert.deepEqual(await failure(new I.PutUserPolicyCommand({ UserName: 'target', PolicyName: 'broken', PolicyDocument: broken })), malformed('Syntax errors in policy.'));
  assert.deepEqual(await failure(new I.CreateRoleCommand({ RoleName: 'broken', AssumeRolePolicyDocument: broken })), malformed('This policy contains invalid Json'));
  await send(new I.CreateRoleCommand({ RoleName: 'trusty', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
  assert.deepEqual(await failure(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'trusty', PolicyDocument: 'not valid json' })), malformed('This policy contains invalid Json'));
  // The other recorded trust-policy answers.
  const trust = (extra: object): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', ...extra }] });
  assert.deepEqual(await failure(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'trusty', PolicyDocument: trust({ Action: 'sts:InvalidAction' }) })), malformed('AssumeRole policy may only specify STS AssumeRole actions.'));
  assert.deepEqual(await failure(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'trusty', PolicyDocument: trust({ Resource: 'arn:aws:s3:::example_bucket' }) })), malformed('Has prohibited field Resource'));
});

test('boto3: the recorded answers arrive as MalformedPolicyDocument with IAM\'s message', { skip: NO_BOTO3 }, async () => {
  const picks = ['invalid-1', 'invalid-13', 'invalid-21', 'invalid-35', 'invalid-55', 'invalid-64'].map((id) => AWS_INVALID_POLICY_DOCUMENTS.find((c) => c.id === id)!); // all six are in the fixture
  const out = await boto3(node, `
docs = ${JSON.stringify(picks.map((c) => text(c.doc)))}
res = []
for i, d in enumerate(docs):
    try:
        iam.create_policy(PolicyName='boto-%d' % i, PolicyDocument=d)
        res.append(None)
    except iam.exceptions.MalformedPolicyDocumentException as e:
        res.append([e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']])
out(res)
`);
  assert.deepEqual(out, picks.map((c) => ['MalformedPolicyDocument', 400, c.message]));
});

test('aws CLI: create-policy without Version is refused, put-user-policy without Version is accepted', { skip: NO_AWS_CLI }, async () => {
  const body = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
  const bad = await awsCli(node, ['iam', 'create-policy', '--policy-name', 'cli-old', '--policy-document', body]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /\(MalformedPolicyDocument\) when calling the CreatePolicy operation( \(reached max retries: \d+\))?: Policy document must be version 2012-10-17 or greater\./);
  const ok = await awsCli(node, ['iam', 'put-user-policy', '--user-name', 'target', '--policy-name', 'cli-old', '--policy-document', body]);
  assert.equal(ok.code, 0, ok.stderr);
});

test('condition values IAM cannot read are MalformedPolicyDocument when written (InvalidInput in the simulator)', async () => {
  const LEGACY = malformed('The policy failed legacy parsing');
  const withCondition = (Condition: object): string => JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: '*', Resource: '*', Condition },
  ] });
  const bad = [
    { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8x' } },
    { DateGreaterThan: { 'aws:CurrentTime': '2020-02-30T00:00:00Z' } },
    { NumericGreaterThanIfExists: { 'aws:MultiFactorAuthAge': 'an hour' } },
  ];
  for (const c of bad) {
    const d = withCondition(c);
    assert.deepEqual(await failure(new I.PutUserPolicyCommand({ UserName: 'target', PolicyName: 'values', PolicyDocument: d })), LEGACY, JSON.stringify(c));
    assert.deepEqual(await failure(new I.CreatePolicyCommand({ PolicyName: 'values', PolicyDocument: d })), LEGACY, JSON.stringify(c));
    const sim = await failure(new I.SimulateCustomPolicyCommand({ PolicyInputList: [d], ActionNames: ['iam:GetUser'] }));
    assert.equal(sim.name, 'InvalidInputException');
    assert.equal(sim.status, 400);
    assert.match(sim.message, /^PolicyInputList\.1: The policy failed legacy parsing/);
  }
  // Nothing was stored.
  const inline = await send(new I.ListUserPoliciesCommand({ UserName: 'target' }));
  assert.ok(!inline.PolicyNames?.includes('values'));
});

test('a request value the operator cannot read is decided fail-closed (simulator, string-typed context entry)', async () => {
  // A Deny for callers outside 10.0.0.0/8 next to an Allow for everything: an address that is no address
  // must not slip past the Deny.
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
  ] });
  const decide = async (value: string) => (await send(new I.SimulateCustomPolicyCommand({
    PolicyInputList: [policy], ActionNames: ['iam:GetUser'],
    ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: [value], ContextKeyType: 'string' }],
  }))).EvaluationResults?.[0]?.EvalDecision;
  assert.equal(await decide('10.1.2.3'), 'allowed');
  assert.equal(await decide('11.1.2.3'), 'explicitDeny');
  assert.equal(await decide('not-an-address'), 'explicitDeny');
});
