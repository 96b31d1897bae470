// Two Gatehouse nodes on one PostgreSQL database, both monitoring: changes made on both at once lead to audits that
// never overlap (the lease), each finding's FAIL is recorded and notified once (not once per node), and both
// nodes' stored results are the same ones. PostgreSQL only (SQLite serves one node).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { MULTINODE_SKIP, startTwoNodes } from '../helpers/server.js';
import type { TwoNodes } from '../helpers/server.js';
import { iam } from '../helpers/clients.js';
import { startWebhookReceiver } from '../helpers/webhook.js';
import type { WebhookReceiver } from '../helpers/webhook.js';
import { openDatabase } from '../../src/store/index.js';
import { AuditStore } from '../../src/store/audit-store.js';

const CONSOLE_CHECK = 'mfa-enabled-for-iam-console-access';
let nodes: TwoNodes;
let hook: WebhookReceiver;

before(async () => {
  if (MULTINODE_SKIP) return;
  hook = await startWebhookReceiver();
  nodes = await startTwoNodes({ env: { GATEHOUSE_AUDIT_INTERVAL: '1h', GATEHOUSE_AUDIT_DEBOUNCE: '100ms', GATEHOUSE_AUDIT_WEBHOOK: hook.url } });
}, { timeout: 90_000 });
after(async () => { await nodes?.stop(); await hook?.close(); }, { timeout: 60_000 });

test('changes on two nodes at once: the audits never overlap and each FAIL is notified once', { skip: MULTINODE_SKIP, timeout: 120_000 }, async () => {
  const { a, b } = nodes;
  const arn = (name: string): string => `arn:aws:iam::${a.accountId}:user/${name}`;
  // Several changes on both nodes at the same time: each node wants an audit.
  await Promise.all(['xavier', 'yvonne', 'zoe', 'walt'].map(async (name, i) => {
    const c = iam(i % 2 ? b : a);
    await c.send(new I.CreateUserCommand({ UserName: name }));
    await c.send(new I.CreateLoginProfileCommand({ UserName: name, Password: 'Multi-Node-Passw0rd!' }));
  }));
  for (const name of ['xavier', 'yvonne', 'zoe', 'walt']) {
    await hook.waitFor((x) => x['check'] === CONSOLE_CHECK && x['resource'] === arn(name) && x['event'] === 'failing', `FAIL for ${name}`);
  }
  // One more change on each node (a new access key), so each wants another audit after the first ones.
  await Promise.all([iam(a).send(new I.CreateAccessKeyCommand({ UserName: 'walt' })), iam(b).send(new I.CreateAccessKeyCommand({ UserName: 'zoe' }))]);

  const db = await openDatabase({ databaseUrl: nodes.database.url });
  try {
    const store = new AuditStore(db);
    // Wait until a run has seen both new keys (access-keys-rotated PASSes for walt and zoe).
    const until = Date.now() + 60_000;
    for (;;) {
      const f = await store.findings(a.accountId);
      const seen = ['walt', 'zoe'].every((n) => f.some((x) => x.checkId === 'access-keys-rotated' && x.resource === arn(n)));
      if (seen) break;
      if (Date.now() > until) throw new Error('no run saw the new access keys within 60 s');
      await new Promise((ok) => setTimeout(ok, 200));
    }
    const runs = (await store.runs(a.accountId, 100)).reverse();
    assert.ok(runs.length >= 2, `runs: ${runs.length}`);
    for (let i = 1; i < runs.length; i++) {
      assert.ok(runs[i]!.startedAt >= runs[i - 1]!.finishedAt, `run ${runs[i]!.runId} (${runs[i]!.node}) began ${runs[i]!.startedAt}, before ${runs[i - 1]!.runId} (${runs[i - 1]!.node}) ended ${runs[i - 1]!.finishedAt}`);
    }
    const events = await store.events(a.accountId, 500);
    for (const name of ['xavier', 'yvonne', 'zoe', 'walt']) {
      const mine = events.filter((e) => e.checkId === CONSOLE_CHECK && e.resource === arn(name));
      assert.deepEqual(mine.map((e) => e.kind), ['failing'], `${name}: one failing event`);
      assert.equal(hook.accepted((x) => x['check'] === CONSOLE_CHECK && x['resource'] === arn(name)).length, 1, `${name}: notified once`);
    }
  } finally {
    await db.close();
  }
});
