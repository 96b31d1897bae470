// When each long-term access key was last used, and for which service and region (GetAccessKeyLastUsed, the
// credential report). Recording a use costs a Map write on the request path: the uses are kept in memory and
// written in batches, one transaction per batch, by a timer (every FLUSH_INTERVAL_MS), on shutdown, and before
// this node reads them (GetAccessKeyLastUsed, credential report generation). AWS documents that last-used
// information can lag; here another node's uses show after at most one interval. A write never moves a key's date
// backwards, so nodes flushing in any order leave each key with its latest use.
import type { IamStore, KeyUse } from '../store/iam-store.js';

/** How often recorded uses are written: the most another node's reads can lag behind. */
export const FLUSH_INTERVAL_MS = 5_000;
/** Uses written per transaction (a longer batch is split, so no one transaction holds the database for long). */
const BATCH = 500;
/** Past this many keys waiting, a flush starts at once rather than at the next tick. */
const EAGER_FLUSH_AT = 10_000;

export interface KeyUsageLog {
  /** Records a use of a long-term access key at `at` (epoch ms). Synchronous: nothing is written here. */
  record(accessKeyId: string, at: number, service: string, region: string): void;
  /** Writes every use recorded before the call (waits for a write already under way). Never rejects. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. */
  close(): Promise<void>;
}

interface Pending { at: number; service: string; region: string }

export function createKeyUsageLog(store: Pick<IamStore, 'markAccessKeysUsed'>, logger: { warn(obj: object, msg: string): void },
  intervalMs = FLUSH_INTERVAL_MS): KeyUsageLog {
  let pending = new Map<string, Pending>();
  let writing: Promise<void> | null = null;

  async function write(batch: Map<string, Pending>): Promise<void> {
    const uses: KeyUse[] = [...batch].map(([accessKeyId, u]) => ({ accessKeyId, when: new Date(u.at).toISOString(), service: u.service, region: u.region }));
    for (let i = 0; i < uses.length; i += BATCH) {
      const slice = uses.slice(i, i + BATCH);
      try {
        await store.markAccessKeysUsed(slice);
      } catch (e) {
        // Kept for the next flush, unless a later use of the same key has been recorded meanwhile.
        for (const u of slice) {
          const back = batch.get(u.accessKeyId)!; // every use came from the batch
          const newer = pending.get(u.accessKeyId);
          if (!newer || newer.at < back.at) pending.set(u.accessKeyId, back);
        }
        logger.warn({ err: (e as { message?: unknown } | null)?.message, keys: slice.length }, 'could not record access key use'); // anything may be thrown: only its message is logged
      }
    }
  }

  async function flush(): Promise<void> {
    while (writing) await writing; // one write at a time; what was recorded before this call is in pending or written
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    writing = write(batch).finally(() => { writing = null; });
    await writing;
  }

  const timer = setInterval(() => { void flush(); }, intervalMs);
  timer.unref();

  return {
    record(accessKeyId, at, service, region) {
      const prev = pending.get(accessKeyId);
      if (prev && prev.at > at) return;
      if (prev) { prev.at = at; prev.service = service; prev.region = region; } else pending.set(accessKeyId, { at, service, region });
      if (pending.size >= EAGER_FLUSH_AT && !writing) void flush();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
