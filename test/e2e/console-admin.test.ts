// The administrator's console pages and the self-service additions, in a real browser (Debian Chromium +
// playwright-core): the users list and its "without MFA" filter, a lost device removed by an administrator (the
// user then signs in with the password alone), console access enabled with a forced password change, access
// denied for a user without IAM permissions, CSRF refusal on the administrator's forms, the 9th MFA device
// refused, a hardware TOTP token (imported with the gatehouse CLI, codes from oathtool) enrolled in the console,
// and root creating an access key in the console, using it with the aws CLI and deleting it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as I from '@aws-sdk/client-iam';
import { TOTP, Secret } from 'otpauth';
import type { Page } from 'playwright-core';
import { startGatehouse } from '../helpers/server.js';
import { iam, awsCli, NO_AWS_CLI } from '../helpers/clients.js';
import { oathtool, skipWithout } from '../helpers/tools.js';
import { BIN } from '../helpers/audit.js';
import { launchBrowser, skipWithoutChromium, consoleUrl, screenshot, newPage as openPage } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';
import { AWS_SELF_MANAGE } from '../fixtures/aws-policies.js';

const SKIP = skipWithoutChromium();
const NO_OATHTOOL = skipWithout('oathtool');
const PASSWORD = 'Corr3ct-Horse-Battery!';
const STEP = 30_000;
const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
const stepStart = (t = Date.now()): number => t - (t % STEP);

type Node = Awaited<ReturnType<typeof startGatehouse>>;
let node: Node;
let admin: I.IAMClient;
let real: RealBrowser | undefined;
let dir: string;

async function consoleUser(name: string, o: { policy?: object; managed?: string } = {}): Promise<void> {
  await admin.send(new I.CreateUserCommand({ UserName: name }));
  await admin.send(new I.CreateLoginProfileCommand({ UserName: name, Password: PASSWORD }));
  if (o.policy) await admin.send(new I.PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify(o.policy) }));
  if (o.managed) await admin.send(new I.AttachUserPolicyCommand({ UserName: name, PolicyArn: o.managed }));
}

/** A virtual device created and enabled through the API; returns its serial and seed. */
async function virtualDevice(user: string, deviceName = user): Promise<{ serial: string; seed: string }> {
  const dev = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }));
  const serial = dev.VirtualMFADevice!.SerialNumber!; // CreateVirtualMFADevice always returns the serial and the seed
  const seed = Buffer.from(dev.VirtualMFADevice!.Base32StringSeed!).toString('ascii');
  const t = stepStart();
  await admin.send(new I.EnableMFADeviceCommand({ UserName: user, SerialNumber: serial, AuthenticationCode1: totp(seed, t - 2 * STEP), AuthenticationCode2: totp(seed, t - STEP) }));
  return { serial, seed };
}

before(async () => {
  // Users without an MFA device sign in without one ("Allow them to sign in"): these tests predate the account's MFA settings.
  node = await startGatehouse({ signinSettings: ['without-device=allow'] });
  admin = iam(node);
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-console-admin-'));
  // The bootstrap administrator (AdministratorAccess through the Administrators group) gets a console password.
  await admin.send(new I.CreateLoginProfileCommand({ UserName: 'admin', Password: PASSWORD }));
  await consoleUser('nomfa');
  await consoleUser('withmfa');
  await virtualDevice('withmfa');
  await admin.send(new I.CreateUserCommand({ UserName: 'keysonly' }));
  await admin.send(new I.CreateAccessKeyCommand({ UserName: 'keysonly' }));
  if (!SKIP) real = await launchBrowser();
}, { timeout: 90_000 });
after(async () => { await real?.close(); await node?.stop(); rmSync(dir, { recursive: true, force: true }); }, { timeout: 60_000 });

const newPage = (): Promise<Page> => openPage(real!); // set in before() whenever the test is not skipped
const go = (page: Page, path: string) => page.goto(consoleUrl(node.endpoint, path));

