// Verification policy: windows, drift, replay, consecutive pairs, constant-time comparison, inputs.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  generateSeed, base32Encode, base32Decode, stepAt, codeAt, verifyCode, verifyConsecutive,
  isWellFormedCode, normalizeParams, stepsForSeconds, DEFAULT_PARAMS,
} from '../../src/mfa/totp.js';
import type { TotpParamsInput } from '../../src/mfa/totp.js';

const secret = Buffer.from('000102030405060708090a0b0c0d0e0f10111213', 'hex');
const NOW = 1767225615000; // mid-step
const S = stepAt(NOW);
const code = (step: number, params?: TotpParamsInput) => codeAt(secret, step, params);
/** A deliberately ill-typed argument, as a JavaScript caller could pass: the runtime checks are under test. */
const illTyped = <T>(value: unknown): T => value as T;

test('generateSeed: 40 random bytes, 64 base32 characters that decode back', () => {
  const a = generateSeed();
  const b = generateSeed();
  assert.equal(a.secret.length, 40);
  assert.match(a.base32, /^[A-Z2-7]{64}$/);
  assert.deepEqual(base32Decode(a.base32), a.secret);
  assert.notDeepEqual(a.secret, b.secret);
});

test('base32 encode/decode: RFC 4648 vectors, case and padding tolerant, bad characters refused', () => {
  assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
  assert.equal(base32Encode(Buffer.from('12345678901234567890')), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.deepEqual(base32Decode('mzxw6ytboi======'), Buffer.from('foobar'));
  assert.throws(() => base32Decode('MZXW1'), TypeError);
  assert.throws(() => base32Encode(illTyped<Uint8Array>('text')), TypeError);
});

test('stepAt: floor of seconds / period', () => {
  assert.equal(stepAt(0), 0);
  assert.equal(stepAt(29_999), 0);
  assert.equal(stepAt(30_000), 1);
  assert.equal(stepAt(59_999, 60), 0);
  assert.equal(stepAt(60_000, 60), 1);
});

test('window ±1 accepted, ±2 refused; drift reported as matched step - now step', () => {
  assert.deepEqual(verifyCode({ secret, code: code(S), nowMs: NOW }), { ok: true, step: S, drift: 0 });
  assert.deepEqual(verifyCode({ secret, code: code(S - 1), nowMs: NOW }), { ok: true, step: S - 1, drift: -1 });
  assert.deepEqual(verifyCode({ secret, code: code(S + 1), nowMs: NOW }), { ok: true, step: S + 1, drift: 1 });
  assert.deepEqual(verifyCode({ secret, code: code(S - 2), nowMs: NOW }), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyCode({ secret, code: code(S + 2), nowMs: NOW }), { ok: false, reason: 'invalid' });
});

test('window edges hold at the exact step boundary too', () => {
  const boundary = S * 30_000; // first millisecond of step S
  assert.equal(verifyCode({ secret, code: code(S - 1), nowMs: boundary }).ok, true);
  assert.equal(verifyCode({ secret, code: code(S - 2), nowMs: boundary }).ok, false);
  assert.equal(verifyCode({ secret, code: code(S + 1), nowMs: boundary - 1 }).ok, false, 'one ms earlier S+1 is two steps ahead');
});

test('window 0 accepts only the current step; a wider window widens exactly', () => {
  assert.equal(verifyCode({ secret, code: code(S), nowMs: NOW, window: 0 }).ok, true);
  assert.equal(verifyCode({ secret, code: code(S + 1), nowMs: NOW, window: 0 }).ok, false);
  assert.equal(verifyCode({ secret, code: code(S - 3), nowMs: NOW, window: 3 }).ok, true);
  assert.equal(verifyCode({ secret, code: code(S - 4), nowMs: NOW, window: 3 }).ok, false);
});

test('stored drift moves the window centre', () => {
  assert.deepEqual(verifyCode({ secret, code: code(S + 3), nowMs: NOW, drift: 2 }), { ok: true, step: S + 3, drift: 3 });
  assert.deepEqual(verifyCode({ secret, code: code(S + 1), nowMs: NOW, drift: 2 }), { ok: true, step: S + 1, drift: 1 });
  assert.deepEqual(verifyCode({ secret, code: code(S), nowMs: NOW, drift: 2 }), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyCode({ secret, code: code(S - 5), nowMs: NOW, drift: -5 }), { ok: true, step: S - 5, drift: -5 });
});

test('replay: the same code is refused after acceptance, and so is an older one; a newer one passes', () => {
  const first = verifyCode({ secret, code: code(S), nowMs: NOW });
  assert.equal(first.ok, true);
  const lastStep = first.step;
  assert.deepEqual(verifyCode({ secret, code: code(S), nowMs: NOW, lastStep }), { ok: false, reason: 'replay' });
  assert.deepEqual(verifyCode({ secret, code: code(S), nowMs: NOW + 25_000, lastStep }), { ok: false, reason: 'replay' });
  assert.deepEqual(verifyCode({ secret, code: code(S - 1), nowMs: NOW, lastStep }), { ok: false, reason: 'replay' });
  assert.deepEqual(verifyCode({ secret, code: code(S + 1), nowMs: NOW, lastStep }), { ok: true, step: S + 1, drift: 1 });
  // a wrong code is "invalid", not "replay", whatever lastStep says
  const wrong = code(S) === '000000' ? '000001' : '000000';
  assert.deepEqual(verifyCode({ secret, code: wrong, nowMs: NOW, lastStep }), { ok: false, reason: 'invalid' });
  // null lastStep means "never used"
  assert.equal(verifyCode({ secret, code: code(S), nowMs: NOW, lastStep: null }).ok, true);
});

test('malformed codes are invalid without any comparison', () => {
  const c = code(S);
  for (const bad of [c.slice(1), c + '0', ` ${c.slice(1)}`, c.replace(/./, 'a'), Number(c), null, undefined, '１２３４５６']) {
    assert.deepEqual(verifyCode({ secret, code: illTyped<string>(bad), nowMs: NOW }), { ok: false, reason: 'invalid' }, String(bad));
  }
  assert.equal(isWellFormedCode('12345678', 8), true);
  assert.equal(isWellFormedCode('1234567', 8), false);
});

test('8-digit / SHA256 / 60 s parameters are honoured', () => {
  const params = { algorithm: 'SHA256', digits: 8, period: 60 };
  const s60 = stepAt(NOW, 60);
  const c = code(s60, params);
  assert.match(c, /^\d{8}$/);
  assert.deepEqual(verifyCode({ secret, code: c, nowMs: NOW, params }), { ok: true, step: s60, drift: 0 });
  assert.equal(verifyCode({ secret, code: c, nowMs: NOW }).ok, false, 'not valid under default params');
});

test('comparison goes through crypto.timingSafeEqual on equal-length buffers, with no early exit', (t) => {
  const spy = t.mock.method(crypto, 'timingSafeEqual');
  const c = code(S);
  assert.equal(verifyCode({ secret, code: c, nowMs: NOW }).ok, true);
  const callsOnMatch = spy.mock.callCount();
  assert.equal(callsOnMatch, 3, 'all three steps of a ±1 window are compared even though the first one matched');
  for (const call of spy.mock.calls) {
    const [a, b] = call.arguments;
    assert.ok(Buffer.isBuffer(a) && Buffer.isBuffer(b));
    assert.equal(a.length, 6);
    assert.equal(b.length, 6);
  }
  spy.mock.resetCalls();
  const wrongFirst = (Number(c[0]) + 1) % 10 + c.slice(1);
  const wrongLast = c.slice(0, 5) + ((Number(c[5]) + 1) % 10);
  verifyCode({ secret, code: wrongFirst, nowMs: NOW });
  assert.equal(spy.mock.callCount(), 3);
  spy.mock.resetCalls();
  verifyCode({ secret, code: wrongLast, nowMs: NOW });
  assert.equal(spy.mock.callCount(), 3);
  spy.mock.resetCalls();
  verifyCode({ secret, code: c, nowMs: NOW, window: 4 });
  assert.equal(spy.mock.callCount(), 9);
});

test('the verdict comes from timingSafeEqual: if it says "different", even the right code fails', (t) => {
  t.mock.method(crypto, 'timingSafeEqual', () => false);
  assert.deepEqual(verifyCode({ secret, code: code(S), nowMs: NOW }), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S - 1), code2: code(S), nowMs: NOW }), { ok: false, reason: 'invalid' });
});

