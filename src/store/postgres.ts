// PostgreSQL driver for the query layer: the same `?` placeholders as SQLite (rewritten to $n), BIGINT read
// as numbers, transactions on one pooled client, and row locks (forUpdate, forNoKeyUpdate) so checks-then-writes
// hold across nodes. Transactions take their row locks in one global order (docs/concurrency.md), so a deadlock
// should not happen; one that does anyway (or a serialization failure) is retried a few times before it surfaces.
import pg from 'pg';
import type { Pool, Queryable as PgQueryable, QueryResult } from 'pg';
import { ConflictError, ForeignKeyError } from './errors.js';
import { CHECK_AT_MOST_EVERY_MS, ReadCache, rowLocks, TxGuard } from './db.js';
import type { Db, RunResult, SqlParam, SqlRow, Tx } from './db.js';

// BIGINT (oid 20, also COUNT(*)) as a number: every BIGINT column holds a count, a step or epoch milliseconds,
// all far below 2^53. NUMERIC (SUM, AVG) still comes back as a string.
pg.types.setTypeParser(20, (v) => (v === null ? null : Number(v)));

const placeholderCache = new Map<string, string>();
function toPg(sql: string): string {
  let out = placeholderCache.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    placeholderCache.set(sql, out);
  }
  return out;
}

/** PostgreSQL's SQLSTATE (23505, 40P01, …), if e is one of its errors. */
const pgCode = (e: unknown): string | undefined =>
  (e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined);

function wrapError(e: unknown, sql: string): unknown {
  if (e instanceof Error && pgCode(e) === '23505') return new ConflictError(e.message);
  if (pgCode(e) === '23503') return new ForeignKeyError(sql);
  return e;
}

const toParam = (v: SqlParam): string | number | bigint | null => (typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v);

// Every statement is prepared once per pooled connection (a named statement: the server parses and plans it the first
// time, then only binds and executes): the same SQL text always gets the same name, and the texts are the code's own
// (placeholders, never values), so their number is bounded. Parsing and planning each time cost the database, which
// shares this machine's cores, more than executing the request's small indexed reads.
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) { name = `gh${statementNames.size}`; statementNames.set(text, name); }
  return name;
}

async function query(client: PgQueryable, sql: string, params: readonly SqlParam[] = []): Promise<QueryResult> {
  try {
    const text = toPg(sql);
    return await client.query({ name: statementName(text), text, values: params.map(toParam) });
  } catch (e) {
    throw wrapError(e, sql);
  }
}

// The row's shape is the SQL's, named by the caller (see Queryable.get): nothing here can check it.
const first = <T>(r: QueryResult): T | undefined => r.rows[0] as T | undefined;
const rowsOf = <T>(r: QueryResult): T[] => r.rows as T[];
const changesOf = (r: QueryResult): RunResult => ({ changes: r.rowCount ?? 0 });

// serialization_failure, deadlock_detected: the transaction was rolled back and may simply be run again.
const RETRYABLE = new Set(['40001', '40P01']);
// GATEHOUSE_TX_ATTEMPTS=1 turns the retry off: the concurrency tests run so, to show the lock order is right.
export const TX_ATTEMPTS = /^[1-9]$/.test(process.env['GATEHOUSE_TX_ATTEMPTS'] ?? '') ? Number(process.env['GATEHOUSE_TX_ATTEMPTS']) : 3;

// The read cache's check (migration 75): the sum only grows, by one for each committed transaction that wrote.
const CHECK_SQL = 'SELECT sum(n)::text AS g FROM change_generation';

