// The event recorder never fails or waits for the request it describes: record() only queues; a store that fails
// loses the batch, counted and logged (one warning a second at most); a full queue drops and counts. The event
// store on both drivers: newest/oldest order with a (time, id) cursor, every lookup attribute, and the retention
// purge; and the events file gets one JSON line per written event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventRecorder, eventRecordingStats } from '../../src/events/recorder.js';
import { consoleLoginEvent, mfaLockEvent } from '../../src/events/records.js';
import type { EventEntry } from '../../src/events/records.js';
import { EventStore } from '../../src/store/event-store.js';
import { EventWriterThread } from '../../src/store/event-writer.js';
import { eventsDatabaseFile, openEventsFile } from '../../src/store/index.js';
import type { Db } from '../../src/store/db.js';
import { pgUnreachable, withStore } from '../helpers/server.js';

const NO_PG = await pgUnreachable();
const ACCOUNT = '123456789012';

const login = (userName: string, t: number, success = true): EventEntry => consoleLoginEvent({
  who: { kind: 'user', accountId: ACCOUNT, userId: `AIDA${userName.toUpperCase()}`, userName, arn: `arn:aws:iam::${ACCOUNT}:user/${userName}` },
  success, mfaUsed: false, consoleUrl: 'http://localhost/console', time: new Date(t), sourceIp: '127.0.0.1', userAgent: 'test',
});
const noUsers = async (): Promise<undefined> => undefined;

function collectingLogger(): { warn(obj: object, msg: string): void; lines: { obj: object; msg: string }[] } {
  const lines: { obj: object; msg: string }[] = [];
  return { lines, warn: (obj, msg) => { lines.push({ obj, msg }); } };
}

test('a store that fails: record() neither throws nor waits, the batch is lost, counted and logged', async () => {
  const failing = { insertMany: async () => { throw new Error('connection refused'); }, purgeBefore: async () => 0 } as unknown as EventStore; // only what the recorder calls
  const logger = collectingLogger();
  const before = eventRecordingStats().lost;
  const r = new EventRecorder({ store: failing, logger, userById: noUsers, intervalMs: 10_000 });
  for (let i = 0; i < 5; i++) assert.equal(r.record(login('alice', Date.now())), undefined);
  assert.equal(r.stats().backlog, 5);
  await r.flush();
  assert.deepEqual(r.stats(), { recorded: 0, lost: 5, fileLost: 0, backlog: 0 });
  assert.equal(eventRecordingStats().lost - before, 5);
  assert.equal(logger.lines.length, 1);
  assert.match(logger.lines[0]!.msg, /event store failed/);
  assert.deepEqual(logger.lines[0]!.obj, { lost: 5, lostTotal: 5, err: 'connection refused' });
  await r.close();
});