test('consecutive: code1 = TOTP(T), code2 = TOTP(T+1) accepted, returning T+1 and its drift', () => {
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S - 1), code2: code(S), nowMs: NOW }), { ok: true, step: S, drift: 0 });
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S), code2: code(S + 1), nowMs: NOW }), { ok: true, step: S + 1, drift: 1 });
});

test('consecutive: order matters, gaps and repeats are refused', () => {
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S), code2: code(S - 1), nowMs: NOW }), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S - 2), code2: code(S), nowMs: NOW }), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S), code2: code(S), nowMs: NOW }), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S), code2: '12345', nowMs: NOW }), { ok: false, reason: 'invalid' });
});

test('enable window (default, ±2 min at 30 s) accepts a late pair and refuses an older one', () => {
  assert.equal(stepsForSeconds(120, 30), 4);
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S - 4), code2: code(S - 3), nowMs: NOW }), { ok: true, step: S - 3, drift: -3 });
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S + 3), code2: code(S + 4), nowMs: NOW }), { ok: true, step: S + 4, drift: 4 });
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S - 5), code2: code(S - 4), nowMs: NOW }), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S + 4), code2: code(S + 5), nowMs: NOW }), { ok: false, reason: 'invalid' });
});

test('resync window: ±10 minutes = 20 steps at 30 s (10 at 60 s)', () => {
  const w = stepsForSeconds(600, 30);
  assert.equal(w, 20);
  assert.equal(stepsForSeconds(600, 60), 10);
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S - 20), code2: code(S - 19), nowMs: NOW, window: w }), { ok: true, step: S - 19, drift: -19 });
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S + 19), code2: code(S + 20), nowMs: NOW, window: w }), { ok: true, step: S + 20, drift: 20 });
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S - 21), code2: code(S - 20), nowMs: NOW, window: w }), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S + 20), code2: code(S + 21), nowMs: NOW, window: w }), { ok: false, reason: 'invalid' });
});