async function signIn(page: Page, userName: string, password = PASSWORD): Promise<void> {
  await go(page, `/console?account=${node.accountId}`);
  await page.getByLabel('IAM user name').fill(userName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signInRoot(page: Page): Promise<void> {
  await go(page, '/console/root');
  await page.getByLabel('Root user email address').fill(node.bootstrap.root.email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password').fill(node.bootstrap.root.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
}

/** The users table's rows as {user name: whole row text}. */
async function userTable(page: Page): Promise<Map<string, string>> {
  const rows = await page.locator('#users tbody tr').allInnerTexts();
  return new Map(rows.map((r) => [r.split('\t')[0]!.trim(), r])); // a row's text starts with its first cell
}

test('the administrator lists users with their credentials and filters those without MFA; the dashboard shows the security status', { skip: SKIP, timeout: 120_000 }, async () => {
  const page = await newPage();
  await signIn(page, 'admin');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users' }).waitFor();
  const all = await userTable(page);
  for (const name of ['admin', 'nomfa', 'withmfa', 'keysonly']) assert.ok(all.has(name), [...all.keys()].join(', '));
  assert.match(all.get('withmfa')!, /Enabled\s+1 × Authenticator app\s+0 days\s+Never/);
  assert.match(all.get('nomfa')!, /Enabled\s+None/);
  assert.match(all.get('keysonly')!, /Disabled\s+None\s+—\s+—\s+0 days/);
  await screenshot(page, 'users');

  await page.getByLabel('Only users without MFA').check();
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/filter=without-mfa/);
  const filtered = await userTable(page);
  assert.ok(filtered.has('nomfa') && filtered.has('keysonly') && filtered.has('admin'));
  assert.ok(!filtered.has('withmfa'), 'a user with an MFA device is filtered out');
  assert.match(await page.locator('#users-count').innerText(), /without MFA/);

  // The dashboard: no root MFA, no root keys, and the console users without MFA (not keysonly: no console access).
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  assert.match(await page.locator('#check-root-mfa').innerText(), /Action needed/);
  assert.match(await page.locator('#check-root-access-keys').innerText(), /OK/);
  const withoutMfa = await page.locator('#check-console-users-without-mfa').innerText();
  assert.match(withoutMfa, /Action needed/);
  assert.match(withoutMfa, /nomfa/);
  assert.doesNotMatch(withoutMfa, /keysonly|withmfa/);
  assert.ok((await page.locator('#dashboard-signin-links a').allInnerTexts()).includes(`http://localhost:${new URL(node.endpoint).port}/console?account=${node.accountId}`));
  await screenshot(page, 'dashboard');

  // The user's page, groups and policies.
  await go(page, '/console/users/view?name=withmfa');
  await page.locator('#user-mfa-devices').waitFor();
  await screenshot(page, 'user-security-credentials');
  await page.getByRole('link', { name: 'Groups' }).first().click();
  await page.getByRole('link', { name: 'Administrators' }).click();
  assert.match(await page.locator('#group-members').innerText(), /admin/);
  assert.match(await page.locator('#group-policies').innerText(), /AdministratorAccess/);
  await page.getByRole('link', { name: 'AdministratorAccess' }).click();
  assert.match(await page.locator('#policy-document').innerText(), /"Action": "\*"/);
  await screenshot(page, 'policy');
  await page.context().close();
});

test('an administrator removes a lost device (deactivated and deleted); the user then signs in with the password alone', { skip: SKIP, timeout: 120_000 }, async () => {
  await consoleUser('lost');
  const { serial } = await virtualDevice('lost');
  const page = await newPage();
  await signIn(page, 'admin');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await go(page, '/console/users/view?name=lost');
  await page.getByRole('button', { name: `Remove ${serial}` }).click();
  await page.getByText('MFA device removed from the user.').waitFor();
  await page.locator('#user-no-devices').waitFor();
  // As AWS's console does: deactivated, then the virtual device deleted.
  assert.deepEqual((await admin.send(new I.ListMFADevicesCommand({ UserName: 'lost' }))).MFADevices, []);
  const virtual = await admin.send(new I.ListVirtualMFADevicesCommand({}));
  assert.ok(!virtual.VirtualMFADevices?.some((d) => d.SerialNumber === serial));
  await page.context().close();

  const user = await newPage();
  await signIn(user, 'lost');
  await user.getByRole('heading', { name: 'Console home' }).waitFor();
  assert.match(await user.locator('main').innerText(), /Signed in without MFA/);
  await user.context().close();
});

test('an administrator enables console access with "must create a new password at next sign-in": the user must change it first', { skip: SKIP, timeout: 120_000 }, async () => {
  await admin.send(new I.CreateUserCommand({ UserName: 'newbie' }));
  await admin.send(new I.AttachUserPolicyCommand({ UserName: 'newbie', PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' }));
  const page = await newPage();
  await signIn(page, 'admin');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await go(page, '/console/users/view?name=newbie');
  assert.match(await page.locator('#console-access').innerText(), /Disabled/);
  await page.getByText('Enable console access').first().click();
  await page.getByLabel('Console password').fill('First-Passw0rd!');
  assert.equal(await page.getByLabel('User must create a new password at next sign-in').isChecked(), true);
  await page.getByRole('button', { name: 'Enable console access' }).click();
  await page.getByText('Console access enabled.').waitFor();
  assert.match(await page.locator('#console-access').innerText(), /Enabled.*must be changed at next sign-in/);
  const { LoginProfile } = await admin.send(new I.GetLoginProfileCommand({ UserName: 'newbie' }));
  assert.equal(LoginProfile?.PasswordResetRequired, true);
  await page.context().close();

  const user = await newPage();
  await signIn(user, 'newbie', 'First-Passw0rd!');
  await user.getByRole('heading', { name: 'Set a new password' }).waitFor();
  await go(user, '/console/users');
  await user.getByRole('heading', { name: 'Set a new password' }).waitFor();
  await user.getByLabel('Current password').fill('First-Passw0rd!');
  await user.getByLabel('New password', { exact: true }).fill('Second-Passw0rd!');
  await user.getByLabel('Confirm new password').fill('Second-Passw0rd!');
  await user.getByRole('button', { name: 'Change password' }).click();
  await user.getByText('Your password has been changed.').waitFor();
  await user.context().close();
});

test('a user without IAM permissions gets "Access denied" on the administrator\'s pages, with the authoriser\'s reason', { skip: SKIP, timeout: 60_000 }, async () => {
  await consoleUser('plain');
  const page = await newPage();
  await signIn(page, 'plain');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  const response = await go(page, '/console/users');
  assert.equal(response?.status(), 403);
  await page.getByRole('heading', { name: 'Access denied' }).waitFor();
  assert.match(await page.getByRole('alert').innerText(), /not authorized to perform: iam:ListUsers/);
  await screenshot(page, 'access-denied');
  for (const path of ['/console/groups', '/console/policies', '/console/users/view?name=nomfa']) {
    const r = await go(page, path);
    assert.equal(r?.status(), 403, path);
    await page.getByRole('heading', { name: 'Access denied' }).waitFor();
  }
  // A form posted anyway (with the session's token) is refused by the authoriser too.
  await go(page, '/console/dashboard');
  const csrf = await page.locator('header input[name=csrf]').getAttribute('value');
  const denied = await page.request.post(consoleUrl(node.endpoint, '/console/users/console-access/disable'), { form: { csrf: csrf ?? '', user: 'nomfa' }, maxRedirects: 0 });
  assert.equal(denied.status(), 403);
  assert.match(await denied.text(), /not authorized to perform: iam:DeleteLoginProfile/);
  await admin.send(new I.GetLoginProfileCommand({ UserName: 'nomfa' }));
  await page.context().close();
});

test('CSRF: the administrator\'s forms refuse a POST without the session\'s token, and one from another origin', { skip: SKIP, timeout: 60_000 }, async () => {
  const page = await newPage();
  await signIn(page, 'admin');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  // The browser's own cookies, no token.
  const none = await page.request.post(consoleUrl(node.endpoint, '/console/users/console-access/disable'), { form: { user: 'nomfa' }, maxRedirects: 0 });
  assert.equal(none.status(), 403);
  assert.match(await none.text(), /CSRF/);
  // A page on another origin (127.0.0.1 is another site than localhost) submits a form to the console.
  await page.goto(`${node.endpoint}/healthz`);
  await page.setContent(`<form id="f" method="post" action="${consoleUrl(node.endpoint, '/console/access-keys/create')}"><input name="user" value="nomfa"></form>`);
  const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/console/access-keys/create')), page.locator('#f').evaluate((f) => (f as unknown as { submit(): void }).submit())]); // #f is a <form> (no DOM types in this project)
  assert.equal(answer.status(), 403);
  await page.getByRole('heading', { name: 'Form refused' }).waitFor();
  // Bad input on the administrator's pages: a 4xx page with the API's reason, never a 5xx.
  for (const path of ['/console/users/view?name=', '/console/users/view?name=%00bad', '/console/users/view?name=no-such-user', '/console/policies/view?arn=not-an-arn', '/console/groups/view?name=nope', `/console/users/view?name=${'x'.repeat(5000)}`]) {
    const r = await go(page, path);
    const status = r?.status() ?? 0;
    assert.ok(status >= 400 && status < 500, `${path}: ${status}`);
    await page.getByRole('alert').waitFor();
  }
  await go(page, '/console/dashboard');
  const csrf = await page.locator('header input[name=csrf]').getAttribute('value') ?? '';
  const bad = await page.request.post(consoleUrl(node.endpoint, '/console/policies/attach'), { form: { csrf, arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', kind: 'planet', name: 'x' }, maxRedirects: 0 });
  assert.equal(bad.status(), 400);
  const badStatus = await page.request.post(consoleUrl(node.endpoint, '/console/access-keys/status'), { form: { csrf, user: 'keysonly', id: 'AKIA0000000000000000', status: 'Sideways' }, maxRedirects: 0 });
  assert.ok(badStatus.status() >= 400 && badStatus.status() < 500, String(badStatus.status()));
  // Nothing changed.
  await admin.send(new I.GetLoginProfileCommand({ UserName: 'nomfa' }));
  assert.deepEqual((await admin.send(new I.ListAccessKeysCommand({ UserName: 'nomfa' }))).AccessKeyMetadata, []);
  await page.context().close();
});

test('the 9th MFA device is refused in the console with a clear message', { skip: SKIP, timeout: 120_000 }, async () => {
  await consoleUser('eight', { policy: AWS_SELF_MANAGE });
  const devices = [];
  for (let i = 1; i <= 8; i++) devices.push(await virtualDevice('eight', `eight-${i}`));
  const page = await newPage();
  await signIn(page, 'eight');
  await page.getByLabel('MFA device').selectOption(devices[0]!.serial);
  await page.getByLabel('MFA code').fill(totp(devices[0]!.seed, stepStart()));
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await go(page, '/console/security-credentials');
  assert.equal(await page.locator('#mfa-devices tbody tr').count(), 8);
  for (const type of ['Authenticator app', 'Hardware TOTP token']) {
    await page.getByRole('link', { name: 'Assign MFA device' }).click();
    await page.getByLabel('Device name').fill('eight');
    await page.getByLabel(type).check();
    await page.getByRole('button', { name: 'Next' }).click();
    if (type === 'Hardware TOTP token' && await page.getByLabel('Serial number').count()) {
      await page.getByLabel('Serial number').fill('GAHT99999999');
      await page.getByLabel('MFA code 1').fill('123456');
      await page.getByLabel('MFA code 2').fill('234567');
      await page.getByRole('button', { name: 'Add MFA' }).click();
    }
    assert.match(await page.getByRole('alert').innerText(), /already has 8 MFA devices, the most AWS allows.*Remove a device before assigning another/);
    await go(page, '/console/security-credentials');
  }
  await screenshot(page, 'mfa-quota');
  assert.equal((await admin.send(new I.ListMFADevicesCommand({ UserName: 'eight' }))).MFADevices?.length, 8);
  // No stray virtual device was created for the refused 9th.
  assert.ok(!(await admin.send(new I.ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }))).VirtualMFADevices?.length);
  await page.context().close();
});

/** `gatehouse CMD …` against the node's store. */
function gatehouse(args: string[]): Promise<string> {
  const storeArgs = ['--data', node.dataDir, ...(node.databaseUrl ? ['--database', node.databaseUrl] : [])];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args, ...storeArgs], { timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`gatehouse ${args.join(' ')}: ${stderr}`)) : resolve(stdout)));
  });
}

