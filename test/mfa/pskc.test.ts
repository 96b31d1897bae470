// RFC 6030 PSKC import: the RFC's own examples, TOTP fixtures, encryption, MAC checks and refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePskc, importPskc, PSKC_HOTP } from '../../src/mfa/import/pskc.js';
import { TokenImportError } from '../../src/mfa/import/common.js';
import { codeAt, stepAt } from '../../src/mfa/totp.js';
import { sourcePath } from '../../src/paths.js';

const fixture = (name: string): string => readFileSync(sourcePath('test', 'mfa', 'fixtures', name), 'utf8');
const RFC_PSK = '12345678901234567890123456789012';
const TEST_PSK = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const RFC_SEED = Buffer.from('3132333435363738393031323334353637383930', 'hex');

function assertImportError(fn: () => unknown, code: string, pattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TokenImportError, `TokenImportError, got ${err}`);
    assert.ok(err.errors.some((e) => e.code === code), `expected code ${code}, got ${err.errors.map((e) => e.code)}`);
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}

test('RFC 6030 Figure 2 (plain): parsed as an HOTP key with secret "1234"', () => {
  const [k] = parsePskc(fixture('rfc6030-figure2.pskcxml'));
  assert.ok(k);
  assert.equal(k.algorithm, PSKC_HOTP);
  assert.equal(k.keyId, '12345678');
  assert.deepEqual(k.secret, Buffer.from('1234'));
  assert.equal(k.serialNumber, undefined);
});

test('RFC 6030 Figure 6 (pre-shared key): MAC verified, secret decrypted to the RFC value', () => {
  const [k] = parsePskc(fixture('rfc6030-figure6-preshared.pskcxml'), { preSharedKey: RFC_PSK });
  assert.ok(k);
  assert.equal(k.serialNumber, '987654321');
  assert.equal(k.algorithm, PSKC_HOTP);
  assert.deepEqual(k.secret, RFC_SEED);
  assert.equal(k.params.digits, 8);
  // that secret is the RFC 4226 test key: HOTP(0) = 755224
  assert.equal(codeAt(k.secret, 0), '755224');
  // the key may also be passed as bytes
  assert.deepEqual(parsePskc(fixture('rfc6030-figure6-preshared.pskcxml'), { preSharedKey: Buffer.from(RFC_PSK, 'hex') })[0]?.secret, RFC_SEED);
});

test('RFC 6030 examples are HOTP, so importPskc refuses them with a clear error', () => {
  assertImportError(() => importPskc(fixture('rfc6030-figure2.pskcxml')), 'UNSUPPORTED_ALGORITHM', /HOTP.*only TOTP/);
  assertImportError(() => importPskc(fixture('rfc6030-figure6-preshared.pskcxml'), { preSharedKey: RFC_PSK }), 'UNSUPPORTED_ALGORITHM', /KeyPackage 1: .*HOTP/);
});

test('tampered RFC example: a changed ValueMAC or ciphertext is refused', () => {
  const xml = fixture('rfc6030-figure6-preshared.pskcxml');
  const badMac = xml.replace('Su+NvtQfmvfJzF6bmQiJqoLRExc=', 'Tu+NvtQfmvfJzF6bmQiJqoLRExc=');
  assert.notEqual(badMac, xml);
  assertImportError(() => parsePskc(badMac, { preSharedKey: RFC_PSK }), 'BAD_MAC', /ValueMAC does not match/);
  const badCipher = xml.replace('AAECAwQFBgcICQoLDA0OD+cI', 'AAECAwQFBgcICQoLDA0OD+cJ');
  assert.notEqual(badCipher, xml);
  assertImportError(() => parsePskc(badCipher, { preSharedKey: RFC_PSK }), 'BAD_MAC');
});

