// What a user without an MFA device meets at sign-in, under each of the account's four choices (docs/sign-in.md
// "Users without an MFA device"), in a real browser: "require registration" (the default) holds the user in the
// Assign MFA device wizard, and neither typed URLs nor other forms get past it, while sign-out works; with
// self-management off it refuses instead; "block" refuses with a clear message (and a failed ConsoleLogin event);
// "allow" signs in without MFA; "email-otp" mails a 6-digit code through a real SMTP server on loopback
// (smtp-server), read from the mail received: a wrong, reused or expired code is refused, and the session does not
// count as MFA. No address, or no SMTP server configured: refused, saying so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as I from '@aws-sdk/client-iam';
import { SMTPServer } from 'smtp-server';
import type { Page } from 'playwright-core';
import { startGatehouse, setSigninSettings } from '../helpers/server.js';
import type { GatehouseNode } from '../helpers/server.js';
import { iam, awsCli, NO_AWS_CLI } from '../helpers/clients.js';
import { launchBrowser, skipWithoutChromium, consoleUrl, screenshot, newPage as openPage } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';
import { afterPassword as afterPasswordOf, createUser, enrolAppInConsole, heading, rootSignIn, signIn, totp, stepStart, STEP } from '../helpers/signin.js';
import { openDatabase } from '../../src/store/index.js';
import { AWS_SELF_MANAGE } from '../fixtures/aws-policies.js';

const SKIP = skipWithoutChromium();

let node: GatehouseNode;
let admin: I.IAMClient;
let real: RealBrowser | undefined;
let smtp: SMTPServer;
const mails: { to: string; body: string }[] = [];

before(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    // A mailbox the mail server refuses: the send fails, as when the SMTP server is down or says no.
    onRcptTo(address, _session, cb) { cb(address.address === 'bounce@example.com' ? Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }) : undefined); },
    onData(stream, session, cb) {
      let body = '';
      stream.on('data', (d: Buffer) => { body += d.toString('utf8'); });
      stream.on('end', () => { mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), body }); cb(); });
    },
  });
  await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', ok));
  const port = (smtp.server.address() as AddressInfo).port; // a listening TCP server's address is an AddressInfo
  node = await startGatehouse({ args: ['--smtp-url', `smtp://127.0.0.1:${port}`, '--smtp-from', 'Gatehouse <signin@gatehouse.test>'] });
  admin = iam(node);
  if (!SKIP) real = await launchBrowser();
}, { timeout: 90_000 });
after(async () => {
  await real?.close();
  await node?.stop();
  await new Promise<void>((ok) => smtp.close(() => ok()));
}, { timeout: 60_000 });

const newPage = (): Promise<Page> => openPage(real!); // set in before() whenever the test is not skipped

const afterPassword = (page: Page, name: string): Promise<string> => afterPasswordOf(page, node, name);

/** The newest mail to this address, waited for (the send happens before the redirect, but a mail server may lag). */
async function mailTo(address: string, after: number): Promise<{ body: string; code: string }> {
  for (let i = 0; i < 50; i++) {
    const m = mails.slice(after).reverse().find((x) => x.to === address);
    const code = m && /sign-in code for .* is (\d{6})/.exec(m.body.replace(/=\r?\n/g, ''))?.[1];
    if (m && code) return { body: m.body, code };
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`no mail to ${address}`);
}