test('a hardware TOTP token imported with the CLI is assigned in the console (codes from oathtool), and signs in', { skip: SKIP || NO_OATHTOOL, timeout: 120_000 }, async () => {
  const hex = randomBytes(20).toString('hex');
  const csv = join(dir, 'tokens.csv');
  writeFileSync(csv, `GAHT00004242,${hex}\n`);
  await gatehouse(['hardware-tokens', 'import', csv]);
  const oath = (t: number): string => oathtool(['--totp', '-N', `@${Math.floor(t / 1000)}`, hex]);
  // Under AWS's self-service policy, signed in without MFA: enrolment is what it allows.
  await consoleUser('hw', { policy: AWS_SELF_MANAGE });
  const page = await newPage();
  await signIn(page, 'hw');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await go(page, '/console/security-credentials');
  await page.getByRole('link', { name: 'Assign MFA device' }).click();
  await page.getByLabel('Device name').fill('hw');
  await page.getByLabel('Hardware TOTP token').check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Serial number').fill('GAHT00004242');
  const t = stepStart();
  // A wrong pair first: refused with the reason, the serial kept.
  await page.getByLabel('MFA code 1').fill(oath(t - 20 * STEP));
  await page.getByLabel('MFA code 2').fill(oath(t - 30 * STEP));
  await page.getByRole('button', { name: 'Add MFA' }).click();
  assert.match(await page.getByRole('alert').innerText(), /codes are not valid for this token/);
  assert.equal(await page.getByLabel('Serial number').inputValue(), 'GAHT00004242');
  await page.getByLabel('MFA code 1').fill(oath(t - 2 * STEP));
  await page.getByLabel('MFA code 2').fill(oath(t - STEP));
  await screenshot(page, 'assign-hardware-token');
  await page.getByRole('button', { name: 'Add MFA' }).click();
  await page.getByText('Hardware TOTP token assigned.').waitFor();
  assert.match(await page.locator('#mfa-devices').innerText(), /GAHT00004242\s+Hardware TOTP token/);
  const listed = await admin.send(new I.ListMFADevicesCommand({ UserName: 'hw' }));
  assert.deepEqual(listed.MFADevices?.map((d) => d.SerialNumber), ['GAHT00004242']);
  await page.getByRole('button', { name: 'Sign out' }).click();
  // The next sign-in asks for the token's code.
  await signIn(page, 'hw');
  await page.getByLabel('MFA code').fill(oath(t));
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Signed in with MFA/);
  await page.context().close();
});

