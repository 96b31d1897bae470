// All SQL for the credential report: the stored report (one per account, migration 20) and the keyset-paged reads
// its generator makes. Reads run outside any transaction, one page of users at a time, so generation never holds
// the SQLite lock or a PostgreSQL transaction while it works.
export class ReportStore {
  constructor(db) { this.db = db; }

  getReport(accountId, q = this.db, lock = '') {
    return q.get(`SELECT account_id, state, generation_id, started_at, generated_at FROM credential_reports WHERE account_id = ?${lock}`, [accountId]);
  }

  getReportContent(accountId) {
    return this.db.get('SELECT state, generated_at, content FROM credential_reports WHERE account_id = ?', [accountId]);
  }

  /** Creates the row if absent (no-op otherwise), so a FOR UPDATE lock has something to hold on PostgreSQL. */
  ensureRow(accountId, generationId, when, q = this.db) {
    return q.run(`INSERT INTO credential_reports (account_id, state, generation_id, started_at) VALUES (?, 'NONE', ?, ?)
      ON CONFLICT (account_id) DO NOTHING`, [accountId, generationId, when]);
  }

  /** Marks a new run as started; the previous content stays until the run completes. */
  startGeneration(accountId, generationId, when, q = this.db) {
    return q.run("UPDATE credential_reports SET state = 'INPROGRESS', generation_id = ?, started_at = ? WHERE account_id = ?", [generationId, when, accountId]);
  }

  /** Stores the finished report, only if this run is still the current one. */
  completeGeneration(accountId, generationId, generatedAt, content) {
    return this.db.run(`UPDATE credential_reports SET state = 'COMPLETE', generated_at = ?, content = ?
      WHERE account_id = ? AND generation_id = ?`, [generatedAt, content, accountId, generationId]).then((r) => r.changes);
  }

  failGeneration(accountId, generationId) {
    return this.db.run("UPDATE credential_reports SET state = 'FAILED' WHERE account_id = ? AND generation_id = ?", [accountId, generationId]);
  }

  // Report rows: users in name order, a page at a time (keyset on name_lc), with what hangs off them.
  usersPage(accountId, afterNameLc, limit) {
    return this.db.all(`SELECT user_id, name, name_lc, path, created_at, password_last_used FROM users
      WHERE account_id = ? AND name_lc > ? ORDER BY name_lc LIMIT ?`, [accountId, afterNameLc, limit]);
  }

  // The users of one page, as a subquery: every lookup below then goes through an index on (account_id, user_id).
  static PAGE_USERS = 'SELECT user_id FROM users WHERE account_id = ? AND name_lc > ? AND name_lc <= ?';

  /** Access keys of the users whose name_lc is in (from, to], oldest first. */
  keysForRange(accountId, from, to) {
    return this.db.all(`SELECT user_id, status, created_at, last_used_date, last_used_region, last_used_service FROM access_keys
      WHERE account_id = ? AND user_id IN (${ReportStore.PAGE_USERS}) ORDER BY created_at, access_key_id`, [accountId, accountId, from, to]);
  }

  profilesForRange(accountId, from, to) {
    return this.db.all(`SELECT user_id, password_changed_at FROM login_profiles WHERE user_id IN (${ReportStore.PAGE_USERS})`, [accountId, from, to]);
  }

  /** Users in the range with at least one enabled MFA device. */
  mfaUsersForRange(accountId, from, to) {
    return this.db.all(`SELECT DISTINCT owner_id AS user_id FROM mfa_devices
      WHERE account_id = ? AND owner_type = 'user' AND enabled_at IS NOT NULL AND owner_id IN (${ReportStore.PAGE_USERS})`, [accountId, accountId, from, to]);
  }

  // The root user's row.
  rootKeys(accountId) {
    return this.db.all(`SELECT status, created_at, last_used_date, last_used_region, last_used_service FROM access_keys
      WHERE account_id = ? AND user_id IS NULL ORDER BY created_at, access_key_id`, [accountId]);
  }

  rootMfaCount(accountId) {
    return this.db.get("SELECT COUNT(*) AS n FROM mfa_devices WHERE account_id = ? AND owner_type = 'root' AND enabled_at IS NOT NULL", [accountId])
      .then((r) => Number(r.n));
  }
}
