// Prometheus metrics (prom-client), served on their own address (--metrics-address), never on the public port.
// Every label has a bounded set of values: service and action come from AWS's service models (anything else is
// "unknown"), status is the HTTP status, outcomes are the fixed sets of src/observe.ts. Nothing secret is a
// label or a value: no key ids, no user names, no ARNs.
//
// For the event recorder (src/events): reportEventBacklog(n) sets the number of events waiting to be written,
// countEventsLost(n) adds events that could not be stored. Both are safe to call before or without a metrics
// server: the metrics then only live in this process's registry.
import http from 'node:http';
import cluster from 'node:cluster';
import client from 'prom-client';
import { services } from '../aws/model.js';
import { subscribe } from '../observe.js';
import type { ServiceName } from '../aws/model.js';

/** The process's registry: prom-client's default one, so a cluster primary can aggregate its workers'. */
export const registry = client.register;

const requests = new client.Counter({
  name: 'gatehouse_requests_total',
  help: 'API and console requests, by service (iam, sts, console), action (the operation name) and HTTP status',
  labelNames: ['service', 'action', 'status'] as const,
});
const latency = new client.Histogram({
  name: 'gatehouse_request_duration_seconds',
  help: 'Time from the request received to the response written, by service and action',
  labelNames: ['service', 'action'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});
const mfaChecks = new client.Counter({
  name: 'gatehouse_mfa_checks_total',
  help: 'Second-factor code checks by outcome: ok, invalid, replay, locked (refused unchecked during a lock)',
  labelNames: ['outcome'] as const,
});
const mfaLocks = new client.Counter({ name: 'gatehouse_mfa_locks_total', help: 'Failed code checks that locked a principal\'s MFA codes' });
const mfaUnlocks = new client.Counter({ name: 'gatehouse_mfa_unlocks_total', help: 'MFA locks lifted by an administrator' });
const signIns = new client.Counter({
  name: 'gatehouse_console_sign_ins_total',
  help: 'Console sign-ins by outcome (success, failure) and whether MFA was used (yes, no)',
  labelNames: ['outcome', 'mfa'] as const,
});
const sessionsIssued = new client.Counter({
  name: 'gatehouse_sessions_issued_total',
  help: 'Temporary credentials issued, by source (GetSessionToken, AssumeRole, ConsoleSignIn)',
  labelNames: ['source'] as const,
});
const eventBacklog = new client.Gauge({ name: 'gatehouse_event_recording_backlog', help: 'Events waiting to be written to the event history' });
const eventsLost = new client.Counter({ name: 'gatehouse_events_lost_total', help: 'Events that could not be written to the event history' });

let defaultsStarted = false;
let unsubscribe: (() => void) | null = null;

/** Starts counting: process metrics and the domain's observations. Idempotent. */
export function enableMetrics(): void {
  if (!defaultsStarted) {
    client.collectDefaultMetrics({ register: registry });
    // A cluster worker answers its primary's requests for metrics: prom-client adds that listener when an
    // AggregatorRegistry is made (in the worker too), so the primary can serve the sum of all workers.
    if (cluster.isWorker) new client.AggregatorRegistry();
    defaultsStarted = true;
  }
  unsubscribe ??= subscribe((o) => {
    switch (o.kind) {
      case 'mfa-check': mfaChecks.inc({ outcome: o.outcome }); break;
      case 'mfa-lock': mfaLocks.inc(); break;
      case 'mfa-unlock': mfaUnlocks.inc(); break;
      case 'sign-in': signIns.inc({ outcome: o.outcome, mfa: o.mfa ? 'yes' : 'no' }); break;
      case 'session-issued': sessionsIssued.inc({ source: o.source }); break;
    }
  });
}

/** The service label: the model's service, else "console" for the console's pages, else "unknown". */
export type ServiceLabel = ServiceName | 'cloudtrail' | 'console' | 'unknown';

/** The action label: an operation of the service's model, else "unknown" (so callers cannot invent labels). */
export function actionLabel(service: ServiceLabel, action: string | undefined): string {
  if (action === undefined || service === 'unknown' || service === 'console') return 'unknown';
  if (service === 'cloudtrail') return action === 'LookupEvents' ? action : 'unknown'; // the one CloudTrail operation served
  return Object.hasOwn(services[service].operations, action) ? action : 'unknown';
}

/** Counts one request and its latency. */
export function countRequest(service: ServiceLabel, action: string | undefined, status: number, seconds: number): void {
  const a = actionLabel(service, action);
  requests.inc({ service, action: a, status: String(status) });
  latency.observe({ service, action: a }, seconds);
}

/** For src/events: the number of events recorded but not yet stored. */
export function reportEventBacklog(n: number): void {
  eventBacklog.set(n);
}

/** For src/events: events that could not be stored (the store was down, the backlog overflowed). */
export function countEventsLost(n = 1): void {
  eventsLost.inc(n);
}

/** The metrics text as Prometheus scrapes it. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** HOST:PORT (or [IPv6]:PORT) of --metrics-address, checked. */
export function parseMetricsAddress(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value.trim());
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port > 65535) throw new Error(`--metrics-address must be HOST:PORT (e.g. 127.0.0.1:9464), got '${value}'`);
  return { host: m[1] ?? m[2] ?? '', port };
}

/** A running metrics endpoint. */
export interface MetricsServer { readonly url: string; close(): Promise<void> }

/** Serves GET /metrics on its own address; every other path is 404. `text` defaults to this process's registry. */
export async function startMetricsServer(address: string, text: () => Promise<{ contentType: string; body: string }> = metricsText): Promise<MetricsServer> {
  const { host, port } = parseMetricsAddress(address);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: metrics are at /metrics\n');
      return;
    }
    text().then(({ contentType, body }) => {
      res.writeHead(200, { 'content-type': contentType });
      res.end(req.method === 'HEAD' ? undefined : body);
    }, () => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('metrics unavailable\n');
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) => fail(new Error(`cannot serve metrics on ${address}: ${e.code ?? e.message}`)));
    server.listen(port, host, ok);
  });
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('the metrics server is not on a TCP port'); // it listens on host:port
  return {
    url: `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/metrics`,
    close: () => new Promise<void>((ok) => { server.close(() => ok()); server.closeAllConnections(); }),
  };
}
