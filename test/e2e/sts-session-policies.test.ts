// Session policies on AssumeRole (Policy, PolicyArns) as AWS documents them: the session may do what both the
// role's policies and the session policies allow; an explicit Deny in a session policy denies; a session policy
// never grants more; managed session policies follow their default version; chained sessions start without them;
// AWS's limits and errors; PackedPolicySize. Also on two nodes: the session policies live with the session row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AssumeRoleCommandInput, Credentials } from '@aws-sdk/client-sts';
import { startGatehouse, startTwoNodes, MULTINODE_SKIP } from '../helpers/server.js';
import { iam, sts, rejects, awsCli, NO_AWS_CLI, boto3, NO_BOTO3, keyCreds } from '../helpers/clients.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */
type SdkError = Error & { $metadata: { httpStatusCode?: number }; Error?: { Code?: string } };
const failure = async (call: Promise<unknown>): Promise<SdkError> => (await rejects(call)) as SdkError; // an SDK call rejects with the SDK's error
import type { Credentials as Creds } from '../helpers/server.js';

let node: Node;
let admin: I.IAMClient;
let acct: string;
let taker: Creds;
before(async () => {
  node = await startGatehouse();
  admin = iam(node);
  acct = node.accountId;
  taker = await assumer(node, 'policy-taker');
});
after(async () => { await node?.stop(); });

function doc(statements: object[]): string { return JSON.stringify({ Version: '2012-10-17', Statement: statements }); }
/** A session's keys from an STS answer (the SDK types every output member as optional). */
function sessionCreds(c: Credentials | undefined): Creds {
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken, 'the call returned credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

async function assumer(n: Node, name: string): Promise<Creds> {
  const a = iam(n);
  await a.send(new I.CreateUserCommand({ UserName: name }));
  await a.send(new I.PutUserPolicyCommand({ UserName: name, PolicyName: 'sts', PolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }]) }));
  const { AccessKey } = await a.send(new I.CreateAccessKeyCommand({ UserName: name }));
  return keyCreds(AccessKey);
}

async function role(n: Node, name: string, permissions: object[], trustPrincipal: string = n.accountId): Promise<string> {
  const r = await iam(n).send(new I.CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: trustPrincipal }, Action: 'sts:AssumeRole' }]) }));
  await iam(n).send(new I.PutRolePolicyCommand({ RoleName: name, PolicyName: 'p', PolicyDocument: doc(permissions) }));
  return r.Role!.Arn!;
}

const ALL_IAM = [{ Effect: 'Allow', Action: ['iam:*', 'sts:AssumeRole'], Resource: '*' }];

async function denied(promise: Promise<unknown>, message: string): Promise<void> {
  const e = await failure(promise);
  assert.equal(e.name, 'AccessDenied');
  assert.equal(e.$metadata.httpStatusCode, 403);
  assert.equal(e.message, message);
}
const sessionArn = (roleName: string, s: string): string => `arn:aws:sts::${acct}:assumed-role/${roleName}/${s}`;

test('inline session policy: the intersection with the role, its own denial messages, an explicit Deny in it', async () => {
  const arn = await role(node, 'Broad', ALL_IAM);
  const r = await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'narrow', Policy: doc([
    { Effect: 'Allow', Action: ['iam:ListUsers', 'iam:ListRoles'], Resource: '*' },
    { Effect: 'Deny', Action: 'iam:ListRoles', Resource: '*' },
  ]) }));
  assert.ok(Number.isInteger(r.PackedPolicySize) && r.PackedPolicySize! > 0 && r.PackedPolicySize! <= 100, String(r.PackedPolicySize));
  const c = iam(node, sessionCreds(r.Credentials));
  await c.send(new I.ListUsersCommand({}));
  await denied(c.send(new I.ListGroupsCommand({})), `User: ${sessionArn('Broad', 'narrow')} is not authorized to perform: iam:ListGroups on resource: * because no session policy allows the iam:ListGroups action`);
  await denied(c.send(new I.ListRolesCommand({})), `User: ${sessionArn('Broad', 'narrow')} is not authorized to perform: iam:ListRoles on resource: * with an explicit deny in a session policy`);
  // The same role without a session policy may do all of it.
  const full = await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'full' }));
  await iam(node, sessionCreds(full.Credentials)).send(new I.ListGroupsCommand({}));
});

