// The account's allowed MFA types and "users manage their own devices" in a real browser (docs/sign-in.md "Allowed
// MFA types", "Who manages MFA devices"): a type not allowed is not offered at sign-in (a user left with none is
// treated as having no device), cannot be enrolled in the console (Assign MFA device hides and refuses it; so do
// an administrator's pages for a user), stays listed on Security credentials marked "not allowed", while the API's
// EnableMFADevice is unaffected. With self-management off the self-service pages refuse, saying only
// administrators assign and remove devices, and an administrator still can.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import type { Page } from 'playwright-core';
import { startGatehouse, setSigninSettings } from '../helpers/server.js';
import type { GatehouseNode } from '../helpers/server.js';
import { iam } from '../helpers/clients.js';
import { launchBrowser, skipWithoutChromium, consoleUrl, newPage as openPage } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';
import { afterPassword as afterPasswordOf, createUser, heading, signIn, submitCode } from '../helpers/signin.js';
import { AWS_SELF_MANAGE } from '../fixtures/aws-policies.js';

const SKIP = skipWithoutChromium();
const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';

let node: GatehouseNode;
let admin: I.IAMClient;
let real: RealBrowser | undefined;

before(async () => {
  // Users without a (usable) device sign in without MFA here unless a test says otherwise.
  node = await startGatehouse({ signinSettings: ['without-device=allow'] });
  admin = iam(node);
  await createUser(admin, 'ada', { device: false });
  await admin.send(new I.AttachUserPolicyCommand({ UserName: 'ada', PolicyArn: ADMIN_POLICY }));
  if (!SKIP) real = await launchBrowser();
}, { timeout: 90_000 });
after(async () => { await real?.close(); await node?.stop(); }, { timeout: 60_000 });

const newPage = (): Promise<Page> => openPage(real!); // set in before() whenever the test is not skipped

const afterPassword = (page: Page, name: string): Promise<string> => afterPasswordOf(page, node, name);

/** The type choices Assign MFA device offers. */
const assignChoices = async (page: Page): Promise<string[]> => (await page.locator('fieldset label').allInnerTexts()).map((s) => s.trim());

