// RFC 6030 PSKC (Portable Symmetric Key Container) import for hardware TOTP tokens.
// Supported: plain secrets (Data/Secret/PlainValue, base64) and secrets encrypted with a pre-shared key
// (§6.1: EncryptionKey/ds:KeyName, xmlenc aes128-cbc / aes192-cbc / aes256-cbc with the IV prepended to
// CipherValue, authenticated by ValueMAC = HMAC(MACKey, IV || ciphertext) where MACKey is itself encrypted
// with the pre-shared key). Not supported, with a clear error: password-based keys (PBKDF2, §6.2),
// asymmetric keys (§6.3), key-wrap algorithms, HOTP and other OTP algorithms.
//
// parsePskc() returns every KeyPackage with its algorithm, so the RFC's own (HOTP) examples can be
// checked; importPskc() is what administrators use: TOTP only, AWS serial rules, no duplicates.
import crypto from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { normalizeParams } from '../totp.js';
import { TokenImportError, serialProblem, secretProblem, truncate } from './common.js';

export const PSKC_TOTP = 'urn:ietf:params:xml:ns:keyprov:pskc:totp';
export const PSKC_HOTP = 'urn:ietf:params:xml:ns:keyprov:pskc:hotp';
export const MAX_PSKC_BYTES = 32 * 1024 * 1024;

const XMLENC = 'http://www.w3.org/2001/04/xmlenc#';
const CIPHERS = {
  [`${XMLENC}aes128-cbc`]: { name: 'aes-128-cbc', keyBytes: 16 },
  [`${XMLENC}aes192-cbc`]: { name: 'aes-192-cbc', keyBytes: 24 },
  [`${XMLENC}aes256-cbc`]: { name: 'aes-256-cbc', keyBytes: 32 },
};
const MACS = {
  'http://www.w3.org/2000/09/xmldsig#hmac-sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#hmac-sha224': 'sha224',
  'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#hmac-sha384': 'sha384',
  'http://www.w3.org/2001/04/xmldsig-more#hmac-sha512': 'sha512',
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Predefined entities and character references (&#48;) are decoded; DOCTYPEs are refused, so no
  // user-defined entities can exist. (htmlEntities is what turns on numeric references here.)
  processEntities: true,
  htmlEntities: true,
  isArray: (_name, jpath) => jpath === 'KeyContainer.KeyPackage' || jpath === 'KeyContainer.KeyPackage.Key',
});

/**
 * Parses a PSKC document into key packages (any algorithm), decrypting and MAC-checking secrets.
 * @param {string|Buffer} xml
 * @param {{preSharedKey?: Buffer|string, nowMs?: number}} [options] preSharedKey as bytes or hex
 * @returns {{serialNumber: string|undefined, keyId: string|undefined, algorithm: string, secret: Buffer,
 *            params: {algorithm: string, digits: number, period: number}}[]}
 * @throws {TokenImportError}
 */
export function parsePskc(xml, options = {}) {
  const doc = parseXml(xml);
  const container = doc.KeyContainer;
  if (container === '') fatal('EMPTY', 'no KeyPackage in the PSKC document');
  if (!container || typeof container !== 'object') fatal('NOT_PSKC', 'the document root is not a PSKC KeyContainer');
  if (container['@_Version'] !== undefined && container['@_Version'] !== '1.0') {
    fatal('UNSUPPORTED_VERSION', `PSKC version ${container['@_Version']} is not supported (1.0 only)`);
  }
  const crypt = containerCrypto(container, options);
  const packages = container.KeyPackage ?? [];
  const nowMs = options.nowMs ?? Date.now();
  const out = [];
  const errors = [];

  packages.forEach((pkg, i) => {
    const keyPackage = i + 1;
    const serialNumber = text(pkg?.DeviceInfo?.SerialNo);
    try {
      const keys = pkg?.Key ?? [];
      if (keys.length !== 1) throw problem('BAD_KEY_PACKAGE', `expected exactly one Key, found ${keys.length}`);
      out.push({ serialNumber, ...readKey(keys[0], crypt, nowMs) });
    } catch (err) {
      if (!err.pskc) throw err;
      errors.push({ keyPackage, serialNumber, code: err.code, message: err.message });
    }
  });
  if (errors.length) throw new TokenImportError(errors);
  if (out.length === 0) fatal('EMPTY', 'no KeyPackage in the PSKC document');
  return out;
}

