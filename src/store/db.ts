// The query layer's contract, the same for SQLite and PostgreSQL: `?` placeholders, rows as plain objects whose
// shape the caller names (rows.ts), a transaction handle that is the only way to query inside a transaction.
import { AsyncLocalStorage } from 'node:async_hooks';

export type Dialect = 'sqlite' | 'postgres';

/** What a `?` may be bound to: booleans are stored as 0/1, undefined as NULL (both drivers). */
export type SqlParam = string | number | bigint | boolean | null | undefined;

/** A row as a driver returns it before its shape is named: TEXT as string, BIGINT as number, NULL as null. */
export type SqlRow = Record<string, string | number | null>;

export interface RunResult { changes: number }

declare const rowLockBrand: unique symbol;
/**
 * A row-lock clause appended to a SELECT inside a transaction (' FOR UPDATE', ' FOR NO KEY UPDATE' on PostgreSQL,
 * '' on SQLite, whose write transaction is already exclusive). Only a Tx hands them out: the domain passes them
 * through to the store opaquely, so no other text can reach the SQL in their place.
 */
export type RowLock = string & { readonly [rowLockBrand]: true };
/** A lock argument: one of the Tx's clauses, or '' (no lock, the default). */
export type LockClause = RowLock | '';

/**
 * How a read inside a transaction row-locks what it reads, as the domain names it (the store turns it into its
 * driver's clause, so no SQL text passes through the domain): 'update' for a row the transaction deletes,
 * 'no-key-update' for a parent row it hangs children off or counts them under a quota.
 */
export type LockMode = 'update' | 'no-key-update';

/** Anything that runs a statement: the database itself (outside transactions) or a transaction handle. */
export interface Queryable {
  readonly dialect: Dialect;
  /** The first row, or undefined. T names the row's shape (rows.ts); the SQL decides it, nothing checks it. */
  get<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  all<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  run(sql: string, params?: readonly SqlParam[]): Promise<RunResult>;
}

/** The handle fn(tx) gets inside db.tx: every statement of the transaction goes through it. */
export interface Tx extends Queryable {
  /** For a row the transaction deletes (conflicts with every other lock, and with a child insert's key-share lock). */
  readonly forUpdate: RowLock;
  /** For a parent row the transaction hangs children off or counts them under a quota (see postgres.ts). */
  readonly forNoKeyUpdate: RowLock;
}

export interface Db extends Queryable {
  /**
   * Runs fn(tx) in one transaction (committed if fn resolves, rolled back if it throws). On PostgreSQL fn may run
   * more than once (a deadlock or serialization failure is retried): it must not act outside tx.
   */
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs several statements (migrations); no parameters, no rows. */
  exec(sql: string): Promise<void>;
  /**
   * get/all that may answer from memory while the database is unchanged since the same read; for the hot reads of
   * every request (the credential, the authoriser's resource row), whose rows the caller only reads. SQLite: no
   * commit by any connection (its `PRAGMA data_version`) and none by this one. PostgreSQL: the database's change
   * generation unchanged (migration 75: every committed write to a table but the event history's moves it) and no
   * write by this node.
   */
  cachedGet<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  cachedAll<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /**
   * A request has arrived: the server calls this first and awaits it before the request reads anything. After it,
   * the request's cached reads see every commit made before it arrived (every commit its client could have seen).
   * One check serves every request read in the same turn of the event loop, made in its check phase: SQLite asks
   * data_version, PostgreSQL sends one query for the change generation. Reads
   * outside a request trust a check at most 50 ms old.
   */
  beginRequest(): Promise<void>;
  close(): Promise<void>;
}

/** Entries of a read cache; past it the cache starts again empty. */
export const READ_CACHE_LIMIT = 10_000;
/** How old a freshness check reads outside a request trust (background work); requests await their own. */
export const CHECK_AT_MOST_EVERY_MS = 50;

/**
 * The rows of cachedGet/cachedAll by statement and parameters, bounded (both drivers). When the cache is valid is
 * each driver's own (SQLite's data_version, PostgreSQL's change generation): they empty it.
 */
