// Wires the continuous audit into the server: the in-process audit credential and transport (./self-audit.ts),
// the monitor (src/audit/monitor.ts) with its store and webhook, and the hook that tells it about changes.
// `--audit-interval off` leaves only the store (the console's Security page then shows that monitoring is off).
import { AUDIT_RELEVANT_ACTIONS, DEFAULT_DEBOUNCE, DEFAULT_INTERVAL, createAuditMonitor, parseDuration } from '../audit/monitor.js';
import type { AuditMonitor, MonitorLogger } from '../audit/monitor.js';
import { collect } from '../audit/collect.js';
import { createWebhookNotifier, parseWebhookUrl } from '../audit/notify.js';
import { AuditStore } from '../store/audit-store.js';
import { createSelfAudit } from './self-audit.js';
import type { SelfAudit } from './self-audit.js';
import type { Db } from '../store/db.js';
import type { IamStore } from '../store/iam-store.js';
import type { ServerConfig } from '../iam/context.js';
import type { WireRequest, WireResponse } from '../aws/endpoint.js';

export interface MonitoringSettings {
  /** null: monitoring off. */
  readonly intervalMs: number | null;
  readonly debounceMs: number;
  readonly webhook: string | undefined;
}

/** The settings from the configuration; throws with the flag's name on a bad value (checked before the server starts). */
export function monitoringSettings(config: Pick<ServerConfig, 'auditInterval' | 'auditDebounce' | 'auditWebhook'>): MonitoringSettings {
  const intervalMs = parseDuration(config.auditInterval ?? DEFAULT_INTERVAL, '--audit-interval');
  const debounceMs = parseDuration(config.auditDebounce ?? DEFAULT_DEBOUNCE, '--audit-debounce') ?? 0;
  const webhook = config.auditWebhook || undefined;
  if (webhook) parseWebhookUrl(webhook);
  return { intervalMs, debounceMs, webhook };
}

export interface Monitoring {
  readonly selfAudit: SelfAudit;
  readonly auditStore: AuditStore;
  readonly monitor: AuditMonitor | null;
  /** The handlers, with those that can change a finding telling the monitor when they succeed. */
  watch<M extends object>(handlers: M): M;
  /** An operation succeeded (the console's calls): audit again soon if it can change a finding. */
  changed(action: string): void;
  /** Starts the schedule once the endpoint can serve the audit's calls. */
  start(handle: (req: WireRequest) => Promise<WireResponse>): void;
  stop(): Promise<void>;
}

export function createMonitoring(o: { db: Db; store: IamStore; accountId: string; config: ServerConfig; logger: MonitorLogger }): Monitoring {
  const settings = monitoringSettings(o.config);
  const selfAudit = createSelfAudit(o.accountId, () => o.store.getAccount(o.accountId));
  const auditStore = new AuditStore(o.db);
  let handle: ((req: WireRequest) => Promise<WireResponse>) | null = null;
  const monitor = settings.intervalMs === null ? null : createAuditMonitor({
    accountId: o.accountId, db: o.db, store: auditStore, logger: o.logger,
    intervalMs: settings.intervalMs, debounceMs: settings.debounceMs,
    notifier: settings.webhook ? createWebhookNotifier({ url: settings.webhook, logger: o.logger }) : null,
    async collect() {
      if (!handle) throw new Error('the endpoint is not ready');
      const clients = selfAudit.clients(handle);
      try {
        return await collect(clients, { concurrency: 4, simulate: true });
      } finally {
        clients.iam.destroy();
        clients.sts.destroy();
      }
    },
  });
  const changed = (action: string): void => { if (AUDIT_RELEVANT_ACTIONS.has(action)) monitor?.changed(action); };
  return {
    selfAudit, auditStore, monitor, changed,
    watch<M extends object>(handlers: M): M {
      if (!monitor) return handlers;
      const out: Record<string, unknown> = {};
      for (const [name, h] of Object.entries(handlers)) {
        out[name] = h;
        if (!AUDIT_RELEVANT_ACTIONS.has(name) || typeof h !== 'function') continue;
        const fn = h as (...args: unknown[]) => Promise<unknown>; // a handler: (ctx, input, request) => Promise<output>
        out[name] = async (...args: unknown[]): Promise<unknown> => {
          const result = await fn(...args);
          changed(name);
          return result;
        };
      }
      return out as M; // the same map: each wrapped handler keeps its handler's parameters and result
    },
    start(h) {
      handle = h;
      monitor?.start();
    },
    async stop() { await monitor?.stop(); },
  };
}
