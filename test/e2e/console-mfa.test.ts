// MFA in the console, in a real browser: a user under AWS's own "manage your credentials only with MFA" policy
// signs in without MFA and may only enrol (the account summary and the password change are denied by the same
// authoriser as on the API), enrols an authenticator app from the QR code page (codes computed here from the
// secret the page shows, with the otpauth library), signs in again with an MFA code and is allowed; wrong and
// replayed codes are refused and resync is suggested. Root enrols a device in the console, and the API's
// GetAccountSummary then reports AccountMFAEnabled = 1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { TOTP, Secret } from 'otpauth';
import type { Page } from 'playwright-core';
import { startGatehouse } from '../helpers/server.js';
import { iam } from '../helpers/clients.js';
import { launchBrowser, skipWithoutChromium, consoleUrl, screenshot, newPage as openPage } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';
import { AWS_SELF_MANAGE } from '../fixtures/aws-policies.js';

const SKIP = skipWithoutChromium();
const PASSWORD = 'Corr3ct-Horse-Battery!';
const STEP = 30_000;
const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
/** The start of the current 30-second step, so that codes of "now" and "next" are well defined for a while. */
const stepStart = (t = Date.now()): number => t - (t % STEP);

type Node = Awaited<ReturnType<typeof startGatehouse>>;
let node: Node;
let admin: I.IAMClient;
let real: RealBrowser | undefined;

before(async () => {
  // Users without an MFA device sign in without one ("Allow them to sign in"): these tests predate the account's MFA settings.
  node = await startGatehouse({ signinSettings: ['without-device=allow'] });
  admin = iam(node);
  await admin.send(new I.CreateUserCommand({ UserName: 'erin' }));
  await admin.send(new I.CreateLoginProfileCommand({ UserName: 'erin', Password: PASSWORD }));
  await admin.send(new I.PutUserPolicyCommand({ UserName: 'erin', PolicyName: 'self-manage', PolicyDocument: JSON.stringify(AWS_SELF_MANAGE) }));
  if (!SKIP) real = await launchBrowser();
}, { timeout: 90_000 });
after(async () => { await real?.close(); await node?.stop(); }, { timeout: 60_000 });

const newPage = (): Promise<Page> => openPage(real!); // set in before() whenever the test is not skipped

async function signIn(page: Page, userName: string): Promise<void> {
  await page.goto(consoleUrl(node.endpoint, `/console?account=${node.accountId}`));
  await page.getByLabel('IAM user name').fill(userName);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function submitCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('MFA code').fill(code);
  await page.getByRole('button', { name: 'Submit' }).click();
}

/** Assign MFA device → Authenticator app: returns the secret the page shows, after adding the device. */
async function enrolApp(page: Page, deviceName: string, shot?: string): Promise<string> {
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  await page.getByRole('link', { name: 'Assign MFA device' }).click();
  await page.getByLabel('Device name').fill(deviceName);
  await page.getByLabel('Authenticator app').check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Show QR code').click();
  const qr = page.getByRole('img', { name: /QR code/ });
  await qr.waitFor();
  assert.match(await qr.getAttribute('src') ?? '', /^data:image\/png;base64,/);
  await page.getByText('Show secret key').click();
  const secret = (await page.locator('#secret-key').innerText()).trim();
  assert.match(secret, /^[A-Z2-7]{32,}$/);
  if (shot) await screenshot(page, shot);
  // Two consecutive codes from the two steps before this one: the current and next steps stay free for sign-in.
  const t = stepStart();
  await page.getByLabel('MFA code 1').fill(totp(secret, t - 2 * STEP));
  await page.getByLabel('MFA code 2').fill(totp(secret, t - STEP));
  await page.getByRole('button', { name: 'Add MFA' }).click();
  await page.locator('.notice, .error').first().waitFor();
  assert.equal(await page.locator('.error').count(), 0, await page.locator('main').innerText());
  await page.getByText('MFA device assigned.').waitFor();
  return secret;
}

