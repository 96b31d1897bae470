// The account's sign-in settings and what they bring (issue 10), on both stores: settings validated and stored,
// recovery codes single-use and under the MFA throttle, trusted devices matched on browser family, network and
// expiry, emailed one-time codes delivered through a real SMTP server on loopback and spent once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { IamStore } from '../../src/store/iam-store.js';
import { MfaStore } from '../../src/store/mfa-store.js';
import { SecretBox } from '../../src/store/secrets.js';
import { SigninSettingsStore } from '../../src/store/signin-settings-store.js';
import { DEFAULT_SETTINGS, readSettings, updateSettings, settingsAsText, settingsFromStored, typeAllowed } from '../../src/signin/settings.js';
import { generateRecoveryCodes, normalizeRecoveryCode, recoveryCodeCount, revokeRecoveryCodes, useRecoveryCode } from '../../src/signin/recovery-codes.js';
import { browserFamily, clientNetwork, forgetAllTrustedDevices, matchTrustedDevice, trustDevice } from '../../src/signin/trusted-devices.js';
import { sendEmailOtp, verifyEmailOtp, EMAIL_OTP_TTL_MS } from '../../src/signin/email-otp.js';
import { smtpMailer } from '../../src/signin/mailer.js';
import { ServiceError } from '../../src/errors.js';
import { pgUnreachable, withStore } from '../helpers/server.js';
import type { Db } from '../../src/store/db.js';

const ACCOUNT = '123456789012';
const T0 = Date.UTC(2026, 10, 30, 12);
const NO_PG = await pgUnreachable();
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

async function setUp(db: Db) {
  const store = new IamStore(db);
  await store.insertAccount({ accountId: ACCOUNT, rootEmail: 'root@example.com', rootPasswordHash: 'x', createdAt: new Date(T0).toISOString() });
  await store.insertUser({ userId: 'AIDAALICE', accountId: ACCOUNT, name: 'alice', path: '/', createdAt: new Date(T0).toISOString() });
  const secrets = new SecretBox(randomBytes(32));
  const settingsStore = new SigninSettingsStore(db);
  const account = (await store.firstAccount())!; // inserted just above
  const ctx = (now: number) => ({ db, mfaStore: new MfaStore(db), secrets, account, now: new Date(now), settingsStore });
  return { settingsStore, secrets, ctx };
}

const alice = { accountId: ACCOUNT, type: 'user', id: 'AIDAALICE' } as const;

