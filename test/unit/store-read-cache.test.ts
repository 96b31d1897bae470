// The stores' read cache (db.cachedGet/cachedAll: the credential, the authoriser's user row, ListMFADevices) and the
// runner's written-in LIMIT. A cached row must never outlive a change: this connection's own writes (plain and in
// a transaction) make the next read go to the database; another connection's commit on the same file (another
// --workers process, the CLI) is seen by the first read after a request arrives, and otherwise within 50 ms. And a LIMIT written into the SQL returns exactly what `LIMIT ?` did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDb } from '../../src/store/sqlite.js';
import { READ_CACHE_LIMIT } from '../../src/store/db.js';
import { PostgresDb } from '../../src/store/postgres.js';
import { createPgDatabase, pgUnreachable } from '../helpers/server.js';

interface Row { id: number; v: string }

async function withFile(fn: (file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cache-'));
  try { await fn(join(dir, 'db.sqlite')); } finally { rmSync(dir, { recursive: true, force: true }); }
}

test('sqlite read cache: a cached row is re-read after this connection writes, plainly or in a transaction', async () => {
  await withFile(async (file) => {
    const db = new SqliteDb(file);
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    await db.run('INSERT INTO t (id, v) VALUES (1, ?)', ['a']);
    const read = async (): Promise<string | undefined> => (await db.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v;
    assert.equal(await read(), 'a');
    await db.run('UPDATE t SET v = ? WHERE id = 1', ['b']);
    assert.equal(await read(), 'b', 'after a plain write');
    await db.tx(async (tx) => { await tx.run('UPDATE t SET v = ? WHERE id = 1', ['c']); });
    assert.equal(await read(), 'c', 'after a committed transaction');
    await db.tx(async (tx) => { await tx.run('UPDATE t SET v = ? WHERE id = 1', ['d']); throw new Error('roll back'); }).catch(() => {});
    assert.equal(await read(), 'c', 'a rolled-back transaction changed nothing');
    await db.run('DELETE FROM t WHERE id = 1');
    assert.equal(await read(), undefined, 'after a delete');
    await db.close();
  });
});

test('sqlite read cache: another connection\'s commit (another process) is seen by the next request to arrive', async () => {
  await withFile(async (file) => {
    const a = new SqliteDb(file);
    const b = new SqliteDb(file);
    await a.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    await a.run('INSERT INTO t (id, v) VALUES (1, ?), (2, ?)', ['a', 'x']);
    const list = async (): Promise<string[]> => (await a.cachedAll<Row>('SELECT * FROM t ORDER BY id')).map((r) => r.v);
    const one = async (): Promise<string | undefined> => (await a.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v;
    await a.beginRequest();
    assert.deepEqual(await list(), ['a', 'x']);
    assert.equal(await one(), 'a');
    await b.run('UPDATE t SET v = ? WHERE id = 1', ['b']);
    await a.beginRequest(); // as the server does when a request arrives
    assert.equal(await one(), 'b', 'get after the other connection\'s update');
    assert.deepEqual(await list(), ['b', 'x'], 'all after it');
    await b.tx(async (tx) => { await tx.run('INSERT INTO t (id, v) VALUES (3, ?)', ['y']); });
    await a.beginRequest();
    assert.deepEqual(await list(), ['b', 'x', 'y'], 'after its transaction');
    // Unchanged database: the same rows again (the cache answers; the answer is the database's).
    await a.beginRequest();
    assert.deepEqual(await list(), ['b', 'x', 'y']);
    await a.close();
    await b.close();
  });
});

test('sqlite read cache: with no request arriving, another connection\'s commit is seen within 50 ms', async () => {
  await withFile(async (file) => {
    const a = new SqliteDb(file);
    const b = new SqliteDb(file);
    await a.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    await a.run('INSERT INTO t (id, v) VALUES (1, ?)', ['a']);
    const one = async (): Promise<string | undefined> => (await a.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v;
    assert.equal(await one(), 'a');
    await b.run('UPDATE t SET v = ? WHERE id = 1', ['b']);
    await new Promise((ok) => setTimeout(ok, 60));
    assert.equal(await one(), 'b', 'read 60 ms after the last check');
    await a.close();
    await b.close();
  });
});

test('sqlite read cache: bounded — past its limit it starts again, and every answer stays right', async () => {
  await withFile(async (file) => {
    const db = new SqliteDb(file);
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    await db.run('INSERT INTO t (id, v) VALUES (1, ?)', ['a']);
    for (let i = 0; i < READ_CACHE_LIMIT + 50; i++) {
      const r = await db.cachedGet<{ n: number }>('SELECT ? + 1 AS n', [i]);
      assert.equal(r?.n, i + 1);
    }
    assert.equal((await db.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v, 'a');
    await db.close();
  });
});

test('sqlite: a trailing LIMIT ? gives the same rows as before, for every limit and with more limits than statements kept', async () => {
  await withFile(async (file) => {
    const db = new SqliteDb(file);
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    await db.tx(async (tx) => { for (let i = 1; i <= 50; i++) await tx.run('INSERT INTO t (id, v) VALUES (?, ?)', [i, `v${i}`]); });
    for (const limit of [0, 1, 7, 50, 51, 1000]) {
      const rows = await db.all<Row>('SELECT * FROM t WHERE id > ? ORDER BY id LIMIT ?', [10, limit]);
      assert.deepEqual(rows.map((r) => r.id), Array.from({ length: Math.min(limit, 40) }, (_, i) => i + 11), `LIMIT ${limit}`);
    }
    // More distinct limits than the runner keeps statements for: each answer is still right.
    for (let limit = 1; limit <= 1100; limit += 1) {
      const r = await db.all<Row>('SELECT * FROM t ORDER BY id LIMIT ?', [limit]);
      assert.equal(r.length, Math.min(limit, 50));
    }
    // A LIMIT that is not a whole number is bound as before (SQLite's own answer, not a rewrite).
    assert.equal((await db.all<Row>('SELECT * FROM t ORDER BY id LIMIT ?', ['3'])).length, 3);
    await db.close();
  });
});

// PostgreSQL: two PostgresDb objects on one database are two nodes.
const NO_PG = await pgUnreachable();

async function withPg(fn: (a: PostgresDb, b: PostgresDb) => Promise<void>): Promise<void> {
  const database = await createPgDatabase();
  const a = new PostgresDb(database.url);
  const b = new PostgresDb(database.url);
  try {
    await a.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    await a.run('INSERT INTO t (id, v) VALUES (1, ?)', ['a']);
    await fn(a, b);
  } finally {
    await a.close();
    await b.close();
    await database.drop();
  }
}

test('postgres read cache: a row cached by one node is re-read after the other node commits, by the next request to arrive', { skip: NO_PG }, async () => {
  await withPg(async (a, b) => {
    const one = async (): Promise<string | undefined> => (await a.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v;
    await a.beginRequest();
    assert.equal(await one(), 'a');
    await b.run('UPDATE t SET v = ? WHERE id = 1', ['b']);
    await a.beginRequest(); // a request arriving after the commit
    assert.equal(await one(), 'b', 'after the other node\'s update');
    await b.tx(async (tx) => { await tx.run('UPDATE t SET v = ? WHERE id = 1', ['c']); });
    await a.beginRequest();
    assert.equal(await one(), 'c', 'after its transaction');
    // Requests arriving together share one check, and every one of them sees the commit before them.
    await b.run('UPDATE t SET v = ? WHERE id = 1', ['d']);
    const seen = await Promise.all(Array.from({ length: 8 }, async () => { await a.beginRequest(); return one(); }));
    assert.deepEqual(seen, Array(8).fill('d'));
  });
});

test('postgres read cache: this node\'s own writes are seen at once; with no request arriving, another node\'s within 50 ms', { skip: NO_PG }, async () => {
  await withPg(async (a, b) => {
    const one = async (): Promise<string | undefined> => (await a.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v;
    await a.beginRequest();
    assert.equal(await one(), 'a');
    await a.run('UPDATE t SET v = ? WHERE id = 1', ['own']);
    assert.equal(await one(), 'own', 'its own write, no request in between');
    await a.beginRequest();
    assert.equal(await one(), 'own');
    await b.run('UPDATE t SET v = ? WHERE id = 1', ['other']);
    await new Promise((ok) => setTimeout(ok, 60));
    assert.equal(await one(), 'other', 'read 60 ms after the last check');
  });
});

test('postgres read cache: a repeated read after one check is answered from memory, without a statement', { skip: NO_PG }, async () => {
  await withPg(async (a) => {
    let queries = 0;
    const pool = a.pool as unknown as { query: (...args: unknown[]) => unknown }; // counting the driver's calls
    const original = pool.query.bind(a.pool);
    pool.query = (...args: unknown[]) => { queries++; return original(...args); };
    await a.beginRequest();
    const before = queries;
    assert.equal((await a.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v, 'a');
    assert.equal(queries, before + 1, 'the first read goes to the database');
    assert.equal((await a.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v, 'a');
    assert.equal(queries, before + 1, 'the second is answered from memory');
  });
});

test('sqlite read cache: a repeated read after one check is answered from memory, without a statement', async () => {
  await withFile(async (file) => {
    const db = new SqliteDb(file);
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    await db.run('INSERT INTO t (id, v) VALUES (1, ?)', ['a']);
    let reads = 0;
    const runner = db.runner as unknown as { getSync: (...args: unknown[]) => unknown }; // counting the runner's reads
    const original = runner.getSync.bind(db.runner);
    runner.getSync = (...args: unknown[]) => { reads++; return original(...args); };
    await db.beginRequest();
    assert.equal((await db.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v, 'a');
    assert.equal((await db.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v, 'a');
    assert.equal(reads, 1, 'one statement for two reads');
    await db.close();
  });
});
