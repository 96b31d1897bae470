// All SQL for the credential report: the stored report (one per account, migration 20) and the keyset-paged reads
// its generator makes. Reads run outside any transaction, one page of users at a time, so generation never holds
// the SQLite lock or a PostgreSQL transaction while it works.
import { lockClause } from './db.js';
import type { Db, LockMode, Queryable, RunResult } from './db.js';
import type { ReportContentRow, ReportKeyRow, ReportPageRow, ReportProfileRow, ReportRootKeyRow, ReportStateRow, ReportUserRow } from './rows.js';
import type { ReportContent, ReportPageUser, ReportRootKey, ReportState } from './entities.js';
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

  /** Parts firstSeq, firstSeq + 1, … of a run's CSV, in one write (a run writes them as it goes: no long write). */
  appendParts(accountId: string, generationId: string, firstSeq: number, contents: readonly string[]): Promise<RunResult> {
    return this.db.run(`INSERT INTO credential_report_parts (account_id, generation_id, seq, content) VALUES ${contents.map(() => '(?, ?, ?, ?)').join(', ')}`,
      contents.flatMap((c, i) => [accountId, generationId, firstSeq + i, c]));
  }

  /** Parts fromSeq … fromSeq + count - 1 of a run, in order; undefined when any is gone (a later run removed them). */
  async parts(accountId: string, generationId: string, fromSeq: number, count: number): Promise<string[] | undefined> {
    const rows = await this.db.all<{ seq: number; content: string }>('SELECT seq, content FROM credential_report_parts WHERE account_id = ? AND generation_id = ? AND seq >= ? AND seq < ? ORDER BY seq',
      [accountId, generationId, fromSeq, fromSeq + count]);
    return rows.length === count && rows.every((r, i) => Number(r.seq) === fromSeq + i) ? rows.map((r) => r.content) : undefined;
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

  /**
   * One page of the report's users in name order (keyset on name_lc), each with its login profile's change date,
   * whether it has an enabled MFA device, and its access keys, oldest first. PostgreSQL: one statement, every lookup
   * per user along its index (LATERAL ... LIMIT: without it the planner hashes each whole table for every page, 45 ms
   * a page at 100,000 users); SQLite (in process, no round trips): the users, then their keys, profiles and devices,
   * each along an index, with no objects but the page's (a report makes them 100 times in a couple of seconds).
   */
  async reportPage(accountId: string, afterNameLc: string, limit: number): Promise<ReportPageUser[]> {
    if (this.db.dialect === 'postgres') return this.#reportPagePostgres(accountId, afterNameLc, limit);
    const users = await this.db.all<ReportUserRow>(`SELECT user_id, name, name_lc, path, created_at, password_last_used FROM users
      WHERE account_id = ? AND name_lc > ? ORDER BY name_lc LIMIT ?`, [accountId, afterNameLc, limit]);
    const last = users[users.length - 1];
    if (!last) return [];
    const range = [accountId, afterNameLc, last.name_lc];
    const keys = await this.db.all<ReportKeyRow>(`SELECT user_id, status, created_at, last_used_date, last_used_region, last_used_service FROM access_keys
      WHERE account_id = ? AND user_id IN (${ReportStore.PAGE_USERS}) ORDER BY created_at, access_key_id`, [accountId, ...range]);
    const profiles = await this.db.all<ReportProfileRow>(`SELECT user_id, password_changed_at FROM login_profiles WHERE user_id IN (${ReportStore.PAGE_USERS})`, range);
    const mfa = await this.db.all<{ user_id: string }>(`SELECT DISTINCT owner_id AS user_id FROM mfa_devices
      WHERE account_id = ? AND owner_type = 'user' AND enabled_at IS NOT NULL AND owner_id IN (${ReportStore.PAGE_USERS})`, [accountId, ...range]);
    const keysOf = new Map<string, ReportRootKey[]>();
    for (const k of keys) {
      if (k.user_id === null) continue; // users' keys only
      const list = keysOf.get(k.user_id) ?? [];
      if (!list.length) keysOf.set(k.user_id, list);
      list.push(rootKey(k));
    }
    const profileOf = new Map<string, string>();
    for (const p of profiles) profileOf.set(p.user_id, p.password_changed_at);
    const withMfa = new Set<string>();
    for (const m of mfa) withMfa.add(m.user_id);
    return users.map((u) => ({
      userId: u.user_id, name: u.name, nameLc: u.name_lc, path: u.path, createdAt: u.created_at, passwordLastUsed: u.password_last_used,
      passwordChangedAt: profileOf.get(u.user_id) ?? null, mfa: withMfa.has(u.user_id), keys: keysOf.get(u.user_id) ?? [],
    }));
  }

  async #reportPagePostgres(accountId: string, afterNameLc: string, limit: number): Promise<ReportPageUser[]> {
    const rows = await this.db.all<ReportPageRow>(`SELECT u.user_id, u.name, u.name_lc, u.path, u.created_at, u.password_last_used, p.password_changed_at, m.mfa,
        k.status, k.created_at AS key_created_at, k.last_used_date, k.last_used_region, k.last_used_service
      FROM (SELECT user_id, account_id, name, name_lc, path, created_at, password_last_used FROM users
        WHERE account_id = ? AND name_lc > ? ORDER BY name_lc LIMIT ?) u
      LEFT JOIN LATERAL (SELECT password_changed_at FROM login_profiles lp WHERE lp.user_id = u.user_id LIMIT 1) p ON true
      LEFT JOIN LATERAL (SELECT 1 AS mfa FROM mfa_devices d
        WHERE d.account_id = u.account_id AND d.owner_type = 'user' AND d.owner_id = u.user_id AND d.enabled_at IS NOT NULL LIMIT 1) m ON true
      LEFT JOIN LATERAL (SELECT status, created_at, last_used_date, last_used_region, last_used_service, access_key_id FROM access_keys ak
        WHERE ak.account_id = u.account_id AND ak.user_id = u.user_id ORDER BY ak.created_at, ak.access_key_id LIMIT 2) k ON true
      ORDER BY u.name_lc, k.created_at, k.access_key_id`, [accountId, afterNameLc, limit]);
    const out: ReportPageUser[] = [];
    let cur: (ReportPageUser & { keys: ReportRootKey[] }) | undefined;
    for (const r of rows) {
      if (cur?.userId !== r.user_id) {
        cur = { userId: r.user_id, name: r.name, nameLc: r.name_lc, path: r.path, createdAt: r.created_at, passwordLastUsed: r.password_last_used,
          passwordChangedAt: r.password_changed_at, mfa: r.mfa !== null, keys: [] };
        out.push(cur);
      }
      if (r.status !== null && r.key_created_at !== null) {
        cur.keys.push({ status: r.status, createdAt: r.key_created_at, lastUsedDate: r.last_used_date, lastUsedRegion: r.last_used_region, lastUsedService: r.last_used_service });
      }
    }
    return out;
  }

  // The users of one page (name_lc in (from, to]), as a subquery: every lookup of reportPage on SQLite then goes
  // through an index on (account_id, user_id).
  static readonly PAGE_USERS = 'SELECT user_id FROM users WHERE account_id = ? AND name_lc > ? AND name_lc <= ?';

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