test('require registration (the default): straight into Assign MFA device; typed URLs and other forms do not get past it; sign-out works; after enrolment the console opens', { skip: SKIP, timeout: 60_000 }, async () => {
  await createUser(admin, 'rae', { device: false, policies: { 'self-manage': AWS_SELF_MANAGE } });
  const page = await newPage();
  assert.equal(await afterPassword(page, 'rae'), 'Assign MFA device');
  assert.match(await page.getByRole('status').innerText(), /requires an MFA device: assign one to continue/);
  for (const path of ['/console', '/console/security-credentials', '/console/users', '/console/account', '/console/policies', '/console/password', '/console/access-keys', '/console/no-such-page']) {
    await page.goto(consoleUrl(node.endpoint, path));
    assert.equal(await heading(page), 'Assign MFA device', path);
    assert.equal(new URL(page.url()).pathname, '/console/mfa/assign', path);
  }
  // Forms elsewhere, POSTed with the session's own CSRF token: refused, nothing done.
  const csrf = await page.locator('input[name=csrf]').first().inputValue();
  const pw = await page.request.post(consoleUrl(node.endpoint, '/console/password'), { form: { csrf, old: 'Corr3ct-Horse-Battery!', new: 'An0ther-Passw0rd!', confirm: 'An0ther-Passw0rd!' }, maxRedirects: 0 });
  assert.equal(pw.status(), 403);
  assert.match(await pw.text(), /requires an MFA device before you can use the console/);
  const key = await page.request.post(consoleUrl(node.endpoint, '/console/access-keys/create'), { form: { csrf }, maxRedirects: 0 });
  assert.equal(key.status(), 403);
  const keys = await admin.send(new I.ListAccessKeysCommand({ UserName: 'rae' }));
  assert.equal(keys.AccessKeyMetadata?.length, 0, 'no access key was created');
  // Enrolment: the wizard works; then the console opens (the session still without MFA).
  const seed = await enrolAppInConsole(page, node, 'rae');
  await page.getByText('MFA device assigned.').waitFor();
  assert.equal(await heading(page), 'Security credentials');
  await page.goto(consoleUrl(node.endpoint, '/console'));
  assert.equal(await heading(page), 'Console home');
  assert.match(await page.locator('main').innerText(), /Signed in without MFA/);
  await page.getByRole('button', { name: 'Sign out' }).click();
  // The next sign-in asks for the new device.
  assert.equal(await afterPassword(page, 'rae'), 'Multi-factor authentication');
  await page.goto(consoleUrl(node.endpoint, '/console/cancel'));

  // Held in the wizard, Sign out still works.
  await createUser(admin, 'ria', { device: false });
  assert.equal(await afterPassword(page, 'ria'), 'Assign MFA device');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You have signed out.').waitFor();
  await page.context().close();
});

test('require registration with self-management off: refused, "ask your administrator"; block: refused; allow: signed in without MFA', { skip: SKIP, timeout: 60_000 }, async () => {
  await createUser(admin, 'bo', { device: false });
  const page = await newPage();
  await setSigninSettings(node, 'self-manage=false');
  try {
    assert.equal(await afterPassword(page, 'bo'), 'Sign in');
    assert.match(await page.getByRole('alert').innerText(), /only administrators assign MFA devices here\. Ask your administrator/);
    assert.equal((await page.context().cookies()).some((c) => c.name === 'gatehouse_console' && c.value), false, 'no session');
  } finally {
    await setSigninSettings(node, 'self-manage=true');
  }
  await setSigninSettings(node, 'without-device=block');
  assert.equal(await afterPassword(page, 'bo'), 'Sign in');
  assert.match(await page.getByRole('alert').innerText(), /You cannot sign in: this account requires an MFA device, and you have none that it allows\. Ask your administrator/);
  await page.goto(consoleUrl(node.endpoint, '/console/security-credentials'));
  assert.equal(await heading(page), 'Sign in', 'nothing signed in');
  await setSigninSettings(node, 'without-device=allow');
  assert.equal(await afterPassword(page, 'bo'), 'Console home');
  assert.match(await page.locator('main').innerText(), /Signed in without MFA/);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await setSigninSettings(node, 'without-device=require-registration');
  await page.context().close();
});

