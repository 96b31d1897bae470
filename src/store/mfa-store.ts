// All SQL for MFA devices, the hardware-token inventory and the per-principal code throttle.
// One table holds both kinds (kind = 'virtual' | 'hardware'): a hardware token is a row with no owner until
// EnableMFADevice assigns it, and goes back to that state on DeactivateMFADevice, replay state intact.
// Writes that spend a code are conditional updates (last_step < ?), so two nodes can never both accept it.
import { countOf } from './iam-store.js';
import { lockClause } from './db.js';
import type { Db, LockMode, Queryable, RunResult, Tx } from './db.js';
import type { HardwareTokenRow, MfaDeviceKind, MfaDeviceRow, MfaThrottleRow, PageRequest, ThrottleState, VirtualMfaDeviceRow } from './rows.js';
import { rowToMfaDevice, parseTotpParams } from './entities.js';
import type { HardwareTokenEntry, MfaDevice, Tag, TotpParams, VirtualMfaDevice } from './entities.js';

/** What insertDevice writes: params and tags as values (stored as JSON); no owner yet. */
export interface NewMfaDevice {
  serialNumber: string;
  accountId: string;
  kind: MfaDeviceKind;
  name?: string | null | undefined;
  path?: string | null | undefined;
  secretEnc: string;
  params: TotpParams;
  tags?: readonly Tag[] | undefined;
  createdAt: string;
}

/** A device as ListMFADevices lists it. */
export interface EnabledDevice { readonly serialNumber: string; readonly enabledAt: string | null }

/** ListVirtualMFADevices' AssignmentStatus. */
export type AssignmentStatus = 'Assigned' | 'Unassigned' | 'Any';

export class MfaStore {
  readonly db: Db;
  constructor(db: Db) { this.db = db; }

