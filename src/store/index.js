// Opens the store named by the configuration: SQLite in the data folder by default, PostgreSQL for a postgres:// URL.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteDb } from './sqlite.js';
import { PostgresDb } from './postgres.js';
import { migrate } from './migrations.js';

/** The data folder holds the key and the database: 0700, also when it already existed. */
export function ensurePrivateDir(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

export async function openDatabase({ dataDir, databaseUrl }) {
  let db;
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) db = new PostgresDb(databaseUrl);
  else if (databaseUrl && databaseUrl.startsWith('sqlite:')) db = new SqliteDb(databaseUrl.slice('sqlite:'.length).replace(/^\/\//, ''));
  else if (databaseUrl) throw new Error(`Unsupported --database URL '${databaseUrl}': use postgres://… or sqlite:PATH.`);
  else db = new SqliteDb(join(dataDir, 'gatehouse.db'));
  await migrate(db);
  return db;
}
export { ConflictError } from './errors.js';
