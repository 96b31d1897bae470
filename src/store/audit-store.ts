// All SQL for the server's continuous audit (src/audit/monitor.ts): the per-account lease that keeps two nodes
// from running the same audit at once, the finished runs (the score's history), the latest finding per check and
// resource, and the PASS→FAIL / FAIL→PASS events. Tables: migration 110. The finding itself is stored as JSON and
// handed back parsed; its shape is the audit's (src/audit/types.ts), checked where it is read.
import { StoredValueError } from './entities.js';
import type { Db, Queryable, Tx } from './db.js';

/** The decisive statuses a transition is computed from. */
export type Decisive = 'PASS' | 'FAIL';

/** A stored finding's state: what the next run compares against. */
export interface AuditFindingState {
  readonly checkId: string;
  readonly resource: string;
  readonly status: string;
  readonly severity: string;
  /** The last PASS or FAIL seen (an ERROR keeps the one before it); null when never decided. */
  readonly lastDecisive: Decisive | null;
  readonly statusSince: string;
  /** When the current run of FAILs began; null when not failing. */
  readonly failingSince: string | null;
  readonly runId: string;
}
export interface AuditFindingRecord extends AuditFindingState {
  /** The finding as the audit produced it (parsed JSON). */
  readonly finding: unknown;
}

export interface AuditRunRecord {
  readonly runId: string;
  readonly accountId: string;
  readonly trigger: string;
  readonly node: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** 0–100 with one decimal, null when nothing was evaluated. */
  readonly score: number | null;
  readonly passed: number;
  readonly failed: number;
  readonly notApplicable: number;
  readonly errored: number;
  /** The per-check breakdown (parsed JSON). */
  readonly checks: unknown;
  /** The credential report's time and age, or its error (parsed JSON). */
  readonly credentialReport: unknown;
}

export interface AuditEventRecord {
  readonly eventId: string;
  readonly accountId: string;
  readonly at: string;
  readonly runId: string;
  /** failing (into FAIL) | resolved (out of FAIL) */
  readonly kind: string;
  readonly checkId: string;
  readonly severity: string;
  readonly resource: string;
  readonly oldStatus: string | null;
  readonly newStatus: string | null;
  readonly reason: string;
}

interface FindingRow {
  check_id: string; resource: string; status: string; severity: string; finding: string; last_decisive: string | null;
  status_since: string; failing_since: string | null; run_id: string;
}
interface RunRow {
  run_id: string; account_id: string; run_trigger: string; node: string; started_at: string; finished_at: string;
  score_tenths: number | string | null; passed: number | string; failed: number | string; not_applicable: number | string;
  errored: number | string; checks: string; credential_report: string;
}
interface EventRow {
  event_id: string; account_id: string; at: string; run_id: string; kind: string; check_id: string; severity: string;
  resource: string; old_status: string | null; new_status: string | null; reason: string;
}

function json(text: string, column: string): unknown {
  try {
    const v: unknown = JSON.parse(text);
    return v;
  } catch {
    throw new StoredValueError(column);
  }
}
function decisive(v: string | null): Decisive | null {
  if (v === null) return null;
  if (v === 'PASS' || v === 'FAIL') return v;
  throw new StoredValueError('audit_findings.last_decisive');
}
const state = (r: FindingRow): AuditFindingState => ({
  checkId: r.check_id, resource: r.resource, status: r.status, severity: r.severity, lastDecisive: decisive(r.last_decisive),
  statusSince: r.status_since, failingSince: r.failing_since, runId: r.run_id,
});
const run = (r: RunRow): AuditRunRecord => ({
  runId: r.run_id, accountId: r.account_id, trigger: r.run_trigger, node: r.node, startedAt: r.started_at, finishedAt: r.finished_at,
  score: r.score_tenths === null ? null : Number(r.score_tenths) / 10,
  passed: Number(r.passed), failed: Number(r.failed), notApplicable: Number(r.not_applicable), errored: Number(r.errored),
  checks: json(r.checks, 'audit_runs.checks'), credentialReport: json(r.credential_report, 'audit_runs.credential_report'),
});
const event = (r: EventRow): AuditEventRecord => ({
  eventId: r.event_id, accountId: r.account_id, at: r.at, runId: r.run_id, kind: r.kind, checkId: r.check_id, severity: r.severity,
  resource: r.resource, oldStatus: r.old_status, newStatus: r.new_status, reason: r.reason,
});

