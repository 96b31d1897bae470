// All SQL for the credential report: the stored report (one per account, migration 20) and the keyset-paged reads
// its generator makes. Reads run outside any transaction, one page of users at a time, so generation never holds
// the SQLite lock or a PostgreSQL transaction while it works.
import { lockClause } from './db.js';
import type { Db, LockMode, Queryable, RunResult } from './db.js';
import type { ReportContentRow, ReportKeyRow, ReportProfileRow, ReportRootKeyRow, ReportStateRow, ReportUserRow } from './rows.js';
import type { ReportContent, ReportKey, ReportProfile, ReportRootKey, ReportState, ReportUser } from './entities.js';
import { countOf } from './iam-store.js';

export class ReportStore {
  readonly db: Db;
  constructor(db: Db) { this.db = db; }

  async getReport(accountId: string, q: Queryable = this.db, lock?: LockMode): Promise<ReportState | undefined> {
    const r = await q.get<ReportStateRow>(`SELECT account_id, state, generation_id, started_at, generated_at FROM credential_reports WHERE account_id = ?${lockClause(q, lock)}`, [accountId]);
    return r && { accountId: r.account_id, state: r.state, generationId: r.generation_id, startedAt: r.started_at, generatedAt: r.generated_at };
  }

  /** The stored report's state and, once a run completed, which run it is, its size in bytes and its parts. */
  async getReportContent(accountId: string): Promise<ReportContent | undefined> {
    const r = await this.db.get<ReportContentRow>('SELECT state, generated_at, content_generation_id, content_bytes, content_parts FROM credential_reports WHERE account_id = ?', [accountId]);
    return r && { state: r.state, generatedAt: r.generated_at, contentGenerationId: r.content_generation_id, contentBytes: r.content_bytes === null ? null : Number(r.content_bytes), contentParts: r.content_parts === null ? null : Number(r.content_parts) };
  }

  /** One part of a run's CSV, written as the run goes (small writes: no long write holds the database). */
  appendPart(accountId: string, generationId: string, seq: number, content: string): Promise<RunResult> {
    return this.db.run('INSERT INTO credential_report_parts (account_id, generation_id, seq, content) VALUES (?, ?, ?, ?)', [accountId, generationId, seq, content]);
  }

  /** Part seq of a run, or undefined when it is gone (a later run completed and removed it). */
  async part(accountId: string, generationId: string, seq: number): Promise<string | undefined> {
    const r = await this.db.get<{ content: string }>('SELECT content FROM credential_report_parts WHERE account_id = ? AND generation_id = ? AND seq = ?', [accountId, generationId, seq]);
    return r?.content;
  }

  /** Creates the row if absent (no-op otherwise), so a FOR UPDATE lock has something to hold on PostgreSQL. */
  ensureRow(accountId: string, generationId: string, when: string, q: Queryable = this.db): Promise<RunResult> {
    return q.run(`INSERT INTO credential_reports (account_id, state, generation_id, started_at) VALUES (?, 'NONE', ?, ?)
      ON CONFLICT (account_id) DO NOTHING`, [accountId, generationId, when]);
  }

  /** Marks a new run as started; the previous content stays until the run completes. */
  startGeneration(accountId: string, generationId: string, when: string, q: Queryable = this.db): Promise<RunResult> {
    return q.run("UPDATE credential_reports SET state = 'INPROGRESS', generation_id = ?, started_at = ? WHERE account_id = ?", [generationId, when, accountId]);
  }

  /**
   * Marks the run's parts as the report, only if this run is still the current one, and removes the parts of every
   * other run (earlier reports, failed runs). 1 when stored, 0 when a newer run took over.
   */
  completeGeneration(accountId: string, generationId: string, generatedAt: string, bytes: number, parts: number): Promise<number> {
    return this.db.tx(async (tx) => {
      const { changes } = await tx.run(`UPDATE credential_reports SET state = 'COMPLETE', generated_at = ?, content = NULL,
        content_generation_id = generation_id, content_bytes = ?, content_parts = ?
        WHERE account_id = ? AND generation_id = ?`, [generatedAt, bytes, parts, accountId, generationId]);
      if (changes) await tx.run('DELETE FROM credential_report_parts WHERE account_id = ? AND generation_id <> ?', [accountId, generationId]);
      return changes;
    });
  }

