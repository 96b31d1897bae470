// The virtual-MFA flow of AWS's guide, with the real aws CLI's exact commands and with boto3: create (QR PNG and
// seed file), scan, enable with two consecutive codes, list, resync, deactivate, delete. Codes come from oathtool
// and the otpauth library, never from Gatehouse's own TOTP code; the QR PNG is decoded with pngjs + jsqr.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { TOTP, Secret } from 'otpauth';
import { startGatehouse } from '../helpers/server.js';
import { oathtool, skipWithout } from '../helpers/tools.js';
import { awsCli, boto3, NO_AWS_CLI, NO_BOTO3, SDK_TEST_CONFIG } from '../helpers/clients.js';

import pngjs from 'pngjs';
const { PNG } = pngjs;
// jsqr is CommonJS with an ES-style default export in its types: module.exports.default is the same function.
const jsQR = jsQRModule.default;
type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** The parts of the aws CLI's MFA outputs read here (its JSON: timestamps as strings). */
interface CliMfaDevice { UserName: string; SerialNumber: string; EnableDate: string }
interface CliVirtualDevice { SerialNumber: string; User: { UserName: string; Arn: string } }
interface CliOutput {
  VirtualMFADevice: { SerialNumber: string };
  MFADevices: CliMfaDevice[];
  VirtualMFADevices: CliVirtualDevice[];
  SummaryMap: Record<string, number>;
}
type CliResult = Awaited<ReturnType<typeof awsCli>>;
/** A command's parsed output, of the shape CliOutput names. */
const out = (r: CliResult): CliOutput => r.json as CliOutput; // the CLI prints the operation's output as JSON

const NO_OATHTOOL = skipWithout('oathtool'); // fails instead of skipping in CI (helpers/tools.ts)
let node: Node;
let dir: string;
before(async () => { node = await startGatehouse(); dir = mkdtempSync(join(tmpdir(), 'gatehouse-mfa-cli-')); });
after(async () => { await node?.stop(); rmSync(dir, { recursive: true, force: true }); });

const STEP_MS = 30_000;
/** oathtool's code for the step containing unix time tMs. */
const oath = (base32: string, tMs: number): string => oathtool(['--totp', '-b', '-N', `@${Math.floor(tMs / 1000)}`, base32]);
/** The otpauth library's code (a second independent implementation). */
const lib = (base32: string, tMs: number): string => new TOTP({ secret: Secret.fromBase32(base32), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: tMs });

function decodeQr(png: Buffer): string {
  const img = PNG.sync.read(png);
  const qr = jsQR(new Uint8ClampedArray(img.data), img.width, img.height);
  assert.ok(qr, 'the PNG holds a readable QR code');
  return qr.data;
}

const cli = (args: string[]): Promise<CliResult> => awsCli(node, args, node.admin, { cwd: dir });
function assertCliError(r: CliResult, code: string): void {
  assert.equal(r.ok, false, `expected ${code}, got success: ${r.stdout}`);
  assert.match(r.stderr, new RegExp(`\\(${code}\\)`), r.stderr);
}