test('a session policy never grants more than the role allows', async () => {
  const arn = await role(node, 'OnlyUsers', [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]);
  const r = await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'greedy', Policy: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) }));
  const c = iam(node, sessionCreds(r.Credentials));
  await c.send(new I.ListUsersCommand({}));
  await denied(c.send(new I.ListGroupsCommand({})), `User: ${sessionArn('OnlyUsers', 'greedy')} is not authorized to perform: iam:ListGroups on resource: * because no identity-based policy allows the iam:ListGroups action`);
});

test('managed session policies (PolicyArns): AWS managed and customer managed, following the default version', async () => {
  const arn = await role(node, 'BroadManaged', ALL_IAM);
  const Policy = (await admin.send(new I.CreatePolicyCommand({ PolicyName: 'SessionScope', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*' }]) }))).Policy!;
  const r = await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'managed', PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }, { arn: Policy.Arn }] }));
  const c = iam(node, sessionCreds(r.Credentials));
  await c.send(new I.ListUsersCommand({}));
  await denied(c.send(new I.CreateUserCommand({ UserName: 'not-by-session' })), `User: ${sessionArn('BroadManaged', 'managed')} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${acct}:user/not-by-session because no session policy allows the iam:CreateUser action`);
  // A new default version of a managed session policy applies to the live session at once.
  const only = await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'only-custom', PolicyArns: [{ arn: Policy.Arn }] }));
  const oc = iam(node, sessionCreds(only.Credentials));
  await oc.send(new I.ListGroupsCommand({}));
  await admin.send(new I.CreatePolicyVersionCommand({ PolicyArn: Policy.Arn, SetAsDefault: true, PolicyDocument: doc([{ Effect: 'Deny', Action: 'iam:ListGroups', Resource: '*' }, { Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }]) }));
  await denied(oc.send(new I.ListGroupsCommand({})), `User: ${sessionArn('BroadManaged', 'only-custom')} is not authorized to perform: iam:ListGroups on resource: * with an explicit deny in a session policy`);
  await oc.send(new I.ListRolesCommand({}));
});

test('chained sessions start without the session policies of the session that assumed them', async () => {
  const first = await role(node, 'ChainPolicy1', ALL_IAM);
  const second = await role(node, 'ChainPolicy2', ALL_IAM, first);
  const s1 = await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: first, RoleSessionName: 'p1', Policy: doc([{ Effect: 'Allow', Action: ['sts:AssumeRole', 'iam:ListUsers'], Resource: '*' }]) }));
  await failure(iam(node, sessionCreds(s1.Credentials)).send(new I.ListGroupsCommand({})));
  const s2 = await sts(node, sessionCreds(s1.Credentials)).send(new AssumeRoleCommand({ RoleArn: second, RoleSessionName: 'p2' }));
  await iam(node, sessionCreds(s2.Credentials)).send(new I.ListGroupsCommand({}));
  // But the first session's policy does limit its own AssumeRole calls.
  const s1b = await sts(node, taker).send(new AssumeRoleCommand({ RoleArn: first, RoleSessionName: 'p1b', Policy: doc([{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]) }));
  const e = await failure(sts(node, sessionCreds(s1b.Credentials)).send(new AssumeRoleCommand({ RoleArn: second, RoleSessionName: 'p2b' })));
  assert.equal(e.name, 'AccessDenied');
});