/**
 * Imports hardware TOTP tokens from a PSKC document.
 * @returns {{serialNumber: string, secret: Buffer, params: {algorithm: string, digits: number, period: number}}[]}
 * @throws {TokenImportError}
 */
export function importPskc(xml, options = {}) {
  const keys = parsePskc(xml, options);
  const errors = [];
  const seen = new Map();
  const tokens = [];
  keys.forEach((k, i) => {
    const keyPackage = i + 1;
    const fail = (code, message) => errors.push({ keyPackage, serialNumber: k.serialNumber, code, message });
    if (k.algorithm !== PSKC_TOTP) {
      const what = k.algorithm === PSKC_HOTP ? 'HOTP (counter-based)' : `"${truncate(k.algorithm)}"`;
      return fail('UNSUPPORTED_ALGORITHM', `key algorithm is ${what}; only TOTP (${PSKC_TOTP}) tokens can be imported`);
    }
    const sp = serialProblem(k.serialNumber);
    if (sp) return fail('BAD_SERIAL', `DeviceInfo/SerialNo: ${sp}`);
    if (seen.has(k.serialNumber)) {
      return fail('DUPLICATE_SERIAL', `serial number "${k.serialNumber}" already appears in KeyPackage ${seen.get(k.serialNumber)}`);
    }
    seen.set(k.serialNumber, keyPackage);
    const sec = secretProblem(k.secret);
    if (sec) return fail('BAD_SEED', sec);
    tokens.push({ serialNumber: k.serialNumber, secret: k.secret, params: k.params });
  });
  if (errors.length) throw new TokenImportError(errors);
  return tokens;
}

// ---------------------------------------------------------------------------------------------------

function parseXml(xml) {
  const src = Buffer.isBuffer(xml) ? xml.toString('utf8') : xml;
  if (typeof src !== 'string') throw new TypeError('PSKC input must be a string or Buffer');
  if (Buffer.byteLength(src) > MAX_PSKC_BYTES) fatal('TOO_LARGE', `PSKC document is larger than ${MAX_PSKC_BYTES} bytes`);
  // PSKC never needs a DTD; refusing it rules out entity-expansion tricks.
  if (/<!DOCTYPE/i.test(src)) fatal('DTD_NOT_ALLOWED', 'PSKC documents must not contain a DOCTYPE');
  const valid = XMLValidator.validate(src);
  if (valid !== true) fatal('BAD_XML', `not well-formed XML (line ${valid.err.line}): ${valid.err.msg}`);
  return parser.parse(src);
}

function containerCrypto(container, options) {
  const enc = container.EncryptionKey;
  let key = null;
  let keyName;
  if (enc !== undefined) {
    if (enc?.DerivedKey !== undefined) fatal('UNSUPPORTED_ENCRYPTION', 'password-based (PBKDF2) PSKC encryption is not supported; export with a pre-shared key');
    if (enc?.X509Data !== undefined) fatal('UNSUPPORTED_ENCRYPTION', 'asymmetric (X.509) PSKC encryption is not supported; export with a pre-shared key');
    keyName = text(enc?.KeyName);
    if (options.preSharedKey != null) key = toKey(options.preSharedKey);
  }
  let mac = null;
  if (container.MACMethod !== undefined) {
    const alg = container.MACMethod['@_Algorithm'];
    const hash = MACS[alg];
    if (!hash) fatal('UNSUPPORTED_MAC', `MAC algorithm "${truncate(String(alg))}" is not supported`);
    mac = { hash, encryptedKey: container.MACMethod.MACKey };
  }
  const state = { key, keyName, mac, macKey: undefined };
  return state;
}

function toKey(k) {
  if (Buffer.isBuffer(k) || k instanceof Uint8Array) return Buffer.from(k);
  if (typeof k === 'string' && /^([0-9a-fA-F]{2})+$/.test(k)) return Buffer.from(k, 'hex');
  throw new TypeError('preSharedKey must be a Buffer or a hex string');
}

