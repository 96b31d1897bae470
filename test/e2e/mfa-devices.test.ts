// MFA devices through the JS SDK: every error path, replay, the brute-force lock, resync drift, limits, tags,
// paging, root-owned devices, and the shared code check (verifyMfaCode) that STS and the console will call.
// Codes come from the otpauth library, not from Gatehouse's src/mfa.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { TOTP, Secret } from 'otpauth';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects } from '../helpers/clients.js';
import type { SdkError } from '../helpers/clients.js';
import { openDatabase } from '../../src/store/index.js';
import { IamStore } from '../../src/store/iam-store.js';
import { MfaStore } from '../../src/store/mfa-store.js';
import { loadMasterKey, SecretBox } from '../../src/store/secrets.js';
import { createAccessKey } from '../../src/iam/access-keys.js';
import { rootPrincipal } from '../../src/iam/principals.js';
import { verifyMfaCode, enableRootMfaDevice, deactivateRootMfaDevice, resetMfaThrottle } from '../../src/iam/mfa-devices.js';
import { ServiceError } from '../../src/errors.js';
import { toAwsError } from '../../src/aws/errors.js';

const STEP_MS = 30_000;
const code = (base32: string, tMs: number): string => new TOTP({ secret: Secret.fromBase32(base32), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: tMs });
/** A code guaranteed different from the right ones for the window around tMs. */
function wrongCode(base32: string, tMs: number): string {
  const right = new Set([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5].map((k) => code(base32, tMs + k * STEP_MS)));
  for (let i = 0; ; i++) { const c = String(i).padStart(6, '0'); if (!right.has(c)) return c; }
}

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

/** The node's store opened in this process, as the domain functions take it (with the context ctxAt adds). */
interface Direct {
  db: Awaited<ReturnType<typeof openDatabase>>;
  store: IamStore;
  mfaStore: MfaStore;
  secrets: SecretBox;
  config: Record<string, never>;
}

let node: Node;
let client: I.IAMClient;
let direct: Direct; // the node's own database, for the domain functions (root enrolment, verifyMfaCode)
before(async () => {
  node = await startGatehouse();
  client = iam(node);
  const db = await openDatabase({ dataDir: node.dataDir, databaseUrl: node.databaseUrl });
  const store = new IamStore(db);
  direct = {
    db, store, mfaStore: new MfaStore(db),
    secrets: new SecretBox(loadMasterKey({ dataDir: node.dataDir, envKey: undefined })!), // the node has written its key
    config: {},
  };
});
after(async () => { await direct?.db.close(); await node?.stop(); });

async function ctxAt(nowMs = Date.now()) {
  const account = (await direct.store.getAccount(node.accountId))!; // the node made it at start
  return { ...direct, account, principal: rootPrincipal(node.accountId, 'none'), now: new Date(nowMs) };
}

/** A new virtual device: its serial, its seed as base32 text, its QR PNG. */
interface Device { serial: string; seed: string; png: Uint8Array | undefined }
async function newDevice(name: string, opts: Omit<I.CreateVirtualMFADeviceCommandInput, 'VirtualMFADeviceName'> = {}): Promise<Device> {
  const r = await client.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name, ...opts }));
  return { serial: r.VirtualMFADevice!.SerialNumber!, seed: Buffer.from(r.VirtualMFADevice!.Base32StringSeed!).toString('ascii'), png: r.VirtualMFADevice!.QRCodePNG };
}
const enable = (user: string, dev: Device, t = Date.now(), c1 = code(dev.seed, t), c2 = code(dev.seed, t + STEP_MS)): Promise<I.EnableMFADeviceCommandOutput> =>
  client.send(new I.EnableMFADeviceCommand({ UserName: user, SerialNumber: dev.serial, AuthenticationCode1: c1, AuthenticationCode2: c2 }));
const user = (name: string): Promise<I.CreateUserCommandOutput> => client.send(new I.CreateUserCommand({ UserName: name }));
const owner = async (name: string) => ({ ownerType: 'user' as const, ownerId: (await direct.store.getUser(node.accountId, name))!.userId });