test('a full queue drops what does not fit and counts it', async () => {
  const logger = collectingLogger();
  const written: unknown[] = [];
  const store = { insertMany: async (e: unknown[]) => { written.push(...e); }, purgeBefore: async () => 0 } as unknown as EventStore; // only what the recorder calls
  const r = new EventRecorder({ store, logger, userById: noUsers, intervalMs: 10_000, maxQueue: 2, batchSize: 100 });
  r.record(login('a', 1)); r.record(login('b', 2)); r.record(login('c', 3));
  await r.close();
  assert.deepEqual(r.stats(), { recorded: 2, lost: 1, fileLost: 0, backlog: 0 });
  assert.equal(written.length, 2);
});

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`${kind}: the event store orders, filters, pages and purges; the events file gets JSON lines`, { skip: kind === 'postgres' && NO_PG }, async () => {
    await withStore(kind, async (db: Db) => {
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-events-file-'));
      const file = join(dir, 'events.jsonl');
      try {
        const store = new EventStore(db);
        const users = async (id: string) => (id === 'AIDAERIN' ? { name: 'erin', arn: `arn:aws:iam::${ACCOUNT}:user/erin` } : undefined);
        const r = new EventRecorder({ store, logger: collectingLogger(), userById: users, eventsFile: file, retentionDays: 1, intervalMs: 10_000 });
        const day = 86_400_000;
        const now = Date.UTC(2026, 10, 30, 12);
        r.record(login('old', now - 2 * day));
        for (let i = 0; i < 7; i++) r.record(login(i % 2 ? 'alice' : 'bob', now - 1000 + i, i !== 3));
        r.mfaLock({ locked: true, accountId: ACCOUNT, principalType: 'user', principalId: 'AIDAERIN', lockedUntil: new Date(now + 60_000), failures: 5, time: new Date(now) });
        await r.flush();
        assert.equal(r.stats().recorded, 9);

        const all = await store.query({ accountId: ACCOUNT, from: 0, to: now + day, filters: [], order: 'newest', limit: 100 });
        assert.equal(all.length, 9);
        assert.deepEqual(all.map((e) => e.time), [...all.map((e) => e.time)].sort((a, b) => b - a), 'newest first');
        // Paging by cursor gives the same sequence.
        const paged: string[] = [];
        let after: { time: number; id: string } | undefined;
        for (;;) {
          const page = await store.query({ accountId: ACCOUNT, from: 0, to: now + day, filters: [], order: 'newest', limit: 2, after });
          paged.push(...page.map((e) => e.id));
          const last = page[page.length - 1];
          if (page.length < 2 || !last) break;
          after = { time: last.time, id: last.id };
        }
        assert.deepEqual(paged, all.map((e) => e.id));
        const q = (key: Parameters<EventStore['query']>[0]['filters'][number]['key'], value: string) =>
          store.query({ accountId: ACCOUNT, from: 0, to: now + day, filters: [{ key, value }], order: 'oldest', limit: 100 });
        assert.equal((await q('Username', 'alice')).length, 3);
        assert.equal((await q('EventName', 'ConsoleLogin')).length, 8);
        assert.equal((await q('EventSource', 'iam.amazonaws.com')).length, 1);
        assert.equal((await q('ReadOnly', 'false')).length, 9);
        assert.equal((await q('ResourceName', 'erin')).length, 1);
        assert.equal((await q('ResourceType', 'AWS::IAM::User')).length, 1);
        assert.equal((await q('EventId', all[0]!.id)).length, 1);
        const lock = JSON.parse((await q('Username', 'erin'))[0]!.record) as ReturnType<typeof mfaLockEvent>['record'];
        assert.equal(lock.eventName, 'MfaCodesLocked');
        assert.equal(lock.serviceEventDetails?.arn, `arn:aws:iam::${ACCOUNT}:user/erin`);
        assert.equal((await store.query({ accountId: '000000000000', from: 0, to: now + day, filters: [], order: 'newest', limit: 10 })).length, 0, 'another account sees nothing');

        // Retention: one day, so the event two days old goes.
        assert.equal(await r.purge(now), 1);
        assert.equal((await q('Username', 'old')).length, 0);
        assert.equal((await store.resourcesOf(all.map((e) => e.id))).size, 1);

        const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { eventID: string });
        assert.equal(lines.length, 9);
        assert.equal(statSync(file).mode & 0o777, 0o600);
        await r.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

test('SQLite: events.db beside gatehouse.db, written by the writer thread and read back on this thread; a dead thread loses, counts and logs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-events-file-'));
  try {
    const file = eventsDatabaseFile({ dataDir: dir });
    assert.equal(file, join(dir, 'events.db'));
    assert.equal(eventsDatabaseFile({ databaseUrl: `sqlite:${join(dir, 'x.sqlite')}` }), join(dir, 'x.sqlite-events.db'));
    assert.equal(eventsDatabaseFile({ databaseUrl: 'postgres://localhost/x' }), undefined, 'PostgreSQL: the main database');
    assert.equal(eventsDatabaseFile({ databaseUrl: 'sqlite::memory:' }), undefined, 'in memory: the main database');
    const reader = await openEventsFile(file!); // file: a data folder's
    // A second opening (another server process) finds the tables there.
    await (await openEventsFile(file!)).close();
    assert.equal(statSync(file!).mode & 0o777, 0o600);
    const writer = new EventWriterThread({ file: file! });
    const logger = collectingLogger();
    const r = new EventRecorder({ store: writer, logger, userById: noUsers, intervalMs: 10_000 });
    const now = Date.now();
    for (let i = 0; i < 250; i++) r.record(login(`u${i % 5}`, now - i));
    r.record(login('old', now - 3 * 86_400_000));
    await r.flush();
    assert.deepEqual(r.stats(), { recorded: 251, lost: 0, fileLost: 0, backlog: 0 });
    const store = new EventStore(reader);
    assert.equal((await store.query({ accountId: ACCOUNT, from: 0, to: now, filters: [{ key: 'Username', value: 'u3' }], order: 'newest', limit: 100 })).length, 50);
    assert.equal(await writer.purgeBefore(now - 86_400_000), 1);
    await r.close();
    await writer.close();
    // After the thread ended, a batch is lost (counted and logged), never thrown at the caller.
    const late = new EventRecorder({ store: writer, logger, userById: noUsers, intervalMs: 10_000 });
    late.record(login('late', now));
    await late.close();
    assert.deepEqual(late.stats(), { recorded: 0, lost: 1, fileLost: 0, backlog: 0 });
    assert.match(logger.lines.at(-1)!.msg, /event store failed/);
    await reader.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
