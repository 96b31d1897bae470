// The continuous audit's parts apart from the server: the transition rules (pure), durations, the store's lease
// and records on both drivers, the webhook notifier's bounded retries against a loopback receiver, and two
// monitors sharing one store that are asked to run at once: their audits never overlap and each change is
// notified once. Waits poll with a bounded deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IamStore } from '../../src/store/iam-store.js';
import { AuditStore } from '../../src/store/audit-store.js';
import { transitions } from '../../src/audit/transitions.js';
import type { PreviousState } from '../../src/audit/transitions.js';
import { createAuditMonitor, parseDuration } from '../../src/audit/monitor.js';
import { createWebhookNotifier } from '../../src/audit/notify.js';
import type { FindingNotification } from '../../src/audit/notify.js';
import type { AccountSnapshot, Finding } from '../../src/audit/types.js';
import { pgUnreachable, withStore } from '../helpers/server.js';
import { startWebhookReceiver } from '../helpers/webhook.js';

const NO_PG = await pgUnreachable();
const ACCOUNT = '123456789012';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
const T0 = '2026-11-30T10:00:00.000Z';
const T1 = '2026-11-30T11:00:00.000Z';

const finding = (check: string, resource: string, status: Finding['status']): Finding =>
  ({ check, resource, status, severity: 'high', reason: `${status} reason`, remedy: 'fix it', credit: status === 'PASS' ? 1 : 0 });
const prev = (checkId: string, resource: string, status: string, lastDecisive: 'PASS' | 'FAIL' | null, failingSince: string | null = null): PreviousState =>
  ({ checkId, resource, status, severity: 'high', lastDecisive, statusSince: T0, failingSince });

test('transitions: new FAIL and PASS→FAIL notify "failing"; FAIL→PASS, FAIL→NOT_APPLICABLE and a gone FAIL "resolved"', () => {
  const { events, states } = transitions([
    prev('a', BOB, 'PASS', 'PASS'),
    prev('b', BOB, 'FAIL', 'FAIL', T0),
    prev('c', BOB, 'FAIL', 'FAIL', T0),
    prev('d', BOB, 'FAIL', 'FAIL', T0),
    prev('gone-fail', BOB, 'FAIL', 'FAIL', T0),
    prev('gone-pass', BOB, 'PASS', 'PASS'),
  ], [
    finding('a', BOB, 'FAIL'), finding('b', BOB, 'PASS'), finding('c', BOB, 'FAIL'), finding('d', BOB, 'NOT_APPLICABLE'), finding('new', ROOT, 'FAIL'),
  ], T1);
  const summary = events.map((e) => `${e.kind} ${e.checkId} ${e.oldStatus ?? 'null'}→${e.newStatus ?? 'null'}`).sort();
  assert.deepEqual(summary, ['failing a PASS→FAIL', 'failing new null→FAIL', 'resolved b FAIL→PASS', 'resolved d FAIL→NOT_APPLICABLE', 'resolved gone-fail FAIL→null'].sort());
  const c = states.find((s) => s.checkId === 'c');
  assert.equal(c?.failingSince, T0, 'a FAIL that stays FAIL keeps when it began');
  assert.equal(c?.statusSince, T0);
  assert.equal(states.find((s) => s.checkId === 'a')?.failingSince, T1);
  assert.equal(states.find((s) => s.checkId === 'b')?.failingSince, null);
  assert.equal(states.length, 5, 'gone findings are not kept');
});

test('transitions: an ERROR changes nothing (no event, the FAIL and its start kept); the next PASS resolves it', () => {
  const r1 = transitions([prev('x', BOB, 'FAIL', 'FAIL', T0)], [finding('x', BOB, 'ERROR')], T1);
  assert.deepEqual(r1.events, []);
  assert.equal(r1.states[0]?.lastDecisive, 'FAIL');
  assert.equal(r1.states[0]?.failingSince, T0);
  assert.equal(r1.states[0]?.status, 'ERROR');
  const p: PreviousState = { ...r1.states[0]!, severity: 'high' }; // one state from above
  const r2 = transitions([p], [finding('x', BOB, 'PASS')], T1);
  assert.deepEqual(r2.events.map((e) => [e.kind, e.oldStatus, e.newStatus]), [['resolved', 'FAIL', 'PASS']]);
  // A first evaluation that passes says nothing; an ERROR first says nothing either.
  assert.deepEqual(transitions([], [finding('y', BOB, 'PASS'), finding('z', BOB, 'ERROR')], T1).events, []);
});

test('durations: units, off, and refusals naming the flag', () => {
  assert.equal(parseDuration('1h', '--x'), 3_600_000);
  assert.equal(parseDuration('30m', '--x'), 1_800_000);
  assert.equal(parseDuration('45s', '--x'), 45_000);
  assert.equal(parseDuration('500ms', '--x'), 500);
  assert.equal(parseDuration('90', '--x'), 90_000);
  assert.equal(parseDuration('off', '--x'), null);
  assert.throws(() => parseDuration('hourly', '--audit-interval'), /--audit-interval must be a duration/);
  assert.throws(() => parseDuration('1ms', '--x'), /between 10ms and 30d/);
  assert.throws(() => parseDuration('31d', '--x'), /between 10ms and 30d/);
});

