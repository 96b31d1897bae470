// The administrator's view of a user's sign-in protections on the user's console page, in a real browser: the MFA
// lock (locked until when; "Lift lock" is gatehouse:DeleteMfaLock and lets the user's codes through again), the
// email address for one-time codes (the `email` tag, through iam:TagUser/UntagUser, validated), the recovery codes
// (how many, how many unused; revoke) and trusted devices (list; revoke all); the Users list's recovery codes
// column. A helpdesk user without the gatehouse:… permissions sees the authoriser's words. Every change is an event
// (eventSource "gatehouse", and MfaCodesUnlocked for a lifted lock), read back with the aws CLI, and
// `gatehouse mfa locks --unlock` records its unlock too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as I from '@aws-sdk/client-iam';
import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { TOTP, Secret } from 'otpauth';
import type { Page } from 'playwright-core';
import { startGatehouse } from '../helpers/server.js';
import type { Credentials } from '../helpers/server.js';
import { iam, sts, rejects, keyCreds, awsCli, NO_AWS_CLI } from '../helpers/clients.js';
import { BIN } from '../helpers/audit.js';
import { launchBrowser, skipWithoutChromium, consoleUrl, screenshot, newPage as openPage } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';
import { openExistingStore } from '../../src/cli/store.js';
import { SigninSettingsStore } from '../../src/store/signin-settings-store.js';
import { generateRecoveryCodes, useRecoveryCode } from '../../src/signin/recovery-codes.js';
import { listTrustedDevices, trustDevice } from '../../src/signin/trusted-devices.js';

const SKIP = skipWithoutChromium() || NO_AWS_CLI;
const STEP = 30_000;
const PASSWORD = 'Protect-Pa55word-Admin!';
const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
const wrongCode = (seed: string, t: number): string => (totp(seed, t) === '000000' ? '000001' : '000000');
const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
let node: Node;
let real: RealBrowser | undefined;
let erin: { id: string; creds: Credentials; serial: string; seed: string };

/** The store, as an admin command on the server host opens it (the server keeps running). */
const hostStore = () => openExistingStore({ data: node.dataDir, database: node.databaseUrl });

/** Wrong codes on the API until erin's codes lock. */
async function lockErin(): Promise<void> {
  for (let i = 0; i < 8; i++) {
    const e = await rejects(sts(node, erin.creds).send(new GetSessionTokenCommand({ SerialNumber: erin.serial, TokenCode: wrongCode(erin.seed, Date.now()) })));
    if (/locked|Too many/i.test(e.message)) return;
  }
  throw new Error('erin\'s codes did not lock');
}

before(async () => {
  // Users without an MFA device sign in without one ("Allow them to sign in"); the default enrolment hold is tested in signin-settings-nodevice.
  node = await startGatehouse({ signinSettings: ['without-device=allow'] });
  const api = iam(node);
  await api.send(new I.CreateLoginProfileCommand({ UserName: 'admin', Password: PASSWORD }));
  // helpdesk: reads IAM, may list trusted devices, nothing of Gatehouse's else, no IAM change.
  await api.send(new I.CreateUserCommand({ UserName: 'helpdesk' }));
  await api.send(new I.CreateLoginProfileCommand({ UserName: 'helpdesk', Password: PASSWORD }));
  await api.send(new I.PutUserPolicyCommand({ UserName: 'helpdesk', PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'gatehouse:ListTrustedDevices'], Resource: '*' },
  ] }) }));
  // erin: keys and a virtual MFA device; 10 recovery codes, 2 of them used; a trusted browser; then locked.
  await api.send(new I.CreateUserCommand({ UserName: 'erin' }));
  const creds = keyCreds((await api.send(new I.CreateAccessKeyCommand({ UserName: 'erin' }))).AccessKey);
  const device = (await api.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'erin' }))).VirtualMFADevice!; // always returned
  const seed = Buffer.from(device.Base32StringSeed!).toString('ascii');
  const now = Date.now();
  await api.send(new I.EnableMFADeviceCommand({ UserName: 'erin', SerialNumber: device.SerialNumber!, AuthenticationCode1: totp(seed, now - 2 * STEP), AuthenticationCode2: totp(seed, now - STEP) }));
  const user = (await api.send(new I.GetUserCommand({ UserName: 'erin' }))).User!;
  erin = { id: user.UserId!, creds, serial: device.SerialNumber!, seed };
  const s = await hostStore();
  try {
    const settingsStore = new SigninSettingsStore(s.db);
    const p = { accountId: s.account.accountId, type: 'user' as const, id: erin.id };
    const codes = await generateRecoveryCodes({ settingsStore, secrets: s.secrets }, p, 10, new Date());
    for (const code of codes.slice(0, 2)) {
      const r = await useRecoveryCode({ db: s.db, mfaStore: s.mfaStore, secrets: s.secrets, account: s.account, now: new Date(), settingsStore }, { type: 'user', id: erin.id }, code);
      assert.ok(r.ok);
    }
    await trustDevice({ settingsStore }, p, { userAgent: CHROME_UA, ip: '192.0.2.44', now: new Date() }, { at: new Date(), serial: erin.serial }, 30);
  } finally {
    await s.db.close();
  }
  await lockErin();
  if (!SKIP) real = await launchBrowser();
}, { timeout: 90_000 });

