// What console sign-in does after the password under each combination of the account's MFA settings
// (src/console/signin-flow.ts decide(); docs/sign-in.md), on a real SQLite store for the trusted devices: prompt
// modes, trusted devices (and their device no longer allowed), each without-device choice, allowed types leaving a
// user with no usable device, self-management off, and the root user's exceptions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IamStore } from '../../src/store/iam-store.js';
import { SigninSettingsStore } from '../../src/store/signin-settings-store.js';
import { DEFAULT_SETTINGS } from '../../src/signin/settings.js';
import type { MfaSettings } from '../../src/signin/settings.js';
import { trustDevice } from '../../src/signin/trusted-devices.js';
import { decide, enrollableKinds, usableDevices } from '../../src/console/signin-flow.js';
import type { Decision } from '../../src/console/signin-flow.js';
import type { MfaDeviceKind } from '../../src/mfa/index.js';
import { withStore } from '../helpers/server.js';

const ACCOUNT = '123456789012';
const T0 = Date.UTC(2026, 10, 30, 12);
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const at = { userAgent: CHROME, ip: '198.51.100.7', now: new Date(T0) };
const account = { accountId: ACCOUNT, alias: null, rootEmail: 'root@example.com', rootPasswordChangedAt: null, rootPasswordLastUsed: null, createdAt: '', passwordPolicy: null };
const device = (kind: MfaDeviceKind, serialNumber = `${kind}-1`) => ({ kind, serialNumber });
const totp = device('virtual', 'arn:aws:iam::123456789012:mfa/alice');
const key = device('fido', 'arn:aws:iam::123456789012:u2f/user/alice/key-AAAA');

test('decide: prompt modes, trusted devices, each without-device choice, allowed types and the root user', async () => {
  await withStore('sqlite', async (db) => {
    const store = new IamStore(db);
    await store.insertAccount({ accountId: ACCOUNT, rootEmail: 'root@example.com', rootPasswordHash: 'x', createdAt: new Date(T0).toISOString() });
    const settingsStore = new SigninSettingsStore(db);
    const user = (devices: { kind: MfaDeviceKind; serialNumber: string }[]) => ({ account, type: 'user' as const, id: 'AIDAALICE', devices });
    const root = (devices: { kind: MfaDeviceKind; serialNumber: string }[]) => ({ account, type: 'root' as const, id: ACCOUNT, devices });
    const s = (o: Partial<MfaSettings>): MfaSettings => ({ ...DEFAULT_SETTINGS, ...o });
    const d = (settings: MfaSettings, p: ReturnType<typeof user> | ReturnType<typeof root>, token?: string): Promise<Decision['kind']> =>
      decide(settingsStore, settings, p, at, token).then((x) => x.kind);

    assert.equal(await d(s({}), user([totp])), 'mfa');
    assert.equal(await d(s({ prompt: 'never' }), user([totp])), 'signed-in');
    assert.equal(await d(s({ prompt: 'never', withoutDevice: 'block' }), user([])), 'signed-in', 'never: without-device not consulted');
    assert.equal(await d(s({ prompt: 'never' }), root([totp])), 'mfa', 'root is asked whatever the prompt');

    // Without a device.
    assert.equal(await d(s({}), user([])), 'enrol');
    assert.equal(await d(s({ selfManage: false }), user([])), 'refused');
    assert.equal(await d(s({ withoutDevice: 'block' }), user([])), 'refused');
    assert.equal(await d(s({ withoutDevice: 'allow' }), user([])), 'signed-in');
    assert.equal(await d(s({ withoutDevice: 'email-otp' }), user([])), 'email-otp');
    assert.equal(await d(s({ withoutDevice: 'block' }), root([])), 'enrol', 'root is never locked out by block');
    assert.equal(await d(s({ selfManage: false }), root([])), 'enrol', 'root always manages its own devices');
    assert.equal(await d(s({ withoutDevice: 'email-otp' }), root([])), 'email-otp');

    // Allowed types: a user whose devices are all of types not allowed has no device; root is not restricted.
    assert.equal(await d(s({ allowedTypes: ['webauthn'] }), user([totp])), 'enrol');
    assert.equal(await d(s({ allowedTypes: ['webauthn'], withoutDevice: 'allow' }), user([totp])), 'signed-in');
    assert.equal(await d(s({ allowedTypes: ['webauthn'] }), user([totp, key])), 'mfa');
    assert.equal(await d(s({ allowedTypes: ['webauthn'] }), root([totp])), 'mfa');
    assert.deepEqual(usableDevices(s({ allowedTypes: ['webauthn'] }), 'user', [totp, key]), [key]);
    assert.deepEqual(enrollableKinds(s({ allowedTypes: ['totp'] }), 'user'), ['virtual', 'hardware']);
    assert.deepEqual(enrollableKinds(s({ allowedTypes: ['totp'] }), 'root'), ['virtual', 'fido', 'hardware']);

    // Trusted devices: only context-aware, only while the device that passed MFA is still allowed.
    const p = { accountId: ACCOUNT, type: 'user' as const, id: 'AIDAALICE' };
    const { token } = await trustDevice({ settingsStore }, p, at, { at: new Date(T0 - 60_000), serial: totp.serialNumber }, 30);
    const trusted = await decide(settingsStore, s({ prompt: 'context-aware' }), user([totp]), at, token);
    assert.deepEqual(trusted, { kind: 'trusted', mfa: { at: new Date(T0 - 60_000), serial: totp.serialNumber } });
    assert.equal(await d(s({}), user([totp]), token), 'mfa', 'every-sign-in ignores it');
    assert.equal(await d(s({ prompt: 'context-aware' }), user([totp]), 'not-the-token'), 'mfa');
    assert.equal(await d(s({ prompt: 'context-aware', allowedTypes: ['webauthn'] }), user([totp, key]), token), 'mfa', 'its device is no longer allowed');
  });
});
