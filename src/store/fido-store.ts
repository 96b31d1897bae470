// All SQL for FIDO devices (passkeys and security keys) and the console's outstanding WebAuthn challenge.
// A FIDO device is an mfa_devices row of kind 'fido' (listed, counted and reported with the other MFA devices)
// plus its fido_credentials row. Its public key is the mfa_devices row's secret_enc (sealed: see migration 65).
import { lockClause } from './db.js';
import type { Queryable, RunResult, Tx } from './db.js';
import { rowToMfaDevice } from './entities.js';
import type { MfaDevice } from './entities.js';
import type { MfaDeviceRow, MfaOwnerType } from './rows.js';

export interface FidoCredentialRow {
  serial_number: string;
  account_id: string;
  credential_id: string;
  sign_count: number | string;
  /** JSON: the authenticator's transports (usb, nfc, ble, internal, hybrid…). */
  transports: string;
  aaguid: string;
  device_type: string;
  backed_up: number | string;
  last_used_at: string | null;
  cloned_at: string | null;
}

/** A FIDO credential with its device (owner, name, sealed public key). */
export interface FidoCredential {
  readonly device: MfaDevice;
  readonly credentialId: string;
  readonly signCount: number;
  readonly transports: readonly string[];
  readonly aaguid: string;
  readonly deviceType: string;
  readonly backedUp: boolean;
  readonly lastUsedAt: string | null;
  readonly clonedAt: string | null;
}

/** What enrolment writes: the device (assigned at once: a FIDO device has no unassigned state) and its credential. */
export interface NewFidoDevice {
  readonly serialNumber: string;
  readonly accountId: string;
  readonly name: string;
  readonly ownerType: MfaOwnerType;
  readonly ownerId: string;
  readonly publicKeyEnc: string;
  /** What mfa_devices.params holds for a device without TOTP parameters (the column is NOT NULL). */
  readonly paramsJson: string;
  readonly credentialId: string;
  readonly signCount: number;
  readonly transports: readonly string[];
  readonly aaguid: string;
  readonly deviceType: string;
  readonly backedUp: boolean;
  readonly at: string;
}

function parseTransports(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

type JoinedRow = MfaDeviceRow & Omit<FidoCredentialRow, 'serial_number' | 'account_id'>;

const toCredential = (r: JoinedRow): FidoCredential => ({
  device: rowToMfaDevice(r),
  credentialId: r.credential_id,
  signCount: Number(r.sign_count),
  transports: parseTransports(r.transports),
  aaguid: r.aaguid,
  deviceType: r.device_type,
  backedUp: Number(r.backed_up) === 1,
  lastUsedAt: r.last_used_at,
  clonedAt: r.cloned_at,
});

const SELECT = `SELECT d.*, f.credential_id, f.sign_count, f.transports, f.aaguid, f.device_type, f.backed_up, f.last_used_at, f.cloned_at
  FROM mfa_devices d JOIN fido_credentials f ON f.serial_number = d.serial_number`;

export class FidoStore {
  readonly db: Queryable;
  constructor(db: Queryable) { this.db = db; }

  async insert(d: NewFidoDevice, q: Tx): Promise<void> {
    await q.run(`INSERT INTO mfa_devices (serial_number, account_id, kind, name, path, secret_enc, params, tags, owner_type, owner_id, enabled_at, created_at)
      VALUES (?, ?, 'fido', ?, NULL, ?, ?, '[]', ?, ?, ?, ?)`,
    [d.serialNumber, d.accountId, d.name, d.publicKeyEnc, d.paramsJson, d.ownerType, d.ownerId, d.at, d.at]);
    await q.run(`INSERT INTO fido_credentials (serial_number, account_id, credential_id, sign_count, transports, aaguid, device_type, backed_up)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [d.serialNumber, d.accountId, d.credentialId, d.signCount, JSON.stringify(d.transports), d.aaguid, d.deviceType, d.backedUp ? 1 : 0]);
  }

  /** The owner's FIDO credentials, for a ceremony's allow/exclude list. */
  async listForOwner(accountId: string, ownerType: MfaOwnerType, ownerId: string, q: Queryable = this.db): Promise<FidoCredential[]> {
    const rows = await q.all<JoinedRow>(`${SELECT} WHERE d.account_id = ? AND d.owner_type = ? AND d.owner_id = ? ORDER BY d.serial_number`, [accountId, ownerType, ownerId]);
    return rows.map(toCredential);
  }

  async getByCredentialId(accountId: string, credentialId: string, q: Queryable = this.db, lock?: 'update'): Promise<FidoCredential | undefined> {
    const row = await q.get<JoinedRow>(`${SELECT} WHERE d.account_id = ? AND f.credential_id = ?${lockClause(q, lock)}`, [accountId, credentialId]);
    return row && toCredential(row);
  }

  async getBySerial(accountId: string, serial: string, q: Queryable = this.db): Promise<FidoCredential | undefined> {
    const row = await q.get<JoinedRow>(`${SELECT} WHERE d.account_id = ? AND d.serial_number = ?`, [accountId, serial]);
    return row && toCredential(row);
  }

  /**
   * Records an accepted assertion's counter, only if it moved forward (or both are 0: an authenticator without a
   * counter). 1 change = accepted; 0 = another node accepted this or a later counter first.
   */
  advanceCounter(serial: string, counter: number, at: string, q: Queryable): Promise<number> {
    return q.run(`UPDATE fido_credentials SET sign_count = ?, last_used_at = ?
      WHERE serial_number = ? AND (sign_count < ? OR (sign_count = 0 AND ? = 0))`, [counter, at, serial, counter, counter]).then((r) => r.changes);
  }

  markCloned(serial: string, at: string, q: Queryable): Promise<RunResult> {
    return q.run('UPDATE fido_credentials SET cloned_at = ? WHERE serial_number = ?', [at, serial]);
  }

  /** A FIDO device leaves entirely when it is deactivated: it has no unassigned state to go back to. */
  async delete(serial: string, q: Tx): Promise<void> {
    await q.run('DELETE FROM fido_credentials WHERE serial_number = ?', [serial]);
    await q.run('DELETE FROM mfa_devices WHERE serial_number = ?', [serial]);
  }

  // ---- the console session's outstanding ceremony (one at a time; taken once)
  setChallenge(idHash: string, value: string | null): Promise<RunResult> {
    return this.db.run('UPDATE console_sessions SET webauthn_challenge = ? WHERE id_hash = ?', [value, idHash]);
  }

  /** The session's challenge, cleared in the same conditional write: a challenge answers one ceremony only. */
  async takeChallenge(idHash: string): Promise<string | null> {
    const row = await this.db.get<{ webauthn_challenge: string | null }>('SELECT webauthn_challenge FROM console_sessions WHERE id_hash = ?', [idHash]);
    const value = row?.webauthn_challenge ?? null;
    if (value === null) return null;
    const r = await this.db.run('UPDATE console_sessions SET webauthn_challenge = NULL WHERE id_hash = ? AND webauthn_challenge = ?', [idHash, value]);
    return r.changes === 1 ? value : null;
  }
}