after(async () => { await real?.close(); await node?.stop(); }, { timeout: 60_000 });

async function signedIn(userName: string): Promise<Page> {
  const page = await openPage(real!); // launched in before() unless skipped
  await page.goto(consoleUrl(node.endpoint, `/console?account=${node.accountId}`));
  await page.getByLabel('IAM user name').fill(userName);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  return page;
}
const erinPage = (page: Page) => page.goto(consoleUrl(node.endpoint, '/console/users/view?name=erin'));

/** The users table's rows as {user name: whole row text}. */
async function userTable(page: Page): Promise<Map<string, string>> {
  const rows = await page.locator('#users tbody tr').allInnerTexts();
  return new Map(rows.map((r) => [r.split('\t')[0]!.trim(), r])); // a row's text starts with its first cell
}

test('a helpdesk user without the gatehouse:… permissions sees the lock and the authoriser\'s words, and changes nothing', { skip: SKIP, timeout: 60_000 }, async () => {
  const page = await signedIn('helpdesk');
  await erinPage(page);
  assert.match(await page.locator('#mfa-lock').innerText(), /^Locked until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC after 5 failed MFA codes\.$/);
  const codes = page.locator('#recovery-codes-section .error');
  assert.match(await codes.innerText(), /helpdesk is not authorized to perform: gatehouse:ListRecoveryCodes on resource: arn:aws:iam::\d{12}:user\/erin/);
  assert.match(await page.locator('#user-trusted-devices').innerText(), /Chrome on Linux\s+192\.0\.2\.0\/24/);
  await page.getByRole('button', { name: 'Lift lock' }).click();
  await page.getByRole('heading', { name: 'Access denied' }).waitFor();
  assert.match(await page.locator('#form-error').innerText(), /is not authorized to perform: gatehouse:DeleteMfaLock on resource: arn:aws:iam::\d{12}:user\/erin/);
  await erinPage(page);
  await page.getByRole('button', { name: 'Revoke all trusted devices' }).click();
  assert.match(await page.locator('#form-error').innerText(), /not authorized to perform: gatehouse:DeleteTrustedDevices/);
  await erinPage(page);
  await page.getByLabel('Email address').fill('erin@example.com');
  await page.getByRole('button', { name: 'Save email address' }).click();
  assert.match(await page.locator('#form-error').innerText(), /not authorized to perform: iam:TagUser/);
  // Nothing changed: still locked, still trusted.
  await erinPage(page);
  assert.match(await page.locator('#mfa-lock').innerText(), /^Locked until/);
  assert.equal(await page.locator('#user-trusted-devices tbody tr').count(), 1);
  await page.context().close();
});

