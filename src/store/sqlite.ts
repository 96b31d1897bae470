// SQLite driver for the query layer: WAL, synchronous=FULL (an acknowledged write survives a crash),
// prepared statements cached. better-sqlite3 is synchronous, so transactions take an async lock that
// plain statements also respect: nothing interleaves with an open transaction.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { ConflictError, ForeignKeyError } from './errors.js';
import { CHECK_AT_MOST_EVERY_MS, ReadCache, rowLocks, TxGuard } from './db.js';
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

// A statement ending in `LIMIT ?` is recompiled by SQLite at every execution (since 3.4x the planner may choose a
// plan by the LIMIT's value, so binding it expires the statement): measured 5–7 µs more than the same statement
// with the limit written in (better-sqlite3 12, SQLite 3.53). The runner writes a trailing LIMIT's integer into
// the SQL and keeps one prepared statement per limit seen (page sizes: MaxItems, 1–1,000), at most LIMITED_MAX.
const TRAILING_LIMIT = ' LIMIT ?';
const LIMITED_MAX = 1000;

class Runner {
  // sql → limit → statement; #limitedCount counts them all.
  readonly #limited = new Map<string, Map<number, Database.Statement>>();
  #limitedCount = 0;
  constructor(readonly db: Database, readonly statements: Map<string, Database.Statement>) {}
  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) { s = this.db.prepare(sql); this.statements.set(sql, s); }
    return s;
  }
  /** The statement and its parameters, a trailing `LIMIT ?` written in when its value is a whole number. */
  #bound(sql: string, params: readonly SqlParam[]): [Database.Statement, Array<string | number | bigint | null>] {
    const last = params[params.length - 1];
    if (typeof last === 'number' && Number.isSafeInteger(last) && last >= 0 && sql.endsWith(TRAILING_LIMIT)) {
      let byLimit = this.#limited.get(sql);
      let s = byLimit?.get(last);
      if (!s) {
        if (this.#limitedCount >= LIMITED_MAX) { this.#limited.clear(); this.#limitedCount = 0; byLimit = undefined; }
        s = this.db.prepare(`${sql.slice(0, -1)}${last}`);
        if (!byLimit) { byLimit = new Map(); this.#limited.set(sql, byLimit); }
        byLimit.set(last, s);
        this.#limitedCount++;
      }
      const p: Array<string | number | bigint | null> = new Array(params.length - 1);
      for (let i = 0; i < p.length; i++) p[i] = toParam(params[i]);
      return [s, p];
    }
    return [this.stmt(sql), params.map(toParam)];
  }
  // The row's shape is the SQL's, named by the caller (see Queryable.get): nothing here can check it.
  getSync<T>(sql: string, params: readonly SqlParam[] = []): T | undefined { return wrap(sql, () => { const [s, p] = this.#bound(sql, params); return s.get(p) as T | undefined; }); }
  allSync<T>(sql: string, params: readonly SqlParam[] = []): T[] { return wrap(sql, () => { const [s, p] = this.#bound(sql, params); return s.all(p) as T[]; }); }
  runSync(sql: string, params: readonly SqlParam[] = []): RunResult { return wrap(sql, () => { const [s, p] = this.#bound(sql, params); return { changes: s.run(p).changes }; }); }
}

export class SqliteDb implements Db {
  readonly dialect = 'sqlite';
  readonly db: Database;
  readonly runner: Runner;
  #lock = new Lock();
  // cachedGet/cachedAll: rows by statement and parameters, valid while the file's data_version (it changes when
  // another connection — another worker, the CLI — commits) and this connection's own write count (data_version does
  // not count them) are the ones of the last check: any write anywhere empties the cache.
  readonly #cache = new ReadCache();
  #cacheVersion = -1;
  #cacheWrites = -1;
  #writes = 0;
  #dataVersion: Database.Statement | undefined;
  // beginRequest(): the check due at the end of this turn of the event loop, and when the latest check ran.
  #pendingCheck: Promise<void> | null = null;
  #checkedAt = -Infinity;
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
    try { return this.runner.runSync(sql, params); } finally { this.#writes++; }
  }
  async exec(sql: string): Promise<void> {
    this.#guard.check('exec');
    await this.#ready();
    try { this.db.exec(sql); } finally { this.#writes++; }
  }
  /**
   * One data_version check for all the requests that arrive in one turn of the event loop: it runs after them (in
   * the loop's check phase), so it sees every commit made before any of them arrived. Asked once per request it cost
   * more than any statement of the request (a read transaction: ~3 µs alone, several times that in a busy server).
   */
  beginRequest(): Promise<void> {
    this.#pendingCheck ??= new Promise((ok) => setImmediate(() => {
      this.#pendingCheck = null;
      // A closed database (the server stopping) cannot be asked: the request then fails on its own first read.
      try { this.#check(); } catch { this.#cache.clear(); this.#checkedAt = -Infinity; }
      ok();
    }));
    return this.#pendingCheck;
  }
  /** Empties the read cache when the file changed (another connection committed) or this connection wrote. */
  #check(): void {
    this.#checkedAt = performance.now();
    this.#dataVersion ??= this.db.prepare('PRAGMA data_version');
    const version = (this.#dataVersion.get([]) as { data_version: number }).data_version; // the pragma's one row
    if (version !== this.#cacheVersion || this.#writes !== this.#cacheWrites) {
      this.#cache.clear();
      this.#cacheVersion = version;
      this.#cacheWrites = this.#writes;
    }
  }
  /**
   * A read through the cache. This connection's writes since the last check, or a check over 50 ms old (a read
   * outside any request: background work), make it check first; a request's reads rely on its beginRequest.
   */
  async #cached<R>(kind: 'get' | 'all', sql: string, params: readonly SqlParam[], read: () => R): Promise<R> {
    this.#guard.check(kind);
    if (this.#lock.held) await this.#ready();
    if (this.#writes !== this.#cacheWrites || performance.now() - this.#checkedAt >= CHECK_AT_MOST_EVERY_MS) this.#check();
    const key = ReadCache.key(kind, sql, params);
    if (this.#cache.has(key)) return this.#cache.get<R>(key);
    const rows = read();
    this.#cache.set(key, rows);
    return rows;
  }
  cachedGet<T extends object = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    return this.#cached('get', sql, params, () => this.runner.getSync<T>(sql, params));
  }
  cachedAll<T extends object = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.#cached('all', sql, params, () => this.runner.allSync<T>(sql, params));
  }
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
      this.#writes++;
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.#guard.within(() => fn(tx));
        this.db.exec('COMMIT');
        this.#writes++;
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