async function seedAccount(db: Parameters<Parameters<typeof withStore>[1]>[0]): Promise<void> {
  await new IamStore(db).insertAccount({ accountId: ACCOUNT, rootEmail: 'root@example.com', rootPasswordHash: 'x', createdAt: T0 });
}

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`${kind}: the lease is one holder's until it expires or is released; a holder renews its own`, { skip: kind === 'postgres' && NO_PG }, async () => {
    await withStore(kind, async (db) => {
      await seedAccount(db);
      const s = new AuditStore(db);
      assert.equal(await s.acquireLease(ACCOUNT, 'A', 1000, 2000), true);
      assert.equal(await s.acquireLease(ACCOUNT, 'B', 1500, 2500), false, 'held by A');
      assert.equal(await s.acquireLease(ACCOUNT, 'A', 1500, 3000), true, 'A renews');
      assert.equal(await db.tx((tx) => s.holdsLease(tx, ACCOUNT, 'A', 2999)), true);
      assert.equal(await s.acquireLease(ACCOUNT, 'B', 3001, 4000), true, 'expired: B takes it');
      assert.equal(await db.tx((tx) => s.holdsLease(tx, ACCOUNT, 'A', 3001)), false);
      await s.releaseLease(ACCOUNT, 'A');
      assert.equal(await db.tx((tx) => s.holdsLease(tx, ACCOUNT, 'B', 3500)), true, 'A cannot release what B holds');
      await s.releaseLease(ACCOUNT, 'B');
      assert.equal(await s.acquireLease(ACCOUNT, 'C', 3500, 5000), true, 'released: free at once');
    });
  });

  test(`${kind}: latest findings: replaced whole, listed failures first by severity, limited; counts by status; runs newest first`, { skip: kind === 'postgres' && NO_PG }, async () => {
    await withStore(kind, async (db) => {
      await seedAccount(db);
      const s = new AuditStore(db);
      const row = (checkId: string, resource: string, status: string, severity: string) => ({
        checkId, resource, status, severity, lastDecisive: status === 'PASS' || status === 'FAIL' ? status : null, statusSince: T0,
        failingSince: status === 'FAIL' ? T0 : null, runId: 'r1', findingJson: JSON.stringify(finding(checkId, resource, 'PASS')),
      } as const);
      await db.tx((tx) => s.replaceFindings(tx, ACCOUNT, [row('old', BOB, 'FAIL', 'high')]));
      await db.tx((tx) => s.replaceFindings(tx, ACCOUNT, [
        row('a', BOB, 'PASS', 'critical'), row('b', BOB, 'ERROR', 'critical'), row('c', BOB, 'FAIL', 'medium'), row('d', ROOT, 'FAIL', 'critical'), row('e', BOB, 'NOT_APPLICABLE', 'high'),
      ]));
      assert.deepEqual((await s.findings(ACCOUNT)).map((f) => f.checkId), ['d', 'c', 'b', 'e', 'a']);
      assert.deepEqual((await s.findings(ACCOUNT, { notPassing: true, limit: 2 })).map((f) => f.checkId), ['d', 'c']);
      assert.deepEqual(await s.statusCounts(ACCOUNT), { PASS: 1, ERROR: 1, FAIL: 2, NOT_APPLICABLE: 1 });
      const [d] = await s.findings(ACCOUNT, { limit: 1 });
      assert.equal(d?.failingSince, T0);
      assert.equal(d?.lastDecisive, 'FAIL');
      assert.deepEqual(d?.finding, finding('d', ROOT, 'PASS'), 'the stored finding comes back parsed');
      for (const [id, at] of [['r1', T0], ['r2', T1]] as const) {
        await db.tx((tx) => s.insertRun(tx, { runId: id, accountId: ACCOUNT, trigger: 'test', node: 'n', startedAt: at, finishedAt: at, score: 41.6, passed: 1, failed: 2, notApplicable: 1, errored: 1, checksJson: '[]', credentialReportJson: '{}' }));
      }
      const runs = await s.runs(ACCOUNT, 10);
      assert.deepEqual(runs.map((r) => r.runId), ['r2', 'r1']);
      assert.equal(runs[0]?.score, 41.6);
      await db.tx((tx) => s.prune(tx, ACCOUNT, T1));
      assert.deepEqual((await s.runs(ACCOUNT, 10)).map((r) => r.runId), ['r2'], 'older runs pruned');
    });
  });

  test(`${kind}: two monitors asked at once never audit at the same time, and a change is notified once`, { skip: kind === 'postgres' && NO_PG, timeout: 60_000 }, async () => {
    await withStore(kind, async (db) => {
      await seedAccount(db);
      const store = new AuditStore(db);
      let running = 0;
      let overlapped = false;
      let calls = 0;
      let rootHasMfa = false;
      const sent: FindingNotification[] = [];
      const notifier = { send: (n: FindingNotification) => { sent.push(n); }, pending: 0, dropped: 0, stop: () => {} };
      const quiet = { info: () => {}, warn: () => {}, error: (o: object, m: string) => { throw new Error(`${m} ${JSON.stringify(o)}`); } };
      async function collect(): Promise<AccountSnapshot> {
        calls++;
        if (++running > 1) overlapped = true;
        await new Promise((ok) => setTimeout(ok, 50));
        running--;
        return {
          accountId: ACCOUNT, partition: 'aws', endpoint: 'test', collectedAt: new Date(),
          summary: { AccountMFAEnabled: rootHasMfa ? 1 : 0, AccountAccessKeysPresent: 0, AccountPasswordPresent: 1 },
          virtualDevices: [], credentialReport: { error: 'not in this test' }, users: [],
        };
      }
      const make = () => createAuditMonitor({ accountId: ACCOUNT, db, store, collect, notifier, logger: quiet, intervalMs: 3_600_000, debounceMs: 20 });
      const a = make();
      const b = make();
      try {
        a.requestRun();
        b.requestRun();
        await until(async () => (await store.runs(ACCOUNT, 10)).length >= 2, 'two runs');
        assert.equal(overlapped, false, 'the lease kept the runs apart');
        assert.equal(sent.filter((n) => n.check === 'root-account-mfa-enabled' && n.event === 'failing').length, 1, 'FAIL notified once, not once per node');
        // A change seen by both nodes: root gets MFA.
        rootHasMfa = true;
        a.changed('EnableMFADevice');
        b.changed('EnableMFADevice');
        await until(() => Promise.resolve(sent.some((n) => n.check === 'root-account-mfa-enabled' && n.event === 'resolved')), 'resolved');
        assert.equal(sent.filter((n) => n.check === 'root-account-mfa-enabled' && n.event === 'resolved').length, 1);
        const runs = (await store.runs(ACCOUNT, 50)).reverse();
        for (let i = 1; i < runs.length; i++) assert.ok(runs[i]!.startedAt >= runs[i - 1]!.finishedAt, `run ${i} began after run ${i - 1} ended`);
        assert.ok(calls >= 3);
        const events = await store.events(ACCOUNT, 50);
        assert.deepEqual(events.filter((e) => e.checkId === 'root-account-mfa-enabled').map((e) => e.kind).sort(), ['failing', 'resolved']);
        const [f] = (await store.findings(ACCOUNT)).filter((x) => x.checkId === 'root-account-mfa-enabled');
        assert.equal(f?.status, 'PASS');
        assert.equal(f?.failingSince, null);
      } finally {
        await a.stop();
        await b.stop();
      }
    });
  });
}

