// Passkeys and security keys, in a real browser: Chromium's virtual authenticators (CDP WebAuthn.enable and
// WebAuthn.addVirtualAuthenticator: a CTAP2 security key on 'usb', a passkey on 'internal') register and answer the
// real WebAuthn ceremonies of the console. Root enrols a security key and signs in with it; an IAM user under AWS's
// MFA policy enrols a passkey and signs in with it (MFA present, exactly as after a TOTP code); a user with a TOTP
// device and a FIDO device chooses the type; a cloned key (the same credential copied into another authenticator
// with a lower signature counter) is refused and recorded; the administrator removes a lost key with the aws CLI;
// ListMFADevices and GetMFADevice (aws CLI, boto3) show AWS's u2f serial; GetSessionToken with it is AccessDenied.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as I from '@aws-sdk/client-iam';
import * as S from '@aws-sdk/client-sts';
import { TOTP, Secret } from 'otpauth';
import type { CDPSession, Page } from 'playwright-core';
import { startGatehouse } from '../helpers/server.js';
import { iam, sts, rejects, awsCli, boto3, NO_AWS_CLI, NO_BOTO3 } from '../helpers/clients.js';
import type { Credentials } from '../helpers/server.js';
import { PASSWORD, createUser } from '../helpers/signin.js';
import { launchBrowser, skipWithoutChromium, consoleUrl, screenshot, newPage as openPage } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';
import { AWS_SELF_MANAGE } from '../fixtures/aws-policies.js';
import { findingsOf, runAudit } from '../helpers/audit.js';
import { buildIslands } from '../../src/console/islands/build.js';
import { ISLANDS_OUT } from '../../src/console/islands/build-paths.js';

const SKIP = skipWithoutChromium();
const STEP = 30_000;
const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
const stepStart = (t = Date.now()): number => t - (t % STEP);
const U2F = (account: string, who: string): RegExp => new RegExp(`^arn:aws:iam::${account}:u2f/${who}/[\\w+=,.@-]+-[A-Z2-7]{26}$`);

type Node = Awaited<ReturnType<typeof startGatehouse>>;
let node: Node;
let admin: I.IAMClient;
let real: RealBrowser | undefined;

before(async () => {
  // The island is bundled by `npm run build`; a plain `tsc -p .` does not, so build it here when it is missing.
  if (!existsSync(join(ISLANDS_OUT, 'webauthn.js'))) await buildIslands();
  // Users without an MFA device sign in without one ("Allow them to sign in"): these tests predate the account's MFA settings.
  node = await startGatehouse({ signinSettings: ['without-device=allow'] });
  admin = iam(node);
  for (const name of ['wendy', 'xavier', 'yara']) await createUser(admin, name, { device: false, policies: { 'self-manage': AWS_SELF_MANAGE } });
  if (!SKIP) real = await launchBrowser();
}, { timeout: 90_000 });
after(async () => { await real?.close(); await node?.stop(); }, { timeout: 60_000 });

const newPage = (): Promise<Page> => openPage(real!); // set in before() whenever the test is not skipped

/** A virtual authenticator attached to the page: a CTAP2 USB security key, or a platform passkey ('internal'). */
async function authenticator(page: Page, kind: 'security-key' | 'passkey'): Promise<{ cdp: CDPSession; id: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const options = kind === 'security-key'
    ? { protocol: 'ctap2' as const, transport: 'usb' as const, hasResidentKey: false, hasUserVerification: false, automaticPresenceSimulation: true }
    : { protocol: 'ctap2' as const, transport: 'internal' as const, hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true };
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options });
  return { cdp, id: authenticatorId };
}

