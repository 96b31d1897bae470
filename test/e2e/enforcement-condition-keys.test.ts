// Condition keys that depend on the action, its input and its resource, set as AWS's service authorization
// reference lists them: aws:RequestTag/*, aws:TagKeys, aws:ResourceTag/* (users, roles, policies, MFA devices),
// iam:ResourceTag/*, iam:PermissionsBoundary (requested and current), iam:PolicyARN, and for sts:AssumeRole the
// role's tags. Each is checked with a Deny (or a conditional Allow) that must fire, and one that must not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startGatehouse } from '../helpers/server.js';
import { iam, sts, rejects, awsCli, NO_AWS_CLI, boto3, NO_BOTO3 } from '../helpers/clients.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

let node: Node;
let admin: I.IAMClient;
let acct: string;
before(async () => { node = await startGatehouse(); admin = iam(node); acct = node.accountId; });
after(async () => { await node?.stop(); });

const doc = (statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function userWith(name: string, statements: object[]): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  await admin.send(new I.CreateUserCommand({ UserName: name }));
  await admin.send(new I.PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: doc(statements) }));
  const AccessKey = (await admin.send(new I.CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: AccessKey.AccessKeyId!, secretAccessKey: AccessKey.SecretAccessKey! };
}

async function explicitDeny(promise: Promise<unknown>, action: string, resource: string): Promise<void> {
  const e = await rejects(promise);
  assert.equal(e.name, 'AccessDenied');
  assert.equal(e.$metadata.httpStatusCode, 403);
  assert.match(e.message, new RegExp(`is not authorized to perform: ${action} on resource: ${resource.replace(/[/*]/g, '\\$&')} with an explicit deny in an identity-based policy$`));
}
async function implicitDeny(promise: Promise<unknown>, action: string): Promise<void> {
  const e = await rejects(promise);
  assert.equal(e.name, 'AccessDenied');
  assert.equal(e.$metadata.httpStatusCode, 403);
  assert.match(e.message, new RegExp(`because no identity-based policy allows the ${action} action$`));
}

test('aws:RequestTag/* and aws:TagKeys: on CreateUser, TagUser, UntagUser, CreateRole, CreatePolicy, CreateVirtualMFADevice', async () => {
  const creds = await userWith('tagger', [
    { Effect: 'Allow', Action: ['iam:CreateUser', 'iam:TagUser', 'iam:UntagUser', 'iam:CreateRole', 'iam:CreatePolicy', 'iam:CreateVirtualMFADevice', 'iam:TagMFADevice'], Resource: '*' },
    { Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'root' } } },
    { Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['privileged'] } } },
  ]);
  const c = iam(node, creds);
  await c.send(new I.CreateUserCommand({ UserName: 'tagged-ok', Tags: [{ Key: 'team', Value: 'dev' }] }));
  await explicitDeny(c.send(new I.CreateUserCommand({ UserName: 'tagged-root', Tags: [{ Key: 'team', Value: 'root' }] })), 'iam:CreateUser', `arn:aws:iam::${acct}:user/tagged-root`);
  await explicitDeny(c.send(new I.CreateUserCommand({ UserName: 'tagged-priv', Tags: [{ Key: 'privileged2', Value: 'y' }, { Key: 'privileged', Value: 'z' }] })), 'iam:CreateUser', `arn:aws:iam::${acct}:user/tagged-priv`);
  await explicitDeny(c.send(new I.TagUserCommand({ UserName: 'tagged-ok', Tags: [{ Key: 'team', Value: 'root' }] })), 'iam:TagUser', `arn:aws:iam::${acct}:user/tagged-ok`);
  await c.send(new I.TagUserCommand({ UserName: 'tagged-ok', Tags: [{ Key: 'team', Value: 'ops' }] }));
  await explicitDeny(c.send(new I.UntagUserCommand({ UserName: 'tagged-ok', TagKeys: ['other', 'privileged'] })), 'iam:UntagUser', `arn:aws:iam::${acct}:user/tagged-ok`);
  await c.send(new I.UntagUserCommand({ UserName: 'tagged-ok', TagKeys: ['team'] }));
  const trust = doc([{ Effect: 'Allow', Principal: { AWS: acct }, Action: 'sts:AssumeRole' }]);
  await explicitDeny(c.send(new I.CreateRoleCommand({ RoleName: 'TaggedRole', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'root' }] })), 'iam:CreateRole', `arn:aws:iam::${acct}:role/TaggedRole`);
  await explicitDeny(c.send(new I.CreatePolicyCommand({ PolicyName: 'TaggedPolicy', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }]), Tags: [{ Key: 'privileged', Value: '1' }] })), 'iam:CreatePolicy', `arn:aws:iam::${acct}:policy/TaggedPolicy`);
  await explicitDeny(c.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'tagged-dev', Tags: [{ Key: 'team', Value: 'root' }] })), 'iam:CreateVirtualMFADevice', `arn:aws:iam::${acct}:mfa/tagged-dev`);
  const dev = await c.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'tagged-dev2', Tags: [{ Key: 'team', Value: 'dev' }] }));
  await explicitDeny(c.send(new I.TagMFADeviceCommand({ SerialNumber: dev.VirtualMFADevice!.SerialNumber, Tags: [{ Key: 'privileged', Value: '1' }] })), 'iam:TagMFADevice', dev.VirtualMFADevice!.SerialNumber!);
  // No tags in the request: the key is absent, so the Denies do not apply.
  await c.send(new I.CreateUserCommand({ UserName: 'untagged' }));
});

