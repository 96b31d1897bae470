// Inside db.tx(fn), the transaction handle is the only way to query, on both drivers: a statement (or a nested
// db.tx) on the database object from within the transaction's own async context fails at once with
// OutsideTransactionError, where before it hung for ever on SQLite (waiting for the transaction's own lock) and ran
// outside the transaction on PostgreSQL (another pooled connection). Statements from other async contexts (other
// requests) still just wait for the transaction (SQLite) or run beside it (PostgreSQL), as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, OutsideTransactionError } from '../../src/store/index.js';
import type { Db } from '../../src/store/index.js';
import { IamStore } from '../../src/store/iam-store.js';
import { ForeignKeyError } from '../../src/store/errors.js';
import { ServiceError } from '../../src/errors.js';
import { AwsError, statusOf, toAwsError } from '../../src/aws/errors.js';
import { pgUnreachable, withStore } from '../helpers/server.js';

const ACCOUNT = '123456789012';
const when = new Date(Date.UTC(2026, 10, 30)).toISOString();

const NO_PG = await pgUnreachable();

async function seed(store: IamStore): Promise<void> {
  await store.insertAccount({ accountId: ACCOUNT, rootEmail: 'root@example.com', rootPasswordHash: 'x', createdAt: when });
  await store.insertUser({ userId: 'AIDAFIRST', accountId: ACCOUNT, name: 'first', path: '/', createdAt: when });
}

/** What p settled to, or 'hung' when it did not settle within ms (a hang is the bug this guards against). */
async function settle<T>(p: Promise<T>, ms = 2000): Promise<{ ok: T } | { error: unknown } | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((r) => { timer = setTimeout(() => r('hung'), ms); });
  try {
    return await Promise.race([p.then((ok) => ({ ok }), (error: unknown) => ({ error })), hung]);
  } finally {
    clearTimeout(timer);
  }
}

function assertOutside(r: Awaited<ReturnType<typeof settle>>, what: string): void {
  assert.notEqual(r, 'hung', `${what} hung`);
  assert.ok(typeof r === 'object' && 'error' in r, `${what} should have failed`);
  assert.ok(r.error instanceof OutsideTransactionError, `${what}: got ${String(r.error)}`);
  assert.match(r.error.message, /query outside its transaction: use the tx handle/);
}

