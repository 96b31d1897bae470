// STS with MFA, end to end with real clients: GetSessionToken with and without SerialNumber/TokenCode, the
// credentials' MFA context under AWS's own MFA enforcement policy (aws CLI, verbatim but for the account id),
// aws:MultiFactorAuthAge, AssumeRole with an MFA trust condition, and AWS's rules for session credentials.
// Codes come from the otpauth library, not from Gatehouse's src/mfa.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { Credentials } from '@aws-sdk/client-sts';
import { TOTP, Secret } from 'otpauth';
import { startGatehouse } from '../helpers/server.js';
import { iam, sts, rejects, awsCli, NO_AWS_CLI, keyCreds } from '../helpers/clients.js';
import type { SdkError } from '../helpers/clients.js';
import { AWS_SELF_MANAGE } from '../fixtures/aws-policies.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */
import type { Credentials as Creds } from '../helpers/server.js';

/** AccessDenied as AWS sends it: the code (the SDK's error name), 403. */
function assertAccessDenied(e: SdkError, message?: string): void {
  assert.equal(e.name, 'AccessDenied', message);
  assert.equal(e.$metadata.httpStatusCode, 403, message);
}

const STEP = 30_000;
const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });

let node: Node;
let admin: I.IAMClient;
before(async () => { node = await startGatehouse(); admin = iam(node); });
after(async () => { await node?.stop(); });

/**
 * A user with keys and an enabled virtual device. Enrolment uses the two steps before the current one, so the
 * current and next steps stay free for later sign-ins (each code is accepted once).
 */
async function userWithMfa(name: string, policies: object[] = []): Promise<{ creds: Creds; seed: string; serial: string }> {
  await admin.send(new I.CreateUserCommand({ UserName: name }));
  for (const [i, doc] of policies.entries()) {
    await admin.send(new I.PutUserPolicyCommand({ UserName: name, PolicyName: `p${i}`, PolicyDocument: JSON.stringify(doc) }));
  }
  const { AccessKey } = await admin.send(new I.CreateAccessKeyCommand({ UserName: name }));
  const dev = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name }));
  const seed = Buffer.from(dev.VirtualMFADevice!.Base32StringSeed!).toString('ascii');
  const serial = dev.VirtualMFADevice!.SerialNumber!;
  const now = Date.now();
  await admin.send(new I.EnableMFADeviceCommand({ UserName: name, SerialNumber: serial, AuthenticationCode1: totp(seed, now - 2 * STEP), AuthenticationCode2: totp(seed, now - STEP) }));
  assert.ok(AccessKey?.AccessKeyId && AccessKey.SecretAccessKey, 'CreateAccessKey returned a key');
  return { creds: { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey }, seed, serial };
}