/** A sign-in check's reason for refusing (none when it succeeded). */
const reasonOf = (r: object): unknown => ('reason' in r ? r.reason : undefined);

function assertAws(e: SdkError, name: string, status: number, message?: RegExp): void {
  assert.equal(e.name, name, e.message);
  assert.equal(e.$metadata.httpStatusCode, status);
  if (message) assert.match(e.message, message);
}

test('CreateVirtualMFADevice: serial, 64-char seed, PNG, sealed at rest; duplicate, bad path and over-long serial refused', async () => {
  const dev = await newDevice('frank', { Path: '/ops/', Tags: [{ Key: 'k', Value: 'v' }] });
  assert.equal(dev.serial, `arn:aws:iam::${node.accountId}:mfa/ops/frank`);
  assert.match(dev.seed, /^[A-Z2-7]{64}$/);
  assert.equal(Buffer.from(dev.png!).subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'a PNG');
  const row = (await direct.mfaStore.getDevice(node.accountId, dev.serial))!;
  assert.match(row.secretEnc, /^v1:/);
  assert.ok(!row.secretEnc.includes(dev.seed) && !JSON.stringify(row).includes(dev.seed), 'the seed is not stored in clear');

  assertAws(await rejects(client.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'frank', Path: '/ops/' }))), 'EntityAlreadyExistsException', 409);
  // Same name, another path: another device
  await newDevice('frank');
  assertAws(await rejects(client.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'x', Path: 'nope' }))), 'ValidationError', 400);
  assertAws(await rejects(client.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'has space' }))), 'ValidationError', 400);
  assertAws(await rejects(client.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'n'.repeat(240) }))), 'InvalidInputException', 400, /longer than 256/);
});

test('EnableMFADevice error paths: unknown user or serial, assigned device, wrong and non-consecutive codes', async () => {
  await user('gina');
  await user('hank');
  const dev = await newDevice('gina-phone');
  const t = Date.now();
  assertAws(await rejects(enable('nobody', dev)), 'NoSuchEntityException', 404);
  assertAws(await rejects(enable('gina', { ...dev, serial: `${dev.serial}-nope` })), 'NoSuchEntityException', 404);
  assertAws(await rejects(enable('gina', { ...dev, serial: 'GAHT99999999' })), 'NoSuchEntityException', 404);
  const iac = await rejects(enable('gina', dev, t, code(dev.seed, t), code(dev.seed, t + 2 * STEP_MS)));
  assertAws(iac, 'InvalidAuthenticationCodeException', 403, /^Authentication code for device is not valid\.$/);
  assertAws(await rejects(enable('gina', dev, t, code(dev.seed, t), code(dev.seed, t))), 'InvalidAuthenticationCodeException', 403);
  assertAws(await rejects(enable('gina', dev, t, code(dev.seed, t - 10 * STEP_MS), code(dev.seed, t - 9 * STEP_MS))), 'InvalidAuthenticationCodeException', 403, undefined);
  await enable('gina', dev, t);
  assertAws(await rejects(enable('gina', dev, t + 2 * STEP_MS)), 'EntityAlreadyExistsException', 409);
  assertAws(await rejects(enable('hank', dev, t + 2 * STEP_MS)), 'EntityAlreadyExistsException', 409);
  const listed = await client.send(new I.ListMFADevicesCommand({ UserName: 'gina' }));
  assert.deepEqual(listed.MFADevices!.map((d) => d.SerialNumber), [dev.serial]);
  assert.ok(listed.MFADevices![0]!.EnableDate instanceof Date);
  // GetMFADevice accepts FIDO security key ARNs only, as AWS (FIDO devices: test/e2e/console-webauthn.test.ts).
  assertAws(await rejects(client.send(new I.GetMFADeviceCommand({ UserName: 'gina', SerialNumber: dev.serial }))), 'NoSuchEntityException', 404, /FIDO security key ARNs only/);
  assertAws(await rejects(client.send(new I.GetMFADeviceCommand({ UserName: 'hank', SerialNumber: dev.serial }))), 'NoSuchEntityException', 404);
});

