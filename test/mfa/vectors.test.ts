// RFC 4226 Appendix D and RFC 6238 Appendix B test vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeAt, stepAt, verifyCode } from '../../src/mfa/totp.js';

const SEED20 = Buffer.from('12345678901234567890');
const SEED32 = Buffer.from('12345678901234567890123456789012');
const SEED64 = Buffer.from('1234567890'.repeat(6) + '1234');

test('RFC 4226 Appendix D: HOTP values for counters 0..9', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  expected.forEach((code, counter) => assert.equal(codeAt(SEED20, counter), code, `counter ${counter}`));
});

const RFC6238: [number, string, string, string, string][] = [
  // [unix seconds, T (hex), SHA1, SHA256, SHA512]
  [59, '0000000000000001', '94287082', '46119246', '90693936'],
  [1111111109, '00000000023523EC', '07081804', '68084774', '25091201'],
  [1111111111, '00000000023523ED', '14050471', '67062674', '99943326'],
  [1234567890, '000000000273EF07', '89005924', '91819424', '93441116'],
  [2000000000, '0000000003F940AA', '69279037', '90698825', '38618901'],
  [20000000000, '0000000027BC86AA', '65353130', '77737706', '47863826'],
];

for (const [secs, hexT, sha1, sha256, sha512] of RFC6238) {
  test(`RFC 6238 Appendix B at t=${secs}`, () => {
    const step = stepAt(secs * 1000, 30);
    assert.equal(step, parseInt(hexT, 16));
    assert.equal(codeAt(SEED20, step, { algorithm: 'SHA1', digits: 8 }), sha1);
    assert.equal(codeAt(SEED32, step, { algorithm: 'SHA256', digits: 8 }), sha256);
    assert.equal(codeAt(SEED64, step, { algorithm: 'SHA512', digits: 8 }), sha512);
    // and the verifier accepts each of them at that instant, reporting that step and zero drift
    for (const [secret, algorithm, code] of [[SEED20, 'SHA1', sha1], [SEED32, 'SHA256', sha256], [SEED64, 'SHA512', sha512]] as const) {
      assert.deepEqual(
        verifyCode({ secret, code, nowMs: secs * 1000, params: { algorithm, digits: 8 } }),
        { ok: true, step, drift: 0 },
      );
    }
  });
}

test('6-digit codes are the last six digits of the 8-digit RFC 6238 values', () => {
  assert.equal(codeAt(SEED20, 1), '287082');
  assert.equal(codeAt(SEED20, stepAt(1111111109000)), '081804');
});
