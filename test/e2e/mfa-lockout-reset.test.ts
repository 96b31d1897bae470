// The lost-phone path after a lockout: five wrong codes lock a user's codes; an administrator's
// DeactivateMFADevice lifts the lock so the user can enrol a new device at once. The user deactivating their own
// device does not lift it. Codes come from the otpauth library.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { TOTP, Secret } from 'otpauth';
import type { IAMClient } from '@aws-sdk/client-iam';
import { startGatehouse } from '../helpers/server.js';
import { iam, sts, rejects, keyCreds } from '../helpers/clients.js';

const STEP = 30_000;
type Node = Awaited<ReturnType<typeof startGatehouse>>;
import type { Credentials as Creds } from '../helpers/server.js';
interface Device { seed: string; serial: string }
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
const wrongFor = (seed: string): string => { const right = new Set([-2, -1, 0, 1, 2].map((k) => totp(seed, Date.now() + k * STEP))); for (let i = 0; ; i++) { const c = String(i).padStart(6, '0'); if (!right.has(c)) return c; } };

let node: Node;
let admin: IAMClient;
before(async () => { node = await startGatehouse(); admin = iam(node); });
after(async () => { await node?.stop(); });

async function enrolled(user: string, deviceName: string, creds: Creds): Promise<Device> {
  const dev = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }));
  const seed = Buffer.from(dev.VirtualMFADevice!.Base32StringSeed!).toString('ascii');
  const serial = dev.VirtualMFADevice!.SerialNumber!;
  const now = Date.now();
  await iam(node, creds).send(new I.EnableMFADeviceCommand({ UserName: user, SerialNumber: serial, AuthenticationCode1: totp(seed, now - 2 * STEP), AuthenticationCode2: totp(seed, now - STEP) }));
  return { seed, serial };
}

async function lockOut(creds: Creds, dev: Device): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const e = await rejects(sts(node, creds).send(new GetSessionTokenCommand({ SerialNumber: dev.serial, TokenCode: wrongFor(dev.seed) })));
    assert.equal(e.name, 'AccessDenied');
  }
  const locked = await rejects(sts(node, creds).send(new GetSessionTokenCommand({ SerialNumber: dev.serial, TokenCode: totp(dev.seed, Date.now()) })));
  assert.equal(locked.name, 'AccessDenied', 'locked: even the right code fails');
}

test("an administrator's DeactivateMFADevice lifts the user's lock; enrolling a new device works at once", async () => {
  await admin.send(new I.CreateUserCommand({ UserName: 'lost-phone' }));
  const { AccessKey } = await admin.send(new I.CreateAccessKeyCommand({ UserName: 'lost-phone' }));
  const creds = keyCreds(AccessKey);
  const first = await enrolled('lost-phone', 'lost-phone-1', node.admin);
  await lockOut(creds, first);
  await admin.send(new I.DeactivateMFADeviceCommand({ UserName: 'lost-phone', SerialNumber: first.serial }));
  const second = await enrolled('lost-phone', 'lost-phone-2', node.admin);
  const { Credentials } = await sts(node, creds).send(new GetSessionTokenCommand({ SerialNumber: second.serial, TokenCode: totp(second.seed, Date.now()) }));
  assert.match(Credentials?.AccessKeyId ?? '', /^ASIA/);
});

test('a locked user who deactivates their own device stays locked', async () => {
  await admin.send(new I.CreateUserCommand({ UserName: 'self-reset' }));
  await admin.send(new I.AddUserToGroupCommand({ GroupName: 'Administrators', UserName: 'self-reset' }));
  const { AccessKey } = await admin.send(new I.CreateAccessKeyCommand({ UserName: 'self-reset' }));
  const creds = keyCreds(AccessKey);
  const first = await enrolled('self-reset', 'self-reset-1', creds);
  await lockOut(creds, first);
  await iam(node, creds).send(new I.DeactivateMFADeviceCommand({ UserName: 'self-reset', SerialNumber: first.serial }));
  const dev = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'self-reset-2' }));
  const seed = Buffer.from(dev.VirtualMFADevice!.Base32StringSeed!).toString('ascii');
  const now = Date.now();
  const e = await rejects(iam(node, creds).send(new I.EnableMFADeviceCommand({ UserName: 'self-reset', SerialNumber: dev.VirtualMFADevice?.SerialNumber, AuthenticationCode1: totp(seed, now - 2 * STEP), AuthenticationCode2: totp(seed, now - STEP) })));
  assert.equal(e.name, 'InvalidAuthenticationCodeException', 'still locked');
});
