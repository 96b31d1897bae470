// Session tags on AssumeRole as AWS implements them: sts:TagSession in the trust policy, aws:PrincipalTag from the
// session tags (overriding the role's tags of the same key), transitive tags through role chains, AWS's limits
// and errors, PackedPolicySize; and SourceIdentity (sts:SetSourceIdentity, aws:SourceIdentity, kept through a
// chain and never changed). Real clients: SDK v3, the aws CLI, boto3.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AssumeRoleCommandInput, Credentials } from '@aws-sdk/client-sts';
import { startGatehouse } from '../helpers/server.js';
import { iam, sts, rejects, awsCli, NO_AWS_CLI, boto3, NO_BOTO3, keyCreds } from '../helpers/clients.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */
type SdkError = Error & { $metadata: { httpStatusCode?: number }; Error?: { Code?: string } };
const failure = async (call: Promise<unknown>): Promise<SdkError> => (await rejects(call)) as SdkError; // an SDK call rejects with the SDK's error
import type { Credentials as Creds } from '../helpers/server.js';

let node: Node;
let admin: I.IAMClient;
let acct: string;
let taker: Creds; // an IAM user allowed sts:AssumeRole, sts:TagSession and sts:SetSourceIdentity on every role
before(async () => {
  node = await startGatehouse();
  admin = iam(node);
  acct = node.accountId;
  await admin.send(new I.CreateUserCommand({ UserName: 'taker' }));
  await admin.send(new I.PutUserPolicyCommand({ UserName: 'taker', PolicyName: 'sts', PolicyDocument: doc([{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], Resource: '*' }]) }));
  const { AccessKey } = await admin.send(new I.CreateAccessKeyCommand({ UserName: 'taker' }));
  taker = keyCreds(AccessKey);
});
after(async () => { await node?.stop(); });

function doc(statements: object[]): string { return JSON.stringify({ Version: '2012-10-17', Statement: statements }); }
/** A session's keys from an STS answer (the SDK types every output member as optional). */
function sessionCreds(c: Credentials | undefined): Creds {
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken, 'the call returned credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}
const trustAccount = (actions: string | string[], extra: object = {}) => ({ Effect: 'Allow', Principal: { AWS: acct }, Action: actions, ...extra });

async function role(name: string, trustStatements: object[], permissions?: object[], tags?: I.Tag[]): Promise<string> {
  const r = await admin.send(new I.CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: doc(trustStatements), ...(tags ? { Tags: tags } : {}) }));
  if (permissions) await admin.send(new I.PutRolePolicyCommand({ RoleName: name, PolicyName: 'p', PolicyDocument: doc(permissions) }));
  return r.Role!.Arn!;
}

/** Which of ListUsers, ListGroups, ListRoles the session may call. */
async function allowedLists(creds: Creds): Promise<string[]> {
  const c = iam(node, creds);
  const out: string[] = [];
  const calls: [string, () => Promise<unknown>][] = [['ListUsers', () => c.send(new I.ListUsersCommand({}))], ['ListGroups', () => c.send(new I.ListGroupsCommand({}))], ['ListRoles', () => c.send(new I.ListRolesCommand({}))]];
  for (const [name, call] of calls) {
    try { await call(); out.push(name); } catch (caught) { const e = caught as SdkError; /* an SDK call rejects with the SDK's error */ assert.equal(e.name, 'AccessDenied', e.message); }
  }
  return out;
}

// A role whose permissions test the principal's tags: team=blue → ListUsers, env=prod → ListGroups, cost present → ListRoles.
const TAG_PROBES = [
  { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } } },
  { Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/env': 'prod' } } },
  { Effect: 'Allow', Action: ['iam:ListRoles', 'sts:AssumeRole', 'sts:TagSession'], Resource: '*', Condition: { Null: { 'aws:PrincipalTag/cost': 'false' } } },
];

test('session tags become aws:PrincipalTag and override the role tag of the same key, whatever its case', async () => {
  const arn = await role('Tagged', [trustAccount(['sts:AssumeRole', 'sts:TagSession'])], TAG_PROBES, [{ Key: 'TEAM', Value: 'red' }, { Key: 'env', Value: 'prod' }]);
  const plain = await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'plain' }));
  assert.equal(plain.PackedPolicySize, undefined, 'no tags or policies: no PackedPolicySize');
  assert.deepEqual(await allowedLists(sessionCreds(plain.Credentials)), ['ListGroups'], 'role tags only: team=red, env=prod');
  const tagged = await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'tagged', Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'cost', Value: '42' }] }));
  assert.ok(Number.isInteger(tagged.PackedPolicySize) && tagged.PackedPolicySize! >= 1 && tagged.PackedPolicySize! <= 100, String(tagged.PackedPolicySize));
  assert.deepEqual(await allowedLists(sessionCreds(tagged.Credentials)), ['ListUsers', 'ListGroups', 'ListRoles']);
});