async function signInUser(page: Page, userName: string): Promise<void> {
  await page.goto(consoleUrl(node.endpoint, `/console?account=${node.accountId}`));
  await page.getByLabel('IAM user name').fill(userName);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signInRoot(page: Page): Promise<void> {
  await page.goto(consoleUrl(node.endpoint, '/console/root'));
  await page.getByLabel('Root user email address').fill(node.bootstrap.root.email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password').fill(node.bootstrap.root.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Assign MFA device → Passkey or security key → the ceremony, answered by the page's virtual authenticator. */
async function enrolFido(page: Page, deviceName: string, shot?: string): Promise<void> {
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  await page.getByRole('link', { name: 'Assign MFA device' }).click();
  await page.getByLabel('Device name').fill(deviceName);
  await page.getByLabel('Passkey or security key').check();
  await page.getByRole('button', { name: 'Next' }).click();
  const start = page.getByRole('button', { name: 'Register passkey or security key' });
  await assertEnabled(start);
  if (shot) await screenshot(page, shot);
  await start.click();
  await page.locator('.notice, .error').first().waitFor();
  assert.equal(await page.locator('.error').count(), 0, await page.locator('main').innerText());
  await page.getByText('MFA device assigned.').waitFor();
}

/** The island enables its button once it has read the options (so the script ran under the page's CSP). */
async function assertEnabled(button: ReturnType<Page['getByRole']>): Promise<void> {
  await button.waitFor();
  // A selector wait, not waitForFunction: a string predicate is compiled in the page, which its CSP (no unsafe-eval) may refuse.
  await button.page().locator('#webauthn-start:not([disabled])').waitFor();
}

/** At the MFA step: use the passkey or security key. */
async function useFido(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Use passkey or security key' });
  await assertEnabled(button);
  await button.click();
}

const signOut = (page: Page): Promise<void> => page.getByRole('button', { name: 'Sign out' }).click();

async function userKeys(userName: string): Promise<Credentials> {
  const { AccessKey } = await admin.send(new I.CreateAccessKeyCommand({ UserName: userName }));
  assert.ok(AccessKey?.AccessKeyId && AccessKey.SecretAccessKey);
  return { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
}

test('root enrols a security key (CTAP2, USB) and signs in with it: AccountMFAEnabled, MFA present', { skip: SKIP, timeout: 120_000 }, async () => {
  const page = await newPage();
  await authenticator(page, 'security-key');
  await signInRoot(page);
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await enrolFido(page, 'root-key', 'assign-security-key');
  const listed = await page.locator('#mfa-devices').innerText();
  assert.match(listed, /Passkey or security key/);
  assert.match(listed, new RegExp(`arn:aws:iam::${node.accountId}:u2f/root/root-key-[A-Z2-7]{26}`));
  assert.equal((await admin.send(new I.GetAccountSummaryCommand({}))).SummaryMap?.AccountMFAEnabled, 1);
  await signOut(page);

  await signInRoot(page);
  await page.getByRole('button', { name: 'Use passkey or security key' }).waitFor();
  await screenshot(page, 'mfa-security-key');
  await useFido(page);
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Signed in with MFA/);
  await page.context().close();

  // Reached at 127.0.0.1 (not the public URL, http://localhost:PORT), the ceremony page says where to go instead.
  const byIp = await newPage();
  await byIp.goto(`${node.endpoint}/console/root`);
  await byIp.getByLabel('Root user email address').fill(node.bootstrap.root.email);
  await byIp.getByRole('button', { name: 'Next' }).click();
  await byIp.getByLabel('Password').fill(node.bootstrap.root.password);
  await byIp.getByRole('button', { name: 'Sign in' }).click();
  await byIp.locator('#wrong-origin').waitFor();
  assert.equal(await byIp.locator('#wrong-origin a').getAttribute('href'), consoleUrl(node.endpoint));
  await byIp.context().close();
});

test('an IAM user under AWS\'s MFA policy enrols a passkey and signs in with it; the API shows the u2f device; STS refuses it', { skip: SKIP, timeout: 180_000 }, async () => {
  const page = await newPage();
  await authenticator(page, 'passkey');
  await signInUser(page, 'wendy');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Signed in without MFA/);
  // The name is checked before the ceremony.
  await page.goto(consoleUrl(node.endpoint, '/console/mfa/assign'));
  await page.getByLabel('Device name').fill('no spaces allowed');
  await page.getByLabel('Passkey or security key').check();
  await page.getByRole('button', { name: 'Next' }).click();
  assert.match(await page.getByRole('alert').innerText(), /device name must be 1 to 64/);
  await enrolFido(page, 'wendy-passkey');
  await signOut(page);

  await signInUser(page, 'wendy');
  await useFido(page);
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  // MFA present exactly as after a TOTP sign-in: the policy's deny without MFA no longer applies.
  assert.match(await page.locator('main').innerText(), /Signed in with MFA/);
  // (root's key from the first test counts in the account's summary too)
  assert.match(await page.locator('#summary').innerText(), /MFADevicesInUse\s+[12]\b/);
  assert.equal(await page.locator('#summary-denied').count(), 0);
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  await page.locator('#mfa-devices').waitFor();
  await screenshot(page, 'security-credentials-passkey');
  await page.context().close();

  // The API: ListMFADevices (aws CLI when present, else the SDK) shows AWS's u2f serial; GetMFADevice returns it.
  const listed = await admin.send(new I.ListMFADevicesCommand({ UserName: 'wendy' }));
  assert.equal(listed.MFADevices?.length, 1);
  const serial = listed.MFADevices?.[0]?.SerialNumber ?? '';
  assert.match(serial, U2F(node.accountId, 'user/wendy'));
  assert.match(serial, /u2f\/user\/wendy\/wendy-passkey-/);
  const got = await admin.send(new I.GetMFADeviceCommand({ UserName: 'wendy', SerialNumber: serial }));
  assert.equal(got.SerialNumber, serial);
  assert.equal(got.UserName, 'wendy');
  assert.ok(got.EnableDate instanceof Date);
  // The credential report counts it.
  await admin.send(new I.GenerateCredentialReportCommand({}));
  let report: I.GetCredentialReportCommandOutput | undefined;
  for (let i = 0; i < 50 && !report; i++) {
    try { report = await admin.send(new I.GetCredentialReportCommand({})); } catch { await new Promise((ok) => setTimeout(ok, 200)); }
  }
  const csv = Buffer.from(report?.Content ?? new Uint8Array()).toString('utf8').split('\n');
  const header = csv[0]?.split(',') ?? [];
  const row = csv.find((l) => l.startsWith('wendy,'))?.split(',') ?? [];
  assert.equal(row[header.indexOf('mfa_active')], 'true');
  // `gatehouse audit` over the public API (after the report above: it generates one, reused for 4 hours): root's
  // security key from the first test is MFA, and a FIDO key counts as hardware (AWS Config's rule).
  const audit = await runAudit(['--endpoint-url', node.endpoint, '--format', 'json', '--fail-on', 'none'], node.admin);
  assert.equal(audit.code, 0, audit.stderr);
  const rootMfa = ['root-account-mfa-enabled', 'root-account-hardware-mfa-enabled'];
  const rootFindings = findingsOf(JSON.parse(audit.stdout)).filter((f) => rootMfa.includes(f.check));
  assert.deepEqual(rootFindings.map((f) => [f.check, f.status]).sort(), [['root-account-hardware-mfa-enabled', 'PASS'], ['root-account-mfa-enabled', 'PASS']]);

  // GetSessionToken with the u2f serial: AccessDenied, with a clear message (FIDO keys take no codes).
  const keys = await userKeys('wendy');
  const e = await rejects(sts(node, keys).send(new S.GetSessionTokenCommand({ SerialNumber: serial, TokenCode: '123456' })));
  assert.equal(e.name, 'AccessDenied');
  assert.equal(e.$metadata.httpStatusCode, 403);
  assert.match(e.message, /passkey or security key \(FIDO\).*GetSessionToken or AssumeRole/);
});

test('aws CLI and boto3: list-mfa-devices and get-mfa-device show the u2f device; get-mfa-device refuses a TOTP serial; get-session-token is AccessDenied', { skip: SKIP || NO_AWS_CLI || NO_BOTO3, timeout: 120_000 }, async () => {
  const listed = await awsCli<{ MFADevices: { SerialNumber: string; UserName: string }[] }>(node, ['iam', 'list-mfa-devices', '--user-name', 'wendy']);
  assert.ok(listed.ok, listed.stderr);
  const serial = listed.json?.MFADevices[0]?.SerialNumber ?? '';
  assert.match(serial, U2F(node.accountId, 'user/wendy'));
  const got = await awsCli<{ SerialNumber: string; UserName: string; EnableDate: string }>(node, ['iam', 'get-mfa-device', '--user-name', 'wendy', '--serial-number', serial]);
  assert.ok(got.ok, got.stderr);
  assert.equal(got.json?.SerialNumber, serial);
  const viaBoto = await boto3<{ serial: string; user: string }>(node, `r = iam.get_mfa_device(UserName='wendy', SerialNumber=${JSON.stringify(serial)})
out({'serial': r['SerialNumber'], 'user': r['UserName']})`);
  assert.deepEqual(viaBoto, { serial, user: 'wendy' });
  // A virtual device's serial: GetMFADevice accepts FIDO security key ARNs only (NoSuchEntity, its one modeled error).
  const dev = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'not-fido' }));
  const seed = Buffer.from(dev.VirtualMFADevice!.Base32StringSeed!).toString('ascii'); // CreateVirtualMFADevice always returns both
  const t = stepStart();
  await admin.send(new I.EnableMFADeviceCommand({ UserName: 'yara', SerialNumber: dev.VirtualMFADevice!.SerialNumber, AuthenticationCode1: totp(seed, t - 2 * STEP), AuthenticationCode2: totp(seed, t - STEP) }));
  const refused = await awsCli(node, ['iam', 'get-mfa-device', '--user-name', 'yara', '--serial-number', dev.VirtualMFADevice!.SerialNumber!]);
  assert.equal(refused.ok, false);
  assert.match(refused.stderr, /\(NoSuchEntity\).*FIDO security key ARNs only/);
  await admin.send(new I.DeactivateMFADeviceCommand({ UserName: 'yara', SerialNumber: dev.VirtualMFADevice!.SerialNumber }));
  await admin.send(new I.DeleteVirtualMFADeviceCommand({ SerialNumber: dev.VirtualMFADevice!.SerialNumber }));
  // boto3's GetSessionToken with the u2f serial.
  const keys = await userKeys('wendy');
  const sts = await boto3<{ code: string; status: number }>(node, `try:
    sts.get_session_token(SerialNumber=${JSON.stringify(serial)}, TokenCode='123456')
    out({'code': 'none', 'status': 200})
except botocore.exceptions.ClientError as e:
    out({'code': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']})`, keys);
  assert.deepEqual(sts, { code: 'AccessDenied', status: 403 });
});