test('the administrator sees the codes on the Users list and the user\'s page, lifts the lock, sets the email, revokes codes and trusted devices', { skip: SKIP, timeout: 60_000 }, async () => {
  const page = await signedIn('admin');
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users' }).waitFor();
  const list = await userTable(page);
  assert.match(list.get('erin')!, /8 of 10 unused$/);
  assert.match(list.get('helpdesk')!, /None$/);
  await erinPage(page);
  assert.match(await page.locator('#user-recovery-codes').innerText(), /^Recovery codes: 8 of 10 unused\.$/);
  assert.match(await page.locator('#user-email').innerText(), /No email address/);
  await screenshot(page, 'user-sign-in-protections');

  // Lift the lock: erin's good code goes through the API again.
  await rejects(sts(node, erin.creds).send(new GetSessionTokenCommand({ SerialNumber: erin.serial, TokenCode: totp(erin.seed, Date.now()) })));
  await page.getByRole('button', { name: 'Lift lock' }).click();
  await page.getByText('MFA lock lifted').waitFor();
  assert.equal(await page.locator('#mfa-lock').innerText(), 'Not locked. No failed MFA codes on record.');
  assert.equal(await page.getByRole('button', { name: 'Lift lock' }).count(), 0);
  const issued = await sts(node, erin.creds).send(new GetSessionTokenCommand({ SerialNumber: erin.serial, TokenCode: totp(erin.seed, Date.now()) }));
  assert.ok(issued.Credentials?.AccessKeyId);

  // The email address: refused when it is not one, then set and removed as the `email` tag.
  await page.getByLabel('Email address').fill('not-an-address');
  await page.getByRole('button', { name: 'Save email address' }).click();
  assert.match(await page.locator('#form-error').innerText(), /Enter a valid email address/);
  await erinPage(page);
  await page.getByLabel('Email address').fill('erin@example.com');
  await page.getByRole('button', { name: 'Save email address' }).click();
  await page.getByText('Email address saved.').waitFor();
  assert.match(await page.locator('#user-email').innerText(), /erin@example\.com/);
  const tags = await iam(node).send(new I.ListUserTagsCommand({ UserName: 'erin' }));
  assert.deepEqual(tags.Tags, [{ Key: 'email', Value: 'erin@example.com' }]);
  await page.getByRole('button', { name: 'Remove email address' }).click();
  await page.getByText('Email address removed.').waitFor();
  assert.deepEqual((await iam(node).send(new I.ListUserTagsCommand({ UserName: 'erin' }))).Tags, []);

  // Recovery codes and trusted devices revoked.
  await page.getByRole('button', { name: 'Revoke recovery codes' }).click();
  await page.getByText('Recovery codes revoked').waitFor();
  assert.equal(await page.locator('#user-recovery-codes').innerText(), 'Recovery codes: None.');
  await page.getByRole('button', { name: 'Revoke all trusted devices' }).click();
  await page.getByText('Trusted devices revoked').waitFor();
  assert.equal(await page.locator('#user-trusted-devices').innerText(), 'No trusted devices.');
  const s = await hostStore();
  try {
    const p = { accountId: s.account.accountId, type: 'user' as const, id: erin.id };
    const settingsStore = new SigninSettingsStore(s.db);
    assert.deepEqual(await settingsStore.countRecoveryCodes(p), { total: 0, unused: 0 });
    assert.deepEqual(await listTrustedDevices({ settingsStore }, p), []);
  } finally {
    await s.db.close();
  }
  await page.getByRole('link', { name: 'Users' }).click();
  assert.match((await userTable(page)).get('erin')!, /None$/);
  await page.context().close();
});

