// Recording events without slowing or failing the request they describe: record() only queues (a bounded
// queue; a full queue drops and counts), and a timer writes the queue to the store in batches, one transaction
// per batch, off every request's path, every second or at 5,000 events. On SQLite the batch goes to a worker
// thread that writes the events' own database file (src/store/event-writer.ts): better-sqlite3 is synchronous, and
// its INSERTs and the commit's fsync (about 30 ms on a busy disk) on the server's thread cost a third of the
// throughput. When the store fails, the batch is lost, counted and logged; the requests it describes were answered
// long before by their own rules. Optionally each written event is appended, as one JSON line, to a file for a
// SIEM. Retention: events older than the setting (default 90 days, CloudTrail's event history window) are purged
// hourly, by any node.
import { appendFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { mfaLockEvent, storedEvent } from './records.js';
import { arn } from '../iam/arn.js';
import type { EventEntry, MfaLockChange } from './records.js';
import type { EventWriter } from '../store/event-writer.js';
import type { StoredEvent } from '../store/event-store.js';

/** What the domain records into: a sink that never throws and never waits. */
export interface EventSink {
  /** An entry, or a function that builds it later (off the request's path; null: nothing to record). */
  record(entry: EventEntry | (() => Promise<EventEntry | null>)): void;
  /** A principal's MFA codes locked or unlocked; the user's name and ARN are looked up when the event is written. */
  mfaLock(change: MfaLockRef): void;
}

/** What the domain knows of a lock change: the principal by id. */
export type MfaLockRef = Omit<MfaLockChange, 'userName' | 'arn'>;

/** A sink that drops everything (tests of the domain, admin commands). */
export const NO_EVENTS: EventSink = { record: () => {}, mfaLock: () => {} };

export interface RecorderStats {
  /** Events written to the store. */
  readonly recorded: number;
  /** Events lost: the store failed, or the queue was full. */
  readonly lost: number;
  /** Events queued, not yet written. */
  readonly backlog: number;
  /** Lines that could not be appended to the events file. */
  readonly fileLost: number;
}

export interface RecorderOptions {
  /** Where batches go: the EventStore, or SQLite's writer thread (src/store/event-writer.ts). */
  readonly store: EventWriter;
  readonly logger: { warn(obj: object, msg: string): void };
  /** A user's name and ARN by id (for lock events); undefined when the user is gone. */
  readonly userById: (userId: string) => Promise<{ readonly name: string; readonly arn: string } | undefined>;
  /** Append each event as a JSON line to this file (mode 0600). */
  readonly eventsFile?: string | undefined;
  readonly retentionDays?: number | undefined;
  readonly batchSize?: number | undefined;
  readonly intervalMs?: number | undefined;
  readonly maxQueue?: number | undefined;
}

export const DEFAULT_RETENTION_DAYS = 90;

// Process-wide totals, for the metrics endpoint (one server per process; several recorders add up).
const totals = { recorded: 0, lost: 0, fileLost: 0, backlog: 0 };

/** The process's event-recording counters (for /metrics): written, lost, queued, file lines lost. */
export const eventRecordingStats = (): RecorderStats => ({ ...totals });

type Queued = EventEntry | (() => Promise<EventEntry | null>);

// Records built between two turns of the event loop when a batch is flushed.
const BUILD_SLICE = 100;

export class EventRecorder implements EventSink {
  readonly #o: RecorderOptions;
  readonly #queue: Queued[] = [];
  readonly #batchSize: number;
  readonly #maxQueue: number;
  readonly #retentionMs: number;
  #timer: NodeJS.Timeout | null = null;
  #purgeTimer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #lastWarn = 0;
  #stats = { recorded: 0, lost: 0, fileLost: 0 };

  constructor(o: RecorderOptions) {
    this.#o = o;
    this.#batchSize = o.batchSize ?? 5000;
    this.#maxQueue = o.maxQueue ?? 50_000;
    const days = o.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.#retentionMs = days * 86_400_000;
    const interval = o.intervalMs ?? 1000;
    this.#timer = setInterval(() => { if (!this.#flushing) void this.flush(); }, interval); // while one runs, the next tick takes what came meanwhile
    this.#timer.unref();
    this.#purgeTimer = setInterval(() => { void this.purge(); }, 3600_000);
    this.#purgeTimer.unref();
  }

  record(entry: Queued): void {
    if (this.#queue.length >= this.#maxQueue) {
      this.#lose(1, 'the event queue is full: an event was dropped');
      return;
    }
    this.#queue.push(entry);
    totals.backlog++;
    if (this.#queue.length >= this.#batchSize && !this.#flushing) void this.flush();
  }

  mfaLock(change: MfaLockRef): void {
    this.record(async () => {
      if (change.principalType === 'root') return mfaLockEvent({ ...change, userName: 'root', arn: arn.root(change.accountId) });
      const user = await this.#o.userById(change.principalId);
      return mfaLockEvent({ ...change, userName: user?.name ?? change.principalId, arn: user?.arn ?? '' });
    });
  }

  stats(): RecorderStats {
    return { ...this.#stats, backlog: this.#queue.length };
  }

  #lose(n: number, why: string, err?: unknown): void {
    this.#stats.lost += n;
    totals.lost += n;
    const now = Date.now();
    // One warning a second at most, with the running count: a dead store must not flood the log.
    if (now - this.#lastWarn >= 1000) {
      this.#lastWarn = now;
      this.#o.logger.warn({ lost: n, lostTotal: this.#stats.lost, err: (err as { message?: unknown } | undefined)?.message }, why); // anything may be thrown: its message
    }
  }

  /**
   * Writes what is queued (in batches); resolves when everything queued before the call is written. Never rejects.
   * A flush takes what is queued when it begins; one called meanwhile follows it.
   */
  flush(): Promise<void> {
    if (this.#flushing) return this.#flushing.then(() => this.flush());
    if (!this.#queue.length) return Promise.resolve();
    this.#flushing = (async () => {
      try {
        // What was queued when the flush began (what comes meanwhile waits for the next one: a batch a second).
        let left = this.#queue.length;
        while (left > 0 && this.#queue.length) {
          const batch = this.#queue.splice(0, Math.min(left, this.#batchSize));
          left -= batch.length;
          totals.backlog -= batch.length;
          const entries: EventEntry[] = [];
          const stored: StoredEvent[] = [];
          for (let i = 0; i < batch.length; i++) {
            // A second's requests are thousands of records: built a slice at a time, so requests are answered
            // between slices (built in one go, they held every request up for tens of milliseconds each second).
            if (i > 0 && i % BUILD_SLICE === 0) await nextTurn();
            const q = batch[i]!; // i < batch.length
            try {
              const e = typeof q === 'function' ? await q() : q;
              if (e) { stored.push(storedEvent(e)); entries.push(e); }
            } catch (err) {
              this.#lose(1, 'an event could not be built: it was dropped', err);
            }
          }
          if (!entries.length) continue;
          try {
            await this.#o.store.insertMany(stored);
            this.#stats.recorded += entries.length;
            totals.recorded += entries.length;
          } catch (err) {
            this.#lose(entries.length, 'the event store failed: events were lost', err);
            continue;
          }
          if (this.#o.eventsFile) {
            try {
              await appendFile(this.#o.eventsFile, entries.map((e) => `${JSON.stringify(e.record)}\n`).join(''), { mode: 0o600 });
            } catch (err) {
              this.#stats.fileLost += entries.length;
              totals.fileLost += entries.length;
              this.#o.logger.warn({ lines: entries.length, err: (err as { message?: unknown }).message }, 'could not append to the events file'); // a file system error
            }
          }
        }
      } finally {
        this.#flushing = null;
      }
    })();
    return this.#flushing;
  }

  /** Removes events past the retention window. */
  async purge(now = Date.now()): Promise<number> {
    try {
      return await this.#o.store.purgeBefore(now - this.#retentionMs);
    } catch (err) {
      this.#o.logger.warn({ err: (err as { message?: unknown }).message }, 'could not purge old events'); // anything thrown: its message
      return 0;
    }
  }

  /** Stops the timers and writes what is left. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#purgeTimer) clearInterval(this.#purgeTimer);
    this.#timer = null;
    this.#purgeTimer = null;
    await this.flush();
  }
}