test('root creates an access key in the console, the aws CLI uses it, root deletes it', { skip: SKIP || NO_AWS_CLI, timeout: 120_000 }, async () => {
  const page = await newPage();
  await signInRoot(page);
  await go(page, '/console/security-credentials');
  await page.locator('#no-access-keys').waitFor();
  await page.getByRole('button', { name: 'Create access key' }).click();
  await page.getByRole('heading', { name: 'Access key created' }).waitFor();
  const accessKeyId = (await page.locator('#access-key-id').innerText()).trim();
  const secretAccessKey = (await page.locator('#secret-access-key').innerText()).trim();
  assert.match(accessKeyId, /^AKIA[A-Z0-9]{16}$/);
  assert.equal(secretAccessKey.length, 40);
  const who = await awsCli<{ Arn: string }>(node, ['sts', 'get-caller-identity'], { accessKeyId, secretAccessKey });
  assert.ok(who.ok, who.stderr);
  assert.equal(who.json?.Arn, `arn:aws:iam::${node.accountId}:root`);
  const summary = await admin.send(new I.GetAccountSummaryCommand({}));
  assert.equal(summary.SummaryMap?.AccountAccessKeysPresent, 1);
  // The secret is never shown again.
  await page.getByRole('link', { name: 'Done' }).click();
  assert.doesNotMatch(await page.content(), new RegExp(secretAccessKey.replace(/[+/]/g, '.')));
  assert.match(await page.locator('#access-keys').innerText(), new RegExp(`${accessKeyId}\\s+Active`));
  // Inactive: refused by the API; active again; then deleted.
  await page.getByRole('button', { name: `Make inactive ${accessKeyId}` }).click();
  await page.getByText('Access key status changed.').waitFor();
  assert.match(await page.locator('#access-keys').innerText(), /Inactive/);
  await screenshot(page, 'root-access-keys');
  const inactive = await awsCli(node, ['sts', 'get-caller-identity'], { accessKeyId, secretAccessKey });
  assert.equal(inactive.ok, false);
  await page.getByRole('button', { name: `Make active ${accessKeyId}` }).click();
  await page.getByText('Access key status changed.').waitFor();
  await page.getByRole('button', { name: `Delete ${accessKeyId}` }).click();
  await page.getByText('Access key deleted.').waitFor();
  await page.locator('#no-access-keys').waitFor();
  const gone = await awsCli(node, ['sts', 'get-caller-identity'], { accessKeyId, secretAccessKey });
  assert.equal(gone.ok, false);
  assert.match(gone.stderr, /InvalidClientTokenId/);
  assert.equal((await admin.send(new I.GetAccountSummaryCommand({}))).SummaryMap?.AccountAccessKeysPresent, 0);
  await page.context().close();
});