// Rows per multi-row INSERT: 10 parameters each, far below either driver's limit.
const BATCH = 200;

export class AuditStore {
  readonly db: Db;
  constructor(db: Db) { this.db = db; }

  /**
   * Takes the account's lease for holder until expiresAt, if it is free, expired, or already this holder's (a
   * renewal). One statement, atomic on both drivers: true when this holder now has it.
   */
  async acquireLease(accountId: string, holder: string, nowMs: number, expiresAtMs: number): Promise<boolean> {
    const r = await this.db.run(`INSERT INTO audit_leases (account_id, holder, expires_at) VALUES (?, ?, ?)
      ON CONFLICT (account_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
      WHERE audit_leases.expires_at < ? OR audit_leases.holder = excluded.holder`, [accountId, holder, expiresAtMs, nowMs]);
    return r.changes === 1;
  }

  async releaseLease(accountId: string, holder: string): Promise<void> {
    await this.db.run('UPDATE audit_leases SET expires_at = 0 WHERE account_id = ? AND holder = ?', [accountId, holder]);
  }

  /** Inside a transaction: whether holder still holds the lease (row-locked, so it cannot pass to another node meanwhile). */
  async holdsLease(tx: Tx, accountId: string, holder: string, nowMs: number): Promise<boolean> {
    const r = await tx.get<{ holder: string; expires_at: number | string }>(`SELECT holder, expires_at FROM audit_leases WHERE account_id = ?${tx.forUpdate}`, [accountId]);
    return r !== undefined && r.holder === holder && Number(r.expires_at) >= nowMs;
  }

  /** Asks every monitoring node to audit again: records the latest time asked (epoch ms). */
  async requestRun(accountId: string, atMs: number, reason: string): Promise<void> {
    await this.db.run(`INSERT INTO audit_requests (account_id, requested_at, reason) VALUES (?, ?, ?)
      ON CONFLICT (account_id) DO UPDATE SET reason = CASE WHEN excluded.requested_at > audit_requests.requested_at THEN excluded.reason ELSE audit_requests.reason END,
        requested_at = CASE WHEN excluded.requested_at > audit_requests.requested_at THEN excluded.requested_at ELSE audit_requests.requested_at END`,
    [accountId, atMs, reason]);
  }

  async requested(accountId: string): Promise<{ readonly atMs: number; readonly reason: string } | undefined> {
    const r = await this.db.get<{ requested_at: number | string; reason: string }>('SELECT requested_at, reason FROM audit_requests WHERE account_id = ?', [accountId]);
    return r && { atMs: Number(r.requested_at), reason: r.reason };
  }

  async findingStates(accountId: string, q: Queryable = this.db): Promise<AuditFindingState[]> {
    const rows = await q.all<FindingRow>(`SELECT check_id, resource, status, severity, '' AS finding, last_decisive, status_since, failing_since, run_id
      FROM audit_findings WHERE account_id = ?`, [accountId]);
    return rows.map(state);
  }

  /** The latest findings, all or only those that do not pass, at most limit (failures first, by severity order of the caller). */
  async findings(accountId: string, o: { notPassing?: boolean; limit?: number } = {}): Promise<AuditFindingRecord[]> {
    const rows = await this.db.all<FindingRow>(`SELECT check_id, resource, status, severity, finding, last_decisive, status_since, failing_since, run_id
      FROM audit_findings WHERE account_id = ?${o.notPassing ? " AND status <> 'PASS'" : ''}
      ORDER BY CASE status WHEN 'FAIL' THEN 0 WHEN 'ERROR' THEN 1 WHEN 'NOT_APPLICABLE' THEN 2 ELSE 3 END,
        CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, check_id, resource
      LIMIT ?`, [accountId, o.limit ?? 1_000_000]);
    return rows.map((r) => ({ ...state(r), finding: json(r.finding, 'audit_findings.finding') }));
  }