test('a user with a TOTP device and a security key chooses the type; the administrator removes the lost key with the aws CLI', { skip: SKIP || NO_AWS_CLI, timeout: 180_000 }, async () => {
  // xavier has an authenticator app (enabled through the API) …
  const dev = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'xavier' }));
  const seed = Buffer.from(dev.VirtualMFADevice!.Base32StringSeed!).toString('ascii'); // CreateVirtualMFADevice always returns both
  const t = stepStart();
  await admin.send(new I.EnableMFADeviceCommand({ UserName: 'xavier', SerialNumber: dev.VirtualMFADevice!.SerialNumber, AuthenticationCode1: totp(seed, t - 2 * STEP), AuthenticationCode2: totp(seed, t - STEP) }));
  const page = await newPage();
  await authenticator(page, 'security-key');
  await signInUser(page, 'xavier');
  await page.getByLabel('MFA code').fill(totp(seed, stepStart()));
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  // … and enrols a security key.
  await enrolFido(page, 'xavier-key');
  await signOut(page);

  // Two types: the sign-in asks which one. The security key …
  await signInUser(page, 'xavier');
  await page.getByRole('link', { name: 'Passkey or security key' }).waitFor();
  await screenshot(page, 'mfa-choose-type');
  await page.getByRole('link', { name: 'Passkey or security key' }).click();
  await useFido(page);
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Signed in with MFA/);
  await signOut(page);
  // … or the code.
  await signInUser(page, 'xavier');
  await page.getByRole('link', { name: /MFA code/ }).click();
  await page.getByLabel('MFA code').fill(totp(seed, stepStart() + STEP));
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await signOut(page);

  // The key is lost: the administrator removes it with the aws CLI (deactivate-mfa-device deletes a FIDO device).
  const listed = await awsCli<{ MFADevices: { SerialNumber: string }[] }>(node, ['iam', 'list-mfa-devices', '--user-name', 'xavier']);
  assert.ok(listed.ok, listed.stderr);
  const key = listed.json?.MFADevices.map((d) => d.SerialNumber).find((s) => s.includes(':u2f/')) ?? '';
  assert.match(key, U2F(node.accountId, 'user/xavier'));
  const removed = await awsCli(node, ['iam', 'deactivate-mfa-device', '--user-name', 'xavier', '--serial-number', key]);
  assert.ok(removed.ok, removed.stderr);
  const after = await awsCli<{ MFADevices: { SerialNumber: string }[] }>(node, ['iam', 'list-mfa-devices', '--user-name', 'xavier']);
  assert.deepEqual(after.json?.MFADevices.map((d) => d.SerialNumber), [dev.VirtualMFADevice!.SerialNumber]);
  const gone = await awsCli(node, ['iam', 'get-mfa-device', '--user-name', 'xavier', '--serial-number', key]);
  assert.match(gone.stderr, /\(NoSuchEntity\)/);
  // The user can no longer use it: no choice any more, and the key's ceremony is not offered.
  await signInUser(page, 'xavier');
  await page.getByLabel('MFA code').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Passkey or security key' }).count(), 0);
  await page.goto(consoleUrl(node.endpoint, '/console/mfa/webauthn'));
  await page.getByLabel('MFA code').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Use passkey or security key' }).count(), 0);
  await page.context().close();
});