/** A session's keys from an STS answer (the SDK types every output member as optional). */
function sessionCreds(c: Credentials | undefined): Creds {
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken, 'the call returned credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

test('GetSessionToken without MFA: ASIA credentials, same identity, no IAM calls, no STS but AssumeRole/GetCallerIdentity', async () => {
  const { creds } = await userWithMfa('no-mfa-session', [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] }]);
  const Credentials = (await sts(node, creds).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!;
  assert.match(Credentials.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
  assert.ok(Credentials.SessionToken!.length > 100);
  const expiresIn = Credentials.Expiration!.getTime() - Date.now();
  assert.ok(expiresIn > 880_000 && expiresIn <= 900_000, `expiry in ${expiresIn} ms`);
  const s = sessionCreds(Credentials);
  const who = await sts(node, s).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:iam::${node.accountId}:user/no-mfa-session`);
  assert.match(who.UserId!, /^AIDA/);
  // The same user's long-term keys may call IAM; the session without MFA may not.
  await iam(node, creds).send(new I.ListUsersCommand({}));
  const iamCall = await rejects(iam(node, s).send(new I.ListUsersCommand({})));
  assert.equal(iamCall.name, 'InvalidClientTokenId');
  assert.equal(iamCall.$metadata.httpStatusCode, 403);
  const again = await rejects(sts(node, s).send(new GetSessionTokenCommand({})));
  assertAccessDenied(again);
  assert.match(again.message, /Cannot call GetSessionToken with session credentials/);
});

test('session tokens are checked: a missing or altered token is refused', async () => {
  const { creds } = await userWithMfa('token-check');
  const Credentials = (await sts(node, creds).send(new GetSessionTokenCommand({}))).Credentials!;
  const missing = await rejects(sts(node, { accessKeyId: Credentials.AccessKeyId!, secretAccessKey: Credentials.SecretAccessKey! }).send(new GetCallerIdentityCommand({})));
  assert.equal(missing.name, 'InvalidClientTokenId');
  const altered = await rejects(sts(node, { ...sessionCreds(Credentials), sessionToken: `${Credentials.SessionToken!.slice(0, -4)}AAAA` }).send(new GetCallerIdentityCommand({})));
  assert.equal(altered.name, 'InvalidClientTokenId');
});

test('DurationSeconds outside 900–129600 is a ValidationError', async () => {
  const { creds } = await userWithMfa('durations');
  for (const d of [899, 129601]) {
    const e = await rejects(sts(node, creds).send(new GetSessionTokenCommand({ DurationSeconds: d })));
    assert.equal(e.name, 'ValidationError', String(d));
    assert.equal(e.$metadata.httpStatusCode, 400);
  }
  const Credentials = (await sts(node, creds).send(new GetSessionTokenCommand({ DurationSeconds: 129600 }))).Credentials!;
  assert.ok(Credentials.Expiration!.getTime() - Date.now() > 129000_000);
});

test('GetSessionToken with MFA: wrong, reused and foreign codes are AccessDenied; a right code gives MFA credentials', async () => {
  const me = await userWithMfa('mfa-session', [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] }]);
  const other = await userWithMfa('other-user');
  const client = sts(node, me.creds);
  const now = Date.now();
  const right = totp(me.seed, now);
  const wrong = right === '000000' ? '000001' : '000000';
  const bad = await rejects(client.send(new GetSessionTokenCommand({ SerialNumber: me.serial, TokenCode: wrong })));
  assertAccessDenied(bad);
  assert.match(bad.message, /MultiFactorAuthentication failed/);
  const foreign = await rejects(client.send(new GetSessionTokenCommand({ SerialNumber: other.serial, TokenCode: totp(other.seed, now) })));
  assertAccessDenied(foreign);
  const enrolmentCode = await rejects(client.send(new GetSessionTokenCommand({ SerialNumber: me.serial, TokenCode: totp(me.seed, now - STEP) })));
  assertAccessDenied(enrolmentCode, 'an enrolment code is spent');

  const { Credentials } = await client.send(new GetSessionTokenCommand({ SerialNumber: me.serial, TokenCode: right }));
  const replay = await rejects(client.send(new GetSessionTokenCommand({ SerialNumber: me.serial, TokenCode: right })));
  assertAccessDenied(replay, 'a code is accepted once');
  const list = await iam(node, sessionCreds(Credentials)).send(new I.ListUsersCommand({}));
  assert.ok(list.Users!.length >= 2, 'MFA session credentials may call IAM as the user\'s policies allow');
  const denied = await rejects(iam(node, sessionCreds(Credentials)).send(new I.CreateUserCommand({ UserName: 'nope' })));
  assertAccessDenied(denied);
});

// AWS's "manage your own credentials with MFA" policy (reference §3.1), verbatim (it names no account id).
const selfManagePolicy = () => AWS_SELF_MANAGE;

test('AWS MFA enforcement policy with the aws CLI: enrol yourself with long-term keys, then act only after get-session-token with MFA', { skip: NO_AWS_CLI }, async () => {
  const name = 'enforced';
  await admin.send(new I.CreateUserCommand({ UserName: name }));
  // Too large for an inline user policy (2,048 characters), so, as AWS's guide does, a customer managed policy.
  const Policy = (await admin.send(new I.CreatePolicyCommand({ PolicyName: 'SelfManageWithMFA', PolicyDocument: JSON.stringify(selfManagePolicy()) }))).Policy!;
  await admin.send(new I.AttachUserPolicyCommand({ UserName: name, PolicyArn: Policy.Arn }));
  await admin.send(new I.PutUserPolicyCommand({ UserName: name, PolicyName: 'ReadUsers', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:ListUsers', 'iam:ListGroups'], Resource: '*' }] }) }));
  const { AccessKey } = await admin.send(new I.CreateAccessKeyCommand({ UserName: name }));
  assert.ok(AccessKey?.AccessKeyId && AccessKey.SecretAccessKey, 'CreateAccessKey returned a key');
  const creds = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };

  // With long-term keys: enrol their own device...
  const created = await awsCli(node, ['iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', name, '--outfile', `${node.dataDir}/seed.txt`, '--bootstrap-method', 'Base32StringSeed'], creds);
  assert.ok(created.ok, created.stderr);
  const serial = (created.json as { VirtualMFADevice: { SerialNumber: string } }).VirtualMFADevice.SerialNumber; // parsed CLI output
  assert.equal(serial, `arn:aws:iam::${node.accountId}:mfa/${name}`);
  const seed = (await import('node:fs')).readFileSync(`${node.dataDir}/seed.txt`, 'utf8').trim();
  const now = Date.now();
  const enabled = await awsCli(node, ['iam', 'enable-mfa-device', '--user-name', name, '--serial-number', serial, '--authentication-code1', totp(seed, now - 2 * STEP), '--authentication-code2', totp(seed, now - STEP)], creds);
  assert.ok(enabled.ok, enabled.stderr);
  const mine = await awsCli(node, ['iam', 'list-mfa-devices', '--user-name', name], creds);
  assert.equal((mine.json as { MFADevices: [{ SerialNumber: string }] }).MFADevices[0].SerialNumber, serial); // parsed CLI output
  // ...and nothing else: not even what their other policy allows, nor another user's device.
  const listUsers = await awsCli(node, ['iam', 'list-users'], creds);
  assert.equal(listUsers.ok, false);
  assert.match(listUsers.stderr, new RegExp(`\\(AccessDenied\\).*User: arn:aws:iam::${node.accountId}:user/${name} is not authorized to perform: iam:ListUsers on resource: \\* with an explicit deny in an identity-based policy`));
  const ownKeys = await awsCli(node, ['iam', 'list-access-keys', '--user-name', name], creds);
  assert.match(ownKeys.stderr, /AccessDenied/, 'even their own keys need MFA under this policy');
  const othersDevice = await awsCli(node, ['iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'admin', '--outfile', `${node.dataDir}/x.png`, '--bootstrap-method', 'QRCodePNG'], creds);
  assert.match(othersDevice.stderr, /AccessDenied/);

  // get-session-token with the device: now their other policies apply.
  const tokenRun = await awsCli(node, ['sts', 'get-session-token', '--serial-number', serial, '--token-code', totp(seed, now)], creds);
  assert.ok(tokenRun.ok, tokenRun.stderr);
  const c = (tokenRun.json as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }).Credentials; // parsed CLI output
  const mfa = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  const listed = await awsCli(node, ['iam', 'list-users'], mfa);
  assert.ok(listed.ok, listed.stderr);
  assert.ok((listed.json as { Users: { UserName: string }[] }).Users.some((u) => u.UserName === name)); // parsed CLI output
  const keys = await awsCli(node, ['iam', 'list-access-keys', '--user-name', name], mfa);
  assert.ok(keys.ok, keys.stderr);
  // Still out of reach with MFA: another user's user resource and device.
  const otherUser = await awsCli(node, ['iam', 'list-access-keys', '--user-name', 'admin'], mfa);
  assert.match(otherUser.stderr, /AccessDenied.*iam:ListAccessKeys on resource: arn:aws:iam::\d+:user\/admin because no identity-based policy allows/);
  const otherDevice = await awsCli(node, ['iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'admin', '--outfile', `${node.dataDir}/y.png`, '--bootstrap-method', 'QRCodePNG'], mfa);
  assert.match(otherDevice.stderr, /AccessDenied/);
  const create = await awsCli(node, ['iam', 'create-user', '--user-name', 'not-allowed'], mfa);
  assert.match(create.stderr, /AccessDenied/);
});

test('aws:MultiFactorAuthAge: allowed only with MFA credentials of recent enough age', async () => {
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:ListGroups'], Resource: ['*'], Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } }] };
  const me = await userWithMfa('mfa-age', [policy]);
  const longTerm = await rejects(iam(node, me.creds).send(new I.ListGroupsCommand({})));
  assertAccessDenied(longTerm, 'the key is absent for long-term keys, so the condition fails');
  const { Credentials: noMfa } = await sts(node, me.creds).send(new GetSessionTokenCommand({}));
  assert.ok(noMfa);
  const { Credentials } = await sts(node, me.creds).send(new GetSessionTokenCommand({ SerialNumber: me.serial, TokenCode: totp(me.seed, Date.now()) }));
  const groups = await iam(node, sessionCreds(Credentials)).send(new I.ListGroupsCommand({}));
  assert.ok(Array.isArray(groups.Groups));
  // The same policy with a zero-second limit denies: the age is real, not a constant.
  await admin.send(new I.PutUserPolicyCommand({ UserName: 'mfa-age', PolicyName: 'p0', PolicyDocument: JSON.stringify({ ...policy, Statement: [{ ...policy.Statement[0], Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '0' } } }] }) }));
  const tooOld = await rejects(iam(node, sessionCreds(Credentials)).send(new I.ListGroupsCommand({})));
  assertAccessDenied(tooOld);
});

test('AssumeRole: the trust policy requires MFA; the session acts as the role with the role\'s permissions', async () => {
  const me = await userWithMfa('role-taker', [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }]);
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${node.accountId}:root` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }],
  };
  const role = await admin.send(new I.CreateRoleCommand({ RoleName: 'Auditor', AssumeRolePolicyDocument: JSON.stringify(trust), MaxSessionDuration: 7200 }));
  await admin.send(new I.AttachRolePolicyCommand({ RoleName: 'Auditor', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
  const client = sts(node, me.creds);
  const roleArn = role.Role!.Arn;

  const noMfa = await rejects(client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'audit' })));
  assertAccessDenied(noMfa);
  const wrong = await rejects(client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'audit', SerialNumber: me.serial, TokenCode: '000000' === totp(me.seed, Date.now()) ? '000001' : '000000' })));
  assertAccessDenied(wrong);
  const tooLong = await rejects(client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'audit', DurationSeconds: 7201, SerialNumber: me.serial, TokenCode: totp(me.seed, Date.now()) })));
  assert.equal(tooLong.name, 'ValidationError');
  assert.equal(tooLong.$metadata.httpStatusCode, 400);
  assert.equal(tooLong.message, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');

  const r = await client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'audit', SerialNumber: me.serial, TokenCode: totp(me.seed, Date.now() + STEP) }));
  assert.match(r.Credentials!.AccessKeyId!, /^ASIA/);
  assert.equal(r.AssumedRoleUser!.Arn, `arn:aws:sts::${node.accountId}:assumed-role/Auditor/audit`);
  assert.equal(r.AssumedRoleUser!.AssumedRoleId, `${role.Role!.RoleId}:audit`);
  const session = sessionCreds(r.Credentials);
  const who = await sts(node, session).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:sts::${node.accountId}:assumed-role/Auditor/audit`);
  assert.equal(who.UserId, `${role.Role!.RoleId}:audit`);
  const users = await iam(node, session).send(new I.ListUsersCommand({}));
  assert.ok(users.Users!.length > 0, 'IAMReadOnlyAccess lets the role list users');
  const create = await rejects(iam(node, session).send(new I.CreateUserCommand({ UserName: 'by-role' })));
  assertAccessDenied(create);
  assert.match(create.message, new RegExp(`^User: arn:aws:sts::${node.accountId}:assumed-role/Auditor/audit is not authorized to perform: iam:CreateUser`));

  const missing = await rejects(client.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${node.accountId}:role/Nope`, RoleSessionName: 'xx' })));
  assertAccessDenied(missing);
});

