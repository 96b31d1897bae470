// SQLite driver for the query layer: WAL, synchronous=FULL (an acknowledged write survives a crash),
// prepared statements cached. better-sqlite3 is synchronous, so transactions take an async lock that
// plain statements also respect: nothing interleaves with an open transaction.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { ConflictError, ForeignKeyError } from './errors.js';
import { rowLocks, TxGuard } from './db.js';
import type { Db, RunResult, SqlParam, SqlRow, Tx } from './db.js';

/**
 * The database file is created 0600 before SQLite opens it, whatever the umask; SQLite gives its -wal and -shm
 * files the database file's mode, and files left by an older version are brought down to 0600 too.
 */
function createPrivate(file: string): void {
  if (file === ':memory:' || file === '') return;
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) if (existsSync(f)) chmodSync(f, 0o600);
}

class Lock {
  #tail: Promise<void> = Promise.resolve();
  #held = false;
  get held(): boolean { return this.#held; }
  async acquire(): Promise<() => void> {
    const prev = this.#tail;
    let release!: () => void; // assigned synchronously by the Promise executor below
    this.#tail = new Promise((r) => { release = r; });
    await prev;
    this.#held = true;
    return () => { this.#held = false; release(); };
  }
  wait(): Promise<void> { return this.#tail; }
}

/** better-sqlite3's error code (SQLITE_CONSTRAINT_UNIQUE, …), if e is one of its errors. */
const sqliteCode = (e: unknown): string | undefined =>
  (e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined);

function wrap<T>(sql: string, fn: () => T): T {
  try { return fn(); } catch (e) {
    const code = sqliteCode(e);
    if (e instanceof Error && (code?.startsWith('SQLITE_CONSTRAINT_UNIQUE') || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')) throw new ConflictError(e.message);
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new ForeignKeyError(sql);
    throw e;
  }
}

const toParam = (v: SqlParam): string | number | bigint | null => (typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v);

class Runner {
  constructor(readonly db: Database, readonly statements: Map<string, Database.Statement>) {}
  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) { s = this.db.prepare(sql); this.statements.set(sql, s); }
    return s;
  }
  // The row's shape is the SQL's, named by the caller (see Queryable.get): nothing here can check it.
  getSync<T>(sql: string, params: readonly SqlParam[] = []): T | undefined { return wrap(sql, () => this.stmt(sql).get(params.map(toParam)) as T | undefined); }
  allSync<T>(sql: string, params: readonly SqlParam[] = []): T[] { return wrap(sql, () => this.stmt(sql).all(params.map(toParam)) as T[]); }
  runSync(sql: string, params: readonly SqlParam[] = []): RunResult { return wrap(sql, () => ({ changes: this.stmt(sql).run(params.map(toParam)).changes })); }
}

export class SqliteDb implements Db {
  readonly dialect = 'sqlite';
  readonly db: Database;
  readonly runner: Runner;
  #lock = new Lock();
  // A statement on this object from inside one of its own transactions would wait for that transaction's lock for
  // ever: it throws instead (db.ts TxGuard).
  readonly #guard = new TxGuard();
  constructor(file: string) {
    createPrivate(file);
    this.db = new Database(file);
    // The wait first: setting the journal mode needs a lock, and another process (--workers, the event writer
    // thread, an admin command) may hold one at that moment; without a busy timeout that is "database is locked".
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.runner = new Runner(this.db, new Map());
  }
  async #ready(): Promise<void> { if (this.#lock.held) await this.#lock.wait(); }
  async get<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined> {
    this.#guard.check('get');
    if (this.#lock.held) await this.#ready();
    return this.runner.getSync<T>(sql, params);
  }
  async all<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    this.#guard.check('all');
    if (this.#lock.held) await this.#ready();
    return this.runner.allSync<T>(sql, params);
  }
  async run(sql: string, params?: readonly SqlParam[]): Promise<RunResult> {
    this.#guard.check('run');
    if (this.#lock.held) await this.#ready();
    return this.runner.runSync(sql, params);
  }
  async exec(sql: string): Promise<void> { this.#guard.check('exec'); await this.#ready(); this.db.exec(sql); }
  /**
   * Run fn(tx) in one transaction; tx has get/all/run and the row-lock clauses forUpdate and forNoKeyUpdate
   * (no-ops here: BEGIN IMMEDIATE takes the database's one writer lock, so transactions are serial anyway).
   */
  async tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.#guard.check('tx'); // a nested transaction would wait for this one's lock
    const release = await this.#lock.acquire();
    const r = this.runner;
    const tx: Tx = {
      dialect: 'sqlite',
      get: async <R extends object = SqlRow>(sql: string, p?: readonly SqlParam[]) => r.getSync<R>(sql, p),
      all: async <R extends object = SqlRow>(sql: string, p?: readonly SqlParam[]) => r.allSync<R>(sql, p),
      run: async (sql, p) => r.runSync(sql, p),
      ...rowLocks('', ''),
    };
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.#guard.within(() => fn(tx));
        this.db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    } finally {
      release();
    }
  }
  async close(): Promise<void> { await this.#ready(); this.db.close(); }
}
