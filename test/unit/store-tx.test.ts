// The store layer's last lines of defence, on both drivers: a foreign-key violation becomes an AWS answer
// (NoSuchEntity for a write naming a row that is gone, DeleteConflict for a delete that would orphan rows) instead
// of a 500, without the database's message (which names ids); and on PostgreSQL a transaction that loses a
// deadlock is run again instead of failing. The handlers lock parents first so neither should happen through the
// API (test/e2e/concurrency.test.js races them); these tests provoke them directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IamStore } from '../../src/store/iam-store.js';
import { ForeignKeyError } from '../../src/store/errors.js';
import { TX_ATTEMPTS } from '../../src/store/postgres.js';
import { toAwsError } from '../../src/aws/errors.js';
import { pgUnreachable, withStore } from '../helpers/server.js';

import type { Db, Tx } from '../../src/store/db.js';


const ACCOUNT = '123456789012';
const when = new Date(Date.UTC(2026, 10, 30)).toISOString();

const NO_PG = await pgUnreachable();

async function seed(store: IamStore): Promise<void> {
  await store.insertAccount({ accountId: ACCOUNT, rootEmail: 'root@example.com', rootPasswordHash: 'x', createdAt: when });
  await store.insertUser({ userId: 'AIDAKEEPS', accountId: ACCOUNT, name: 'keeps', path: '/', createdAt: when });
}
const key = (id: string, userId: string) => ({ accessKeyId: id, accountId: ACCOUNT, userId: userId, secretEnc: 'v1:x', status: 'Active', createdAt: when });

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`${kind}: a write naming a missing row answers NoSuchEntity (404), a delete leaving orphans DeleteConflict (409)`, { skip: kind === 'postgres' && NO_PG }, async () => {
    await withStore(kind, async (db) => {
      const store = new IamStore(db);
      await seed(store);
      const e1: unknown = await store.insertAccessKey(key('AKIAORPHAN0000000000', 'AIDAGONE')).then(() => null, (e: unknown) => e);
      assert.ok(e1 instanceof ForeignKeyError, `got ${e1}`);
      assert.equal(e1.code, 'NoSuchEntity');
      assert.equal(toAwsError(e1).status, 404); // the status it answers with
      assert.doesNotMatch(e1.message, /AIDAGONE|user_id|constraint/i, 'no database wording or ids in the answer');
      // Inside a transaction too: the error surfaces and the transaction rolls back.
      const e2: unknown = await db.tx(async (tx: Tx) => {
        await store.insertAccessKey(key('AKIAINTX000000000000', 'AIDAKEEPS'), tx);
        await store.insertAccessKey(key('AKIAORPHAN1111111111', 'AIDAGONE'), tx);
      }).then(() => null, (e: unknown) => e);
      assert.equal(e2 instanceof Error && 'code' in e2 ? e2.code : undefined, 'NoSuchEntity');
      assert.equal(await store.getAccessKey('AKIAINTX000000000000'), undefined, 'rolled back');

      await store.insertAccessKey(key('AKIAKEPT000000000000', 'AIDAKEEPS'));
      const e3: unknown = await store.deleteUser('AIDAKEEPS').then(() => null, (e: unknown) => e);
      assert.ok(e3 instanceof ForeignKeyError, `got ${e3}`);
      assert.equal(e3.code, 'DeleteConflict');
      assert.equal(toAwsError(e3).status, 409); // the status it answers with
      assert.ok(await store.getUserById('AIDAKEEPS'), 'the user is still there');
    });
  });
}

test('postgres: a transaction that loses a deadlock is run again and commits; other errors are not retried', { skip: NO_PG }, async () => {
  assert.ok(TX_ATTEMPTS >= 2, 'retry enabled (GATEHOUSE_TX_ATTEMPTS unset)');
  await withStore('postgres', async (db) => {
    const store = new IamStore(db);
    await seed(store);
    await store.insertUser({ userId: 'AIDAOTHER', accountId: ACCOUNT, name: 'other', path: '/', createdAt: when });
    // Two transactions lock the same two rows in opposite orders, each waiting until the other holds its first.
    let arrived = 0;
    let release = (): void => {};
    const bothHoldOne = new Promise<void>((r) => { release = r; });
    let calls = 0;
    const crossed = (first: string, second: string) => db.tx(async (tx: Tx) => {
      calls++;
      await tx.get(`SELECT user_id FROM users WHERE user_id = ?${tx.forUpdate}`, [first]);
      if (++arrived === 2) release();
      await bothHoldOne;
      await tx.get(`SELECT user_id FROM users WHERE user_id = ?${tx.forUpdate}`, [second]);
      await tx.run('UPDATE users SET path = ? WHERE user_id = ?', [`/${first}/`, second]);
    });
    await Promise.all([crossed('AIDAKEEPS', 'AIDAOTHER'), crossed('AIDAOTHER', 'AIDAKEEPS')]);
    assert.equal(calls, 3, 'PostgreSQL aborted one of the two (deadlock detected) and it ran again');
    assert.equal((await store.getUserById('AIDAOTHER'))?.path, '/AIDAKEEPS/');
    assert.equal((await store.getUserById('AIDAKEEPS'))?.path, '/AIDAOTHER/');

    let plain = 0;
    const e: unknown = await db.tx(async () => { plain++; throw new Error('not a database conflict'); }).then(() => null, (x: unknown) => x);
    assert.equal(e instanceof Error ? e.message : undefined, 'not a database conflict');
    assert.equal(plain, 1);
  });
});
