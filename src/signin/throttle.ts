// Password guessing on the console's sign-in forms, regulated like MFA codes (src/mfa/throttle's pure functions,
// with policies of their own) and stored in the database, so the bound holds across every node:
//   - per principal AS TYPED (account id or alias resolved to the account id when it exists, user name without
//     case; root: the email without case), so an unknown name is throttled exactly like a known one (no
//     enumeration): 5 free failures, then 1, 2, 4, 8 minutes up to 15. No hard stop: passwords are guessed by
//     strangers, and a permanent lock would let anyone lock anyone out;
//   - per client address: 20 free failures (offices behind one address), then the same back-off; this bounds
//     password spraying across many names.
// Each attempt is counted as a failure BEFORE the password is checked (in one short transaction holding the
// subjects' rows), so parallel guesses cannot all slip through before the first failure is written; a right
// password then takes it back. Quiet for an hour, a subject starts again from nothing.
import { afterFailure, afterSuccess, isLocked } from '../mfa/index.js';
import type { ThrottlePolicy } from '../mfa/index.js';
import type { ConsoleStore, SigninThrottleState } from '../store/console-store.js';

export const PRINCIPAL_POLICY: ThrottlePolicy = Object.freeze({ freeFailures: 5, baseLockMs: 60_000, maxLockMs: 15 * 60_000, maxFailures: Number.MAX_SAFE_INTEGER });
export const ADDRESS_POLICY: ThrottlePolicy = Object.freeze({ freeFailures: 20, baseLockMs: 60_000, maxLockMs: 15 * 60_000, maxFailures: Number.MAX_SAFE_INTEGER });
export const QUIET_RESET_MS = 3600_000;

/** A subject of the throttle and the policy it is held to. */
export interface ThrottleSubject { readonly key: string; readonly policy: ThrottlePolicy }

export const principalSubject = (key: string): ThrottleSubject => ({ key: `principal|${key}`, policy: PRINCIPAL_POLICY });
export const addressSubject = (ip: string | undefined): ThrottleSubject => ({ key: `address|${ip ?? 'unknown'}`, policy: ADDRESS_POLICY });

/** What an attempt holds until it is settled: the states before and after its pre-counted failure. */
export interface Attempt {
  readonly subjects: readonly ThrottleSubject[];
  readonly before: readonly SigninThrottleState[];
  readonly after: readonly SigninThrottleState[];
}

/** The result of opening an attempt: refused while any subject is locked (nothing is counted then). */
export type AttemptResult = { readonly ok: true; readonly attempt: Attempt } | { readonly ok: false; readonly retryAfterMs: number };

function fresh(s: SigninThrottleState, nowMs: number): SigninThrottleState {
  return s.failures > 0 && nowMs - s.lastFailureMs > QUIET_RESET_MS && nowMs >= s.lockedUntilMs ? { failures: 0, lockedUntilMs: 0, lastFailureMs: 0 } : s;
}

/** Checks the subjects' locks and counts this attempt as a failure of each, in one transaction. */
export function openAttempt(store: ConsoleStore, subjects: readonly ThrottleSubject[], nowMs: number): Promise<AttemptResult> {
  // One lock order for every caller (by key), so two attempts never deadlock.
  const ordered = [...subjects].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return store.db.tx(async (tx): Promise<AttemptResult> => {
    const before: SigninThrottleState[] = [];
    for (const s of ordered) before.push(fresh(await store.lockThrottle(s.key, tx), nowMs));
    const locked = ordered.map((s, i) => (isLocked(before[i], nowMs, s.policy) ? before[i]!.lockedUntilMs - nowMs : 0)); // before has one state per subject
    const wait = Math.max(...locked);
    if (wait > 0) return { ok: false, retryAfterMs: wait };
    const after = ordered.map((s, i) => ({ ...afterFailure(before[i], nowMs, s.policy), lastFailureMs: nowMs }));
    for (const [i, s] of ordered.entries()) await store.setThrottle(s.key, after[i]!, tx); // after has one state per subject
    return { ok: true, attempt: { subjects: ordered, before, after } };
  });
}

/**
 * The password was right: the principal's subject starts again from nothing; the address gets its pre-counted
 * failure back (unless another attempt has written since, which then stands).
 */
export async function settleSuccess(store: ConsoleStore, attempt: Attempt, principalKey: string): Promise<void> {
  await store.db.tx(async (tx) => {
    for (const [i, s] of attempt.subjects.entries()) {
      const now = await store.lockThrottle(s.key, tx);
      if (s.key === principalKey) {
        await store.setThrottle(s.key, { ...afterSuccess(), lastFailureMs: 0 }, tx);
        continue;
      }
      const wrote = attempt.after[i];
      const prev = attempt.before[i];
      if (wrote && prev && now.failures === wrote.failures && now.lockedUntilMs === wrote.lockedUntilMs) await store.setThrottle(s.key, prev, tx);
    }
  });
}