test('at most 8 MFA devices per user: the 9th is LimitExceeded', async () => {
  await user('ivy');
  const t = Date.now();
  for (let i = 0; i < 8; i++) await enable('ivy', await newDevice(`ivy-${i}`), t);
  assertAws(await rejects(enable('ivy', await newDevice('ivy-8'), t)), 'LimitExceededException', 409);
  const page1 = await client.send(new I.ListMFADevicesCommand({ UserName: 'ivy', MaxItems: 5 }));
  assert.equal(page1.MFADevices!.length, 5);
  assert.equal(page1.IsTruncated, true);
  const page2 = await client.send(new I.ListMFADevicesCommand({ UserName: 'ivy', Marker: page1.Marker }));
  assert.equal(page2.MFADevices!.length, 3);
  assert.equal(page2.IsTruncated, false);
  assert.equal(new Set([...page1.MFADevices!, ...page2.MFADevices!].map((d) => d.SerialNumber)).size, 8);
});

test('replay: the enrolment codes are spent; re-enabling with them, older codes or the same code again all fail', async () => {
  await user('jack');
  const dev = await newDevice('jack-phone');
  const t = Date.now();
  await enable('jack', dev, t);
  const who = await owner('jack');
  const ctx = await ctxAt(t);
  // Sign-in checks (the ±1 window around the drift the enrolment recorded)
  assert.deepEqual(await verifyMfaCode(await ctxAt(t), { serialNumber: dev.serial, ...who, code: code(dev.seed, t + STEP_MS) }), { ok: false, reason: 'replay' }, 'the 2nd enrolment code');
  assert.deepEqual(await verifyMfaCode(await ctxAt(t), { serialNumber: dev.serial, ...who, code: code(dev.seed, t) }), { ok: false, reason: 'replay' }, 'the 1st enrolment code');
  assert.deepEqual(await verifyMfaCode(ctx, { serialNumber: dev.serial, ...who, code: code(dev.seed, t + 2 * STEP_MS) }), { ok: true }, 'the next code');
  assert.deepEqual(await verifyMfaCode(await ctxAt(t), { serialNumber: dev.serial, ...who, code: code(dev.seed, t + 2 * STEP_MS) }), { ok: false, reason: 'replay' }, 'the same code twice');
  // Wrong owner or unknown serial: refused like a wrong code
  assert.equal((await verifyMfaCode(await ctxAt(t), { serialNumber: dev.serial, ownerType: 'root', ownerId: node.accountId, code: code(dev.seed, t + 3 * STEP_MS) })).ok, false);
  assert.equal((await verifyMfaCode(await ctxAt(t), { serialNumber: 'arn:aws:iam::000000000000:mfa/none', ...who, code: '123456' })).ok, false);

  // Replays count as failures for the brute-force lock; the success in between reset the count, so: the
  // replayed 'same code twice' and the unknown serial
  assert.equal((await direct.mfaStore.getThrottle(node.accountId, 'user', who.ownerId)).failures, 2);
  await resetMfaThrottle(await ctxAt(), 'user', who.ownerId);

  // Resync with the enrolment pair: spent. Deactivate and re-enable with the enrolment pair: still spent.
  const resync = (c1: string, c2: string): Promise<I.ResyncMFADeviceCommandOutput> => client.send(new I.ResyncMFADeviceCommand({ UserName: 'jack', SerialNumber: dev.serial, AuthenticationCode1: c1, AuthenticationCode2: c2 }));
  assertAws(await rejects(resync(code(dev.seed, t), code(dev.seed, t + STEP_MS))), 'InvalidAuthenticationCodeException', 403);
  await client.send(new I.DeactivateMFADeviceCommand({ UserName: 'jack', SerialNumber: dev.serial }));
  assertAws(await rejects(enable('jack', dev, t)), 'InvalidAuthenticationCodeException', 403);
  assertAws(await rejects(enable('jack', dev, t + STEP_MS)), 'InvalidAuthenticationCodeException', 403, undefined);
  await enable('jack', dev, t + 3 * STEP_MS);
});

