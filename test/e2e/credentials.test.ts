// Console passwords, the account password policy, access keys and the account itself, through the JS SDK.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse } from '../helpers/server.js';
import { iam, sts, rejects } from '../helpers/clients.js';
import * as I from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { sourcePath } from '../../src/paths.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

let node: Node;
let client: I.IAMClient;
before(async () => { node = await startGatehouse(); client = iam(node); });
after(async () => { await node?.stop(); });

test('login profiles: create, get, update, delete; one per user', async () => {
  await client.send(new I.CreateUserCommand({ UserName: 'lp' }));
  const created = await client.send(new I.CreateLoginProfileCommand({ UserName: 'lp', Password: 'Aa1!aaaa', PasswordResetRequired: true }));
  assert.equal(created.LoginProfile!.UserName, 'lp');
  assert.equal(created.LoginProfile!.PasswordResetRequired, true);
  const dup = await rejects(client.send(new I.CreateLoginProfileCommand({ UserName: 'lp', Password: 'Aa1!aaaa' })));
  assert.equal(dup.name, 'EntityAlreadyExistsException');
  await client.send(new I.UpdateLoginProfileCommand({ UserName: 'lp', PasswordResetRequired: false }));
  assert.equal((await client.send(new I.GetLoginProfileCommand({ UserName: 'lp' }))).LoginProfile!.PasswordResetRequired, false);
  await client.send(new I.DeleteLoginProfileCommand({ UserName: 'lp' }));
  const gone = await rejects(client.send(new I.GetLoginProfileCommand({ UserName: 'lp' })));
  assert.equal(gone.name, 'NoSuchEntityException');
  const noUser = await rejects(client.send(new I.CreateLoginProfileCommand({ UserName: 'ghost', Password: 'Aa1!aaaa' })));
  assert.equal(noUser.name, 'NoSuchEntityException');
});

test("passwords follow AWS's default policy until the account sets one; violations are PasswordPolicyViolation", async () => {
  await client.send(new I.CreateUserCommand({ UserName: 'pw' }));
  for (const weak of ['short1!', 'alllowercaseletters', 'pw']) {
    const e = await rejects(client.send(new I.CreateLoginProfileCommand({ UserName: 'pw', Password: weak })));
    assert.equal(e.name, 'PasswordPolicyViolationException', weak);
    assert.equal(e.$metadata.httpStatusCode, 400);
  }
  const none = await rejects(client.send(new I.GetAccountPasswordPolicyCommand({})));
  assert.equal(none.name, 'NoSuchEntityException');
  await client.send(new I.UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireSymbols: true, RequireNumbers: true, AllowUsersToChangePassword: true, PasswordReusePrevention: 2 }));
  const PasswordPolicy = (await client.send(new I.GetAccountPasswordPolicyCommand({}))).PasswordPolicy!;
  assert.equal(PasswordPolicy.MinimumPasswordLength, 12);
  assert.equal(PasswordPolicy.RequireSymbols, true);
  assert.equal(PasswordPolicy.RequireUppercaseCharacters, false);
  assert.equal(PasswordPolicy.AllowUsersToChangePassword, true);
  assert.equal(PasswordPolicy.ExpirePasswords, false);
  assert.equal(PasswordPolicy.PasswordReusePrevention, 2);
  const e = await rejects(client.send(new I.CreateLoginProfileCommand({ UserName: 'pw', Password: 'Abcdefgh1!' })));
  assert.equal(e.name, 'PasswordPolicyViolationException');
  assert.match(e.message, /at least 12 characters/);
  await client.send(new I.CreateLoginProfileCommand({ UserName: 'pw', Password: 'long-enough-1!' }));
});

