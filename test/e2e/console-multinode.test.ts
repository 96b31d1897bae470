// The console on two nodes sharing one PostgreSQL database: the sign-in throttle counts guesses made on either
// node, a session begun on one node is served by the other, and signing out on one ends it on both. Then what
// needs the clock moved, done by moving stored times instead: the idle timeout, the 12-hour end, expired
// passwords. Plain HTTP (no browser needed: what is checked is state in the database).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import pg from 'pg';
import { startTwoNodes, setSigninSettings, MULTINODE_SKIP } from '../helpers/server.js';
import { iam } from '../helpers/clients.js';

const PASSWORD = 'Corr3ct-Horse-Battery!';
type Nodes = Awaited<ReturnType<typeof startTwoNodes>>;
let nodes: Nodes | undefined;

before(async () => {
  if (MULTINODE_SKIP) return;
  // Users without an MFA device sign in without one ("Allow them to sign in"): these tests predate the account's MFA settings.
  nodes = await startTwoNodes();
  await setSigninSettings(nodes.a, 'without-device=allow');
  const admin = iam(nodes.a);
  for (const name of ['gina', 'hugo']) {
    await admin.send(new I.CreateUserCommand({ UserName: name }));
    await admin.send(new I.CreateLoginProfileCommand({ UserName: name, Password: PASSWORD }));
  }
}, { timeout: 90_000 });
after(async () => { await nodes?.stop(); }, { timeout: 60_000 });

const cookieOf = (r: Response, name: string): string | undefined =>
  r.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith(`${name}=`));
const csrfOf = (page: string): string => /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

/** A browser's state, by hand: its cookies (name=value) and the last page's CSRF token. */
async function signIn(endpoint: string, accountId: string, userName: string, password: string): Promise<{ status: number; cookie?: string | undefined; text: string }> {
  const first = await fetch(`${endpoint}/console`);
  const form = cookieOf(first, 'gatehouse_form') ?? '';
  const r = await fetch(`${endpoint}/console/signin`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form },
    body: new URLSearchParams({ account: accountId, username: userName, password, csrf: csrfOf(await first.text()) }).toString(),
  });
  return { status: r.status, cookie: cookieOf(r, 'gatehouse_console'), text: await r.text() };
}

test('guesses on either node count against one throttle', { skip: MULTINODE_SKIP, timeout: 60_000 }, async () => {
  const { a, b } = nodes!; // started in before() when not skipped
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await signIn(i % 2 ? b.endpoint : a.endpoint, a.accountId, 'gina', `bad-${i}`)).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
  assert.equal((await signIn(a.endpoint, a.accountId, 'gina', PASSWORD)).status, 429);
});

test('a session begun on one node is served by the other; signing out on one ends it on both', { skip: MULTINODE_SKIP, timeout: 60_000 }, async () => {
  const { a, b } = nodes!; // started in before() when not skipped
  const signed = await signIn(a.endpoint, a.accountId, 'hugo', PASSWORD);
  assert.equal(signed.status, 303);
  assert.ok(signed.cookie);
  const onB = await fetch(`${b.endpoint}/console`, { headers: { cookie: signed.cookie } });
  const home = await onB.text();
  assert.match(home, /<h1>Console home<\/h1>/);
  const out = await fetch(`${b.endpoint}/console/signout`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: signed.cookie },
    body: new URLSearchParams({ csrf: csrfOf(home) }).toString(),
  });
  assert.equal(out.status, 303);
  const onA = await fetch(`${a.endpoint}/console`, { headers: { cookie: signed.cookie } });
  assert.match(await onA.text(), /<h1>Sign in<\/h1>/);
});

test('an hour without a request ends the session (idle timeout), and so do 12 hours in all', { skip: MULTINODE_SKIP, timeout: 60_000 }, async () => {
  const { a, database } = nodes!; // started in before() when not skipped
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  try {
    for (const [column, ms] of [['last_seen', 3_700_000], ['expires_at', 12 * 3_600_000 + 1000]] as const) {
      const signed = await signIn(a.endpoint, a.accountId, 'hugo', PASSWORD);
      assert.ok(signed.cookie);
      const home = await fetch(`${a.endpoint}/console`, { headers: { cookie: signed.cookie } });
      assert.match(await home.text(), /<h1>Console home<\/h1>/);
      // As if the clock had moved on: last seen more than an hour ago, or past its 12 hours.
      await db.query(`UPDATE console_sessions SET ${column} = ${column} - ${ms} WHERE stage = 'active'`);
      const later = await fetch(`${a.endpoint}/console`, { headers: { cookie: signed.cookie } });
      const text = await later.text();
      assert.match(text, /<h1>Sign in<\/h1>/, column);
      assert.match(text, /Your session has ended/, column);
    }
  } finally {
    await db.end();
  }
});

test('an expired password: a new one first; under HardExpiry only an administrator can reset it', { skip: MULTINODE_SKIP, timeout: 60_000 }, async () => {
  const { a, database } = nodes!; // started in before() when not skipped
  const admin = iam(a);
  await admin.send(new I.CreateUserCommand({ UserName: 'ines' }));
  await admin.send(new I.CreateLoginProfileCommand({ UserName: 'ines', Password: PASSWORD }));
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  try {
    // Set 100 days ago; the policy allows 90.
    const when = new Date(Date.now() - 100 * 86_400_000).toISOString();
    await db.query(`UPDATE login_profiles SET password_changed_at = '${when}' WHERE user_id = (SELECT user_id FROM users WHERE name = 'ines')`);
  } finally {
    await db.end();
  }
  await admin.send(new I.UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 90, AllowUsersToChangePassword: true }));
  const soft = await signIn(a.endpoint, a.accountId, 'ines', PASSWORD);
  assert.equal(soft.status, 303);
  const page = await fetch(`${a.endpoint}/console/security-credentials`, { headers: { cookie: soft.cookie ?? '' }, redirect: 'manual' });
  assert.equal(page.headers.get('location'), '/console/password');

  await admin.send(new I.UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 90, HardExpiry: true }));
  const hard = await signIn(a.endpoint, a.accountId, 'ines', PASSWORD);
  assert.equal(hard.status, 403);
  assert.match(hard.text, /only your administrator can reset it/);
  assert.equal(hard.cookie, undefined);
  // The administrator's reset (a new password) lets the user in again.
  await admin.send(new I.UpdateLoginProfileCommand({ UserName: 'ines', Password: 'Fresh-Passw0rd-1' }));
  assert.equal((await signIn(a.endpoint, a.accountId, 'ines', 'Fresh-Passw0rd-1')).status, 303);
  await admin.send(new I.DeleteAccountPasswordPolicyCommand({}));
});