// Resolves the MAC key once per document: the decrypted MACKey, or (as python-pskc does when MACKey is
// absent) the encryption key itself.
function macKey(crypt) {
  if (crypt.macKey === undefined) {
    if (crypt.mac.encryptedKey === undefined) {
      crypt.macKey = crypt.key;
    } else {
      try {
        crypt.macKey = decryptValue(crypt.mac.encryptedKey, crypt, 'MACKey');
      } catch (err) {
        if (!err.pskc) throw err;
        fatal(err.code, err.message); // a file-level problem: report it once
      }
    }
  }
  return crypt.macKey;
}

function readKey(key, crypt, nowMs) {
  const algorithm = key['@_Algorithm'];
  if (!algorithm) throw problem('MISSING_ALGORITHM', 'Key has no Algorithm attribute');
  const data = key.Data ?? {};
  const keyId = key['@_Id'];

  const s = data.Secret;
  if (s === undefined) throw problem('MISSING_SECRET', 'Key has no Data/Secret');
  let secret;
  if (s.PlainValue !== undefined) {
    secret = base64(text(s.PlainValue), 'Secret/PlainValue');
  } else if (s.EncryptedValue !== undefined) {
    if (!crypt.mac) throw problem('MISSING_MAC', 'encrypted secret without a MACMethod: refusing unauthenticated ciphertext');
    if (s.ValueMAC === undefined) throw problem('MISSING_MAC', 'encrypted secret without a ValueMAC');
    const cipherValue = base64(text(s.EncryptedValue?.CipherData?.CipherValue), 'Secret/EncryptedValue/CipherValue');
    checkMac(cipherValue, base64(text(s.ValueMAC), 'Secret/ValueMAC'), crypt);
    secret = decryptValue(s.EncryptedValue, crypt, 'Secret');
  } else {
    throw problem('MISSING_SECRET', 'Data/Secret has neither PlainValue nor EncryptedValue');
  }

  const rf = key.AlgorithmParameters?.ResponseFormat;
  const encoding = rf?.['@_Encoding'];
  if (encoding !== undefined && encoding !== 'DECIMAL') throw problem('UNSUPPORTED_FORMAT', `ResponseFormat Encoding "${encoding}" is not supported (DECIMAL only)`);
  const lengthAttr = rf?.['@_Length'];
  const digits = lengthAttr === undefined ? 6 : Number(lengthAttr);
  if (digits !== 6 && digits !== 8) throw problem('BAD_DIGITS', `ResponseFormat Length must be 6 or 8, got "${lengthAttr}"`);

  const intervalText = plainNumber(data.TimeInterval, 'TimeInterval');
  const period = intervalText === undefined ? 30 : Number(intervalText);
  if (period !== 30 && period !== 60) throw problem('BAD_PERIOD', `TimeInterval must be 30 or 60 seconds, got ${intervalText}`);
  const t0 = plainNumber(data.Time, 'Time');
  if (t0 !== undefined && Number(t0) !== 0) throw problem('UNSUPPORTED_TIME', `Time (T0) must be 0, got ${t0}`);

  const hash = suiteAlgorithm(text(key.AlgorithmParameters?.Suite));
  checkPolicy(key.Policy, nowMs);
  return { keyId, algorithm, secret, params: { ...normalizeParams({ algorithm: hash, digits, period }) } };
}

function suiteAlgorithm(suite) {
  if (suite === undefined || suite === '') return 'SHA1';
  const m = /^(?:HMAC-)?SHA-?(1|256|512)$/i.exec(suite);
  if (!m) throw problem('UNSUPPORTED_ALGORITHM', `AlgorithmParameters/Suite "${truncate(suite)}" is not supported (HMAC-SHA1, -SHA256, -SHA512)`);
  return `SHA${m[1]}`;
}

