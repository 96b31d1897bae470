// The account's MFA settings with passkeys, in a real browser (Chromium's virtual authenticator over CDP, as in
// console-webauthn.test.ts): a user without a device is held in the wizard and registers a passkey there; on a
// context-aware account the passkey page offers "This is a trusted device", and the next sign-in skips MFA; when
// passkeys stop being allowed, the user's only device is not offered and the user counts as having none (held in
// the wizard again, which then offers only the allowed types; the trusted browser no longer helps).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as I from '@aws-sdk/client-iam';
import type { Page } from 'playwright-core';
import { startGatehouse, setSigninSettings } from '../helpers/server.js';
import type { GatehouseNode } from '../helpers/server.js';
import { iam, awsCli, NO_AWS_CLI } from '../helpers/clients.js';
import { launchBrowser, skipWithoutChromium, consoleUrl, newPage as openPage } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';
import { createUser, heading, signIn } from '../helpers/signin.js';
import { AWS_SELF_MANAGE } from '../fixtures/aws-policies.js';
import { buildIslands } from '../../src/console/islands/build.js';
import { ISLANDS_OUT } from '../../src/console/islands/build-paths.js';

const SKIP = skipWithoutChromium();

let node: GatehouseNode;
let admin: I.IAMClient;
let real: RealBrowser | undefined;

before(async () => {
  if (!existsSync(join(ISLANDS_OUT, 'webauthn.js'))) await buildIslands();
  node = await startGatehouse({ signinSettings: ['prompt=context-aware'] });
  admin = iam(node);
  if (!SKIP) real = await launchBrowser();
}, { timeout: 90_000 });
after(async () => { await real?.close(); await node?.stop(); }, { timeout: 60_000 });

const newPage = (): Promise<Page> => openPage(real!); // set in before() whenever the test is not skipped

async function passkey(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}

/** The island enables its button once it has read the options. */
async function ceremony(page: Page, name: string): Promise<void> {
  const button = page.getByRole('button', { name });
  await button.waitFor();
  await page.locator('#webauthn-start:not([disabled])').waitFor();
  await button.click();
}

async function afterPassword(page: Page, name: string): Promise<string> {
  await signIn(page, node, name);
  await page.waitForURL((u) => u.pathname !== '/console' || u.search === '');
  await page.locator('h1').waitFor();
  return heading(page);
}

test('held in the wizard, a user registers a passkey; the passkey page offers "This is a trusted device"; once passkeys are not allowed the user is held again', { skip: SKIP, timeout: 90_000 }, async () => {
  await createUser(admin, 'pia', { device: false, policies: { 'self-manage': AWS_SELF_MANAGE } });
  const page = await newPage();
  await passkey(page);
  assert.equal(await afterPassword(page, 'pia'), 'Assign MFA device');
  await page.getByLabel('Device name').fill('pia-passkey');
  await page.getByLabel('Passkey or security key').check();
  await page.getByRole('button', { name: 'Next' }).click();
  await ceremony(page, 'Register passkey or security key');
  await page.getByText('MFA device assigned.').waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();

  // The passkey at sign-in, with the trusted-device choice in the ceremony's form.
  assert.equal(await afterPassword(page, 'pia'), 'Multi-factor authentication');
  const box = page.getByLabel('This is a trusted device');
  assert.equal(await box.isChecked(), false);
  await box.check();
  await ceremony(page, 'Use passkey or security key');
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Signed in with MFA/);
  assert.ok((await page.context().cookies()).some((c) => c.name === '__Host-gatehouse-trusted'));
  await page.getByRole('button', { name: 'Sign out' }).click();
  assert.equal(await afterPassword(page, 'pia'), 'Console home', 'trusted: MFA skipped');
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Passkeys no longer allowed: the passkey is not offered, the trusted browser does not help, the wizard offers TOTP.
  await setSigninSettings(node, 'allowed-types=totp');
  try {
    assert.equal(await afterPassword(page, 'pia'), 'Assign MFA device');
    assert.deepEqual((await page.locator('fieldset label').allInnerTexts()).map((s) => s.trim()), ['Authenticator app', 'Hardware TOTP token']);
    await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
    assert.equal(await heading(page), 'Assign MFA device', 'still held');
    await page.getByRole('button', { name: 'Sign out' }).click();
  } finally {
    await setSigninSettings(node, 'allowed-types=webauthn,totp');
  }
  await page.context().close();
});

test('the passkey sign-in is a ConsoleLogin with MFAUsed "Yes" and the passkey\'s serial', { skip: SKIP || NO_AWS_CLI, timeout: 60_000 }, async () => {
  interface Rec { responseElements: { ConsoleLogin: string }; additionalEventData: Record<string, string> }
  let pia: Rec[] = [];
  for (let i = 0; i < 50; i++) {
    const r = await awsCli<{ Events: { CloudTrailEvent: string }[] }>(node, ['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=Username,AttributeValue=pia']);
    assert.ok(r.ok, r.stderr);
    pia = (r.json?.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent) as Rec).filter((x) => x.responseElements?.ConsoleLogin === 'Success');
    if (pia.some((x) => x.additionalEventData['MFAUsed'] === 'Yes')) break;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  const withMfa = pia.find((x) => x.additionalEventData['MFAUsed'] === 'Yes');
  assert.ok(withMfa, JSON.stringify(pia));
  assert.match(withMfa.additionalEventData['MFAIdentifier'] ?? '', /:u2f\/user\/pia\/pia-passkey-/);
});
