// A credential report of many stored parts (at most about 48,000 characters each, about 190 users; 500 users a page;
// parts written and read eight at a time): 12,000 users added straight through the store (bench/seed.ts, as the
// benchmark does), then generated and fetched through the JS SDK and boto3.
// The streamed Content (src/aws/streamed-blob.ts) must be the whole CSV: every user once, in name order, each row
// what the report says of a seeded user, the byte count matching the response's framing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { startGatehouse } from '../helpers/server.js';
import type { GatehouseNode } from '../helpers/server.js';
import { createHash } from 'node:crypto';
import { iam, boto3, NO_BOTO3 } from '../helpers/clients.js';
import { openDatabase } from '../../src/store/index.js';
import { seedUserName, seedUsers } from '../../bench/seed.js';

const USERS = 12_000;
let node: GatehouseNode;
before(async () => {
  node = await startGatehouse();
  const db = await openDatabase({ dataDir: node.dataDir, databaseUrl: node.databaseUrl });
  try { await seedUsers(db, node.accountId, { users: USERS }); } finally { await db.close(); }
});
after(async () => { await node?.stop(); });

async function untilComplete(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await iam(node).send(new I.GenerateCredentialReportCommand({}))).State === 'COMPLETE') return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error('report never completed');
}

function checkCsv(text: string): void {
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  assert.equal(lines[1]!.split(',')[0], '<root_account>');
  const users = lines.slice(2).map((l) => l.split(','));
  const names = users.map((f) => f[0]!).filter((n) => n.startsWith('user-'));
  assert.equal(names.length, USERS);
  assert.deepEqual(names, Array.from({ length: USERS }, (_, i) => seedUserName(i)), 'every seeded user once, in name order');
  for (const f of users) assert.equal(f.length, 22, f.join(','));
  // user-0000003: a login profile (odd: no), a second key (i % 3 === 0), no MFA (i % 4 !== 0).
  const row = users.find((f) => f[0] === seedUserName(3))!;
  assert.equal(row[1], `arn:aws:iam::${node.accountId}:user/${seedUserName(3)}`);
  assert.deepEqual([row[3], row[7], row[8], row[12], row[13]], ['false', 'false', 'true', 'iam', 'false']);
}

test(`a ${USERS.toLocaleString('en')}-user report comes back whole through the JS SDK`, async () => {
  assert.equal((await iam(node).send(new I.GenerateCredentialReportCommand({}))).State, 'STARTED');
  await untilComplete();
  const r = await iam(node).send(new I.GetCredentialReportCommand({}));
  assert.equal(r.ReportFormat, 'text/csv');
  checkCsv(Buffer.from(r.Content!).toString('utf8'));
  // Stored in parts small enough to stay out of V8's large-object space (src/iam/credential-report.ts), and more of
  // them than one statement reads, so the response was put together from several reads.
  const db = await openDatabase({ dataDir: node.dataDir, databaseUrl: node.databaseUrl });
  try {
    const parts = await db.get<{ n: number; longest: number }>('SELECT count(*) AS n, max(length(content)) AS longest FROM credential_report_parts');
    assert.ok(Number(parts?.n) > 16, `parts: ${parts?.n}`);
    assert.ok(Number(parts?.longest) <= 49_000, `longest part: ${parts?.longest} characters`);
  } finally { await db.close(); }
});

test('and through boto3, byte for byte the same', { skip: NO_BOTO3 }, async () => {
  await untilComplete();
  const sdk = Buffer.from((await iam(node).send(new I.GetCredentialReportCommand({}))).Content!);
  const out = await boto3<{ bytes: number; sha256: string }>(node, `
import hashlib
c = iam.get_credential_report()['Content']
out({'bytes': len(c), 'sha256': hashlib.sha256(c).hexdigest()})
`);
  assert.deepEqual(out, { bytes: sdk.length, sha256: createHash('sha256').update(sdk).digest('hex') });
});
