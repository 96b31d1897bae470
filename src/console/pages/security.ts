// The console's Security page (/console/security): the latest result of the server's continuous audit (the same
// checks as `gatehouse audit`): the score and its history, each finding that does not pass with when it started
// failing and where it is fixed, the recent PASS→FAIL / FAIL→PASS events, and the per-check breakdown.
// Reading it is authorised as iam:GetCredentialReport (the data is the credential report's, checked), "Run now"
// as iam:GenerateCredentialReport (it generates one): docs/audit.md "The Security page".
import { html } from '../html.js';
import type { SafeHtml } from '../html.js';
import { page } from '../pages.js';
import type { Layout } from '../pages.js';
import { CHECKS } from '../../audit/checks.js';
import type { CheckId } from '../../audit/checks.js';
import type { AuditStore, AuditEventRecord } from '../../store/audit-store.js';

export interface SecurityFinding {
  readonly check: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  readonly resource: string;
  readonly reason: string;
  readonly remedy: string;
  /** When the current failure began (FAIL), else since when the status holds. */
  readonly since: string;
  readonly fix: { readonly href: string; readonly label: string } | null;
}

export interface CheckRow { readonly check: string; readonly severity: string; readonly pass: number; readonly fail: number; readonly score: number | null }

export interface SecurityView {
  readonly monitoring: boolean;
  readonly latest: {
    readonly finishedAt: string; readonly trigger: string; readonly score: number | null;
    readonly passed: number; readonly failed: number; readonly notApplicable: number; readonly errored: number;
  } | null;
  /** Oldest first. */
  readonly history: readonly { readonly at: string; readonly score: number | null }[];
  readonly findings: readonly SecurityFinding[];
  /** Findings that do not pass but are not listed (past the page's limit). */
  readonly more: number;
  readonly passing: number;
  readonly checks: readonly CheckRow[];
  readonly events: readonly AuditEventRecord[];
}

/** Who looks at the page: root, or an IAM user by ARN (their own findings link to their Security credentials). */
export interface Viewer { readonly kind: 'root' | 'user' | 'assumed-role'; readonly arn: string }

const isCheck = (id: string): id is CheckId => Object.hasOwn(CHECKS, id);
const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Where a finding is fixed in this console, when it is: one's own Security credentials page. */
export function fixLink(check: string, resource: string, viewer: Viewer): SecurityFinding['fix'] {
  const def = isCheck(check) ? CHECKS[check] : undefined;
  if (!def) return null;
  if (def.scope === 'root') {
    return viewer.kind === 'root' ? { href: '/console/security-credentials', label: 'Security credentials' } : null;
  }
  if (viewer.arn === resource && check !== 'iam-user-mfa-enforced') return { href: '/console/security-credentials', label: 'Your security credentials' };
  // Another IAM user's finding: the administrator's page of that user (src/console/pages/users.ts), whose own
  // authorisation decides what the viewer may change there.
  const user = /^arn:aws:iam::\d{12}:user\/(?:[^/]*\/)*([^/]+)$/.exec(resource)?.[1];
  if (user) return { href: `/console/users/view?name=${encodeURIComponent(user)}`, label: `User ${user}` };
  return null;
}

/** A page lists this many findings at most (a large account's full list is `gatehouse audit --format json`). */
export const MAX_LISTED = 500;

export async function loadSecurityView(store: AuditStore, accountId: string, viewer: Viewer, monitoring: boolean): Promise<SecurityView> {
  const [runs, rows, counts, events] = await Promise.all([
    store.runs(accountId, 48), store.findings(accountId, { notPassing: true, limit: MAX_LISTED }), store.statusCounts(accountId), store.events(accountId, 20),
  ]);
  const latest = runs[0];
  const findings: SecurityFinding[] = [];
  const passing = counts['PASS'] ?? 0;
  const notPassing = Object.entries(counts).reduce((n, [status, c]) => (status === 'PASS' ? n : n + c), 0);
  for (const r of rows) {
    const f = typeof r.finding === 'object' && r.finding !== null ? r.finding as Record<string, unknown> : {}; // stored by the monitor: a Finding
    const def = isCheck(r.checkId) ? CHECKS[r.checkId] : undefined;
    findings.push({
      check: r.checkId, title: def?.title ?? r.checkId, severity: r.severity, status: r.status, resource: r.resource,
      reason: text(f['reason']), remedy: text(f['remedy'], def?.remedy ?? ''), since: r.status === 'FAIL' ? r.failingSince ?? r.statusSince : r.statusSince,
      fix: r.status === 'FAIL' ? fixLink(r.checkId, r.resource, viewer) : null,
    });
  }
  const checks: CheckRow[] = Array.isArray(latest?.checks)
    ? latest.checks.filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null).map((c) => ({
      check: text(c['check']), severity: text(c['severity']), pass: num(c['pass']), fail: num(c['fail']),
      score: typeof c['score'] === 'number' ? c['score'] : null,
    }))
    : [];
  return {
    monitoring,
    latest: latest ? { finishedAt: latest.finishedAt, trigger: latest.trigger, score: latest.score, passed: latest.passed, failed: latest.failed, notApplicable: latest.notApplicable, errored: latest.errored } : null,
    history: runs.map((r) => ({ at: r.finishedAt, score: r.score })).reverse(),
    findings, more: Math.max(0, notPassing - findings.length), passing, checks, events,
  };
}

