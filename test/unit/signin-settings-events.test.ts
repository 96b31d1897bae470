// The pure parts behind the Account settings → MFA page and recovery codes: what a settings change changed
// (settingsDiff), its event (eventSource "gatehouse", UpdateAccountMfaSettings, changed and previous values, a
// refused change with what was asked; the server host's command as the identity), the few-codes warning, and the
// first set made once when two pages ask at the same moment (both stores).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, settingsChangeEvent, settingsDiff, withSetting } from '../../src/signin/settings.js';
import { GATEHOUSE_EVENT_SOURCE } from '../../src/events/records.js';
import { fewCodesWarning } from '../../src/console/recovery.js';
import type { Principal } from '../../src/iam/context.js';
import { randomBytes } from 'node:crypto';
import { IamStore } from '../../src/store/iam-store.js';
import { MfaStore } from '../../src/store/mfa-store.js';
import { SecretBox } from '../../src/store/secrets.js';
import { SigninSettingsStore } from '../../src/store/signin-settings-store.js';
import { generateFirstRecoveryCodes, recoveryCodeCount, useRecoveryCode } from '../../src/signin/recovery-codes.js';
import { pgUnreachable, withStore } from '../helpers/server.js';

const ACCOUNT = '123456789012';
const NO_PG = await pgUnreachable();
const T = new Date(Date.UTC(2026, 11, 1, 2, 30));
const sam: Principal = { kind: 'user', accountId: ACCOUNT, userId: 'AIDASAM', arn: `arn:aws:iam::${ACCOUNT}:user/sam`, accessKeyId: 'ASIASAM', userName: 'sam', path: '/' };

test('settingsDiff: only the settings that changed, new and previous values in the command line\'s spelling', () => {
  const after = withSetting(withSetting(DEFAULT_SETTINGS, 'prompt', 'never'), 'allowed-types', 'totp');
  assert.deepEqual(settingsDiff(DEFAULT_SETTINGS, after), {
    changed: { 'prompt': 'never', 'allowed-types': 'totp' },
    previous: { 'prompt': 'every-sign-in', 'allowed-types': 'webauthn,totp' },
  });
  assert.deepEqual(settingsDiff(after, after), { changed: {}, previous: {} });
});

test('a console change is an AwsApiCall from eventSource "gatehouse" with the changed settings, their previous values and the result', () => {
  const after = withSetting(DEFAULT_SETTINGS, 'recovery-codes', '4');
  const e = settingsChangeEvent({
    accountId: ACCOUNT, principal: sam, origin: { sourceIp: '127.0.0.1', userAgent: 'Chrome' }, requested: [['recovery-codes', '4']],
    result: { before: DEFAULT_SETTINGS, after }, fromConsole: true, time: T,
  });
  assert.equal(e.record.eventSource, GATEHOUSE_EVENT_SOURCE);
  assert.equal(e.record.eventName, 'UpdateAccountMfaSettings');
  assert.equal(e.record.eventType, 'AwsApiCall');
  assert.equal(e.record.readOnly, false);
  assert.equal(e.record.userIdentity.userName, 'sam');
  assert.equal(e.record.sessionCredentialFromConsole, 'true');
  assert.equal(e.record.sourceIPAddress, '127.0.0.1');
  assert.deepEqual(e.record.requestParameters, { changed: { 'recovery-codes': '4' }, previous: { 'recovery-codes': '10' } });
  assert.equal((e.record.responseElements?.['settings'] as Record<string, string>)['recovery-codes'], '4'); // settingsAsText's record
  assert.equal(e.record.errorCode, undefined);
  assert.equal(e.username, 'sam');
  assert.equal(e.record.eventTime, '2026-12-01T02:30:00Z');
});

test('a refused change records the error and what was asked (cut short), no response; the server host\'s command is its own identity', () => {
  const e = settingsChangeEvent({
    accountId: ACCOUNT, principal: null, origin: { sourceIp: undefined, userAgent: undefined },
    requested: [['trusted-device-days', '365'], ['x'.repeat(100), 'y'.repeat(300)]],
    result: { error: { code: 'ValidationError', message: 'trusted-device-days must be from 1 to 90; got 365.' } }, fromConsole: false, time: T,
  });
  assert.equal(e.record.errorCode, 'ValidationError');
  assert.equal(e.record.responseElements, null);
  const requested = e.record.requestParameters?.['requested'] as Record<string, string>; // built as a record of strings
  assert.equal(requested['trusted-device-days'], '365');
  assert.equal(requested['x'.repeat(64)], 'y'.repeat(256));
  assert.deepEqual(e.record.userIdentity, { type: 'AWSService', accountId: ACCOUNT, invokedBy: 'gatehouse.server-host' });
  assert.equal(e.record.sourceIPAddress, 'gatehouse.server-host');
  assert.equal(e.record.sessionCredentialFromConsole, undefined);
  assert.equal(e.username, null);
});

test('the few-codes warning: none while more than three are left or none were ever issued; singular and zero worded', () => {
  assert.equal(fewCodesWarning({ total: 0, unused: 0 }), null);
  assert.equal(fewCodesWarning({ total: 10, unused: 4 }), null);
  assert.match(fewCodesWarning({ total: 10, unused: 3 }) ?? '', /^Only 3 unused recovery codes left/);
  assert.match(fewCodesWarning({ total: 10, unused: 1 }) ?? '', /^Only 1 unused recovery code left/);
  assert.match(fewCodesWarning({ total: 10, unused: 0 }) ?? '', /no unused recovery codes left/);
});

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`${kind}: two pages asking for the first set at once make one set, and it is the one shown`, { skip: kind === 'postgres' && NO_PG }, async () => {
    await withStore(kind, async (db) => {
      const store = new IamStore(db);
      await store.insertAccount({ accountId: ACCOUNT, rootEmail: 'root@example.com', rootPasswordHash: 'x', createdAt: T.toISOString() });
      await store.insertUser({ userId: 'AIDASAM', accountId: ACCOUNT, name: 'sam', path: '/', createdAt: T.toISOString() });
      const account = (await store.firstAccount())!; // inserted just above
      const deps = { db, mfaStore: new MfaStore(db), settingsStore: new SigninSettingsStore(db), secrets: new SecretBox(randomBytes(32)) };
      const p = { accountId: ACCOUNT, type: 'user', id: 'AIDASAM' } as const;
      const results = await Promise.all([1, 2, 3].map(() => generateFirstRecoveryCodes(deps, p, 5, T)));
      const made = results.filter((r): r is string[] => r !== null);
      assert.equal(made.length, 1, 'exactly one page made a set');
      assert.deepEqual(await recoveryCodeCount(deps, p), { total: 5, unused: 5 });
      // The set shown is the stored one.
      const r = await useRecoveryCode({ ...deps, account, now: T, events: undefined }, { type: 'user', id: 'AIDASAM' }, made[0]?.[0] ?? '');
      assert.deepEqual(r, { ok: true, remaining: 4 });
      assert.equal(await generateFirstRecoveryCodes(deps, p, 5, T), null, 'a principal with codes gets no first set');
    });
  });
}