export class ReadCache {
  readonly #rows = new Map<string, unknown>();
  /** The key of a read: a string parameter and a number parameter never collide. */
  static key(kind: 'get' | 'all', sql: string, params: readonly SqlParam[]): string {
    let key = `${kind}\u0000${sql}`;
    for (const p of params) key += `\u0000${typeof p === 'string' ? 's' : 'v'}${String(p)}`;
    return key;
  }
  has(key: string): boolean { return this.#rows.has(key); }
  /** What set stored under key (the caller names the rows' type, as for a read). */
  get<R>(key: string): R { return this.#rows.get(key) as R; } // stored by set under this key, read as the same rows
  set(key: string, rows: unknown): void {
    if (this.#rows.size >= READ_CACHE_LIMIT) this.#rows.clear();
    this.#rows.set(key, rows);
  }
  clear(): void { this.#rows.clear(); }
}

/** A lock mode's clause on this transaction's driver ('' for none); a lock needs the transaction's handle. */
export function lockClause(q: Queryable, mode: LockMode | undefined): LockClause {
  if (mode === undefined) return '';
  if (!('forUpdate' in q)) throw new TypeError('a row lock is taken inside a transaction: pass its tx handle');
  const tx = q as Tx; // a Queryable with the lock clauses is a transaction's handle
  return (mode === 'update' ? tx.forUpdate : tx.forNoKeyUpdate) ?? '';
}

/** What each driver's tx(fn) hands out as its lock clauses. */
export const rowLocks = (forUpdate: string, forNoKeyUpdate: string): Pick<Tx, 'forUpdate' | 'forNoKeyUpdate'> =>
  // The one place a string becomes a RowLock: the drivers' own clauses.
  ({ forUpdate: forUpdate as RowLock, forNoKeyUpdate: forNoKeyUpdate as RowLock });

/** Thrown when code inside a transaction queries the database itself instead of the transaction's handle. */
export class OutsideTransactionError extends Error {
  constructor(what: string) {
    super(`query outside its transaction: use the tx handle (db.${what} was called inside db.tx's callback)`);
    this.name = 'OutsideTransactionError';
  }
}

/**
 * Makes "a statement on the database while my own transaction is open" impossible by construction, on both
 * drivers. On SQLite such a statement waits for the transaction's lock, which waits for the statement: it hangs
 * for ever. On PostgreSQL it silently runs on another pooled connection, outside the transaction (it neither sees
 * the transaction's writes nor rolls back with it, and can deadlock against its row locks). Each transaction runs
 * its callback in an AsyncLocalStorage context; the Db's own get/all/run/exec/tx check it and throw at once.
 *
 * Why throw rather than route the statement to the open transaction: routing would silently change what the
 * author wrote (a write meant to survive a rollback, or a nested tx, would become part of the transaction, and on
 * PostgreSQL be re-run with it on a retry); throwing names the bug at its line the first time a test runs it, and
 * behaves identically on both drivers. Work started inside the callback but meant for after the commit (fire and
 * forget) must be started after db.tx returns. Statements from other requests (other async contexts) are not
 * affected: they wait for the SQLite lock, or run on their own PostgreSQL connection, as before.
 *
 * What it costs: on Node 20 an enabled AsyncLocalStorage switches on V8's promise hooks for the whole process,
 * which slowed every request (every await pays for them) by about a tenth. So the storage is enabled only while
 * at least one transaction of its database is open, and disabled (the hooks off again) when the last one closes:
 * requests that open no transaction (every read) pay nothing, and the check itself is one counter test when no
 * transaction is open. The refusal is unchanged: a statement can only be inside a transaction's context while that
 * transaction is open, and while one is open the storage is enabled.
 */
export class TxGuard {
  readonly #open = new AsyncLocalStorage<{ open: boolean }>();
  #transactions = 0;
  /** Runs fn in a transaction's context; the context closes when fn settles (continuations leaked past it are free). */
  async within<T>(fn: () => Promise<T>): Promise<T> {
    const state = { open: true };
    this.#transactions++;
    try {
      return await this.#open.run(state, fn);
    } finally {
      state.open = false;
      // The last open transaction of this database closed: its storage off, and with the last one in the process
      // Node switches the promise hooks off again.
      if (--this.#transactions === 0) this.#open.disable();
    }
  }
  /** Throws when called from inside an open transaction of this database. */
  check(what: string): void {
    if (this.#transactions !== 0 && this.#open.getStore()?.open) throw new OutsideTransactionError(what);
  }
}
