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
import type { HardwareToken, ImportProblem } from './common.js';
import type { TotpParams } from '../totp.js';

export const PSKC_TOTP = 'urn:ietf:params:xml:ns:keyprov:pskc:totp';
export const PSKC_HOTP = 'urn:ietf:params:xml:ns:keyprov:pskc:hotp';
export const MAX_PSKC_BYTES = 32 * 1024 * 1024;

const XMLENC = 'http://www.w3.org/2001/04/xmlenc#';
const CIPHERS: Readonly<Record<string, { name: string; keyBytes: number }>> = {
  [`${XMLENC}aes128-cbc`]: { name: 'aes-128-cbc', keyBytes: 16 },
  [`${XMLENC}aes192-cbc`]: { name: 'aes-192-cbc', keyBytes: 24 },
  [`${XMLENC}aes256-cbc`]: { name: 'aes-256-cbc', keyBytes: 32 },
};
const MACS: Readonly<Record<string, string>> = {
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

export interface PskcOptions {
  /** The pre-shared key, as bytes or hex. */
  readonly preSharedKey?: Uint8Array | string | null | undefined;
  readonly nowMs?: number | undefined;
}

/** One KeyPackage of a PSKC document, whatever its algorithm. */
export interface PskcKey {
  readonly serialNumber: string | undefined;
  readonly keyId: string | undefined;
  readonly algorithm: string;
  readonly secret: Buffer;
  readonly params: TotpParams;
}

/** Parses a PSKC document into key packages (any algorithm), decrypting and MAC-checking secrets. */
export function parsePskc(xml: string | Buffer, options: PskcOptions = {}): PskcKey[] {
  const doc = parseXml(xml);
  const container = at(doc, 'KeyContainer');
  if (container === '') fatal('EMPTY', 'no KeyPackage in the PSKC document');
  if (!container || typeof container !== 'object') fatal('NOT_PSKC', 'the document root is not a PSKC KeyContainer');
  const version = at(container, '@_Version');
  if (version !== undefined && version !== '1.0') {
    fatal('UNSUPPORTED_VERSION', `PSKC version ${String(version)} is not supported (1.0 only)`);
  }
  const crypt = containerCrypto(container, options);
  const packages = list(at(container, 'KeyPackage'));
  const nowMs = options.nowMs ?? Date.now();
  const out: PskcKey[] = [];
  const errors: ImportProblem[] = [];

  packages.forEach((pkg, i) => {
    const keyPackage = i + 1;
    const serialNumber = text(at(pkg, 'DeviceInfo', 'SerialNo'));
    try {
      const keys = list(at(pkg, 'Key'));
      if (keys.length !== 1) throw problem('BAD_KEY_PACKAGE', `expected exactly one Key, found ${keys.length}`);
      out.push({ serialNumber, ...readKey(keys[0], crypt, nowMs) });
    } catch (err) {
      if (!(err instanceof PskcProblem)) throw err;
      errors.push({ keyPackage, serialNumber, code: err.code, message: err.message });
    }
  });
  if (errors.length) throw new TokenImportError(errors);
  if (out.length === 0) fatal('EMPTY', 'no KeyPackage in the PSKC document');
  return out;
}

/** Imports hardware TOTP tokens from a PSKC document; throws TokenImportError listing every problem. */
export function importPskc(xml: string | Buffer, options: PskcOptions = {}): HardwareToken[] {
  const keys = parsePskc(xml, options);
  const errors: ImportProblem[] = [];
  const seen = new Map<string, number>();
  const tokens: HardwareToken[] = [];
  keys.forEach((k, i) => {
    const keyPackage = i + 1;
    const fail = (code: string, message: string): void => { errors.push({ keyPackage, serialNumber: k.serialNumber, code, message }); };
    if (k.algorithm !== PSKC_TOTP) {
      const what = k.algorithm === PSKC_HOTP ? 'HOTP (counter-based)' : `"${truncate(k.algorithm)}"`;
      return fail('UNSUPPORTED_ALGORITHM', `key algorithm is ${what}; only TOTP (${PSKC_TOTP}) tokens can be imported`);
    }
    const serialNumber = k.serialNumber;
    const sp = serialProblem(serialNumber);
    if (sp || serialNumber === undefined) return fail('BAD_SERIAL', `DeviceInfo/SerialNo: ${sp}`); // sp is set when undefined
    if (seen.has(serialNumber)) {
      return fail('DUPLICATE_SERIAL', `serial number "${serialNumber}" already appears in KeyPackage ${seen.get(serialNumber)}`);
    }
    seen.set(serialNumber, keyPackage);
    const sec = secretProblem(k.secret);
    if (sec) return fail('BAD_SEED', sec);
    tokens.push({ serialNumber, secret: k.secret, params: k.params });
  });
  if (errors.length) throw new TokenImportError(errors);
  return tokens;
}

// ---------------------------------------------------------------------------------------------------

/** The document as fast-xml-parser reads it: an untrusted tree, read below only through at(), list() and text(). */
function parseXml(xml: string | Buffer): unknown {
  const src = Buffer.isBuffer(xml) ? xml.toString('utf8') : xml;
  if (typeof src !== 'string') throw new TypeError('PSKC input must be a string or Buffer');
  if (Buffer.byteLength(src) > MAX_PSKC_BYTES) fatal('TOO_LARGE', `PSKC document is larger than ${MAX_PSKC_BYTES} bytes`);
  // PSKC never needs a DTD; refusing it rules out entity-expansion tricks.
  if (/<!DOCTYPE/i.test(src)) fatal('DTD_NOT_ALLOWED', 'PSKC documents must not contain a DOCTYPE');
  const valid = XMLValidator.validate(src);
  if (valid !== true) fatal('BAD_XML', `not well-formed XML (line ${valid.err.line}): ${valid.err.msg}`);
  const doc: unknown = parser.parse(src);
  return doc;
}

/** The document's keys: the pre-shared key (when given), its name, and the MAC method with its key once resolved. */
interface ContainerCrypto {
  readonly key: Buffer | null;
  readonly keyName: string | undefined;
  readonly mac: { readonly hash: string; readonly encryptedKey: unknown } | null;
  macKey: Buffer | null | undefined;
}

function containerCrypto(container: object, options: PskcOptions): ContainerCrypto {
  const enc = at(container, 'EncryptionKey');
  let key: Buffer | null = null;
  let keyName: string | undefined;
  if (enc !== undefined) {
    if (at(enc, 'DerivedKey') !== undefined) fatal('UNSUPPORTED_ENCRYPTION', 'password-based (PBKDF2) PSKC encryption is not supported; export with a pre-shared key');
    if (at(enc, 'X509Data') !== undefined) fatal('UNSUPPORTED_ENCRYPTION', 'asymmetric (X.509) PSKC encryption is not supported; export with a pre-shared key');
    keyName = text(at(enc, 'KeyName'));
    if (options.preSharedKey != null) key = toKey(options.preSharedKey);
  }
  let mac: ContainerCrypto['mac'] = null;
  const method = at(container, 'MACMethod');
  if (method !== undefined) {
    const alg = at(method, '@_Algorithm');
    const hash = typeof alg === 'string' ? MACS[alg] : undefined;
    if (!hash) fatal('UNSUPPORTED_MAC', `MAC algorithm "${truncate(String(alg))}" is not supported`);
    mac = { hash, encryptedKey: at(method, 'MACKey') };
  }
  const state: ContainerCrypto = { key, keyName, mac, macKey: undefined };
  return state;
}

function toKey(k: unknown): Buffer {
  if (Buffer.isBuffer(k) || k instanceof Uint8Array) return Buffer.from(k);
  if (typeof k === 'string' && /^([0-9a-fA-F]{2})+$/.test(k)) return Buffer.from(k, 'hex');
  throw new TypeError('preSharedKey must be a Buffer or a hex string');
}

// Resolves the MAC key once per document: the decrypted MACKey, or (as python-pskc does when MACKey is
// absent) the encryption key itself.
function macKey(crypt: ContainerCrypto, mac: NonNullable<ContainerCrypto['mac']>): Buffer | null {
  if (crypt.macKey === undefined) {
    if (mac.encryptedKey === undefined) {
      crypt.macKey = crypt.key;
    } else {
      try {
        crypt.macKey = decryptValue(mac.encryptedKey, crypt, 'MACKey');
      } catch (err) {
        if (!(err instanceof PskcProblem)) throw err;
        fatal(err.code, err.message); // a file-level problem: report it once
      }
    }
  }
  return crypt.macKey;
}

function readKey(key: unknown, crypt: ContainerCrypto, nowMs: number): Omit<PskcKey, 'serialNumber'> {
  const algorithm = at(key, '@_Algorithm');
  if (!algorithm) throw problem('MISSING_ALGORITHM', 'Key has no Algorithm attribute');
  const data = at(key, 'Data') ?? {};
  const keyId = at(key, '@_Id');

  const s = at(data, 'Secret');
  if (s === undefined) throw problem('MISSING_SECRET', 'Key has no Data/Secret');
  let secret: Buffer;
  if (at(s, 'PlainValue') !== undefined) {
    secret = base64(text(at(s, 'PlainValue')), 'Secret/PlainValue');
  } else if (at(s, 'EncryptedValue') !== undefined) {
    if (!crypt.mac) throw problem('MISSING_MAC', 'encrypted secret without a MACMethod: refusing unauthenticated ciphertext');
    if (at(s, 'ValueMAC') === undefined) throw problem('MISSING_MAC', 'encrypted secret without a ValueMAC');
    const cipherValue = base64(text(at(s, 'EncryptedValue', 'CipherData', 'CipherValue')), 'Secret/EncryptedValue/CipherValue');
    checkMac(cipherValue, base64(text(at(s, 'ValueMAC')), 'Secret/ValueMAC'), crypt, crypt.mac);
    secret = decryptValue(at(s, 'EncryptedValue'), crypt, 'Secret');
  } else {
    throw problem('MISSING_SECRET', 'Data/Secret has neither PlainValue nor EncryptedValue');
  }

  const rf = at(key, 'AlgorithmParameters', 'ResponseFormat');
  const encoding = at(rf, '@_Encoding');
  if (encoding !== undefined && encoding !== 'DECIMAL') throw problem('UNSUPPORTED_FORMAT', `ResponseFormat Encoding "${String(encoding)}" is not supported (DECIMAL only)`);
  const lengthAttr = at(rf, '@_Length');
  const digits = lengthAttr === undefined ? 6 : Number(lengthAttr);
  if (digits !== 6 && digits !== 8) throw problem('BAD_DIGITS', `ResponseFormat Length must be 6 or 8, got "${String(lengthAttr)}"`);

  const intervalText = plainNumber(at(data, 'TimeInterval'), 'TimeInterval');
  const period = intervalText === undefined ? 30 : Number(intervalText);
  if (period !== 30 && period !== 60) throw problem('BAD_PERIOD', `TimeInterval must be 30 or 60 seconds, got ${intervalText}`);
  const t0 = plainNumber(at(data, 'Time'), 'Time');
  if (t0 !== undefined && Number(t0) !== 0) throw problem('UNSUPPORTED_TIME', `Time (T0) must be 0, got ${t0}`);

  const hash = suiteAlgorithm(text(at(key, 'AlgorithmParameters', 'Suite')));
  checkPolicy(at(key, 'Policy'), nowMs);
  // Attributes are strings (parseAttributeValue is off); String() only restates that for the type.
  return { keyId: keyId === undefined ? undefined : String(keyId), algorithm: String(algorithm), secret, params: { ...normalizeParams({ algorithm: hash, digits, period }) } };
}

function suiteAlgorithm(suite: string | undefined): string {
  if (suite === undefined || suite === '') return 'SHA1';
  const m = /^(?:HMAC-)?SHA-?(1|256|512)$/i.exec(suite);
  if (!m) throw problem('UNSUPPORTED_ALGORITHM', `AlgorithmParameters/Suite "${truncate(suite)}" is not supported (HMAC-SHA1, -SHA256, -SHA512)`);
  return `SHA${m[1]}`;
}

function checkPolicy(policy: unknown, nowMs: number): void {
  if (!policy) return;
  const expiry = text(at(policy, 'ExpiryDate'));
  if (expiry !== undefined) {
    const t = Date.parse(expiry);
    if (Number.isNaN(t)) throw problem('BAD_POLICY', `Policy/ExpiryDate "${truncate(expiry)}" is not a date`);
    if (t <= nowMs) throw problem('EXPIRED', `key expired on ${expiry} (Policy/ExpiryDate)`);
  }
  const usage = at(policy, 'KeyUsage');
  if (usage !== undefined) {
    const usages = (Array.isArray(usage) ? usage : [usage]).map(text);
    if (!usages.includes('OTP')) throw problem('BAD_POLICY', `Policy/KeyUsage (${usages.join(', ')}) does not allow OTP`);
  }
  const mode = at(policy, 'PINPolicy', '@_PINUsageMode');
  if (mode !== undefined && mode !== 'Local') {
    throw problem('UNSUPPORTED_POLICY', `PINPolicy PINUsageMode "${String(mode)}" would change the code the server sees; only "Local" is supported`);
  }
}

function checkMac(cipherValue: Buffer, expected: Buffer, crypt: ContainerCrypto, mac: NonNullable<ContainerCrypto['mac']>): void {
  const key = macKey(crypt, mac);
  // A null key (a MACMethod without MACKey and no pre-shared key given) makes createHmac throw a TypeError, as it
  // always did.
  const actual = crypto.createHmac(mac.hash, key as Buffer).update(cipherValue).digest();
  if (actual.length !== expected.length || !crypto.timingSafeEqual(actual, expected)) {
    throw problem('BAD_MAC', 'ValueMAC does not match: the file was altered or the pre-shared key is wrong');
  }
}

// xmlenc CBC: CipherValue = IV || ciphertext; padding per XML Encryption §5.2 (last byte = pad length,
// other pad bytes arbitrary), so it is removed by hand rather than by OpenSSL's strict PKCS#7 check.
function decryptValue(node: unknown, crypt: ContainerCrypto, what: string): Buffer {
  if (!crypt.key) {
    // One error for the whole file, not one per KeyPackage.
    const name = crypt.keyName ? ` "${crypt.keyName}"` : '';
    fatal('KEY_REQUIRED', `${what} is encrypted with the pre-shared key${name}; supply it to decrypt`);
  }
  const alg = at(node, 'EncryptionMethod', '@_Algorithm');
  const cipher = typeof alg === 'string' ? CIPHERS[alg] : undefined;
  if (!cipher || typeof alg !== 'string') throw problem('UNSUPPORTED_ENCRYPTION', `${what}: encryption algorithm "${truncate(String(alg))}" is not supported (AES-CBC only)`);
  if (crypt.key.length !== cipher.keyBytes) {
    throw problem('BAD_KEY', `${what}: ${alg.slice(XMLENC.length)} needs a ${cipher.keyBytes * 8}-bit key, the pre-shared key has ${crypt.key.length * 8} bits`);
  }
  const raw = base64(text(at(node, 'CipherData', 'CipherValue')), `${what} CipherValue`);
  if (raw.length < 32 || raw.length % 16 !== 0) throw problem('BAD_CIPHERTEXT', `${what}: CipherValue is not an IV plus whole AES blocks`);
  const d = crypto.createDecipheriv(cipher.name, crypt.key, raw.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(raw.subarray(16)), d.final()]);
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > 16) throw problem('BAD_CIPHERTEXT', `${what}: bad padding (wrong pre-shared key?)`);
  return plain.subarray(0, plain.length - pad);
}