test("AWS's limits and errors: 2,048 characters, 10 ARNs, malformed documents, unknown policies", async () => {
  const arn = await role(node, 'PolicyLimits', ALL_IAM);
  const expect = async (input: Partial<AssumeRoleCommandInput>, code: string, status: number, message?: RegExp) => {
    const e = await failure(sts(node, taker).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'limits', ...input })));
    assert.equal(e.Error?.Code, code);
    assert.equal(e.$metadata.httpStatusCode, status);
    if (message) assert.match(e.message, message);
  };
  const long = doc([{ Sid: 'x'.repeat(2100), Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]);
  await expect({ Policy: long }, 'ValidationError', 400, /at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048$/);
  await expect({ Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers"}]}' }, 'MalformedPolicyDocument', 400);
  await expect({ Policy: 'not json' }, 'MalformedPolicyDocument', 400);
  const eleven = Array.from({ length: 11 }, (_, i) => ({ arn: `arn:aws:iam::${acct}:policy/p${i}` }));
  await expect({ PolicyArns: eleven }, 'ValidationError', 400, /Member must have length less than or equal to 10$/);
  await expect({ PolicyArns: [{ arn: `arn:aws:iam::${acct}:policy/DoesNotExist` }] }, 'InvalidParameterValue', 400, /DoesNotExist does not exist/);
  await expect({ PolicyArns: [{ arn: `arn:aws:iam::${acct}:role/NotAPolicy` }] }, 'InvalidParameterValue', 400);
});

test('boto3 and the aws CLI pass session policies the same way', async (t) => {
  const arn = await role(node, 'ClientsPolicy', ALL_IAM);
  const policy = doc([{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]);
  if (!NO_BOTO3) {
    const r = (await boto3(node, `
res = {}
c = sts.assume_role(RoleArn=${JSON.stringify(arn)}, RoleSessionName='py', Policy=${JSON.stringify(policy)}, PolicyArns=[{'arn': 'arn:aws:iam::aws:policy/IAMUserChangePassword'}])
res['packed'] = c['PackedPolicySize']
s = boto3.client('iam', endpoint_url=${JSON.stringify(node.endpoint)}, region_name='us-east-1', config=cfg, aws_access_key_id=c['Credentials']['AccessKeyId'], aws_secret_access_key=c['Credentials']['SecretAccessKey'], aws_session_token=c['Credentials']['SessionToken'])
res['users'] = len(s.list_users()['Users']) > 0
try:
    s.list_groups()
except botocore.exceptions.ClientError as e:
    res['groups'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
out(res)`, taker)) as { packed: unknown; users: unknown; groups: unknown }; // the script's JSON output
    assert.equal(typeof r.packed, 'number');
    assert.deepEqual({ users: r.users, groups: r.groups }, { users: true, groups: ['AccessDenied', 403] });
  } else t.diagnostic(NO_BOTO3);
  if (!NO_AWS_CLI) {
    const r = await awsCli(node, ['sts', 'assume-role', '--role-arn', arn, '--role-session-name', 'cli', '--policy', policy], taker);
    assert.ok(r.ok, r.stderr);
    const c = (r.json as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }).Credentials; // parsed CLI output
    const s = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
    const groups = await awsCli(node, ['iam', 'list-groups'], s);
    assert.match(groups.stderr, /\(AccessDenied\).*because no session policy allows the iam:ListGroups action/);
  } else t.diagnostic(NO_AWS_CLI);
});

test('two nodes: a session issued with a session policy on one node is limited by it on the other', { skip: MULTINODE_SKIP }, async () => {
  const nodes = await startTwoNodes();
  try {
    const { a, b } = nodes;
    const creds = await assumer(a, 'two-node-taker');
    const arn = await role(a, 'TwoNodePolicy', ALL_IAM);
    const r = await sts(a, creds).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'ab', Policy: doc([{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]) }));
    const onB = iam(b, sessionCreds(r.Credentials));
    await onB.send(new I.ListUsersCommand({}));
    const e = await failure(onB.send(new I.ListGroupsCommand({})));
    assert.equal(e.name, 'AccessDenied');
    assert.match(e.message, /because no session policy allows the iam:ListGroups action$/);
  } finally {
    await nodes.stop();
  }
});
