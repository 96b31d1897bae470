// The console's Security page in a real browser (Debian Chromium + playwright-core): an administrator reaches it
// from the header, sees the score, the latest findings with when they started failing and, for its own, a link to
// the page that fixes them, the recent changes, and can run the audit now; a user without iam:GetCredentialReport
// is refused by the same authoriser as the API; one allowed only that sees the page without "Run now".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import type { Page } from 'playwright-core';
import { startGatehouse } from '../helpers/server.js';
import type { GatehouseNode } from '../helpers/server.js';
import { iam } from '../helpers/clients.js';
import { launchBrowser, skipWithoutChromium, consoleUrl, newPage as openPage } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';
import { Secret, TOTP } from 'otpauth';

const SKIP = skipWithoutChromium();
const PASSWORD = 'Security-Page-Passw0rd!';

let node: GatehouseNode;
let admin: I.IAMClient;
let real: RealBrowser | undefined;

before(async () => {
  // Users without an MFA device sign in without one ("Allow them to sign in"): these tests predate the account's MFA settings.
  node = await startGatehouse({ env: { GATEHOUSE_AUDIT_INTERVAL: '1h', GATEHOUSE_AUDIT_DEBOUNCE: '200ms' }, signinSettings: ['without-device=allow'] });
  admin = iam(node);
  await admin.send(new I.CreateLoginProfileCommand({ UserName: 'admin', Password: PASSWORD }));
  for (const name of ['erin', 'frank', 'gina']) {
    await admin.send(new I.CreateUserCommand({ UserName: name }));
    await admin.send(new I.CreateLoginProfileCommand({ UserName: name, Password: PASSWORD }));
  }
  // frank may read the findings (iam:GetCredentialReport) but not run the audit (iam:GenerateCredentialReport).
  await admin.send(new I.PutUserPolicyCommand({
    UserName: 'frank', PolicyName: 'read-findings',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetCredentialReport', Resource: '*' }] }),
  }));
  // gina may read the findings and enrol her own authenticator app.
  await admin.send(new I.PutUserPolicyCommand({
    UserName: 'gina', PolicyName: 'read-findings-and-enrol',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: 'iam:GetCredentialReport', Resource: '*' },
      { Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:DeleteVirtualMFADevice'], Resource: '*' },
    ] }),
  }));
  if (!SKIP) real = await launchBrowser();
}, { timeout: 90_000 });
after(async () => { await real?.close(); await node?.stop(); }, { timeout: 60_000 });

const newPage = (): Promise<Page> => openPage(real!); // set in before() whenever the test is not skipped
const arn = (name: string): string => `arn:aws:iam::${node.accountId}:user/${name}`;

async function signIn(page: Page, userName: string): Promise<void> {
  await page.goto(consoleUrl(node.endpoint, `/console?account=${node.accountId}`));
  await page.getByLabel('IAM user name').fill(userName);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
}

/** Reloads the Security page until the finding is listed (the audit runs soon after the changes above). */
async function waitForFinding(page: Page, check: string, resource: string, timeoutMs = 60_000): Promise<void> {
  const row = page.locator(`#findings tr[data-check="${check}"]`, { hasText: resource });
  const until = Date.now() + timeoutMs;
  for (let wait = 100; (await row.count()) === 0; wait = Math.min(wait * 2, 1000)) {
    if (Date.now() > until) throw new Error(`the Security page did not list ${check} for ${resource} within ${timeoutMs / 1000} s`);
    await new Promise((ok) => setTimeout(ok, wait));
    await page.reload();
  }
}