test('email one-time code: mailed to the user\'s email tag (root: its email) through SMTP; wrong, reused and expired codes refused; the session is not MFA', { skip: SKIP, timeout: 60_000 }, async () => {
  await createUser(admin, 'eve', { device: false, tags: { email: 'eve@example.com' } });
  await createUser(admin, 'nia', { device: false });
  await setSigninSettings(node, 'without-device=email-otp');
  const page = await newPage();
  try {
    const before = mails.length;
    assert.equal(await afterPassword(page, 'eve'), 'Sign-in code');
    assert.equal(await page.locator('#masked-email').innerText(), 'e***@example.com');
    await screenshot(page, 'signin-email-code');
    const first = await mailTo('eve@example.com', before);
    assert.match(first.body, /From: Gatehouse <signin@gatehouse\.test>/);
    assert.match(first.body, new RegExp(`account ${node.accountId}`));
    const wrong = first.code === '000000' ? '111111' : '000000';
    await page.getByLabel('Sign-in code').fill(wrong);
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await page.getByRole('alert').innerText(), /The code is not valid/);
    await page.getByLabel('Sign-in code').fill(first.code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Console home' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Signed in without MFA/);
    await page.getByRole('button', { name: 'Sign out' }).click();

    // The next sign-in mails a new code; the old one does not work again.
    const again = mails.length;
    assert.equal(await afterPassword(page, 'eve'), 'Sign-in code');
    const second = await mailTo('eve@example.com', again);
    assert.notEqual(second.code, first.code);
    await page.getByLabel('Sign-in code').fill(first.code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await page.getByRole('alert').innerText(), /The code is not valid/);
    // Expired: the stored code's expiry moved to a second ago (the test does not wait 10 minutes).
    const db = await openDatabase({ dataDir: node.dataDir, databaseUrl: node.databaseUrl });
    try {
      await db.run('UPDATE email_otps SET expires_at = ?', [Date.now() - 1000]);
    } finally { await db.close(); }
    await page.getByLabel('Sign-in code').fill(second.code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await page.getByRole('alert').innerText(), /The code is not valid/);
    await page.goto(consoleUrl(node.endpoint, '/console/cancel'));

    // No address on record: refused, saying so; nothing mailed.
    const none = mails.length;
    assert.equal(await afterPassword(page, 'nia'), 'Sign in');
    assert.match(await page.getByRole('alert').innerText(), /you have no email address on record/);
    assert.equal(mails.length, none);

    // The root user (no device yet) gets its code at its sign-in email.
    const rootBefore = mails.length;
    await rootSignIn(page, node);
    await page.getByRole('heading', { name: 'Sign-in code' }).waitFor();
    const rootMail = await mailTo(node.bootstrap.root.email, rootBefore);
    await page.getByLabel('Sign-in code').fill(rootMail.code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Console home' }).waitFor();
    assert.match(await page.locator('header').innerText(), /Root user/);
    assert.match(await page.locator('main').innerText(), /Signed in without MFA/);
    await page.getByRole('button', { name: 'Sign out' }).click();
  } finally {
    await setSigninSettings(node, 'without-device=require-registration');
  }
  await page.context().close();
});

test('email one-time code: a mail server that refuses the mail gives a clear message (503), and wrong codes lock the sign-in like MFA codes', { skip: SKIP, timeout: 60_000 }, async () => {
  await createUser(admin, 'ike', { device: false, tags: { email: 'bounce@example.com' } });
  await createUser(admin, 'jo', { device: false, tags: { email: 'jo@example.com' } });
  await setSigninSettings(node, 'without-device=email-otp');
  const page = await newPage();
  try {
    const [answer] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/console/signin'), signIn(page, node, 'ike')]);
    assert.equal(answer.status(), 503);
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /The sign-in code could not be sent by email\. Try again in a few minutes/);
    assert.ok(!/gatehouse_console=[^;]/.test((await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join(';')), 'no session');

    const before = mails.length;
    assert.equal(await afterPassword(page, 'jo'), 'Sign-in code');
    const { code } = await mailTo('jo@example.com', before);
    const wrong = code === '000000' ? '111111' : '000000';
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.getByLabel('Sign-in code').fill(wrong);
      await page.getByRole('button', { name: 'Sign in' }).click();
      answers.push(await page.getByRole('alert').innerText());
    }
    assert.match(answers[0]!, /The code is not valid/);
    assert.match(answers[5]!, /Too many wrong codes for this sign-in/);
    // Locked: even the right code is refused now.
    await page.getByLabel('Sign-in code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Too many wrong codes/);
  } finally {
    await setSigninSettings(node, 'without-device=require-registration');
  }
  await page.context().close();
});

test('email one-time code without an SMTP server configured: refused, saying the server cannot send email', { skip: SKIP, timeout: 60_000 }, async () => {
  const bare = await startGatehouse({ sqlite: true, signinSettings: ['without-device=email-otp'] });
  try {
    await createUser(iam(bare), 'ola', { device: false, tags: { email: 'ola@example.com' } });
    const page = await newPage();
    await signIn(page, bare, 'ola');
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /this server cannot send email \(no SMTP server is configured\)/);
    await page.context().close();
  } finally {
    await bare.stop();
  }
});