export class PostgresDb implements Db {
  readonly dialect = 'postgres';
  readonly pool: Pool;
  // A statement on this object from inside one of its own transactions would run on another pooled connection,
  // outside the transaction: it throws instead (db.ts TxGuard), as on SQLite.
  readonly #guard = new TxGuard();
  constructor(url: string, connections = 10) {
    this.pool = new pg.Pool({ connectionString: url, max: connections });
    this.pool.on('error', () => {});
  }
  async get<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined> {
    this.#guard.check('get');
    return first<T>(await query(this.pool, sql, params));
  }
  async all<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    this.#guard.check('all');
    return rowsOf<T>(await query(this.pool, sql, params));
  }
  async run(sql: string, params?: readonly SqlParam[]): Promise<RunResult> {
    this.#guard.check('run');
    try { return changesOf(await query(this.pool, sql, params)); } finally { this.#wrote(); }
  }
  async exec(sql: string): Promise<void> {
    this.#guard.check('exec');
    try { await this.pool.query(sql); } finally { this.#wrote(); }
  }

  // The read cache (cachedGet/cachedAll): rows by statement and parameters, filled at generation #gen and valid while
  // the database's change generation is the one last checked (#generation: the sum of change_generation's counters,
  // which every committed write to a table other than the event history's increases, in its own transaction, from a
  // trigger at commit: migration 75) and this node wrote nothing since (#wrote). A check is one round trip shared by
  // all the requests read in one turn of the event loop (beginRequest): under load one check serves many
  // requests, each of which skips its own reads. The WAL position served before it, but the event history's own
  // INSERTs (a batch a second, in chunks) moved it several hundred times a second and emptied the cache each time.
  readonly #cache = new ReadCache();
  #gen = 0;
  #generation: string | null = null; // null: no check has succeeded since the last change, the cache is not used
  #checkedAt = 0;
  #turn: Promise<void> | null = null;

  #wrote(): void { this.#gen++; this.#cache.clear(); this.#generation = null; }

  /** Sends one check now; resolves when it is answered (never rejects: a failed check leaves the cache unused). */
  #check(): Promise<void> {
    const gen = this.#gen;
    return this.pool.query({ name: 'gh_change_generation', text: CHECK_SQL }).then((r) => {
      const generation = (r.rows[0] as { g: string | null } | undefined)?.g ?? null; // the aggregate's one row
      if (gen !== this.#gen) return; // this node wrote meanwhile: the cache was emptied, the next check decides
      if (generation !== this.#generation) { this.#gen++; this.#cache.clear(); }
      this.#generation = generation;
      this.#checkedAt = performance.now();
    }, () => { this.#wrote(); });
  }

  /**
   * Resolves after a check sent once this request had arrived. The requests read in one turn of the event loop wait
   * for its check phase (setImmediate) and share the check sent then. Sent at the first request's arrival instead, it
   * would leave the rest of the turn's requests to a later one; and answering a turn's requests together, their
   * responses written in one go, costs the server about a third less CPU a request than answering them one by one
   * (bench/mixed-load.ts). Each turn sends its own check, whether or not an earlier one is still unanswered: answers
   * that come out of order only empty the cache once more (#gen discards a read under way).
   */
  beginRequest(): Promise<void> {
    this.#turn ??= new Promise((ok) => setImmediate(() => { this.#turn = null; ok(this.#check()); }));
    return this.#turn;
  }

  async #cached<R>(kind: 'get' | 'all', sql: string, params: readonly SqlParam[], read: () => Promise<R>): Promise<R> {
    // Outside a request (background work) a check is made when the last one is over 50 ms old.
    if (this.#generation !== null && performance.now() - this.#checkedAt > CHECK_AT_MOST_EVERY_MS) await this.beginRequest();
    if (this.#generation === null) return read();
    const key = ReadCache.key(kind, sql, params);
    if (this.#cache.has(key)) return this.#cache.get<R>(key);
    const gen = this.#gen;
    const rows = await read();
    // Only if nothing changed while the read was under way (a check or a write since may have seen a newer state).
    if (gen === this.#gen && this.#generation !== null) this.#cache.set(key, rows);
    return rows;
  }
  cachedGet<T extends object = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    this.#guard.check('get');
    return this.#cached('get', sql, params, () => this.get<T>(sql, params));
  }
  cachedAll<T extends object = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    this.#guard.check('all');
    return this.#cached('all', sql, params, () => this.all<T>(sql, params));
  }
  /** Run fn(tx) in one transaction. fn may run more than once (see RETRYABLE): it must not act outside tx. */
  async tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.#guard.check('tx'); // a nested transaction would be another connection's, not a part of this one
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(fn);
      } catch (e) {
        if (!RETRYABLE.has(pgCode(e) ?? '') || attempt >= TX_ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
      }
    }
  }
  async #once<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: Tx = {
      dialect: 'postgres',
      get: async <R extends object = SqlRow>(sql: string, p?: readonly SqlParam[]) => first<R>(await query(client, sql, p)),
      all: async <R extends object = SqlRow>(sql: string, p?: readonly SqlParam[]) => rowsOf<R>(await query(client, sql, p)),
      run: async (sql, p) => changesOf(await query(client, sql, p)),
      // forUpdate: for a row the transaction deletes (conflicts with every other lock, and with a child insert's
      // key-share lock). forNoKeyUpdate: for a parent row the transaction hangs children off or counts them under a
      // quota: excludes other writers and the delete, but not the key-share lock a foreign-key check takes, so
      // inserts elsewhere are not held up.
      ...rowLocks(' FOR UPDATE', ' FOR NO KEY UPDATE'),
    };
    try {
      await client.query('BEGIN');
      const result = await this.#guard.within(() => fn(tx));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
      this.#wrote();
    }
  }
  async close(): Promise<void> { await this.pool.end(); }
}