test('brute force: the 5th wrong code locks the principal; while locked even the right code fails; the lock lifts', async () => {
  await user('kate');
  await user('liam');
  const dev = await newDevice('kate-phone');
  const other = await newDevice('liam-phone');
  const t = Date.now();
  // Over the wire: four wrong enrolments are only failures ...
  for (let i = 0; i < 4; i++) assertAws(await rejects(enable('kate', dev, t, wrongCode(dev.seed, t), wrongCode(dev.seed, t))), 'InvalidAuthenticationCodeException', 403);
  assert.deepEqual(await direct.mfaStore.getThrottle(node.accountId, 'user', (await owner('kate')).ownerId), { failures: 4, lockedUntilMs: 0 });
  // ... the fifth locks, and then the right pair is refused too
  assertAws(await rejects(enable('kate', dev, t, wrongCode(dev.seed, t), wrongCode(dev.seed, t))), 'InvalidAuthenticationCodeException', 403);
  const locked = await direct.mfaStore.getThrottle(node.accountId, 'user', (await owner('kate')).ownerId);
  assert.equal(locked.failures, 5);
  assert.ok(locked.lockedUntilMs > Date.now() + 50_000 && locked.lockedUntilMs <= Date.now() + 60_000, 'a 1-minute lock');
  assertAws(await rejects(enable('kate', dev, t)), 'InvalidAuthenticationCodeException', 403);
  assert.deepEqual(await client.send(new I.ListMFADevicesCommand({ UserName: 'kate' })).then((r) => r.MFADevices), [], 'not enabled');
  assert.deepEqual(await direct.mfaStore.getThrottle(node.accountId, 'user', (await owner('kate')).ownerId), locked, 'attempts during a lock do not extend it');
  // Another user is not affected
  await enable('liam', other, t);

  // The lock lifts after its minute (simulated clock): the right pair works and the count resets
  const later = locked.lockedUntilMs + 1000;
  const { enableDevice, userOwner } = await import('../../src/iam/mfa-devices.js');
  const kate = (await direct.store.getUser(node.accountId, 'kate'))!;
  await enableDevice(await ctxAt(later), userOwner(kate), dev.serial, code(dev.seed, later), code(dev.seed, later + STEP_MS));
  assert.deepEqual(await direct.mfaStore.getThrottle(node.accountId, 'user', kate.userId), { failures: 0, lockedUntilMs: 0 });

  // Sign-in checks share the same per-principal lock: 5 wrong codes, then the right one is 'locked'
  const who = { ownerType: 'user' as const, ownerId: kate.userId };
  const t2 = later + 10 * STEP_MS;
  for (let i = 0; i < 5; i++) assert.equal(reasonOf(await verifyMfaCode(await ctxAt(t2), { serialNumber: dev.serial, ...who, code: wrongCode(dev.seed, t2) })), 'invalid');
  assert.deepEqual(await verifyMfaCode(await ctxAt(t2), { serialNumber: dev.serial, ...who, code: code(dev.seed, t2) }), { ok: false, reason: 'locked', lockedUntil: new Date(t2 + 60_000) });
  // A sixth failure after the first lock expires locks for 2 minutes
  const t3 = t2 + 61_000;
  assert.equal(reasonOf(await verifyMfaCode(await ctxAt(t3), { serialNumber: dev.serial, ...who, code: wrongCode(dev.seed, t3) })), 'invalid');
  const s6 = await direct.mfaStore.getThrottle(node.accountId, 'user', kate.userId);
  assert.equal(s6.failures, 6);
  assert.equal(s6.lockedUntilMs, t3 + 120_000);
  assert.deepEqual(await verifyMfaCode(await ctxAt(t3 + 121_000), { serialNumber: dev.serial, ...who, code: code(dev.seed, t3 + 121_000) }), { ok: true });
});

