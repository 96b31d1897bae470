// All SQL for the account's console sign-in settings and what they bring: recovery codes, trusted devices and
// emailed one-time codes (migration 90). Codes are stored as keyed hashes only; trusted-device tokens as SHA-256.
import type { Db, Queryable, RunResult, Tx } from './db.js';

/** Whose recovery codes, trusted devices or emailed code a row is. */
export interface PrincipalKey { readonly accountId: string; readonly type: 'user' | 'root'; readonly id: string }

export interface StoredSettings { readonly settings: unknown; readonly updatedAt: string; readonly updatedBy: string }

/** A remembered browser (context-aware sign-in). Times in epoch ms. */
export interface TrustedDevice {
  readonly id: string;
  readonly accountId: string;
  readonly principalType: 'user' | 'root';
  readonly principalId: string;
  readonly browserFamily: string;
  readonly network: string;
  readonly mfaAt: number;
  readonly mfaSerial: string;
  readonly createdAt: number;
  readonly lastUsed: number;
  readonly expiresAt: number;
}

interface TrustedDeviceRow {
  id: string; account_id: string; principal_type: string; principal_id: string; browser_family: string; network: string;
  mfa_at: number | string; mfa_serial: string; created_at: number | string; last_used: number | string; expires_at: number | string;
}

const ownerType = (t: string): 'user' | 'root' => (t === 'root' ? 'root' : 'user');

function rowToTrustedDevice(r: TrustedDeviceRow): TrustedDevice {
  return {
    id: r.id, accountId: r.account_id, principalType: ownerType(r.principal_type), principalId: r.principal_id,
    browserFamily: r.browser_family, network: r.network, mfaAt: Number(r.mfa_at), mfaSerial: r.mfa_serial,
    createdAt: Number(r.created_at), lastUsed: Number(r.last_used), expiresAt: Number(r.expires_at),
  };
}

export class SigninSettingsStore {
  readonly db: Db;
  constructor(db: Db) { this.db = db; }

