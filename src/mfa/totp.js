// TOTP (RFC 6238) verification policy: windows, drift, replay guard and constant-time comparison.
// Code generation is otpauth's HOTP.generate (RFC 4226 truncation); everything around it is ours.
// Pure: no clock reads unless nowMs is omitted, no storage. The caller persists { lastStep, drift }
// per device and must update them atomically (compare-and-set on lastStep) so that two concurrent
// requests cannot both spend the same code.
import crypto from 'node:crypto'; // default import on purpose: tests observe crypto.timingSafeEqual
import { HOTP, Secret } from 'otpauth';

export const DEFAULT_PARAMS = Object.freeze({ algorithm: 'SHA1', digits: 6, period: 30 });
export const ALGORITHMS = Object.freeze(['SHA1', 'SHA256', 'SHA512']);
export const DIGITS = Object.freeze([6, 8]);
export const PERIODS = Object.freeze([30, 60]);

// AWS virtual MFA seeds are 64 base32 characters = 40 bytes = 320 bits.
export const SEED_BYTES = 40;

// Sign-in (GetSessionToken, console): ±1 step around now+drift, the common practice (Keycloak, Authelia, Vault).
export const VERIFY_WINDOW = 1;
// EnableMFADevice: the pair may be typed slowly or submitted late (AWS accepts that), so ±2 minutes.
export const ENABLE_WINDOW_SECONDS = 120;
// ResyncMFADevice: a token whose clock is off by up to 10 minutes either way can be re-anchored.
export const RESYNC_WINDOW_SECONDS = 600;
// Hard cap on any window so a caller bug cannot turn one request into thousands of HMACs.
export const MAX_WINDOW = 120;

/** Window in steps that covers `seconds` either way at the given period (20 steps for 600 s at 30 s). */
export function stepsForSeconds(seconds, period = DEFAULT_PARAMS.period) {
  return Math.ceil(seconds / period);
}

/** Validates and fills in { algorithm, digits, period }; throws TypeError on anything unsupported. */
export function normalizeParams(params) {
  if (params == null) return DEFAULT_PARAMS;
  const algorithm = params.algorithm === undefined ? DEFAULT_PARAMS.algorithm : String(params.algorithm).toUpperCase();
  const digits = params.digits === undefined ? DEFAULT_PARAMS.digits : Number(params.digits);
  const period = params.period === undefined ? DEFAULT_PARAMS.period : Number(params.period);
  if (!ALGORITHMS.includes(algorithm)) throw new TypeError(`unsupported TOTP algorithm: ${params.algorithm}`);
  if (!DIGITS.includes(digits)) throw new TypeError(`unsupported TOTP digits: ${params.digits}`);
  if (!PERIODS.includes(period)) throw new TypeError(`unsupported TOTP period: ${params.period}`);
  if (algorithm === 'SHA1' && digits === 6 && period === 30) return DEFAULT_PARAMS;
  return { algorithm, digits, period };
}

/** 40 random bytes and their 64-character base32 form, like AWS's Base32StringSeed. */
export function generateSeed() {
  const secret = crypto.randomBytes(SEED_BYTES);
  return { secret, base32: base32Encode(secret) };
}

/** RFC 4648 base32, upper case, no padding (what authenticator apps expect). */
export function base32Encode(buf) {
  return new Secret({ buffer: toBytes(buf) }).base32;
}

/** Decodes base32 (case-insensitive, spaces and '=' padding ignored); throws TypeError on other characters. */
export function base32Decode(str) {
  if (typeof str !== 'string') throw new TypeError('base32 input must be a string');
  return Buffer.from(Secret.fromBase32(str).bytes);
}

/** Time step number (RFC 6238 T with T0 = 0) for a time in milliseconds. */
export function stepAt(timeMs, period = DEFAULT_PARAMS.period) {
  return Math.floor(timeMs / (period * 1000));
}

/** The code for one time step, as a zero-padded decimal string. */
export function codeAt(secret, step, params) {
  const p = normalizeParams(params);
  return generate(new Secret({ buffer: toBytes(secret) }), step, p);
}

/** True if `code` is a string of exactly `digits` ASCII decimal digits. */
export function isWellFormedCode(code, digits = DEFAULT_PARAMS.digits) {
  return typeof code === 'string' && code.length === digits && CODE_RE.test(code);
}

/**
 * Checks one code against steps center-window … center+window, center = stepAt(nowMs) + drift.
 * Every step in the window is computed and compared (no early exit), each with crypto.timingSafeEqual.
 * A matching step <= lastStep is a replay (RFC 6238 §5.2): the code, or an older one, was already used.
 * @returns {{ok: true, step: number, drift: number} | {ok: false, reason: 'invalid' | 'replay'}}
 *   On success store lastStep = step and drift = drift (the token's offset from our clock, in steps).
 */