test('ConsoleLogin events: a blocked sign-in fails with its reason; an emailed-code sign-in succeeds with MFAUsed "No"', { skip: NO_AWS_CLI, timeout: 60_000 }, async () => {
  interface Rec { eventName: string; userIdentity: { userName?: string }; responseElements: { ConsoleLogin: string }; errorMessage?: string; additionalEventData: Record<string, string> }
  let records: Rec[] = [];
  for (let i = 0; i < 50; i++) {
    const r = await awsCli<{ Events: { CloudTrailEvent: string }[] }>(node, ['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=ConsoleLogin']);
    assert.ok(r.ok, r.stderr);
    records = (r.json?.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent) as Rec);
    if (records.some((x) => x.userIdentity.userName === 'eve' && x.responseElements.ConsoleLogin === 'Success')) break;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  const bo = records.filter((x) => x.userIdentity.userName === 'bo');
  assert.ok(bo.some((x) => x.responseElements.ConsoleLogin === 'Failure' && /blocked: no MFA device/.test(x.errorMessage ?? '')), JSON.stringify(bo));
  const eve = records.filter((x) => x.userIdentity.userName === 'eve');
  const ok = eve.find((x) => x.responseElements.ConsoleLogin === 'Success');
  assert.ok(ok, JSON.stringify(eve));
  assert.equal(ok.additionalEventData['MFAUsed'], 'No');
  assert.equal(ok.additionalEventData['EmailOneTimeCode'], 'Yes');
  assert.ok(eve.some((x) => x.responseElements.ConsoleLogin === 'Failure'), 'the wrong code is recorded as a failure');
});

test('a bad --smtp-url (flag, or GATEHOUSE_SMTP_URL) stops serve with a message that never repeats its password', async () => {
  const bin = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-smtp-'));
  try {
    const serve = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stderr: string }> => new Promise((ok) => {
      const child = execFile(process.execPath, [bin, 'serve', '--port', '0', '--data', join(dir, 'data'), ...args], { timeout: 30_000, env: { ...process.env, ...env } },
        (_err, _out, stderr) => ok({ code: child.exitCode, stderr }));
    });
    const flag = await serve(['--smtp-url', 'ftp://mailer:s3cret-pass@mail.example.com']);
    assert.notEqual(flag.code, 0);
    assert.match(flag.stderr, /--smtp-url must be smtp:\/\/… or smtps:\/\/…; got ftp:/);
    assert.ok(!flag.stderr.includes('s3cret-pass'), flag.stderr);
    const env = await serve([], { GATEHOUSE_SMTP_URL: 'not a url s3cret-pass' });
    assert.notEqual(env.code, 0);
    assert.match(env.stderr, /--smtp-url is not a URL/);
    assert.ok(!env.stderr.includes('s3cret-pass'), env.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
