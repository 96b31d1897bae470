// TOTP (RFC 6238) verification policy: windows, drift, replay guard and constant-time comparison.
// Code generation is otpauth's HOTP.generate (RFC 4226 truncation); everything around it is ours.
// Pure: no clock reads unless nowMs is omitted, no storage. The caller persists { lastStep, drift }
// per device and must update them atomically (compare-and-set on lastStep) so that two concurrent
// requests cannot both spend the same code.
import crypto from 'node:crypto'; // default import on purpose: tests observe crypto.timingSafeEqual
import { HOTP, Secret } from 'otpauth';

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';
export type TotpDigits = 6 | 8;
export type TotpPeriod = 30 | 60;
/** A device's code parameters, validated. */
export interface TotpParams {
  readonly algorithm: TotpAlgorithm;
  readonly digits: TotpDigits;
  readonly period: TotpPeriod;
}
/** Parameters as given (an import file, the stored JSON): anything may be missing or wrong until normalizeParams. */
export interface TotpParamsInput {
  readonly algorithm?: unknown;
  readonly digits?: unknown;
  readonly period?: unknown;
}

export const DEFAULT_PARAMS: TotpParams = Object.freeze({ algorithm: 'SHA1', digits: 6, period: 30 });
export const ALGORITHMS: readonly TotpAlgorithm[] = Object.freeze(['SHA1', 'SHA256', 'SHA512']);
export const DIGITS: readonly TotpDigits[] = Object.freeze([6, 8]);
export const PERIODS: readonly TotpPeriod[] = Object.freeze([30, 60]);

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
export function stepsForSeconds(seconds: number, period: number = DEFAULT_PARAMS.period): number {
  return Math.ceil(seconds / period);
}

/** Validates and fills in { algorithm, digits, period }; throws TypeError on anything unsupported. */
export function normalizeParams(params: TotpParamsInput | null | undefined): TotpParams {
  if (params == null) return DEFAULT_PARAMS;
  const algorithm = params.algorithm === undefined ? DEFAULT_PARAMS.algorithm : String(params.algorithm).toUpperCase();
  const digits = params.digits === undefined ? DEFAULT_PARAMS.digits : Number(params.digits);
  const period = params.period === undefined ? DEFAULT_PARAMS.period : Number(params.period);
  if (!isOneOf(ALGORITHMS, algorithm)) throw new TypeError(`unsupported TOTP algorithm: ${String(params.algorithm)}`);
  if (!isOneOf(DIGITS, digits)) throw new TypeError(`unsupported TOTP digits: ${String(params.digits)}`);
  if (!isOneOf(PERIODS, period)) throw new TypeError(`unsupported TOTP period: ${String(params.period)}`);
  if (algorithm === 'SHA1' && digits === 6 && period === 30) return DEFAULT_PARAMS;
  return { algorithm, digits, period };
}

function isOneOf<T>(list: readonly T[], value: unknown): value is T {
  return list.some((x) => x === value);
}

/** 40 random bytes and their 64-character base32 form, like AWS's Base32StringSeed. */
export function generateSeed(): { secret: Buffer; base32: string } {
  const secret = crypto.randomBytes(SEED_BYTES);
  return { secret, base32: base32Encode(secret) };
}

/** RFC 4648 base32, upper case, no padding (what authenticator apps expect). */
export function base32Encode(buf: Uint8Array): string {
  return secretOf(buf).base32;
}

/** Decodes base32 (case-insensitive, spaces and '=' padding ignored); throws TypeError on other characters. */
export function base32Decode(str: string): Buffer {
  if (typeof str !== 'string') throw new TypeError('base32 input must be a string');
  return Buffer.from(Secret.fromBase32(str).bytes);
}

/** Time step number (RFC 6238 T with T0 = 0) for a time in milliseconds. */
export function stepAt(timeMs: number, period: number = DEFAULT_PARAMS.period): number {
  return Math.floor(timeMs / (period * 1000));
}

/** The code for one time step, as a zero-padded decimal string. */
export function codeAt(secret: Uint8Array, step: number, params?: TotpParamsInput | null): string {
  const p = normalizeParams(params);
  return generate(secretOf(secret), step, p);
}

/** True if `code` is a string of exactly `digits` ASCII decimal digits. */
export function isWellFormedCode(code: unknown, digits: number = DEFAULT_PARAMS.digits): code is string {
  return typeof code === 'string' && code.length === digits && CODE_RE.test(code);
}