function checkPolicy(policy, nowMs) {
  if (!policy) return;
  const expiry = text(policy.ExpiryDate);
  if (expiry !== undefined) {
    const t = Date.parse(expiry);
    if (Number.isNaN(t)) throw problem('BAD_POLICY', `Policy/ExpiryDate "${truncate(expiry)}" is not a date`);
    if (t <= nowMs) throw problem('EXPIRED', `key expired on ${expiry} (Policy/ExpiryDate)`);
  }
  const usage = policy.KeyUsage;
  if (usage !== undefined) {
    const list = (Array.isArray(usage) ? usage : [usage]).map(text);
    if (!list.includes('OTP')) throw problem('BAD_POLICY', `Policy/KeyUsage (${list.join(', ')}) does not allow OTP`);
  }
  const mode = policy.PINPolicy?.['@_PINUsageMode'];
  if (mode !== undefined && mode !== 'Local') {
    throw problem('UNSUPPORTED_POLICY', `PINPolicy PINUsageMode "${mode}" would change the code the server sees; only "Local" is supported`);
  }
}

function checkMac(cipherValue, expected, crypt) {
  const key = macKey(crypt);
  const actual = crypto.createHmac(crypt.mac.hash, key).update(cipherValue).digest();
  if (actual.length !== expected.length || !crypto.timingSafeEqual(actual, expected)) {
    throw problem('BAD_MAC', 'ValueMAC does not match: the file was altered or the pre-shared key is wrong');
  }
}

// xmlenc CBC: CipherValue = IV || ciphertext; padding per XML Encryption §5.2 (last byte = pad length,
// other pad bytes arbitrary), so it is removed by hand rather than by OpenSSL's strict PKCS#7 check.
function decryptValue(node, crypt, what) {
  if (!crypt.key) {
    // One error for the whole file, not one per KeyPackage.
    const name = crypt.keyName ? ` "${crypt.keyName}"` : '';
    fatal('KEY_REQUIRED', `${what} is encrypted with the pre-shared key${name}; supply it to decrypt`);
  }
  const alg = node?.EncryptionMethod?.['@_Algorithm'];
  const cipher = CIPHERS[alg];
  if (!cipher) throw problem('UNSUPPORTED_ENCRYPTION', `${what}: encryption algorithm "${truncate(String(alg))}" is not supported (AES-CBC only)`);
  if (crypt.key.length !== cipher.keyBytes) {
    throw problem('BAD_KEY', `${what}: ${alg.slice(XMLENC.length)} needs a ${cipher.keyBytes * 8}-bit key, the pre-shared key has ${crypt.key.length * 8} bits`);
  }
  const raw = base64(text(node?.CipherData?.CipherValue), `${what} CipherValue`);
  if (raw.length < 32 || raw.length % 16 !== 0) throw problem('BAD_CIPHERTEXT', `${what}: CipherValue is not an IV plus whole AES blocks`);
  const d = crypto.createDecipheriv(cipher.name, crypt.key, raw.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(raw.subarray(16)), d.final()]);
  const pad = plain[plain.length - 1];
  if (pad < 1 || pad > 16) throw problem('BAD_CIPHERTEXT', `${what}: bad padding (wrong pre-shared key?)`);
  return plain.subarray(0, plain.length - pad);
}

function plainNumber(node, what) {
  if (node === undefined) return undefined;
  const v = text(node?.PlainValue);
  if (v === undefined) throw problem('UNSUPPORTED_VALUE', `Data/${what} must be a PlainValue`);
  if (!/^\d+$/.test(v)) throw problem('BAD_VALUE', `Data/${what} "${truncate(v)}" is not a non-negative integer`);
  return v;
}

function base64(s, what) {
  const compact = (s ?? '').replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw problem('BAD_BASE64', `${what} is not base64`);
  }
  const bytes = Buffer.from(compact, 'base64');
  // Node ignores stray bits before '='; a canonical check makes every bit of a MAC or key count.
  if (bytes.toString('base64') !== compact) throw problem('BAD_BASE64', `${what} is not canonical base64`);
  return bytes;
}

// Text content of an element whether fast-xml-parser gave a string or an object with attributes.
function text(node) {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return node;
  if (typeof node === 'object' && typeof node['#text'] === 'string') return node['#text'];
  return undefined;
}

function problem(code, message) {
  const err = new Error(message);
  err.code = code;
  err.pskc = true;
  return err;
}

function fatal(code, message) {
  throw new TokenImportError({ code, message });
}