test('ResyncMFADevice: a pair up to 10 minutes off is accepted and its drift is kept for later checks', async () => {
  await user('mia');
  const dev = await newDevice('mia-token');
  const t = Date.now();
  await enable('mia', dev, t);
  const who = await owner('mia');
  const resync = (c1: string, c2: string): Promise<I.ResyncMFADeviceCommandOutput> => client.send(new I.ResyncMFADeviceCommand({ UserName: 'mia', SerialNumber: dev.serial, AuthenticationCode1: c1, AuthenticationCode2: c2 }));
  // The token runs 11 minutes fast: outside the resync window
  assertAws(await rejects(resync(code(dev.seed, t + 22 * STEP_MS), code(dev.seed, t + 23 * STEP_MS))), 'InvalidAuthenticationCodeException', 403);
  // 9.5 minutes fast: accepted
  await resync(code(dev.seed, t + 18 * STEP_MS), code(dev.seed, t + 19 * STEP_MS));
  const row = (await direct.mfaStore.getDevice(node.accountId, dev.serial))!;
  assert.ok(Number(row.drift) >= 18 && Number(row.drift) <= 19, `drift recorded in steps: ${row.drift}`);
  // Now a code from the fast token is accepted at real time, and a code of the real current step is not
  assert.deepEqual(await verifyMfaCode(await ctxAt(t), { serialNumber: dev.serial, ...who, code: code(dev.seed, t + 20 * STEP_MS) }), { ok: true });
  assert.equal((await verifyMfaCode(await ctxAt(t), { serialNumber: dev.serial, ...who, code: code(dev.seed, t + 5 * STEP_MS) })).ok, false);
  // Resync needs the device to be this user's
  await user('noah');
  assertAws(await rejects(client.send(new I.ResyncMFADeviceCommand({ UserName: 'noah', SerialNumber: dev.serial, AuthenticationCode1: '123456', AuthenticationCode2: '123456' }))), 'NoSuchEntityException', 404);
  assertAws(await rejects(client.send(new I.ResyncMFADeviceCommand({ UserName: 'ghost', SerialNumber: dev.serial, AuthenticationCode1: '123456', AuthenticationCode2: '123456' }))), 'NoSuchEntityException', 404);
  await resetMfaThrottle(await ctxAt(), 'user', who.ownerId);
});

test('DeactivateMFADevice and DeleteVirtualMFADevice error paths; DeleteUser refuses while a device is enabled', async () => {
  await user('olga');
  await user('pete');
  const dev = await newDevice('olga-phone');
  await enable('olga', dev);
  assertAws(await rejects(client.send(new I.DeactivateMFADeviceCommand({ UserName: 'pete', SerialNumber: dev.serial }))), 'NoSuchEntityException', 404);
  assertAws(await rejects(client.send(new I.DeactivateMFADeviceCommand({ UserName: 'ghost', SerialNumber: dev.serial }))), 'NoSuchEntityException', 404);
  assertAws(await rejects(client.send(new I.DeactivateMFADeviceCommand({ UserName: 'olga', SerialNumber: `${dev.serial}x` }))), 'NoSuchEntityException', 404);
  assertAws(await rejects(client.send(new I.DeleteVirtualMFADeviceCommand({ SerialNumber: dev.serial }))), 'DeleteConflictException', 409);
  assertAws(await rejects(client.send(new I.DeleteUserCommand({ UserName: 'olga' }))), 'DeleteConflictException', 409);
  await client.send(new I.DeactivateMFADeviceCommand({ UserName: 'olga', SerialNumber: dev.serial }));
  assertAws(await rejects(client.send(new I.DeactivateMFADeviceCommand({ UserName: 'olga', SerialNumber: dev.serial }))), 'NoSuchEntityException', 404);
  await client.send(new I.DeleteUserCommand({ UserName: 'olga' }));
  await client.send(new I.DeleteVirtualMFADeviceCommand({ SerialNumber: dev.serial }));
  assertAws(await rejects(client.send(new I.DeleteVirtualMFADeviceCommand({ SerialNumber: dev.serial }))), 'NoSuchEntityException', 404);
  assertAws(await rejects(client.send(new I.ListMFADevicesCommand({ UserName: 'ghost' }))), 'NoSuchEntityException', 404);
});

