// CSV seed files for hardware TOTP tokens: one token per line,
//   serial,seed[,digits,period,algorithm]
// * Blank lines and lines starting with '#' are ignored; CRLF and a UTF-8 BOM are accepted.
// * An optional header line "serial,seed[,digits,period,algorithm]" (case-insensitive) may come first.
// * Fields are trimmed; a field wholly wrapped in double quotes is unwrapped (spreadsheet exports).
// * Empty optional fields take the defaults: digits 6, period 30, algorithm SHA1.
// * Seed encoding, in this order:
//     "hex:…" or "base32:…" prefix  → that encoding, no guessing;
//     only [0-9a-fA-F], even length → hex;
//     only [A-Za-z2-7], '=' padding allowed → base32;
//     anything else                 → error.
//   A string of only A–F and 2–7 of even length reads as hex. A random 160-bit base32 seed has that
//   shape with probability (12/32)^32 ≈ 2·10^-14, so this only matters for hand-made seeds: use a prefix.
// * Seeds must decode to at least 128 bits (RFC 4226). Serials follow AWS's pattern and must be unique.
// Every bad line is reported (with its 1-based line number) in one TokenImportError.
import { normalizeParams, ALGORITHMS, base32Decode, base32Encode } from '../totp.js';
import { TokenImportError, serialProblem, secretProblem, truncate } from './common.js';
import type { HardwareToken, ImportProblem } from './common.js';

const COLUMNS = ['serial', 'seed', 'digits', 'period', 'algorithm'];
const HEX_RE = /^[0-9a-fA-F]+$/;
const BASE32_RE = /^[A-Za-z2-7]+=*$/;

/** Every token in a CSV seed file; throws TokenImportError listing every bad line. */
export function parseCsv(text: string | Buffer): HardwareToken[] {
  const src = Buffer.isBuffer(text) ? text.toString('utf8') : text;
  if (typeof src !== 'string') throw new TypeError('CSV input must be a string or Buffer');
  const lines = src.replace(/^\uFEFF/, '').split(/\r?\n/);
  const tokens: HardwareToken[] = [];
  const errors: ImportProblem[] = [];
  const seen = new Map<string, number>(); // serial -> line
  let sawData = false;

  lines.forEach((raw, idx) => {
    const line = idx + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(',').map(unquote);
    if (!sawData) {
      sawData = true;
      if ((fields[0] ?? '').toLowerCase() === 'serial') {
        const bad = fields.some((f, i) => f.toLowerCase() !== COLUMNS[i]);
        if (bad || fields.length < 2) {
          errors.push({ line, code: 'BAD_HEADER', message: `header must be "${COLUMNS.join(',')}" (the last three optional)` });
        }
        return;
      }
    }
    const fail = (code: string, message: string): void => { errors.push({ line, code, message, serialNumber: fields[0] || undefined }); };
    if (fields.length < 2) return fail('MISSING_FIELD', 'expected at least "serial,seed"');
    if (fields.length > COLUMNS.length) return fail('TOO_MANY_FIELDS', `expected at most ${COLUMNS.length} fields, got ${fields.length}`);

    const [serial = '', seedText = '', digitsText = '', periodText = '', algText = ''] = fields; // two at least, checked above
    const sp = serialProblem(serial);
    if (sp) return fail('BAD_SERIAL', sp);
    if (seen.has(serial)) return fail('DUPLICATE_SERIAL', `serial number "${serial}" already appears on line ${seen.get(serial)}`);
    seen.set(serial, line);

    let secret: Buffer;
    try {
      secret = decodeSeed(seedText);
    } catch (err) {
      return fail('BAD_SEED', err instanceof Error ? err.message : String(err));
    }
    const sec = secretProblem(secret);
    if (sec) return fail('BAD_SEED', sec);

    const digits = digitsText === '' ? undefined : digitsText;
    if (digits !== undefined && !/^(6|8)$/.test(digits)) return fail('BAD_DIGITS', `digits must be 6 or 8, got "${truncate(digits)}"`);
    const period = periodText === '' ? undefined : periodText;
    if (period !== undefined && !/^(30|60)$/.test(period)) return fail('BAD_PERIOD', `period must be 30 or 60, got "${truncate(period)}"`);
    const algorithm = algText === '' ? undefined : algText.toUpperCase().replace(/^(HMAC-)?SHA-?/, 'SHA');
    if (algorithm !== undefined && !ALGORITHMS.some((a) => a === algorithm)) {
      return fail('BAD_ALGORITHM', `algorithm must be one of ${ALGORITHMS.join(', ')}, got "${truncate(algText)}"`);
    }
    const params = { ...normalizeParams({ algorithm, digits: digits && Number(digits), period: period && Number(period) }) };
    tokens.push({ serialNumber: serial, secret, params });
  });

  if (errors.length) throw new TokenImportError(errors);
  if (tokens.length === 0) throw new TokenImportError({ code: 'EMPTY', message: 'no tokens in the file' });
  return tokens;
}

/** Decodes a seed field by the rule in the header comment; throws Error with a readable message. */
export function decodeSeed(text: string): Buffer {
  if (text === '') throw new Error('missing seed');
  const m = /^(hex|base32):(.*)$/i.exec(text);
  if (m) {
    const kind = (m[1] ?? '').toLowerCase();
    const body = m[2] ?? '';
    if (kind === 'hex') {
      if (!HEX_RE.test(body) || body.length % 2) throw new Error('seed after "hex:" is not an even number of hex digits');
      return Buffer.from(body, 'hex');
    }
    return decodeBase32Strict(body);
  }
  if (HEX_RE.test(text) && text.length % 2 === 0) return Buffer.from(text, 'hex');
  if (BASE32_RE.test(text)) return decodeBase32Strict(text);
  throw new Error('seed is neither hex (0-9, a-f, even length) nor base32 (A-Z, 2-7)');
}

// Strict RFC 4648 base32: otpauth's decoder silently drops a partial last character, so the result
// must re-encode to exactly the input (this rejects impossible lengths and non-zero trailing bits).
function decodeBase32Strict(text: string): Buffer {
  const s = text.replace(/=+$/, '').toUpperCase();
  if (!/^[A-Z2-7]+$/.test(s)) throw new Error('seed is not base32 (A-Z, 2-7)');
  const out = base32Decode(s);
  if (base32Encode(out) !== s) throw new Error(`base32 seed is not canonical (${s.length} characters leave stray bits)`);
  return out;
}

function unquote(f: string): string {
  const t = f.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}
