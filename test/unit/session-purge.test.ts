// Expired STS session rows are dropped a day after expiry; live and recently expired ones stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/index.js';
import { IamStore } from '../../src/store/iam-store.js';
import { SessionStore } from '../../src/store/session-store.js';

test('purgeExpired removes only sessions that expired more than a day ago', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-purge-'));
  const db = await openDatabase({ dataDir: dir, databaseUrl: undefined });
  try {
    const now = Date.UTC(2026, 10, 24, 12);
    await new IamStore(db).insertAccount({ accountId: '123456789012', rootEmail: 'r@example.com', rootPasswordHash: 'x', createdAt: new Date(now).toISOString() });
    const sessions = new SessionStore(db);
    const row = (id: string, expiresAt: number) => ({ accessKeyId: id, accountId: '123456789012', source: 'GetSessionToken', principalType: 'root', principalId: '123456789012', secretEnc: 'v1:x', tokenHash: 'h', issuedAt: new Date(now).toISOString(), expiresAtMs: expiresAt });
    await sessions.insert(row('ASIALIVE000000000000', now + 3600_000));
    await sessions.insert(row('ASIAJUSTEXPIRED00000', now - 3600_000));
    await sessions.insert(row('ASIALONGEXPIRED00000', now - 2 * 24 * 3600_000));
    const { changes } = await sessions.purgeExpired(now);
    assert.equal(changes, 1);
    const left = (await db.all('SELECT access_key_id FROM sts_sessions ORDER BY access_key_id')).map((r: Record<string, unknown>) => r['access_key_id']);
    assert.deepEqual(left, ['ASIAJUSTEXPIRED00000', 'ASIALIVE000000000000']);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