test('consecutive respects lastStep: a spent pair is a replay; enrolment codes cannot sign in afterwards', () => {
  const enabled = verifyConsecutive({ secret, code1: code(S - 1), code2: code(S), nowMs: NOW });
  assert.equal(enabled.ok, true);
  const lastStep = enabled.step;
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S - 1), code2: code(S), nowMs: NOW, lastStep }), { ok: false, reason: 'replay' });
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S), code2: code(S + 1), nowMs: NOW, lastStep }), { ok: false, reason: 'replay' }, 'T must itself be after lastStep');
  assert.deepEqual(verifyCode({ secret, code: code(S), nowMs: NOW, lastStep }), { ok: false, reason: 'replay' });
  assert.deepEqual(verifyCode({ secret, code: code(S - 1), nowMs: NOW, lastStep }), { ok: false, reason: 'replay' });
  assert.equal(verifyCode({ secret, code: code(S + 1), nowMs: NOW, lastStep }).ok, true);
});

test('consecutive honours drift as the window centre', () => {
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S + 8), code2: code(S + 9), nowMs: NOW, drift: 6 }), { ok: true, step: S + 9, drift: 9 });
  assert.deepEqual(verifyConsecutive({ secret, code1: code(S - 1), code2: code(S), nowMs: NOW, drift: 6 }), { ok: false, reason: 'invalid' });
});

test('parameters and arguments are validated', () => {
  assert.equal(normalizeParams(undefined), DEFAULT_PARAMS);
  assert.deepEqual(normalizeParams({ algorithm: 'sha256' }), { algorithm: 'SHA256', digits: 6, period: 30 });
  assert.throws(() => normalizeParams({ algorithm: 'MD5' }), TypeError);
  assert.throws(() => normalizeParams({ digits: 7 }), TypeError);
  assert.throws(() => normalizeParams({ period: 45 }), TypeError);
  assert.throws(() => verifyCode({ secret, code: code(S), nowMs: NOW, window: -1 }), RangeError);
  assert.throws(() => verifyCode({ secret, code: code(S), nowMs: NOW, window: 1000 }), RangeError);
  assert.throws(() => verifyCode({ secret, code: code(S), nowMs: NOW, drift: 0.5 }), TypeError);
  assert.throws(() => verifyCode({ secret: illTyped<Uint8Array>('not a buffer'), code: code(S), nowMs: NOW }), TypeError);
});

test('alternating 6- and 8-digit verifications do not disturb each other', () => {
  const p8 = { digits: 8 };
  const c8 = code(S, p8);
  const c6 = code(S);
  assert.equal(c8.slice(2), c6, 'same HOTP value, truncated to fewer digits');
  for (let i = 0; i < 3; i++) {
    assert.equal(verifyCode({ secret, code: c8, nowMs: NOW, params: p8 }).ok, true);
    assert.equal(verifyCode({ secret, code: c6, nowMs: NOW }).ok, true);
    assert.equal(verifyCode({ secret, code: c6, nowMs: NOW, params: p8 }).ok, false);
    assert.equal(verifyCode({ secret, code: c8, nowMs: NOW }).ok, false);
  }
});
