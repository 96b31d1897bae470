// Recovery codes and one's own trusted devices in a real browser. After the first MFA device is enrolled (in the
// console: authenticator app, also when forced to at sign-in, hardware token, passkey; or through the API, then at
// the next console sign-in) the console shows a set of codes once (list,
// text to copy, .txt download). At sign-in "Use a recovery code" accepts one in place of the device: the session
// counts as MFA for AWS's own "deny without MFA" policy, the user is told how many remain and sent to Assign MFA
// device, and the ConsoleLogin event says MFAUsed Yes, MFAIdentifier recovery-code. Reuse is refused; regenerating
// needs the password and a second factor (a device code, or a device sign-in in the last 5 minutes) and replaces
// the set; three or fewer left warns; the last one leaves 0 and the next is refused. Root too. recovery-codes=0
// turns them off. The Security
// credentials page lists the user's trusted devices, forgets one, and forgets all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as I from '@aws-sdk/client-iam';
import { TOTP, Secret } from 'otpauth';
import type { Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { buildIslands } from '../../src/console/islands/build.js';
import { ISLANDS_OUT } from '../../src/console/islands/build-paths.js';
import { startGatehouse } from '../helpers/server.js';
import { PASSWORD, createUser, enrolAppInConsole, rootSignIn, signIn } from '../helpers/signin.js';
import { iam } from '../helpers/clients.js';
import { launchBrowser, skipWithoutChromium, consoleUrl, screenshot, newPage as openPage } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';
import { AWS_SELF_MANAGE } from '../fixtures/aws-policies.js';
import { openDatabase } from '../../src/store/index.js';
import { SigninSettingsStore } from '../../src/store/signin-settings-store.js';
import { trustDevice } from '../../src/signin/trusted-devices.js';

const SKIP = skipWithoutChromium();
const STEP = 30_000;
const BIN = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));
const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
const stepStart = (t = Date.now()): number => t - (t % STEP);
const CODE_RE = /^[0-9A-Z]{5}-[0-9A-Z]{5}$/;
/**
 * A code after the one used at step `used`: this step's when time has moved on, else the next step's. (The server
 * keeps the device's drift from the last code: a code sent just before a step boundary leaves it one step behind,
 * and then "now + 1" would be outside the window.)
 */
const codeAfter = (seed: string, used: number): string => totp(seed, stepStart() > used ? stepStart() : used + STEP);

type Node = Awaited<ReturnType<typeof startGatehouse>>;
let node: Node;
let admin: I.IAMClient;
let real: RealBrowser | undefined;
/** rita's authenticator app seed and her first set of codes (test 1), used by the tests after it. */
let ritaSeed = '';
let ritaCodes: string[] = [];
/** vic's device seed and the step of its last code (test 4), for test 5's sign-in. */
let vicSeed = '';
let vicUsed = 0;

before(async () => {
  // The passkey test needs the WebAuthn island, the codes page its Copy button (bundled by `npm run build`).
  if (!existsSync(join(ISLANDS_OUT, 'webauthn.js')) || !existsSync(join(ISLANDS_OUT, 'copy.js'))) await buildIslands();
  // Users without an MFA device sign in without one ("Allow them to sign in"), so each test enrols where it says;
  // the first test turns the default (forced enrolment at sign-in) back on for its own sign-in.
  node = await startGatehouse({ signinSettings: ['without-device=allow'] });
  admin = iam(node);
  for (const name of ['rita', 'vic', 'pat']) await createUser(admin, name, { device: false, policies: { 'self-manage': AWS_SELF_MANAGE } });
  if (!SKIP) real = await launchBrowser();
}, { timeout: 90_000 });
after(async () => { await real?.close(); await node?.stop(); }, { timeout: 60_000 });

