// Secrets at rest: AES-256-GCM under one master key (GATEHOUSE_MASTER_KEY, or a key file created in the data
// folder with mode 0600). The ciphertext is bound to its row (AAD), so a value copied to another row fails.
// A sentinel sealed under the key lives in the database: a node started with another key refuses to start,
// naming the key the store expects by its id (a fingerprint, never the key).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from './db.js';
import type { SentinelRow } from './rows.js';
import type { Sentinel } from './entities.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface LoadMasterKeyOptions {
  dataDir: string;
  envKey?: string | undefined;
  create?: boolean | undefined;
}

/**
 * The master key from GATEHOUSE_MASTER_KEY, else DATA/master.key; when neither exists, a new key file is written
 * (mode 0600) only if `create` is set, else null.
 */
export function loadMasterKey({ dataDir, envKey, create = true }: LoadMasterKeyOptions): Buffer | null {
  if (envKey) {
    const key = /^[0-9a-fA-F]{64}$/.test(envKey) ? Buffer.from(envKey, 'hex') : Buffer.from(envKey, 'base64');
    if (key.length !== 32) throw new Error('GATEHOUSE_MASTER_KEY must be 32 bytes, as 64 hex characters or base64.');
    return key;
  }
  const file = join(dataDir, 'master.key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key.`);
    return key;
  }
  if (!create) return null;
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/** A key's public name: 16 hex digits of an HMAC under the key itself, so the id reveals nothing of the key. */
export function masterKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('gatehouse master key id').digest('hex').slice(0, 16);
}

/** Thrown when a sealed value does not open under this key (wrong key, or a damaged or moved value). */
export class SecretUnreadableError extends Error {
  readonly code = 'SECRET_UNREADABLE';
}

export class SecretBox {
  readonly #key: Buffer;
  readonly keyId: string;
  constructor(key: Buffer) {
    this.#key = key;
    this.keyId = masterKeyId(key);
  }
  /** The sealed value (text, stored as is) of plaintext, bound to aad (the row it belongs in). */
  seal(plaintext: string | Uint8Array, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
  }
  /**
   * A keyed hash (HMAC-SHA-256, hex) of a short secret that is only ever compared, never read back: recovery codes,
   * emailed one-time codes. The key is derived from the master key for the purpose, so a copy of the database alone
   * does not let anyone test guesses offline.
   */
  mac(value: string, purpose: string): string {
    const key = Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), `gatehouse mac ${purpose}`, 32));
    return createHmac('sha256', key).update(value, 'utf8').digest('hex');
  }
  /** The plaintext of a value sealed with the same aad under this key; SecretUnreadableError otherwise. */
  open(sealed: string, aad: string): Buffer {
    const [version, data] = String(sealed).split(':');
    if (version !== VERSION) throw new SecretUnreadableError(`unknown secret format ${version}`);
    const raw = Buffer.from(data ?? '', 'base64');
    // The tag is always 16 bytes: a shorter one would make forging a value 2^32 (or 2^64) work, not 2^128.
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretUnreadableError('sealed value too short');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new SecretUnreadableError('a sealed value does not open under this master key');
    }
  }
}

const SENTINEL_AAD = 'master-key-sentinel';
const SENTINEL_TEXT = 'gatehouse';

/** The sentinel row (migration 40), or undefined on a store that has none yet. */
export async function readSentinel(db: Queryable): Promise<Sentinel | undefined> {
  const r = await db.get<SentinelRow>('SELECT key_id, sealed FROM master_key_sentinel WHERE id = 1');
  return r && { keyId: r.key_id, sealed: r.sealed };
}

/** One secret already sealed in the store (a store from before the sentinel), or undefined. */
async function anySealedSecret(db: Queryable): Promise<{ sealed: string; aad: string } | undefined> {
  const key = await db.get<{ id: string; secret_enc: string }>('SELECT access_key_id AS id, secret_enc FROM access_keys LIMIT 1');
  if (key) return { sealed: key.secret_enc, aad: `access-key:${key.id}` };
  const device = await db.get<{ id: string; secret_enc: string }>('SELECT serial_number AS id, secret_enc FROM mfa_devices LIMIT 1');
  if (device) return { sealed: device.secret_enc, aad: `mfa-seed:${device.id}` };
  return undefined;
}

/** Whether the store already holds anything sealed under some key (then a new key must not be created). */
export async function storeHasSealedSecrets(db: Queryable): Promise<boolean> {
  return Boolean(await readSentinel(db)) || Boolean(await anySealedSecret(db));
}

function mismatch(expectedId: string, box: SecretBox, source: string): Error {
  return new Error(`the master key does not match this store: its secrets are sealed under master key ${expectedId}, `
    + `but ${source} is master key ${box.keyId}. Start with the store's key: the GATEHOUSE_MASTER_KEY the other nodes use, `
    + `or --data pointing at the folder that holds its master.key.`);
}

/**
 * Checks the key against the store's sentinel before anything is sealed or served; on a store without one (new,
 * or from before the sentinel) checks a secret already there, then writes the sentinel. Throws a clear Error on a
 * mismatch, naming the key the store expects by id. source: where the key came from, for the message.
 */
export async function verifyMasterKey(db: Queryable, box: SecretBox, source: string): Promise<void> {
  let row = await readSentinel(db);
  if (!row) {
    const existing = await anySealedSecret(db);
    if (existing) {
      try { box.open(existing.sealed, existing.aad); } catch {
        throw new Error(`the master key does not match this store: ${source} (master key ${box.keyId}) cannot open the secrets already in it. `
          + 'Start with the key that sealed them: the GATEHOUSE_MASTER_KEY the other nodes use, or --data pointing at the folder that holds its master.key.');
      }
    }
    // Several nodes may start at once: the first sentinel written wins, and every node checks against it.
    const sealed = box.seal(SENTINEL_TEXT, SENTINEL_AAD);
    await db.run('INSERT INTO master_key_sentinel (id, key_id, sealed, created_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      [box.keyId, sealed, new Date().toISOString()]);
    row = await readSentinel(db);
    // The INSERT above wrote it, or another node's did first: a sentinel is there now.
    if (!row) throw new Error('the master key sentinel is missing right after its insert');
  }
  try {
    if (box.open(row.sealed, SENTINEL_AAD).toString('utf8') === SENTINEL_TEXT) return;
  } catch { /* a mismatch, reported below */ }
  throw mismatch(row.keyId, box, source);
}

/**
 * The master key, checked against the store before anything is sealed or served. A new key file is created only
 * for a store that holds no secret yet: a node pointed at an existing store without its key stops, naming the key.
 */
export async function openMasterKey(db: Queryable, dataDir: string, envKey?: string | undefined): Promise<SecretBox> {
  const source = envKey ? 'GATEHOUSE_MASTER_KEY' : join(dataDir, 'master.key');
  const hasSecrets = await storeHasSealedSecrets(db);
  const key = loadMasterKey({ dataDir, envKey, create: !hasSecrets });
  if (!key) {
    const sentinel = await readSentinel(db);
    throw new Error(`no master key: this store's secrets are sealed under master key ${sentinel?.keyId ?? '(see the other nodes)'}, `
      + `and neither GATEHOUSE_MASTER_KEY nor ${source} is set. Set GATEHOUSE_MASTER_KEY to the key the other nodes use, `
      + 'or pass --data pointing at the folder that holds its master.key.');
  }
  const secrets = new SecretBox(key);
  await verifyMasterKey(db, secrets, source);
  return secrets;
}