test('passing session tags needs sts:TagSession in the trust policy and in the caller\'s policies; the trust policy sees aws:RequestTag, aws:TagKeys, sts:TransitiveTagKeys', async () => {
  const noTag = await role('NoTagSession', [trustAccount('sts:AssumeRole')]);
  await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: noTag, RoleSessionName: 'untagged' }));
  const e = await failure(sts(node, taker).send(new AssumeRoleCommand({ RoleArn: noTag, RoleSessionName: 'tagged', Tags: [{ Key: 'team', Value: 'blue' }] })));
  assert.equal(e.name, 'AccessDenied');
  assert.equal(e.$metadata.httpStatusCode, 403);
  assert.equal(e.message, `User: arn:aws:iam::${acct}:user/taker is not authorized to perform: sts:TagSession on resource: ${noTag}`);

  // AWS's example trust policy (id_session-tags): required tags, allowed values, a bounded set of transitive keys.
  const guarded = await role('GuardedTags', [
    trustAccount('sts:AssumeRole', { Condition: { StringLike: { 'aws:RequestTag/Project': '*', 'aws:RequestTag/CostCenter': '*' } } }),
    trustAccount('sts:TagSession', { Condition: { StringEquals: { 'aws:RequestTag/Department': ['Engineering', 'Marketing'] }, 'ForAllValues:StringEquals': { 'sts:TransitiveTagKeys': ['Project', 'Department'] } } }),
  ]);
  const tags = (dept: string): I.Tag[] => [{ Key: 'Project', Value: 'Automation' }, { Key: 'CostCenter', Value: '12345' }, { Key: 'Department', Value: dept }];
  await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: guarded, RoleSessionName: 'ok', Tags: tags('Engineering'), TransitiveTagKeys: ['Project', 'Department'] }));
  const cases: [string, Partial<AssumeRoleCommandInput>][] = [
    ['a value the trust policy does not allow', { Tags: tags('Sales') }],
    ['a transitive key outside the allowed set', { Tags: tags('Engineering'), TransitiveTagKeys: ['CostCenter'] }],
    ['a required tag missing', { Tags: tags('Engineering').slice(1) }],
  ];
  for (const [why, input] of cases) {
    const d = await failure(sts(node, taker).send(new AssumeRoleCommand({ RoleArn: guarded, RoleSessionName: 'no', ...input })));
    assert.equal(d.name, 'AccessDenied', why);
  }

  // The caller's own policies: an explicit Deny on sts:TagSession wins over the trust policy.
  await admin.send(new I.CreateUserCommand({ UserName: 'no-tagging' }));
  await admin.send(new I.PutUserPolicyCommand({ UserName: 'no-tagging', PolicyName: 'p', PolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:*', Resource: '*' }, { Effect: 'Deny', Action: 'sts:TagSession', Resource: '*' }]) }));
  const { AccessKey } = await admin.send(new I.CreateAccessKeyCommand({ UserName: 'no-tagging' }));
  const other = keyCreds(AccessKey);
  const tagOk = await role('TagOk', [trustAccount(['sts:AssumeRole', 'sts:TagSession'])]);
  await sts(node, other).send(new AssumeRoleCommand({ RoleArn: tagOk, RoleSessionName: 'untagged' }));
  const denied = await failure(sts(node, other).send(new AssumeRoleCommand({ RoleArn: tagOk, RoleSessionName: 'tagged', Tags: [{ Key: 'a', Value: 'b' }] })));
  assert.equal(denied.name, 'AccessDenied');
  assert.match(denied.message, /sts:TagSession/);
});

test("AWS's limits and errors: duplicate keys, transitive keys not passed, 50 tags, key and value length, packed size", async () => {
  const arn = await role('Limits', [trustAccount(['sts:AssumeRole', 'sts:TagSession'])]);
  const call = (input: Partial<AssumeRoleCommandInput>) => failure(sts(node, taker).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'limits', ...input })));
  const expect = async (input: Partial<AssumeRoleCommandInput>, code: string, status: number, message?: RegExp) => {
    const e = await call(input);
    // The SDK names modeled errors with an Exception suffix; the wire code is in e.Error.Code.
    assert.equal(e.Error?.Code, code, JSON.stringify(input).slice(0, 80));
    assert.equal(e.$metadata.httpStatusCode, status);
    if (message) assert.match(e.message, message);
  };
  await expect({ Tags: [{ Key: 'Team', Value: 'a' }, { Key: 'team', Value: 'b' }] }, 'InvalidParameterValue', 400, /^Duplicate tag keys found\. Please note that Tag keys are case insensitive\.$/);
  await expect({ Tags: [{ Key: 'team', Value: 'a' }], TransitiveTagKeys: ['project'] }, 'InvalidParameterValue', 400, /^The specified transitive tag key must be included in the requested tags\.$/);
  await expect({ TransitiveTagKeys: ['team'] }, 'InvalidParameterValue', 400);
  await expect({ Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }, 'ValidationError', 400, /Member must have length less than or equal to 50/);
  await expect({ Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] }, 'ValidationError', 400, /Member must have length less than or equal to 128/);
  await expect({ Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] }, 'ValidationError', 400, /Member must have length less than or equal to 256/);
  // 50 tags within the per-tag limits but too large together once packed.
  const big = Array.from({ length: 50 }, (_, i) => ({ Key: `key-${String(i).padStart(3, '0')}-${'k'.repeat(100)}`, Value: 'v'.repeat(256) }));
  await expect({ Tags: big }, 'PackedPolicyTooLarge', 400, /^Packed size of session tags consumes \d+% of allotted space\.$/);
  // 50 small tags fit.
  const small = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  const ok = await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'small', Tags: small }));
  assert.ok(ok.PackedPolicySize! > 0 && ok.PackedPolicySize! <= 100);
});

