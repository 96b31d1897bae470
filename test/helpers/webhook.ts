// A loopback HTTP receiver for the audit monitor's webhook: records every POST's JSON body, can refuse the first N
// with a status (to see the retries), and waits for a notification with a bounded deadline (polling, no fixed sleep).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly body: Record<string, unknown>;
  readonly raw: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The status this receiver answered. */
  readonly answered: number;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: readonly Received[];
  /** The accepted (2xx) notifications matching pred. */
  accepted(pred: (b: Record<string, unknown>) => boolean): Received[];
  /** Waits until a notification matching pred was accepted; fails after timeoutMs with what did arrive. */
  waitFor(pred: (b: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(o: { refuseFirst?: number; refuseWith?: number } = {}): Promise<WebhookReceiver> {
  const received: Received[] = [];
  let refuse = o.refuseFirst ?? 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      // The monitor sends a JSON object; anything else is recorded as empty and the test fails on its content.
      try { body = JSON.parse(raw) as Record<string, unknown>; } catch { /* not JSON */ }
      const answered = refuse > 0 ? (refuse--, o.refuseWith ?? 503) : 204;
      received.push({ body, raw, headers: req.headers, answered });
      res.writeHead(answered);
      res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo; // a TCP listener's address
  const accepted = (pred: (b: Record<string, unknown>) => boolean): Received[] => received.filter((r) => r.answered < 300 && pred(r.body));
  return {
    url: `http://127.0.0.1:${port}/hooks/gatehouse`,
    received,
    accepted,
    async waitFor(pred, what, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
        const hit = accepted(pred)[0];
        if (hit) return hit;
        if (Date.now() > until) {
          throw new Error(`no webhook notification ${what} within ${timeoutMs / 1000} s; received: ${received.map((r) => `${String(r.body['event'])} ${String(r.body['check'])} ${String(r.body['resource'])} (${r.answered})`).join('; ') || 'nothing'}`);
        }
        await new Promise((ok) => setTimeout(ok, wait));
      }
    },
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
