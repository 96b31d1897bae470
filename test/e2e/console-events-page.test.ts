// The console's Event history page (issue 13), in a real browser after a scripted session: API calls with
// long-term keys and MFA session credentials (the SDK), a denied call, a failed MFA code on the API and at console
// sign-in, console actions. The page lists them newest first with time, name, user, source IP, source and error
// code; the lookup attribute and the time range narrow it; "Next page" pages; the detail shows the whole record
// (userIdentity, mfaAuthenticated); a user without cloudtrail:LookupEvents gets the authoriser's words; and no
// secret of the session is in any page the browser got (searched in several encodings).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { TOTP, Secret } from 'otpauth';
import type { Page } from 'playwright-core';
import { startGatehouse } from '../helpers/server.js';
import type { Credentials } from '../helpers/server.js';
import { iam, sts, rejects, keyCreds } from '../helpers/clients.js';
import { launchBrowser, skipWithoutChromium, consoleUrl, screenshot, newPage as openPage } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';

const SKIP = skipWithoutChromium();
const STEP = 30_000;
const PASSWORD_ADMIN = 'Admin-Pa55word-Events!';
const PASSWORD_DAVE = 'Dave-Pa55word-Events!';
const PASSWORD_READER = 'Reader-Pa55word-Events!';
const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
const wrongCode = (seed: string, t: number): string => (totp(seed, t) === '000000' ? '000001' : '000000');

type Node = Awaited<ReturnType<typeof startGatehouse>>;
let node: Node;
let real: RealBrowser | undefined;
let admin: Page;
let dave: { creds: Credentials; session: Credentials; serial: string; seed: string };
/** Every secret the session created, and every page the browser got (searched for them at the end). */
const secrets: string[] = [];
const pages: string[] = [];

const go = async (page: Page, path: string): Promise<void> => {
  await page.goto(consoleUrl(node.endpoint, path));
  pages.push(await page.content());
};

async function signIn(page: Page, userName: string, password: string): Promise<void> {
  await page.goto(consoleUrl(node.endpoint, `/console?account=${node.accountId}`));
  await page.getByLabel('IAM user name').fill(userName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The events table as rows of cells: [time, name, user, source IP, source, error code]. */
async function rows(page: Page): Promise<string[][]> {
  const texts = await page.locator('#events tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
  return texts;
}

before(async () => {
  // Users without an MFA device sign in without one ("Allow them to sign in"); the default enrolment hold is tested in signin-settings-nodevice.
  node = await startGatehouse({ signinSettings: ['without-device=allow'] });
  const api = iam(node);
  secrets.push(node.admin.secretAccessKey, node.bootstrap.root.password, PASSWORD_ADMIN, PASSWORD_DAVE, PASSWORD_READER);
  await api.send(new I.CreateLoginProfileCommand({ UserName: 'admin', Password: PASSWORD_ADMIN }));
  // reader: a console password, no cloudtrail:LookupEvents.
  await api.send(new I.CreateUserCommand({ UserName: 'reader' }));
  await api.send(new I.CreateLoginProfileCommand({ UserName: 'reader', Password: PASSWORD_READER }));
  await api.send(new I.PutUserPolicyCommand({ UserName: 'reader', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetAccountSummary', Resource: '*' }] }) }));
  // dave: keys, a password and a virtual MFA device; may read himself and the account summary, nothing else.
  await api.send(new I.CreateUserCommand({ UserName: 'dave' }));
  await api.send(new I.CreateLoginProfileCommand({ UserName: 'dave', Password: PASSWORD_DAVE }));
  await api.send(new I.PutUserPolicyCommand({ UserName: 'dave', PolicyName: 'self', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListMFADevices', 'iam:GetAccountSummary'], Resource: '*' }] }) }));
  const creds = keyCreds((await api.send(new I.CreateAccessKeyCommand({ UserName: 'dave' }))).AccessKey);
  const device = (await api.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'dave' }))).VirtualMFADevice!; // always returned
  const seed = Buffer.from(device.Base32StringSeed!).toString('ascii');
  const serial = device.SerialNumber!;
  secrets.push(creds.secretAccessKey, seed, Secret.fromBase32(seed).hex);
  const now = Date.now();
  await api.send(new I.EnableMFADeviceCommand({ UserName: 'dave', SerialNumber: serial, AuthenticationCode1: totp(seed, now - 2 * STEP), AuthenticationCode2: totp(seed, now - STEP) }));
  // Long-term keys: an allowed call, a denied one, a failed MFA code; then MFA session credentials and a call.
  await iam(node, creds).send(new I.GetUserCommand({}));
  await rejects(iam(node, creds).send(new I.ListUsersCommand({})));
  await rejects(sts(node, creds).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: wrongCode(seed, now) })));
  const t = (await sts(node, creds).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: totp(seed, now) }))).Credentials!; // issued
  const session = { accessKeyId: t.AccessKeyId!, secretAccessKey: t.SecretAccessKey!, sessionToken: t.SessionToken! };
  secrets.push(session.secretAccessKey, session.sessionToken);
  await iam(node, session).send(new I.ListMFADevicesCommand({}));
  dave = { creds, session, serial, seed };
  // Enough events for more than one page (25 a page).
  for (let i = 0; i < 12; i++) await api.send(new I.CreateGroupCommand({ GroupName: `group-${i}` }));
  if (!SKIP) {
    real = await launchBrowser();
    // dave in the console: a wrong MFA code, then the right one (the dashboard's GetAccountSummary with an MFA session).
    const page = await openPage(real);
    await signIn(page, 'dave', PASSWORD_DAVE);
    await page.getByLabel('MFA code').fill(wrongCode(seed, now + STEP));
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText('The MFA code is not valid').waitFor();
    await page.getByLabel('MFA code').fill(totp(seed, now + STEP));
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Console home' }).waitFor();
    await page.context().close();
    admin = await openPage(real);
    await signIn(admin, 'admin', PASSWORD_ADMIN);
    await admin.getByRole('heading', { name: 'Console home' }).waitFor();
  }
  // The last scripted call: once the page shows it, everything before it is written (one FIFO queue).
  await api.send(new I.CreateGroupCommand({ GroupName: 'zz-marker' }));
}, { timeout: 120_000 });