test('role chaining: transitive tags persist, others do not; a chained session cannot override a transitive tag', async () => {
  const first = await role('ChainTags1', [trustAccount(['sts:AssumeRole', 'sts:TagSession'])], TAG_PROBES);
  const second = await role('ChainTags2', [{ Effect: 'Allow', Principal: { AWS: first }, Action: ['sts:AssumeRole', 'sts:TagSession'] }], TAG_PROBES);
  const third = await role('ChainTags3', [{ Effect: 'Allow', Principal: { AWS: second }, Action: ['sts:AssumeRole', 'sts:TagSession'] }], TAG_PROBES, [{ Key: 'team', Value: 'red' }]);
  const s1 = await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: first, RoleSessionName: 's1', Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'cost', Value: '7' }, { Key: 'env', Value: 'prod' }], TransitiveTagKeys: ['team', 'env'] }));
  assert.deepEqual(await allowedLists(sessionCreds(s1.Credentials)), ['ListUsers', 'ListGroups', 'ListRoles']);
  // The first session passes nothing more: the second session has team and env (transitive), not cost.
  const s2 = await sts(node, sessionCreds(s1.Credentials)).send(new AssumeRoleCommand({ RoleArn: second, RoleSessionName: 's2' }));
  assert.equal(s2.PackedPolicySize! > 0, true, 'inherited transitive tags are packed too');
  assert.deepEqual(await allowedLists(sessionCreds(s2.Credentials)), ['ListUsers', 'ListGroups']);
  // Overriding a transitive tag, in any case: AWS's error.
  for (const key of ['team', 'TEAM']) {
    const e = await failure(sts(node, sessionCreds(s2.Credentials)).send(new AssumeRoleCommand({ RoleArn: third, RoleSessionName: 's3', Tags: [{ Key: key, Value: 'green' }] })));
    assert.equal(e.name, 'InvalidParameterValue');
    assert.equal(e.$metadata.httpStatusCode, 400);
    assert.equal(e.message, "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.");
  }
  // The second session needs the cost tag to assume further (TAG_PROBES); give the third role a trust that needs nothing.
  await admin.send(new I.PutRolePolicyCommand({ RoleName: 'ChainTags2', PolicyName: 'assume', PolicyDocument: doc([{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }]) }));
  const s3 = await sts(node, sessionCreds(s2.Credentials)).send(new AssumeRoleCommand({ RoleArn: third, RoleSessionName: 's3', Tags: [{ Key: 'cost', Value: '1' }] }));
  // team=blue (transitive) overrides the third role's team=red; env persists; cost passed again.
  assert.deepEqual(await allowedLists(sessionCreds(s3.Credentials)), ['ListUsers', 'ListGroups', 'ListRoles']);
});