  failGeneration(accountId: string, generationId: string): Promise<RunResult> {
    return this.db.run("UPDATE credential_reports SET state = 'FAILED' WHERE account_id = ? AND generation_id = ?", [accountId, generationId]);
  }

  // Report rows: users in name order, a page at a time (keyset on name_lc), with what hangs off them.
  async usersPage(accountId: string, afterNameLc: string, limit: number): Promise<ReportUser[]> {
    const rows = await this.db.all<ReportUserRow>(`SELECT user_id, name, name_lc, path, created_at, password_last_used FROM users
      WHERE account_id = ? AND name_lc > ? ORDER BY name_lc LIMIT ?`, [accountId, afterNameLc, limit]);
    return rows.map((r) => ({ userId: r.user_id, name: r.name, nameLc: r.name_lc, path: r.path, createdAt: r.created_at, passwordLastUsed: r.password_last_used }));
  }

  // The users of one page, as a subquery: every lookup below then goes through an index on (account_id, user_id).
  static readonly PAGE_USERS = 'SELECT user_id FROM users WHERE account_id = ? AND name_lc > ? AND name_lc <= ?';

  /** Access keys of the users whose name_lc is in (from, to], oldest first. */
  async keysForRange(accountId: string, from: string, to: string): Promise<ReportKey[]> {
    const rows = await this.db.all<ReportKeyRow>(`SELECT user_id, status, created_at, last_used_date, last_used_region, last_used_service FROM access_keys
      WHERE account_id = ? AND user_id IN (${ReportStore.PAGE_USERS}) ORDER BY created_at, access_key_id`, [accountId, accountId, from, to]);
    return rows.map((r) => ({ userId: r.user_id, ...rootKey(r) }));
  }

  async profilesForRange(accountId: string, from: string, to: string): Promise<ReportProfile[]> {
    const rows = await this.db.all<ReportProfileRow>(`SELECT user_id, password_changed_at FROM login_profiles WHERE user_id IN (${ReportStore.PAGE_USERS})`, [accountId, from, to]);
    return rows.map((r) => ({ userId: r.user_id, passwordChangedAt: r.password_changed_at }));
  }

  /** The ids of the users in the range with at least one enabled MFA device. */
  async mfaUsersForRange(accountId: string, from: string, to: string): Promise<string[]> {
    const rows = await this.db.all<{ user_id: string }>(`SELECT DISTINCT owner_id AS user_id FROM mfa_devices
      WHERE account_id = ? AND owner_type = 'user' AND enabled_at IS NOT NULL AND owner_id IN (${ReportStore.PAGE_USERS})`, [accountId, accountId, from, to]);
    return rows.map((r) => r.user_id);
  }

  // The root user's row.
  async rootKeys(accountId: string): Promise<ReportRootKey[]> {
    const rows = await this.db.all<ReportRootKeyRow>(`SELECT status, created_at, last_used_date, last_used_region, last_used_service FROM access_keys
      WHERE account_id = ? AND user_id IS NULL ORDER BY created_at, access_key_id`, [accountId]);
    return rows.map(rootKey);
  }

  rootMfaCount(accountId: string): Promise<number> {
    return countOf(this.db, "SELECT COUNT(*) AS n FROM mfa_devices WHERE account_id = ? AND owner_type = 'root' AND enabled_at IS NOT NULL", [accountId]);
  }
}

const rootKey = (r: ReportRootKeyRow): ReportRootKey => ({
  status: r.status, createdAt: r.created_at, lastUsedDate: r.last_used_date, lastUsedRegion: r.last_used_region, lastUsedService: r.last_used_service,
});
