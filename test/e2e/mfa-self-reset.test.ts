// A principal can never lift its own MFA lock: not with its own keys (mfa-lockout-reset.test.js), and not through a
// role it assumed, however long the chain, on whichever node the role session is used. Someone else's
// DeactivateMFADevice through the same role still lifts the lock (the lost-phone path). Codes come from otpauth.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import type { Credentials } from '@aws-sdk/client-sts';
import { TOTP, Secret } from 'otpauth';
import { startGatehouse, startTwoNodes, MULTINODE_SKIP } from '../helpers/server.js';
import { iam, sts, rejects, boto3, NO_BOTO3 } from '../helpers/clients.js';
import type { SdkError } from '../helpers/clients.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
interface Creds { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
interface Device { seed: string; serial: string }
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

const STEP = 30_000;
const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
const wrongFor = (seed: string): string => { const right = new Set([-2, -1, 0, 1, 2].map((k) => totp(seed, Date.now() + k * STEP))); for (let i = 0; ; i++) { const c = String(i).padStart(6, '0'); if (!right.has(c)) return c; } };
const doc = (statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
function sessionCreds(c: Credentials | undefined): Creds {
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken, 'the call returned credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

let node: Node;
before(async () => { node = await startGatehouse(); });
after(async () => { await node?.stop(); });

/** A user with keys, allowed sts:AssumeRole on any role, with two enabled virtual devices. */
async function userWithDevices(n: Node, name: string): Promise<{ creds: Creds; devices: [Device, Device] }> {
  const admin = iam(n);
  await admin.send(new I.CreateUserCommand({ UserName: name }));
  await admin.send(new I.PutUserPolicyCommand({ UserName: name, PolicyName: 'assume', PolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }]) }));
  const { AccessKey } = await admin.send(new I.CreateAccessKeyCommand({ UserName: name }));
  const devices: [Device, Device] = [await enrol(n, name, `${name}-1`), await enrol(n, name, `${name}-2`)];
  assert.ok(AccessKey?.AccessKeyId && AccessKey.SecretAccessKey, 'CreateAccessKey returned a key');
  return { creds: { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey }, devices };
}

async function enrol(n: Node, user: string, deviceName: string): Promise<Device> {
  const d = await iam(n).send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }));
  const seed = Buffer.from(d.VirtualMFADevice!.Base32StringSeed!).toString('ascii');
  const serial = d.VirtualMFADevice!.SerialNumber!;
  const now = Date.now();
  await iam(n).send(new I.EnableMFADeviceCommand({ UserName: user, SerialNumber: serial, AuthenticationCode1: totp(seed, now - 2 * STEP), AuthenticationCode2: totp(seed, now - STEP) }));
  return { seed, serial };
}

async function lockOut(n: Node, creds: Creds, dev: Device): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const e = await rejects(sts(n, creds).send(new GetSessionTokenCommand({ SerialNumber: dev.serial, TokenCode: wrongFor(dev.seed) })));
    assert.equal(e.name, 'AccessDenied');
  }
  const locked = await rejects(sts(n, creds).send(new GetSessionTokenCommand({ SerialNumber: dev.serial, TokenCode: totp(dev.seed, Date.now()) })));
  assert.equal(locked.name, 'AccessDenied', 'locked: even the right code fails');
}

/** Is the user's code lock on? Enrolling a new device with two right codes fails only while locked. */
async function isLocked(n: Node, user: string, deviceName: string): Promise<boolean> {
  const d = await iam(n).send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }));
  const seed = Buffer.from(d.VirtualMFADevice!.Base32StringSeed!).toString('ascii');
  const now = Date.now();
  try {
    await iam(n).send(new I.EnableMFADeviceCommand({ UserName: user, SerialNumber: d.VirtualMFADevice?.SerialNumber, AuthenticationCode1: totp(seed, now - 2 * STEP), AuthenticationCode2: totp(seed, now - STEP) }));
    return false;
  } catch (caught) {
    const e = caught as SdkError; // an SDK call rejects with the SDK's error
    assert.equal(e.name, 'InvalidAuthenticationCodeException');
    assert.equal(e.$metadata.httpStatusCode, 403);
    return true;
  }
}

/** A role that trusts the account and may remove MFA devices and assume further roles (a help-desk role). */
async function deskRole(n: Node, name: string): Promise<string | undefined> {
  const admin = iam(n);
  const { Role } = await admin.send(new I.CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: n.accountId }, Action: 'sts:AssumeRole' }]) }));
  await admin.send(new I.PutRolePolicyCommand({ RoleName: name, PolicyName: 'mfa', PolicyDocument: doc([{ Effect: 'Allow', Action: ['iam:DeactivateMFADevice', 'sts:AssumeRole'], Resource: '*' }]) }));
  return Role?.Arn;
}

