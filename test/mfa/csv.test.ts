// CSV seed import: formats, the hex/base32 detection rule, and line-numbered errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv, decodeSeed } from '../../src/mfa/import/csv.js';
import { TokenImportError } from '../../src/mfa/import/common.js';
import { codeAt } from '../../src/mfa/totp.js';

const HEX = '3132333435363738393031323334353637383930';
const B32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // same 20 bytes
const SEED = Buffer.from('12345678901234567890');

function errorsOf(text: string): [number | undefined, string][] {
  try {
    parseCsv(text);
  } catch (err) {
    assert.ok(err instanceof TokenImportError);
    return err.errors.map((e) => [e.line, e.code]);
  }
  assert.fail('expected a TokenImportError');
}

test('minimal file: serial,seed with hex and base32 seeds, defaults filled in', () => {
  const tokens = parseCsv(`GAHT12345678,${HEX}\nGAHT12345679,${B32}\n`);
  assert.deepEqual(tokens, [
    { serialNumber: 'GAHT12345678', secret: SEED, params: { algorithm: 'SHA1', digits: 6, period: 30 } },
    { serialNumber: 'GAHT12345679', secret: SEED, params: { algorithm: 'SHA1', digits: 6, period: 30 } },
  ]);
  assert.equal(codeAt(tokens[1]!.secret, 1), '287082'); // two tokens: checked just above
});

test('header, comments, blank lines, CRLF, BOM, quotes, optional columns and lower-case base32', () => {
  const text = '\uFEFF# exported 2026-01-01\r\nSerial,Seed,Digits,Period,Algorithm\r\n\r\n'
    + `"GAHT00000001" , ${HEX.toUpperCase()} ,8,60,sha-256\r\n`
    + `  # a comment line\r\nGAHT00000002,${B32.toLowerCase()},,,HMAC-SHA512\r\nGAHT00000003,${B32}======,6,30,SHA1`;
  const tokens = parseCsv(text);
  assert.deepEqual(tokens.map((t) => [t.serialNumber, t.params]), [
    ['GAHT00000001', { algorithm: 'SHA256', digits: 8, period: 60 }],
    ['GAHT00000002', { algorithm: 'SHA512', digits: 6, period: 30 }],
    ['GAHT00000003', { algorithm: 'SHA1', digits: 6, period: 30 }],
  ]);
  for (const t of tokens) assert.deepEqual(t.secret, SEED);
});

test('seed detection: hex when it can be, else base32; prefixes force either', () => {
  // only A-F and 2-7, even length: valid in both alphabets, read as hex
  const ambiguous = 'ABCDEF234567ABCDEF234567ABCDEF23';
  assert.deepEqual(decodeSeed(ambiguous), Buffer.from(ambiguous, 'hex'));
  assert.equal(decodeSeed(`base32:${ambiguous}`).length, 20);
  assert.notDeepEqual(decodeSeed(`base32:${ambiguous}`), Buffer.from(ambiguous, 'hex'));
  assert.deepEqual(decodeSeed(`hex:${HEX}`), SEED);
  assert.deepEqual(decodeSeed(`BASE32:${B32}`), SEED);
  // odd-length hex-looking text that is not base32 either
  assert.throws(() => decodeSeed('1234567890abcdef1'), /neither hex .* nor base32/);
  assert.throws(() => decodeSeed('hex:abc'), /even number/);
  assert.throws(() => decodeSeed('base32:GEZDGNBVG'), /not canonical/, '9 characters leave stray bits');
  assert.throws(() => decodeSeed('GEZDGNBVGY3TQOJ'), /not canonical/, '15 characters: 3 non-zero trailing bits');
  assert.throws(() => decodeSeed('seed-with-dash'), /neither hex/);
});

test('errors carry 1-based line numbers, all bad lines are reported', () => {
  const text = [
    '# comment', // 1
    `SHORT,${HEX}`, // 2 bad serial
    `GAHT00000001,${HEX.slice(0, 24)}`, // 3 96-bit seed
    `GAHT00000002,${HEX},7`, // 4 digits
    `GAHT00000003,${HEX},6,45`, // 5 period
    `GAHT00000004,${HEX},6,30,MD5`, // 6 algorithm
    `GAHT00000005,${HEX},6,30,SHA1,extra`, // 7 too many fields
    'GAHT00000006', // 8 missing seed
    `GAHT00000007,${HEX}`, // 9 fine
    `GAHT00000007,${HEX}`, // 10 duplicate
    'GAHT00000008,not!a!seed', // 11 bad seed
    `GAHT0000 0009,${HEX}`, // 12 space in serial
  ].join('\n');
  assert.deepEqual(errorsOf(text), [
    [2, 'BAD_SERIAL'], [3, 'BAD_SEED'], [4, 'BAD_DIGITS'], [5, 'BAD_PERIOD'], [6, 'BAD_ALGORITHM'],
    [7, 'TOO_MANY_FIELDS'], [8, 'MISSING_FIELD'], [10, 'DUPLICATE_SERIAL'], [11, 'BAD_SEED'], [12, 'BAD_SERIAL'],
  ]);
  assert.throws(() => parseCsv(text), /line 10: serial number "GAHT00000007" already appears on line 9/);
  assert.throws(() => parseCsv(text), /line 3: seed is 96 bits; at least 128 bits are required/);
});

test('a bad header, or a file with no tokens, is an error', () => {
  assert.deepEqual(errorsOf(`serial,secret\nGAHT00000001,${HEX}`), [[1, 'BAD_HEADER']]);
  assert.deepEqual(errorsOf('# nothing here\n\n'), [[undefined, 'EMPTY']]);
  assert.deepEqual(errorsOf('serial,seed\n'), [[undefined, 'EMPTY']]);
});

test('serial length bounds are 9 and 256', () => {
  assert.equal(parseCsv(`${'A'.repeat(9)},${HEX}`)[0]?.serialNumber, 'AAAAAAAAA');
  assert.equal(parseCsv(`${'A'.repeat(256)},${HEX}`).length, 1);
  assert.deepEqual(errorsOf(`${'A'.repeat(8)},${HEX}`), [[1, 'BAD_SERIAL']]);
  assert.deepEqual(errorsOf(`${'A'.repeat(257)},${HEX}`), [[1, 'BAD_SERIAL']]);
  assert.equal(parseCsv(`arn:aws:iam::123456789012:mfa/x+=.@_-,${HEX}`).length, 1, 'all of [\\w+=/:,.@-] except "," which separates fields');
});
