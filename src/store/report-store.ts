// All SQL for the credential report: the stored report (one per account, migration 20) and the keyset-paged reads
// its generator makes. Reads run outside any transaction, one page of users at a time, so generation never holds
// the SQLite lock or a PostgreSQL transaction while it works.
import type { Db, LockClause, Queryable, RunResult } from './db.js';
import type { ReportContentRow, ReportKeyRow, ReportProfileRow, ReportRootKeyRow, ReportStateRow, ReportUserRow } from './rows.js';
import { countOf } from './iam-store.js';

export class ReportStore {
  readonly db: Db;
  constructor(db: Db) { this.db = db; }

  getReport(accountId: string, q: Queryable = this.db, lock: LockClause = ''): Promise<ReportStateRow | undefined> {
    return q.get<ReportStateRow>(`SELECT account_id, state, generation_id, started_at, generated_at FROM credential_reports WHERE account_id = ?${lock}`, [accountId]);
  }

  getReportContent(accountId: string): Promise<ReportContentRow | undefined> {
    return this.db.get<ReportContentRow>('SELECT state, generated_at, content FROM credential_reports WHERE account_id = ?', [accountId]);
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

  /** Stores the finished report, only if this run is still the current one. */
  completeGeneration(accountId: string, generationId: string, generatedAt: string, content: string): Promise<number> {
    return this.db.run(`UPDATE credential_reports SET state = 'COMPLETE', generated_at = ?, content = ?
      WHERE account_id = ? AND generation_id = ?`, [generatedAt, content, accountId, generationId]).then((r) => r.changes);
  }

  failGeneration(accountId: string, generationId: string): Promise<RunResult> {
    return this.db.run("UPDATE credential_reports SET state = 'FAILED' WHERE account_id = ? AND generation_id = ?", [accountId, generationId]);
  }

  // Report rows: users in name order, a page at a time (keyset on name_lc), with what hangs off them.
  usersPage(accountId: string, afterNameLc: string, limit: number): Promise<ReportUserRow[]> {
    return this.db.all<ReportUserRow>(`SELECT user_id, name, name_lc, path, created_at, password_last_used FROM users
      WHERE account_id = ? AND name_lc > ? ORDER BY name_lc LIMIT ?`, [accountId, afterNameLc, limit]);
  }

  // The users of one page, as a subquery: every lookup below then goes through an index on (account_id, user_id).
  static readonly PAGE_USERS = 'SELECT user_id FROM users WHERE account_id = ? AND name_lc > ? AND name_lc <= ?';

  /** Access keys of the users whose name_lc is in (from, to], oldest first. */
  keysForRange(accountId: string, from: string, to: string): Promise<ReportKeyRow[]> {
    return this.db.all<ReportKeyRow>(`SELECT user_id, status, created_at, last_used_date, last_used_region, last_used_service FROM access_keys
      WHERE account_id = ? AND user_id IN (${ReportStore.PAGE_USERS}) ORDER BY created_at, access_key_id`, [accountId, accountId, from, to]);
  }

  profilesForRange(accountId: string, from: string, to: string): Promise<ReportProfileRow[]> {
    return this.db.all<ReportProfileRow>(`SELECT user_id, password_changed_at FROM login_profiles WHERE user_id IN (${ReportStore.PAGE_USERS})`, [accountId, from, to]);
  }

  /** Users in the range with at least one enabled MFA device. */
  mfaUsersForRange(accountId: string, from: string, to: string): Promise<{ user_id: string }[]> {
    return this.db.all<{ user_id: string }>(`SELECT DISTINCT owner_id AS user_id FROM mfa_devices
      WHERE account_id = ? AND owner_type = 'user' AND enabled_at IS NOT NULL AND owner_id IN (${ReportStore.PAGE_USERS})`, [accountId, accountId, from, to]);
  }

  // The root user's row.
  rootKeys(accountId: string): Promise<ReportRootKeyRow[]> {
    return this.db.all<ReportRootKeyRow>(`SELECT status, created_at, last_used_date, last_used_region, last_used_service FROM access_keys
      WHERE account_id = ? AND user_id IS NULL ORDER BY created_at, access_key_id`, [accountId]);
  }

  rootMfaCount(accountId: string): Promise<number> {
    return countOf(this.db, "SELECT COUNT(*) AS n FROM mfa_devices WHERE account_id = ? AND owner_type = 'root' AND enabled_at IS NOT NULL", [accountId]);
  }
}
