// Account settings → Multi-factor authentication in a real browser: every setting shown with Identity Center's
// wording and changed; the stored value is the one `gatehouse settings show` prints; the change is an event
// (eventSource "gatehouse", UpdateAccountMfaSettings, the changed settings and their previous values), and so is
// `gatehouse settings set` (and reading, GetAccountMfaSettings, readOnly); bad values are refused with the setting named and nothing stored; reading and
// changing are authorised as gatehouse:GetAccountMfaSettings / gatehouse:UpdateAccountMfaSettings by the one
// authoriser (Action "*" grants them, "iam:*" does not).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as I from '@aws-sdk/client-iam';
import type { Page } from 'playwright-core';
import { startGatehouse } from '../helpers/server.js';
import { PASSWORD, rootSignIn, signIn } from '../helpers/signin.js';
import { iam } from '../helpers/clients.js';
import { launchBrowser, skipWithoutChromium, consoleUrl, screenshot, newPage as openPage } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';

const SKIP = skipWithoutChromium();
const BIN = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));

type Node = Awaited<ReturnType<typeof startGatehouse>>;
let node: Node;
let real: RealBrowser | undefined;

const policy = (actions: string[]): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

before(async () => {
  // Users without an MFA device (all of them here, and root) sign in without one ("Allow them to sign in").
  node = await startGatehouse({ signinSettings: ['without-device=allow'] });
  const admin = iam(node);
  const users: [string, string[]][] = [
    ['sam', ['gatehouse:GetAccountMfaSettings', 'gatehouse:UpdateAccountMfaSettings']],
    ['nora', ['gatehouse:GetAccountMfaSettings']],
    ['ivan', ['iam:*']],
    ['star', ['*']],
  ];
  for (const [name, actions] of users) {
    await admin.send(new I.CreateUserCommand({ UserName: name }));
    await admin.send(new I.CreateLoginProfileCommand({ UserName: name, Password: PASSWORD }));
    await admin.send(new I.PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy(actions) }));
  }
  if (!SKIP) real = await launchBrowser();
}, { timeout: 90_000 });
after(async () => { await real?.close(); await node?.stop(); }, { timeout: 60_000 });

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const store = node.databaseUrl ? ['--database', node.databaseUrl] : [];
  return new Promise((ok) => {
    execFile(process.execPath, [BIN, ...args, '--data', node.dataDir, ...store], { timeout: 60_000 }, (err, stdout, stderr) => {
      ok({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function shown(): Promise<Record<string, string>> {
  const r = await cli('settings', 'show', '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { settings: Record<string, string> }).settings;
}

interface SettingsEvent {
  eventSource: string; eventName: string; errorCode?: string; readOnly: boolean;
  userIdentity: { type?: string; userName?: string; arn?: string; invokedBy?: string };
  requestParameters: { changed?: Record<string, string>; previous?: Record<string, string>; requested?: Record<string, string> } | null;
}

/** The UpdateAccountMfaSettings events, waiting until `pred` holds for one (events are written a moment later). */
async function settingsEvent(pred: (e: SettingsEvent) => boolean, eventName = 'UpdateAccountMfaSettings'): Promise<SettingsEvent> {
  for (let i = 0; i < 60; i++) {
    const r = await cli('events', '--event-name', eventName, '--since', '1h');
    assert.equal(r.code, 0, r.stderr);
    const hit = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as SettingsEvent).find(pred);
    if (hit) return hit;
    await new Promise((ok) => setTimeout(ok, 250));
  }
  throw new Error(`no such ${eventName} event`);
}

const newPage = (): Promise<Page> => openPage(real!); // set in before() whenever the test is not skipped

async function signInUser(page: Page, userName: string): Promise<void> {
  await signIn(page, node, userName);
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
}

async function signInRoot(page: Page): Promise<void> {
  await rootSignIn(page, node);
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
}

test('root: Account settings links to the MFA page, which shows every setting in Identity Center\'s words and stores a change as `gatehouse settings show` prints it, recorded as an event with the previous values', { skip: SKIP, timeout: 120_000 }, async () => {
  const page = await newPage();
  await signInRoot(page);
  await page.goto(consoleUrl(node.endpoint, '/console/account'));
  await page.getByRole('link', { name: 'Multi-factor authentication settings' }).click();
  await page.getByRole('heading', { name: 'Multi-factor authentication' }).waitFor();
  await screenshot(page, 'mfa-settings');
  // The defaults (but "Allow them to sign in", set at start), with Identity Center's wording.
  assert.equal(await page.getByLabel('Every time they sign in').isChecked(), true);
  assert.equal(await page.getByLabel('Only when their sign-in context changes (context-aware)').isChecked(), false);
  assert.equal(await page.getByLabel('Never', { exact: true }).isChecked(), false);
  assert.equal(await page.getByLabel('Security keys and built-in authenticators').isChecked(), true);
  assert.equal(await page.getByLabel('Authenticator apps').isChecked(), true);
  assert.equal(await page.getByLabel('Allow them to sign in').isChecked(), true);
  for (const label of ['Require them to register an MFA device at sign in', 'Require them to provide a one-time password sent by email to sign in', 'Block their sign-in']) {
    assert.equal(await page.getByLabel(label).isChecked(), false, label);
  }
  assert.equal(await page.getByLabel('Users can add and manage their own MFA devices').isChecked(), true);
  assert.equal(await page.getByLabel('Trusted-device lifetime (days)').inputValue(), '30');
  assert.equal(await page.getByLabel('Recovery codes per user').inputValue(), '10');

  await page.getByLabel('Only when their sign-in context changes (context-aware)').check();
  await page.getByLabel('Authenticator apps').uncheck();
  await page.getByLabel('Block their sign-in').check();
  await page.getByLabel('Users can add and manage their own MFA devices').uncheck();
  await page.getByLabel('Trusted-device lifetime (days)').fill('14');
  await page.getByLabel('Recovery codes per user').fill('6');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Multi-factor authentication settings saved.').waitFor();
  // The page shows what is stored now, and who changed it.
  assert.equal(await page.getByLabel('Only when their sign-in context changes (context-aware)').isChecked(), true);
  assert.equal(await page.getByLabel('Authenticator apps').isChecked(), false);
  assert.match(await page.locator('#settings-updated').innerText(), new RegExp(`by arn:aws:iam::${node.accountId}:root`));
  assert.deepEqual(await shown(), {
    'prompt': 'context-aware', 'allowed-types': 'webauthn', 'without-device': 'block',
    'self-manage': 'false', 'trusted-device-days': '14', 'recovery-codes': '6',
  });
  const e = await settingsEvent((x) => x.userIdentity.type === 'Root' && !x.errorCode);
  assert.equal(e.eventSource, 'gatehouse');
  assert.equal(e.readOnly, false);
  assert.deepEqual(e.requestParameters?.changed, { 'prompt': 'context-aware', 'allowed-types': 'webauthn', 'without-device': 'block', 'self-manage': 'false', 'trusted-device-days': '14', 'recovery-codes': '6' });
  assert.deepEqual(e.requestParameters?.previous, { 'prompt': 'every-sign-in', 'allowed-types': 'webauthn,totp', 'without-device': 'allow', 'self-manage': 'true', 'trusted-device-days': '30', 'recovery-codes': '10' });

  // Bad values: the setting is named in the page's words, nothing is stored, the form keeps what was typed.
  await page.getByLabel('Security keys and built-in authenticators').uncheck();
  await page.getByRole('button', { name: 'Save changes' }).click();
  assert.match(await page.getByRole('alert').innerText(), /Users can authenticate with these MFA types: allowed-types must allow at least one MFA type/);
  await page.getByLabel('Security keys and built-in authenticators').check();
  await page.getByLabel('Trusted-device lifetime (days)').fill('365');
  await page.getByRole('button', { name: 'Save changes' }).click();
  assert.match(await page.getByRole('alert').innerText(), /Trusted-device lifetime \(days\): trusted-device-days must be from 1 to 90; got 365/);
  assert.equal(await page.getByLabel('Trusted-device lifetime (days)').inputValue(), '365');
  await page.getByLabel('Trusted-device lifetime (days)').fill('');
  await page.getByLabel('Recovery codes per user').fill('-1');
  await page.getByRole('button', { name: 'Save changes' }).click();
  assert.match(await page.getByRole('alert').innerText(), /Trusted-device lifetime \(days\): trusted-device-days must be a whole number from 1 to 90/);
  assert.equal((await shown())['trusted-device-days'], '14');
  const refused = await settingsEvent((x) => x.errorCode === 'ValidationError');
  assert.ok(refused.requestParameters?.requested, 'a refused change records what was asked');

  // Back to the defaults from the command line: recorded too, as the server host's command.
  const set = await cli('settings', 'set', 'prompt=every-sign-in', 'allowed-types=webauthn,totp', 'without-device=allow', 'self-manage=true', 'trusted-device-days=30', 'recovery-codes=10');
  assert.equal(set.code, 0, set.stderr);
  assert.doesNotMatch(set.stderr + set.stdout, /not apply|Not applied/);
  // (The start's own `settings set without-device=allow` is one too: this is the later one.)
  const byCli = await settingsEvent((x) => x.userIdentity.invokedBy === 'gatehouse.server-host' && x.requestParameters?.previous?.['prompt'] === 'context-aware');
  assert.equal(byCli.userIdentity.type, 'AWSService');
  assert.deepEqual(byCli.requestParameters?.previous, { 'prompt': 'context-aware', 'allowed-types': 'webauthn', 'without-device': 'block', 'self-manage': 'false', 'trusted-device-days': '14', 'recovery-codes': '6' });
  await page.goto(consoleUrl(node.endpoint, '/console/account/mfa'));
  assert.equal(await page.getByLabel('Every time they sign in').isChecked(), true);
  assert.equal(await page.getByLabel('Authenticator apps').isChecked(), true);
  const help = await cli('settings', '--help');
  assert.match(help.stdout, /Every sign-in reads them from the store/);
  assert.doesNotMatch(help.stdout, /Not applied yet/);
  await page.context().close();
});

test('an IAM user changes the settings under a policy granting gatehouse:UpdateAccountMfaSettings; GetAccountMfaSettings alone reads only; iam:* grants neither, Action "*" both', { skip: SKIP, timeout: 120_000 }, async () => {
  const page = await newPage();
  await signInUser(page, 'sam');
  await page.goto(consoleUrl(node.endpoint, '/console/account/mfa'));
  await page.getByLabel('Recovery codes per user').fill('12');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Multi-factor authentication settings saved.').waitFor();
  assert.equal((await shown())['recovery-codes'], '12');
  const e = await settingsEvent((x) => x.userIdentity.userName === 'sam');
  assert.deepEqual(e.requestParameters, { changed: { 'recovery-codes': '12' }, previous: { 'recovery-codes': '10' } });
  await page.context().close();

  // Read-only: the form has no Save button, and a forged POST is refused with the authoriser's words.
  const nora = await newPage();
  await signInUser(nora, 'nora');
  await nora.goto(consoleUrl(node.endpoint, '/console/account/mfa'));
  await nora.locator('#read-only').waitFor();
  assert.equal(await nora.getByRole('button', { name: 'Save changes' }).count(), 0);
  const csrf = await nora.locator('form[action="/console/account/mfa"] input[name=csrf]').getAttribute('value') ?? '';
  const forged = await nora.request.post(consoleUrl(node.endpoint, '/console/account/mfa'), { form: { csrf, 'prompt': 'never', 'allowed-types': 'totp', 'without-device': 'allow', 'trusted-device-days': '1', 'recovery-codes': '0' }, maxRedirects: 0 });
  assert.equal(forged.status(), 403);
  const body = await forged.text();
  assert.match(body, /<h1>Access denied<\/h1>/);
  assert.match(body, /nora is not authorized to perform: gatehouse:UpdateAccountMfaSettings/);
  const denied = await settingsEvent((x) => x.userIdentity.userName === 'nora');
  assert.equal(denied.errorCode, 'AccessDenied');
  assert.equal((await shown())['recovery-codes'], '12');
  await nora.context().close();

  const ivan = await newPage();
  await signInUser(ivan, 'ivan');
  await ivan.goto(consoleUrl(node.endpoint, '/console/account/mfa'));
  await ivan.getByRole('heading', { name: 'Access denied' }).waitFor();
  assert.match(await ivan.getByRole('alert').innerText(), /ivan is not authorized to perform: gatehouse:GetAccountMfaSettings/);
  // Reads are recorded like the other Gatehouse reads: readOnly, and refused here.
  const read = await settingsEvent((x) => x.userIdentity.userName === 'ivan', 'GetAccountMfaSettings');
  assert.equal(read.eventSource, 'gatehouse');
  assert.equal(read.errorCode, 'AccessDenied');
  assert.equal(read.readOnly, true);
  await ivan.context().close();

  const star = await newPage();
  await signInUser(star, 'star');
  await star.goto(consoleUrl(node.endpoint, '/console/account/mfa'));
  await star.getByLabel('Recovery codes per user').fill('10');
  await star.getByRole('button', { name: 'Save changes' }).click();
  await star.getByText('Multi-factor authentication settings saved.').waitFor();
  assert.equal((await shown())['recovery-codes'], '10');
  await star.context().close();
});
