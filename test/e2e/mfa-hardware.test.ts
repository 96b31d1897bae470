// Hardware TOTP tokens: `gatehouse hardware-tokens import` (CSV, PSKC plain and with a pre-shared key) into a
// running node's store, then EnableMFADevice with the bare serial and codes from oathtool / otpauth.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as I from '@aws-sdk/client-iam';
import { TOTP, Secret } from 'otpauth';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects } from '../helpers/clients.js';
import { oathtool } from '../helpers/tools.js';
import { sourcePath } from '../../src/paths.js';

const BIN = new URL('../../bin/gatehouse.js', import.meta.url).pathname;
const FIXTURES = `${sourcePath('test', 'mfa', 'fixtures')}/`;
const STEP_MS = 30_000;
type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

let node: Node;
let client: I.IAMClient;
let dir: string;
before(async () => { node = await startGatehouse(); client = iam(node); dir = mkdtempSync(join(tmpdir(), 'gatehouse-hw-')); });
after(async () => { await node?.stop(); rmSync(dir, { recursive: true, force: true }); });

/** How a gatehouse command ended: its exit code (0, or the child's), and what it printed. */
interface Run { code: number | string | null | undefined; stdout: string; stderr: string }
function gatehouse(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const storeArgs = ['--data', node.dataDir, ...(node.databaseUrl ? ['--database', node.databaseUrl] : [])];
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args, ...storeArgs], { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}
const file = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };
const hotp = (hexKey: string, tMs: number, { algorithm = 'SHA1', period = 30 }: { algorithm?: string; period?: number } = {}): string =>
  new TOTP({ secret: Secret.fromHex(hexKey), algorithm, digits: 6, period }).generate({ timestamp: tMs });
const oath = (hexKey: string, tMs: number): string => oathtool(['--totp', '-N', `@${Math.floor(tMs / 1000)}`, hexKey]);
const enable = (user: string, serial: string, c1: string, c2: string): Promise<I.EnableMFADeviceCommandOutput> => client.send(new I.EnableMFADeviceCommand({ UserName: user, SerialNumber: serial, AuthenticationCode1: c1, AuthenticationCode2: c2 }));

const key1 = randomBytes(20).toString('hex');
const key2 = randomBytes(32).toString('hex');
// otpauth copies any byte view (new Uint8Array(buffer)); its types name only ArrayBuffer.
const key2b32 = new Secret({ buffer: Buffer.from(key2, 'hex') as unknown as ArrayBuffer }).base32;

test('import a CSV inventory, enable a token by its bare serial, deactivate it back into the inventory', async () => {
  const csv = file('batch7.csv', `# Acme tokens, batch 7\nserial,seed,digits,period,algorithm\nGAHT00000001,${key1}\nGAHT00000002,base32:${key2b32},6,60,SHA256\n`);
  const r = await gatehouse(['hardware-tokens', 'import', csv]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Imported 2 hardware tokens/);
  assert.match(r.stdout, /1 × SHA1, 6 digits, 30 s/);
  assert.match(r.stdout, /1 × SHA256, 6 digits, 60 s/);
  assert.ok(!r.stdout.includes(key1) && !r.stdout.includes(key2b32), 'seeds are not printed');

  const listed = await gatehouse(['hardware-tokens', 'list']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /GAHT00000001\s+unassigned/);
  assert.match(listed.stdout, /2 tokens, 2 unassigned/);

  await client.send(new I.CreateUserCommand({ UserName: 'rita' }));
  const t = Date.now();
  assert.equal((await rejects(enable('rita', 'GAHT00000001', '000000', '111111'))).name, 'InvalidAuthenticationCodeException');
  await enable('rita', 'GAHT00000001', oath(key1, t), oath(key1, t + STEP_MS));
  // The SHA-256, 60-second token: codes of two consecutive 60 s steps
  await enable('rita', 'GAHT00000002', hotp(key2, t, { algorithm: 'SHA256', period: 60 }), hotp(key2, t + 60_000, { algorithm: 'SHA256', period: 60 }));
  const devices = await client.send(new I.ListMFADevicesCommand({ UserName: 'rita' }));
  assert.deepEqual(devices.MFADevices!.map((d) => d.SerialNumber), ['GAHT00000001', 'GAHT00000002'], 'bare serials, no ARN');
  const virtual = await client.send(new I.ListVirtualMFADevicesCommand({}));
  assert.ok(!virtual.VirtualMFADevices!.some((d) => d.SerialNumber!.startsWith('GAHT')), 'hardware tokens are not virtual devices');
  assert.match((await gatehouse(['hardware-tokens', 'list'])).stdout, /GAHT00000001\s+user rita/);
  assert.equal((await rejects(client.send(new I.DeleteVirtualMFADeviceCommand({ SerialNumber: 'GAHT00000001' })))).name, 'NoSuchEntityException');

  await client.send(new I.DeactivateMFADeviceCommand({ UserName: 'rita', SerialNumber: 'GAHT00000001' }));
  assert.match((await gatehouse(['hardware-tokens', 'list'])).stdout, /GAHT00000001\s+unassigned/);
  // Back in the inventory with its replay state: the enrolment codes stay spent
  await client.send(new I.CreateUserCommand({ UserName: 'sam' }));
  assert.equal((await rejects(enable('sam', 'GAHT00000001', oath(key1, t), oath(key1, t + STEP_MS)))).name, 'InvalidAuthenticationCodeException');
  await enable('sam', 'GAHT00000001', oath(key1, t + 2 * STEP_MS), oath(key1, t + 3 * STEP_MS));
  assert.deepEqual((await client.send(new I.ListMFADevicesCommand({ UserName: 'sam' }))).MFADevices!.map((d) => d.SerialNumber), ['GAHT00000001']);
});

