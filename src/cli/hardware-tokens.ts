// `gatehouse hardware-tokens import FILE | list`: the account's inventory of hardware TOTP tokens, whose seeds
// the vendor ships in a PSKC (RFC 6030) or CSV file. Same data/database options and GATEHOUSE_* variables as
// `serve`; the import is all or nothing, and the seeds are sealed with the server's master key.
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openExistingStore } from './store.js';
import { messageOf } from './main.js';
import type { optionValues as OptionValuesOf, OptionSpecs, OptionValues } from './main.js';
import type { RowOf } from '../iam/common.js';
import type { MfaStore } from '../store/mfa-store.js';

const OPTIONS = {
  data: { type: 'string', env: 'GATEHOUSE_DATA', default: './.gatehouse', help: 'data folder: SQLite file and master key (as for serve)' },
  database: { type: 'string', env: 'GATEHOUSE_DATABASE_URL', default: undefined, help: 'postgres://… when the server uses PostgreSQL' },
  format: { type: 'string', env: 'GATEHOUSE_TOKEN_FORMAT', default: undefined, help: 'pskc or csv (default: from the file name, else its content)' },
  psk: { type: 'string', env: 'GATEHOUSE_PSKC_KEY', default: undefined, help: 'pre-shared key (hex) for a PSKC file with encrypted seeds' },
} as const satisfies OptionSpecs;
type Options = OptionValues<typeof OPTIONS>;

const HELP = `Usage:
  gatehouse hardware-tokens import FILE [--format pskc|csv] [--psk HEX] [--data DIR] [--database URL]
  gatehouse hardware-tokens list [--data DIR] [--database URL]
  gatehouse hardware-tokens remove SERIAL [--data DIR] [--database URL]

Imports hardware TOTP tokens (seeds from the vendor's PSKC or CSV file) into the account's inventory.
An imported token is assigned with EnableMFADevice, its bare serial number (e.g. GAHT12345678) and two
consecutive codes. CSV lines: serial,seed[,digits,period,algorithm] (seed in hex or base32; see docs/mfa.md).
Tokens that show 8-digit codes are refused: AWS clients send 6-digit codes. An import is all or nothing and
reports every problem of the file at once. remove takes an unassigned token (and its seed) out of the inventory.

Options:
${Object.entries(OPTIONS).map(([k, o]) => `  --${k.padEnd(10)} ${o.help}\n  ${''.padEnd(12)} env ${o.env}`).join('\n')}
  GATEHOUSE_MASTER_KEY  the server's master key, when it is not the key file in the data folder
`;

class UsageError extends Error {}

/** One problem a token import reports (a CSV line's, a PSKC KeyPackage's, or the file's). */
interface ImportProblem { readonly line?: number | null; readonly keyPackage?: number | null; readonly message: string; readonly code: string }

/** src/mfa's importers throw a TokenImportError listing every problem found. */
const isTokenImportError = (e: unknown): e is { readonly errors: readonly ImportProblem[] } =>
  typeof e === 'object' && e !== null && 'name' in e && e.name === 'TokenImportError';

export async function hardwareTokens(argv: readonly string[], optionValues: typeof OptionValuesOf): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(HELP);
    return sub ? 0 : 2;
  }
  let o: Options;
  try {
    o = optionValues(rest, OPTIONS);
  } catch (e) {
    process.stderr.write(`gatehouse hardware-tokens: ${messageOf(e)}\n\n${HELP}`);
    return 2;
  }
  if (o.help) { process.stdout.write(HELP); return 0; }
  const { positionals } = parseArgs({
    args: rest,
    options: { ...Object.fromEntries(Object.entries(OPTIONS).map(([k, v]) => [k, { type: v.type }])), help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  try {
    if (sub === 'import') return await importCommand(positionals, o);
    if (sub === 'list') return await listCommand(o);
    if (sub === 'remove') return await removeCommand(positionals, o);
    throw new UsageError(`unknown subcommand '${sub}'`);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`gatehouse hardware-tokens: ${e.message}\n\n${HELP}`);
      return 2;
    }
    if (isTokenImportError(e)) {
      process.stderr.write(`gatehouse hardware-tokens: nothing imported; ${e.errors.length} problem${e.errors.length > 1 ? 's' : ''}:\n${e.errors.map((p) => `  - ${describe(p)}`).join('\n')}\n`);
      return 1;
    }
    process.stderr.write(`gatehouse hardware-tokens: ${messageOf(e)}\n`);
    return 1;
  }
}

function describe(p: ImportProblem): string {
  const where = p.line != null ? `line ${p.line}: ` : p.keyPackage != null ? `KeyPackage ${p.keyPackage}: ` : '';
  return `${where}${p.message} [${p.code}]`;
}

