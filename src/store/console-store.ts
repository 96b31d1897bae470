// All SQL for the web console: its browser sessions, the sign-in throttle, and the look-ups sign-in needs (an
// account by id, alias or root email with the root password's hash). Tables: migration 50 (console_sessions,
// signin_throttle); a console session's temporary credential is an sts_sessions row (src/sts issues it).
import type { Db, Queryable, RunResult, Tx } from './db.js';
import type { AccountRow } from './rows.js';
import { rowToAccount } from './entities.js';
import type { Account } from './entities.js';

/** A console_sessions row as the database returns it (BIGINT columns may come back as strings from PostgreSQL). */
interface ConsoleSessionRow {
  id_hash: string;
  account_id: string;
  principal_type: string;
  principal_id: string;
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

export const CONSOLE_STAGES = ['mfa', 'email-otp', 'active', 'enrol'] as const;
export type ConsoleStage = (typeof CONSOLE_STAGES)[number];
const stageOf = (s: string): ConsoleStage => CONSOLE_STAGES.find((x) => x === s) ?? 'mfa';

/** A browser's console session (times in epoch ms). */
export interface ConsoleSession {
  readonly idHash: string;
  readonly accountId: string;
  readonly principalType: 'user' | 'root';
  readonly principalId: string;
  /**
   * 'mfa': the password passed, the second factor pending; 'email-otp': the password passed, an emailed code
   * pending (no credential yet); 'active': signed in; 'enrol': signed in, but held in the Assign MFA device wizard
   * until a device is enrolled (the account's "require registration" setting, src/console/signin-flow.ts).
   */
  readonly stage: ConsoleStage;
  /** The session's temporary credential (an sts_sessions row) and its sealed token; null before sign-in completes. */
  readonly accessKeyId: string | null;
  readonly tokenEnc: string | null;
  readonly csrf: string;
  readonly mustChangePassword: boolean;
  readonly mfaFailures: number;
  /** A sealed, not yet confirmed enrolment (the authenticator app wizard). */
  readonly pendingEnc: string | null;
  readonly createdAt: number;
  readonly lastSeen: number;
  readonly expiresAt: number;
}

export type NewConsoleSession = Pick<ConsoleSession, 'idHash' | 'accountId' | 'principalType' | 'principalId' | 'stage' | 'csrf' | 'createdAt' | 'lastSeen' | 'expiresAt'>
  & { readonly accessKeyId?: string | null; readonly tokenEnc?: string | null; readonly mustChangePassword?: boolean };

function rowToSession(r: ConsoleSessionRow): ConsoleSession {
  return {
    idHash: r.id_hash, accountId: r.account_id, principalType: r.principal_type === 'root' ? 'root' : 'user', principalId: r.principal_id,
    stage: stageOf(r.stage), accessKeyId: r.access_key_id, tokenEnc: r.token_enc, csrf: r.csrf,
    mustChangePassword: Number(r.must_change_password) === 1, mfaFailures: Number(r.mfa_failures), pendingEnc: r.pending_enc,
    createdAt: Number(r.created_at), lastSeen: Number(r.last_seen), expiresAt: Number(r.expires_at),
  };
}

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
    [s.idHash, s.accountId, s.principalType, s.principalId, s.stage, s.accessKeyId ?? null, s.tokenEnc ?? null, s.csrf,
      s.mustChangePassword ? 1 : 0, s.createdAt, s.lastSeen, s.expiresAt]);
  }
  async getSession(idHash: string): Promise<ConsoleSession | undefined> {
    const r = await this.db.get<ConsoleSessionRow>('SELECT * FROM console_sessions WHERE id_hash = ?', [idHash]);
    return r && rowToSession(r);
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
  /** An 'enrol' session becomes 'active' once a device is enrolled. */
  setStage(idHash: string, stage: ConsoleStage): Promise<RunResult> {
    return this.db.run('UPDATE console_sessions SET stage = ? WHERE id_hash = ?', [stage, idHash]);
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
