// otpauth:// URIs (Google Authenticator Key URI Format, AWS's QRCodePNG) and the QR PNG round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsQRModule from 'jsqr';
import { otpauthUri } from '../../src/mfa/otpauth-uri.js';
import { qrPng } from '../../src/mfa/qr.js';
import { generateSeed, base32Decode, codeAt, verifyCode, stepAt } from '../../src/mfa/totp.js';

import pngjs from 'pngjs';
const { PNG } = pngjs;
// jsqr is CommonJS with an ES-style default export in its types: module.exports.default is the same function.
const jsQR = jsQRModule.default;

const AWS = 'Amazon Web Services';

test('AWS-style URI: issuer-prefixed label, %20 in both places, default params omitted', () => {
  assert.equal(
    otpauthUri({ issuer: AWS, accountName: 'BobsMFADevice@123456789012', secretBase32: 'JBSWY3DPEHPK3PXP' }),
    'otpauth://totp/Amazon%20Web%20Services:BobsMFADevice@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services',
  );
  assert.equal(
    otpauthUri({ issuer: 'Example', accountName: 'alice@google.com', secretBase32: 'JBSWY3DPEHPK3PXP' }),
    'otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example',
    "the Key URI Format wiki's own example",
  );
});

test('non-default parameters are appended; reserved characters are percent-encoded', () => {
  assert.equal(
    otpauthUri({ issuer: 'Acme & Co', accountName: 'dev/1 x@acme', secretBase32: 'jbswy3dpehpk3pxp', params: { algorithm: 'SHA256', digits: 8, period: 60 } }),
    'otpauth://totp/Acme%20%26%20Co:dev%2F1%20x@acme?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20%26%20Co&algorithm=SHA256&digits=8&period=60',
  );
  assert.equal(
    otpauthUri({ issuer: 'G', accountName: 'a@b', secretBase32: 'JBSWY3DPEHPK3PXP', params: { digits: 8 } }),
    'otpauth://totp/G:a@b?secret=JBSWY3DPEHPK3PXP&issuer=G&digits=8',
  );
});

test('colons, empty parts and non-base32 secrets are refused', () => {
  assert.throws(() => otpauthUri({ issuer: 'a:b', accountName: 'x', secretBase32: 'JBSWY3DP' }), TypeError);
  assert.throws(() => otpauthUri({ issuer: 'a', accountName: 'x:y', secretBase32: 'JBSWY3DP' }), TypeError);
  assert.throws(() => otpauthUri({ issuer: '', accountName: 'x', secretBase32: 'JBSWY3DP' }), TypeError);
  assert.throws(() => otpauthUri({ issuer: 'a', accountName: 'x', secretBase32: 'JBSWY3D1' }), TypeError);
});

test('QR PNG decodes (pngjs + jsQR) to the same URI, and its seed yields working codes', async () => {
  const seed = generateSeed();
  const uri = otpauthUri({ issuer: AWS, accountName: 'root-account-mfa-device@123456789012', secretBase32: seed.base32 });
  const png = await qrPng(uri);
  assert.ok(Buffer.isBuffer(png));
  assert.deepEqual(png.subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const img = PNG.sync.read(png);
  assert.ok(img.width >= 200 && img.width <= 600, `reasonable size (${img.width}px)`);
  assert.equal(img.width, img.height);
  const decoded = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height);
  assert.ok(decoded, 'jsQR found a QR code');
  assert.equal(decoded.data, uri);

  const url = new URL(decoded.data);
  assert.equal(url.protocol, 'otpauth:');
  assert.equal(url.host, 'totp');
  assert.equal(decodeURIComponent(url.pathname.slice(1)), `${AWS}:root-account-mfa-device@123456789012`);
  assert.equal(url.searchParams.get('issuer'), AWS);
  const secret = base32Decode(url.searchParams.get('secret') ?? '');
  assert.deepEqual(secret, seed.secret);
  const now = Date.now();
  assert.equal(verifyCode({ secret: seed.secret, code: codeAt(secret, stepAt(now)), nowMs: now }).ok, true);
});

test('qrPng rejects an empty URI', async () => {
  await assert.rejects(qrPng(''), TypeError);
});