test('aws CLI: a Deny on aws:RequestTag fires for create-user --tags', { skip: NO_AWS_CLI }, async () => {
  const creds = await userWith('cli-tagger', [
    { Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*' },
    { Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*', Condition: { StringLike: { 'aws:RequestTag/cost-center': '9*' } } },
  ]);
  const denied = await awsCli(node, ['iam', 'create-user', '--user-name', 'cli-tagged', '--tags', 'Key=cost-center,Value=900'], creds);
  assert.equal(denied.ok, false);
  assert.match(denied.stderr, /An error occurred \(AccessDenied\) when calling the CreateUser operation.*: User: .*iam:CreateUser on resource: arn:aws:iam::\d+:user\/cli-tagged with an explicit deny in an identity-based policy/);
  const ok = await awsCli(node, ['iam', 'create-user', '--user-name', 'cli-tagged', '--tags', 'Key=cost-center,Value=100'], creds);
  assert.ok(ok.ok, ok.stderr);
});

test('aws:ResourceTag/* and iam:ResourceTag/*: users (others and oneself), roles, policies, MFA devices', async () => {
  const creds = await userWith('guard', [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: ['iam:DeleteUser', 'iam:CreateAccessKey', 'iam:UpdateRole', 'iam:CreatePolicyVersion', 'iam:DeleteVirtualMFADevice'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/protected': 'true' } } },
    { Effect: 'Deny', Action: 'iam:TagRole', Resource: '*', Condition: { StringEquals: { 'iam:ResourceTag/owner': 'security' } } },
  ]);
  const c = iam(node, creds);
  await admin.send(new I.CreateUserCommand({ UserName: 'keep-me', Path: '/vip/', Tags: [{ Key: 'protected', Value: 'true' }] }));
  await admin.send(new I.CreateUserCommand({ UserName: 'drop-me', Tags: [{ Key: 'protected', Value: 'false' }] }));
  await explicitDeny(c.send(new I.DeleteUserCommand({ UserName: 'keep-me' })), 'iam:DeleteUser', `arn:aws:iam::${acct}:user/vip/keep-me`);
  await c.send(new I.DeleteUserCommand({ UserName: 'drop-me' }));
  // Tags change: the next request sees them.
  await admin.send(new I.UntagUserCommand({ UserName: 'keep-me', TagKeys: ['protected'] }));
  await c.send(new I.CreateAccessKeyCommand({ UserName: 'keep-me' }));
  // The caller's own user (no lookup: its tags come with the credential).
  await admin.send(new I.TagUserCommand({ UserName: 'guard', Tags: [{ Key: 'protected', Value: 'true' }] }));
  await explicitDeny(c.send(new I.CreateAccessKeyCommand({})), 'iam:CreateAccessKey', `arn:aws:iam::${acct}:user/guard`);

  const trust = doc([{ Effect: 'Allow', Principal: { AWS: acct }, Action: 'sts:AssumeRole' }]);
  await admin.send(new I.CreateRoleCommand({ RoleName: 'Vault', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'protected', Value: 'true' }, { Key: 'owner', Value: 'security' }] }));
  await admin.send(new I.CreateRoleCommand({ RoleName: 'Scratch', AssumeRolePolicyDocument: trust }));
  await explicitDeny(c.send(new I.UpdateRoleCommand({ RoleName: 'Vault', Description: 'x' })), 'iam:UpdateRole', `arn:aws:iam::${acct}:role/Vault`);
  await explicitDeny(c.send(new I.TagRoleCommand({ RoleName: 'Vault', Tags: [{ Key: 'a', Value: 'b' }] })), 'iam:TagRole', `arn:aws:iam::${acct}:role/Vault`);
  await c.send(new I.UpdateRoleCommand({ RoleName: 'Scratch', Description: 'x' }));
  await c.send(new I.TagRoleCommand({ RoleName: 'Scratch', Tags: [{ Key: 'a', Value: 'b' }] }));

  const Policy = (await admin.send(new I.CreatePolicyCommand({ PolicyName: 'Locked', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }]), Tags: [{ Key: 'protected', Value: 'true' }] }))).Policy!;
  await explicitDeny(c.send(new I.CreatePolicyVersionCommand({ PolicyArn: Policy.Arn, PolicyDocument: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) })), 'iam:CreatePolicyVersion', Policy.Arn!);
  await admin.send(new I.UntagPolicyCommand({ PolicyArn: Policy.Arn, TagKeys: ['protected'] }));
  await c.send(new I.CreatePolicyVersionCommand({ PolicyArn: Policy.Arn, PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]) }));

  const dev = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'kept-device', Tags: [{ Key: 'protected', Value: 'true' }] }));
  await explicitDeny(c.send(new I.DeleteVirtualMFADeviceCommand({ SerialNumber: dev.VirtualMFADevice!.SerialNumber })), 'iam:DeleteVirtualMFADevice', dev.VirtualMFADevice!.SerialNumber!);
  const other = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'spare-device' }));
  await c.send(new I.DeleteVirtualMFADeviceCommand({ SerialNumber: other.VirtualMFADevice!.SerialNumber }));
});