test('a cloned security key (its credential copied with a lower signature counter) is refused and recorded', { skip: SKIP, timeout: 180_000 }, async () => {
  const page = await newPage();
  const original = await authenticator(page, 'security-key');
  await signInUser(page, 'yara');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await enrolFido(page, 'yara-key');
  await signOut(page);
  // Two sign-ins with the real key move its counter forward.
  for (let i = 0; i < 2; i++) {
    await signInUser(page, 'yara');
    await useFido(page);
    await page.getByRole('heading', { name: 'Console home' }).waitFor();
    await signOut(page);
  }
  const { credentials } = await original.cdp.send('WebAuthn.getCredentials', { authenticatorId: original.id });
  assert.equal(credentials.length, 1);
  const credential = credentials[0]!; // exactly one, checked above
  assert.ok(credential.signCount >= 2, `the key signed twice (signCount ${credential.signCount})`);

  // The clone: the same credential (private key included) in another authenticator, its counter behind.
  const other = await newPage();
  const clone = await authenticator(other, 'security-key');
  await clone.cdp.send('WebAuthn.addCredential', { authenticatorId: clone.id, credential: { ...credential, signCount: 0 } });
  await signInUser(other, 'yara');
  await useFido(other);
  await other.getByRole('alert').filter({ hasText: /cloned/ }).waitFor();
  assert.match(await other.getByRole('alert').innerText(), /signature counter went backwards/);
  assert.equal(await other.getByRole('heading', { name: 'Console home' }).count(), 0);
  // Recorded: logged with the device and both counters, never the key's material.
  const logs = node.stdout + node.stderr;
  assert.match(logs, /FidoCounterRegression/);
  assert.match(logs, /"storedCounter":\d+/);
  assert.ok(!logs.includes(credential.privateKey), 'the log carries no key material');
  // Forged, malformed and oversized answers posted with the form's own token: refused (401), never a 5xx.
  const csrf = await other.locator('input[name=csrf]').first().getAttribute('value') ?? '';
  for (const response of ['garbage', JSON.stringify({ id: credential.credentialId, response: {} }), `{"id":"${'A'.repeat(40_000)}"}`]) {
    const r = await other.request.post(consoleUrl(node.endpoint, '/console/mfa/webauthn'), { form: { csrf, response }, maxRedirects: 0 });
    assert.equal(r.status(), 401, response.slice(0, 40));
    assert.match(await r.text(), /not accepted/);
  }
  await other.context().close();

  // The real key still works (its counter is ahead of the stored one).
  await signInUser(page, 'yara');
  await useFido(page);
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  // A forged registration answer: refused (400), nothing enrolled.
  await page.goto(consoleUrl(node.endpoint, '/console/mfa/assign'));
  await page.getByLabel('Device name').fill('forged');
  await page.getByLabel('Passkey or security key').check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Register passkey or security key' }).waitFor();
  const token = await page.locator('input[name=csrf]').first().getAttribute('value') ?? '';
  const forged = await page.request.post(consoleUrl(node.endpoint, '/console/mfa/assign/fido'), { form: { csrf: token, response: JSON.stringify({ id: 'AAAA', response: { attestationObject: 'AA', clientDataJSON: 'AA' } }) }, maxRedirects: 0 });
  assert.equal(forged.status(), 400);
  assert.match(await forged.text(), /was not registered/);
  assert.equal((await admin.send(new I.ListMFADevicesCommand({ UserName: 'yara' }))).MFADevices?.length, 1);
  await page.context().close();
});

