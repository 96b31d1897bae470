// `gatehouse mfa enforce`: create (if missing) AWS's documented "deny everything but enrolment without MFA" policy,
// attach it to a group and add users, against any IAM endpoint; --dry-run lists per user what would happen.
import { parseArgs } from 'node:util';
import { errorText, makeClients } from '../audit/collect.js';
import { apply, EnforceUsageError, formatPlan, plan } from '../audit/enforce.js';
import { DEFAULT_POLICY_NAME } from '../audit/enforcement-policy.js';

export const ENFORCE_HELP = `Usage: gatehouse mfa enforce --group NAME [--create-group] [--users U1,U2 | --all-console-users] [--dry-run]

Creates (if missing) the customer managed policy ${DEFAULT_POLICY_NAME} with AWS's documented document "Allows
MFA-authenticated IAM users to manage their own credentials" (deny everything except enrolling an MFA device
without MFA), attaches it to the group and adds the users. Works against any IAM endpoint.

Options:
  --group NAME            the group carrying the policy (required)
  --create-group          create the group if it does not exist
  --users U1,U2           these users
  --all-console-users     every user with a console password
  --policy-name NAME      the policy's name (default ${DEFAULT_POLICY_NAME})
  --dry-run               change nothing; list per user their devices, what they can do without MFA now and
                          after, and who would be locked out of everything but enrolment
  --format table|json     output (default table)
  --endpoint-url URL, --profile NAME, --region REGION   as for gatehouse audit
  -h, --help              this text

Exit codes: 0 done (or dry run listed); 1 a call failed; 2 usage error (missing group without --create-group,
unknown user).
`;

export async function mfaEnforce(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        group: { type: 'string' }, 'create-group': { type: 'boolean', default: false }, users: { type: 'string' },
        'all-console-users': { type: 'boolean', default: false }, 'policy-name': { type: 'string', default: DEFAULT_POLICY_NAME },
        'dry-run': { type: 'boolean', default: false }, format: { type: 'string', default: 'table' },
        'endpoint-url': { type: 'string' }, profile: { type: 'string' }, region: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }));
  } catch (e) {
    process.stderr.write(`gatehouse mfa enforce: ${errorText(e)}\n\n${ENFORCE_HELP}`);
    return 2;
  }
  if (values.help) { process.stdout.write(ENFORCE_HELP); return 0; }
  const usage = (m: string): number => { process.stderr.write(`gatehouse mfa enforce: ${m}\n`); return 2; };
  if (!values.group) return usage('--group is required');
  if (values.users !== undefined && values['all-console-users']) return usage('give --users or --all-console-users, not both');
  if (values.format !== 'table' && values.format !== 'json') return usage('--format must be table or json');
  const users = values.users?.split(',').map((s) => s.trim()).filter(Boolean);
  const clients = makeClients({
    endpoint: values['endpoint-url'], profile: values.profile,
    region: values.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
  });
  try {
    const p = await plan(clients, {
      group: values.group, createGroup: values['create-group'], allConsoleUsers: values['all-console-users'],
      policyName: values['policy-name'], concurrency: 8, ...(users ? { users } : {}),
    });
    const dryRun = values['dry-run'];
    const done = dryRun ? [] : await apply(clients, p);
    if (values.format === 'json') process.stdout.write(`${JSON.stringify({ dryRun, plan: p, done }, null, 2)}\n`);
    else {
      process.stdout.write(formatPlan(p, dryRun));
      if (!dryRun) process.stdout.write(done.length ? `\nDone:\n${done.map((d) => `  ${d}`).join('\n')}\n` : '\nNothing changed.\n');
    }
    return 0;
  } catch (e) {
    if (e instanceof EnforceUsageError) return usage(e.message);
    process.stderr.write(`gatehouse mfa enforce: ${errorText(e)}\n`);
    return 1;
  } finally {
    clients.iam.destroy();
    clients.sts.destroy();
  }
}