test('iam:PermissionsBoundary: the boundary a request sets, and the one the target has', async () => {
  const boundary = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
  const creds = await userWith('delegate', [
    { Effect: 'Allow', Action: ['iam:CreateUser', 'iam:PutUserPolicy', 'iam:PutUserPermissionsBoundary', 'iam:DeleteUserPermissionsBoundary', 'iam:AttachUserPolicy'], Resource: '*', Condition: { StringEquals: { 'iam:PermissionsBoundary': boundary } } },
    { Effect: 'Deny', Action: 'iam:DeleteUserPermissionsBoundary', Resource: '*', Condition: { StringEquals: { 'iam:PermissionsBoundary': boundary } } },
  ]);
  const c = iam(node, creds);
  await implicitDeny(c.send(new I.CreateUserCommand({ UserName: 'unbounded' })), 'iam:CreateUser');
  await implicitDeny(c.send(new I.CreateUserCommand({ UserName: 'other-bound', PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })), 'iam:CreateUser');
  await c.send(new I.CreateUserCommand({ UserName: 'bounded', PermissionsBoundary: boundary }));
  // Existing users: the key is the target's current boundary.
  await c.send(new I.PutUserPolicyCommand({ UserName: 'bounded', PolicyName: 'x', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }]) }));
  await admin.send(new I.CreateUserCommand({ UserName: 'free' }));
  await implicitDeny(c.send(new I.PutUserPolicyCommand({ UserName: 'free', PolicyName: 'x', PolicyDocument: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) })), 'iam:PutUserPolicy');
  await explicitDeny(c.send(new I.DeleteUserPermissionsBoundaryCommand({ UserName: 'bounded' })), 'iam:DeleteUserPermissionsBoundary', `arn:aws:iam::${acct}:user/bounded`);
  await c.send(new I.PutUserPermissionsBoundaryCommand({ UserName: 'free', PermissionsBoundary: boundary }));
  await c.send(new I.AttachUserPolicyCommand({ UserName: 'free', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
});

test('iam:PolicyARN: a user allowed to attach only one managed policy', async () => {
  const creds = await userWith('attacher', [
    { Effect: 'Allow', Action: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy', 'iam:AttachRolePolicy', 'iam:AttachGroupPolicy'], Resource: '*', Condition: { ArnEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' } } },
  ]);
  await admin.send(new I.CreateUserCommand({ UserName: 'attach-target' }));
  await admin.send(new I.CreateGroupCommand({ GroupName: 'AttachGroup' }));
  if (NO_BOTO3) {
    const c = iam(node, creds);
    await c.send(new I.AttachUserPolicyCommand({ UserName: 'attach-target', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await implicitDeny(c.send(new I.AttachUserPolicyCommand({ UserName: 'attach-target', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })), 'iam:AttachUserPolicy');
    return;
  }
  const r = await boto3(node, `
res = {}
for arn in ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AdministratorAccess']:
    try:
        iam.attach_user_policy(UserName='attach-target', PolicyArn=arn)
        res[arn.split('/')[-1]] = 'ok'
    except botocore.exceptions.ClientError as e:
        res[arn.split('/')[-1]] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
try:
    iam.attach_group_policy(GroupName='AttachGroup', PolicyArn='arn:aws:iam::aws:policy/IAMFullAccess')
    res['group'] = 'ok'
except botocore.exceptions.ClientError as e:
    res['group'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
out(res)`, creds);
  assert.deepEqual(r, { ReadOnlyAccess: 'ok', AdministratorAccess: ['AccessDenied', 403], group: ['AccessDenied', 403] });
});

test("sts:AssumeRole: the role's tags are aws:ResourceTag/* and iam:ResourceTag/* (ABAC on the role)", async () => {
  const creds = await userWith('abac', [
    { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } },
  ]);
  await admin.send(new I.TagUserCommand({ UserName: 'abac', Tags: [{ Key: 'team', Value: 'blue' }] }));
  const trust = doc([{ Effect: 'Allow', Principal: { AWS: acct }, Action: 'sts:AssumeRole', Condition: { StringNotEquals: { 'iam:ResourceTag/frozen': 'yes' } } }]);
  const blue = await admin.send(new I.CreateRoleCommand({ RoleName: 'BlueRole', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'blue' }] }));
  const red = await admin.send(new I.CreateRoleCommand({ RoleName: 'RedRole', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'red' }] }));
  const ok = await sts(node, creds).send(new AssumeRoleCommand({ RoleArn: blue.Role!.Arn, RoleSessionName: 'blue' }));
  assert.match(ok.Credentials!.AccessKeyId!, /^ASIA/);
  const e = await rejects(sts(node, creds).send(new AssumeRoleCommand({ RoleArn: red.Role!.Arn, RoleSessionName: 'red' })));
  assert.equal(e.name, 'AccessDenied');
  assert.equal(e.$metadata.httpStatusCode, 403);
  // The trust policy sees the role's tags too.
  await admin.send(new I.TagRoleCommand({ RoleName: 'BlueRole', Tags: [{ Key: 'frozen', Value: 'yes' }] }));
  const frozen = await rejects(sts(node, creds).send(new AssumeRoleCommand({ RoleArn: blue.Role!.Arn, RoleSessionName: 'blue2' })));
  assert.equal(frozen.name, 'AccessDenied');
});
