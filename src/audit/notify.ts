// The audit monitor's webhook: each finding event is POSTed as one JSON document. Delivery never blocks anything:
// events wait in a bounded queue (the oldest are dropped past the limit, counted and logged), one worker sends
// them in order, and a failed delivery (network error, timeout, 408, 429, 5xx) is retried with exponential
// back-off and jitter, a bounded number of times. Other 4xx answers are not retried. The URL may hold a token
// (Slack's and Teams' do): it is never logged whole, only its origin.

/** The webhook's JSON body (docs/audit.md "Notifications"). Nothing secret: ids, ARNs, statuses, reasons. */
export interface FindingNotification {
  readonly type: 'gatehouse.audit.finding';
  readonly version: 1;
  readonly id: string;
  /** failing: the finding became FAIL; resolved: it is no longer failing. */
  readonly event: 'failing' | 'resolved';
  readonly time: string;
  readonly account: string;
  readonly check: string;
  readonly title: string;
  readonly severity: string;
  readonly resource: string;
  readonly oldStatus: string | null;
  readonly newStatus: string | null;
  readonly reason: string;
  readonly remedy: string;
  readonly runId: string;
  readonly score: number | null;
}

export interface NotifierOptions {
  readonly url: string;
  readonly logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** Attempts per event (first try included). */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly timeoutMs?: number;
  readonly queueLimit?: number;
}

export interface Notifier {
  send(n: FindingNotification): void;
  /** Events waiting or in flight. */
  readonly pending: number;
  readonly dropped: number;
  stop(): void;
}

export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try { url = new URL(raw); } catch { throw new Error('--audit-webhook must be an absolute http:// or https:// URL'); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('--audit-webhook must be an http:// or https:// URL');
  return url;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> => new Promise((ok) => {
  const t = setTimeout(ok, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); ok(); }, { once: true });
});

const retryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

export function createWebhookNotifier(o: NotifierOptions): Notifier {
  const url = parseWebhookUrl(o.url);
  const where = url.origin;
  const maxAttempts = o.maxAttempts ?? 6;
  const base = o.baseDelayMs ?? 1000;
  const cap = o.maxDelayMs ?? 60_000;
  const timeout = o.timeoutMs ?? 10_000;
  const limit = o.queueLimit ?? 10_000;
  const queue: FindingNotification[] = [];
  const stopped = new AbortController();
  let dropped = 0;
  let working = false;

  async function deliver(n: FindingNotification): Promise<void> {
    const body = JSON.stringify(n);
    for (let attempt = 1; ; attempt++) {
      let why: string;
      // Aborted by the timeout or by stop() (AbortSignal.any needs Node 20.3; engines allow 20.0).
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), timeout);
      const onStop = (): void => abort.abort();
      stopped.signal.addEventListener('abort', onStop, { once: true });
      try {
        const r = await fetch(url, {
          method: 'POST', body, redirect: 'error',
          headers: { 'content-type': 'application/json', 'user-agent': 'gatehouse-audit-monitor/1', 'x-gatehouse-event': n.event },
          signal: abort.signal,
        });
        await r.arrayBuffer().catch(() => undefined);
        if (r.ok) return;
        why = `HTTP ${r.status}`;
        if (!retryable(r.status)) {
          o.logger.warn({ webhook: where, status: r.status, event: n.id }, 'audit webhook refused the notification; not retried');
          return;
        }
      } catch (e) {
        why = e instanceof Error ? e.name : 'error';
      } finally {
        clearTimeout(timer);
        stopped.signal.removeEventListener('abort', onStop);
      }
      if (stopped.signal.aborted) return;
      if (attempt >= maxAttempts) {
        o.logger.warn({ webhook: where, why, attempts: attempt, event: n.id }, 'audit webhook: notification not delivered, giving up');
        return;
      }
      const delay = Math.min(cap, base * 2 ** (attempt - 1));
      await sleep(delay / 2 + Math.random() * (delay / 2), stopped.signal);
    }
  }

  async function work(): Promise<void> {
    if (working) return;
    working = true;
    try {
      for (let n = queue[0]; n && !stopped.signal.aborted; n = queue[0]) {
        await deliver(n);
        queue.shift();
      }
    } finally {
      working = false;
    }
  }

  return {
    send(n) {
      if (stopped.signal.aborted) return;
      queue.push(n);
      if (queue.length > limit) {
        // The one being delivered (index 0) stays; the oldest waiting one goes.
        queue.splice(1, 1);
        dropped++;
        if (dropped === 1 || dropped % 1000 === 0) o.logger.warn({ webhook: where, dropped }, 'audit webhook queue full: oldest notifications dropped');
      }
      void work();
    },
    get pending() { return queue.length; },
    get dropped() { return dropped; },
    stop() { stopped.abort(); },
  };
}
