// Writes the event history to SQLite's events database from a worker thread (event-writer-thread.ts), so that no
// INSERT, commit (fsync) or wait for SQLite's writer lock runs on the server's thread. The recorder hands it
// batches as it would hand them to the EventStore; a batch the thread could not write rejects (the recorder counts
// and logs the loss), and a thread that died rejects everything after.
import { Worker } from 'node:worker_threads';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StoredEvent } from './event-store.js';

/** What the recorder writes through: the EventStore itself, or this thread. */
export interface EventWriter {
  insertMany(events: readonly StoredEvent[]): Promise<void>;
  purgeBefore(before: number): Promise<number>;
}

type WriterCall =
  | { readonly op: 'insert'; readonly parts: readonly Uint8Array[] }
  | { readonly op: 'purge'; readonly before: number }
  | { readonly op: 'close' };
export type WriterRequest = WriterCall & { readonly id: number };
export type WriterReply = { readonly id: number; readonly ok: true; readonly value: number } | { readonly id: number; readonly ok: false; readonly error: string };

// A batch crosses to the thread as one UTF-8 buffer, transferred (not copied): cloning thousands of objects took ~5 %
// of the server's thread under load, and copying one large string still ~2 %. Two lines an event: the
// indexed fields as a JSON array, then the record's JSON (JSON text never holds a raw line break).
type Packed = [string, number, string, string, string, string | null, string | null, boolean, StoredEvent['resources']];

export function packEvents(events: readonly StoredEvent[]): string {
  let out = '';
  for (const e of events) {
    const head: Packed = [e.eventId, e.eventTime, e.accountId, e.eventName, e.eventSource, e.username, e.accessKeyId, e.readOnly, e.resources];
    out += `${JSON.stringify(head)}\n${e.record}\n`;
  }
  return out;
}

const encoder = new TextEncoder();
const PACK_SLICE = 250;
const decoder = new TextDecoder();

export function unpackEvents(bytes: Uint8Array): StoredEvent[] {
  const parts = decoder.decode(bytes).split('\n');
  const out: StoredEvent[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const [eventId, eventTime, accountId, eventName, eventSource, username, accessKeyId, readOnly, resources] = JSON.parse(parts[i]!) as Packed; // packEvents wrote it; i + 1 < length
    out.push({ eventId, eventTime, accountId, eventName, eventSource, username, accessKeyId, readOnly, resources, record: parts[i + 1]! }); // the line after its head
  }
  return out;
}

type Pending = { ok(v: number): void; fail(e: Error): void };

export class EventWriterThread implements EventWriter {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 1;
  #dead: Error | null = null;
  #closed: Promise<void> | null = null;

  /** The events database: SQLite's events file, already migrated (openEventsFile), or PostgreSQL's (the main one). */
  constructor(target: { readonly file: string } | { readonly databaseUrl: string }) {
    this.#worker = new Worker(new URL('./event-writer-thread.js', import.meta.url), { workerData: target });
    this.#worker.on('message', (r: WriterReply) => { // only the thread posts here
      const p = this.#pending.get(r.id);
      if (!p) return;
      this.#pending.delete(r.id);
      if (r.ok) p.ok(r.value); else p.fail(new Error(r.error));
    });
    this.#worker.on('error', (e) => this.#die(e));
    this.#worker.on('exit', (code) => this.#die(new Error(`the event writer thread exited (code ${code})`)));
  }

  #die(e: Error): void {
    this.#dead ??= e;
    for (const p of this.#pending.values()) p.fail(e);
    this.#pending.clear();
  }

  #call(m: WriterCall, transfer: ArrayBuffer[] = []): Promise<number> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#next++;
    return new Promise((ok, fail) => {
      this.#pending.set(id, { ok, fail });
      this.#worker.postMessage({ ...m, id }, transfer);
    });
  }

  async insertMany(events: readonly StoredEvent[]): Promise<void> {
    if (!events.length) return;
    // Packed a slice at a time with a turn of the event loop between: a second's batch packed in one go (a few MB of
    // text) held requests up for over ten milliseconds.
    const parts: Uint8Array[] = [];
    for (let i = 0; i < events.length; i += PACK_SLICE) {
      if (i > 0) await nextTurn();
      parts.push(encoder.encode(packEvents(events.slice(i, i + PACK_SLICE))));
    }
    await this.#call({ op: 'insert', parts }, parts.map((p) => p.buffer as ArrayBuffer)); // encode's own new buffers
  }

  purgeBefore(before: number): Promise<number> {
    return this.#call({ op: 'purge', before });
  }

  /** Waits for what was handed over, closes the thread's connection and ends the thread. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#call({ op: 'close' }).catch(() => {});
      await this.#worker.terminate();
    })();
    return this.#closed;
  }
}
