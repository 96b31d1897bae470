// TOTP verification throughput on one core, against the raw HMAC-SHA1 work it cannot avoid.
//   npm run build && node dist/bench/totp-verify.js   (about 15 s; BENCH_SECONDS=1 for a quick look)
// Worst case for verifyCode with window ±1: a well-formed but wrong code, so all 3 steps are computed
// and compared. The baseline does only what any verifier must: 3 × crypto.createHmac('sha1') over an
// 8-byte counter with the same 40-byte key. Target: verifyCode within 2x of the baseline.
import crypto from 'node:crypto';
import os from 'node:os';
import { verifyCode, codeAt, stepAt, generateSeed } from '../src/mfa/totp.js';

const ROUND_SECONDS = Number(process.env['BENCH_SECONDS'] ?? 1.5);
const ROUNDS = 5;

const { secret } = generateSeed();
const nowMs = 1767225615000;
const nowStep = stepAt(nowMs);
const valid = new Set([-1, 0, 1].map((d) => codeAt(secret, nowStep + d)));
let wrong = 0;
while (valid.has(String(wrong).padStart(6, '0'))) wrong++;
const wrongCode = String(wrong).padStart(6, '0');
if (verifyCode({ secret, code: wrongCode, nowMs }).ok) throw new Error('benchmark code unexpectedly valid');

function runVerify(n: number): number {
  let ok = 0;
  for (let i = 0; i < n; i++) if (verifyCode({ secret, code: wrongCode, nowMs }).ok) ok++;
  return ok;
}

const counter = Buffer.alloc(8);
function runRaw(n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    for (let s = nowStep - 1; s <= nowStep + 1; s++) {
      counter.writeUInt32BE(Math.floor(s / 2 ** 32), 0);
      counter.writeUInt32BE(s >>> 0, 4);
      acc ^= crypto.createHmac('sha1', secret).update(counter).digest()[19]!; // a SHA-1 digest has 20 bytes
    }
  }
  return acc;
}

// Runs fn in batches for ~seconds and returns operations per second.
function measure(fn: (n: number) => number, seconds: number): number {
  const batch = 2000;
  let ops = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < limit) {
    fn(batch);
    ops += batch;
    elapsed = process.hrtime.bigint() - start;
  }
  return ops / (Number(elapsed) / 1e9);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!; // of ROUNDS (5) rates

measure(runVerify, 0.5); // warm-up: JIT both paths
measure(runRaw, 0.5);
const verifyRates: number[] = [];
const rawRates: number[] = [];
for (let r = 0; r < ROUNDS; r++) { // interleaved so frequency scaling hits both alike
  verifyRates.push(measure(runVerify, ROUND_SECONDS));
  rawRates.push(measure(runRaw, ROUND_SECONDS));
}
const v = median(verifyRates);
const raw = median(rawRates);
const ratio = raw / v;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

console.log(`TOTP verify benchmark (${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, 1 core)`);
console.log(`  verifyCode, window ±1, wrong code (3 HMAC-SHA1): ${fmt(v)} verifications/s`);
console.log(`  raw 3 × crypto.createHmac('sha1') baseline:      ${fmt(raw)} verifications/s (${fmt(raw * 3)} HMACs/s)`);
console.log(`  cost ratio verifyCode / raw: ${ratio.toFixed(2)}x (target ≤ 2.00x) ${ratio <= 2 ? 'OK' : 'OVER TARGET'}`);
console.log(`  medians of ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s each`);
console.log('  reproduce: node dist/bench/totp-verify.js');
