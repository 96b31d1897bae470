// `gatehouse audit`: MFA and credential compliance of an IAM account through the public IAM API (Gatehouse, real
// AWS or moto_server), with a risk score, in table, json, junit or sarif format, and an exit code for CI gates.
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { CHECK_IDS, runChecks } from '../audit/checks.js';
import { collect, errorText, makeClients } from '../audit/collect.js';
import { buildReport, failuresAtOrAbove, formatJson, formatJunit, formatSarif, formatTable } from '../audit/report.js';
import { SEVERITIES } from '../audit/types.js';
import type { Severity } from '../audit/types.js';

export const EXIT = { ok: 0, findings: 1, usage: 2, failed: 3 } as const;
const FORMATS = ['table', 'json', 'junit', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
export const DEFAULT_FAIL_ON: Severity = 'high';

export const AUDIT_HELP = `Usage: gatehouse audit [options]

Audits MFA and credentials of an IAM account through the public IAM API: Gatehouse, a real AWS account or
moto_server. Credentials come from the AWS SDK's standard chain (environment, --profile, shared config).

Options:
  --endpoint-url URL      the IAM endpoint (default: real AWS)
  --profile NAME          a profile from ~/.aws/config and ~/.aws/credentials
  --region REGION         signing region (default: AWS_REGION, else us-east-1)
  --format FORMAT         table (default), json, junit, sarif
  --output FILE           write the report to FILE instead of stdout
  --fail-on LEVEL         exit 1 if any finding FAILs at LEVEL or above: critical, high, medium, low, none
                          (default ${DEFAULT_FAIL_ON})
  --checks ID,ID          run only these checks (default: all)
  --no-simulate           skip SimulatePrincipalPolicy (the iam-user-mfa-enforced check then reports ERROR)
  --concurrency N         per-user calls in flight (default 8)
  --all                   table: list passing findings too
  -h, --help              this text

Checks: ${CHECK_IDS.join(', ')}.

Exit codes: 0 no FAIL at or above --fail-on; 1 at least one; 2 usage error; 3 the audit could not run
(endpoint unreachable, no credentials, ListUsers denied). ERROR and NOT_APPLICABLE findings never change the
exit code. See docs/audit.md.
`;

const has = (list: readonly string[], v: string): boolean => list.includes(v);
const isFormat = (v: string): v is Format => has(FORMATS, v);
const isLevel = (v: string): v is Severity | 'none' => v === 'none' || has(SEVERITIES, v);

export async function audit(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        'endpoint-url': { type: 'string' }, profile: { type: 'string' }, region: { type: 'string' },
        format: { type: 'string', default: 'table' }, output: { type: 'string' }, 'fail-on': { type: 'string', default: DEFAULT_FAIL_ON },
        checks: { type: 'string' }, 'no-simulate': { type: 'boolean', default: false }, concurrency: { type: 'string', default: '8' },
        all: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }));
  } catch (e) {
    process.stderr.write(`gatehouse audit: ${errorText(e)}\n\n${AUDIT_HELP}`);
    return EXIT.usage;
  }
  if (values.help) { process.stdout.write(AUDIT_HELP); return EXIT.ok; }
  const usage = (msg: string): number => { process.stderr.write(`gatehouse audit: ${msg}\n`); return EXIT.usage; };
  const format = values.format;
  if (!isFormat(format)) return usage(`--format must be one of ${FORMATS.join(', ')}`);
  const failOn = values['fail-on'];
  if (!isLevel(failOn)) return usage('--fail-on must be one of critical, high, medium, low, none');
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) return usage('--concurrency must be an integer from 1 to 64');
  let only: Set<string> | undefined;
  if (values.checks !== undefined) {
    only = new Set(values.checks.split(',').map((s) => s.trim()).filter(Boolean));
    const unknown = [...only].filter((c) => !has(CHECK_IDS, c));
    if (unknown.length) return usage(`unknown check ${unknown.join(', ')} (known: ${CHECK_IDS.join(', ')})`);
  }

  const tty = process.stderr.isTTY === true;
  const progress = tty ? (line: string): void => { process.stderr.write(`\r\u001b[K${line}`); } : undefined;
  const clients = makeClients({
    endpoint: values['endpoint-url'], profile: values.profile,
    region: values.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
  });
  let report;
  try {
    const simulate = !values['no-simulate'] && (!only || only.has('iam-user-mfa-enforced'));
    const snapshot = await collect(clients, { concurrency, simulate, ...(progress ? { onProgress: progress } : {}) });
    report = buildReport(snapshot, runChecks(snapshot, only));
  } catch (e) {
    if (tty) process.stderr.write('\r\u001b[K');
    process.stderr.write(`gatehouse audit: could not audit ${clients.endpoint}: ${errorText(e)}\n`);
    return EXIT.failed;
  } finally {
    clients.iam.destroy();
    clients.sts.destroy();
  }
  if (tty) process.stderr.write('\r\u001b[K');
  const text = format === 'json' ? formatJson(report) : format === 'junit' ? formatJunit(report)
    : format === 'sarif' ? formatSarif(report) : formatTable(report, { all: values.all });
  if (values.output) writeFileSync(values.output, text); else process.stdout.write(text);
  const failing = failuresAtOrAbove(report.findings, failOn);
  if (failing.length && format !== 'table') {
    process.stderr.write(`gatehouse audit: ${failing.length} finding(s) FAIL at ${failOn} or above (score ${report.score.value ?? 'n/a'})\n`);
  }
  return failing.length ? EXIT.findings : EXIT.ok;
}
