// Brute-force regulation for second-factor codes, as pure functions over a stored state
// { failures, lockedUntilMs }. The caller keeps one state per principal (user or root), not per device,
// because a caller picks the SerialNumber: per-device counters would multiply an attacker's rate by the
// number of devices (up to 8). The caller must read-modify-write the state atomically, and must check
// isLocked() BEFORE verifying a code: while locked, even the right code is refused and not evaluated.
//
// Policy (POLICY below) and why:
//   * The first FREE_FAILURES - 1 = 4 consecutive failures cost nothing: typos and a slow phone clock.
//   * The 5th consecutive failure locks for 1 minute; each further failure doubles the lock
//     (2, 4, 8 minutes) up to a ceiling of 15 minutes (Keycloak's default maximum wait). After a
//     lock expires the next failure re-locks at once, so an attacker gets one guess per lock.
//   * 100 consecutive failures disable code sign-in until an administrator resets the state
//     (NIST SP 800-63B §5.2.2: at most 100 consecutive failed attempts per account). A legitimate
//     user never gets there; the ceiling alone would allow ~35,000 guesses a year.
//   * Attempts refused because of a lock are not failures: they do not extend the lock, so hammering
//     during a lock costs the real user nothing more than the lock itself.
//   * One success resets everything.
//
// What that buys against an attacker who already has the password or access key (window ±1 = 3
// acceptable codes per guess, 6 digits, so p = 3/10^6 per guess; see bruteForceOdds below, which
// runs these very functions):
//   with the 100-failure cap: at most 100 guesses until an admin resets:
//       P = 1 - (1 - 3e-6)^100 = 2.9996e-4, i.e. 0.030 % per reset (≈ 100 · 3e-6)
//   with the ceiling alone (no cap), over one year (365 days = 525,600 min):
//       guesses at t = 0 (×5), 1, 3, 7, 15 min, then every 15 min: 9 + floor((525,600 - 15 - 15) / 15)
//       = 35,047 guesses, P = 1 - (1 - 3e-6)^35,047 = 9.98 % per year.
// docs/mfa.md repeats these figures; test/mfa/throttle.test.js checks both against this code.

export const FREE_FAILURES = 5;
export const BASE_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 15 * 60_000;
export const MAX_CONSECUTIVE_FAILURES = 100;
export const YEAR_MS = 365 * 24 * 3600 * 1000;

/** The throttle's parameters (POLICY is the one in force; tests and bruteForceOdds try others). */
export interface ThrottlePolicy {
  readonly freeFailures: number;
  readonly baseLockMs: number;
  readonly maxLockMs: number;
  readonly maxFailures: number;
}
/** One principal's stored throttle state. */
export interface ThrottleState {
  readonly failures: number;
  readonly lockedUntilMs: number;
}

export const POLICY: ThrottlePolicy = Object.freeze({
  freeFailures: FREE_FAILURES,
  baseLockMs: BASE_LOCK_MS,
  maxLockMs: MAX_LOCK_MS,
  maxFailures: MAX_CONSECUTIVE_FAILURES,
});

export const INITIAL_STATE: ThrottleState = Object.freeze({ failures: 0, lockedUntilMs: 0 });

/** True while codes must be refused without being checked (timed lock, or disabled after maxFailures). */
export function isLocked(state: ThrottleState | null | undefined, nowMs: number, policy: ThrottlePolicy = POLICY): boolean {
  const s = state ?? INITIAL_STATE;
  return isDisabled(s, policy) || nowMs < s.lockedUntilMs;
}

/** True once maxFailures consecutive failures were recorded: only an administrator reset unlocks. */
export function isDisabled(state: ThrottleState | null | undefined, policy: ThrottlePolicy = POLICY): boolean {
  return (state?.failures ?? 0) >= policy.maxFailures;
}

/** Lock length after the n-th consecutive failure (0 before freeFailures). */
export function lockDurationMs(failures: number, policy: ThrottlePolicy = POLICY): number {
  if (failures < policy.freeFailures) return 0;
  const exp = Math.min(failures - policy.freeFailures, 40); // 2^40 minutes is past any ceiling
  return Math.min(policy.baseLockMs * 2 ** exp, policy.maxLockMs);
}

/** New state after a wrong (or replayed) code. Unchanged if called while locked. */
export function afterFailure(state: ThrottleState | null | undefined, nowMs: number, policy: ThrottlePolicy = POLICY): ThrottleState {
  const s = state ?? INITIAL_STATE;
  if (isLocked(s, nowMs, policy)) return s;
  const failures = s.failures + 1;
  const lock = lockDurationMs(failures, policy);
  return { failures, lockedUntilMs: lock > 0 ? nowMs + lock : s.lockedUntilMs };
}

/** New state after an accepted code (or an administrator reset). */
export function afterSuccess(): ThrottleState {
  return { failures: 0, lockedUntilMs: 0 };
}

/**
 * The most guesses an attacker can make in durationMs under a policy, by driving isLocked/afterFailure
 * exactly as a caller would: guess whenever not locked, every guess fails.
 */
export function maxGuesses(durationMs: number, policy: ThrottlePolicy = POLICY): number {
  let state = INITIAL_STATE;
  let t = 0;
  let guesses = 0;
  while (t < durationMs) {
    if (isDisabled(state, policy)) break;
    if (isLocked(state, t, policy)) {
      t = state.lockedUntilMs;
      continue;
    }
    guesses++;
    state = afterFailure(state, t, policy);
  }
  return guesses;
}

/**
 * Attacker's chance to hit a valid code within durationMs: each guess matches one of (2·window + 1)
 * codes of `digits` digits, so p = (2w+1)/10^digits and P = 1 - (1 - p)^guesses.
 */
export function bruteForceOdds({ durationMs = YEAR_MS, window = 1, digits = 6, policy = POLICY }: {
  readonly durationMs?: number; readonly window?: number; readonly digits?: number; readonly policy?: ThrottlePolicy;
} = {}): { guesses: number; perGuess: number; probability: number } {
  const guesses = maxGuesses(durationMs, policy);
  const perGuess = (2 * window + 1) / 10 ** digits;
  const probability = -Math.expm1(guesses * Math.log1p(-perGuess));
  return { guesses, perGuess, probability };
}
