// Codes computed independently by oathtool (OATH Toolkit, Debian package "oathtool") must verify.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateSeed, stepAt, verifyCode, verifyConsecutive, codeAt } from '../../src/mfa/totp.js';
import type { TotpParams } from '../../src/mfa/totp.js';
import { requireTool, skipWithout } from '../helpers/tools.js';

// Skipped with a message where oathtool is missing; in CI (CI=true) the tests run and fail instead.
const skip = skipWithout('oathtool');

function oath(hexKey: string, unixSeconds: number, { algorithm = 'SHA1', digits = 6, period = 30 }: Partial<TotpParams> = {}): string {
  requireTool('oathtool');
  const out = execFileSync('oathtool', [
    `--totp=${algorithm.toLowerCase()}`, '-d', String(digits), '-s', `${period}s`, '-N', `@${unixSeconds}`, hexKey,
  ], { encoding: 'utf8' });
  return out.trim();
}

const NOW_S = 1767225615; // 2026-01-01T00:00:15Z, mid-step for 30 s periods
const NOW_MS = NOW_S * 1000;

test('oathtool agrees with the RFC 6238 vector (sanity of the oracle itself)', { skip }, () => {
  assert.equal(oath('3132333435363738393031323334353637383930', 59, { digits: 8 }), '94287082');
});

for (const params of [
  { algorithm: 'SHA1', digits: 6, period: 30 },
  { algorithm: 'SHA256', digits: 8, period: 30 },
  { algorithm: 'SHA512', digits: 6, period: 60 },
] satisfies TotpParams[]) {
  const label = `${params.algorithm}/${params.digits}/${params.period}`;

  test(`oathtool codes for a fresh 320-bit seed verify (${label}), window edges hold`, { skip }, () => {
    const { secret } = generateSeed();
    const hex = secret.toString('hex');
    const p = params.period;
    const nowStep = stepAt(NOW_MS, p);
    for (const offset of [-2, -1, 0, 1, 2]) {
      const code = oath(hex, NOW_S + offset * p, params);
      assert.equal(code, codeAt(secret, nowStep + offset, params), `our generator agrees at offset ${offset}`);
      const r = verifyCode({ secret, code, nowMs: NOW_MS, params });
      if (Math.abs(offset) <= 1) assert.deepEqual(r, { ok: true, step: nowStep + offset, drift: offset }, `offset ${offset}`);
      else assert.deepEqual(r, { ok: false, reason: 'invalid' }, `offset ${offset} is outside ±1`);
    }
  });
}

test('oathtool consecutive codes enable and resync', { skip }, () => {
  const { secret } = generateSeed();
  const hex = secret.toString('hex');
  const nowStep = stepAt(NOW_MS);
  const c1 = oath(hex, NOW_S - 60);
  const c2 = oath(hex, NOW_S - 30);
  assert.deepEqual(verifyConsecutive({ secret, code1: c1, code2: c2, nowMs: NOW_MS }), { ok: true, step: nowStep - 1, drift: -1 });
  // a token 8 minutes slow: only a resync-sized window finds it
  const r1 = oath(hex, NOW_S - 480);
  const r2 = oath(hex, NOW_S - 450);
  assert.deepEqual(verifyConsecutive({ secret, code1: r1, code2: r2, nowMs: NOW_MS }), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyConsecutive({ secret, code1: r1, code2: r2, nowMs: NOW_MS, window: 20 }), { ok: true, step: nowStep - 15, drift: -15 });
});
