// The worker thread that writes SQLite's events database (src/store/event-writer.ts starts it): its own
// better-sqlite3 connection, so the INSERTs, the commit's fsync and a wait for the writer lock (several server
// processes share the file; busy_timeout) block this thread, never the server's. One request at a time, in order.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteDb } from './sqlite.js';
import { EventStore } from './event-store.js';
import { unpackEvents } from './event-writer.js';
import type { WriterReply, WriterRequest } from './event-writer.js';

const port = parentPort!; // started as a worker by event-writer.ts
const db = new SqliteDb((workerData as { file: string }).file); // event-writer.ts passes the file (already migrated)
const store = new EventStore(db);
let chain: Promise<void> = Promise.resolve();

async function handle(m: WriterRequest): Promise<WriterReply> {
  try {
    if (m.op === 'insert') { const events = m.parts.flatMap(unpackEvents); await store.insertMany(events); return { id: m.id, ok: true, value: events.length }; }
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
