// Continuous monitoring: the server runs the same audit as `gatehouse audit` (collect → runChecks → score) against
// its own account on a schedule and soon after every change that can alter a result, stores each run, and turns
// each finding that starts or stops failing into an event and a webhook notification.
//
// - When: a run is *wanted since* a moment (the schedule's due time, or the latest change not yet audited). Any
//   run that started after that moment, on any node, satisfies it, so nodes sharing a database do not repeat one
//   another's work. Changes are debounced (a burst of calls gives one run, at most 10 debounce periods late).
// - Who: a lease row per account (audit_leases) lets one node run at a time; it is renewed while the run lasts,
//   and results are stored only if the lease is still this run's, so a node that stalled past its lease cannot
//   overwrite a newer run.
// - Never on a request's path: runs, storage and notifications happen on timers, after the request has answered.
import { hostname } from 'node:os';
import { randomBytes, randomUUID } from 'node:crypto';
import { CHECKS } from './checks.js';
import { runChecks } from './checks.js';
import { buildReport } from './report.js';
import { transitions } from './transitions.js';
import type { Transition } from './transitions.js';
import type { Notifier, FindingNotification } from './notify.js';
import type { AccountSnapshot } from './types.js';
import type { AuditStore, AuditEventRecord } from '../store/audit-store.js';
import type { Db } from '../store/db.js';

export const DEFAULT_INTERVAL = '1h';
export const DEFAULT_DEBOUNCE = '5s';
const RETENTION_DAYS = 90;

/** "1h", "30m", "45s", "500ms", or a number of seconds; "off" (or "0") is null: monitoring off. */
export function parseDuration(raw: string, flag: string): number | null {
  const v = raw.trim().toLowerCase();
  if (v === 'off' || v === '0') return null;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v);
  if (!m) throw new Error(`${flag} must be a duration such as 1h, 30m, 45s or 500ms (or off), got '${raw}'`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 's'] ?? 1000;
  const ms = Math.round(Number(m[1]) * unit);
  if (ms < 10 || ms > 30 * 86_400_000) throw new Error(`${flag} must be between 10ms and 30d, got '${raw}'`);
  return ms;
}

/**
 * The IAM operations whose success can change a finding: users, passwords, keys, MFA devices, policies and
 * group membership. Read-only calls and changes to roles (no check looks at roles) do not trigger a run.
 */
export const AUDIT_RELEVANT_ACTIONS: ReadonlySet<string> = new Set([
  'CreateUser', 'UpdateUser', 'DeleteUser',
  'CreateLoginProfile', 'UpdateLoginProfile', 'DeleteLoginProfile',
  'CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey',
  'EnableMFADevice', 'DeactivateMFADevice', 'DeleteVirtualMFADevice',
  'AddUserToGroup', 'RemoveUserFromGroup', 'DeleteGroup',
  'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy',
  'PutUserPolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'DeleteGroupPolicy',
  'CreatePolicyVersion', 'SetDefaultPolicyVersion', 'DeletePolicyVersion', 'DeletePolicy',
  'PutUserPermissionsBoundary', 'DeleteUserPermissionsBoundary',
]);

export interface MonitorLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MonitorOptions {
  readonly accountId: string;
  readonly db: Db;
  readonly store: AuditStore;
  /** Reads the account (the audit's collector, through the public IAM API). */
  readonly collect: () => Promise<AccountSnapshot>;
  readonly notifier?: Notifier | null | undefined;
  readonly logger: MonitorLogger;
  readonly intervalMs: number;
  readonly debounceMs: number;
  /** How long a node holds the lease without renewing it (default 5 minutes). */
  readonly leaseMs?: number | undefined;
}

export interface AuditMonitor {
  start(): void;
  /** An operation that can change a finding succeeded: audit again soon (debounced). */
  changed(action: string): void;
  /** Audit now (the console's "Run now"). */
  requestRun(): void;
  stop(): Promise<void>;
  readonly node: string;
}