const when = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');

/** The score over the stored runs as an inline SVG line (no script, no style: the console's CSP allows it). */
function sparkline(history: SecurityView['history']): SafeHtml {
  const points = history.filter((h): h is { at: string; score: number } => h.score !== null);
  if (points.length < 2) return html``;
  const w = 600;
  const h = 80;
  const step = w / (points.length - 1);
  const coords = points.map((p, i) => `${Math.round(i * step)},${Math.round(h - (p.score / 100) * h)}`).join(' ');
  return html`<svg id="score-history-chart" role="img" aria-label="Score over the last ${points.length} runs, from ${points[0]?.score ?? 0} to ${points[points.length - 1]?.score ?? 0}" viewBox="-4 -4 ${w + 8} ${h + 8}" width="100%" height="${h + 8}">
<polyline fill="none" stroke="#0972d3" stroke-width="2" points="${coords}"></polyline></svg>`;
}

export function securityPage(o: { who: NonNullable<Layout['who']>; csrf: string; notice?: string | undefined; view: SecurityView; canRun: boolean }): SafeHtml {
  const v = o.view;
  const l = v.latest;
  return page({ title: 'Security', who: o.who, notice: o.notice }, html`
${v.monitoring ? '' : html`<div class="error" role="status" id="monitoring-off">Continuous monitoring is off on this server (<code>--audit-interval off</code>): the results below are the last stored, if any.</div>`}
${l ? html`<p id="score-line">Score <strong id="score">${l.score === null ? 'n/a' : `${l.score} / 100`}</strong>: ${l.failed} failing, ${l.passed} passing, ${l.errored} errors, ${l.notApplicable} not applicable.
Last audit ${when(l.finishedAt)} (${l.trigger}).</p>` : html`<p id="no-run">No audit has run yet. The server audits on its schedule and soon after each change.</p>`}
${o.canRun ? html`<form method="post" action="/console/security/run"><input type="hidden" name="csrf" value="${o.csrf}"><button type="submit" class="secondary">Run the audit now</button></form>` : ''}
<h2>Findings</h2>
${v.findings.length === 0 ? html`<p id="no-findings">${l ? 'Every finding passes.' : 'None yet.'}</p>` : html`<table id="findings"><thead><tr><th scope="col">Status</th><th scope="col">Check</th><th scope="col">Resource</th><th scope="col">Since</th><th scope="col">Fix</th></tr></thead><tbody>
${v.findings.map((f) => html`<tr data-check="${f.check}" data-status="${f.status}"><td>${f.status}<br><span class="hint">${f.severity}</span></td>
<td><strong>${f.title}</strong><br><code>${f.check}</code><br>${f.reason}</td><td><code>${f.resource}</code></td><td>${when(f.since)}</td>
<td>${f.fix ? html`<a href="${f.fix.href}">${f.fix.label}</a><br>` : ''}<span class="hint">${f.remedy}</span></td></tr>`)}
</tbody></table>`}
${v.more ? html`<p id="more-findings">${v.more} more not listed here: <code>gatehouse audit --format json</code> lists them all.</p>` : ''}
${v.passing ? html`<p class="hint">${v.passing} finding${v.passing === 1 ? '' : 's'} pass.</p>` : ''}
<h2>Recent changes</h2>
${v.events.length === 0 ? html`<p id="no-events">No finding has changed yet.</p>` : html`<table id="events"><thead><tr><th scope="col">When</th><th scope="col">Change</th><th scope="col">Check</th><th scope="col">Resource</th></tr></thead><tbody>
${v.events.map((e) => html`<tr><td>${when(e.at)}</td><td>${e.kind === 'resolved' ? 'Resolved' : 'Started failing'} (${e.oldStatus ?? 'new'} → ${e.newStatus ?? 'gone'})</td><td><code>${e.checkId}</code></td><td><code>${e.resource}</code></td></tr>`)}
</tbody></table>`}
<h2>Score history</h2>
${sparkline(v.history)}
${v.history.length === 0 ? html`<p>No runs yet.</p>` : html`<table id="score-history"><thead><tr><th scope="col">Audit</th><th scope="col">Score</th></tr></thead><tbody>
${[...v.history].reverse().slice(0, 12).map((h) => html`<tr><td>${when(h.at)}</td><td>${h.score ?? 'n/a'}</td></tr>`)}
</tbody></table>`}
<h2>By check</h2>
${v.checks.length === 0 ? '' : html`<table id="checks"><thead><tr><th scope="col">Check</th><th scope="col">Severity</th><th scope="col">Pass</th><th scope="col">Fail</th><th scope="col">Score</th></tr></thead><tbody>
${v.checks.map((c) => html`<tr><td><code>${c.check}</code></td><td>${c.severity}</td><td>${c.pass}</td><td>${c.fail}</td><td>${c.score ?? '–'}</td></tr>`)}
</tbody></table>`}
<p class="hint">The checks, their AWS Config and CIS counterparts and the score's formula: docs/audit.md.</p>`);
}