interface Rec { eventName: string; eventSource: string; errorCode?: string; readOnly: boolean; requestParameters: { userName?: string } | null; userIdentity: { userName?: string; type?: string; invokedBy?: string }; serviceEventDetails?: { userName?: string; liftedWith?: string } }
async function lookup(args: readonly string[]): Promise<Rec[]> {
  const r = await awsCli<{ Events: { CloudTrailEvent: string }[] }>(node, ['cloudtrail', 'lookup-events', ...args]);
  assert.ok(r.ok, r.stderr);
  return (r.json?.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent) as Rec);
}
async function eventually(args: readonly string[], pred: (r: readonly Rec[]) => boolean): Promise<Rec[]> {
  for (let i = 0; i < 50; i++) {
    const rs = await lookup(args);
    if (pred(rs)) return rs;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`no such events (${args.join(' ')})`);
}

test('every change and refusal is an event: gatehouse actions on the user, MfaCodesUnlocked by the administrator', { skip: SKIP, timeout: 60_000 }, async () => {
  const ours = await eventually(['--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=gatehouse'], (rs) => rs.some((r) => r.eventName === 'DeleteTrustedDevices' && !r.errorCode));
  const done = (name: string, by: string) => ours.filter((r) => r.eventName === name && r.userIdentity.userName === by && r.requestParameters?.userName === 'erin');
  for (const name of ['DeleteMfaLock', 'DeleteRecoveryCodes', 'DeleteTrustedDevices']) {
    assert.equal(done(name, 'admin').filter((r) => !r.errorCode && r.readOnly === false).length, 1, `${name} by admin`);
  }
  assert.deepEqual(done('DeleteMfaLock', 'helpdesk').map((r) => r.errorCode), ['AccessDenied']);
  assert.deepEqual(done('DeleteTrustedDevices', 'helpdesk').map((r) => r.errorCode), ['AccessDenied']);
  assert.ok(done('ListRecoveryCodes', 'helpdesk').every((r) => r.errorCode === 'AccessDenied' && r.readOnly));
  assert.ok(done('ListTrustedDevices', 'admin').length >= 1, 'reads are recorded too');
  const erinEvents = await lookup(['--lookup-attributes', 'AttributeKey=Username,AttributeValue=erin']);
  assert.ok(erinEvents.some((r) => r.eventName === 'MfaCodesLocked'));
  const unlocked = erinEvents.filter((r) => r.eventName === 'MfaCodesUnlocked');
  assert.equal(unlocked.length, 1);
  assert.deepEqual([unlocked[0]!.userIdentity.type, unlocked[0]!.userIdentity.userName, unlocked[0]!.serviceEventDetails?.userName], ['IAMUser', 'admin', 'erin']);
  const tagged = await lookup(['--lookup-attributes', 'AttributeKey=ResourceName,AttributeValue=erin']);
  assert.ok(tagged.some((r) => r.eventName === 'TagUser' && r.userIdentity.userName === 'admin' && !r.errorCode));
  assert.ok(tagged.some((r) => r.eventName === 'UntagUser' && !r.errorCode));
  assert.ok(tagged.some((r) => r.eventName === 'TagUser' && r.userIdentity.userName === 'helpdesk' && r.errorCode === 'AccessDenied'));
});

test('gatehouse mfa locks --unlock on the server host records MfaCodesUnlocked, invoked by the server host', { skip: NO_AWS_CLI, timeout: 60_000 }, async () => {
  await lockErin();
  const out = await new Promise<{ code: number; stdout: string; stderr: string }>((ok) => {
    execFile(process.execPath, [BIN, 'mfa', 'locks', '--unlock', 'erin', '--data', node.dataDir, ...(node.databaseUrl ? ['--database', node.databaseUrl] : [])], { timeout: 30_000 },
      (err, stdout, stderr) => ok({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }));
  });
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /user erin: lock lifted/);
  const rs = await eventually(['--lookup-attributes', 'AttributeKey=EventName,AttributeValue=MfaCodesUnlocked'], (x) => x.some((r) => r.userIdentity.type === 'AWSService'));
  const host = rs.find((r) => r.userIdentity.type === 'AWSService')!; // found above
  assert.equal(host.userIdentity.invokedBy, 'gatehouse.server-host');
  assert.equal(host.serviceEventDetails?.userName, 'erin');
  assert.equal(host.serviceEventDetails?.liftedWith, 'gatehouse mfa locks --unlock');
});