const deactivate = (n: Node, creds: Creds, user: string, dev: Device) => iam(n, creds).send(new I.DeactivateMFADeviceCommand({ UserName: user, SerialNumber: dev.serial }));

test('a locked user cannot lift their own lock through a role they assumed, nor through a chain of roles; another user through the same role can', async () => {
  const lena = await userWithDevices(node, 'lena');
  const desk = await userWithDevices(node, 'desk');
  const roleArn = await deskRole(node, 'MfaDesk');
  const hopArn = await deskRole(node, 'Hop');
  await lockOut(node, lena.creds, lena.devices[0]);

  const own = await sts(node, lena.creds).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'lena' }));
  await deactivate(node, sessionCreds(own.Credentials), 'lena', lena.devices[0]);
  const left = (await iam(node).send(new I.ListMFADevicesCommand({ UserName: 'lena' }))).MFADevices?.map((d) => d.SerialNumber);
  assert.deepEqual(left, [lena.devices[1].serial], 'the device was removed');
  assert.equal(await isLocked(node, 'lena', 'lena-probe-1'), true, "lena's own role session did not lift her lock");

  // A chain: lena → Hop → MfaDesk, removing her last device. Still her own request.
  const hop = await sts(node, lena.creds).send(new AssumeRoleCommand({ RoleArn: hopArn, RoleSessionName: 'hop' }));
  const chained = await sts(node, sessionCreds(hop.Credentials)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'chained' }));
  if (NO_BOTO3) {
    await deactivate(node, sessionCreds(chained.Credentials), 'lena', lena.devices[1]);
  } else {
    const r = await boto3(node, `iam.deactivate_mfa_device(UserName='lena', SerialNumber=${JSON.stringify(lena.devices[1].serial)})
out({'ok': True})`, sessionCreds(chained.Credentials));
    assert.deepEqual(r, { ok: true });
  }
  assert.equal(await isLocked(node, 'lena', 'lena-probe-2'), true, 'a role chain did not lift her lock either');

  // The lost-phone path through the same role: desk's session removes a device lena still had... she has none left,
  // and none can be enabled while locked, so take the check the other way round: desk locks themself out, lena's
  // role session removes desk's device and lifts desk's lock (someone else's request).
  await lockOut(node, desk.creds, desk.devices[0]);
  await deactivate(node, sessionCreds(own.Credentials), 'desk', desk.devices[0]);
  assert.equal(await isLocked(node, 'desk', 'desk-probe'), false, "another user's role session lifts desk's lock");
});

test("a SourceIdentity naming someone else changes nothing: the origin is recorded by Gatehouse, not chosen by the caller", async () => {
  const nora = await userWithDevices(node, 'nora');
  await iam(node).send(new I.PutUserPolicyCommand({ UserName: 'nora', PolicyName: 'assume', PolicyDocument: doc([{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Resource: '*' }]) }));
  const { Role } = await iam(node).send(new I.CreateRoleCommand({ RoleName: 'DeskSourced', AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: node.accountId }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }]) }));
  await iam(node).send(new I.PutRolePolicyCommand({ RoleName: 'DeskSourced', PolicyName: 'mfa', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:DeactivateMFADevice', Resource: '*' }]) }));
  await lockOut(node, nora.creds, nora.devices[0]);
  const r = await sts(node, nora.creds).send(new AssumeRoleCommand({ RoleArn: Role?.Arn, RoleSessionName: 'nora', SourceIdentity: 'admin' }));
  assert.equal(r.SourceIdentity, 'admin');
  await deactivate(node, sessionCreds(r.Credentials), 'nora', nora.devices[0]);
  assert.equal(await isLocked(node, 'nora', 'nora-probe'), true);
});

test('the origin is kept on the session row: a role session issued on one node is still its owner\'s own on another', { skip: MULTINODE_SKIP }, async () => {
  const nodes = await startTwoNodes();
  try {
    const { a, b } = nodes;
    const mona = await userWithDevices(a, 'mona');
    const ivan = await userWithDevices(a, 'ivan');
    const roleArn = await deskRole(a, 'DeskAB');
    await lockOut(a, mona.creds, mona.devices[0]);
    const onA = await sts(a, mona.creds).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'mona' }));
    await deactivate(b, sessionCreds(onA.Credentials), 'mona', mona.devices[0]);
    assert.equal(await isLocked(b, 'mona', 'mona-probe'), true, 'issued on A, used on B: still her own request');
    const ivanOnB = await sts(b, ivan.creds).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ivan' }));
    await deactivate(a, sessionCreds(ivanOnB.Credentials), 'mona', mona.devices[1]);
    assert.equal(await isLocked(a, 'mona', 'mona-probe-2'), false, "ivan's session issued on B lifts her lock on A");
  } finally {
    await nodes.stop();
  }
});