after(async () => { await real?.close(); await node?.stop(); }, { timeout: 60_000 });

test('the Event history page lists the session newest first (time, name, user, source IP, source, error code), filters by attribute and time, and answers bad input with a 400 in words', { skip: SKIP, timeout: 60_000 }, async () => {
  // Reached from the console's navigation.
  await admin.getByRole('link', { name: 'Event history' }).click();
  await admin.getByRole('heading', { name: 'Event history' }).waitFor();
  pages.push(await admin.content());
  await go(admin, '/console/events?attribute=ResourceName&value=zz-marker');
  for (let i = 0; i < 50 && !(await rows(admin)).length; i++) {
    await new Promise((ok) => setTimeout(ok, 200));
    await go(admin, '/console/events?attribute=ResourceName&value=zz-marker');
  }
  await go(admin, '/console/events');
  const first = await rows(admin);
  assert.equal(first.length, 25, 'a full page');
  // The newest: this page's own LookupEvents (recorded like the API's), then the marker, the last scripted call.
  const scripted = first.filter((r) => r[1] !== 'LookupEvents');
  assert.ok(first.slice(0, first.length - scripted.length).every((r) => r[4] === 'cloudtrail.amazonaws.com' && r[2] === 'admin'));
  assert.deepEqual(scripted[0]?.slice(1, 5), ['CreateGroup', 'admin', '127.0.0.1', 'iam.amazonaws.com'], 'the newest scripted event first');
  await screenshot(admin, 'event-history');
  const times = first.map((r) => Date.parse(r[0]!.replace(' UTC', 'Z').replace(' ', 'T')));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');

  // The user's events: the denied call and the failed codes with their error codes, the console sign-ins.
  await admin.getByLabel('Lookup attribute').selectOption('Username');
  await admin.getByLabel('Value').fill('dave');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await admin.waitForURL(/value=dave/);
  pages.push(await admin.content());
  const daves = await rows(admin);
  assert.ok(daves.length > 0 && daves.every((r) => r[2] === 'dave'), 'only dave\'s events');
  const byName = (name: string) => daves.filter((r) => r[1] === name);
  assert.deepEqual(byName('ListUsers').map((r) => r[5]), ['AccessDenied'], 'the denied call with its error code');
  assert.deepEqual(byName('GetSessionToken').map((r) => r[5]).sort(), ['', 'AccessDenied'], 'the failed MFA code, then the good one');
  assert.deepEqual(byName('GetSessionToken').map((r) => r[4]), ['sts.amazonaws.com', 'sts.amazonaws.com']);
  assert.equal(byName('ConsoleLogin').length, 2, 'the failed MFA code at sign-in and the sign-in');
  assert.ok(byName('ConsoleLogin').every((r) => r[4] === 'signin.amazonaws.com'));
  assert.ok(byName('GetAccountSummary').length >= 1, 'the console\'s own call');

  // One event name, and the time range: nothing before the server started, nothing in the future.
  await go(admin, '/console/events?attribute=EventName&value=ListUsers');
  const listUsers = await rows(admin);
  assert.ok(listUsers.length >= 1 && listUsers.every((r) => r[1] === 'ListUsers'));
  await admin.getByLabel('From (UTC)').fill('2099-01-01T00:00');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await admin.waitForURL(/start=2099/);
  assert.equal((await rows(admin)).length, 0);
  assert.match(await admin.locator('#events-count').innerText(), /^0 events/);
  await go(admin, '/console/events?attribute=Username&value=dave&end=2000-01-01T00:00');
  assert.equal((await rows(admin)).length, 0, 'an end time before the session: nothing');
  await go(admin, '/console/events?attribute=ReadOnly&value=maybe');
  assert.match(await admin.locator('#form-error').innerText(), /ReadOnly/, 'LookupEvents\' own refusal, said on the page');
  // Bad input is a 400 with words, never a 500.
  for (const [q, words] of [['next=not-a-token', /NextToken/], ['start=yesterday', /YYYY-MM-DDTHH:MM/], ['start=2030-01-01T00:00&end=2029-01-01T00:00', /earlier than/]] as const) {
    const r = await admin.goto(consoleUrl(node.endpoint, `/console/events?${q}`));
    assert.equal(r?.status(), 400, q);
    assert.match(await admin.locator('#form-error').innerText(), words);
  }
  const missing = await admin.goto(consoleUrl(node.endpoint, '/console/events/view?id=no-such-event'));
  assert.equal(missing?.status(), 404);
});