const newPage = (): Promise<Page> => openPage(real!); // set in before() whenever the test is not skipped

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const store = node.databaseUrl ? ['--database', node.databaseUrl] : [];
  return new Promise((ok) => {
    execFile(process.execPath, [BIN, ...args, '--data', node.dataDir, ...store], { timeout: 60_000 }, (err, stdout, stderr) => {
      ok({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const password = (page: Page, userName: string): Promise<void> => signIn(page, node, userName);

const rootPassword = (page: Page): Promise<void> => rootSignIn(page, node);

/** From the MFA code page: "Use a recovery code", then the code. */
async function useCode(page: Page, code: string): Promise<void> {
  await page.getByRole('link', { name: 'Use a recovery code' }).click();
  await page.getByLabel('Recovery code').fill(code);
  await page.getByRole('button', { name: 'Sign in with recovery code' }).click();
  await page.locator('.notice, .error').first().waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You have signed out.').waitFor();
}

/** Assign MFA device → Authenticator app; returns the seed. Codes of the two steps before now, so now and next stay free. */
const enrolApp = (page: Page, deviceName: string): Promise<string> => enrolAppInConsole(page, node, deviceName);

/** The codes page: the list, the text to copy and the .txt download all hold the same codes. */
async function shownCodes(page: Page, count: number): Promise<string[]> {
  // On a timeout, the page's own words (an error shown instead of the codes) go into the failure.
  await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor().catch(async (e: unknown) => {
    const text = await page.locator('main').innerText({ timeout: 2000 }).catch(() => '(no main element)');
    throw new Error(`no recovery codes page at ${page.url()}: ${text.slice(0, 500)}`, { cause: e });
  });
  assert.match(await page.locator('#codes-once').innerText(), /shown only this once/);
  const codes = (await page.locator('#recovery-codes li').allInnerTexts()).map((c) => c.trim());
  assert.equal(codes.length, count);
  for (const c of codes) assert.match(c, CODE_RE);
  assert.equal(new Set(codes).size, count);
  assert.equal(await page.getByLabel('Copy them (select all, then copy)').inputValue(), codes.join('\n'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as a .txt file' }).click()]);
  assert.equal(download.suggestedFilename(), 'gatehouse-recovery-codes.txt');
  // The browser is remote to playwright (launchServer): the file is copied here.
  const file = join(mkdtempSync(join(tmpdir(), 'gatehouse-codes-')), 'codes.txt');
  await download.saveAs(file);
  const text = readFileSync(file, 'utf8');
  rmSync(dirname(file), { recursive: true, force: true });
  for (const c of codes) assert.ok(text.includes(`${c}\n`), `the .txt holds ${c}`);
  return codes;
}

interface LoginEvent { eventName: string; responseElements: { ConsoleLogin?: string } | null; additionalEventData?: { MFAUsed?: string; MFAIdentifier?: string } }

/** The first event named so, of this user, that pred accepts, read with `gatehouse events` (waits for the batch). */
async function findEvent<E>(eventName: string, user: string, pred: (e: E) => boolean): Promise<E> {
  for (let i = 0; i < 60; i++) {
    const r = await cli('events', '--event-name', eventName, '--user', user, '--since', '1h');
    assert.equal(r.code, 0, r.stderr);
    const hit = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as E).find(pred); // gatehouse events prints records
    if (hit) return hit;
    await new Promise((ok) => setTimeout(ok, 250));
  }
  throw new Error(`no such ${eventName} event for ${user}`);
}
const loginEvent = (user: string, pred: (e: LoginEvent) => boolean): Promise<LoginEvent> => findEvent<LoginEvent>('ConsoleLogin', user, pred);
interface OwnEvent { eventSource: string; requestParameters: Record<string, unknown> | null; userIdentity: { userName?: string } }

test('forced to enrol at sign-in (the default), the user assigns an authenticator app and then sees 10 recovery codes once: list, text box, Copy button, .txt download', { skip: SKIP, timeout: 120_000 }, async () => {
  assert.equal((await cli('settings', 'set', 'without-device=require-registration')).code, 0);
  const page = await newPage();
  try {
    await password(page, 'rita');
    // "Require them to register an MFA device at sign in": straight into Assign MFA device.
    await page.getByRole('heading', { name: 'Assign MFA device' }).waitFor();
    ritaSeed = await enrolApp(page, 'rita');
  } finally {
    assert.equal((await cli('settings', 'set', 'without-device=allow')).code, 0);
  }
  // Back on Security credentials (the device listed, "MFA device assigned."), with the new set.
  await page.getByText('MFA device assigned.').waitFor();
  await page.locator('#mfa-devices').waitFor();
  ritaCodes = await shownCodes(page, 10);
  await screenshot(page, 'recovery-codes');
  // Copy: the button (a script under the page's CSP) puts the same codes on the clipboard.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(consoleUrl(node.endpoint)).origin });
  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByText('Copied to the clipboard.').waitFor();
  assert.equal(await page.evaluate('navigator.clipboard.readText()'), ritaCodes.join('\n'));
  await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
  await page.getByRole('heading', { name: 'Security credentials' }).waitFor();
  assert.equal(await page.locator('#recovery-codes-state').innerText(), '10 of 10 recovery codes unused.');
  assert.equal(await page.locator('#recovery-codes-warning').count(), 0);
  // Shown once: neither page makes or shows another set.
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  assert.equal(await page.locator('#recovery-codes-state').innerText(), '10 of 10 recovery codes unused.');
  assert.equal(await page.locator('#new-recovery-codes').count(), 0);
  await page.goto(consoleUrl(node.endpoint, '/console'));
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  assert.equal(await page.locator('#new-recovery-codes').count(), 0);
  await page.context().close();
});

test('a recovery code signs in in place of the device: MFA for policies, remaining count, Assign MFA device next, a ConsoleLogin with MFAIdentifier recovery-code; reuse refused', { skip: SKIP, timeout: 120_000 }, async () => {
  assert.equal(ritaCodes.length, 10, 'the first test made rita\'s codes');
  const page = await newPage();
  await password(page, 'rita');
  await page.getByLabel('MFA code').waitFor();
  // Typing is forgiving: lower case, no dash.
  await useCode(page, (ritaCodes[0] ?? '').toLowerCase().replace('-', ''));
  await page.getByRole('heading', { name: 'Assign MFA device' }).waitFor();
  assert.match(await page.locator('.notice').innerText(), /You signed in with a recovery code\. 9 unused recovery codes remain\. Register a new MFA device/);
  await page.getByLabel('Device name').waitFor();
  // AWS's "deny all but MFA self-service without MFA" lets the account summary through: the session has MFA.
  await page.goto(consoleUrl(node.endpoint, '/console'));
  assert.match(await page.locator('main').innerText(), /Signed in with MFA/);
  assert.match(await page.locator('#summary').innerText(), /MFADevicesInUse\s+1/);
  const e = await loginEvent('rita', (x) => x.additionalEventData?.MFAIdentifier === 'recovery-code' && x.responseElements?.ConsoleLogin === 'Success');
  assert.equal(e.additionalEventData?.MFAUsed, 'Yes');
  await signOut(page);

  // The same code again: refused (a failed ConsoleLogin, MFA used). Another one works.
  await password(page, 'rita');
  await useCode(page, ritaCodes[0] ?? '');
  assert.match(await page.getByRole('alert').innerText(), /not valid, or it was already used/);
  await loginEvent('rita', (x) => x.additionalEventData?.MFAIdentifier === 'recovery-code' && x.responseElements?.ConsoleLogin === 'Failure');
  await page.getByLabel('Recovery code').fill(ritaCodes[1] ?? '');
  await page.getByRole('button', { name: 'Sign in with recovery code' }).click();
  assert.match(await page.locator('.notice').innerText(), /8 unused recovery codes remain/);
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  assert.equal(await page.locator('#recovery-codes-state').innerText(), '8 of 10 recovery codes unused.');
  await page.context().close();
});

test('regenerating needs the password and a second factor and replaces the set; three or fewer left warns; the last code leaves 0 and the next is refused', { skip: SKIP, timeout: 180_000 }, async () => {
  assert.ok(ritaSeed, 'the first test enrolled rita');
  const set = await cli('settings', 'set', 'recovery-codes=4');
  assert.equal(set.code, 0, set.stderr);
  try {
    await regenerateAndExhaust();
  } finally {
    assert.equal((await cli('settings', 'set', 'recovery-codes=10')).code, 0);
  }
});

async function regenerateAndExhaust(): Promise<void> {
  const page = await newPage();
  // Signed in with a recovery code: that is not a device sign-in, so a device code is needed.
  await password(page, 'rita');
  await useCode(page, ritaCodes[2] ?? '');
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  const regenerate = async (pw: string, code: string): Promise<void> => {
    await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
    // The section is folded unless few codes are left.
    if (await page.locator('#regenerate').getAttribute('open') === null) await page.getByText('Regenerate recovery codes', { exact: true }).first().click();
    await page.getByLabel('Current password').fill(pw);
    await page.getByLabel('MFA code').fill(code);
    await page.getByRole('button', { name: 'Regenerate recovery codes' }).click();
  };
  await regenerate('Wrong-Passw0rd!', totp(ritaSeed, stepStart()));
  assert.match(await page.getByRole('alert').innerText(), /password is not correct.*not changed/);
  await regenerate(PASSWORD, '');
  assert.match(await page.getByRole('alert').innerText(), /Enter a code from one of your MFA devices.*not changed/);
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  assert.equal(await page.locator('#recovery-codes-state').innerText(), '7 of 10 recovery codes unused.');
  const regeneratedAt = stepStart();
  await regenerate(PASSWORD, totp(ritaSeed, regeneratedAt));
  const fresh = await shownCodes(page, 4);
  assert.match(await page.locator('#codes-once').innerText(), /earlier ones no longer work/);
  // Recorded as the user's own Gatehouse action: how many and how the second factor was proven, never a code.
  const made = await findEvent<OwnEvent>('CreateRecoveryCodes', 'rita', (e) => e.requestParameters?.['proof'] === 'mfa-code');
  assert.equal(made.eventSource, 'gatehouse');
  assert.deepEqual(made.requestParameters, { count: 4, proof: 'mfa-code' });
  for (const c of fresh) assert.ok(!JSON.stringify(made).includes(c.replace('-', '')) && !JSON.stringify(made).includes(c), 'no code in the event');
  await signOut(page);

  // An old unused code no longer works.
  await password(page, 'rita');
  await useCode(page, ritaCodes[3] ?? '');
  assert.match(await page.getByRole('alert').innerText(), /not valid, or it was already used/);
  // Three left after the first: warned after the sign-in, on the home page and on Security credentials.
  await page.getByLabel('Recovery code').fill(fresh[0] ?? '');
  await page.getByRole('button', { name: 'Sign in with recovery code' }).click();
  assert.match(await page.locator('.notice').innerText(), /3 unused recovery codes remain/);
  assert.match(await page.getByRole('alert').innerText(), /Only 3 unused recovery codes left/);
  await page.goto(consoleUrl(node.endpoint, '/console'));
  assert.match(await page.locator('#recovery-codes-warning').innerText(), /Only 3 unused recovery codes left/);
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  assert.match(await page.locator('#recovery-codes-warning').innerText(), /Only 3 unused recovery codes left/);
  await signOut(page);
  for (const [i, left] of [[1, '2 unused recovery codes remain'], [2, '1 unused recovery code remains'], [3, '0 unused recovery codes remain']] as const) {
    await password(page, 'rita');
    await useCode(page, fresh[i] ?? '');
    assert.match(await page.locator('.notice').innerText(), new RegExp(left));
    await signOut(page);
  }
  // Exhausted: the last code again is refused, and the user signs in with the device instead.
  await password(page, 'rita');
  await useCode(page, fresh[3] ?? '');
  assert.match(await page.getByRole('alert').innerText(), /not valid, or it was already used/);
  await page.getByRole('link', { name: 'Back to your MFA device' }).click();
  await page.getByLabel('MFA code').fill(codeAfter(ritaSeed, regeneratedAt));
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  assert.match(await page.getByRole('alert').innerText(), /no unused recovery codes left/);
  // Within 5 minutes of a device sign-in the password alone regenerates (the MFA code field left empty).
  await regenerate(PASSWORD, '');
  await shownCodes(page, 4);
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  assert.equal(await page.locator('#recovery-codes-state').innerText(), '4 of 4 recovery codes unused.');
  await page.context().close();
}

test('a device enrolled through the API: the next console sign-in shows the first set; root enrols in the console and signs in with a recovery code', { skip: SKIP, timeout: 120_000 }, async () => {
  const dev = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'vic' }));
  const seed = Buffer.from(dev.VirtualMFADevice!.Base32StringSeed!).toString('ascii'); // CreateVirtualMFADevice returns it
  vicSeed = seed;
  const t = stepStart();
  await admin.send(new I.EnableMFADeviceCommand({ UserName: 'vic', SerialNumber: dev.VirtualMFADevice!.SerialNumber, AuthenticationCode1: totp(seed, t - 2 * STEP), AuthenticationCode2: totp(seed, t - STEP) }));
  const page = await newPage();
  await password(page, 'vic');
  vicUsed = stepStart();
  await page.getByLabel('MFA code').fill(totp(seed, vicUsed));
  await page.getByRole('button', { name: 'Submit' }).click();
  // The first page after the sign-in, the home page, shows the set.
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await shownCodes(page, 10);
  await page.context().close();

  const root = await newPage();
  await rootPassword(root);
  await root.getByRole('heading', { name: 'Console home' }).waitFor();
  await enrolApp(root, 'root-account-mfa-device');
  const codes = await shownCodes(root, 10);
  await signOut(root);
  await rootPassword(root);
  await root.getByLabel('MFA code').waitFor();
  await useCode(root, codes[9] ?? '');
  assert.match(await root.locator('.notice').innerText(), /9 unused recovery codes remain/);
  await root.goto(consoleUrl(node.endpoint, '/console'));
  assert.match(await root.locator('main').innerText(), /Signed in with MFA/);
  await loginEvent('root', (x) => x.additionalEventData?.MFAIdentifier === 'recovery-code' && x.responseElements?.ConsoleLogin === 'Success');
  await root.context().close();
});

test('Security credentials lists one\'s trusted devices (browser, network, created, last used, expires), forgets one, and forgets all', { skip: SKIP, timeout: 120_000 }, async () => {
  const user = await admin.send(new I.GetUserCommand({ UserName: 'vic' }));
  const db = await openDatabase({ dataDir: node.dataDir, databaseUrl: node.databaseUrl });
  try {
    const deps = { settingsStore: new SigninSettingsStore(db) };
    const p = { accountId: node.accountId, type: 'user' as const, id: user.User!.UserId! }; // GetUser returns the user
    const now = new Date();
    const mfa = { at: now, serial: `arn:aws:iam::${node.accountId}:mfa/vic` };
    await trustDevice(deps, p, { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', ip: '198.51.100.7', now }, mfa, 30);
    // A second later (the list is oldest first).
    await trustDevice(deps, p, { userAgent: 'Mozilla/5.0 (Windows NT 10.0) Chrome/130.0 Safari/537.36', ip: '203.0.113.9', now: new Date(now.getTime() + 1000) }, mfa, 7);
  } finally {
    await db.close();
  }
  assert.ok(vicSeed, 'test 4 enrolled vic');
  const page = await newPage();
  await password(page, 'vic');
  await page.getByLabel('MFA code').fill(codeAfter(vicSeed, vicUsed));
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  const rows = page.locator('#trusted-devices tbody tr');
  await screenshot(page, 'security-credentials-trusted-devices');
  assert.equal(await rows.count(), 2);
  const firefox = await rows.nth(0).innerText();
  assert.match(firefox, /Firefox on Linux\s+198\.51\.100\.0\/24\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+\d{4}-\d\d-\d\d/);
  assert.match(await rows.nth(1).innerText(), /Chrome on Windows\s+203\.0\.113\.0\/24/);
  // Expiry: 30 and 7 days from creation.
  const cell = async (row: number, col: number): Promise<number> => Date.parse((await rows.nth(row).locator('td').nth(col).innerText()).replace(' UTC', 'Z').replace(' ', 'T'));
  assert.equal(await cell(0, 4) - await cell(0, 2), 30 * 86_400_000);
  assert.equal(await cell(1, 4) - await cell(1, 2), 7 * 86_400_000);
  await page.getByRole('button', { name: /^Forget Chrome on Windows/ }).click();
  await page.getByText('Trusted device forgotten').waitFor();
  assert.equal(await page.locator('#trusted-devices tbody tr').count(), 1);
  assert.match(await page.locator('#trusted-devices').innerText(), /Firefox on Linux/);
  await page.getByRole('button', { name: 'Forget all devices' }).click();
  await page.getByText('All your trusted devices are forgotten').waitFor();
  await page.locator('#no-trusted-devices').waitFor();
  // Both recorded as vic's own DeleteTrustedDevices (one by id, then all: one forgotten).
  await findEvent<OwnEvent>('DeleteTrustedDevices', 'vic', (e) => typeof e.requestParameters?.['trustedDeviceId'] === 'string');
  await findEvent<OwnEvent>('DeleteTrustedDevices', 'vic', (e) => e.requestParameters?.['all'] === true && e.requestParameters['forgotten'] === 1);
  // The recovery codes' count shows there too.
  assert.equal(await page.locator('#recovery-codes-state').innerText(), '10 of 10 recovery codes unused.');
  await page.context().close();
});

test('recovery-codes=0 turns them off: no first set for a new device, "turned off" on Security credentials, no "Use a recovery code" at sign-in, and a recovery code typed at its address is not accepted', { skip: SKIP, timeout: 120_000 }, async () => {
  assert.equal((await cli('settings', 'set', 'recovery-codes=0')).code, 0);
  try {
    await admin.send(new I.CreateUserCommand({ UserName: 'zoe' }));
    await admin.send(new I.CreateLoginProfileCommand({ UserName: 'zoe', Password: PASSWORD }));
    const dev = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'zoe' }));
    const seed = Buffer.from(dev.VirtualMFADevice!.Base32StringSeed!).toString('ascii'); // CreateVirtualMFADevice returns it
    const t = stepStart();
    await admin.send(new I.EnableMFADeviceCommand({ UserName: 'zoe', SerialNumber: dev.VirtualMFADevice!.SerialNumber, AuthenticationCode1: totp(seed, t - 2 * STEP), AuthenticationCode2: totp(seed, t - STEP) }));
    const page = await newPage();
    await password(page, 'zoe');
    await page.getByLabel('MFA code').fill(totp(seed, stepStart()));
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Console home' }).waitFor();
    assert.equal(await page.locator('#new-recovery-codes').count(), 0);
    await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
    assert.equal(await page.locator('#recovery-codes-state').innerText(), 'Recovery codes are turned off for this account.');
    assert.equal(await page.locator('#new-recovery-codes').count(), 0);
    await signOut(page);
    // rita still has codes from before; with codes off the MFA page does not offer them, and they are not accepted.
    await password(page, 'rita');
    await page.getByLabel('MFA code').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Use a recovery code' }).count(), 0);
    await page.goto(consoleUrl(node.endpoint, '/console/mfa/recovery'));
    assert.match(await page.getByRole('alert').innerText(), /Recovery codes are turned off for this account/);
    assert.equal(await page.getByLabel('Recovery code').count(), 0);
    await page.context().close();
  } finally {
    assert.equal((await cli('settings', 'set', 'recovery-codes=10')).code, 0);
  }
});

test('a passkey as first device: the set is shown after its registration; the passkey page offers "Use a recovery code"; a passkey sign-in lets the password alone regenerate', { skip: SKIP, timeout: 120_000 }, async () => {
  const page = await newPage();
  // Chromium's virtual platform authenticator (CDP), as in console-webauthn.test.ts.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true } });
  const pressWhenReady = async (name: string): Promise<void> => {
    await page.getByRole('button', { name }).waitFor();
    // The island enables the button once it has read the options (a selector, not a script: the page's CSP forbids eval).
    await page.locator('#webauthn-start:not([disabled])').waitFor();
    await page.getByRole('button', { name }).click();
  };
  await password(page, 'pat');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await page.goto(consoleUrl(node.endpoint, '/console/mfa/assign'));
  await page.getByLabel('Device name').fill('pat-passkey');
  await page.getByLabel('Passkey or security key').check();
  await page.getByRole('button', { name: 'Next' }).click();
  await pressWhenReady('Register passkey or security key');
  await page.getByText('MFA device assigned.').waitFor();
  const codes = await shownCodes(page, 10);
  await signOut(page);

  await password(page, 'pat');
  await page.getByRole('button', { name: 'Use passkey or security key' }).waitFor();
  await useCode(page, codes[4] ?? '');
  assert.match(await page.locator('.notice').innerText(), /9 unused recovery codes remain/);
  await signOut(page);

  // No code device: a passkey sign-in within 5 minutes stands in for the second factor.
  await password(page, 'pat');
  await pressWhenReady('Use passkey or security key');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  await page.getByText('Regenerate recovery codes', { exact: true }).first().click();
  assert.equal(await page.getByLabel('MFA code').count(), 0);
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Regenerate recovery codes' }).click();
  const fresh = await shownCodes(page, 10);
  assert.ok(!fresh.includes(codes[5] ?? ''));
  await page.context().close();
});

test('a hardware TOTP token as first device (imported with the CLI, assigned in the console): the set is shown; the token\'s code regenerates it', { skip: SKIP, timeout: 120_000 }, async () => {
  const hex = randomBytes(20).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-tokens-'));
  try {
    writeFileSync(join(dir, 'tokens.csv'), `GAHT00007777,${hex}\n`);
    const imported = await cli('hardware-tokens', 'import', join(dir, 'tokens.csv'));
    assert.equal(imported.code, 0, imported.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const token = (t: number): string => new TOTP({ secret: Secret.fromHex(hex), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
  await admin.send(new I.CreateUserCommand({ UserName: 'hana' }));
  await admin.send(new I.CreateLoginProfileCommand({ UserName: 'hana', Password: PASSWORD }));
  await admin.send(new I.PutUserPolicyCommand({ UserName: 'hana', PolicyName: 'self-manage', PolicyDocument: JSON.stringify(AWS_SELF_MANAGE) }));
  const page = await newPage();
  await password(page, 'hana');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await page.goto(consoleUrl(node.endpoint, '/console/mfa/assign'));
  await page.getByLabel('Device name').fill('hana');
  await page.getByLabel('Hardware TOTP token').check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Serial number').fill('GAHT00007777');
  const t = stepStart();
  await page.getByLabel('MFA code 1').fill(token(t - 2 * STEP));
  await page.getByLabel('MFA code 2').fill(token(t - STEP));
  await page.getByRole('button', { name: 'Add MFA' }).click();
  await page.getByText('Hardware TOTP token assigned.').waitFor();
  const first = await shownCodes(page, 10);
  // Regenerate with the token's code (the session signed in without MFA: the code is needed).
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  await page.getByText('Regenerate recovery codes', { exact: true }).first().click();
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('MFA code').fill(token(stepStart()));
  await page.getByRole('button', { name: 'Regenerate recovery codes' }).click();
  const second = await shownCodes(page, 10);
  assert.equal(second.filter((c) => first.includes(c)).length, 0);
  await page.context().close();
});