function plainNumber(node: unknown, what: string): string | undefined {
  if (node === undefined) return undefined;
  const v = text(at(node, 'PlainValue'));
  if (v === undefined) throw problem('UNSUPPORTED_VALUE', `Data/${what} must be a PlainValue`);
  if (!/^\d+$/.test(v)) throw problem('BAD_VALUE', `Data/${what} "${truncate(v)}" is not a non-negative integer`);
  return v;
}

function base64(s: string | undefined, what: string): Buffer {
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
function text(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return node;
  const t = at(node, '#text');
  if (typeof t === 'string') return t;
  return undefined;
}

/** A child of the parsed tree by element or attribute name (a path of names); undefined wherever there is none. */
function at(node: unknown, ...names: string[]): unknown {
  let n = node;
  for (const name of names) {
    if (n === null || typeof n !== 'object') return undefined;
    n = (n as Record<string, unknown>)[name]; // an element of the parsed tree: its children by name
  }
  return n;
}

/** A repeated element (the parser's isArray option makes KeyPackage and Key arrays); absent: none. */
function list(node: unknown): unknown[] {
  return Array.isArray(node) ? node : [];
}

/** A problem with one KeyPackage (collected), as opposed to fatal() for the whole file. */
class PskcProblem extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

function problem(code: string, message: string): PskcProblem {
  return new PskcProblem(code, message);
}

function fatal(code: string, message: string): never {
  throw new TokenImportError({ code, message });
}
