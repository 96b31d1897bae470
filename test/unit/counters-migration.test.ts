// Migration 60 on a store that already holds data (src/store/counters.ts): its backfill must give every counter
// and every policy's usage the real count, on both stores, and a report stored before it must be served from its
// one part afterwards; from then on the triggers keep them (test/e2e/account-counters.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, migrations } from '../../src/store/migrations.js';
import { SqliteDb } from '../../src/store/sqlite.js';
import { PostgresDb } from '../../src/store/postgres.js';
import { IamStore } from '../../src/store/iam-store.js';
import { ReportStore } from '../../src/store/report-store.js';
import { createPgDatabase, pgUnreachable } from '../helpers/server.js';
import type { Db } from '../../src/store/db.js';

const NO_PG = await pgUnreachable();
const A = '123456789012';
const B = '210987654321';
const when = new Date(Date.UTC(2026, 10, 30)).toISOString();

async function withOldStore(kind: 'sqlite' | 'postgres', fn: (db: Db) => Promise<void>): Promise<void> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-mig-'));
    const db = new SqliteDb(join(dir, 'g.db'));
    try { await fn(db); } finally { await db.close(); rmSync(dir, { recursive: true, force: true }); }
    return;
  }
  const database = await createPgDatabase();
  const db = new PostgresDb(database.url);
  try { await fn(db); } finally { await db.close(); await database.drop(); }
}

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`${kind}: migration 60's backfill counts what is already stored`, { skip: kind === 'postgres' && NO_PG }, async () => {
    await withOldStore(kind, async (db) => {
      await migrate(db, migrations.filter((m) => m.id < 60));
      const store = new IamStore(db);
      for (const acct of [A, B]) await store.insertAccount({ accountId: acct, rootEmail: 'r', rootPasswordHash: 'x', createdAt: when });
      for (let i = 0; i < 7; i++) await store.insertUser({ userId: `U${i}`, accountId: A, name: `u${i}`, path: '/', permissionsBoundary: i < 2 ? 'arn:b' : null, createdAt: when });
      await store.insertUser({ userId: 'UB', accountId: B, name: 'other', path: '/', createdAt: when });
      await store.insertGroup({ groupId: 'G1', accountId: A, name: 'g', path: '/', createdAt: when });
      for (const [i, u] of ['U0', 'U1', 'U2'].entries()) await store.attachPolicy(A, 'user', u, i < 2 ? 'arn:p' : 'arn:q', when);
      await store.insertAccessKey({ accessKeyId: 'AKIAROOT', accountId: A, userId: null, secretEnc: 'v1:x', status: 'Active', createdAt: when });
      await db.run(`INSERT INTO mfa_devices (serial_number, account_id, kind, secret_enc, params, created_at, owner_type, owner_id)
        VALUES ('s1', ?, 'virtual', 'x', '{}', ?, NULL, NULL), ('s2', ?, 'hardware', 'x', '{}', ?, NULL, NULL), ('s3', ?, 'hardware', 'x', '{}', ?, 'root', ?)`, [A, when, A, when, A, when, A]);
      await db.run(`INSERT INTO credential_reports (account_id, state, generation_id, started_at, generated_at, content) VALUES (?, 'COMPLETE', 'g1', ?, ?, 'header\nrow\n')`, [A, when, when]);

      await migrate(db);
      const s = await store.summaryCounts(A);
      assert.deepEqual(s, { users: 7, groups: 1, mfaDevices: 2, mfaDevicesInUse: 1, rootMfaDevices: 1, rootAccessKeys: 1, policies: 0, roles: 0, policyVersionsInUse: 3 });
      assert.equal((await store.summaryCounts(B)).users, 1);
      const usage = await db.all<{ policy_arn: string; attachments: number; boundaries: number }>('SELECT policy_arn, attachments, boundaries FROM policy_usage WHERE account_id = ? ORDER BY policy_arn', [A]);
      assert.deepEqual(usage.map((r) => [r.policy_arn, Number(r.attachments), Number(r.boundaries)]), [['arn:b', 0, 2], ['arn:p', 2, 0], ['arn:q', 1, 0]]);
      // The report stored before the migration is its part 0.
      const rs = new ReportStore(db);
      const content = await rs.getReportContent(A);
      assert.deepEqual(content, { state: 'COMPLETE', generatedAt: when, contentGenerationId: 'g1', contentBytes: 11, contentParts: 1 });
      assert.deepEqual(await rs.parts(A, 'g1', 0, 1), ['header\nrow\n']);
      // From here the triggers count.
      await store.deleteUser('U6');
      assert.equal((await store.summaryCounts(A)).users, 6);
    });
  });
}