test('encrypted file without the key, or with the wrong key, is refused once for the file', () => {
  assertImportError(() => parsePskc(fixture('rfc6030-figure6-preshared.pskcxml')), 'KEY_REQUIRED', /"Pre-shared-key"/);
  assert.throws(
    () => parsePskc(fixture('rfc6030-figure6-preshared.pskcxml'), { preSharedKey: 'ffffffffffffffffffffffffffffffff' }),
    (err: unknown) => err instanceof TokenImportError && ['BAD_CIPHERTEXT', 'BAD_MAC'].includes(err.code),
  );
  assertImportError(() => parsePskc(fixture('totp-aes256-preshared.pskcxml'), { preSharedKey: RFC_PSK }), 'BAD_KEY', /256-bit key/);
});

test('RFC 6030 Figure 7 (PBKDF2 passphrase) is refused as unsupported', () => {
  assertImportError(() => parsePskc(fixture('rfc6030-figure7-pbkdf2.pskcxml')), 'UNSUPPORTED_ENCRYPTION', /PBKDF2/);
});

test('encrypted TOTP file (AES-256-CBC, HMAC-SHA1): tokens, params, and codes matching RFC 6238', () => {
  const tokens = importPskc(fixture('totp-aes256-preshared.pskcxml'), { preSharedKey: TEST_PSK });
  assert.deepEqual(tokens.map((t) => t.serialNumber), ['GAHT10000001', 'GAHT10000002']);
  const [t1, t2] = tokens; // two: checked just above
  assert.deepEqual(t1?.params, { algorithm: 'SHA1', digits: 6, period: 30 });
  assert.deepEqual(t2?.params, { algorithm: 'SHA256', digits: 8, period: 60 });
  assert.deepEqual(Object.keys(t1!).sort(), ['params', 'secret', 'serialNumber']);
  assert.equal(codeAt(t1!.secret, stepAt(59_000), { digits: 8 }), '94287082');
  assert.equal(codeAt(t2!.secret, stepAt(1111111109000), { algorithm: 'SHA256', digits: 8 }), '68084774');
});

test('encrypted TOTP file with a tampered ValueMAC is refused for that KeyPackage', () => {
  const xml = fixture('totp-aes256-preshared.pskcxml');
  const macs = [...xml.matchAll(/<ValueMAC>([^<]+)<\/ValueMAC>/g)].map((m) => m[1] ?? ''); // the group always matches
  assert.equal(macs.length, 2);
  const mac2 = macs[1]!; // two: checked just above
  const flipped = mac2[0] === 'A' ? `B${mac2.slice(1)}` : `A${mac2.slice(1)}`;
  assert.throws(() => importPskc(xml.replace(mac2, flipped), { preSharedKey: TEST_PSK }), (err: unknown) => {
    assert.ok(err instanceof TokenImportError);
    assert.deepEqual(err.errors.map((e) => [e.keyPackage, e.code, e.serialNumber]), [[2, 'BAD_MAC', 'GAHT10000002']]);
    return true;
  });
});

test('encrypted value without a MAC is refused', () => {
  const xml = fixture('totp-aes256-preshared.pskcxml').replace(/<ValueMAC>[^<]+<\/ValueMAC>/g, '');
  assertImportError(() => importPskc(xml, { preSharedKey: TEST_PSK }), 'MISSING_MAC');
});

test('plain TOTP file: serials, SHA512 suite, 8 digits, default period', () => {
  const tokens = importPskc(fixture('totp-plain.pskcxml'));
  assert.deepEqual(tokens.map((t) => [t.serialNumber, t.params]), [
    ['GAKT00000001', { algorithm: 'SHA1', digits: 6, period: 30 }],
    ['GAKT00000002', { algorithm: 'SHA512', digits: 8, period: 30 }],
  ]);
  assert.equal(codeAt(tokens[1]!.secret, stepAt(1234567890000), tokens[1]!.params), '93441116'); // two: checked just above
});

const plain = fixture('totp-plain.pskcxml');

test('serial rules: AWS pattern and length 9-256, required, unique', () => {
  const serial2 = (v: string): string => plain.replace('<SerialNo>GAKT00000002</SerialNo>', `<SerialNo>${v}</SerialNo>`);
  assert.notEqual(serial2('X'), plain);
  assertImportError(() => importPskc(serial2('GAKT00000001')), 'DUPLICATE_SERIAL', /KeyPackage 2: .*already appears in KeyPackage 1/);
  assertImportError(() => importPskc(serial2('GAKT0002')), 'BAD_SERIAL', /9 to 256/);
  assertImportError(() => importPskc(serial2('GAKT 00000002')), 'BAD_SERIAL');
  assertImportError(() => importPskc(plain.replace('<SerialNo>GAKT00000002</SerialNo>', '')), 'BAD_SERIAL', /missing serial/);
});

