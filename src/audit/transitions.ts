// What changed between the stored findings and a new run: pure, so the rules are tested apart from storage.
// A finding's compliance is its last PASS or FAIL; an ERROR (the data could not be read) changes nothing, so a
// flaky read neither resolves a failure nor raises a new one. Events, as AWS Config's compliance-change
// notifications: `failing` when a finding becomes FAIL (from PASS, from NOT_APPLICABLE, or first seen failing),
// `resolved` when a FAIL becomes PASS or NOT_APPLICABLE, or its resource is gone (a deleted user).
import type { Finding, Severity, Status } from './types.js';

import type { AuditFindingState, Decisive } from '../store/audit-store.js';

export type { Decisive };

/** A stored finding as the next run compares against it (the store's state without the run that wrote it). */
export type PreviousState = Omit<AuditFindingState, 'runId'>;

export interface NextState {
  readonly checkId: string;
  readonly resource: string;
  readonly status: Status;
  readonly severity: Severity;
  readonly lastDecisive: Decisive | null;
  readonly statusSince: string;
  readonly failingSince: string | null;
  readonly finding: Finding;
}

export interface Transition {
  readonly kind: 'failing' | 'resolved';
  readonly checkId: string;
  readonly severity: string;
  readonly resource: string;
  /** The previous decisive status (or NOT_APPLICABLE); null when the finding is new. */
  readonly oldStatus: Status | null;
  /** The new status; null when the finding is gone (its resource was deleted). */
  readonly newStatus: Status | null;
  readonly reason: string;
}

export const findingKey = (checkId: string, resource: string): string => `${checkId}\u0000${resource}`;

export function transitions(previous: readonly PreviousState[], findings: readonly Finding[], at: string): { states: NextState[]; events: Transition[] } {
  const before = new Map(previous.map((p) => [findingKey(p.checkId, p.resource), p]));
  const states: NextState[] = [];
  const events: Transition[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    const key = findingKey(f.check, f.resource);
    if (seen.has(key)) continue; // one finding per check and resource; a duplicate would be a check's bug
    seen.add(key);
    const p = before.get(key);
    const was = p?.lastDecisive ?? null;
    let lastDecisive: Decisive | null = was;
    let failingSince = p?.failingSince ?? null;
    if (f.status === 'FAIL') {
      if (was !== 'FAIL') {
        events.push({ kind: 'failing', checkId: f.check, severity: f.severity, resource: f.resource, oldStatus: p ? oldOf(p) : null, newStatus: 'FAIL', reason: f.reason });
        failingSince = at;
      }
      lastDecisive = 'FAIL';
    } else if (f.status === 'PASS' || f.status === 'NOT_APPLICABLE') {
      if (was === 'FAIL') events.push({ kind: 'resolved', checkId: f.check, severity: f.severity, resource: f.resource, oldStatus: 'FAIL', newStatus: f.status, reason: f.reason });
      lastDecisive = f.status === 'PASS' ? 'PASS' : null;
      failingSince = null;
    }
    states.push({
      checkId: f.check, resource: f.resource, status: f.status, severity: f.severity, lastDecisive, failingSince,
      statusSince: p && p.status === f.status ? p.statusSince : at, finding: f,
    });
  }
  for (const p of previous) {
    if (seen.has(findingKey(p.checkId, p.resource)) || p.lastDecisive !== 'FAIL') continue;
    events.push({ kind: 'resolved', checkId: p.checkId, severity: p.severity, resource: p.resource, oldStatus: 'FAIL', newStatus: null, reason: 'the finding no longer applies: its resource or credential is gone' });
  }
  return { states, events };
}

/** The status a transition names as "old": the last decisive one, else what was stored (NOT_APPLICABLE, ERROR). */
function oldOf(p: PreviousState): Status | null {
  const s = p.lastDecisive ?? p.status;
  return s === 'PASS' || s === 'FAIL' || s === 'NOT_APPLICABLE' || s === 'ERROR' ? s : null;
}