test('a key needs iam:EnableMFADevice; the 9th MFA device is refused: a principal with 8 devices cannot register a key', { skip: SKIP, timeout: 120_000 }, async () => {
  await admin.send(new I.CreateUserCommand({ UserName: 'zoe' }));
  await admin.send(new I.CreateLoginProfileCommand({ UserName: 'zoe', Password: PASSWORD }));
  // Without a policy that allows iam:EnableMFADevice the console refuses the key as the API would.
  const page0 = await newPage();
  await signInUser(page0, 'zoe');
  await page0.goto(consoleUrl(node.endpoint, '/console/mfa/assign'));
  await page0.getByLabel('Device name').fill('zoe-key');
  await page0.getByLabel('Passkey or security key').check();
  await page0.getByRole('button', { name: 'Next' }).click();
  assert.match(await page0.getByRole('alert').innerText(), /not authorized to perform: iam:EnableMFADevice on resource: arn:aws:iam::\d{12}:user\/zoe/);
  await page0.context().close();
  await admin.send(new I.PutUserPolicyCommand({ UserName: 'zoe', PolicyName: 'self-manage', PolicyDocument: JSON.stringify(AWS_SELF_MANAGE) }));
  const t = stepStart();
  let first: { serial: string; seed: string } | undefined;
  for (let i = 0; i < 8; i++) {
    const dev = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `zoe-${i}` }));
    const seed = Buffer.from(dev.VirtualMFADevice!.Base32StringSeed!).toString('ascii'); // CreateVirtualMFADevice always returns both
    const serial = dev.VirtualMFADevice!.SerialNumber!;
    await admin.send(new I.EnableMFADeviceCommand({ UserName: 'zoe', SerialNumber: serial, AuthenticationCode1: totp(seed, t - 2 * STEP), AuthenticationCode2: totp(seed, t - STEP) }));
    first ??= { serial, seed };
  }
  const page = await newPage();
  await authenticator(page, 'security-key');
  await signInUser(page, 'zoe');
  await page.getByLabel('MFA device').selectOption(first!.serial); // set in the loop above
  await page.getByLabel('MFA code').fill(totp(first!.seed, stepStart()));
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await page.goto(consoleUrl(node.endpoint, '/console/mfa/assign'));
  await page.getByLabel('Device name').fill('zoe-key');
  await page.getByLabel('Passkey or security key').check();
  await page.getByRole('button', { name: 'Next' }).click();
  assert.match(await page.getByRole('alert').innerText(), /8 MFA devices.*MFADevicesPerUser/);
  assert.equal(await page.getByRole('button', { name: 'Register passkey or security key' }).count(), 0);
  assert.equal((await admin.send(new I.ListMFADevicesCommand({ UserName: 'zoe' }))).MFADevices?.length, 8);
  await page.context().close();
});
