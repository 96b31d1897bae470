// The credential report: GenerateCredentialReport and GetCredentialReport, with AWS's 22 columns and vocabulary.
// One report per account lives in the database (report-store.js), so every node sharing PostgreSQL serves the same
// report and no two nodes build it at once (the report row is locked while a run is claimed). A run builds the CSV
// off the request, a page of users at a time, yielding to other requests between pages. See docs/compliance.md.
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ServiceError } from '../errors.js';
import { StreamedBlob } from '../aws/streamed-blob.js';
import { ReportStore } from '../store/report-store.js';
import type { IamHandler, IamOperations } from '../aws/handlers.js';
import type { GenerateCredentialReportResponse, ReportStateType } from '../aws/models/iam.generated.js';
import type { OperationContext } from './context.js';
import type { Tx } from '../store/db.js';
import { arn } from './arn.js';
import { passwordPolicyOf } from './login-profiles.js';

// The store's rows, as its queries return them.
type AccountRow = OperationContext['account'];
type ReportPageUser = Awaited<ReturnType<ReportStore['reportPage']>>[number];
type KeyRow = ReportPageUser['keys'][number];
/** A transaction the store's queries run in. */
type Query = Tx;
/** The account's password policy, as GetAccountPasswordPolicy shows it (the fields the report reads). */
type PasswordPolicy = { readonly MaxPasswordAge?: number; readonly ExpirePasswords?: boolean } | null;

export const REPORT_MAX_AGE_MS = 4 * 3600 * 1000; // reused for 4 hours, then regenerated; Get says expired after it

/** The reuse window in force: the credential-report-max-age setting (seconds), else AWS's 4 hours. */
export function reportMaxAgeMs(config: OperationContext['config'] | undefined): number {
  const s = config?.credentialReportMaxAgeSeconds;
  return s !== undefined && Number.isInteger(s) && s > 0 ? s * 1000 : REPORT_MAX_AGE_MS;
}

/** The window in words for ReportExpired: "4 hours", "90 minutes", "45 seconds". */
function windowWords(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 3600 === 0) return `${s / 3600} hour${s === 3600 ? '' : 's'}`;
  if (s % 60 === 0) return `${s / 60} minute${s === 60 ? '' : 's'}`;
  return `${s} second${s === 1 ? '' : 's'}`;
}
export const STALE_RUN_MS = 10 * 60 * 1000; // a run claimed this long ago and not finished died with its node
// A page of users is read and written out between two yields to the event loop (a few milliseconds of work). On
// SQLite the page size bounds how long other requests wait: reading a page, writing parts (with the commit's fsync)
// and reading parts back for GetCredentialReport each hold the event loop once. On PostgreSQL the next page is read
// while one is written out; pages of 1,000 there lived long enough to be promoted to V8's old space at times, which
// then grew by tens of MiB before a full collection (docs/benchmarks.md, the credential report).
const PAGE_USERS = 500;
// The text is made, stored and read back in chunks of at most about 48,000 characters, each a part of its own:
// V8 puts a string over 128 KiB in its large-object space, which only a full collection frees, so parts of a few
// hundred kilobytes piled up there while a report was made or sent. Parts are written and read eight at a time
// (one statement, one commit).
const CHUNK_CHARS = 48_000;
const PARTS_PER_STATEMENT = 8;

export const CREDENTIAL_REPORT_HEADER = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed',
  'password_next_rotation', 'mfa_active', 'access_key_1_active', 'access_key_1_last_rotated',
  'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region',
  'access_key_2_last_used_service', 'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
].join(',');

/** AWS's report timestamps: 2018-06-01T06:55:24+00:00 (seconds, explicit UTC offset). */
const STORED_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
export function reportTime(value: Date | string | number): string {
  // Stored times are ISO-8601 UTC text already: cut it, without parsing (six of them per user in a large report).
  if (typeof value === 'string' && STORED_TIME.test(value)) return `${value.slice(0, 19)}+00:00`;
  const s = (value instanceof Date ? value : new Date(value)).toISOString();
  return `${s.slice(0, 19)}+00:00`;
}

const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The ten access-key columns for a principal's keys (oldest first; AWS reports the first two). */
function keyColumns(keys: readonly KeyRow[] | undefined): string {
  const out: string[] = [];
  for (let i = 0; i < 2; i++) {
    const k = keys?.[i];
    if (!k) { out.push('false', 'N/A', 'N/A', 'N/A', 'N/A'); continue; }
    const used = k.lastUsedDate;
    out.push(k.status === 'Active' ? 'true' : 'false', reportTime(k.createdAt),
      used ? reportTime(used) : 'N/A', used && k.lastUsedRegion ? k.lastUsedRegion : 'N/A', used && k.lastUsedService ? k.lastUsedService : 'N/A');
  }
  return out.join(',');
}