export function verifyCode({ secret, code, nowMs = Date.now(), params, drift = 0, lastStep = -1, window = VERIFY_WINDOW }) {
  const p = normalizeParams(params);
  checkInts(drift, window);
  if (!isWellFormedCode(code, p.digits)) return INVALID;
  const key = new Secret({ buffer: toBytes(secret) });
  const last = lastStep ?? -1;
  const nowStep = stepAt(nowMs, p.period);
  const center = nowStep + drift;
  const input = INPUT[p.digits];
  input.write(code, 'latin1');

  let accepted = null;
  let replayed = false;
  // Order: center, center-1, center+1, center-2, … so the closest step wins if two steps share a code.
  for (let i = 0; i <= 2 * window; i++) {
    const step = center + (i & 1 ? -((i + 1) >> 1) : i >> 1);
    if (step < 0) continue;
    if (equalsCode(input, generate(key, step, p))) {
      if (step > last) accepted ??= step;
      else replayed = true;
    }
  }
  if (accepted !== null) return { ok: true, step: accepted, drift: accepted - nowStep };
  return replayed ? REPLAY : INVALID;
}

/**
 * Checks two consecutive codes (EnableMFADevice, ResyncMFADevice): code1 = TOTP(T), code2 = TOTP(T+1),
 * with T and T+1 both inside center-window … center+window and T > lastStep. If several T match
 * (a collision, ~1e-6 per step), the most recent one wins.
 * @returns {{ok: true, step: number, drift: number} | {ok: false, reason: 'invalid' | 'replay'}}
 *   step = T+1 (store it as lastStep: both codes are now spent), drift = T+1 - stepAt(nowMs).
 */
export function verifyConsecutive({ secret, code1, code2, nowMs = Date.now(), params, drift = 0, lastStep = -1, window }) {
  const p = normalizeParams(params);
  const w = window ?? stepsForSeconds(ENABLE_WINDOW_SECONDS, p.period);
  checkInts(drift, w);
  if (!isWellFormedCode(code1, p.digits) || !isWellFormedCode(code2, p.digits)) return INVALID;
  const key = new Secret({ buffer: toBytes(secret) });
  const last = lastStep ?? -1;
  const nowStep = stepAt(nowMs, p.period);
  const first = nowStep + drift - w;
  const n = 2 * w + 1;
  const in1 = INPUT[p.digits];
  const in2 = INPUT2[p.digits];
  in1.write(code1, 'latin1');
  in2.write(code2, 'latin1');

  // One HMAC per step; both codes are compared against every step (no early exit).
  const m1 = new Uint8Array(n);
  const m2 = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const step = first + i;
    if (step < 0) continue;
    const expected = generate(key, step, p);
    m1[i] = equalsCode(in1, expected) ? 1 : 0;
    m2[i] = equalsCode(in2, expected) ? 1 : 0;
  }
  let replayed = false;
  for (let i = n - 2; i >= 0; i--) {
    if (m1[i] && m2[i + 1]) {
      const t = first + i;
      if (t > last) return { ok: true, step: t + 1, drift: t + 1 - nowStep };
      replayed = true;
    }
  }
  return replayed ? REPLAY : INVALID;
}

// ---------------------------------------------------------------------------------------------------

const CODE_RE = /^[0-9]+$/;
const INVALID = Object.freeze({ ok: false, reason: 'invalid' });
const REPLAY = Object.freeze({ ok: false, reason: 'replay' });
// Scratch buffers reused across calls (verification is synchronous, so no call can interleave).
const INPUT = { 6: Buffer.alloc(6), 8: Buffer.alloc(8) };
const INPUT2 = { 6: Buffer.alloc(6), 8: Buffer.alloc(8) };
const EXPECTED = { 6: Buffer.alloc(6), 8: Buffer.alloc(8) };

// HMAC straight from node:crypto on the key bytes, skipping otpauth's defensive Buffer copies.
const hmac = (algorithm, key, message) => crypto.createHmac(algorithm, key).update(message).digest();

function generate(key, step, p) {
  return HOTP.generate({ secret: key, algorithm: p.algorithm, digits: p.digits, counter: step, hmac });
}

function equalsCode(input, expectedStr) {
  const expected = EXPECTED[input.length];
  expected.write(expectedStr, 'latin1');
  return crypto.timingSafeEqual(input, expected);
}

function toBytes(buf) {
  if (buf instanceof Uint8Array) return buf;
  throw new TypeError('secret must be a Buffer or Uint8Array');
}

function checkInts(drift, window) {
  if (!Number.isSafeInteger(drift)) throw new TypeError('drift must be an integer number of steps');
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW) {
    throw new RangeError(`window must be an integer between 0 and ${MAX_WINDOW}`);
  }
}