test('aws CLI --tags/--transitive-tag-keys and boto3 Tags: the same rules from other clients', async (t) => {
  const arn = await role('CliTags', [trustAccount(['sts:AssumeRole', 'sts:TagSession'])], TAG_PROBES);
  if (!NO_AWS_CLI) {
    const r = await awsCli(node, ['sts', 'assume-role', '--role-arn', arn, '--role-session-name', 'cli', '--tags', 'Key=team,Value=blue', 'Key=env,Value=prod', '--transitive-tag-keys', 'team'], taker);
    assert.ok(r.ok, r.stderr);
    const json = r.json as { PackedPolicySize: unknown; Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }; // parsed CLI output
    assert.equal(typeof json.PackedPolicySize, 'number');
    const c = json.Credentials;
    assert.deepEqual(await allowedLists({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken }), ['ListUsers', 'ListGroups']);
    const dup = await awsCli(node, ['sts', 'assume-role', '--role-arn', arn, '--role-session-name', 'cli', '--tags', 'Key=a,Value=1', 'Key=A,Value=2'], taker);
    assert.match(dup.stderr, /An error occurred \(InvalidParameterValue\) when calling the AssumeRole operation.*Duplicate tag keys found/);
  } else t.diagnostic(NO_AWS_CLI);
  if (!NO_BOTO3) {
    const r = (await boto3(node, `
res = {}
ok = sts.assume_role(RoleArn=${JSON.stringify(arn)}, RoleSessionName='py', Tags=[{'Key': 'team', 'Value': 'blue'}], TransitiveTagKeys=['team'])
res['packed'] = ok['PackedPolicySize']
try:
    sts.assume_role(RoleArn=${JSON.stringify(arn)}, RoleSessionName='py', Tags=[{'Key': 'team', 'Value': 'blue'}], TransitiveTagKeys=['env'])
except botocore.exceptions.ClientError as e:
    res['error'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']]
out(res)`, taker)) as { packed: unknown; error: unknown }; // the script's JSON output
    assert.equal(typeof r.packed, 'number');
    assert.deepEqual(r.error, ['InvalidParameterValue', 400, 'The specified transitive tag key must be included in the requested tags.']);
  } else t.diagnostic(NO_BOTO3);
});

test('SourceIdentity: needs sts:SetSourceIdentity, becomes aws:SourceIdentity, persists through a chain and cannot change', async () => {
  const probe = [
    { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { StringEquals: { 'aws:SourceIdentity': 'taker' } } },
    { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Resource: '*' },
  ];
  const first = await role('SourceFirst', [
    trustAccount('sts:AssumeRole'),
    trustAccount('sts:SetSourceIdentity', { Condition: { StringEquals: { 'sts:SourceIdentity': '${aws:username}' } } }),
  ], probe);
  const r = await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: first, RoleSessionName: 'src', SourceIdentity: 'taker' }));
  assert.equal(r.SourceIdentity, 'taker');
  assert.deepEqual(await allowedLists(sessionCreds(r.Credentials)), ['ListUsers']);
  const other = await failure(sts(node, taker).send(new AssumeRoleCommand({ RoleArn: first, RoleSessionName: 'src', SourceIdentity: 'someone-else' })));
  assert.equal(other.name, 'AccessDenied');
  assert.match(other.message, /sts:SetSourceIdentity/);
  const noTrust = await role('SourceNoTrust', [trustAccount('sts:AssumeRole')]);
  const refused = await failure(sts(node, taker).send(new AssumeRoleCommand({ RoleArn: noTrust, RoleSessionName: 'src', SourceIdentity: 'taker' })));
  assert.equal(refused.name, 'AccessDenied');

  // Chained: the source identity is carried into the next role, which must allow sts:SetSourceIdentity; it cannot change.
  const second = await role('SourceSecond', [{ Effect: 'Allow', Principal: { AWS: first }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }], probe);
  const chained = await sts(node, sessionCreds(r.Credentials)).send(new AssumeRoleCommand({ RoleArn: second, RoleSessionName: 'hop' }));
  assert.equal(chained.SourceIdentity, 'taker');
  assert.deepEqual(await allowedLists(sessionCreds(chained.Credentials)), ['ListUsers']);
  const changed = await failure(sts(node, sessionCreds(r.Credentials)).send(new AssumeRoleCommand({ RoleArn: second, RoleSessionName: 'hop', SourceIdentity: 'mallory' })));
  assert.equal(changed.name, 'AccessDenied');
  assert.equal(changed.$metadata.httpStatusCode, 403);
  const third = await role('SourceThird', [{ Effect: 'Allow', Principal: { AWS: first }, Action: 'sts:AssumeRole' }]);
  const carried = await failure(sts(node, sessionCreds(r.Credentials)).send(new AssumeRoleCommand({ RoleArn: third, RoleSessionName: 'hop' })));
  assert.equal(carried.name, 'AccessDenied', 'a role that does not allow sts:SetSourceIdentity cannot receive one');
  // The pattern of the model: no "aws:" prefix, 2–64 characters of [\w+=,.@-].
  const bad = await failure(sts(node, taker).send(new AssumeRoleCommand({ RoleArn: first, RoleSessionName: 'src', SourceIdentity: 'aws:x' })));
  assert.equal(bad.name, 'ValidationError');
});