test('all or nothing: duplicates, 8-digit tokens and malformed lines import nothing, with a clear message', async () => {
  const dup = await gatehouse(['hardware-tokens', 'import', file('dup.csv', `GAHT00000009,${randomBytes(20).toString('hex')}\nGAHT00000001,${key1}\n`)]);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /nothing imported/);
  assert.match(dup.stderr, /GAHT00000001 is already in the inventory/);

  const eight = await gatehouse(['hardware-tokens', 'import', file('eight.csv', `GAHT00000010,${randomBytes(20).toString('hex')}\nGAHT00000011,${randomBytes(20).toString('hex')},8\n`)]);
  assert.equal(eight.code, 1);
  assert.match(eight.stderr, /GAHT00000011 shows 8-digit codes/);

  const bad = await gatehouse(['hardware-tokens', 'import', file('bad.csv', `GAHT00000012,${randomBytes(20).toString('hex')}\nGAHT00000013,not-a-seed!\n`)]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /line 2: /);

  const list = (await gatehouse(['hardware-tokens', 'list'])).stdout;
  for (const s of ['GAHT00000009', 'GAHT00000010', 'GAHT00000011', 'GAHT00000012', 'GAHT00000013']) assert.ok(!list.includes(s), `${s} was not imported`);
  assert.equal((await rejects(enable('rita', 'GAHT00000010', '123456', '123456'))).name, 'NoSuchEntityException');
});

test('PSKC: plain file imported; encrypted file needs the right pre-shared key; usage errors exit non-zero', async () => {
  const plain = file('tokens.pskcxml', `<?xml version="1.0" encoding="UTF-8"?>
<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">
  <KeyPackage>
    <DeviceInfo><Manufacturer>Acme</Manufacturer><SerialNo>GAKT00000101</SerialNo></DeviceInfo>
    <Key Id="k1" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp">
      <AlgorithmParameters><ResponseFormat Length="6" Encoding="DECIMAL"/></AlgorithmParameters>
      <Data>
        <Secret><PlainValue>${Buffer.from(key1, 'hex').toString('base64')}</PlainValue></Secret>
        <TimeInterval><PlainValue>30</PlainValue></TimeInterval>
      </Data>
    </Key>
  </KeyPackage>
</KeyContainer>
`);
  const ok = await gatehouse(['hardware-tokens', 'import', plain]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Imported 1 hardware token .*\(PSKC\)/);
  await client.send(new I.CreateUserCommand({ UserName: 'tess' }));
  const t = Date.now();
  await enable('tess', 'GAKT00000101', hotp(key1, t), hotp(key1, t + STEP_MS));

  // The AES-256 fixture (pre-shared key 0001…1f): it decrypts, then its 8-digit token refuses the whole file
  const fixture = join(FIXTURES, 'totp-aes256-preshared.pskcxml');
  const noKey = await gatehouse(['hardware-tokens', 'import', fixture]);
  assert.equal(noKey.code, 1);
  const wrongKey = await gatehouse(['hardware-tokens', 'import', fixture, '--psk', '00'.repeat(32)]);
  assert.equal(wrongKey.code, 1);
  assert.match(wrongKey.stderr, /nothing imported/);
  const rightKey = await gatehouse(['hardware-tokens', 'import', fixture, '--psk', '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f']);
  assert.equal(rightKey.code, 1);
  assert.match(rightKey.stderr, /GAHT10000002 shows 8-digit codes/);
  assert.ok(!(await gatehouse(['hardware-tokens', 'list'])).stdout.includes('GAHT10000001'), 'its 6-digit token was not imported either');

  assert.equal((await gatehouse(['hardware-tokens', 'import', join(dir, 'missing.csv')])).code, 1);
  assert.equal((await gatehouse(['hardware-tokens', 'import', plain, '--psk', 'xyz'])).code, 2);
  assert.equal((await gatehouse(['hardware-tokens', 'frobnicate'])).code, 2);
  const nowhere = await new Promise<{ code: number | string | null | undefined; stderr: string }>((resolve) => execFile(process.execPath, [BIN, 'hardware-tokens', 'list', '--data', join(dir, 'nothing-here')],
    { env: { ...process.env, GATEHOUSE_DATABASE_URL: '' } }, (err, stdout, stderr) => resolve({ code: err?.code ?? 0, stderr })));
  assert.equal(nowhere.code, 1);
  assert.match(nowhere.stderr, /no Gatehouse store/);
  const wrongMaster = await gatehouse(['hardware-tokens', 'list'], { GATEHOUSE_MASTER_KEY: '11'.repeat(32) });
  assert.equal(wrongMaster.code, 1);
  assert.match(wrongMaster.stderr, /master key does not match/);
});