const CERT_COLUMNS = 'false,N/A,false,N/A';

function nextRotation(changedAt: string, policy: PasswordPolicy): string {
  const days = policy?.MaxPasswordAge;
  if (!days || policy.ExpirePasswords === false) return 'N/A';
  return reportTime(new Date(new Date(changedAt).getTime() + days * 86400_000));
}


/**
 * The report's CSV for an account (its row: account_id, created_at, root_password_last_used, password_policy), in
 * chunks of at most about CHUNK_CHARS characters: the header and the root user's row, then the users' lines, each
 * chunk ending with a newline. Between pages it yields to the event loop, so other requests wait at most one page.
 */
export async function* credentialReportChunks(db: OperationContext['db'], account: AccountRow): AsyncGenerator<string> {
  const rs = new ReportStore(db);
  const accountId: string = account.accountId;
  const policy: PasswordPolicy = passwordPolicyOf(account);

  const [rootKeys, rootMfa] = await Promise.all([rs.rootKeys(accountId), rs.rootMfaCount(accountId)]);
  yield `${CREDENTIAL_REPORT_HEADER}\n${[
    '<root_account>', arn.root(accountId), reportTime(account.createdAt), 'not_supported',
    account.rootPasswordLastUsed ? reportTime(account.rootPasswordLastUsed) : 'no_information',
    'not_supported', 'not_supported', rootMfa > 0 ? 'true' : 'false', keyColumns(rootKeys), CERT_COLUMNS,
  ].join(',')}\n`;

  // The next page is read while this one is written out (on PostgreSQL the query runs meanwhile; on SQLite it ran
  // when asked, so a yield follows it before the page's text is built: one of the two per turn of the event loop).
  const read = (after: string): Promise<ReportPageUser[]> => {
    const page = rs.reportPage(accountId, after, PAGE_USERS);
    page.catch(() => {}); // a run abandoned with a read in flight: its failure is not for anyone (an awaited one still throws)
    return page;
  };
  let next: Promise<ReportPageUser[]> | null = read('');
  while (next) {
    await nextTurn();
    const users: ReportPageUser[] = await next;
    const lastUser = users[users.length - 1];
    if (!lastUser) break;
    next = users.length < PAGE_USERS ? null : read(lastUser.nameLc);
    await nextTurn();
    // Each line joined from an array: one flat string at once. (Built as nested template strings, each line stayed a
    // tree of its pieces until the part was written, about 60 MiB more at the peak for 100,000 users.)
    let lines: string[] = [];
    let chars = 0;
    for (const u of users) {
      const changed = u.passwordChangedAt;
      const line = [
        csvField(u.name), csvField(arn.user(accountId, u.path, u.name)), reportTime(u.createdAt),
        changed !== null ? 'true' : 'false',
        u.passwordLastUsed ? reportTime(u.passwordLastUsed) : changed !== null ? 'no_information' : 'N/A',
        changed !== null ? reportTime(changed) : 'N/A',
        changed !== null ? nextRotation(changed, policy) : 'N/A',
        u.mfa ? 'true' : 'false',
        keyColumns(u.keys),
        CERT_COLUMNS,
      ].join(',');
      lines.push(line);
      chars += line.length + 1; // and its newline
      if (chars >= CHUNK_CHARS) {
        lines.push('');
        yield lines.join('\n');
        lines = [];
        chars = 0;
      }
    }
    if (lines.length) {
      lines.push('');
      yield lines.join('\n');
    }
  }
}

/** The whole report's CSV text (the benchmarks and tests; a run stores it in parts instead). */
export async function buildCredentialReport(db: OperationContext['db'], account: AccountRow): Promise<string> {
  const chunks: string[] = [];
  for await (const c of credentialReportChunks(db, account)) chunks.push(c);
  return chunks.join('');
}

/**
 * Build and store one run, a part at a time (no write holds the database long, and the process never holds more
 * than a part); only the run that claimed the row may complete it. Never throws.
 */