/** What a code check answers: the accepted step and the drift to store, or why not. */
export type VerifyResult = { readonly ok: true; readonly step: number; readonly drift: number } | VerifyFailure;
export interface VerifyFailure { readonly ok: false; readonly reason: 'invalid' | 'replay' }

/** A device's stored secret and state, as the checks read them. */
export interface CodeCheck {
  readonly secret: Uint8Array;
  readonly nowMs?: number | undefined;
  readonly params?: TotpParamsInput | null | undefined;
  /** The token's offset from our clock, in steps. */
  readonly drift?: number | undefined;
  /** The last accepted step (-1 or null: none yet). */
  readonly lastStep?: number | null | undefined;
  /** Steps either way of the centre. */
  readonly window?: number | undefined;
}

/**
 * Checks one code against steps center-window … center+window, center = stepAt(nowMs) + drift.
 * Every step in the window is computed and compared (no early exit), each with crypto.timingSafeEqual.
 * A matching step <= lastStep is a replay (RFC 6238 §5.2): the code, or an older one, was already used.
 * @returns {{ok: true, step: number, drift: number} | {ok: false, reason: 'invalid' | 'replay'}}
 *   On success store lastStep = step and drift = drift (the token's offset from our clock, in steps).
 */
export function verifyCode({ secret, code, nowMs = Date.now(), params, drift = 0, lastStep = -1, window = VERIFY_WINDOW }: CodeCheck & { readonly code: string }): VerifyResult {
  const p = normalizeParams(params);
  checkInts(drift, window);
  if (!isWellFormedCode(code, p.digits)) return INVALID;
  const key = secretOf(secret);
  const last = lastStep ?? -1;
  const nowStep = stepAt(nowMs, p.period);
  const center = nowStep + drift;
  const input = INPUT[p.digits];
  input.write(code, 'latin1');

  let accepted: number | null = null;
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
export function verifyConsecutive({ secret, code1, code2, nowMs = Date.now(), params, drift = 0, lastStep = -1, window }: CodeCheck & { readonly code1: string; readonly code2: string }): VerifyResult {
  const p = normalizeParams(params);
  const w = window ?? stepsForSeconds(ENABLE_WINDOW_SECONDS, p.period);
  checkInts(drift, w);
  if (!isWellFormedCode(code1, p.digits) || !isWellFormedCode(code2, p.digits)) return INVALID;
  const key = secretOf(secret);
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
const INVALID: VerifyFailure = Object.freeze({ ok: false, reason: 'invalid' });
const REPLAY: VerifyFailure = Object.freeze({ ok: false, reason: 'replay' });
// Scratch buffers reused across calls (verification is synchronous, so no call can interleave).
type ByDigits = Readonly<Record<TotpDigits, Buffer>>;
const INPUT: ByDigits = { 6: Buffer.alloc(6), 8: Buffer.alloc(8) };
const INPUT2: ByDigits = { 6: Buffer.alloc(6), 8: Buffer.alloc(8) };
const EXPECTED: ByDigits = { 6: Buffer.alloc(6), 8: Buffer.alloc(8) };

// HMAC straight from node:crypto on the key bytes, skipping otpauth's defensive Buffer copies.
const hmac = (algorithm: string, key: Uint8Array, message: Uint8Array): Buffer => crypto.createHmac(algorithm, key).update(message).digest();

function generate(key: Secret, step: number, p: TotpParams): string {
  return HOTP.generate({ secret: key, algorithm: p.algorithm, digits: p.digits, counter: step, hmac });
}

function equalsCode(input: Buffer, expectedStr: string): boolean {
  const expected = input.length === 8 ? EXPECTED[8] : EXPECTED[6];
  expected.write(expectedStr, 'latin1');
  return crypto.timingSafeEqual(input, expected);
}

// otpauth copies the key bytes it is given; its types take an ArrayBuffer, so hand it a copy of exactly these bytes
// (a Buffer's own ArrayBuffer may be a shared pool).
function secretOf(buf: unknown): Secret {
  if (!(buf instanceof Uint8Array)) throw new TypeError('secret must be a Buffer or Uint8Array');
  return new Secret({ buffer: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) });
}

function checkInts(drift: number, window: number): void {
  if (!Number.isSafeInteger(drift)) throw new TypeError('drift must be an integer number of steps');
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW) {
    throw new RangeError(`window must be an integer between 0 and ${MAX_WINDOW}`);
  }
}