test('a user under AWS\'s MFA policy: without MFA only enrolment; enrols an app; with MFA allowed; wrong and replayed codes refused', { skip: SKIP, timeout: 120_000 }, async () => {
  const page = await newPage();
  await signIn(page, 'erin');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  // Signed in without MFA: the account summary is denied by DenyAllExceptListedIfNoMFA, exactly as on the API.
  assert.match(await page.locator('#summary-denied').innerText(), /not authorized to perform: iam:GetAccountSummary .*explicit deny/);
  assert.match(await page.locator('main').innerText(), /Signed in without MFA/);
  // So is changing the password (AWS's sample policy does not exempt it).
  await page.goto(consoleUrl(node.endpoint, '/console/password'));
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('An0ther-Passw0rd!');
  await page.getByLabel('Confirm new password').fill('An0ther-Passw0rd!');
  await page.getByRole('button', { name: 'Change password' }).click();
  assert.match(await page.getByRole('alert').innerText(), /not authorized to perform: iam:ChangePassword/);
  // Listing and enrolling devices is what the policy allows.
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  await page.locator('#no-devices').waitFor();
  const secret = await enrolApp(page, 'erin', 'assign-authenticator-app');
  const serial = `arn:aws:iam::${node.accountId}:mfa/erin`;
  assert.match(await page.locator('#mfa-devices').innerText(), new RegExp(serial.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
  await screenshot(page, 'security-credentials');
  // The API sees the same device.
  const listed = await admin.send(new I.ListMFADevicesCommand({ UserName: 'erin' }));
  assert.deepEqual(listed.MFADevices?.map((d) => d.SerialNumber), [serial]);
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Next sign-in asks for the MFA code. A wrong code, then the right one.
  await signIn(page, 'erin');
  await page.getByLabel('MFA code').waitFor();
  await screenshot(page, 'mfa-code');
  const t = stepStart();
  await submitCode(page, totp(secret, t + 40 * STEP));
  assert.match(await page.getByRole('alert').innerText(), /MFA code is not valid/);
  const code = totp(secret, t);
  await submitCode(page, code);
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Signed in with MFA/);
  // With MFA the same policy allows the account summary.
  assert.match(await page.locator('#summary').innerText(), /MFADevicesInUse\s+1/);
  await screenshot(page, 'home');
  await page.getByRole('button', { name: 'Sign out' }).click();

  // The code just used is refused (replay guard); after failures the page suggests resync; the next code works.
  await signIn(page, 'erin');
  await submitCode(page, code);
  assert.match(await page.getByRole('alert').innerText(), /MFA code is not valid/);
  await submitCode(page, totp(secret, t + 40 * STEP));
  await page.locator('#resync-hint').waitFor();
  await submitCode(page, totp(secret, t + STEP));
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await page.context().close();
});

test('root enrols an authenticator app in the console: AccountMFAEnabled becomes 1, and root signs in with MFA', { skip: SKIP, timeout: 120_000 }, async () => {
  const before = await admin.send(new I.GetAccountSummaryCommand({}));
  assert.equal(before.SummaryMap?.AccountMFAEnabled, 0);
  const page = await newPage();
  await page.goto(consoleUrl(node.endpoint, '/console/root'));
  await page.getByLabel('Root user email address').fill(node.bootstrap.root.email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password').fill(node.bootstrap.root.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  const secret = await enrolApp(page, 'root-account-mfa-device');
  const after = await admin.send(new I.GetAccountSummaryCommand({}));
  assert.equal(after.SummaryMap?.AccountMFAEnabled, 1);
  await page.getByRole('button', { name: 'Sign out' }).click();

  await page.goto(consoleUrl(node.endpoint, '/console/root'));
  await page.getByLabel('Root user email address').fill(node.bootstrap.root.email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password').fill(node.bootstrap.root.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await submitCode(page, totp(secret, stepStart()));
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Signed in with MFA/);
  // Root resyncs the device with two consecutive codes (after the one just used), then removes it.
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  await page.getByRole('link', { name: 'Resync' }).click();
  const t2 = stepStart();
  await page.getByLabel('MFA code 1').fill(totp(secret, t2 + STEP));
  await page.getByLabel('MFA code 2').fill(totp(secret, t2 + 2 * STEP));
  await page.getByRole('button', { name: 'Resync' }).click();
  await page.getByText('MFA device resynchronised.').waitFor();
  // Removed: the account is back to no root MFA.
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  await page.getByRole('button', { name: /^Remove / }).click();
  await page.getByText('MFA device removed.').waitFor();
  const removed = await admin.send(new I.GetAccountSummaryCommand({}));
  assert.equal(removed.SummaryMap?.AccountMFAEnabled, 0);
  await page.context().close();
});

test('after too many wrong codes the principal is locked: told to wait, whether the password is right or wrong', { skip: SKIP, timeout: 120_000 }, async () => {
  await admin.send(new I.CreateUserCommand({ UserName: 'frank' }));
  await admin.send(new I.CreateLoginProfileCommand({ UserName: 'frank', Password: PASSWORD }));
  const dev = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'frank' }));
  const seed = Buffer.from(dev.VirtualMFADevice!.Base32StringSeed!).toString('ascii'); // CreateVirtualMFADevice always returns both
  const t = stepStart();
  await admin.send(new I.EnableMFADeviceCommand({ UserName: 'frank', SerialNumber: dev.VirtualMFADevice!.SerialNumber, AuthenticationCode1: totp(seed, t - 2 * STEP), AuthenticationCode2: totp(seed, t - STEP) }));

  const page = await newPage();
  await signIn(page, 'frank');
  await page.getByLabel('MFA code').waitFor();
  // Before the second factor nothing else opens: every page leads back to the MFA code.
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  await page.getByLabel('MFA code').waitFor();
  for (let i = 0; i < 5; i++) {
    await submitCode(page, totp(seed, t + (50 + i) * STEP));
    assert.match(await page.getByRole('alert').innerText(), /MFA code is not valid/);
  }
  // Locked now: even the right code is refused without being checked.
  await submitCode(page, totp(seed, t));
  // The message says until when (the lock's end, in UTC, about a minute from now).
  const lockedText = await page.getByRole('alert').innerText();
  const until = /Codes are refused until (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC/.exec(lockedText);
  assert.ok(until?.[1], `the lock message names its end: ${lockedText}`);
  const untilMs = Date.parse(`${until[1].replace(' ', 'T')}Z`);
  assert.ok(untilMs > Date.now() && untilMs <= Date.now() + 61_000, `the first lock lasts a minute: ${lockedText}`);
  // A new sign-in hears the same, with the right password and with a wrong one.
  const answers: string[] = [];
  for (const password of [PASSWORD, 'Not-the-Passw0rd']) {
    await page.context().clearCookies();
    await page.goto(consoleUrl(node.endpoint, `/console?account=${node.accountId}`));
    await page.getByLabel('IAM user name').fill('frank');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    answers.push(await page.getByRole('alert').innerText());
  }
  assert.equal(answers[0], answers[1]);
  assert.match(answers[0] ?? '', /Too many failed MFA codes for this sign-in\. Codes are refused until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  await page.context().close();
});
