// Authorisation by the policy evaluator on every call, with long-term access keys: AWS's MFA self-service
// policy, explicit Deny over a group's Allow, NotAction, permissions boundaries, ${aws:username}, and policy
// changes taking effect on the very next request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatehouse } from '../helpers/server.js';
import { iam, sts, rejects, awsCli, NO_AWS_CLI } from '../helpers/clients.js';
import type { SdkError } from '../helpers/clients.js';
import * as I from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { AWS_SELF_MANAGE } from '../fixtures/aws-policies.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

let node: Node;
let admin: I.IAMClient;
let acct: string;
before(async () => { node = await startGatehouse(); admin = iam(node); acct = node.accountId; });
after(async () => { await node?.stop(); });

const doc = (statements: object[], version = '2012-10-17'): string => JSON.stringify({ Version: version, Statement: statements });

async function userWithKey(name: string, { policy, group }: { policy?: string; group?: string } = {}): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  await admin.send(new I.CreateUserCommand({ UserName: name }));
  if (policy) await admin.send(new I.PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }));
  if (group) await admin.send(new I.AddUserToGroupCommand({ UserName: name, GroupName: group }));
  const AccessKey = (await admin.send(new I.CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: AccessKey.AccessKeyId!, secretAccessKey: AccessKey.SecretAccessKey! };
}

const implicit = (user: string, action: string, resource: string): string => `User: arn:aws:iam::${acct}:user/${user} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
const explicit = (user: string, action: string, resource: string): string => `User: arn:aws:iam::${acct}:user/${user} is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in an identity-based policy`;

async function denied(promise: Promise<unknown>, message: string): Promise<void> {
  const e = await rejects(promise);
  assert.equal(e.name, 'AccessDenied');
  assert.equal(e.$metadata.httpStatusCode, 403);
  assert.equal(e.message, message);
}

// AWS "Allows MFA-authenticated IAM users to manage their own credentials on the Security credentials page"
// (reference §3.1), verbatim: it names no account id.
const AWS_MFA_SELF_MANAGE = JSON.stringify(AWS_SELF_MANAGE);

test('AWS MFA self-service policy, long-term keys: enrol own device, read own user, nothing else', async () => {
  const Policy = (await admin.send(new I.CreatePolicyCommand({ PolicyName: 'Force_MFA', PolicyDocument: AWS_MFA_SELF_MANAGE }))).Policy!;
  await admin.send(new I.CreateUserCommand({ UserName: 'mallory' }));
  const creds = await userWithKey('mia');
  await admin.send(new I.AttachUserPolicyCommand({ UserName: 'mia', PolicyArn: Policy.Arn }));
  const mia = iam(node, creds);

  // Allowed: the device named after the user, the user itself, its MFA devices, the virtual device list.
  const dev = await mia.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'mia' }));
  assert.equal(dev.VirtualMFADevice!.SerialNumber, `arn:aws:iam::${acct}:mfa/mia`);
  assert.equal((await mia.send(new I.GetUserCommand({}))).User!.UserName, 'mia');
  assert.equal((await mia.send(new I.GetUserCommand({ UserName: 'mia' }))).User!.UserName, 'mia');
  assert.deepEqual((await mia.send(new I.ListMFADevicesCommand({}))).MFADevices, []);
  await mia.send(new I.ListVirtualMFADevicesCommand({}));
  // EnableMFADevice passes authorisation: the answer is about the code, not AccessDenied.
  const wrongCode = await rejects(mia.send(new I.EnableMFADeviceCommand({ UserName: 'mia', SerialNumber: dev.VirtualMFADevice!.SerialNumber, AuthenticationCode1: '000000', AuthenticationCode2: '000000' })));
  assert.equal(wrongCode.name, 'InvalidAuthenticationCodeException');

  // Another user's device or user: no Allow matches (the Deny's NotAction lists these actions): implicit deny.
  await denied(mia.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'mallory' })),
    implicit('mia', 'iam:CreateVirtualMFADevice', `arn:aws:iam::${acct}:mfa/mallory`));
  await denied(mia.send(new I.GetUserCommand({ UserName: 'mallory' })), implicit('mia', 'iam:GetUser', `arn:aws:iam::${acct}:user/mallory`));
  await denied(mia.send(new I.ListMFADevicesCommand({ UserName: 'mallory' })), implicit('mia', 'iam:ListMFADevices', `arn:aws:iam::${acct}:user/mallory`));
  // Everything else is explicitly denied without MFA — even what the policy allows (own access keys, the account summary).
  await denied(mia.send(new I.ListUsersCommand({})), explicit('mia', 'iam:ListUsers', '*'));
  await denied(mia.send(new I.CreateUserCommand({ UserName: 'eve' })), explicit('mia', 'iam:CreateUser', `arn:aws:iam::${acct}:user/eve`));
  await denied(mia.send(new I.ListAccessKeysCommand({})), explicit('mia', 'iam:ListAccessKeys', `arn:aws:iam::${acct}:user/mia`));
  await denied(mia.send(new I.GetAccountSummaryCommand({})), explicit('mia', 'iam:GetAccountSummary', '*'));
  await denied(mia.send(new I.DeleteVirtualMFADeviceCommand({ SerialNumber: dev.VirtualMFADevice!.SerialNumber })),
    explicit('mia', 'iam:DeleteVirtualMFADevice', `arn:aws:iam::${acct}:mfa/mia`));
  // No policy can block these two (the MFA policy's Deny does not list GetCallerIdentity).
  assert.equal((await sts(node, creds).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${acct}:user/mia`);
  const token = await sts(node, creds).send(new GetSessionTokenCommand({}));
  assert.match(token.Credentials!.AccessKeyId!, /^ASIA/);
});

