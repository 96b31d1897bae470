// Temporary credentials issued by STS. Looked up by access key id on every request signed with them.
import { IamStore } from './iam-store.js';
import type { Db, Queryable, RunResult } from './db.js';
import type { SessionResolveRow } from './rows.js';
import { rowToSessionResolved } from './entities.js';
import type { SessionResolved, StsSession, Tag } from './entities.js';

/** What insert writes: the nullable fields may be left out (stored as NULL); lists as values (stored as JSON). */
export type NewStsSession = Pick<StsSession, 'accessKeyId' | 'accountId' | 'source' | 'principalType' | 'principalId' | 'secretEnc' | 'tokenHash' | 'issuedAt' | 'expiresAtMs'>
  & { [K in 'sessionName' | 'mfaAuthenticatedAt' | 'mfaSerial' | 'sourceIdentity' | 'originType' | 'originId' | 'sessionPolicy']?: StsSession[K] | undefined }
  & {
    sessionTags?: readonly Tag[] | null | undefined;
    transitiveTagKeys?: readonly string[] | null | undefined;
    sessionPolicyArns?: readonly string[] | null | undefined;
  };

const jsonOrNull = (v: readonly unknown[] | null | undefined): string | null => (v == null ? null : JSON.stringify(v));

/** insertBounded's limits: unexpired sessions per originating identity, sessions issued per minute, the clock. */
export interface SessionBounds { maxLive: number; perMinute: number; nowMs: number }

export class SessionStore {
  readonly db: Db;
  readonly resolveSql: string;
  constructor(db: Db) {
    this.db = db;
    this.resolveSql = `SELECT s.*, u.name AS user_name, u.path AS user_path, u.user_id AS uid,
        r.name AS role_name, r.path AS role_path, r.role_id AS rid, r.permissions_boundary AS role_boundary, r.tags AS role_tags,
        a.alias AS acct_alias, a.root_email AS acct_root_email, a.root_password_changed_at AS acct_root_password_changed_at,
        a.root_password_last_used AS acct_root_password_last_used, a.password_policy AS acct_password_policy,
        a.created_at AS acct_created_at, ${new IamStore(db).stampColumns}
      FROM sts_sessions s JOIN accounts a ON a.account_id = s.account_id
      LEFT JOIN users u ON s.principal_type = 'user' AND u.user_id = s.principal_id
      LEFT JOIN roles r ON s.principal_type = 'role' AND r.role_id = s.principal_id
      WHERE s.access_key_id = ?`;
  }
  insert(s: NewStsSession, q: Queryable = this.db): Promise<RunResult> {
    return q.run(`INSERT INTO sts_sessions (access_key_id, account_id, source, principal_type, principal_id, session_name, secret_enc,
        token_hash, issued_at, expires_at, mfa_authenticated_at, mfa_serial, source_identity, origin_type, origin_id,
        session_tags, transitive_tag_keys, session_policy, session_policy_arns)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [s.accessKeyId, s.accountId, s.source, s.principalType, s.principalId, s.sessionName ?? null, s.secretEnc,
      s.tokenHash, s.issuedAt, s.expiresAtMs, s.mfaAuthenticatedAt ?? null, s.mfaSerial ?? null, s.sourceIdentity ?? null,
      s.originType ?? null, s.originId ?? null, jsonOrNull(s.sessionTags), jsonOrNull(s.transitiveTagKeys),
      s.sessionPolicy ?? null, jsonOrNull(s.sessionPolicyArns)]);
  }

  /**
   * Insert a session unless its originating identity already holds `maxLive` unexpired sessions or was issued
   * `perMinute` sessions in the last 60 seconds. Counted in the database inside one transaction that holds a
   * per-identity lock (SQLite: the write transaction; PostgreSQL: a transaction-scoped advisory lock), so the
   * bound is exact across all nodes sharing the database.
   * @returns {Promise<null | 'live' | 'rate'>} null when inserted, else which bound refused it
   */
  insertBounded(s: NewStsSession, { maxLive, perMinute, nowMs }: SessionBounds): Promise<null | 'live' | 'rate'> {
    return this.db.tx(async (tx) => {
      if (tx.dialect === 'postgres') {
        await tx.get('SELECT pg_advisory_xact_lock(hashtextextended(?, 0)) AS locked', [`sts-sessions|${s.accountId}|${s.originType}|${s.originId}`]);
      }
      const since = new Date(nowMs - 60_000).toISOString();
      // live is a COUNT (BIGINT: a number); recent a SUM, NUMERIC on PostgreSQL (a string there): Number() both.
      const c = await tx.get<{ live: number; recent: number | string }>(`SELECT COUNT(*) AS live, COALESCE(SUM(CASE WHEN issued_at > ? THEN 1 ELSE 0 END), 0) AS recent
        FROM sts_sessions WHERE account_id = ? AND origin_type = ? AND origin_id = ? AND expires_at > ?`,
      [since, s.accountId, s.originType ?? null, s.originId ?? null, nowMs]);
      if (Number(c?.recent) >= perMinute) return 'rate';
      if (Number(c?.live) >= maxLive) return 'live';
      await this.insert(s, tx);
      return null;
    });
  }

  /**
   * The session, its owner (user or role), its account and the owner's policy stamp in one query, on every request
   * signed with it (its JSON lists parsed, as the principal's session always carried them; the stamp stays text).
   */
  async resolve(accessKeyId: string): Promise<SessionResolved | undefined> {
    const r = await this.db.get<SessionResolveRow>(this.resolveSql, [accessKeyId]);
    return r && rowToSessionResolved(r);
  }
  /** Expired sessions are useless; drop them now and then. */
  purgeExpired(nowMs: number): Promise<RunResult> { return this.db.run('DELETE FROM sts_sessions WHERE expires_at < ?', [nowMs - 24 * 3600 * 1000]); }
}