test('ChangePassword: the caller changes their own password, the old one must match, reuse is refused', async () => {
  await client.send(new I.CreateUserCommand({ UserName: 'changer' }));
  await client.send(new I.CreateLoginProfileCommand({ UserName: 'changer', Password: 'first-password-1!' }));
  const AccessKey = (await client.send(new I.CreateAccessKeyCommand({ UserName: 'changer' }))).AccessKey!;
  const me = iam(node, { accessKeyId: AccessKey.AccessKeyId!, secretAccessKey: AccessKey.SecretAccessKey! });
  const wrongOld = await rejects(me.send(new I.ChangePasswordCommand({ OldPassword: 'nope-nope-nope-1!', NewPassword: 'second-password-2!' })));
  assert.equal(wrongOld.$metadata.httpStatusCode, 403);
  await me.send(new I.ChangePasswordCommand({ OldPassword: 'first-password-1!', NewPassword: 'second-password-2!' }));
  const reuse = await rejects(me.send(new I.ChangePasswordCommand({ OldPassword: 'second-password-2!', NewPassword: 'first-password-1!' })));
  assert.equal(reuse.name, 'PasswordPolicyViolationException');
  const weak = await rejects(me.send(new I.ChangePasswordCommand({ OldPassword: 'second-password-2!', NewPassword: 'x' })));
  assert.equal(weak.name, 'PasswordPolicyViolationException');
  await me.send(new I.ChangePasswordCommand({ OldPassword: 'second-password-2!', NewPassword: 'third-password-3!' }));
  // Without AllowUsersToChangePassword (and with no policy granting it) the same user may not.
  await client.send(new I.DeleteAccountPasswordPolicyCommand({}));
  const denied = await rejects(me.send(new I.ChangePasswordCommand({ OldPassword: 'third-password-3!', NewPassword: 'Fourth-password-4!' })));
  assert.equal(denied.name, 'AccessDenied');
  const again = await rejects(client.send(new I.DeleteAccountPasswordPolicyCommand({})));
  assert.equal(again.name, 'NoSuchEntityException');
});