test('aws CLI: the whole virtual MFA walk-through with a QR code and with a seed file', { skip: NO_AWS_CLI || NO_OATHTOOL }, async () => {
  // 1. create-virtual-mfa-device --bootstrap-method QRCodePNG writes a scannable PNG
  const qr = await cli(['iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'alice-phone', '--outfile', join(dir, 'alice.png'), '--bootstrap-method', 'QRCodePNG']);
  assert.ok(qr.ok, qr.stderr);
  const serial = `arn:aws:iam::${node.accountId}:mfa/alice-phone`;
  assert.equal(out(qr).VirtualMFADevice.SerialNumber, serial);
  const uri = decodeQr(readFileSync(join(dir, 'alice.png')));
  const m = /^otpauth:\/\/totp\/Gatehouse:alice-phone@(\d{12})\?secret=([A-Z2-7]{64})&issuer=Gatehouse$/.exec(uri);
  assert.ok(m, `QR URI in the expected form: ${uri}`);
  assert.equal(m[1], node.accountId, 'no alias: the account id names the account');
  const seed = m[2]!;

  // 2. the user scans it; enable-mfa-device with two consecutive codes
  assert.ok((await cli(['iam', 'create-user', '--user-name', 'alice'])).ok);
  const t = Date.now();
  const enable = await cli(['iam', 'enable-mfa-device', '--user-name', 'alice', '--serial-number', serial,
    '--authentication-code1', oath(seed, t), '--authentication-code2', oath(seed, t + STEP_MS)]);
  assert.ok(enable.ok, enable.stderr);

  // 3. list-mfa-devices and list-virtual-mfa-devices
  const listed = await cli(['iam', 'list-mfa-devices', '--user-name', 'alice']);
  assert.equal(out(listed).MFADevices.length, 1);
  assert.equal(out(listed).MFADevices[0]!.UserName, 'alice');
  assert.equal(out(listed).MFADevices[0]!.SerialNumber, serial);
  assert.match(out(listed).MFADevices[0]!.EnableDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const assigned = await cli(['iam', 'list-virtual-mfa-devices', '--assignment-status', 'Assigned']);
  assert.deepEqual(out(assigned).VirtualMFADevices.map((d) => [d.SerialNumber, d.User.UserName, d.User.Arn]),
    [[serial, 'alice', `arn:aws:iam::${node.accountId}:user/alice`]]);
  assert.ok(!listed.stdout.includes(seed) && !assigned.stdout.includes(seed), 'the seed never appears after creation');
  assert.ok(!('Base32StringSeed' in out(assigned).VirtualMFADevices[0]!) && !('QRCodePNG' in out(assigned).VirtualMFADevices[0]!));

  // 4. resync-mfa-device with the next two codes; the same pair again is a replay
  const resyncArgs = ['iam', 'resync-mfa-device', '--user-name', 'alice', '--serial-number', serial,
    '--authentication-code1', lib(seed, t + 2 * STEP_MS), '--authentication-code2', lib(seed, t + 3 * STEP_MS)];
  const resync = await cli(resyncArgs);
  assert.ok(resync.ok, resync.stderr);
  assertCliError(await cli(resyncArgs), 'InvalidAuthenticationCode');

  // 5. a device that is in use cannot be deleted; deactivate, then delete
  assertCliError(await cli(['iam', 'delete-virtual-mfa-device', '--serial-number', serial]), 'DeleteConflict');
  assert.ok((await cli(['iam', 'deactivate-mfa-device', '--user-name', 'alice', '--serial-number', serial])).ok);
  assert.deepEqual(out(await cli(['iam', 'list-mfa-devices', '--user-name', 'alice'])).MFADevices, []);
  const unassigned = await cli(['iam', 'list-virtual-mfa-devices', '--assignment-status', 'Unassigned']);
  assert.deepEqual(out(unassigned).VirtualMFADevices, [{ SerialNumber: serial }], 'a deactivated virtual device stays, unassigned');
  assert.ok((await cli(['iam', 'delete-virtual-mfa-device', '--serial-number', serial])).ok);
  assert.deepEqual(out(await cli(['iam', 'list-virtual-mfa-devices'])).VirtualMFADevices, []);
  assertCliError(await cli(['iam', 'delete-virtual-mfa-device', '--serial-number', serial]), 'NoSuchEntity');

  // 6. --bootstrap-method Base32StringSeed writes the 64-character base32 seed; oathtool's codes enable it
  const seeded = await cli(['iam', 'create-virtual-mfa-device', '--path', '/team/', '--virtual-mfa-device-name', 'bob-token', '--outfile', join(dir, 'bob.txt'), '--bootstrap-method', 'Base32StringSeed']);
  assert.ok(seeded.ok, seeded.stderr);
  const serial2 = `arn:aws:iam::${node.accountId}:mfa/team/bob-token`;
  assert.equal(out(seeded).VirtualMFADevice.SerialNumber, serial2);
  const seed2 = readFileSync(join(dir, 'bob.txt'), 'utf8');
  assert.match(seed2, /^[A-Z2-7]{64}$/);
  assert.ok((await cli(['iam', 'create-user', '--user-name', 'bob'])).ok);
  const t2 = Date.now();
  // Codes out of order are not consecutive
  assertCliError(await cli(['iam', 'enable-mfa-device', '--user-name', 'bob', '--serial-number', serial2,
    '--authentication-code1', oath(seed2, t2 + STEP_MS), '--authentication-code2', oath(seed2, t2)]), 'InvalidAuthenticationCode');
  const ok2 = await cli(['iam', 'enable-mfa-device', '--user-name', 'bob', '--serial-number', serial2,
    '--authentication-code1', oath(seed2, t2), '--authentication-code2', oath(seed2, t2 + STEP_MS)]);
  assert.ok(ok2.ok, ok2.stderr);
  const summary = out(await cli(['iam', 'get-account-summary'])).SummaryMap;
  assert.equal(summary.MFADevices, 1);
  assert.equal(summary.MFADevicesInUse, 1);
  assert.equal(summary.AccountMFAEnabled, 0, 'no root device');
  assert.ok(!node.stdout.includes(seed) && !node.stderr.includes(seed) && !node.stderr.includes(seed2), 'seeds never reach the logs');
});

test('aws CLI: a wrong code is InvalidAuthenticationCode; 7 digits or letters are a ValidationError, not a 5xx', { skip: NO_AWS_CLI }, async () => {
  const r = await cli(['iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'carol-phone', '--outfile', join(dir, 'carol.png'), '--bootstrap-method', 'QRCodePNG']);
  assert.ok(r.ok, r.stderr);
  assert.ok((await cli(['iam', 'create-user', '--user-name', 'carol'])).ok);
  const serial = out(r).VirtualMFADevice.SerialNumber;
  const wrong = await cli(['iam', 'enable-mfa-device', '--user-name', 'carol', '--serial-number', serial, '--authentication-code1', '000000', '--authentication-code2', '000001']);
  assertCliError(wrong, 'InvalidAuthenticationCode');
  assert.match(wrong.stderr, /Authentication code for device is not valid\./);
  // (botocore itself refuses fewer than 6 characters; the longest and the non-digit cases reach the server)
  assertCliError(await cli(['iam', 'enable-mfa-device', '--user-name', 'carol', '--serial-number', serial, '--authentication-code1', '1234567', '--authentication-code2', '123456']), 'ValidationError');
  assertCliError(await cli(['iam', 'enable-mfa-device', '--user-name', 'carol', '--serial-number', serial, '--authentication-code1', 'abcdef', '--authentication-code2', '123456']), 'ValidationError');
  assertCliError(await cli(['iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'carol-phone', '--outfile', join(dir, 'x.png'), '--bootstrap-method', 'QRCodePNG']), 'EntityAlreadyExists');
});

test('boto3: seed bytes, QR PNG, enable, and the modeled exception classes with their status codes', { skip: NO_BOTO3 }, async () => {
  const created = await boto3(node, `
import base64
iam.create_account_alias(AccountAlias='acme-corp')
r = iam.create_virtual_mfa_device(VirtualMFADeviceName='dana-phone', Tags=[{'Key': 'owner', 'Value': 'dana'}])['VirtualMFADevice']
iam.create_user(UserName='dana')
out({'serial': r['SerialNumber'], 'seed': r['Base32StringSeed'].decode('ascii'), 'png': base64.b64encode(r['QRCodePNG']).decode(), 'tags': r.get('Tags')})
`) as { serial: string; seed: string; png: string; tags: unknown }; // what the snippet prints
  assert.equal(created.serial, `arn:aws:iam::${node.accountId}:mfa/dana-phone`);
  assert.match(created.seed, /^[A-Z2-7]{64}$/, 'boto3 gets the base32 text as bytes');
  assert.deepEqual(created.tags, [{ Key: 'owner', Value: 'dana' }]);
  const uri = decodeQr(Buffer.from(created.png, 'base64'));
  assert.equal(uri, `otpauth://totp/Gatehouse:dana-phone@acme-corp?secret=${created.seed}&issuer=Gatehouse`, 'the alias names the account');

  const t = Date.now();
  const [c1, c2] = [lib(created.seed, t), lib(created.seed, t + STEP_MS)];
  const result = await boto3(node, `
S = ${JSON.stringify(created.serial)}
res = {}
def attempt(name, fn):
    try:
        fn(); res[name] = 'ok'
    except botocore.exceptions.ClientError as e:
        res[name] = [type(e).__name__, e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
attempt('wrong', lambda: iam.enable_mfa_device(UserName='dana', SerialNumber=S, AuthenticationCode1='111111', AuthenticationCode2='222222'))
attempt('nouser', lambda: iam.enable_mfa_device(UserName='nobody', SerialNumber=S, AuthenticationCode1=${JSON.stringify(c1)}, AuthenticationCode2=${JSON.stringify(c2)}))
attempt('noserial', lambda: iam.enable_mfa_device(UserName='dana', SerialNumber=S + 'x', AuthenticationCode1=${JSON.stringify(c1)}, AuthenticationCode2=${JSON.stringify(c2)}))
attempt('enable', lambda: iam.enable_mfa_device(UserName='dana', SerialNumber=S, AuthenticationCode1=${JSON.stringify(c1)}, AuthenticationCode2=${JSON.stringify(c2)}))
attempt('again', lambda: iam.enable_mfa_device(UserName='dana', SerialNumber=S, AuthenticationCode1=${JSON.stringify(c1)}, AuthenticationCode2=${JSON.stringify(c2)}))
attempt('delete', lambda: iam.delete_virtual_mfa_device(SerialNumber=S))
attempt('deleteuser', lambda: iam.delete_user(UserName='dana'))
res['devices'] = [d['SerialNumber'] for d in iam.list_mfa_devices(UserName='dana')['MFADevices']]
pages = iam.get_paginator('list_virtual_mfa_devices').paginate(AssignmentStatus='Any', PaginationConfig={'PageSize': 1})
res['virtual'] = [d['SerialNumber'] for p in pages for d in p['VirtualMFADevices']]
try:
    iam.enable_mfa_device(UserName='dana', SerialNumber=S, AuthenticationCode1='000000', AuthenticationCode2='000000')
except iam.exceptions.EntityAlreadyExistsException:
    res['modeled'] = True
out(res)
`) as Record<'wrong' | 'nouser' | 'noserial' | 'enable' | 'again' | 'delete' | 'deleteuser', unknown> & { devices: string[]; virtual: string[]; modeled?: boolean }; // what the snippet prints
  assert.deepEqual(result.wrong, ['InvalidAuthenticationCodeException', 'InvalidAuthenticationCode', 403]);
  assert.deepEqual(result.nouser, ['NoSuchEntityException', 'NoSuchEntity', 404]);
  assert.deepEqual(result.noserial, ['NoSuchEntityException', 'NoSuchEntity', 404]);
  assert.equal(result.enable, 'ok');
  assert.deepEqual(result.again, ['EntityAlreadyExistsException', 'EntityAlreadyExists', 409], 'already assigned, even to the same user');
  assert.deepEqual(result.delete, ['DeleteConflictException', 'DeleteConflict', 409]);
  assert.deepEqual(result.deleteuser, ['DeleteConflictException', 'DeleteConflict', 409], 'DeleteUser refuses while the user owns a device');
  assert.deepEqual(result.devices, [created.serial]);
  assert.ok(result.virtual.includes(created.serial));
  assert.equal(result.modeled, true, "boto3's modeled exception class is raised");
});

test('the issuer in the QR code is configurable (GATEHOUSE_MFA_ISSUER)', async () => {
  const other = await startGatehouse({ env: { GATEHOUSE_MFA_ISSUER: 'Acme IT' } });
  try {
    const { IAMClient, CreateVirtualMFADeviceCommand } = await import('@aws-sdk/client-iam');
    const client = new IAMClient({ ...SDK_TEST_CONFIG, endpoint: other.endpoint, credentials: other.admin });
    const r = await client.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'erin' }));
    const seed = Buffer.from(r.VirtualMFADevice!.Base32StringSeed!).toString('ascii');
    assert.equal(decodeQr(Buffer.from(r.VirtualMFADevice!.QRCodePNG!)), `otpauth://totp/Acme%20IT:erin@${other.accountId}?secret=${seed}&issuer=Acme%20IT`);
  } finally {
    await other.stop();
  }
});
