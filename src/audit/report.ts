// The audit's result as one document (the `json` format, described by audit-report.schema.json), and the other
// formats derived from it: a table for a terminal, JUnit XML for CI test views, SARIF 2.1.0 for code scanning.
import { CHECKS, CHECK_IDS } from './checks.js';
import type { CheckId } from './checks.js';
import { score } from './score.js';
import type { Score } from './score.js';
import { isUnavailable, SEVERITIES } from './types.js';
import type { AccountSnapshot, CheckDefinition, Finding, Severity } from './types.js';

export const SCHEMA_VERSION = 1;
export const TOOL = { name: 'gatehouse-audit', version: '0.1.0', informationUri: 'https://github.com/gatehouse/gatehouse/blob/main/docs/audit.md' } as const;

export interface AuditReport {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  readonly account: string;
  readonly endpoint: string;
  readonly generatedAt: string;
  readonly credentialReport: { readonly generatedAt: string | null; readonly ageSeconds: number | null } | { readonly error: string };
  readonly score: Score;
  readonly findings: readonly Finding[];
}

export function buildReport(s: AccountSnapshot, findings: readonly Finding[]): AuditReport {
  const cr = s.credentialReport;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL.name, version: TOOL.version },
    account: s.accountId,
    endpoint: s.endpoint,
    generatedAt: s.collectedAt.toISOString(),
    credentialReport: isUnavailable(cr) ? { error: cr.error } : {
      generatedAt: cr.generatedTime?.toISOString() ?? null,
      ageSeconds: cr.generatedTime ? Math.round((s.collectedAt.getTime() - cr.generatedTime.getTime()) / 1000) : null,
    },
    score: score(findings),
    findings,
  };
}

/** The FAIL findings at or above a severity (`--fail-on`); none for `none`. */
export function failuresAtOrAbove(findings: readonly Finding[], threshold: Severity | 'none'): Finding[] {
  if (threshold === 'none') return [];
  const rank = (s: Severity): number => SEVERITIES.indexOf(s);
  return findings.filter((f) => f.status === 'FAIL' && rank(f.severity) <= rank(threshold));
}

const age = (sec: number): string => (sec < 7200 ? `${Math.round(sec / 60)} min` : sec < 172_800 ? `${Math.round(sec / 3600)} h` : `${Math.round(sec / 86_400)} days`);
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export function formatTable(r: AuditReport, o: { all?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`Account ${r.account} at ${r.endpoint}, ${r.generatedAt}`);
  const cr = r.credentialReport;
  lines.push('error' in cr ? `Credential report: unavailable (${cr.error})`
    : `Credential report: generated ${cr.generatedAt ?? 'at an unknown time'}${cr.ageSeconds !== null ? ` (${age(cr.ageSeconds)} old${cr.ageSeconds > 4 * 3600 ? '; older than 4 hours: last-used dates may be stale' : ''})` : ''}`);
  lines.push(`Score: ${r.score.value === null ? 'n/a' : `${r.score.value} / 100`}`, '');
  lines.push(`${pad('CHECK', 36)} ${pad('SEVERITY', 9)} ${pad('PASS', 5)} ${pad('FAIL', 5)} ${pad('N/A', 5)} ${pad('ERROR', 6)} SCORE`);
  for (const c of r.score.checks) {
    lines.push(`${pad(c.check, 36)} ${pad(c.severity, 9)} ${pad(String(c.pass), 5)} ${pad(String(c.fail), 5)} ${pad(String(c.notApplicable), 5)} ${pad(String(c.error), 6)} ${c.score ?? '-'}`);
  }
  const shown = r.findings.filter((f) => o.all || f.status !== 'PASS');
  lines.push('', o.all ? 'Findings:' : `Findings (${shown.length} not passing; --all shows every finding):`);
  for (const f of shown) {
    lines.push(`${pad(f.status, 14)} ${pad(f.severity, 8)} ${f.check}  ${f.resource}`, `    ${f.reason}`);
    if (f.status === 'FAIL') lines.push(`    fix: ${f.remedy}`);
  }
  return `${lines.join('\n')}\n`;
}

export const formatJson = (r: AuditReport): string => `${JSON.stringify(r, null, 2)}\n`;