test("ListMFADevices defaults to the caller's own devices; ListVirtualMFADevices filters and pages", async () => {
  const mine = await newDevice('admin-phone');
  await enable('admin', mine);
  const own = await client.send(new I.ListMFADevicesCommand({}));
  assert.deepEqual(own.MFADevices!.map((d) => [d.UserName, d.SerialNumber]), [['admin', mine.serial]]);
  assertAws(await rejects(client.send(new I.GetMFADeviceCommand({ SerialNumber: mine.serial }))), 'NoSuchEntityException', 404, /FIDO security key ARNs only/);

  const all: I.VirtualMFADevice[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new I.ListVirtualMFADevicesCommand({ MaxItems: 3, Marker: marker }));
    assert.ok(page.VirtualMFADevices!.length <= 3);
    all.push(...page.VirtualMFADevices!);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  const serials = all.map((d) => d.SerialNumber);
  assert.equal(new Set(serials).size, serials.length, 'no device twice across pages');
  const assigned = (await client.send(new I.ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned', MaxItems: 1000 }))).VirtualMFADevices!;
  const unassigned = (await client.send(new I.ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned', MaxItems: 1000 }))).VirtualMFADevices!;
  assert.equal(assigned.length + unassigned.length, all.length);
  assert.ok(assigned.every((d) => d.User && d.EnableDate instanceof Date) && unassigned.every((d) => !d.User && !d.EnableDate));
  assert.ok(all.every((d) => !d.Base32StringSeed && !d.QRCodePNG), 'seeds and QR codes only on creation');
  const admin = assigned.find((d) => d.SerialNumber === mine.serial)!;
  assert.equal(admin.User!.UserName, 'admin');
  assertAws(await rejects(client.send(new I.ListVirtualMFADevicesCommand({ AssignmentStatus: 'Maybe' as I.AssignmentStatusType }))), 'ValidationError', 400);
  assertAws(await rejects(client.send(new I.ListVirtualMFADevicesCommand({ Marker: 'not-a-marker' }))), 'InvalidInputException', 400);
});

test('TagMFADevice, UntagMFADevice, ListMFADeviceTags', async () => {
  const dev = await newDevice('tagged', { Tags: [{ Key: 'team', Value: 'a' }] });
  await client.send(new I.TagMFADeviceCommand({ SerialNumber: dev.serial, Tags: [{ Key: 'TEAM', Value: 'b' }, { Key: 'cost', Value: '1' }, { Key: 'env', Value: '' }] }));
  const p1 = await client.send(new I.ListMFADeviceTagsCommand({ SerialNumber: dev.serial, MaxItems: 2 }));
  assert.equal(p1.IsTruncated, true);
  const p2 = await client.send(new I.ListMFADeviceTagsCommand({ SerialNumber: dev.serial, Marker: p1.Marker }));
  assert.deepEqual([...p1.Tags!, ...p2.Tags!], [{ Key: 'TEAM', Value: 'b' }, { Key: 'cost', Value: '1' }, { Key: 'env', Value: '' }]);
  await client.send(new I.UntagMFADeviceCommand({ SerialNumber: dev.serial, TagKeys: ['team', 'env'] }));
  assert.deepEqual((await client.send(new I.ListMFADeviceTagsCommand({ SerialNumber: dev.serial }))).Tags, [{ Key: 'cost', Value: '1' }]);
  const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  assertAws(await rejects(client.send(new I.TagMFADeviceCommand({ SerialNumber: dev.serial, Tags: many }))), 'LimitExceededException', 409);
  assertAws(await rejects(client.send(new I.TagMFADeviceCommand({ SerialNumber: dev.serial, Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] }))), 'InvalidInputException', 400);
  assertAws(await rejects(client.send(new I.TagMFADeviceCommand({ SerialNumber: `${dev.serial}x`, Tags: [{ Key: 'a', Value: '1' }] }))), 'NoSuchEntityException', 404);
  assertAws(await rejects(client.send(new I.ListMFADeviceTagsCommand({ SerialNumber: `${dev.serial}x` }))), 'NoSuchEntityException', 404);
});

test('root user: devices enabled through the domain functions appear as AWS shows them and count in the summary', async () => {
  const ctx = await ctxAt();
  const rootKey = await createAccessKey(ctx, null);
  const root = iam(node, { accessKeyId: rootKey.row.accessKeyId, secretAccessKey: rootKey.secret });
  const before = (await client.send(new I.GetAccountSummaryCommand({}))).SummaryMap!;
  assert.equal(before.AccountMFAEnabled, 0);

  const created = await root.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'root-account-mfa-device' }));
  const dev = { serial: created.VirtualMFADevice!.SerialNumber!, seed: Buffer.from(created.VirtualMFADevice!.Base32StringSeed!).toString('ascii'), png: undefined };
  const t = Date.now();
  await assert.rejects(enableRootMfaDevice(await ctxAt(t), dev.serial, '000000', '000000'), (e: unknown) => e instanceof ServiceError && e.code === 'InvalidAuthenticationCode' && toAwsError(e).status === 403); // the status it answers with
  await enableRootMfaDevice(await ctxAt(t), dev.serial, code(dev.seed, t), code(dev.seed, t + STEP_MS));

  const own = await root.send(new I.ListMFADevicesCommand({}));
  assert.deepEqual(own.MFADevices!.map((d) => [d.UserName, d.SerialNumber]), [[node.accountId, dev.serial]], "the root caller's own devices");
  assertAws(await rejects(root.send(new I.GetMFADeviceCommand({ SerialNumber: dev.serial }))), 'NoSuchEntityException', 404, /FIDO security key ARNs only/);
  const listed = (await client.send(new I.ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned', MaxItems: 1000 }))).VirtualMFADevices!.find((d) => d.SerialNumber === dev.serial)!;
  assert.equal(listed.User!.Arn, `arn:aws:iam::${node.accountId}:root`);
  assert.equal(listed.User!.UserId, node.accountId);
  assert.equal(listed.User!.UserName, undefined);
  assert.equal(listed.User!.Path, undefined);
  const summary = (await client.send(new I.GetAccountSummaryCommand({}))).SummaryMap!;
  assert.equal(summary.AccountMFAEnabled, 1);
  assert.equal(summary.MFADevicesInUse, before.MFADevicesInUse! + 1);
  assert.equal(summary.MFADevices, before.MFADevices! + 1);
  // An IAM user cannot take the root's device
  await user('quinn');
  assertAws(await rejects(enable('quinn', dev, t + 2 * STEP_MS)), 'EntityAlreadyExistsException', 409);
  // Root replay rules are the same
  assert.deepEqual(await verifyMfaCode(await ctxAt(t), { serialNumber: dev.serial, ownerType: 'root', ownerId: node.accountId, code: code(dev.seed, t + STEP_MS) }), { ok: false, reason: 'replay' });
  assert.deepEqual(await verifyMfaCode(await ctxAt(t), { serialNumber: dev.serial, ownerType: 'root', ownerId: node.accountId, code: code(dev.seed, t + 2 * STEP_MS) }), { ok: true });

  // The root caller deactivates its own device without a UserName; the domain function works the same way
  await root.send(new I.DeactivateMFADeviceCommand({ SerialNumber: dev.serial }));
  assert.equal((await client.send(new I.GetAccountSummaryCommand({}))).SummaryMap!.AccountMFAEnabled, 0);
  await enableRootMfaDevice(await ctxAt(t + 3 * STEP_MS), dev.serial, code(dev.seed, t + 3 * STEP_MS), code(dev.seed, t + 4 * STEP_MS));
  await deactivateRootMfaDevice(await ctxAt(), dev.serial);
  await assert.rejects(deactivateRootMfaDevice(await ctxAt(), dev.serial), (e: unknown) => e instanceof ServiceError && e.code === 'NoSuchEntity');
});