test('aws CLI: the same MFA policy, long-term keys', { skip: NO_AWS_CLI }, async () => {
  const creds = await userWithKey('cli-mia', { policy: AWS_MFA_SELF_MANAGE });
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-qr-'));
  try {
    const ok = await awsCli(node, ['iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'cli-mia', '--outfile', join(dir, 'seed.txt'), '--bootstrap-method', 'Base32StringSeed'], creds);
    assert.ok(ok.ok, ok.stderr);
    assert.equal((ok.json as { VirtualMFADevice: { SerialNumber: string } }).VirtualMFADevice.SerialNumber, // the CLI's output
      `arn:aws:iam::${acct}:mfa/cli-mia`);
  } finally { rmSync(dir, { recursive: true, force: true }); }
  const me = await awsCli(node, ['iam', 'get-user'], creds);
  assert.equal((me.json as { User: { UserName: string } }).User.UserName, 'cli-mia'); // the CLI's output
  const list = await awsCli(node, ['iam', 'list-users'], creds);
  assert.equal(list.ok, false);
  assert.match(list.stderr, /An error occurred \(AccessDenied\) when calling the ListUsers operation/);
  assert.ok(list.stderr.includes(explicit('cli-mia', 'iam:ListUsers', '*')), list.stderr);
  const other = await awsCli(node, ['iam', 'get-user', '--user-name', 'admin'], creds);
  assert.ok(other.stderr.includes(implicit('cli-mia', 'iam:GetUser', `arn:aws:iam::${acct}:user/admin`)), other.stderr);
});

test('an explicit Deny in the user policy beats an Allow from a group', async () => {
  await admin.send(new I.CreateGroupCommand({ GroupName: 'Ops' }));
  await admin.send(new I.AttachGroupPolicyCommand({ GroupName: 'Ops', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' }));
  const creds = await userWithKey('olga', { group: 'Ops', policy: doc([{ Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' }]) });
  const olga = iam(node, creds);
  await olga.send(new I.CreateUserCommand({ UserName: 'temp1' }));
  await olga.send(new I.ListUsersCommand({}));
  await denied(olga.send(new I.DeleteUserCommand({ UserName: 'temp1' })), explicit('olga', 'iam:DeleteUser', `arn:aws:iam::${acct}:user/temp1`));
  // The group's inline policies count too.
  await admin.send(new I.PutGroupPolicyCommand({ GroupName: 'Ops', PolicyName: 'no-groups', PolicyDocument: doc([{ Effect: 'Deny', Action: 'iam:CreateGroup', Resource: '*' }]) }));
  await denied(olga.send(new I.CreateGroupCommand({ GroupName: 'Sneaky' })), explicit('olga', 'iam:CreateGroup', `arn:aws:iam::${acct}:group/Sneaky`));
});

test('NotAction in an Allow grants everything but the listed actions', async () => {
  const creds = await userWithKey('nadia', { policy: doc([{ Effect: 'Allow', NotAction: ['iam:*User', 'iam:*AccessKey*'], Resource: '*' }]) });
  const nadia = iam(node, creds);
  await nadia.send(new I.ListGroupsCommand({}));
  const listed = await nadia.send(new I.ListUsersCommand({}));
  assert.ok(listed.Users!.some((u) => u.UserName === 'nadia'), 'allowed: ListUsers does not end in User');
  await denied(nadia.send(new I.CreateUserCommand({ UserName: 'x' })), implicit('nadia', 'iam:CreateUser', `arn:aws:iam::${acct}:user/x`));
  await denied(nadia.send(new I.ListAccessKeysCommand({})), implicit('nadia', 'iam:ListAccessKeys', `arn:aws:iam::${acct}:user/nadia`));
});

test('permissions boundary: the intersection; its own message; an explicit deny in it', async () => {
  const creds = await userWithKey('bob');
  await admin.send(new I.AttachUserPolicyCommand({ UserName: 'bob', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  const bob = iam(node, creds);
  await bob.send(new I.CreateUserCommand({ UserName: 'by-bob' }));
  await admin.send(new I.PutUserPermissionsBoundaryCommand({ UserName: 'bob', PermissionsBoundary: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
  await bob.send(new I.ListUsersCommand({}));
  await denied(bob.send(new I.CreateUserCommand({ UserName: 'by-bob2' })),
    `User: arn:aws:iam::${acct}:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${acct}:user/by-bob2 because no permissions boundary allows the iam:CreateUser action`);
  // A boundary alone grants nothing.
  await admin.send(new I.DetachUserPolicyCommand({ UserName: 'bob', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  await denied(bob.send(new I.ListUsersCommand({})), implicit('bob', 'iam:ListUsers', '*'));

  const Policy = (await admin.send(new I.CreatePolicyCommand({ PolicyName: 'BoundaryWithDeny', PolicyDocument: doc([
    { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
    { Effect: 'Deny', Action: 'iam:ListGroups', Resource: '*' },
  ]) }))).Policy!;
  await admin.send(new I.AttachUserPolicyCommand({ UserName: 'bob', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  await admin.send(new I.PutUserPermissionsBoundaryCommand({ UserName: 'bob', PermissionsBoundary: Policy.Arn }));
  await bob.send(new I.CreateUserCommand({ UserName: 'by-bob3' }));
  await denied(bob.send(new I.ListGroupsCommand({})),
    `User: arn:aws:iam::${acct}:user/bob is not authorized to perform: iam:ListGroups on resource: * with an explicit deny in a permissions boundary`);
  await admin.send(new I.DeleteUserPermissionsBoundaryCommand({ UserName: 'bob' }));
  await bob.send(new I.ListGroupsCommand({}));
});

test('${aws:username} resolves to the caller; under Version 2008-10-17 it is literal text', async () => {
  const own = doc([{ Effect: 'Allow', Action: ['iam:ListAccessKeys', 'iam:CreateAccessKey'], Resource: 'arn:aws:iam::*:user/${aws:username}' }]);
  const creds = await userWithKey('vera', { policy: own });
  await admin.send(new I.CreateUserCommand({ UserName: 'walt' }));
  const vera = iam(node, creds);
  assert.equal((await vera.send(new I.ListAccessKeysCommand({}))).AccessKeyMetadata!.length, 1);
  assert.equal((await vera.send(new I.ListAccessKeysCommand({ UserName: 'vera' }))).AccessKeyMetadata!.length, 1);
  await denied(vera.send(new I.ListAccessKeysCommand({ UserName: 'walt' })), implicit('vera', 'iam:ListAccessKeys', `arn:aws:iam::${acct}:user/walt`));

  await admin.send(new I.PutUserPolicyCommand({ UserName: 'vera', PolicyName: 'p', PolicyDocument: own.replace('2012-10-17', '2008-10-17') }));
  await denied(vera.send(new I.ListAccessKeysCommand({})), implicit('vera', 'iam:ListAccessKeys', `arn:aws:iam::${acct}:user/vera`));
});

test('aws:PrincipalTag conditions follow the user tags, and change with them', async () => {
  const creds = await userWithKey('tina', { policy: doc([{ Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'ops' } } }]) });
  const tina = iam(node, creds);
  await denied(tina.send(new I.ListGroupsCommand({})), implicit('tina', 'iam:ListGroups', '*'));
  await admin.send(new I.TagUserCommand({ UserName: 'tina', Tags: [{ Key: 'team', Value: 'ops' }] }));
  await tina.send(new I.ListGroupsCommand({}));
});

test('policy changes take effect on the next request: versions, attach/detach, inline, membership', async () => {
  const creds = await userWithKey('cora');
  const cora = iam(node, creds);
  await denied(cora.send(new I.ListRolesCommand({})), implicit('cora', 'iam:ListRoles', '*'));

  const Policy = (await admin.send(new I.CreatePolicyCommand({ PolicyName: 'Changing', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }]) }))).Policy!;
  await admin.send(new I.AttachUserPolicyCommand({ UserName: 'cora', PolicyArn: Policy.Arn }));
  await cora.send(new I.ListRolesCommand({}));

  await admin.send(new I.CreatePolicyVersionCommand({ PolicyArn: Policy.Arn, PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*' }]), SetAsDefault: true }));
  await denied(cora.send(new I.ListRolesCommand({})), implicit('cora', 'iam:ListRoles', '*'));
  await cora.send(new I.ListGroupsCommand({}));
  await admin.send(new I.SetDefaultPolicyVersionCommand({ PolicyArn: Policy.Arn, VersionId: 'v1' }));
  await cora.send(new I.ListRolesCommand({}));

  await admin.send(new I.PutUserPolicyCommand({ UserName: 'cora', PolicyName: 'deny', PolicyDocument: doc([{ Effect: 'Deny', Action: 'iam:List*', Resource: '*' }]) }));
  await denied(cora.send(new I.ListRolesCommand({})), explicit('cora', 'iam:ListRoles', '*'));
  await admin.send(new I.DeleteUserPolicyCommand({ UserName: 'cora', PolicyName: 'deny' }));
  await cora.send(new I.ListRolesCommand({}));

  await admin.send(new I.DetachUserPolicyCommand({ UserName: 'cora', PolicyArn: Policy.Arn }));
  await denied(cora.send(new I.ListRolesCommand({})), implicit('cora', 'iam:ListRoles', '*'));

  await admin.send(new I.CreateGroupCommand({ GroupName: 'Readers' }));
  await admin.send(new I.AttachGroupPolicyCommand({ GroupName: 'Readers', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
  await admin.send(new I.AddUserToGroupCommand({ GroupName: 'Readers', UserName: 'cora' }));
  await cora.send(new I.ListRolesCommand({}));
  await admin.send(new I.RemoveUserFromGroupCommand({ GroupName: 'Readers', UserName: 'cora' }));
  await denied(cora.send(new I.ListRolesCommand({})), implicit('cora', 'iam:ListRoles', '*'));
});

test('AllowUsersToChangePassword lets users read the password policy; an explicit Deny still wins', async () => {
  const creds = await userWithKey('pam');
  const pam = iam(node, creds);
  await admin.send(new I.UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 8, AllowUsersToChangePassword: false }));
  await denied(pam.send(new I.GetAccountPasswordPolicyCommand({})), implicit('pam', 'iam:GetAccountPasswordPolicy', '*'));
  await admin.send(new I.UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 8, AllowUsersToChangePassword: true }));
  assert.equal((await pam.send(new I.GetAccountPasswordPolicyCommand({}))).PasswordPolicy!.AllowUsersToChangePassword, true);
  await admin.send(new I.PutUserPolicyCommand({ UserName: 'pam', PolicyName: 'mfa', PolicyDocument: AWS_MFA_SELF_MANAGE }));
  await denied(pam.send(new I.GetAccountPasswordPolicyCommand({})), explicit('pam', 'iam:GetAccountPasswordPolicy', '*'));
  await admin.send(new I.DeleteAccountPasswordPolicyCommand({}));
});

test('ReadOnlyAccess and IAMUserChangePassword (AWS-managed) work as documents', async () => {
  const creds = await userWithKey('rita');
  await admin.send(new I.AttachUserPolicyCommand({ UserName: 'rita', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  const rita = iam(node, creds);
  await rita.send(new I.ListUsersCommand({}));
  await rita.send(new I.GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  await denied(rita.send(new I.CreateGroupCommand({ GroupName: 'nope' })), implicit('rita', 'iam:CreateGroup', `arn:aws:iam::${acct}:group/nope`));
});

test('global condition keys from the request: SourceIp, SecureTransport, CurrentTime, Principal*, userid; no MFA keys for long-term keys', async () => {
  const creds = await userWithKey('kim');
  const kim = iam(node, creds);
  const User = (await admin.send(new I.GetUserCommand({ UserName: 'kim' }))).User!;
  const allowIf = (condition: object): Promise<I.PutUserPolicyCommandOutput> => admin.send(new I.PutUserPolicyCommand({ UserName: 'kim', PolicyName: 'p', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*', Condition: condition }]) }));
  const allowed = async (condition: object): Promise<boolean> => {
    await allowIf(condition);
    try { await kim.send(new I.ListGroupsCommand({})); return true; } catch (caught) { const e = caught as SdkError; assert.equal(e.name, 'AccessDenied'); assert.equal(e.$metadata.httpStatusCode, 403); return false; }
  };
  assert.equal(await allowed({ IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }), true);
  assert.equal(await allowed({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }), false);
  assert.equal(await allowed({ Bool: { 'aws:SecureTransport': 'false' } }), true, 'plain HTTP here');
  assert.equal(await allowed({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }), true);
  assert.equal(await allowed({ DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }), false);
  assert.equal(await allowed({ NumericGreaterThan: { 'aws:EpochTime': '1577836800' } }), true);
  assert.equal(await allowed({ StringEquals: { 'aws:PrincipalType': 'User', 'aws:PrincipalAccount': acct, 'aws:userid': User.UserId, 'aws:username': 'kim' } }), true);
  assert.equal(await allowed({ ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${acct}:user/kim` } }), true);
  assert.equal(await allowed({ StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }), true);
  assert.equal(await allowed({ Null: { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': 'true', 'aws:TokenIssueTime': 'true' } }), true, 'absent for long-term keys');
  assert.equal(await allowed({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } }), false, 'a plain Bool never matches an absent key');
});
