// The worker thread that writes the event history (src/store/event-writer.ts starts it): on SQLite its own
// better-sqlite3 connection to the events file, so the INSERTs, the commit's fsync and a wait for the writer lock
// (several server processes share the file; busy_timeout) block this thread, never the server's; on PostgreSQL a
// pool of its own, so building and sending the batch's INSERTs costs the server's thread nothing. One request at a
// time, in order.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteDb } from './sqlite.js';
import { PostgresDb } from './postgres.js';
import { EventStore } from './event-store.js';
import { unpackEvents } from './event-writer.js';
import type { WriterReply, WriterRequest } from './event-writer.js';

const port = parentPort!; // started as a worker by event-writer.ts
// SQLite's events file (already migrated) or PostgreSQL's URL; a pool of its own there, two connections.
const target = workerData as { file: string } | { databaseUrl: string }; // what event-writer.ts passes
const db = 'file' in target ? new SqliteDb(target.file) : new PostgresDb(target.databaseUrl, 2);
const store = new EventStore(db);
let chain: Promise<void> = Promise.resolve();

async function handle(m: WriterRequest): Promise<WriterReply> {
  try {
    if (m.op === 'insert') { const events = m.parts.flatMap((p) => unpackEvents(p)); await store.insertMany(events); return { id: m.id, ok: true, value: events.length }; }
    if (m.op === 'purge') return { id: m.id, ok: true, value: await store.purgeBefore(m.before) };
    await db.close();
    return { id: m.id, ok: true, value: 0 };
  } catch (e) {
    return { id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

port.on('message', (m: WriterRequest) => { // only event-writer.ts posts here
  chain = chain.then(async () => port.postMessage(await handle(m)));
});