test('settings: defaults mirror Identity Center\'s, each key validated, unknown keys and bad values refused with the accepted values', async () => {
  assert.deepEqual(settingsAsText(DEFAULT_SETTINGS), {
    'prompt': 'every-sign-in', 'allowed-types': 'webauthn,totp', 'without-device': 'require-registration',
    'self-manage': 'true', 'trusted-device-days': '30', 'recovery-codes': '10',
  });
  assert.equal(typeAllowed({ ...DEFAULT_SETTINGS, allowedTypes: ['totp'] }, 'virtual'), true);
  assert.equal(typeAllowed({ ...DEFAULT_SETTINGS, allowedTypes: ['totp'] }, 'hardware'), true);
  assert.equal(typeAllowed({ ...DEFAULT_SETTINGS, allowedTypes: ['totp'] }, 'u2f'), false);
  assert.equal(typeAllowed({ ...DEFAULT_SETTINGS, allowedTypes: ['webauthn'] }, 'virtual'), false);
  // A stored document with rubbish in it reads as the defaults field by field.
  assert.deepEqual(settingsFromStored({ prompt: 'sometimes', trustedDeviceDays: 900, selfManage: false }), { ...DEFAULT_SETTINGS, selfManage: false });
  assert.deepEqual(settingsFromStored('nonsense'), DEFAULT_SETTINGS);
});

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`${kind}: settings are stored per account and all changes are checked before any is written`, { skip: kind === 'postgres' && NO_PG }, async () => {
    await withStore(kind, async (db) => {
      const { settingsStore } = await setUp(db);
      assert.deepEqual(await readSettings({ settingsStore }, ACCOUNT), DEFAULT_SETTINGS);
      const next = await updateSettings({ settingsStore }, ACCOUNT, [['prompt', 'context-aware'], ['allowed-types', 'totp'], ['trusted-device-days', '14'], ['recovery-codes', '0']], 'test', new Date(T0));
      assert.equal(next.prompt, 'context-aware');
      assert.deepEqual(await readSettings({ settingsStore }, ACCOUNT), next);
      for (const [k, v, msg] of [
        ['prompt', 'sometimes', /prompt must be one of every-sign-in, context-aware, never/],
        ['allowed-types', 'sms', /allowed-types accepts webauthn, totp; got 'sms'/],
        ['allowed-types', ',', /at least one/],
        ['trusted-device-days', '91', /from 1 to 90/],
        ['trusted-device-days', '0', /from 1 to 90/],
        ['recovery-codes', '-1', /whole number/],
        ['self-manage', 'yes', /true or false/],
        ['colour', 'blue', /unknown setting 'colour'/],
      ] as const) {
        await assert.rejects(updateSettings({ settingsStore }, ACCOUNT, [['prompt', 'never'], [k, v]], 'test', new Date(T0)),
          (e: unknown) => e instanceof ServiceError && e.code === 'ValidationError' && msg.test(e.message), `${k}=${v}`);
      }
      assert.equal((await readSettings({ settingsStore }, ACCOUNT)).prompt, 'context-aware', 'a refused change writes nothing');
    });
  });

  test(`${kind}: recovery codes are shown once, stored as keyed hashes, single-use, and wrong ones count in the MFA throttle`, { skip: kind === 'postgres' && NO_PG }, async () => {
    await withStore(kind, async (db) => {
      const { ctx } = await setUp(db);
      const codes = await generateRecoveryCodes(ctx(T0), alice, 10, new Date(T0));
      assert.equal(codes.length, 10);
      assert.equal(new Set(codes).size, 10);
      for (const c of codes) assert.match(c, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
      const stored = await db.all<{ code_hash: string }>('SELECT code_hash FROM recovery_codes');
      const dump = JSON.stringify(stored);
      for (const c of codes) { assert.ok(!dump.includes(c) && !dump.includes(c.replace('-', '')), 'no plaintext code at rest'); }

      const first = codes[0]!;
      const typed = ` ${first.toLowerCase().replace('-', ' ')} `;
      assert.equal(normalizeRecoveryCode(typed), first.replace('-', ''));
      const r = await useRecoveryCode(ctx(T0), alice, typed);
      assert.deepEqual(r, { ok: true, remaining: 9 });
      assert.deepEqual(await useRecoveryCode(ctx(T0 + 1000), alice, first), { ok: false, reason: 'invalid' }, 'a spent code is refused');
      // Wrong codes lock the principal like wrong device codes (5 free failures, then a lock): even a good code is refused then.
      for (let i = 0; i < 4; i++) assert.deepEqual(await useRecoveryCode(ctx(T0 + 2000), alice, 'ZZZZZ-ZZZZZ'), { ok: false, reason: 'invalid' });
      assert.deepEqual(await useRecoveryCode(ctx(T0 + 3000), alice, codes[1]!), { ok: false, reason: 'locked' });
      assert.deepEqual(await recoveryCodeCount(ctx(T0), alice), { total: 10, unused: 9 });
      // Regenerating replaces the set: old codes stop working.
      const fresh = await generateRecoveryCodes(ctx(T0), alice, 3, new Date(T0 + 3600_000));
      assert.deepEqual(await useRecoveryCode(ctx(T0 + 3 * 3600_000), alice, codes[2]!), { ok: false, reason: 'invalid' });
      // (that failure, the sixth in a row, locked the principal again: the next try waits out the lock)
      assert.deepEqual(await useRecoveryCode(ctx(T0 + 4 * 3600_000), alice, fresh[0]!), { ok: true, remaining: 2 });
      await revokeRecoveryCodes(ctx(T0), alice);
      assert.deepEqual(await recoveryCodeCount(ctx(T0), alice), { total: 0, unused: 0 });
    });
  });

  test(`${kind}: a trusted device matches only the same principal, browser family, network and before expiry`, { skip: kind === 'postgres' && NO_PG }, async () => {
    await withStore(kind, async (db) => {
      const { settingsStore } = await setUp(db);
      const deps = { settingsStore };
      const at = { userAgent: CHROME, ip: '198.51.100.23', now: new Date(T0) };
      const { token } = await trustDevice(deps, alice, at, { at: new Date(T0 - 60_000), serial: 'arn:aws:iam::123456789012:mfa/alice' }, 30);
      const stored = JSON.stringify(await db.all('SELECT * FROM trusted_devices'));
      assert.ok(!stored.includes(token), 'the token is stored hashed');
      const later = { ...at, ip: '198.51.100.200', now: new Date(T0 + 86400_000) };
      const match = await matchTrustedDevice(deps, alice, token, later);
      assert.equal(match?.mfaAt, T0 - 60_000, 'the MFA age counts from the sign-in that used MFA');
      assert.equal(await matchTrustedDevice(deps, alice, token, { ...later, userAgent: FIREFOX }), null, 'another browser');
      assert.equal(await matchTrustedDevice(deps, alice, token, { ...later, ip: '203.0.113.5' }), null, 'another network');
      assert.equal(await matchTrustedDevice(deps, alice, token, { ...later, now: new Date(T0 + 31 * 86400_000) }), null, 'expired');
      assert.equal(await matchTrustedDevice(deps, { ...alice, id: 'AIDABOB' }, token, later), null, 'another user');
      assert.equal(await matchTrustedDevice(deps, alice, 'x'.repeat(43), later), null, 'an unknown token');
      await assert.rejects(trustDevice(deps, { accountId: ACCOUNT, type: 'root', id: ACCOUNT }, at, { at: new Date(T0), serial: 's' }, 30), /root/);
      assert.equal(await forgetAllTrustedDevices(deps, alice), 1);
      assert.equal(await matchTrustedDevice(deps, alice, token, later), null, 'forgotten');
    });
  });

  test(`${kind}: an emailed code arrives through a real SMTP server, works once, expires after 10 minutes, and is throttled`, { skip: kind === 'postgres' && NO_PG }, async () => {
    const received: { to: string; body: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, cb) {
        let body = '';
        stream.on('data', (d: Buffer) => { body += d.toString('utf8'); });
        stream.on('end', () => { received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), body }); cb(); });
      },
    });
    await new Promise<void>((res) => smtp.listen(0, '127.0.0.1', res));
    const port = (smtp.server.address() as AddressInfo).port; // a listening TCP server's address is an AddressInfo
    const mailer = smtpMailer(`smtp://127.0.0.1:${port}`, 'Gatehouse <gatehouse@localhost>');
    try {
      await withStore(kind, async (db) => {
        const { ctx } = await setUp(db);
        const deps = { ...ctx(T0), mailer };
        assert.deepEqual(await sendEmailOtp(deps, alice, undefined, 'account 123456789012', new Date(T0)), { sent: false, reason: 'no-address' });
        assert.deepEqual(await sendEmailOtp({ ...deps, mailer: null }, alice, 'alice@example.com', 'x', new Date(T0)), { sent: false, reason: 'no-mailer' });
        assert.deepEqual(await sendEmailOtp(deps, alice, 'alice@example.com', 'account 123456789012', new Date(T0)), { sent: true });
        assert.deepEqual(await sendEmailOtp(deps, alice, 'alice@example.com', 'account 123456789012', new Date(T0 + 5000)), { sent: false, reason: 'recently-sent' });
        assert.equal(received.length, 1);
        assert.equal(received[0]!.to, 'alice@example.com');
        const code = /sign-in code for account 123456789012 is (\d{6})/.exec(received[0]!.body)?.[1];
        assert.ok(code, 'the mail carries the code');
        assert.ok(!JSON.stringify(await db.all('SELECT * FROM email_otps')).includes(code), 'stored as a keyed hash');
        const wrong = code === '000000' ? '111111' : '000000';
        assert.deepEqual(await verifyEmailOtp(ctx(T0 + 10_000), alice, wrong), { ok: false, reason: 'invalid' });
        assert.deepEqual(await verifyEmailOtp(ctx(T0 + 10_000), alice, code), { ok: true });
        assert.deepEqual(await verifyEmailOtp(ctx(T0 + 11_000), alice, code), { ok: false, reason: 'invalid' }, 'single use');
        // A new code after the resend pause; it expires after 10 minutes.
        assert.deepEqual(await sendEmailOtp(deps, alice, 'alice@example.com', 'account 123456789012', new Date(T0 + 60_000)), { sent: true });
        const code2 = /is (\d{6})/.exec(received[1]!.body)?.[1] ?? '';
        assert.deepEqual(await verifyEmailOtp(ctx(T0 + 60_000 + EMAIL_OTP_TTL_MS), alice, code2), { ok: false, reason: 'invalid' }, 'expired');
      });
    } finally {
      mailer.close();
      await new Promise<void>((res) => smtp.close(() => res()));
    }
  });
}

test('browser family and client network: what a trusted device is matched on', () => {
  assert.equal(browserFamily(CHROME), 'Chrome on Linux');
  assert.equal(browserFamily(FIREFOX), 'Firefox on Linux');
  assert.equal(browserFamily('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0'), 'Edge on Windows');
  assert.equal(browserFamily(undefined), 'other on other');
  assert.equal(clientNetwork('198.51.100.23'), '198.51.100.0/24');
  assert.equal(clientNetwork('::ffff:198.51.100.23'), '198.51.100.0/24');
  assert.equal(clientNetwork('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
  assert.equal(clientNetwork('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(clientNetwork('::1'), '0:0:0:0::/64');
});