test('allowed types = passkeys only: an authenticator app is not offered at sign-in, not enrollable (own and admin pages), listed as not allowed; the API still enables one', { skip: SKIP, timeout: 60_000 }, async () => {
  await setSigninSettings(node, 'allowed-types=webauthn');
  try {
    // The API's EnableMFADevice is AWS's own operation: unaffected by the console's settings.
    const tia = await createUser(admin, 'tia', { policies: { 'self-manage': AWS_SELF_MANAGE } });
    const listed = await admin.send(new I.ListMFADevicesCommand({ UserName: 'tia' }));
    assert.deepEqual(listed.MFADevices?.map((d) => d.SerialNumber), [tia.serial]);
    const page = await newPage();
    // Its only device is not allowed: as without a device ("allow" here): no MFA page, signed in without MFA.
    assert.equal(await afterPassword(page, 'tia'), 'Console home');
    assert.match(await page.locator('main').innerText(), /Signed in without MFA/);
    await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
    assert.match(await page.locator('#mfa-devices').innerText(), /Authenticator app \(virtual MFA device\) \(not allowed by the account's MFA settings\)/);
    await page.goto(consoleUrl(node.endpoint, '/console/mfa/assign'));
    assert.deepEqual(await assignChoices(page), ['Passkey or security key']);
    // A forged choice, and the hardware token page: refused.
    const csrf = await page.locator('input[name=csrf]').first().inputValue();
    const forged = await page.request.post(consoleUrl(node.endpoint, '/console/mfa/assign'), { form: { csrf, name: 'tia', type: 'app' }, maxRedirects: 0 });
    assert.equal(forged.status(), 403);
    assert.match(await forged.text(), /This type of MFA device is not allowed in this account/);
    await page.goto(consoleUrl(node.endpoint, '/console/mfa/assign/hardware'));
    assert.match(await page.getByRole('alert').innerText(), /not allowed in this account/);
    await page.getByRole('button', { name: 'Sign out' }).click();

    // Under "require registration" the same user is held in the wizard, offered passkeys only.
    await setSigninSettings(node, 'without-device=require-registration');
    assert.equal(await afterPassword(page, 'tia'), 'Assign MFA device');
    assert.deepEqual(await assignChoices(page), ['Passkey or security key']);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await setSigninSettings(node, 'without-device=allow');

    // An administrator cannot assign an app or a hardware token to a user either.
    assert.equal(await afterPassword(page, 'ada'), 'Console home');
    await page.goto(consoleUrl(node.endpoint, '/console/users/mfa/assign?name=tia'));
    assert.match(await page.getByRole('alert').innerText(), /allows only passkeys and security keys/);
    await page.goto(consoleUrl(node.endpoint, '/console/users/mfa/hardware?name=tia'));
    assert.match(await page.getByRole('alert').innerText(), /not allowed in this account/);
    await page.context().close();
  } finally {
    await setSigninSettings(node, 'allowed-types=webauthn,totp');
  }
});

test('allowed types = authenticator apps only: Assign MFA device hides passkeys and refuses them; the app signs in as usual', { skip: SKIP, timeout: 60_000 }, async () => {
  await setSigninSettings(node, 'allowed-types=totp');
  try {
    const uli = await createUser(admin, 'uli', { policies: { 'self-manage': AWS_SELF_MANAGE } });
    const page = await newPage();
    assert.equal(await afterPassword(page, 'uli'), 'Multi-factor authentication');
    await submitCode(page, uli.nextCode());
    await page.getByRole('heading', { name: 'Console home' }).waitFor();
    await page.goto(consoleUrl(node.endpoint, '/console/mfa/assign'));
    assert.deepEqual(await assignChoices(page), ['Authenticator app', 'Hardware TOTP token']);
    const csrf = await page.locator('input[name=csrf]').first().inputValue();
    const forged = await page.request.post(consoleUrl(node.endpoint, '/console/mfa/assign'), { form: { csrf, name: 'uli', type: 'fido' }, maxRedirects: 0 });
    assert.equal(forged.status(), 403);
    assert.match(await forged.text(), /not allowed in this account/);
    // An administrator's page for a user offers the app and the hardware token.
    await page.getByRole('button', { name: 'Sign out' }).click();
    assert.equal(await afterPassword(page, 'ada'), 'Console home');
    await page.goto(consoleUrl(node.endpoint, '/console/users/mfa/assign?name=uli'));
    assert.deepEqual(await assignChoices(page), ['Authenticator app', 'Hardware TOTP token']);
    await page.context().close();
  } finally {
    await setSigninSettings(node, 'allowed-types=webauthn,totp');
  }
});

test('self-management off: assign, remove and resync refuse ("only administrators"), the device stays; an administrator removes it from the user\'s page', { skip: SKIP, timeout: 60_000 }, async () => {
  const sam = await createUser(admin, 'sam', { policies: { 'self-manage': AWS_SELF_MANAGE } });
  await setSigninSettings(node, 'self-manage=false');
  try {
    const page = await newPage();
    assert.equal(await afterPassword(page, 'sam'), 'Multi-factor authentication');
    await submitCode(page, sam.nextCode());
    await page.getByRole('heading', { name: 'Console home' }).waitFor();
    await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
    await page.getByRole('link', { name: 'Assign MFA device' }).click();
    assert.equal(await heading(page), 'MFA devices are managed by administrators');
    assert.match(await page.getByRole('alert').innerText(), /Only administrators assign and remove MFA devices in this account\. Ask your administrator/);
    await page.goto(consoleUrl(node.endpoint, `/console/mfa/device/resync?serial=${encodeURIComponent(sam.serial)}`));
    assert.equal(await heading(page), 'MFA devices are managed by administrators');
    await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
    await page.getByRole('button', { name: `Remove ${sam.serial}` }).click();
    assert.equal(await heading(page), 'MFA devices are managed by administrators');
    const still = await admin.send(new I.ListMFADevicesCommand({ UserName: 'sam' }));
    assert.deepEqual(still.MFADevices?.map((d) => d.SerialNumber), [sam.serial], 'the device stays');
    await page.getByRole('button', { name: 'Sign out' }).click();

    // The administrator: the user's page assigns and removes.
    assert.equal(await afterPassword(page, 'ada'), 'Console home');
    await page.goto(consoleUrl(node.endpoint, '/console/users/mfa/assign?name=sam'));
    assert.equal(await heading(page), 'Assign MFA device to sam');
    await page.goto(consoleUrl(node.endpoint, '/console/users/view?name=sam'));
    await page.getByRole('button', { name: `Remove ${sam.serial}` }).click();
    await page.getByText('MFA device removed from the user.').waitFor();
    const gone = await admin.send(new I.ListMFADevicesCommand({ UserName: 'sam' }));
    assert.deepEqual(gone.MFADevices, []);
    await page.context().close();
  } finally {
    await setSigninSettings(node, 'self-manage=true');
  }
});