  /** How many of the latest findings have each status. */
  async statusCounts(accountId: string): Promise<Record<string, number>> {
    const rows = await this.db.all<{ status: string; n: number | string }>('SELECT status, COUNT(*) AS n FROM audit_findings WHERE account_id = ? GROUP BY status', [accountId]);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /** Replaces the account's latest findings with these (inside the run's transaction). */
  async replaceFindings(tx: Tx, accountId: string, findings: readonly (AuditFindingState & { readonly findingJson: string })[]): Promise<void> {
    await tx.run('DELETE FROM audit_findings WHERE account_id = ?', [accountId]);
    for (let i = 0; i < findings.length; i += BATCH) {
      const part = findings.slice(i, i + BATCH);
      await tx.run(`INSERT INTO audit_findings (account_id, check_id, resource, status, severity, finding, last_decisive, status_since, failing_since, run_id)
        VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      part.flatMap((f) => [accountId, f.checkId, f.resource, f.status, f.severity, f.findingJson, f.lastDecisive, f.statusSince, f.failingSince, f.runId]));
    }
  }

  async insertRun(tx: Tx, r: Omit<AuditRunRecord, 'checks' | 'credentialReport'> & { readonly checksJson: string; readonly credentialReportJson: string }): Promise<void> {
    await tx.run(`INSERT INTO audit_runs (run_id, account_id, run_trigger, node, started_at, finished_at, score_tenths, passed, failed, not_applicable, errored, checks, credential_report)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.runId, r.accountId, r.trigger, r.node, r.startedAt, r.finishedAt, r.score === null ? null : Math.round(r.score * 10),
      r.passed, r.failed, r.notApplicable, r.errored, r.checksJson, r.credentialReportJson]);
  }

  async insertEvents(tx: Tx, events: readonly AuditEventRecord[]): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH) {
      const part = events.slice(i, i + BATCH);
      await tx.run(`INSERT INTO audit_events (event_id, account_id, at, run_id, kind, check_id, severity, resource, old_status, new_status, reason)
        VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      part.flatMap((e) => [e.eventId, e.accountId, e.at, e.runId, e.kind, e.checkId, e.severity, e.resource, e.oldStatus, e.newStatus, e.reason]));
    }
  }

  /** Runs and events older than the cutoff go (the history's retention). */
  async prune(tx: Tx, accountId: string, beforeIso: string): Promise<void> {
    await tx.run('DELETE FROM audit_runs WHERE account_id = ? AND finished_at < ?', [accountId, beforeIso]);
    await tx.run('DELETE FROM audit_events WHERE account_id = ? AND at < ?', [accountId, beforeIso]);
  }

  async latestRun(accountId: string): Promise<AuditRunRecord | undefined> {
    const r = await this.db.get<RunRow>('SELECT * FROM audit_runs WHERE account_id = ? ORDER BY finished_at DESC, run_id DESC LIMIT 1', [accountId]);
    return r && run(r);
  }

  /** The newest runs first. */
  async runs(accountId: string, limit: number): Promise<AuditRunRecord[]> {
    const rows = await this.db.all<RunRow>('SELECT * FROM audit_runs WHERE account_id = ? ORDER BY finished_at DESC, run_id DESC LIMIT ?', [accountId, limit]);
    return rows.map(run);
  }

  /** The newest events first. */
  async events(accountId: string, limit: number): Promise<AuditEventRecord[]> {
    const rows = await this.db.all<EventRow>('SELECT * FROM audit_events WHERE account_id = ? ORDER BY at DESC, event_id DESC LIMIT ?', [accountId, limit]);
    return rows.map(event);
  }
}
