// SQLite driver for the query layer: WAL, synchronous=FULL (an acknowledged write survives a crash),
// prepared statements cached. better-sqlite3 is synchronous, so transactions take an async lock that
// plain statements also respect: nothing interleaves with an open transaction.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { ConflictError, ForeignKeyError } from './errors.js';

/**
 * The database file is created 0600 before SQLite opens it, whatever the umask; SQLite gives its -wal and -shm
 * files the database file's mode, and files left by an older version are brought down to 0600 too.
 */
function createPrivate(file) {
  if (file === ':memory:' || file === '') return;
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) if (existsSync(f)) chmodSync(f, 0o600);
}

class Lock {
  #tail = Promise.resolve();
  #held = false;
  get held() { return this.#held; }
  async acquire() {
    const prev = this.#tail;
    let release;
    this.#tail = new Promise((r) => { release = r; });
    await prev;
    this.#held = true;
    return () => { this.#held = false; release(); };
  }
  wait() { return this.#tail; }
}

function wrap(sql, fn) {
  try { return fn(); } catch (e) {
    if (e?.code?.startsWith?.('SQLITE_CONSTRAINT_UNIQUE') || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new ConflictError(e.message);
    if (e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new ForeignKeyError(sql);
    throw e;
  }
}

const toParam = (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v);

class Runner {
  constructor(db, statements) { this.db = db; this.statements = statements; }
  stmt(sql) {
    let s = this.statements.get(sql);
    if (!s) { s = this.db.prepare(sql); this.statements.set(sql, s); }
    return s;
  }
  getSync(sql, params = []) { return wrap(sql, () => this.stmt(sql).get(params.map(toParam))); }
  allSync(sql, params = []) { return wrap(sql, () => this.stmt(sql).all(params.map(toParam))); }
  runSync(sql, params = []) { return wrap(sql, () => ({ changes: this.stmt(sql).run(params.map(toParam)).changes })); }
}

export class SqliteDb {
  dialect = 'sqlite';
  #lock = new Lock();
  constructor(file) {
    createPrivate(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.runner = new Runner(this.db, new Map());
  }
  async #ready() { if (this.#lock.held) await this.#lock.wait(); }
  async get(sql, params) { if (this.#lock.held) await this.#ready(); return this.runner.getSync(sql, params); }
  async all(sql, params) { if (this.#lock.held) await this.#ready(); return this.runner.allSync(sql, params); }
  async run(sql, params) { if (this.#lock.held) await this.#ready(); return this.runner.runSync(sql, params); }
  async exec(sql) { await this.#ready(); this.db.exec(sql); }
  /**
   * Run fn(tx) in one transaction; tx has get/all/run and the row-lock clauses forUpdate and forNoKeyUpdate
   * (no-ops here: BEGIN IMMEDIATE takes the database's one writer lock, so transactions are serial anyway).
   */
  async tx(fn) {
    const release = await this.#lock.acquire();
    const r = this.runner;
    const tx = {
      dialect: 'sqlite',
      get: async (sql, p) => r.getSync(sql, p),
      all: async (sql, p) => r.allSync(sql, p),
      run: async (sql, p) => r.runSync(sql, p),
      forUpdate: '',
      forNoKeyUpdate: '',
    };
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
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
  async close() { await this.#ready(); this.db.close(); }
}