test('access keys: at most two per user, list, deactivate, delete, last used', async () => {
  await client.send(new I.CreateUserCommand({ UserName: 'keys' }));
  const k1 = (await client.send(new I.CreateAccessKeyCommand({ UserName: 'keys' }))).AccessKey!;
  const k2 = (await client.send(new I.CreateAccessKeyCommand({ UserName: 'keys' }))).AccessKey!;
  const k1Creds = { accessKeyId: k1.AccessKeyId!, secretAccessKey: k1.SecretAccessKey! };
  assert.match(k1.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(k1.SecretAccessKey!.length, 40);
  assert.equal(k1.Status, 'Active');
  const third = await rejects(client.send(new I.CreateAccessKeyCommand({ UserName: 'keys' })));
  assert.equal(third.name, 'LimitExceededException');
  assert.equal(third.$metadata.httpStatusCode, 409);
  const listed = await client.send(new I.ListAccessKeysCommand({ UserName: 'keys' }));
  assert.deepEqual(listed.AccessKeyMetadata!.map((k) => k.AccessKeyId).sort(), [k1.AccessKeyId, k2.AccessKeyId].sort());
  assert.ok(listed.AccessKeyMetadata!.every((k) => (k as { SecretAccessKey?: unknown }).SecretAccessKey === undefined), 'secrets are shown only on creation'); // no such member in the model: checked absent on the wire's answer

  const before = await client.send(new I.GetAccessKeyLastUsedCommand({ AccessKeyId: k1.AccessKeyId }));
  assert.equal(before.UserName, 'keys');
  assert.equal(before.AccessKeyLastUsed!.ServiceName, 'N/A');
  assert.equal(before.AccessKeyLastUsed!.LastUsedDate, undefined);
  await sts(node, k1Creds).send(new GetCallerIdentityCommand({}));
  let used: I.GetAccessKeyLastUsedCommandOutput | undefined;
  for (let i = 0; i < 20; i++) {
    used = await client.send(new I.GetAccessKeyLastUsedCommand({ AccessKeyId: k1.AccessKeyId }));
    if (used.AccessKeyLastUsed!.LastUsedDate) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(used!.AccessKeyLastUsed!.LastUsedDate instanceof Date);
  assert.equal(used!.AccessKeyLastUsed!.ServiceName, 'sts');
  assert.equal(used!.AccessKeyLastUsed!.Region, 'us-east-1');

  await client.send(new I.UpdateAccessKeyCommand({ UserName: 'keys', AccessKeyId: k1.AccessKeyId, Status: 'Inactive' }));
  assert.equal((await client.send(new I.ListAccessKeysCommand({ UserName: 'keys' }))).AccessKeyMetadata!.find((k) => k.AccessKeyId === k1.AccessKeyId)!.Status, 'Inactive');
  const wrongUser = await rejects(client.send(new I.DeleteAccessKeyCommand({ UserName: 'admin', AccessKeyId: k1.AccessKeyId })));
  assert.equal(wrongUser.name, 'NoSuchEntityException');
  await client.send(new I.DeleteAccessKeyCommand({ UserName: 'keys', AccessKeyId: k1.AccessKeyId }));
  const dead = await rejects(sts(node, k1Creds).send(new GetCallerIdentityCommand({})));
  assert.equal(dead.name, 'InvalidClientTokenId');
  const paged = await client.send(new I.ListAccessKeysCommand({ UserName: 'keys', MaxItems: 1 }));
  assert.equal(paged.AccessKeyMetadata!.length, 1);
  assert.equal(paged.IsTruncated, false);
});

test('account alias: create, list, replace, delete', async () => {
  assert.deepEqual((await client.send(new I.ListAccountAliasesCommand({}))).AccountAliases, []);
  await client.send(new I.CreateAccountAliasCommand({ AccountAlias: 'example-corp' }));
  assert.deepEqual((await client.send(new I.ListAccountAliasesCommand({}))).AccountAliases, ['example-corp']);
  const bad = await rejects(client.send(new I.CreateAccountAliasCommand({ AccountAlias: 'Bad--Alias' })));
  assert.equal(bad.name, 'ValidationError');
  const wrong = await rejects(client.send(new I.DeleteAccountAliasCommand({ AccountAlias: 'other-name' })));
  assert.equal(wrong.name, 'NoSuchEntityException');
  await client.send(new I.DeleteAccountAliasCommand({ AccountAlias: 'example-corp' }));
  assert.deepEqual((await client.send(new I.ListAccountAliasesCommand({}))).AccountAliases, []);
});

test('GetAccountSummary has all 34 keys of the model, with counts that follow changes', async () => {
  const SummaryMap = (await client.send(new I.GetAccountSummaryCommand({}))).SummaryMap!;
  // The service model: the part read here.
  const model = JSON.parse((await import('node:fs')).readFileSync(sourcePath('src', 'aws', 'models', 'iam-2010-05-08.json'), 'utf8')) as { shapes: { summaryKeyType: { enum: string[] } } };
  assert.deepEqual(Object.keys(SummaryMap).sort(), [...model.shapes.summaryKeyType.enum].sort());
  assert.equal(SummaryMap.AccessKeysPerUserQuota, 2);
  assert.equal(SummaryMap.AccountMFAEnabled, 0);
  assert.equal(SummaryMap.AccountAccessKeysPresent, 0);
  const users = SummaryMap.Users!;
  await client.send(new I.CreateUserCommand({ UserName: 'counted' }));
  await client.send(new I.CreateGroupCommand({ GroupName: 'counted' }));
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
  const pol = await client.send(new I.CreatePolicyCommand({ PolicyName: 'counted', PolicyDocument: doc }));
  await client.send(new I.AttachUserPolicyCommand({ UserName: 'counted', PolicyArn: pol.Policy!.Arn }));
  await client.send(new I.CreateRoleCommand({ RoleName: 'counted', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: node.accountId }, Action: 'sts:AssumeRole' }] }) }));
  const after = (await client.send(new I.GetAccountSummaryCommand({}))).SummaryMap!;
  assert.equal(after.Users, users + 1);
  assert.equal(after.Groups, SummaryMap.Groups! + 1);
  assert.equal(after.Policies, SummaryMap.Policies! + 1);
  assert.equal(after.Roles, SummaryMap.Roles! + 1);
  assert.equal(after.PolicyVersionsInUse, SummaryMap.PolicyVersionsInUse! + 1);
  assert.equal(after.PolicySizeQuota, 6144);
  assert.equal(after.VersionsPerPolicyQuota, 5);
});