test('"Next page" continues where the page ended, with no event twice', { skip: SKIP, timeout: 60_000 }, async () => {
  await go(admin, '/console/events');
  const first = await rows(admin);
  const firstHrefs = await admin.locator('#events tbody tr td:nth-child(2) a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  await admin.getByRole('link', { name: 'Next page' }).click();
  await admin.waitForURL(/next=/);
  pages.push(await admin.content());
  const second = await rows(admin);
  const secondHrefs = await admin.locator('#events tbody tr td:nth-child(2) a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(second.length >= 1);
  assert.equal(secondHrefs.filter((h) => firstHrefs.includes(h)).length, 0, 'no event on both pages');
  assert.ok(Date.parse(second[0]![0]!.replace(' UTC', 'Z').replace(' ', 'T')) <= Date.parse(first.at(-1)![0]!.replace(' UTC', 'Z').replace(' ', 'T')), 'older than the first page');
});

test('the detail shows the whole CloudTrail record: userIdentity, sessionContext with mfaAuthenticated', { skip: SKIP, timeout: 60_000 }, async () => {
  await go(admin, '/console/events?attribute=Username&value=dave');
  await admin.locator('#events tbody tr').filter({ hasText: 'GetAccountSummary' }).first().getByRole('link', { name: 'GetAccountSummary' }).click();
  await admin.getByRole('heading', { name: 'Event GetAccountSummary' }).waitFor();
  pages.push(await admin.content());
  const record = JSON.parse(await admin.locator('#event-record').innerText()) as { userIdentity: { userName: string; type: string; sessionContext: { attributes: { mfaAuthenticated: string } } }; eventName: string; sessionCredentialFromConsole?: string };
  assert.equal(record.eventName, 'GetAccountSummary');
  assert.equal(record.userIdentity.type, 'IAMUser');
  assert.equal(record.userIdentity.userName, 'dave');
  assert.equal(record.userIdentity.sessionContext.attributes.mfaAuthenticated, 'true', 'signed in with MFA');
  assert.equal(record.sessionCredentialFromConsole, 'true');

  // The failed sign-in: MFAUsed Yes, Failure.
  await go(admin, '/console/events?attribute=EventName&value=ConsoleLogin');
  const failed = admin.locator('#events tbody tr').filter({ hasText: 'dave' });
  const hrefs = await failed.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  const details = [];
  for (const href of hrefs) {
    await go(admin, href);
    details.push(JSON.parse(await admin.locator('#event-record').innerText()) as { responseElements: { ConsoleLogin: string }; additionalEventData: { MFAUsed: string } });
  }
  assert.deepEqual(details.map((d) => [d.responseElements.ConsoleLogin, d.additionalEventData.MFAUsed]).sort(), [['Failure', 'Yes'], ['Success', 'Yes']]);
  // The record's JSON is escaped text in the page, never markup.
  assert.equal(await admin.locator('#event-record *').count(), 0);
});

test('without cloudtrail:LookupEvents the page is Access denied, in the authoriser\'s words', { skip: SKIP, timeout: 60_000 }, async () => {
  const page = await openPage(real!); // launched in before() unless skipped
  await signIn(page, 'reader', PASSWORD_READER);
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  const r = await page.goto(consoleUrl(node.endpoint, '/console/events'));
  assert.equal(r?.status(), 403);
  pages.push(await page.content());
  await page.getByRole('heading', { name: 'Access denied' }).waitFor();
  assert.match(await page.locator('#form-error').innerText(), /reader is not authorized to perform: cloudtrail:LookupEvents/);
  const detail = await page.goto(consoleUrl(node.endpoint, '/console/events/view?id=x'));
  assert.equal(detail?.status(), 403);
  await page.context().close();
});

test('no secret of the session is in any page the browser got (plain, base64, hex, URL- and JSON-encoded)', { skip: SKIP }, () => {
  assert.ok(pages.length >= 8, `${pages.length} pages`);
  assert.ok(secrets.length >= 10);
  const all = pages.join('\n');
  for (const s of secrets) {
    for (const form of [s, Buffer.from(s).toString('base64'), Buffer.from(s).toString('hex'), encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]) {
      assert.equal(all.includes(form), false, `a secret (${s.slice(0, 4)}…) is in a page`);
    }
  }
  // The session's access key ids are not secret, and they are there (so the search looked at real records).
  assert.ok(all.includes(dave.session.accessKeyId) || all.includes(dave.creds.accessKeyId) || all.includes('dave'));
});
