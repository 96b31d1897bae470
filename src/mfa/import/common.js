// Shared rules for hardware-token seed imports: serial validation, seed length, duplicates, errors.

// AWS serialNumberType: 9–256 characters of [\w+=/:,.@-].
export const SERIAL_RE = /^[\w+=/:,.@-]{9,256}$/;
// RFC 4226 §4 R6: the shared secret MUST be at least 128 bits (160 recommended).
export const MIN_SECRET_BYTES = 16;
// Longest HMAC block we accept a key for without hashing it first (SHA-512 block = 128 bytes).
export const MAX_SECRET_BYTES = 128;

/**
 * Thrown for any unusable import file. `errors` lists every problem found (not only the first), each
 * with a stable `code` and, where it applies, `line` (CSV) or `keyPackage` (PSKC, 1-based) and `serialNumber`.
 * Callers on the AWS wire map this to InvalidInput.
 */
export class TokenImportError extends Error {
  constructor(errors) {
    const list = Array.isArray(errors) ? errors : [errors];
    super(list.map(formatProblem).join('; '));
    this.name = 'TokenImportError';
    this.code = list[0]?.code ?? 'INVALID_IMPORT';
    this.errors = list;
  }
}

function formatProblem(e) {
  const where = e.line != null ? `line ${e.line}: ` : e.keyPackage != null ? `KeyPackage ${e.keyPackage}: ` : '';
  return where + e.message;
}

/** Returns a problem message for an invalid serial, or null. */
export function serialProblem(serial) {
  if (typeof serial !== 'string' || serial === '') return 'missing serial number';
  if (!SERIAL_RE.test(serial)) {
    return `serial number "${truncate(serial)}" must be 9 to 256 characters of letters, digits and +=/:,.@_-`;
  }
  return null;
}

/** Returns a problem message for an unusable secret length, or null. */
export function secretProblem(secret) {
  if (secret.length < MIN_SECRET_BYTES) {
    return `seed is ${secret.length * 8} bits; at least ${MIN_SECRET_BYTES * 8} bits are required (RFC 4226)`;
  }
  if (secret.length > MAX_SECRET_BYTES) return `seed is longer than ${MAX_SECRET_BYTES} bytes`;
  return null;
}

export function truncate(s, n = 40) {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