for (const kind of ['sqlite', 'postgres'] as const) {
  const skip = kind === 'postgres' && NO_PG;

  test(`${kind}: inside db.tx, db.get/all/run/exec and a nested db.tx fail at once instead of hanging or escaping the transaction`, { skip }, async () => {
    await withStore(kind, async (db) => {
      const store = new IamStore(db);
      await seed(store);
      const committed = await db.tx(async (tx) => {
        await store.insertUser({ userId: 'AIDAINTX', accountId: ACCOUNT, name: 'intx', path: '/', createdAt: when }, tx);
        assertOutside(await settle(db.get('SELECT user_id FROM users WHERE user_id = ?', ['AIDAINTX'])), 'db.get');
        assertOutside(await settle(db.all('SELECT user_id FROM users')), 'db.all');
        assertOutside(await settle(db.run('UPDATE users SET path = ? WHERE user_id = ?', ['/x/', 'AIDAFIRST'])), 'db.run');
        assertOutside(await settle(db.exec('SELECT 1')), 'db.exec');
        assertOutside(await settle(db.tx(async (inner) => inner.get('SELECT 1 AS x'))), 'nested db.tx');
        // A store method left on its default (the database) is the usual way this happens: it fails the same way.
        assertOutside(await settle(store.getUserById('AIDAINTX')), 'store.getUserById without tx');
        assertOutside(await settle(store.countUsers(ACCOUNT)), 'store.countUsers without tx');
        // Through helpers and after awaits the context is still the transaction's.
        const viaHelper = async (): Promise<unknown> => { await new Promise((r) => setImmediate(r)); return db.get('SELECT 1 AS x'); };
        assertOutside(await settle(viaHelper()), 'db.get from a helper after an await');
        // The handle itself works, and sees the transaction's own write.
        assert.equal((await tx.get<{ user_id: string }>('SELECT user_id FROM users WHERE user_id = ?', ['AIDAINTX']))?.user_id, 'AIDAINTX');
        return 'committed';
      });
      assert.equal(committed, 'committed');
      assert.equal((await store.getUserById('AIDAINTX'))?.name, 'intx', 'the transaction committed; the refused statements changed nothing');
      assert.equal((await store.getUserById('AIDAFIRST'))?.path, '/', 'the refused db.run did not run');
    });
  });

  test(`${kind}: the refusal propagates like any error: the transaction rolls back`, { skip }, async () => {
    await withStore(kind, async (db) => {
      const store = new IamStore(db);
      await seed(store);
      const e = await db.tx(async (tx) => {
        await store.insertUser({ userId: 'AIDAROLLED', accountId: ACCOUNT, name: 'rolled', path: '/', createdAt: when }, tx);
        await store.countUsers(ACCOUNT); // forgot tx
      }).then(() => null, (err: unknown) => err);
      assert.ok(e instanceof OutsideTransactionError, `got ${String(e)}`);
      assert.equal(await store.getUserById('AIDAROLLED'), undefined, 'rolled back');
      // The database is usable afterwards (on SQLite: the lock was released).
      assert.equal(await store.countUsers(ACCOUNT), 1);
    });
  });

  test(`${kind}: statements from other async contexts still wait for (or run beside) an open transaction`, { skip }, async () => {
    await withStore(kind, async (db) => {
      const store = new IamStore(db);
      await seed(store);
      const events: string[] = [];
      let inside!: () => void;
      const opened = new Promise<void>((r) => { inside = r; });
      let finish!: () => void;
      const release = new Promise<void>((r) => { finish = r; });
      const transaction = db.tx(async (tx) => {
        await store.insertUser({ userId: 'AIDALATER', accountId: ACCOUNT, name: 'later', path: '/', createdAt: when }, tx);
        inside();
        await release;
        events.push('commit');
      });
      await opened;
      // This test's own context is not the transaction's: its statements are not refused.
      const outside = store.countUsers(ACCOUNT).then((n) => { events.push(`count ${n}`); return n; });
      if (kind === 'sqlite') {
        // SQLite: the statement waits for the transaction, as before.
        assert.equal(await settle(outside, 200), 'hung', 'waits while the transaction is open');
        finish();
        await transaction;
        assert.equal(await outside, 2);
        assert.deepEqual(events, ['commit', 'count 2']);
      } else {
        // PostgreSQL: it runs on its own connection and does not see the uncommitted row.
        assert.equal(await outside, 1);
        finish();
        await transaction;
        assert.deepEqual(events, ['count 1', 'commit']);
      }
      // Several transactions at once from separate contexts: serial on SQLite, side by side on PostgreSQL.
      const results = await Promise.all([1, 2, 3].map((i) => db.tx(async (tx) => {
        await store.insertUser({ userId: `AIDAMANY${i}`, accountId: ACCOUNT, name: `many${i}`, path: '/', createdAt: when }, tx);
        return store.countUsers(ACCOUNT, tx);
      })));
      assert.equal(results.length, 3);
      assert.equal(await store.countUsers(ACCOUNT), 5);
    });
  });

  test(`${kind}: the guard holds in a transaction that outlives another (the storage is switched off only when the last one closes)`, { skip }, async () => {
    await withStore(kind, async (db) => {
      const store = new IamStore(db);
      await seed(store);
      let firstOpen!: () => void;
      const opened = new Promise<void>((r) => { firstOpen = r; });
      let endFirst!: () => void;
      const firstMayEnd = new Promise<void>((r) => { endFirst = r; });
      let secondOpen!: () => void;
      const secondOpened = new Promise<void>((r) => { secondOpen = r; });
      let checkSecond!: () => void;
      const secondMayCheck = new Promise<void>((r) => { checkSecond = r; });
      const first = db.tx(async () => { firstOpen(); await firstMayEnd; });
      await opened;
      const second = db.tx(async (tx) => {
        secondOpen();
        await secondMayCheck;
        assertOutside(await settle(db.get('SELECT 1 AS x')), 'db.get in the second transaction after the first closed');
        return (await tx.get<{ x: number }>('SELECT 1 AS x'))?.x;
      });
      if (kind === 'postgres') await secondOpened; // side by side; on SQLite the second waits for the first's lock
      endFirst();
      await first;
      checkSecond();
      assert.equal(await second, 1);
      // And once none is open, a new transaction is guarded again.
      await db.tx(async () => { assertOutside(await settle(store.countUsers(ACCOUNT)), 'store.countUsers in a later transaction'); });
      assert.equal(await store.countUsers(ACCOUNT), 1);
    });
  });

  test(`${kind}: work the callback leaves behind may query once the transaction is over`, { skip }, async () => {
    await withStore(kind, async (db) => {
      const store = new IamStore(db);
      await seed(store);
      let later: Promise<number> | undefined;
      await db.tx(async (tx) => {
        await store.lockAccount(ACCOUNT, tx);
        // Started inside the callback, but only queries after the callback has returned: no longer refused.
        later = new Promise<void>((r) => setTimeout(r, 50)).then(() => store.countUsers(ACCOUNT));
      });
      assert.equal(await later, 1);
    });
  });
}

test('sqlite: the guard is per database: inside one database\'s transaction another database answers', async () => {
  await withStore('sqlite', async (a) => {
    await withStore('sqlite', async (b) => {
      await a.tx(async (tx) => {
        assert.deepEqual(await b.get<{ x: number }>('SELECT 1 AS x'), { x: 1 });
        await tx.get('SELECT 1 AS x');
      });
    });
  });
});

test('ForeignKeyError is a domain error (ServiceError, not the wire\'s AwsError); the wire gives it NoSuchEntity\'s and DeleteConflict\'s statuses', () => {
  const write = new ForeignKeyError('INSERT INTO access_keys (access_key_id) VALUES (?)');
  const del = new ForeignKeyError('  DELETE FROM users WHERE user_id = ?');
  for (const e of [write, del]) {
    assert.ok(e instanceof ServiceError);
    assert.ok(!(e instanceof AwsError));
    assert.equal(e.name, 'ForeignKeyError');
  }
  assert.equal(write.code, 'NoSuchEntity');
  assert.equal(del.code, 'DeleteConflict');
  assert.equal(statusOf(write.code), 404);
  assert.equal(toAwsError(del).status, 409);
  assert.doesNotMatch(write.message, /access_keys|constraint/i);
});