const xml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
  // XML 1.0 forbids most control characters, even escaped
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''); // eslint-disable-line no-control-regex

/** JUnit XML: a test suite per check, a test case per finding; FAIL = failure, ERROR = error, N/A = skipped. */
export function formatJunit(r: AuditReport): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const count = (st: Finding['status']): number => r.findings.filter((f) => f.status === st).length;
  out.push(`<testsuites name="gatehouse audit ${xml(r.account)}" tests="${r.findings.length}" failures="${count('FAIL')}" errors="${count('ERROR')}" skipped="${count('NOT_APPLICABLE')}" timestamp="${r.generatedAt}">`);
  for (const id of CHECK_IDS) {
    const mine = r.findings.filter((f) => f.check === id);
    if (mine.length === 0) continue;
    const n = (st: Finding['status']): number => mine.filter((f) => f.status === st).length;
    out.push(`  <testsuite name="${id}" tests="${mine.length}" failures="${n('FAIL')}" errors="${n('ERROR')}" skipped="${n('NOT_APPLICABLE')}" timestamp="${r.generatedAt}">`);
    for (const f of mine) {
      out.push(`    <testcase classname="${id}" name="${xml(f.resource)}">`);
      if (f.status === 'FAIL') out.push(`      <failure type="${f.severity}" message="${xml(f.reason)}">${xml(`${f.reason}\nSeverity: ${f.severity}\nRemedy: ${f.remedy}`)}</failure>`);
      else if (f.status === 'ERROR') out.push(`      <error type="ERROR" message="${xml(f.reason)}">${xml(f.reason)}</error>`);
      else if (f.status === 'NOT_APPLICABLE') out.push(`      <skipped message="${xml(f.reason)}"/>`);
      else out.push(`      <system-out>${xml(f.reason)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

const SARIF_LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
/** GitHub code scanning's numeric severity (critical ≥ 9, high ≥ 7, medium ≥ 4). */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

/** SARIF 2.1.0: one rule per check; one result per PASS, FAIL or NOT_APPLICABLE finding; ERRORs as notifications. */
export function formatSarif(r: AuditReport): string {
  const rules = CHECK_IDS.map((id: CheckId) => {
    const d: CheckDefinition = CHECKS[id];
    const refs = [d.awsConfig && `AWS Config ${d.awsConfig}`, d.cis && `CIS AWS Foundations ${d.cis}`, d.securityHub && `Security Hub ${d.securityHub}`].filter(Boolean).join('; ');
    return {
      id, name: id, shortDescription: { text: d.title }, fullDescription: { text: refs ? `${d.title} (${refs})` : d.title },
      help: { text: d.remedy }, defaultConfiguration: { level: SARIF_LEVEL[d.severity] },
      properties: { tags: ['security', 'iam', 'mfa'], 'security-severity': SECURITY_SEVERITY[d.severity], severity: d.severity },
    };
  });
  const results = r.findings.filter((f) => f.status !== 'ERROR').map((f) => ({
    ruleId: f.check,
    ruleIndex: CHECK_IDS.indexOf(f.check as CheckId), // every finding's check is a CheckId (score() checks it)
    kind: f.status === 'FAIL' ? 'fail' : f.status === 'PASS' ? 'pass' : 'notApplicable',
    level: f.status === 'FAIL' ? SARIF_LEVEL[f.severity] : 'none',
    message: { text: f.reason },
    locations: [{ logicalLocations: [{ fullyQualifiedName: f.resource, kind: 'resource' }] }],
    partialFingerprints: { 'gatehouseAudit/v1': `${f.check}|${f.resource}` },
    properties: { severity: f.severity, remedy: f.remedy },
  }));
  const notifications = r.findings.filter((f) => f.status === 'ERROR').map((f) => ({
    level: 'error', message: { text: `${f.check} ${f.resource}: ${f.reason}` }, descriptor: { id: f.check },
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: TOOL.name, version: TOOL.version, informationUri: TOOL.informationUri, rules } },
      automationDetails: { id: `gatehouse-audit/${r.account}/` },
      invocations: [{ executionSuccessful: true, startTimeUtc: r.generatedAt, toolExecutionNotifications: notifications }],
      results,
      properties: { account: r.account, endpoint: r.endpoint, score: r.score.value },
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
