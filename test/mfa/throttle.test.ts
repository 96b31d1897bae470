// Brute-force throttle: lock sequence, ceiling, hard cap, reset, and the documented attacker odds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sourcePath } from '../../src/paths.js';
import {
  FREE_FAILURES, BASE_LOCK_MS, MAX_LOCK_MS, MAX_CONSECUTIVE_FAILURES, POLICY, INITIAL_STATE,
  isLocked, isDisabled, afterFailure, afterSuccess, lockDurationMs, maxGuesses, bruteForceOdds,
} from '../../src/mfa/throttle.js';

const MIN = 60_000;

test('constants are what the docs say', () => {
  assert.equal(FREE_FAILURES, 5);
  assert.equal(BASE_LOCK_MS, MIN);
  assert.equal(MAX_LOCK_MS, 15 * MIN);
  assert.equal(MAX_CONSECUTIVE_FAILURES, 100);
});

test('four failures cost nothing; the fifth locks for one minute', () => {
  let s = INITIAL_STATE;
  const t0 = 1_000_000;
  for (let i = 1; i <= 4; i++) {
    s = afterFailure(s, t0);
    assert.deepEqual(s, { failures: i, lockedUntilMs: 0 });
    assert.equal(isLocked(s, t0), false);
  }
  s = afterFailure(s, t0);
  assert.deepEqual(s, { failures: 5, lockedUntilMs: t0 + MIN });
  assert.equal(isLocked(s, t0), true);
  assert.equal(isLocked(s, t0 + MIN - 1), true);
  assert.equal(isLocked(s, t0 + MIN), false);
});

test('each further failure doubles the lock up to the 15-minute ceiling', () => {
  assert.deepEqual([4, 5, 6, 7, 8, 9, 10, 50].map((n) => lockDurationMs(n) / MIN), [0, 1, 2, 4, 8, 15, 15, 15]);
  let s = { failures: 5, lockedUntilMs: 0 };
  let t = 0;
  const locks = [];
  for (let i = 0; i < 6; i++) {
    s = afterFailure(s, t);
    locks.push((s.lockedUntilMs - t) / MIN);
    t = s.lockedUntilMs;
  }
  assert.deepEqual(locks, [2, 4, 8, 15, 15, 15]);
});

test('failures reported while locked change nothing (no lock extension, no count)', () => {
  const s = afterFailure({ failures: 4, lockedUntilMs: 0 }, 0);
  assert.equal(afterFailure(s, 30_000), s);
  assert.deepEqual(afterFailure(s, MIN), { failures: 6, lockedUntilMs: MIN + 2 * MIN });
});

test('a success resets everything', () => {
  assert.deepEqual(afterSuccess(), { failures: 0, lockedUntilMs: 0 });
  let s = afterSuccess();
  for (let i = 0; i < 4; i++) s = afterFailure(s, 0);
  assert.equal(isLocked(s, 0), false);
});

test('100 consecutive failures disable code sign-in until reset, whatever the clock says', () => {
  let s = INITIAL_STATE;
  let t = 0;
  while (!isDisabled(s)) {
    if (isLocked(s, t)) t = s.lockedUntilMs;
    s = afterFailure(s, t);
  }
  assert.equal(s.failures, 100);
  assert.equal(isLocked(s, t + 10 * 365 * 24 * 3600 * 1000), true);
  assert.equal(afterFailure(s, t + 1e12), s);
  assert.equal(isLocked(afterSuccess(), t), false);
});

test('missing state means a fresh one', () => {
  assert.equal(isLocked(undefined, 0), false);
  assert.deepEqual(afterFailure(null, 5), { failures: 1, lockedUntilMs: 0 });
});

test('maxGuesses drives the real functions: 100 with the cap, 35,047 a year without it', () => {
  assert.equal(maxGuesses(365 * 24 * 3600 * 1000), 100);
  const noCap = { ...POLICY, maxFailures: Infinity };
  assert.equal(maxGuesses(15 * MIN + 1, noCap), 9, 'guesses at 0 (×5), 1, 3, 7 and 15 minutes');
  assert.equal(maxGuesses(365 * 24 * 3600 * 1000, noCap), 9 + Math.floor((525_600 - 15 - 15) / 15));
  assert.equal(maxGuesses(365 * 24 * 3600 * 1000, noCap), 35_047);
});

test('bruteForceOdds: p = 3/10^6 per guess with window ±1; P = 1-(1-p)^n', () => {
  const capped = bruteForceOdds();
  assert.equal(capped.guesses, 100);
  assert.equal(capped.perGuess, 3e-6);
  assert.ok(Math.abs(capped.probability - (1 - (1 - 3e-6) ** 100)) / capped.probability < 1e-9, "matches the naive formula");
  assert.equal(capped.probability.toExponential(4), '2.9996e-4');
  const uncapped = bruteForceOdds({ policy: { ...POLICY, maxFailures: Infinity } });
  assert.equal(uncapped.guesses, 35_047);
  assert.equal((uncapped.probability * 100).toFixed(2), '9.98');
  // window 0 would divide the per-guess chance by three
  assert.equal(bruteForceOdds({ window: 0 }).perGuess, 1e-6);
});

test('docs/mfa.md and the throttle.ts comment state exactly these figures', () => {
  const capped = bruteForceOdds();
  const uncapped = bruteForceOdds({ policy: { ...POLICY, maxFailures: Infinity } });
  const figures = [
    capped.probability.toExponential(4), // 2.9996e-4
    `${(capped.probability * 100).toFixed(3)} %`, // 0.030 %
    uncapped.guesses.toLocaleString('en-US'), // 35,047
    `${(uncapped.probability * 100).toFixed(2)} %`, // 9.98 %
  ];
  const doc = readFileSync(sourcePath('docs', 'mfa.md'), 'utf8');
  const src = readFileSync(sourcePath('src', 'mfa', 'throttle.ts'), 'utf8');
  for (const f of figures) {
    assert.ok(doc.includes(f), `docs/mfa.md mentions ${f}`);
    assert.ok(src.includes(f), `throttle.ts comment mentions ${f}`);
  }
});
