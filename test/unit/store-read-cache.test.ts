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
import { GENERATION_EXEMPT, generationTriggerSql, migrate } from '../../src/store/migrations.js';
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

// PostgreSQL: two PostgresDb objects on one migrated database are two nodes; t has the change generation's trigger
// as every table a migration creates must.
const NO_PG = await pgUnreachable();

async function withPg(fn: (a: PostgresDb, b: PostgresDb) => Promise<void>): Promise<void> {
  const database = await createPgDatabase();
  const a = new PostgresDb(database.url);
  const b = new PostgresDb(database.url);
  try {
    await migrate(a);
    await a.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    await a.exec(generationTriggerSql('t'));
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

/** Counts the statements a node sends through its pool (cachedGet/cachedAll and the checks go that way). */
function countQueries(db: PostgresDb): () => number {
  let queries = 0;
  const pool = db.pool as unknown as { query: (...args: unknown[]) => unknown }; // counting the driver's calls
  const original = pool.query.bind(db.pool);
  pool.query = (...args: unknown[]) => { queries++; return original(...args); };
  return () => queries;
}

test('postgres read cache: a repeated read after one check is answered from memory, without a statement', { skip: NO_PG }, async () => {
  await withPg(async (a) => {
    const queries = countQueries(a);
    await a.beginRequest();
    const before = queries();
    assert.equal((await a.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v, 'a');
    assert.equal(queries(), before + 1, 'the first read goes to the database');
    assert.equal((await a.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v, 'a');
    assert.equal(queries(), before + 1, 'the second is answered from memory');
  });
});

test('postgres read cache: the event history\'s writes leave it valid; a write to any other table empties it', { skip: NO_PG }, async () => {
  await withPg(async (a, b) => {
    const queries = countQueries(a);
    const one = async (): Promise<string | undefined> => (await a.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v;
    await a.beginRequest();
    assert.equal(await one(), 'a');
    // Another node records events (the writer thread's INSERTs): the next request's check finds nothing changed.
    await b.run("INSERT INTO events (event_id, event_time, account_id, event_name, event_source, read_only, record) VALUES ('e1', 1, '123456789012', 'ListUsers', 'iam.amazonaws.com', 'true', '{}')");
    await b.run("INSERT INTO event_resources (event_id, resource_type, resource_name) VALUES ('e1', 'AWS::IAM::User', 'alice')");
    await a.beginRequest();
    const before = queries();
    assert.equal(await one(), 'a');
    assert.equal(queries(), before, 'answered from memory after the event history\'s writes');
    // A write to a table the cached read does not even look at still empties it (every table but the event history's).
    await b.run("INSERT INTO installation (id, account_id, created_at) VALUES (99, '123456789012', 'x')");
    await a.beginRequest();
    const again = queries();
    assert.equal(await one(), 'a');
    assert.equal(queries(), again + 1, 'read from the database after another table\'s write');
  });
});

test('postgres read cache: a transaction still open on another node is not seen, and its commit is seen by the next request', { skip: NO_PG }, async () => {
  await withPg(async (a, b) => {
    const one = async (): Promise<string | undefined> => (await a.cachedGet<Row>('SELECT * FROM t WHERE id = ?', [1]))?.v;
    await a.beginRequest();
    assert.equal(await one(), 'a');
    let commit!: () => void;
    const open = new Promise<void>((ok) => { commit = ok; });
    let written!: () => void;
    const wrote = new Promise<void>((ok) => { written = ok; });
    const tx = b.tx(async (t) => { await t.run('UPDATE t SET v = ? WHERE id = 1', ['b']); written(); await open; });
    await wrote;
    await a.beginRequest();
    assert.equal(await one(), 'a', 'the uncommitted update is not read (and not cached as if it were)');
    commit();
    await tx;
    await a.beginRequest();
    assert.equal(await one(), 'b', 'the first request after the commit reads it');
  });
});

test('postgres change generation: every table but the event history\'s has the trigger after the migrations', { skip: NO_PG }, async () => {
  const database = await createPgDatabase();
  const db = new PostgresDb(database.url);
  try {
    await migrate(db);
    const rows = await db.all<{ table: string; triggered: boolean }>(
      `SELECT c.relname AS "table", EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'change_generation') AS triggered
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`);
    assert.ok(rows.length > 30, `the migrated tables (${rows.length})`);
    const missing = rows.filter((r) => !r.triggered && !GENERATION_EXEMPT.includes(r.table)).map((r) => r.table);
    assert.deepEqual(missing, [], 'a table without the change generation trigger (give it generationTriggerSql in its migration)');
    const exempt = rows.filter((r) => r.triggered && GENERATION_EXEMPT.includes(r.table)).map((r) => r.table);
    assert.deepEqual(exempt, [], 'the event history\'s tables do not move the generation');
  } finally {
    await db.close();
    await database.drop();
  }
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
