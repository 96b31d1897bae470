// PostgreSQL driver for the query layer: the same `?` placeholders as SQLite (rewritten to $n), BIGINT read
// as numbers, transactions on one pooled client, and `forUpdate` row locks so checks-then-writes hold across nodes.
import pg from 'pg';
import { ConflictError } from './errors.js';

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

function wrapError(e) {
  if (e?.code === '23505') return new ConflictError(e.message);
  return e;
}

const toParam = (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v);

async function query(client, sql, params = []) {
  try {
    return await client.query({ text: toPg(sql), values: params.map(toParam) });
  } catch (e) {
    throw wrapError(e);
  }
}

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
  async tx(fn) {
    const client = await this.pool.connect();
    const tx = {
      dialect: 'postgres',
      get: async (sql, p) => (await query(client, sql, p)).rows[0],
      all: async (sql, p) => (await query(client, sql, p)).rows,
      run: async (sql, p) => ({ changes: (await query(client, sql, p)).rowCount }),
      forUpdate: ' FOR UPDATE',
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
