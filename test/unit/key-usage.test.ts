// Access-key last-used records (src/iam/key-usage.ts): kept in memory on the request path, written in batches. Two
// logs on one database stand for two nodes; the e2e tests (credentials, credential-report, *multinode*) read the
// same columns through GetAccessKeyLastUsed and the credential report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IamStore } from '../../src/store/iam-store.js';
import type { KeyUse } from '../../src/store/iam-store.js';
import { createKeyUsageLog } from '../../src/iam/key-usage.js';
import { pgUnreachable, withStore } from '../helpers/server.js';

const ACCOUNT = '123456789012';
const created = new Date(Date.UTC(2026, 10, 30)).toISOString();
const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const HOUR = 3600_000; // the timer never fires during a test
const quiet = { warn: () => {} };

const NO_PG = await pgUnreachable();

async function seed(store: IamStore, keys: readonly string[]): Promise<void> {
  await store.insertAccount({ accountId: ACCOUNT, rootEmail: 'root@example.com', rootPasswordHash: 'x', createdAt: created });
  await store.insertUser({ userId: 'AIDAKEYUSER', accountId: ACCOUNT, name: 'keyuser', path: '/', createdAt: created });
  for (const k of keys) await store.insertAccessKey({ accessKeyId: k, accountId: ACCOUNT, userId: 'AIDAKEYUSER', secretEnc: 'x', status: 'Active', createdAt: created });
}

const lastUsed = async (store: IamStore, id: string) => {
  const k = await store.getAccessKey(id);
  return k && { date: k.lastUsedDate, service: k.lastUsedService, region: k.lastUsedRegion };
};

for (const kind of ['sqlite', 'postgres'] as const) {
  const skip = kind === 'postgres' && NO_PG;

  test(`${kind}: uses are written on flush, the latest per key, in one batch; nothing before`, { skip }, async () => {
    await withStore(kind, async (db) => {
      const store = new IamStore(db);
      await seed(store, ['AKIAKEYONE0000000001', 'AKIAKEYTWO0000000002']);
      const batches: number[] = [];
      const log = createKeyUsageLog({ markAccessKeysUsed: async (uses: readonly KeyUse[]) => { batches.push(uses.length); await store.markAccessKeysUsed(uses); } }, quiet, HOUR);
      log.record('AKIAKEYONE0000000001', T0, 'iam', 'us-east-1');
      log.record('AKIAKEYONE0000000001', T0 + 2000, 'sts', 'eu-west-1');
      log.record('AKIAKEYONE0000000001', T0 + 1000, 'iam', 'us-west-2'); // arrives late: older than what is recorded
      log.record('AKIAKEYTWO0000000002', T0 + 500, 'iam', 'us-east-1');
      assert.deepEqual(await lastUsed(store, 'AKIAKEYONE0000000001'), { date: null, service: null, region: null }, 'nothing written on record');
      await log.flush();
      assert.deepEqual(batches, [2], 'one batch, one row per key');
      assert.deepEqual(await lastUsed(store, 'AKIAKEYONE0000000001'), { date: new Date(T0 + 2000).toISOString(), service: 'sts', region: 'eu-west-1' });
      assert.deepEqual(await lastUsed(store, 'AKIAKEYTWO0000000002'), { date: new Date(T0 + 500).toISOString(), service: 'iam', region: 'us-east-1' });
      await log.flush();
      assert.deepEqual(batches, [2], 'nothing left to write');
      await log.close();
    });
  });

  test(`${kind}: two nodes flushing in either order leave each key with its latest use`, { skip }, async () => {
    await withStore(kind, async (db) => {
      const store = new IamStore(db);
      await seed(store, ['AKIAKEYONE0000000001']);
      const a = createKeyUsageLog(store, quiet, HOUR);
      const b = createKeyUsageLog(store, quiet, HOUR);
      a.record('AKIAKEYONE0000000001', T0 + 5000, 'sts', 'eu-west-1');
      b.record('AKIAKEYONE0000000001', T0 + 1000, 'iam', 'us-east-1');
      await a.flush();
      await b.flush(); // older: does not move the date back
      assert.deepEqual(await lastUsed(store, 'AKIAKEYONE0000000001'), { date: new Date(T0 + 5000).toISOString(), service: 'sts', region: 'eu-west-1' });
      b.record('AKIAKEYONE0000000001', T0 + 9000, 'iam', 'us-east-1');
      await b.close(); // closing writes what is left
      assert.deepEqual(await lastUsed(store, 'AKIAKEYONE0000000001'), { date: new Date(T0 + 9000).toISOString(), service: 'iam', region: 'us-east-1' });
      await a.close();
    });
  });

  test(`${kind}: a failed write is kept for the next flush (a newer use recorded meanwhile wins); flush waits for a write under way`, { skip }, async () => {
    await withStore(kind, async (db) => {
      const store = new IamStore(db);
      await seed(store, ['AKIAKEYONE0000000001', 'AKIAKEYTWO0000000002']);
      let fail = true;
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      const warnings: object[] = [];
      const log = createKeyUsageLog({
        markAccessKeysUsed: async (uses: readonly KeyUse[]) => {
          await gate;
          if (fail) throw new Error('database unavailable');
          await store.markAccessKeysUsed(uses);
        },
      }, { warn: (o: object) => { warnings.push(o); } }, HOUR);
      log.record('AKIAKEYONE0000000001', T0, 'iam', 'us-east-1');
      log.record('AKIAKEYTWO0000000002', T0, 'iam', 'us-east-1');
      const first = log.flush();
      log.record('AKIAKEYTWO0000000002', T0 + 100, 'sts', 'us-east-1'); // recorded while the first write is under way
      let secondDone = false;
      const second = log.flush().then(() => { secondDone = true; });
      await new Promise((r) => setImmediate(r));
      assert.equal(secondDone, false, 'the second flush waits for the first');
      release();
      await first;
      assert.equal(warnings.length, 1, 'the failure is logged');
      fail = false;
      await second;
      assert.deepEqual(await lastUsed(store, 'AKIAKEYONE0000000001'), { date: new Date(T0).toISOString(), service: 'iam', region: 'us-east-1' }, 'kept and written by the next flush');
      assert.deepEqual(await lastUsed(store, 'AKIAKEYTWO0000000002'), { date: new Date(T0 + 100).toISOString(), service: 'sts', region: 'us-east-1' }, 'the newer use, not the failed older one');
      await log.close();
    });
  });
}