export function createAuditMonitor(o: MonitorOptions): AuditMonitor {
  const node = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = o.leaseMs ?? 300_000;
  const retryMs = Math.max(250, Math.min(o.debounceMs, 5000));
  let stopped = false;
  // The latest moment a run is wanted for (a change, the schedule's due time, a request), and why; a run that
  // starts after it covers every need up to it. null when nothing is wanted.
  let wantedSince: number | null = null;
  let wantedFor = 'schedule';
  let firstChange: number | null = null;
  let busy: Promise<void> | null = null;
  let debounce: NodeJS.Timeout | null = null;
  let retry: NodeJS.Timeout | null = null;
  let tick: NodeJS.Timeout | null = null;
  let poll: NodeJS.Timeout | null = null;
  // Requests from other processes (audit_requests): how often they are looked for, and the latest one acted on.
  const pollMs = Math.max(1000, Math.min(10_000, 2 * o.debounceMs));
  let requestSeen = 0;

  const timer = (ms: number, fn: () => void): NodeJS.Timeout => {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return t;
  };
  const want = (since: number, why: string): void => {
    if (wantedSince === null || since >= wantedSince) { wantedSince = since; wantedFor = why; }
  };

  /** The schedule: due one interval after the latest run (on any node); checked again when that comes. */
  async function onTick(): Promise<void> {
    tick = null;
    if (stopped) return;
    let next = o.intervalMs;
    try {
      const latest = await o.store.latestRun(o.accountId);
      const due = latest ? Date.parse(latest.finishedAt) + o.intervalMs : 0;
      const now = Date.now();
      if (due <= now) want(due, latest ? 'schedule' : 'start');
      else next = due - now;
    } catch (e) {
      o.logger.warn({ err: messageOf(e) }, 'audit monitor: could not read the latest run');
      next = Math.min(o.intervalMs, 60_000);
    }
    // A little jitter so nodes started together do not all ask at once.
    if (!stopped) tick = timer(next + Math.random() * Math.min(5000, next / 20), () => void onTick());
    void attempt();
  }

  /** "Audit again" asked by another process (gatehouse root-access-key on the server host) or node. */
  async function onPoll(): Promise<void> {
    poll = null;
    if (stopped) return;
    try {
      const r = await o.store.requested(o.accountId);
      if (r && r.atMs > requestSeen) {
        requestSeen = r.atMs;
        const latest = await o.store.latestRun(o.accountId);
        if (!latest || Date.parse(latest.startedAt) < r.atMs) {
          want(r.atMs, r.reason);
          void attempt();
        }
      }
    } catch (e) {
      o.logger.warn({ err: messageOf(e) }, 'audit monitor: could not read audit requests');
    }
    if (!stopped) poll = timer(pollMs, () => void onPoll());
  }

  async function attempt(): Promise<void> {
    if (stopped || busy || wantedSince === null) return;
    const run = (async (): Promise<void> => {
      const since = wantedSince;
      const trigger = wantedFor;
      if (since === null) return;
      const holder = `${node}/${randomUUID()}`;
      let got = false;
      try {
        got = await o.store.acquireLease(o.accountId, holder, Date.now(), Date.now() + leaseMs);
        if (!got) { retry ??= timer(retryMs, () => { retry = null; void attempt(); }); return; }
        // Another node may have run since the need arose: its run covers it.
        const latest = await o.store.latestRun(o.accountId);
        if (latest && Date.parse(latest.startedAt) >= since && trigger !== 'manual') {
          if (wantedSince === since) wantedSince = null;
          return;
        }
        // From here on, a change needs another run: it may come after this run has read what it changed.
        wantedSince = null;
        firstChange = null;
        await runOnce(trigger, holder);
      } catch (e) {
        o.logger.error({ err: messageOf(e) }, 'audit monitor: the run failed; retrying later');
        want(since, trigger);
        retry ??= timer(Math.max(retryMs, 30_000), () => { retry = null; void attempt(); });
      } finally {
        if (got) await o.store.releaseLease(o.accountId, holder).catch(() => undefined);
      }
    })();
    busy = run;
    try { await run; } finally { busy = null; }
    if (wantedSince !== null && !stopped && !retry && !debounce) void attempt();
  }

  async function runOnce(trigger: string, holder: string): Promise<void> {
    const started = new Date();
    const renew = setInterval(() => {
      o.store.acquireLease(o.accountId, holder, Date.now(), Date.now() + leaseMs)
        .catch((e: unknown) => o.logger.warn({ err: messageOf(e) }, 'audit monitor: could not renew the lease'));
    }, Math.max(1000, leaseMs / 3));
    renew.unref();
    let snapshot: AccountSnapshot;
    try {
      snapshot = await o.collect();
    } finally {
      clearInterval(renew);
    }
    const findings = runChecks(snapshot);
    const report = buildReport(snapshot, findings);
    const finished = new Date();
    const at = finished.toISOString();
    const runId = randomUUID();
    const count = (s: string): number => findings.filter((f) => f.status === s).length;
    const stored = await o.db.tx(async (tx) => {
      if (!await o.store.holdsLease(tx, o.accountId, holder, Date.now())) return null;
      const previous = await o.store.findingStates(o.accountId, tx);
      const { states, events } = transitions(previous, findings, at);
      await o.store.replaceFindings(tx, o.accountId, states.map((s) => ({
        checkId: s.checkId, resource: s.resource, status: s.status, severity: s.severity, lastDecisive: s.lastDecisive,
        statusSince: s.statusSince, failingSince: s.failingSince, runId, findingJson: JSON.stringify(s.finding),
      })));
      await o.store.insertRun(tx, {
        runId, accountId: o.accountId, trigger, node, startedAt: started.toISOString(), finishedAt: at, score: report.score.value,
        passed: count('PASS'), failed: count('FAIL'), notApplicable: count('NOT_APPLICABLE'), errored: count('ERROR'),
        checksJson: JSON.stringify(report.score.checks), credentialReportJson: JSON.stringify(report.credentialReport),
      });
      const records = events.map((e) => record(e, runId, at));
      await o.store.insertEvents(tx, records);
      await o.store.prune(tx, o.accountId, new Date(finished.getTime() - RETENTION_DAYS * 86_400_000).toISOString());
      return records;
    });
    if (!stored) {
      o.logger.warn({ runId }, 'audit monitor: the lease passed to another node during the run; its results are discarded');
      return;
    }
    o.logger.info({ runId, trigger, score: report.score.value, failed: count('FAIL'), events: stored.length, ms: finished.getTime() - started.getTime() }, 'audit run finished');
    for (const r of stored) {
      o.logger.info({ check: r.checkId, resource: r.resource, severity: r.severity, oldStatus: r.oldStatus, newStatus: r.newStatus }, `audit finding ${r.kind}`);
      o.notifier?.send(notification(r, report.score.value));
    }
  }

  function record(e: Transition, runId: string, at: string): AuditEventRecord {
    return {
      eventId: randomUUID(), accountId: o.accountId, at, runId, kind: e.kind, checkId: e.checkId, severity: e.severity,
      resource: e.resource, oldStatus: e.oldStatus, newStatus: e.newStatus, reason: e.reason,
    };
  }

  function notification(r: AuditEventRecord, score: number | null): FindingNotification {
    const def = Object.hasOwn(CHECKS, r.checkId) ? CHECKS[r.checkId as keyof typeof CHECKS] : undefined; // checked by hasOwn
    return {
      type: 'gatehouse.audit.finding', version: 1, id: r.eventId, event: r.kind === 'resolved' ? 'resolved' : 'failing', time: r.at,
      account: r.accountId, check: r.checkId, title: def?.title ?? r.checkId, severity: r.severity, resource: r.resource,
      oldStatus: r.oldStatus, newStatus: r.newStatus, reason: r.reason, remedy: def?.remedy ?? '', runId: r.runId, score,
    };
  }

  return {
    node,
    start() {
      if (stopped || tick) return;
      tick = timer(0, () => void onTick());
      poll = timer(pollMs, () => void onPoll());
    },
    changed(action) {
      if (stopped) return;
      const now = Date.now();
      want(now, `change:${action}`);
      firstChange ??= now;
      if (debounce) clearTimeout(debounce);
      // Quiet for one debounce period, but never later than ten after the first change of a burst.
      const wait = Math.min(o.debounceMs, Math.max(0, firstChange + 10 * o.debounceMs - now));
      debounce = timer(wait, () => { debounce = null; void attempt(); });
    },
    requestRun() {
      if (stopped) return;
      want(Date.now(), 'manual');
      wantedFor = 'manual';
      void attempt();
    },
    async stop() {
      stopped = true;
      for (const t of [debounce, retry, tick, poll]) if (t) clearTimeout(t);
      o.notifier?.stop();
      // A run in progress ends on its own (its store calls fail once the database closes); wait a little for it.
      await Promise.race([busy?.catch(() => undefined), new Promise<void>((ok) => { timer(5000, ok); })]);
    },
  };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