export async function runCredentialReport(
  db: OperationContext['db'], account: AccountRow, generationId: string, generatedAt: string, logger?: Partial<OperationContext['logger']>,
): Promise<void> {
  const rs = new ReportStore(db);
  try {
    let seq = 0;
    let bytes = 0;
    let pending: string[] = [];
    const flush = async (): Promise<void> => {
      for (const part of pending) bytes += Buffer.byteLength(part);
      await rs.appendParts(account.accountId, generationId, seq, pending);
      seq += pending.length;
      pending = [];
    };
    for await (const chunk of credentialReportChunks(db, account)) {
      pending.push(chunk);
      if (pending.length >= PARTS_PER_STATEMENT) await flush();
    }
    if (pending.length) await flush();
    await rs.completeGeneration(account.accountId, generationId, generatedAt, bytes, seq);
  } catch (e) {
    logger?.warn?.({ err: e instanceof Error ? e.message : undefined }, 'credential report generation failed');
    await rs.failGeneration(account.accountId, generationId).catch(() => {});
  }
}

/** How old a stored time is; none (null) counts as the epoch, so it is always too old. */
const age = (iso: string | null, now: Date): number => now.getTime() - new Date(iso ?? 0).getTime();

type IamHandlers = { [K in keyof IamOperations]: IamHandler<K, OperationContext> };

export const handlers = {
  async GenerateCredentialReport(ctx) {
    const rs = new ReportStore(ctx.db);
    const accountId = ctx.account.accountId;
    const now = ctx.now;
    const nowIso = now.toISOString();
    const generationId = randomUUID();
    type Claim = { State: ReportStateType; Description?: string; start?: true };
    const claim: Claim = await ctx.db.tx(async (tx: Query): Promise<Claim> => {
      await rs.ensureRow(accountId, generationId, nowIso, tx);
      const row = await rs.getReport(accountId, tx, 'update');
      if (!row) throw new Error('credential report row missing after ensureRow');
      if (row.state === 'COMPLETE' && age(row.generatedAt, now) < reportMaxAgeMs(ctx.config)) return { State: 'COMPLETE' };
      if (row.state === 'INPROGRESS' && age(row.startedAt, now) < STALE_RUN_MS) return { State: 'INPROGRESS' };
      await rs.startGeneration(accountId, generationId, nowIso, tx);
      const description = row.generatedAt
        ? `The existing report is older than ${windowWords(reportMaxAgeMs(ctx.config))}. Starting a new report generation task`
        : 'No report exists. Starting a new report generation task';
      return { State: 'STARTED', Description: description, start: true };
    });
    if (claim.start) {
      // Off the request: the caller polls GenerateCredentialReport (INPROGRESS, then COMPLETE) or GetCredentialReport.
      const account = (await ctx.store.getAccount(accountId)) ?? ctx.account;
      await ctx.keyUsage.flush(); // the report's last-used columns include this node's latest uses
      runCredentialReport(ctx.db, account, generationId, nowIso, ctx.logger);
    }
    const out: GenerateCredentialReportResponse = { State: claim.State, ...(claim.Description ? { Description: claim.Description } : {}) };
    return out;
  },

  async GetCredentialReport(ctx) {
    const rs = new ReportStore(ctx.db);
    const accountId = ctx.account.accountId;
    const row = await rs.getReportContent(accountId);
    if (row?.state === 'INPROGRESS') throw new ServiceError('ReportInProgress', 'The credential report is being generated. Call GetCredentialReport again in a few seconds.');
    const run = row?.contentGenerationId;
    if (!row || !run || row.contentBytes === null || row.contentParts === null) {
      throw new ServiceError('ReportNotPresent', 'No credential report exists. Call GenerateCredentialReport to generate one.');
    }
    const maxAge = reportMaxAgeMs(ctx.config);
    if (age(row.generatedAt, ctx.now) >= maxAge) {
      throw new ServiceError('ReportExpired', `The credential report is older than ${windowWords(maxAge)}. Call GenerateCredentialReport to generate a new one.`);
    }
    const parts = row.contentParts;
    // Streamed a part at a time as the response is written (src/aws/streamed-blob.ts): the report is never whole in
    // memory. A part gone mid-way (a newer run completed meanwhile and removed this one's) aborts the response.
    const content = new StreamedBlob(row.contentBytes, async function* () {
      for (let seq = 0; seq < parts; seq += PARTS_PER_STATEMENT) {
        const some = await rs.parts(accountId, run, seq, Math.min(PARTS_PER_STATEMENT, parts - seq));
        if (some === undefined) throw new Error(`credential report ${run}: parts from ${seq} are gone`);
        for (const part of some) yield Buffer.from(part, 'utf8');
      }
    });
    return { Content: content, ReportFormat: 'text/csv', GeneratedTime: new Date(row.generatedAt ?? 0) };
  },
} satisfies Partial<IamHandlers>;
