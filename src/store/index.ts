// Opens the store named by the configuration: SQLite in the data folder by default, PostgreSQL for a postgres:// URL.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteDb } from './sqlite.js';
import { PostgresDb } from './postgres.js';
import { migrate } from './migrations.js';
import type { Db } from './db.js';

/** The data folder holds the key and the database: 0700, also when it already existed. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

export interface OpenDatabaseOptions {
  dataDir?: string | undefined;
  databaseUrl?: string | undefined;
}

export async function openDatabase({ dataDir, databaseUrl }: OpenDatabaseOptions): Promise<Db> {
  let db: Db;
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) db = new PostgresDb(databaseUrl);
  else if (databaseUrl && databaseUrl.startsWith('sqlite:')) db = new SqliteDb(databaseUrl.slice('sqlite:'.length).replace(/^\/\//, ''));
  else if (databaseUrl) throw new Error(`Unsupported --database URL '${databaseUrl}': use postgres://… or sqlite:PATH.`);
  else if (dataDir === undefined) throw new TypeError('openDatabase needs a dataDir or a databaseUrl');
  else db = new SqliteDb(join(dataDir, 'gatehouse.db'));
  await migrate(db);
  return db;
}
export { ConflictError } from './errors.js';
export type { Db, Dialect, LockClause, LockMode, Queryable, RowLock, RunResult, SqlParam, SqlRow, Tx } from './db.js';
export { OutsideTransactionError } from './db.js';
