// All SQL for the web console: its browser sessions, the sign-in throttle, and the look-ups sign-in needs (an
// account by id, alias or root email with the root password's hash). Tables: migration 50 (console_sessions,
// signin_throttle); a console session's temporary credential is an sts_sessions row (src/sts issues it).
import type { Db, Queryable, RunResult, Tx } from './db.js';
import type { AccountRow } from './rows.js';
import { rowToAccount } from './entities.js';
import type { Account } from './entities.js';

/** A console_sessions row. Times are epoch milliseconds (BIGINT: PostgreSQL's driver may hand them as strings). */
export interface ConsoleSessionRow {
  id_hash: string;
  account_id: string;
  /** user | root */
  principal_type: string;
  principal_id: string;
  /** mfa (second factor pending) | active */
  stage: string;
  access_key_id: string | null;
  token_enc: string | null;
  csrf: string;
  must_change_password: number | string;
  mfa_failures: number | string;
  pending_enc: string | null;
  created_at: number | string;
  last_seen: number | string;
  expires_at: number | string;
}

export type NewConsoleSession = Pick<ConsoleSessionRow, 'id_hash' | 'account_id' | 'principal_type' | 'principal_id' | 'stage' | 'csrf'>
  & { access_key_id?: string | null; token_enc?: string | null; must_change_password?: boolean; created_at: number; last_seen: number; expires_at: number };

/** One subject's sign-in throttle state (epoch ms). */
export interface SigninThrottleState { failures: number; lockedUntilMs: number; lastFailureMs: number }

interface ThrottleRow { failures: number | string; locked_until: number | string; last_failure: number | string }

export class ConsoleStore {
  readonly db: Db;
  constructor(db: Db) { this.db = db; }

  // ---- accounts, as sign-in finds them
  async accountById(accountId: string): Promise<Account | undefined> {
    const r = await this.db.get<AccountRow>('SELECT * FROM accounts WHERE account_id = ?', [accountId]);
    return r && rowToAccount(r);
  }
  async accountByAlias(alias: string): Promise<Account | undefined> {
    const r = await this.db.get<AccountRow>('SELECT * FROM accounts WHERE alias = ?', [alias]);
    return r && rowToAccount(r);
  }
  /** Email addresses compare without case (as AWS's root sign-in does). */
  async accountByRootEmail(email: string): Promise<Account | undefined> {
    const r = await this.db.get<AccountRow>('SELECT * FROM accounts WHERE LOWER(root_email) = ? ORDER BY created_at LIMIT 1', [email.toLowerCase()]);
    return r && rowToAccount(r);
  }
  setRootPasswordLastUsed(accountId: string, when: string): Promise<RunResult> {
    return this.db.run('UPDATE accounts SET root_password_last_used = ? WHERE account_id = ?', [when, accountId]);
  }

  // ---- console sessions
  insertSession(s: NewConsoleSession): Promise<RunResult> {
    return this.db.run(`INSERT INTO console_sessions (id_hash, account_id, principal_type, principal_id, stage, access_key_id, token_enc, csrf,
        must_change_password, mfa_failures, pending_enc, created_at, last_seen, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, ?)`,
    [s.id_hash, s.account_id, s.principal_type, s.principal_id, s.stage, s.access_key_id ?? null, s.token_enc ?? null, s.csrf,
      s.must_change_password ? 1 : 0, s.created_at, s.last_seen, s.expires_at]);
  }
  getSession(idHash: string): Promise<ConsoleSessionRow | undefined> {
    return this.db.get<ConsoleSessionRow>('SELECT * FROM console_sessions WHERE id_hash = ?', [idHash]);
  }
  touchSession(idHash: string, nowMs: number): Promise<RunResult> {
    return this.db.run('UPDATE console_sessions SET last_seen = ? WHERE id_hash = ?', [nowMs, idHash]);
  }
  countMfaFailure(idHash: string): Promise<RunResult> {
    return this.db.run('UPDATE console_sessions SET mfa_failures = mfa_failures + 1 WHERE id_hash = ?', [idHash]);
  }
  setPending(idHash: string, pendingEnc: string | null): Promise<RunResult> {
    return this.db.run('UPDATE console_sessions SET pending_enc = ? WHERE id_hash = ?', [pendingEnc, idHash]);
  }
  setMustChangePassword(idHash: string, value: boolean): Promise<RunResult> {
    return this.db.run('UPDATE console_sessions SET must_change_password = ? WHERE id_hash = ?', [value ? 1 : 0, idHash]);
  }
  /** Ends a console session and its temporary credential (refused at once on every node). */
  async deleteSession(idHash: string): Promise<void> {
    await this.db.tx(async (tx) => {
      const row = await tx.get<{ access_key_id: string | null }>('SELECT access_key_id FROM console_sessions WHERE id_hash = ?', [idHash]);
      if (row?.access_key_id) await tx.run("DELETE FROM sts_sessions WHERE access_key_id = ? AND source = 'ConsoleSignIn'", [row.access_key_id]);
      await tx.run('DELETE FROM console_sessions WHERE id_hash = ?', [idHash]);
    });
  }
  /** Sessions past their end (their sts_sessions rows go with the STS purge). */
  purgeExpired(nowMs: number): Promise<RunResult> {
    return this.db.run('DELETE FROM console_sessions WHERE expires_at < ?', [nowMs]);
  }

  // ---- sign-in throttle: read under a row lock inside the caller's transaction
  async lockThrottle(subject: string, tx: Tx): Promise<SigninThrottleState> {
    await tx.run(`INSERT INTO signin_throttle (subject, failures, locked_until, last_failure) VALUES (?, 0, 0, 0)
      ON CONFLICT (subject) DO NOTHING`, [subject]);
    const row = await tx.get<ThrottleRow>(`SELECT failures, locked_until, last_failure FROM signin_throttle WHERE subject = ?${tx.forUpdate}`, [subject]);
    return stateOf(row);
  }
  setThrottle(subject: string, s: SigninThrottleState, q: Queryable = this.db): Promise<RunResult> {
    return q.run('UPDATE signin_throttle SET failures = ?, locked_until = ?, last_failure = ? WHERE subject = ?',
      [s.failures, s.lockedUntilMs, s.lastFailureMs, subject]);
  }
}

function stateOf(row: ThrottleRow | undefined): SigninThrottleState {
  return { failures: Number(row?.failures ?? 0), lockedUntilMs: Number(row?.locked_until ?? 0), lastFailureMs: Number(row?.last_failure ?? 0) };
}