function detectFormat(file: string, text: string, format: string | undefined): 'pskc' | 'csv' {
  if (format !== undefined) {
    const f = format.toLowerCase();
    if (f !== 'pskc' && f !== 'csv') throw new UsageError(`--format must be pskc or csv, got '${format}'`);
    return f;
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (['.xml', '.pskc', '.pskcxml'].includes(ext)) return 'pskc';
  return text.replace(/^\uFEFF/, '').trimStart().startsWith('<') ? 'pskc' : 'csv';
}

async function importCommand(positionals: readonly string[], o: Options): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('import takes exactly one FILE');
  const file = resolve(positionals[0]!); // exactly one, checked above
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  const text = readFileSync(file, 'utf8');
  const format = detectFormat(file, text, o.format);
  if (o.psk !== undefined && !/^([0-9a-fA-F]{2})+$/.test(o.psk)) throw new UsageError('--psk must be the pre-shared key in hex');
  if (o.psk !== undefined && format !== 'pskc') throw new UsageError('--psk applies to PSKC files only');

  const { parseCsv, importPskc } = await import('../mfa/index.js');
  // Parse (and decrypt) everything before touching the store.
  const tokens = format === 'csv' ? parseCsv(text) : importPskc(text, o.psk ? { preSharedKey: Buffer.from(o.psk, 'hex') } : {});
  if (!tokens.length) throw new Error(`${file} holds no tokens`);
  for (const t of tokens) t.secret = Buffer.from(t.secret);

  const s = await openExistingStore(o);
  try {
    const { importHardwareTokens } = await import('../iam/mfa-devices.js');
    const n = await importHardwareTokens({ db: s.db, mfaStore: s.mfaStore, secrets: s.secrets, accountId: s.account.accountId }, tokens);
    const kinds = new Map<string, number>();
    for (const t of tokens) {
      const k = `${t.params.algorithm ?? 'SHA1'}, ${t.params.digits ?? 6} digits, ${t.params.period ?? 30} s`;
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    process.stdout.write(`Imported ${n} hardware token${n > 1 ? 's' : ''} from ${file} (${format.toUpperCase()}) into account ${s.account.accountId}:
${[...kinds].map(([k, c]) => `  ${c} × ${k}`).join('\n')}
Serial numbers: ${tokens.map((t) => t.serialNumber).join(', ')}
Assign one with: aws iam enable-mfa-device --user-name USER --serial-number ${tokens[0]!.serialNumber} --authentication-code1 CODE1 --authentication-code2 CODE2
`);
    return 0;
  } finally {
    for (const t of tokens) t.secret.fill(0);
    await s.db.close();
  }
}

async function removeCommand(positionals: readonly string[], o: Options): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('remove takes exactly one SERIAL');
  const serial = positionals[0]!; // exactly one, checked above
  const s = await openExistingStore(o);
  try {
    const { removeHardwareToken } = await import('../iam/mfa-devices.js');
    await removeHardwareToken({ db: s.db, mfaStore: s.mfaStore, accountId: s.account.accountId }, serial);
    process.stdout.write(`Removed hardware token ${serial} from account ${s.account.accountId}'s inventory.\n`);
    return 0;
  } finally {
    await s.db.close();
  }
}

async function listCommand(o: Options): Promise<number> {
  const s = await openExistingStore(o);
  try {
    const rows = await s.mfaStore.listHardware(s.account.accountId);
    if (!rows.length) {
      process.stdout.write(`No hardware tokens in account ${s.account.accountId}: import some with gatehouse hardware-tokens import FILE\n`);
      return 0;
    }
    const lines: string[][] = rows.map((r: RowOf<MfaStore['listHardware']>): string[] => {
      const p = r.params;
      const who = r.ownerType === 'root' ? 'root user' : r.ownerType === 'user' ? `user ${r.userName}` : 'unassigned';
      return [r.serialNumber, who, r.enabledAt ?? '-', `${p.algorithm}/${p.digits}/${p.period}s`, r.createdAt];
    });
    const head = ['SERIAL', 'ASSIGNED TO', 'ENABLED', 'TOTP', 'IMPORTED'];
    const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length))); // every line has a cell per column
    const fmt = (l: readonly string[]): string => l.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd(); // one width per column
    process.stdout.write(`${[fmt(head), ...lines.map(fmt)].join('\n')}\n${rows.length} token${rows.length > 1 ? 's' : ''}, ${rows.filter((r: RowOf<MfaStore['listHardware']>) => !r.ownerType).length} unassigned\n`);
    return 0;
  } finally {
    await s.db.close();
  }
}
