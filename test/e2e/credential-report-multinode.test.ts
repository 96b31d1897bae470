// Two Gatehouse processes sharing one PostgreSQL database: the credential report lives in the database, so a report
// generated through one node is served by the other, concurrent GenerateCredentialReport calls start exactly one
// run, and a user created on one node appears in the other's next report. (PostgreSQL only.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { startTwoNodes, MULTINODE_SKIP } from '../helpers/server.js';
import { iam } from '../helpers/clients.js';
import { openDatabase } from '../../src/store/index.js';

const skip = MULTINODE_SKIP;

type Node = Awaited<ReturnType<typeof startTwoNodes>>['a'];
let nodes: Awaited<ReturnType<typeof startTwoNodes>> | undefined;
let a: Node;
let b: Node;
let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
before(async () => {
  if (skip) return;
  nodes = await startTwoNodes();
  ({ a, b } = nodes);
  db = await openDatabase({ dataDir: a.dataDir, databaseUrl: nodes.database.url });
});
after(async () => {
  await db?.close();
  await nodes?.stop();
});

async function untilComplete(node: Node): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await iam(node).send(new I.GenerateCredentialReportCommand({}))).State === 'COMPLETE') return;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error('report never completed');
}

test('concurrent GenerateCredentialReport on both nodes starts one run; the report is served by both', { skip }, async () => {
  const calls: Promise<I.GenerateCredentialReportCommandOutput>[] = [];
  for (let i = 0; i < 6; i++) calls.push(iam(i % 2 ? b : a).send(new I.GenerateCredentialReportCommand({})));
  const states = (await Promise.all(calls)).map((r) => r.State);
  assert.equal(states.filter((s) => s === 'STARTED').length, 1, states.join(','));
  assert.ok(states.every((s) => ['STARTED', 'INPROGRESS', 'COMPLETE'].includes(s!)), states.join(','));
  await untilComplete(b);
  const ra = await iam(a).send(new I.GetCredentialReportCommand({}));
  const rb = await iam(b).send(new I.GetCredentialReportCommand({}));
  assert.equal(ra.GeneratedTime!.getTime(), rb.GeneratedTime!.getTime());
  assert.equal(Buffer.from(ra.Content!).toString('utf8'), Buffer.from(rb.Content!).toString('utf8'));
});

test('a user created on node A appears in the next report generated through node B', { skip }, async () => {
  await iam(a).send(new I.CreateUserCommand({ UserName: 'across' }));
  await db!.run('UPDATE credential_reports SET generated_at = ?', [new Date(Date.now() - 5 * 3600_000).toISOString()]);
  assert.equal((await iam(b).send(new I.GenerateCredentialReportCommand({}))).State, 'STARTED');
  await untilComplete(a);
  const text = Buffer.from((await iam(a).send(new I.GetCredentialReportCommand({}))).Content!).toString('utf8');
  assert.match(text, new RegExp(`\\nacross,arn:aws:iam::${a.accountId}:user/across,`));
});