  // ---- settings
  async getSettings(accountId: string): Promise<StoredSettings | undefined> {
    const r = await this.db.get<{ settings: string; updated_at: string; updated_by: string }>(
      'SELECT settings, updated_at, updated_by FROM signin_settings WHERE account_id = ?', [accountId]);
    return r && { settings: JSON.parse(r.settings) as unknown, updatedAt: r.updated_at, updatedBy: r.updated_by };
  }
  putSettings(accountId: string, settings: object, updatedAt: string, updatedBy: string): Promise<RunResult> {
    return this.db.run(`INSERT INTO signin_settings (account_id, settings, updated_at, updated_by) VALUES (?, ?, ?, ?)
      ON CONFLICT (account_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    [accountId, JSON.stringify(settings), updatedAt, updatedBy]);
  }

  // ---- recovery codes
  /** Replaces the principal's set with these hashes, in one transaction (the caller's, when given). */
  replaceRecoveryCodes(p: PrincipalKey, hashes: readonly string[], nowMs: number, q?: Tx): Promise<void> {
    const replace = async (tx: Tx): Promise<void> => {
      await tx.run('DELETE FROM recovery_codes WHERE principal_type = ? AND principal_id = ?', [p.type, p.id]);
      for (const h of hashes) {
        await tx.run('INSERT INTO recovery_codes (account_id, principal_type, principal_id, code_hash, created_at, used_at) VALUES (?, ?, ?, ?, ?, NULL)',
          [p.accountId, p.type, p.id, h, nowMs]);
      }
    };
    return q ? replace(q) : this.db.tx(replace);
  }
  /** Spends an unused code by its hash: 1 when it was there and unused, 0 otherwise (so a code works once). */
  async spendRecoveryCode(p: PrincipalKey, hash: string, nowMs: number, q: Queryable = this.db): Promise<number> {
    const r = await q.run('UPDATE recovery_codes SET used_at = ? WHERE principal_type = ? AND principal_id = ? AND code_hash = ? AND used_at IS NULL',
      [nowMs, p.type, p.id, hash]);
    return r.changes;
  }
  async countRecoveryCodes(p: PrincipalKey, q: Queryable = this.db): Promise<{ total: number; unused: number }> {
    const r = await q.get<{ total: number | string; unused: number | string | null }>(
      'SELECT COUNT(*) AS total, SUM(CASE WHEN used_at IS NULL THEN 1 ELSE 0 END) AS unused FROM recovery_codes WHERE principal_type = ? AND principal_id = ?',
      [p.type, p.id]);
    return { total: Number(r?.total ?? 0), unused: Number(r?.unused ?? 0) };
  }
  /** Every IAM user of the account who has recovery codes: their count and how many are unused, by user id (one query for a list). */
  async recoveryCodeCountsByUser(accountId: string): Promise<Map<string, { total: number; unused: number }>> {
    const rows = await this.db.all<{ principal_id: string; total: number | string; unused: number | string | null }>(
      `SELECT principal_id, COUNT(*) AS total, SUM(CASE WHEN used_at IS NULL THEN 1 ELSE 0 END) AS unused FROM recovery_codes
       WHERE account_id = ? AND principal_type = 'user' GROUP BY principal_id`, [accountId]);
    return new Map(rows.map((r) => [r.principal_id, { total: Number(r.total), unused: Number(r.unused ?? 0) }]));
  }
  deleteRecoveryCodes(p: PrincipalKey, q: Queryable = this.db): Promise<RunResult> {
    return q.run('DELETE FROM recovery_codes WHERE principal_type = ? AND principal_id = ?', [p.type, p.id]);
  }

  // ---- trusted devices
  insertTrustedDevice(d: TrustedDevice & { readonly tokenHash: string }): Promise<RunResult> {
    return this.db.run(`INSERT INTO trusted_devices (id, account_id, principal_type, principal_id, token_hash, browser_family, network, mfa_at,
        mfa_serial, created_at, last_used, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [d.id, d.accountId, d.principalType, d.principalId, d.tokenHash, d.browserFamily, d.network, d.mfaAt, d.mfaSerial, d.createdAt, d.lastUsed, d.expiresAt]);
  }
  async trustedDeviceByToken(tokenHash: string): Promise<TrustedDevice | undefined> {
    const r = await this.db.get<TrustedDeviceRow>('SELECT * FROM trusted_devices WHERE token_hash = ?', [tokenHash]);
    return r && rowToTrustedDevice(r);
  }
  async listTrustedDevices(p: PrincipalKey): Promise<TrustedDevice[]> {
    const rows = await this.db.all<TrustedDeviceRow>(
      'SELECT * FROM trusted_devices WHERE principal_type = ? AND principal_id = ? ORDER BY created_at, id', [p.type, p.id]);
    return rows.map(rowToTrustedDevice);
  }
  touchTrustedDevice(id: string, nowMs: number): Promise<RunResult> {
    return this.db.run('UPDATE trusted_devices SET last_used = ? WHERE id = ?', [nowMs, id]);
  }
  deleteTrustedDevice(p: PrincipalKey, id: string): Promise<RunResult> {
    return this.db.run('DELETE FROM trusted_devices WHERE principal_type = ? AND principal_id = ? AND id = ?', [p.type, p.id, id]);
  }
  deleteTrustedDevices(p: PrincipalKey, q: Queryable = this.db): Promise<RunResult> {
    return q.run('DELETE FROM trusted_devices WHERE principal_type = ? AND principal_id = ?', [p.type, p.id]);
  }
  purgeExpiredTrustedDevices(nowMs: number): Promise<RunResult> {
    return this.db.run('DELETE FROM trusted_devices WHERE expires_at <= ?', [nowMs]);
  }

  // ---- emailed one-time codes
  putEmailOtp(p: PrincipalKey, codeHash: string, nowMs: number, expiresAt: number): Promise<RunResult> {
    return this.db.run(`INSERT INTO email_otps (principal_type, principal_id, account_id, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (principal_type, principal_id) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at, expires_at = excluded.expires_at`,
    [p.type, p.id, p.accountId, codeHash, nowMs, expiresAt]);
  }
  async getEmailOtp(p: PrincipalKey, q: Queryable = this.db): Promise<{ codeHash: string; createdAt: number; expiresAt: number } | undefined> {
    const r = await q.get<{ code_hash: string; created_at: number | string; expires_at: number | string }>(
      'SELECT code_hash, created_at, expires_at FROM email_otps WHERE principal_type = ? AND principal_id = ?', [p.type, p.id]);
    return r && { codeHash: r.code_hash, createdAt: Number(r.created_at), expiresAt: Number(r.expires_at) };
  }
  /** Spends the pending code when its hash matches and it has not expired: 1, else 0 (single use across nodes). */
  async spendEmailOtp(p: PrincipalKey, codeHash: string, nowMs: number, q: Queryable = this.db): Promise<number> {
    const r = await q.run('DELETE FROM email_otps WHERE principal_type = ? AND principal_id = ? AND code_hash = ? AND expires_at > ?',
      [p.type, p.id, codeHash, nowMs]);
    return r.changes;
  }
}