test('AssumeRole: a trust policy naming the user needs no identity policy; one naming the account does', async () => {
  await admin.send(new I.CreateUserCommand({ UserName: 'named' }));
  const { AccessKey } = await admin.send(new I.CreateAccessKeyCommand({ UserName: 'named' }));
  const creds = keyCreds(AccessKey);
  const byUser = await admin.send(new I.CreateRoleCommand({ RoleName: 'ByUser', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${node.accountId}:user/named` }, Action: 'sts:AssumeRole' }] }) }));
  const byAccount = await admin.send(new I.CreateRoleCommand({ RoleName: 'ByAccount', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: node.accountId }, Action: 'sts:AssumeRole' }] }) }));
  const ok = await sts(node, creds).send(new AssumeRoleCommand({ RoleArn: byUser.Role!.Arn, RoleSessionName: 's1' }));
  assert.match(ok.Credentials!.AccessKeyId!, /^ASIA/);
  const denied = await rejects(sts(node, creds).send(new AssumeRoleCommand({ RoleArn: byAccount.Role!.Arn, RoleSessionName: 's2' })));
  assertAccessDenied(denied);
  // Role chaining: a role session may assume a role that trusts its role, for at most one hour.
  const next = await admin.send(new I.CreateRoleCommand({ RoleName: 'Chained', MaxSessionDuration: 7200, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: byUser.Role!.Arn }, Action: 'sts:AssumeRole' }] }) }));
  const chainedClient = sts(node, sessionCreds(ok.Credentials));
  const tooLong = await rejects(chainedClient.send(new AssumeRoleCommand({ RoleArn: next.Role!.Arn, RoleSessionName: 's3', DurationSeconds: 3601 })));
  assert.equal(tooLong.name, 'ValidationError');
  assert.equal(tooLong.$metadata.httpStatusCode, 400);
  assert.match(tooLong.message, /role chaining/);
  const chained = await chainedClient.send(new AssumeRoleCommand({ RoleArn: next.Role!.Arn, RoleSessionName: 's3' }));
  const who = await sts(node, sessionCreds(chained.Credentials)).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:sts::${node.accountId}:assumed-role/Chained/s3`);
});

test('role chaining from a role that has a path: the trust policy names the role ARN with its path (aws CLI and SDK)', async () => {
  await admin.send(new I.CreateUserCommand({ UserName: 'path-chainer' }));
  const { AccessKey } = await admin.send(new I.CreateAccessKeyCommand({ UserName: 'path-chainer' }));
  const creds = keyCreds(AccessKey);
  const first = await admin.send(new I.CreateRoleCommand({ RoleName: 'PathFirst', Path: '/team/ops/', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${node.accountId}:user/path-chainer` }, Action: 'sts:AssumeRole' }] }) }));
  assert.equal(first.Role!.Arn, `arn:aws:iam::${node.accountId}:role/team/ops/PathFirst`);
  const second = await admin.send(new I.CreateRoleCommand({ RoleName: 'PathSecond', Path: '/team/', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: first.Role!.Arn }, Action: 'sts:AssumeRole' }] }) }));
  const s1 = await sts(node, creds).send(new AssumeRoleCommand({ RoleArn: first.Role!.Arn, RoleSessionName: 'one' }));
  // The assumed-role ARN carries no path, as on AWS.
  assert.equal(s1.AssumedRoleUser!.Arn, `arn:aws:sts::${node.accountId}:assumed-role/PathFirst/one`);
  const s2 = await sts(node, sessionCreds(s1.Credentials)).send(new AssumeRoleCommand({ RoleArn: second.Role!.Arn, RoleSessionName: 'two' }));
  assert.equal(s2.AssumedRoleUser!.Arn, `arn:aws:sts::${node.accountId}:assumed-role/PathSecond/two`);
  // A trust policy naming the role without its path does not match it (ARNs compare exactly).
  const wrong = await admin.send(new I.CreateRoleCommand({ RoleName: 'PathWrong', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${node.accountId}:role/PathFirst` }, Action: 'sts:AssumeRole' }] }) }));
  const denied = await rejects(sts(node, sessionCreds(s1.Credentials)).send(new AssumeRoleCommand({ RoleArn: wrong.Role!.Arn, RoleSessionName: 'three' })));
  assertAccessDenied(denied);
  if (!NO_AWS_CLI) {
    const c = s1.Credentials;
    const r = await awsCli(node, ['sts', 'assume-role', '--role-arn', second.Role!.Arn!, '--role-session-name', 'cli'], sessionCreds(c));
    assert.ok(r.ok, r.stderr);
    assert.equal((r.json as { AssumedRoleUser: { Arn: string } }).AssumedRoleUser.Arn, /* parsed CLI output */ `arn:aws:sts::${node.accountId}:assumed-role/PathSecond/cli`);
  }
});