test('an administrator assigns an authenticator app on a user\'s behalf (QR code and two codes); the user then signs in with it', { skip: SKIP, timeout: 120_000 }, async () => {
  await consoleUser('phone');
  const page = await newPage();
  await signIn(page, 'admin');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  await go(page, '/console/users/view?name=phone');
  await page.getByRole('link', { name: 'Assign MFA device' }).click();
  assert.equal(await page.getByLabel('Device name').inputValue(), 'phone');
  await page.getByLabel('Authenticator app').check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Show QR code').click();
  assert.match(await page.getByRole('img', { name: /QR code/ }).getAttribute('src') ?? '', /^data:image\/png;base64,/);
  await page.getByText('Show secret key').click();
  const secret = (await page.locator('#secret-key').innerText()).trim();
  const t = stepStart();
  // A wrong pair first: refused, the form stays (the device is not lost).
  await page.getByLabel('MFA code 1').fill(totp(secret, t - 30 * STEP));
  await page.getByLabel('MFA code 2').fill(totp(secret, t - 29 * STEP));
  await page.getByRole('button', { name: 'Add MFA' }).click();
  assert.match(await page.getByRole('alert').innerText(), /codes are not valid/);
  await page.getByLabel('MFA code 1').fill(totp(secret, t - 2 * STEP));
  await page.getByLabel('MFA code 2').fill(totp(secret, t - STEP));
  await page.getByRole('button', { name: 'Add MFA' }).click();
  await page.getByText('MFA device assigned to the user.').waitFor();
  assert.match(await page.locator('#user-mfa-devices').innerText(), /mfa\/phone\s+Authenticator app/);
  await page.context().close();

  const user = await newPage();
  await signIn(user, 'phone');
  await user.getByLabel('MFA code').fill(totp(secret, t));
  await user.getByRole('button', { name: 'Submit' }).click();
  await user.getByRole('heading', { name: 'Console home' }).waitFor();
  assert.match(await user.locator('main').innerText(), /Signed in with MFA/);
  await user.context().close();
});