  insertDevice(d: NewMfaDevice, q: Queryable = this.db): Promise<RunResult> {
    return q.run(`INSERT INTO mfa_devices (serial_number, account_id, kind, name, path, secret_enc, params, tags, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [d.serialNumber, d.accountId, d.kind, d.name ?? null, d.path ?? null, d.secretEnc, JSON.stringify(d.params), JSON.stringify(d.tags ?? []), d.createdAt]);
  }

  async getDevice(accountId: string, serial: string, q: Queryable = this.db, lock?: LockMode): Promise<MfaDevice | undefined> {
    const row = await q.get<MfaDeviceRow>(`SELECT * FROM mfa_devices WHERE serial_number = ? AND account_id = ?${lockClause(q, lock)}`, [serial, accountId]);
    return row && rowToMfaDevice(row);
  }

  countForOwner(accountId: string, ownerType: string, ownerId: string, q: Queryable = this.db): Promise<number> {
    return countOf(q, 'SELECT COUNT(*) AS n FROM mfa_devices WHERE account_id = ? AND owner_type = ? AND owner_id = ?', [accountId, ownerType, ownerId]);
  }

  async listForOwner(accountId: string, ownerType: string, ownerId: string, page: PageRequest): Promise<MfaDevice[]> {
    const rows = await this.db.all<MfaDeviceRow>(`SELECT * FROM mfa_devices WHERE account_id = ? AND owner_type = ? AND owner_id = ? AND serial_number > ?
      ORDER BY serial_number LIMIT ?`, [accountId, ownerType, ownerId, page.after ?? '', page.limit]);
    return rows.map(rowToMfaDevice);
  }

  /**
   * ListMFADevices for an IAM user named by name, in one statement (through the read cache): the user (its id and
   * name as stored) and a page of its devices (serial number, enable date) in serial-number order, read along the
   * owner index; undefined when there is no such user.
   */
  async listEnabledForUserName(accountId: string, userName: string, page: PageRequest): Promise<{ user: { userId: string; name: string }; devices: EnabledDevice[] } | undefined> {
    const rows = await this.db.cachedAll<{ user_id: string; name: string; serial_number: string | null; enabled_at: string | null }>(
      `SELECT u.user_id, u.name, d.serial_number, d.enabled_at FROM users u
      LEFT JOIN mfa_devices d ON d.account_id = u.account_id AND d.owner_type = 'user' AND d.owner_id = u.user_id AND d.serial_number > ?
      WHERE u.account_id = ? AND u.name_lc = ? ORDER BY d.serial_number LIMIT ?`, [page.after ?? '', accountId, userName.toLowerCase(), page.limit]);
    const first = rows[0];
    if (!first) return undefined;
    const devices: EnabledDevice[] = [];
    for (const r of rows) if (r.serial_number !== null) devices.push({ serialNumber: r.serial_number, enabledAt: r.enabled_at });
    return { user: { userId: first.user_id, name: first.name }, devices };
  }
  /** ListMFADevices for the root user: a page of its devices (serial number, enable date) in serial-number order. */
  async listEnabledForRoot(accountId: string, page: PageRequest): Promise<EnabledDevice[]> {
    const rows = await this.db.all<{ serial_number: string; enabled_at: string | null }>(`SELECT serial_number, enabled_at FROM mfa_devices
      WHERE account_id = ? AND owner_type = 'root' AND owner_id = ? AND serial_number > ? ORDER BY serial_number LIMIT ?`, [accountId, accountId, page.after ?? '', page.limit]);
    return rows.map((r) => ({ serialNumber: r.serial_number, enabledAt: r.enabled_at }));
  }

  /** Virtual devices with their user (when assigned to one); status is Assigned, Unassigned or Any. */
  async listVirtual(accountId: string, status: AssignmentStatus | string, page: PageRequest): Promise<VirtualMfaDevice[]> {
    const filter = status === 'Assigned' ? ' AND d.owner_type IS NOT NULL' : status === 'Unassigned' ? ' AND d.owner_type IS NULL' : '';
    const rows = await this.db.all<VirtualMfaDeviceRow>(`SELECT d.*, u.name AS user_name, u.path AS user_path, u.created_at AS user_created_at,
        u.password_last_used AS user_password_last_used
      FROM mfa_devices d LEFT JOIN users u ON d.owner_type = 'user' AND u.user_id = d.owner_id
      WHERE d.account_id = ? AND d.kind = 'virtual'${filter} AND d.serial_number > ?
      ORDER BY d.serial_number LIMIT ?`, [accountId, page.after ?? '', page.limit]);
    return rows.map((r) => ({
      ...rowToMfaDevice(r), userName: r.user_name, userPath: r.user_path, userCreatedAt: r.user_created_at, userPasswordLastUsed: r.user_password_last_used,
    }));
  }

  async listHardware(accountId: string): Promise<HardwareTokenEntry[]> {
    const rows = await this.db.all<HardwareTokenRow>(`SELECT d.serial_number, d.params, d.owner_type, d.owner_id, d.enabled_at, d.created_at, u.name AS user_name
      FROM mfa_devices d LEFT JOIN users u ON d.owner_type = 'user' AND u.user_id = d.owner_id
      WHERE d.account_id = ? AND d.kind = 'hardware' ORDER BY d.serial_number`, [accountId]);
    return rows.map((r) => ({
      serialNumber: r.serial_number, params: parseTotpParams(r.params), ownerType: r.owner_type, ownerId: r.owner_id, enabledAt: r.enabled_at, createdAt: r.created_at, userName: r.user_name,
    }));
  }

  /** Assigns an unassigned device and spends the enrolment codes in one conditional write; 1 change = done. */
  assign(serial: string, ownerType: string, ownerId: string, enabledAt: string, step: number, drift: number, q: Queryable = this.db): Promise<number> {
    return q.run(`UPDATE mfa_devices SET owner_type = ?, owner_id = ?, enabled_at = ?, last_step = ?, drift = ?
      WHERE serial_number = ? AND owner_type IS NULL AND last_step < ?`, [ownerType, ownerId, enabledAt, step, drift, serial, step])
      .then((r) => r.changes);
  }

  /** Records an accepted code: only if no equal or later step was accepted before (RFC 6238 §5.2). */
  spendStep(serial: string, step: number, drift: number, q: Queryable = this.db): Promise<number> {
    return q.run('UPDATE mfa_devices SET last_step = ?, drift = ? WHERE serial_number = ? AND last_step < ?', [step, drift, serial, step])
      .then((r) => r.changes);
  }

  /** Back to unassigned; last_step and drift stay, so codes spent before can never be replayed. */
  unassign(serial: string, q: Queryable = this.db): Promise<RunResult> {
    return q.run('UPDATE mfa_devices SET owner_type = NULL, owner_id = NULL, enabled_at = NULL WHERE serial_number = ?', [serial]);
  }

  deleteDevice(serial: string, q: Queryable = this.db): Promise<RunResult> { return q.run('DELETE FROM mfa_devices WHERE serial_number = ?', [serial]); }

  setTags(serial: string, tags: readonly Tag[], q: Queryable = this.db): Promise<RunResult> { return q.run('UPDATE mfa_devices SET tags = ? WHERE serial_number = ?', [JSON.stringify(tags), serial]); }

  existingSerials(serials: readonly string[], q: Queryable = this.db): Promise<string[]> {
    if (!serials.length) return Promise.resolve([]);
    return q.all<{ serial_number: string }>(`SELECT serial_number FROM mfa_devices WHERE serial_number IN (${serials.map(() => '?').join(', ')})`, serials)
      .then((rows) => rows.map((r) => r.serial_number));
  }

  // Throttle state, one row per principal (user or root): created on first use, read under a row lock.
  async lockThrottle(accountId: string, principalType: string, principalId: string, q: Tx): Promise<ThrottleState> {
    await q.run(`INSERT INTO mfa_throttle (account_id, principal_type, principal_id, failures, locked_until) VALUES (?, ?, ?, 0, 0)
      ON CONFLICT (account_id, principal_type, principal_id) DO NOTHING`, [accountId, principalType, principalId]);
    const row = await q.get<ThrottleRow>(`SELECT failures, locked_until FROM mfa_throttle WHERE account_id = ? AND principal_type = ? AND principal_id = ?${q.forUpdate ?? ''}`,
      [accountId, principalType, principalId]);
    // The INSERT above made the row if it was missing, in this transaction: it cannot be absent here.
    if (!row) throw new Error('mfa_throttle row missing after its insert');
    return { failures: Number(row.failures), lockedUntilMs: Number(row.locked_until) };
  }

  getThrottle(accountId: string, principalType: string, principalId: string, q: Queryable = this.db): Promise<ThrottleState> {
    return q.get<ThrottleRow>('SELECT failures, locked_until FROM mfa_throttle WHERE account_id = ? AND principal_type = ? AND principal_id = ?', [accountId, principalType, principalId])
      .then((row) => ({ failures: Number(row?.failures ?? 0), lockedUntilMs: Number(row?.locked_until ?? 0) }));
  }

  /** Principals with failed code checks on record (locked or not), user names joined, for `gatehouse mfa locks`. */
  listThrottles(accountId: string, q: Queryable = this.db): Promise<ThrottleEntry[]> {
    return q.all<Pick<MfaThrottleRow, 'principal_type' | 'principal_id' | 'failures' | 'locked_until'> & { user_name: string | null }>(
      `SELECT t.principal_type, t.principal_id, t.failures, t.locked_until, u.name AS user_name
       FROM mfa_throttle t LEFT JOIN users u ON t.principal_type = 'user' AND u.user_id = t.principal_id
       WHERE t.account_id = ? AND t.failures > 0 ORDER BY t.principal_type, u.name`, [accountId])
      .then((rows) => rows.map((r) => ({
        principalType: r.principal_type, principalId: r.principal_id, userName: r.user_name,
        failures: Number(r.failures), lockedUntilMs: Number(r.locked_until),
      })));
  }

  setThrottle(accountId: string, principalType: string, principalId: string, state: ThrottleState, q: Queryable = this.db): Promise<RunResult> {
    return q.run('UPDATE mfa_throttle SET failures = ?, locked_until = ? WHERE account_id = ? AND principal_type = ? AND principal_id = ?',
      [state.failures, state.lockedUntilMs, accountId, principalType, principalId]);
  }
}

/** A principal's throttle state with its name, as listThrottles reads it. */
export interface ThrottleEntry extends ThrottleState {
  readonly principalType: string;
  readonly principalId: string;
  /** The IAM user's name (null for root, or a user deleted since). */
  readonly userName: string | null;
}

/** The throttle columns lockThrottle and getThrottle read. */
type ThrottleRow = Pick<MfaThrottleRow, 'failures' | 'locked_until'>;