test('one import reports every problem of the file at once (in the file and against the inventory)', async () => {
  const keyA = randomBytes(20).toString('hex');
  assert.equal((await gatehouse(['hardware-tokens', 'import', file('a.csv', `GAHT00000020,${keyA}\n`)])).code, 0);
  const mixed = await gatehouse(['hardware-tokens', 'import', file('mixed.csv',
    `GAHT00000020,${randomBytes(20).toString('hex')}\nGAHT00000021,${randomBytes(20).toString('hex')},8\nGAHT00000022,${randomBytes(20).toString('hex')}\nGAHT00000023,${randomBytes(20).toString('hex')},8\n`)]);
  assert.equal(mixed.code, 1);
  assert.match(mixed.stderr, /nothing imported; 3 problems/);
  assert.match(mixed.stderr, /GAHT00000020 is already in the inventory/);
  assert.match(mixed.stderr, /GAHT00000021 shows 8-digit codes/);
  assert.match(mixed.stderr, /GAHT00000023 shows 8-digit codes/);
  const malformed = await gatehouse(['hardware-tokens', 'import', file('malformed.csv', `GAHT00000024,not-a-seed!\nGAHT00000025,${randomBytes(20).toString('hex')}\nGAHT00000026,also-bad!\nGAHT00000025,${randomBytes(20).toString('hex')}\n`)]);
  assert.equal(malformed.code, 1);
  assert.match(malformed.stderr, /line 1: /);
  assert.match(malformed.stderr, /line 3: /);
  assert.match(malformed.stderr, /line 4: .*already appears on line 2/);
  const list = (await gatehouse(['hardware-tokens', 'list'])).stdout;
  for (const s of ['GAHT00000021', 'GAHT00000022', 'GAHT00000025']) assert.ok(!list.includes(s), `${s} was not imported`);
});

test('hardware-tokens remove takes an unassigned token out of the inventory, never an assigned one', async () => {
  const keyB = randomBytes(20).toString('hex');
  assert.equal((await gatehouse(['hardware-tokens', 'import', file('b.csv', `GAHT00000030,${keyB}\n`)])).code, 0);
  await client.send(new I.CreateUserCommand({ UserName: 'remo' }));
  const t = Date.now();
  await enable('remo', 'GAHT00000030', hotp(keyB, t - 2 * STEP_MS), hotp(keyB, t - STEP_MS));
  const assigned = await gatehouse(['hardware-tokens', 'remove', 'GAHT00000030']);
  assert.equal(assigned.code, 1);
  assert.match(assigned.stderr, /GAHT00000030 is assigned to an IAM user; deactivate it first/);
  await client.send(new I.DeactivateMFADeviceCommand({ UserName: 'remo', SerialNumber: 'GAHT00000030' }));
  const removed = await gatehouse(['hardware-tokens', 'remove', 'GAHT00000030']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /Removed hardware token GAHT00000030/);
  assert.ok(!(await gatehouse(['hardware-tokens', 'list'])).stdout.includes('GAHT00000030'));
  assert.equal((await rejects(enable('remo', 'GAHT00000030', '123456', '123457'))).name, 'NoSuchEntityException');
  const again = await gatehouse(['hardware-tokens', 'remove', 'GAHT00000030']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /No hardware token with serial number GAHT00000030/);
  // A virtual device is not inventory: remove refuses it.
  const v = await client.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'remo-app' }));
  const virtual = await gatehouse(['hardware-tokens', 'remove', v.VirtualMFADevice!.SerialNumber!]); // CreateVirtualMFADevice returns its serial
  assert.equal(virtual.code, 1);
  assert.equal((await gatehouse(['hardware-tokens', 'remove'])).code, 2, 'usage: remove needs a SERIAL');
});