async function until(fn: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (let wait = 10; !(await fn()); wait = Math.min(wait * 2, 200)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, wait));
  }
}

test('webhook: retried with back-off on 5xx up to the bound, never on 400; the URL\'s token is not logged', { timeout: 30_000 }, async () => {
  const down = await startWebhookReceiver({ refuseFirst: 1000, refuseWith: 500 });
  const bad = await startWebhookReceiver({ refuseFirst: 1000, refuseWith: 400 });
  const logged: string[] = [];
  const logger = { info: (o: object, m: string) => { logged.push(`${m} ${JSON.stringify(o)}`); }, warn: (o: object, m: string) => { logged.push(`${m} ${JSON.stringify(o)}`); } };
  const n: FindingNotification = {
    type: 'gatehouse.audit.finding', version: 1, id: 'e1', event: 'failing', time: T1, account: ACCOUNT, check: 'c', title: 't', severity: 'high',
    resource: BOB, oldStatus: null, newStatus: 'FAIL', reason: 'r', remedy: 'm', runId: 'r1', score: 50,
  };
  const a = createWebhookNotifier({ url: `${down.url}?token=SECRET-TOKEN`, logger, maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40 });
  const b = createWebhookNotifier({ url: bad.url, logger, maxAttempts: 4, baseDelayMs: 10 });
  try {
    a.send(n);
    b.send(n);
    await until(() => Promise.resolve(a.pending === 0 && b.pending === 0), 'deliveries given up');
    assert.equal(down.received.length, 4, '500: four attempts, then given up');
    assert.equal(bad.received.length, 1, '400: not retried');
    assert.ok(logged.some((l) => /giving up/.test(l)));
    assert.ok(!logged.some((l) => l.includes('SECRET-TOKEN') || l.includes('/hooks/')), `only the origin is logged: ${logged.join(' | ')}`);
    // The queue is bounded: the oldest waiting notifications go.
    const c = createWebhookNotifier({ url: down.url, logger, maxAttempts: 1000, baseDelayMs: 1000, queueLimit: 3 });
    for (let i = 0; i < 10; i++) c.send({ ...n, id: `q${i}` });
    assert.equal(c.pending, 3);
    assert.equal(c.dropped, 7);
    c.stop();
  } finally {
    a.stop();
    b.stop();
    await down.close();
    await bad.close();
  }
});
