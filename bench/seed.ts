// Bulk seeding for the benchmarks and tests: users straight through the store's query layer (multi-row INSERTs,
// 500 rows a statement), with what hangs off them, one transaction per 500 users on PostgreSQL (20,000 on SQLite). The counters' triggers
// (migration 60) run for every row, as they do for the API's writes. Why not one transaction: on PostgreSQL every
// trigger updates the same counter row, and updating one row again and again inside one transaction walks an
// ever longer chain of its versions (quadratic); committed in batches the chain stays short. 100,000 users take
// about 15 s on SQLite and a minute on PostgreSQL on the project's machine.
import type { Db, Tx } from '../src/store/db.js';
import { newId } from '../src/iam/arn.js';

/** A row of column values, as the INSERTs bind them. */
type Row = (string | number | null)[];
const BATCH = 500;
const TOTP_PARAMS = JSON.stringify({ algorithm: 'SHA1', digits: 6, period: 30 });

/** INSERT rows (arrays of values) into table(columns) in multi-row statements. */
export async function bulk(tx: Tx, table: string, columns: readonly string[], rows: readonly Row[]): Promise<void> {
  const marks = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    await tx.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => marks).join(', ')}`, chunk.flat());
  }
}

export interface SeedOptions {
  /** How many users (named user-0000000, user-0000001, …). */
  users: number;
  /** The first `fewUnder` users get the path '/bench/few/' instead of '/' (for PathPrefix listings). */
  fewUnder?: number;
  /** A managed policy ARN to attach to every user (none if undefined). */
  attachToAll?: string | undefined;
  /** Epoch ms of the first user's creation. */
  base?: number;
}

export const seedUserName = (i: number): string => `user-${String(i).padStart(7, '0')}`;

/**
 * Every user has one access key (used, in us-east-1/iam), every third a second (never used, inactive), every second
 * a login profile, every fourth an enabled virtual MFA device. Secrets are placeholders: these keys cannot sign.
 */
export async function seedUsers(db: Db, accountId: string, o: SeedOptions): Promise<void> {
  const base = o.base ?? Date.parse('2025-01-01T00:00:00Z');
  const iso = (ms: number): string => new Date(ms).toISOString();
  const users: Row[] = [];
  const keys: Row[] = [];
  const profiles: Row[] = [];
  const devices: Row[] = [];
  const attachments: Row[] = [];
  for (let i = 0; i < o.users; i++) {
    const id = newId.user();
    const name = seedUserName(i);
    const created = base + i * 1000;
    users.push([id, accountId, name, name, i < (o.fewUnder ?? 0) ? '/bench/few/' : '/', '[]', iso(created), i % 2 === 0 && i % 3 === 0 ? iso(created + 86400_000) : null]);
    keys.push([newId.accessKey(), accountId, id, 'v1:bench', 'Active', iso(created), iso(created + 3600_000), 'iam', 'us-east-1']);
    if (i % 3 === 0) keys.push([newId.accessKey(), accountId, id, 'v1:bench', 'Inactive', iso(created + 60_000), null, null, null]);
    if (i % 2 === 0) profiles.push([id, 'hash', '[]', 0, iso(created), iso(created)]);
    if (i % 4 === 0) devices.push([`arn:aws:iam::${accountId}:mfa/${name}`, accountId, 'virtual', name, '/', 'v1:bench', TOTP_PARAMS, '[]', 'user', id, iso(created), iso(created)]);
    if (o.attachToAll) attachments.push([accountId, 'user', id, o.attachToAll, iso(created)]);
  }
  const CHUNK = db.dialect === 'postgres' ? 500 : 20_000;
  for (let from = 0; from < users.length; from += CHUNK) {
    const ids = new Set(users.slice(from, from + CHUNK).map((u) => u[0]));
    const mine = (rows: Row[], col: number): Row[] => rows.filter((r) => ids.has(r[col] ?? null));
    await db.tx(async (tx: Tx) => {
      await bulk(tx, 'users', USER_COLUMNS, users.slice(from, from + CHUNK));
      await bulk(tx, 'access_keys', KEY_COLUMNS, mine(keys, 2));
      await bulk(tx, 'login_profiles', PROFILE_COLUMNS, mine(profiles, 0));
      await bulk(tx, 'mfa_devices', DEVICE_COLUMNS, mine(devices, 9));
      await bulk(tx, 'policy_attachments', ATTACHMENT_COLUMNS, mine(attachments, 2));
    });
  }
  if (db.dialect === 'postgres') await db.exec('ANALYZE');
}

const USER_COLUMNS = ['user_id', 'account_id', 'name', 'name_lc', 'path', 'tags', 'created_at', 'password_last_used'];
const KEY_COLUMNS = ['access_key_id', 'account_id', 'user_id', 'secret_enc', 'status', 'created_at', 'last_used_date', 'last_used_service', 'last_used_region'];
const PROFILE_COLUMNS = ['user_id', 'password_hash', 'password_history', 'password_reset_required', 'password_changed_at', 'created_at'];
const DEVICE_COLUMNS = ['serial_number', 'account_id', 'kind', 'name', 'path', 'secret_enc', 'params', 'tags', 'owner_type', 'owner_id', 'enabled_at', 'created_at'];
const ATTACHMENT_COLUMNS = ['account_id', 'principal_type', 'principal_id', 'policy_arn', 'attached_at'];