test('policies attached and detached, group members added and removed, account settings saved: the API sees each change', { skip: SKIP, timeout: 120_000 }, async () => {
  await admin.send(new I.CreateGroupCommand({ GroupName: 'Readers' }));
  const page = await newPage();
  await signIn(page, 'admin');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  // Policies: AWS managed, filtered; attach IAMReadOnlyAccess to the group, then detach it.
  await go(page, '/console/policies');
  await page.getByLabel('Type').selectOption('AWS');
  await page.getByLabel('Policy name contains').fill('iamreadonly');
  await page.getByRole('button', { name: 'Filter' }).click();
  assert.deepEqual(await page.locator('#policies tbody a').allInnerTexts(), ['IAMReadOnlyAccess']);
  await screenshot(page, 'policies');
  await page.getByRole('link', { name: 'IAMReadOnlyAccess', exact: true }).click();
  assert.match(await page.locator('#policy-document').innerText(), /"iam:Get\*"/);
  await page.getByLabel('Attach to').selectOption('group');
  await page.getByLabel('Name', { exact: true }).fill('Readers');
  await page.getByRole('button', { name: 'Attach policy' }).click();
  await page.getByText('Policy attached.').waitFor();
  assert.match(await page.locator('#policy-entities').innerText(), /Group\s+Readers/);
  const attached = await admin.send(new I.ListAttachedGroupPoliciesCommand({ GroupName: 'Readers' }));
  assert.deepEqual(attached.AttachedPolicies?.map((p) => p.PolicyName), ['IAMReadOnlyAccess']);
  // Group members.
  await go(page, '/console/groups/view?name=Readers');
  await page.getByLabel('User name to add').fill('nomfa');
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByText('User added to the group.').waitFor();
  assert.deepEqual((await admin.send(new I.GetGroupCommand({ GroupName: 'Readers' }))).Users?.map((u) => u.UserName), ['nomfa']);
  await screenshot(page, 'group');
  await page.getByRole('button', { name: 'Remove nomfa from the group' }).click();
  await page.getByText('User removed from the group.').waitFor();
  assert.deepEqual((await admin.send(new I.GetGroupCommand({ GroupName: 'Readers' }))).Users, []);
  await go(page, '/console/policies/view?arn=arn:aws:iam::aws:policy/IAMReadOnlyAccess');
  await page.getByRole('button', { name: 'Detach from group Readers' }).click();
  await page.getByText('Policy detached.').waitFor();
  assert.deepEqual((await admin.send(new I.ListAttachedGroupPoliciesCommand({ GroupName: 'Readers' }))).AttachedPolicies, []);
  // Account settings: password policy and alias.
  await go(page, '/console/account');
  await page.getByLabel('Minimum password length').fill('14');
  await page.getByLabel('Require at least one number').check();
  await page.getByLabel('Allow users to change their own password').check();
  await page.getByRole('button', { name: 'Save password policy' }).click();
  await page.getByText('Password policy updated.').waitFor();
  const { PasswordPolicy } = await admin.send(new I.GetAccountPasswordPolicyCommand({}));
  assert.equal(PasswordPolicy?.MinimumPasswordLength, 14);
  assert.equal(PasswordPolicy?.RequireNumbers, true);
  assert.equal(PasswordPolicy?.RequireSymbols, false);
  assert.equal(PasswordPolicy?.AllowUsersToChangePassword, true);
  await page.getByLabel('Account alias').fill('acme-admin-test');
  await page.getByRole('button', { name: 'Save alias' }).click();
  await page.getByText('Account alias set.').waitFor();
  const links = await page.locator('#account-signin-links a').allInnerTexts();
  assert.ok(links.some((l) => l.endsWith('/console?account=acme-admin-test')), links.join(', '));
  assert.deepEqual((await admin.send(new I.ListAccountAliasesCommand({}))).AccountAliases, ['acme-admin-test']);
  // A policy the API refuses is shown with its reason.
  await page.getByLabel('Minimum password length').fill('500');
  await page.getByRole('button', { name: 'Save password policy' }).click();
  assert.match(await page.getByRole('alert').innerText(), /MinimumPasswordLength|128/);
  await go(page, '/console/account');
  await page.getByRole('button', { name: 'Delete password policy' }).click();
  await page.getByText('Password policy deleted').waitFor();
  await page.getByRole('button', { name: 'Delete alias' }).click();
  await page.getByText('Account alias deleted.').waitFor();
  assert.deepEqual((await admin.send(new I.ListAccountAliasesCommand({}))).AccountAliases, []);
  await page.context().close();
});
