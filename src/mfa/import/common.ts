// Shared rules for hardware-token seed imports: serial validation, seed length, duplicates, errors.
import type { TotpParams } from '../totp.js';

/** One hardware token read from an import file, ready for the inventory; the caller's own (the CLI copies the secret). */
export interface HardwareToken {
  serialNumber: string;
  secret: Buffer;
  params: TotpParams;
}

// AWS serialNumberType: 9–256 characters of [\w+=/:,.@-].
export const SERIAL_RE = /^[\w+=/:,.@-]{9,256}$/;
// RFC 4226 §4 R6: the shared secret MUST be at least 128 bits (160 recommended).
export const MIN_SECRET_BYTES = 16;
// Longest HMAC block we accept a key for without hashing it first (SHA-512 block = 128 bytes).
export const MAX_SECRET_BYTES = 128;

/** One problem in an import file: a stable code, where it is, and what is wrong. */
export interface ImportProblem {
  readonly code: string;
  readonly message: string;
  /** CSV: 1-based line. */
  readonly line?: number | undefined;
  /** PSKC: 1-based KeyPackage. */
  readonly keyPackage?: number | undefined;
  readonly serialNumber?: string | undefined;
}

/**
 * Thrown for any unusable import file. `errors` lists every problem found (not only the first), each
 * with a stable `code` and, where it applies, `line` (CSV) or `keyPackage` (PSKC, 1-based) and `serialNumber`.
 * Callers on the AWS wire map this to InvalidInput.
 */
export class TokenImportError extends Error {
  readonly code: string;
  readonly errors: readonly ImportProblem[];
  constructor(errors: ImportProblem | readonly ImportProblem[]) {
    const list: readonly ImportProblem[] = isList(errors) ? errors : [errors];
    super(list.map(formatProblem).join('; '));
    this.name = 'TokenImportError';
    this.code = list[0]?.code ?? 'INVALID_IMPORT';
    this.errors = list;
  }
}

// Array.isArray does not narrow a readonly array out of a union.
const isList = (e: ImportProblem | readonly ImportProblem[]): e is readonly ImportProblem[] => Array.isArray(e);

function formatProblem(e: ImportProblem): string {
  const where = e.line != null ? `line ${e.line}: ` : e.keyPackage != null ? `KeyPackage ${e.keyPackage}: ` : '';
  return where + e.message;
}

/** Returns a problem message for an invalid serial, or null. */
export function serialProblem(serial: unknown): string | null {
  if (typeof serial !== 'string' || serial === '') return 'missing serial number';
  if (!SERIAL_RE.test(serial)) {
    return `serial number "${truncate(serial)}" must be 9 to 256 characters of letters, digits and +=/:,.@_-`;
  }
  return null;
}

/** Returns a problem message for an unusable secret length, or null. */
export function secretProblem(secret: Uint8Array): string | null {
  if (secret.length < MIN_SECRET_BYTES) {
    return `seed is ${secret.length * 8} bits; at least ${MIN_SECRET_BYTES * 8} bits are required (RFC 4226)`;
  }
  if (secret.length > MAX_SECRET_BYTES) return `seed is longer than ${MAX_SECRET_BYTES} bytes`;
  return null;
}

export function truncate(s: string, n = 40): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
