// Opens the store named by the configuration: SQLite in the data folder by default, PostgreSQL for a postgres:// URL.
import { chmodSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SqliteDb } from './sqlite.js';
import { PostgresDb } from './postgres.js';
import { eventMigrations, migrate } from './migrations.js';
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

const isPostgres = (url: string | undefined): boolean => Boolean(url && /^postgres(ql)?:\/\//.test(url));

/** The SQLite file the options name (undefined: PostgreSQL). */
function sqliteFile({ dataDir, databaseUrl }: OpenDatabaseOptions): string | undefined {
  if (isPostgres(databaseUrl)) return undefined;
  if (databaseUrl && databaseUrl.startsWith('sqlite:')) return databaseUrl.slice('sqlite:'.length).replace(/^\/\//, '');
  if (databaseUrl) throw new Error(`Unsupported --database URL '${databaseUrl}': use postgres://… or sqlite:PATH.`);
  if (dataDir === undefined) throw new TypeError('openDatabase needs a dataDir or a databaseUrl');
  return join(dataDir, 'gatehouse.db');
}

export async function openDatabase(o: OpenDatabaseOptions): Promise<Db> {
  const file = sqliteFile(o);
  const db: Db = file === undefined ? new PostgresDb(o.databaseUrl!) : new SqliteDb(file); // no SQLite file: a postgres:// URL
  await migrate(db);
  return db;
}

/**
 * Where the event history lives. On SQLite, a database file of its own beside the main one (gatehouse.db →
 * events.db; sqlite:PATH → PATH-events.db), written by a worker thread (src/store/event-writer.ts): its commits
 * (fsync) and SQLite's one writer lock never touch the main database or the server's thread. On PostgreSQL
 * (asynchronous driver) and an in-memory SQLite database, the main database (file: undefined).
 */
export function eventsDatabaseFile(o: OpenDatabaseOptions): string | undefined {
  const file = sqliteFile(o);
  if (file === undefined || file === '' || file === ':memory:') return undefined;
  return basename(file) === 'gatehouse.db' ? join(dirname(file), 'events.db') : `${file}-events.db`;
}

/** Opens (and migrates) SQLite's events database file; several processes may do so at once. */
export async function openEventsFile(file: string): Promise<Db> {
  const db = new SqliteDb(file);
  try {
    await migrate(db, eventMigrations);
  } catch (e) {
    // Another process created the tables and recorded the migration first (the primary key refused ours): fine
    // when the migration is there now.
    const done = await db.all<{ id: number }>('SELECT id FROM schema_migrations').catch(() => []);
    if (!eventMigrations.every((m) => done.some((r) => Number(r.id) === m.id))) {
      await db.close();
      throw e;
    }
  }
  return db;
}

/** The database the event history is read from: SQLite's events file, or the main database (see eventsDatabaseFile). */
export async function openEventDatabase(o: OpenDatabaseOptions, main: Db): Promise<{ db: Db; file: string | undefined }> {
  const file = eventsDatabaseFile(o);
  return { db: file === undefined ? main : await openEventsFile(file), file };
}
export { ConflictError } from './errors.js';
export type { Db, Dialect, LockClause, LockMode, Queryable, RowLock, RunResult, SqlParam, SqlRow, Tx } from './db.js';
export { OutsideTransactionError } from './db.js';
