// PostgreSQL driver for the query layer: the same `?` placeholders as SQLite (rewritten to $n), BIGINT read
// as numbers, transactions on one pooled client, and row locks (forUpdate, forNoKeyUpdate) so checks-then-writes
// hold across nodes. Transactions take their row locks in one global order (docs/concurrency.md), so a deadlock
// should not happen; one that does anyway (or a serialization failure) is retried a few times before it surfaces.
import pg from 'pg';
import { ConflictError, ForeignKeyError } from './errors.js';

pg.types.setTypeParser(20, (v) => (v === null ? null : Number(v)));

const placeholderCache = new Map();
function toPg(sql) {
  let out = placeholderCache.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    placeholderCache.set(sql, out);
  }
  return out;
}

function wrapError(e, sql) {
  if (e?.code === '23505') return new ConflictError(e.message);
  if (e?.code === '23503') return new ForeignKeyError(sql);
  return e;
}

const toParam = (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v);

async function query(client, sql, params = []) {
  try {
    return await client.query({ text: toPg(sql), values: params.map(toParam) });
  } catch (e) {
    throw wrapError(e, sql);
  }
}

// serialization_failure, deadlock_detected: the transaction was rolled back and may simply be run again.
const RETRYABLE = new Set(['40001', '40P01']);
// GATEHOUSE_TX_ATTEMPTS=1 turns the retry off: the concurrency tests run so, to show the lock order is right.
export const TX_ATTEMPTS = /^[1-9]$/.test(process.env.GATEHOUSE_TX_ATTEMPTS ?? '') ? Number(process.env.GATEHOUSE_TX_ATTEMPTS) : 3;

export class PostgresDb {
  dialect = 'postgres';
  constructor(url) {
    this.pool = new pg.Pool({ connectionString: url, max: 10 });
    this.pool.on('error', () => {});
  }
  async get(sql, params) { return (await query(this.pool, sql, params)).rows[0]; }
  async all(sql, params) { return (await query(this.pool, sql, params)).rows; }
  async run(sql, params) { return { changes: (await query(this.pool, sql, params)).rowCount }; }
  async exec(sql) { await this.pool.query(sql); }
  /** Run fn(tx) in one transaction. fn may run more than once (see RETRYABLE): it must not act outside tx. */
  async tx(fn) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(fn);
      } catch (e) {
        if (!RETRYABLE.has(e?.code) || attempt >= TX_ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
      }
    }
  }
  async #once(fn) {
    const client = await this.pool.connect();
    const tx = {
      dialect: 'postgres',
      get: async (sql, p) => (await query(client, sql, p)).rows[0],
      all: async (sql, p) => (await query(client, sql, p)).rows,
      run: async (sql, p) => ({ changes: (await query(client, sql, p)).rowCount }),
      // For a row the transaction deletes (conflicts with every other lock, and with a child insert's key-share lock).
      forUpdate: ' FOR UPDATE',
      // For a parent row the transaction hangs children off or counts them under a quota: excludes other writers
      // and the delete, but not the key-share lock a foreign-key check takes, so inserts elsewhere are not held up.
      forNoKeyUpdate: ' FOR NO KEY UPDATE',
    };
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }
  async close() { await this.pool.end(); }
}