test('parameter and policy refusals', () => {
  assertImportError(() => importPskc(plain.replace('<PlainValue>30</PlainValue>', '<PlainValue>45</PlainValue>')), 'BAD_PERIOD');
  assertImportError(() => importPskc(plain.replace('Length="6"', 'Length="7"')), 'BAD_DIGITS');
  assertImportError(() => importPskc(plain.replace('Encoding="DECIMAL"', 'Encoding="HEXADECIMAL"')), 'UNSUPPORTED_FORMAT');
  assertImportError(() => importPskc(plain.replace('HMAC-SHA512', 'HMAC-MD5')), 'UNSUPPORTED_ALGORITHM', /Suite/);
  const expired = plain.replace('</Data>', '</Data><Policy><ExpiryDate>2020-01-01T00:00:00Z</ExpiryDate></Policy>');
  assertImportError(() => importPskc(expired), 'EXPIRED');
  assert.equal(importPskc(expired, { nowMs: Date.parse('2019-06-01T00:00:00Z') }).length, 2);
  const usage = plain.replace('</Data>', '</Data><Policy><KeyUsage>Encrypt</KeyUsage></Policy>');
  assertImportError(() => importPskc(usage), 'BAD_POLICY', /OTP/);
  const pin = plain.replace('</Data>', '</Data><Policy><PINPolicy PINUsageMode="Prepend"/></Policy>');
  assertImportError(() => importPskc(pin), 'UNSUPPORTED_POLICY');
  const shortSeed = plain.replace(/<PlainValue>MTIz[^<]+<\/PlainValue>/, '<PlainValue>MTIzNA==</PlainValue>');
  assertImportError(() => importPskc(shortSeed), 'BAD_SEED', /128 bits/);
});

test('non-canonical base64 (stray low bits before "=") is refused, not silently decoded', () => {
  const xml = fixture('rfc6030-figure6-preshared.pskcxml').replace('Su+NvtQfmvfJzF6bmQiJqoLRExc=', 'Su+NvtQfmvfJzF6bmQiJqoLRExd=');
  assertImportError(() => parsePskc(xml, { preSharedKey: RFC_PSK }), 'BAD_BASE64');
});

test('documents that are not PSKC, not well-formed, or carry a DTD are refused', () => {
  assertImportError(() => parsePskc('<Foo/>'), 'NOT_PSKC');
  assertImportError(() => parsePskc('<KeyContainer/>'), 'EMPTY');
  assertImportError(() => parsePskc('<KeyContainer><KeyPackage>'), 'BAD_XML');
  assertImportError(() => parsePskc('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><KeyContainer/>'), 'DTD_NOT_ALLOWED');
  assertImportError(() => parsePskc('<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc"></KeyContainer>'), 'EMPTY');
  assertImportError(() => parsePskc(plain.replace('Version="1.0"', 'Version="2.0"')), 'UNSUPPORTED_VERSION');
});

test('every bad KeyPackage is reported, not only the first', () => {
  const both = plain.replace('<SerialNo>GAKT00000001<', '<SerialNo>short<').replace('<SerialNo>GAKT00000002<', '<SerialNo>tiny<');
  assert.throws(() => importPskc(both), (err: unknown) => {
    assert.ok(err instanceof TokenImportError);
    assert.deepEqual(err.errors.map((e) => e.keyPackage), [1, 2]);
    return true;
  });
});

test('XML character references are decoded, e.g. in a serial number', () => {
  const xml = plain.replace('<SerialNo>GAKT00000001<', '<SerialNo>GAKT&#48;0000001<');
  assert.notEqual(xml, plain);
  assert.equal(importPskc(xml)[0]?.serialNumber, 'GAKT00000001');
});