test('an administrator sees the score and the latest findings, with when each began and a link to fix its own', { skip: SKIP, timeout: 120_000 }, async () => {
  const page = await newPage();
  await signIn(page, 'admin');
  await page.locator('header').getByRole('link', { name: 'Security' }).click();
  await page.getByRole('heading', { name: 'Security', exact: true }).waitFor();
  await waitForFinding(page, 'mfa-enabled-for-iam-console-access', arn('erin'));
  assert.match(await page.locator('#score').innerText(), /^\d+(\.\d)? \/ 100$/);
  const erin = page.locator('#findings tr[data-check="mfa-enabled-for-iam-console-access"]', { hasText: arn('erin') });
  assert.equal(await erin.getAttribute('data-status'), 'FAIL');
  assert.match(await erin.innerText(), /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, 'when it started failing');
  // The administrator's own finding links to the page that fixes it.
  const own = page.locator('#findings tr[data-check="iam-admin-mfa-enabled"]', { hasText: arn('admin') });
  await own.waitFor();
  assert.equal(await page.locator('#events').count(), 1, 'recent changes are listed');
  assert.match(await page.locator('#events').innerText(), /Started failing/);
  assert.ok(await page.locator('#checks tr').count() > 5, 'the per-check breakdown');
  // Another user's finding links to the administrator's page of that user.
  await erin.getByRole('link', { name: 'User erin' }).click();
  await page.waitForURL(/\/console\/users\/view\?name=erin$/);
  await page.goBack();
  await own.getByRole('link', { name: 'Your security credentials' }).click();
  await page.getByRole('heading', { name: 'Security credentials' }).waitFor();

  // Run now: allowed to an administrator (iam:GenerateCredentialReport).
  await page.goto(consoleUrl(node.endpoint, '/console/security'));
  await page.getByRole('button', { name: 'Run the audit now' }).click();
  await page.getByText('An audit run was requested').waitFor();
  await page.context().close();
});

test('a user without iam:GetCredentialReport is refused; one with only it reads the page but cannot run the audit', { skip: SKIP, timeout: 90_000 }, async () => {
  const page = await newPage();
  await signIn(page, 'erin');
  const r = await page.goto(consoleUrl(node.endpoint, '/console/security'));
  assert.equal(r?.status(), 403);
  assert.match(await page.locator('[role=alert]').innerText(), new RegExp(`User: ${arn('erin')} is not authorized to perform: iam:GetCredentialReport`));
  assert.equal(await page.locator('#findings').count(), 0, 'no finding shown');
  // A forged "Run now" POST with her own CSRF token is refused too.
  const csrf = await page.locator('header input[name=csrf]').inputValue();
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const post = await fetch(`${node.endpoint}/console/security/run`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams({ csrf }).toString(),
  });
  assert.equal(post.status, 403);
  await page.context().close();

  const reader = await newPage();
  await signIn(reader, 'frank');
  await reader.goto(consoleUrl(node.endpoint, '/console/security'));
  await waitForFinding(reader, 'mfa-enabled-for-iam-console-access', arn('frank'));
  assert.equal(await reader.getByRole('button', { name: 'Run the audit now' }).count(), 0, 'no Run now without iam:GenerateCredentialReport');
  await reader.context().close();
});

test('a user follows her finding\'s link, enrols an authenticator app in the console, and the finding is resolved', { skip: SKIP, timeout: 120_000 }, async () => {
  const page = await newPage();
  await signIn(page, 'gina');
  await page.goto(consoleUrl(node.endpoint, '/console/security'));
  await waitForFinding(page, 'mfa-enabled-for-iam-console-access', arn('gina'));
  const row = page.locator('#findings tr[data-check="mfa-enabled-for-iam-console-access"]', { hasText: arn('gina') });
  await row.getByRole('link', { name: 'Your security credentials' }).click();
  await page.getByRole('link', { name: 'Assign MFA device' }).click();
  await page.getByLabel('Device name').fill('gina');
  await page.getByLabel('Authenticator app').check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Show secret key').click();
  const seed = (await page.locator('#secret-key').innerText()).trim();
  const totp = (t: number): string => new TOTP({ secret: Secret.fromBase32(seed), digits: 6, period: 30 }).generate({ timestamp: t });
  const t = Date.now() - (Date.now() % 30_000);
  await page.getByLabel('MFA code 1').fill(totp(t - 60_000));
  await page.getByLabel('MFA code 2').fill(totp(t - 30_000));
  await page.getByRole('button', { name: 'Add MFA' }).click();
  await page.getByText('MFA device assigned.').waitFor();
  // The console's enrolment is a change like the API's: the audit runs again soon and the finding is resolved.
  await page.goto(consoleUrl(node.endpoint, '/console/security'));
  const until = Date.now() + 60_000;
  for (let wait = 100; (await row.count()) > 0; wait = Math.min(wait * 2, 1000)) {
    if (Date.now() > until) throw new Error('the finding was not resolved within 60 s');
    await new Promise((ok) => setTimeout(ok, wait));
    await page.reload();
  }
  assert.match(await page.locator('#events').innerText(), new RegExp(`Resolved \\(FAIL → PASS\\)\\s+mfa-enabled-for-iam-console-access\\s+${arn('gina')}`));
  await page.context().close();
});
