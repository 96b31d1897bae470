// The checks: pure functions from a collected snapshot to findings. Each check has an id (AWS Config's identifier
// where AWS Config has the rule), a severity, a weight for the score and a remedy. A check that cannot run on this
// endpoint or this account answers NOT_APPLICABLE or ERROR with the reason; the others still run.
import { describeDevices, factorStrength, FACTOR_CREDIT, isHardwareBacked } from './devices.js';
import { adminGrants } from './policy.js';
import { isUnavailable } from './types.js';
import type { AccountSnapshot, CheckDefinition, CredentialReportRow, Finding, Maybe, MfaDevice, Status, UserSnapshot } from './types.js';

const DAY_MS = 86_400_000;
export const ACCESS_KEY_MAX_AGE_DAYS = 90;
export const CONSOLE_UNUSED_DAYS = 45;
export const ROOT_RECENT_USE_DAYS = 1;

const ROOT_WEIGHT = 1000;
const USER_WEIGHT = 100;
const ADMIN_WEIGHT = 300;

export const CHECKS = {
  'root-account-mfa-enabled': {
    id: 'root-account-mfa-enabled', title: 'The root user has MFA', severity: 'critical', scope: 'root', weight: ROOT_WEIGHT,
    awsConfig: 'root-account-mfa-enabled', cis: 'v3.0 1.5, v4.0.1 1.5', securityHub: 'IAM.9',
    remedy: 'Sign in as root, open Security credentials and assign an MFA device (a FIDO security key or passkey preferably).',
  },
  'root-account-hardware-mfa-enabled': {
    id: 'root-account-hardware-mfa-enabled', title: 'The root user has only hardware MFA (a FIDO key counts)', severity: 'high', scope: 'root', weight: ROOT_WEIGHT,
    awsConfig: 'root-account-hardware-mfa-enabled', cis: 'v3.0 1.6, v4.0.1 1.6', securityHub: 'IAM.6',
    remedy: 'Sign in as root, assign a FIDO security key or a hardware TOTP token, then remove every virtual MFA device from root.',
  },
  'iam-root-access-key-check': {
    id: 'iam-root-access-key-check', title: 'The root user has no access key', severity: 'critical', scope: 'root', weight: ROOT_WEIGHT,
    awsConfig: 'iam-root-access-key-check', cis: 'v3.0 1.4, v4.0.1 1.4', securityHub: 'IAM.4',
    remedy: 'Delete the root access keys (root Security credentials page; on Gatehouse `gatehouse root-access-key delete ID`); use IAM users or roles instead.',
  },
  'root-account-recent-use': {
    id: 'root-account-recent-use', title: 'The root user was not used in the last day', severity: 'high', scope: 'root', weight: ROOT_WEIGHT,
    cis: 'v3.0 1.7, v4.0.1 1.7 (avoid root use)',
    remedy: 'Stop using root for everyday tasks: create an IAM user or role with the permissions needed, and review what root did.',
  },
  'mfa-enabled-for-iam-console-access': {
    id: 'mfa-enabled-for-iam-console-access', title: 'IAM users with a console password have MFA', severity: 'high', scope: 'user', weight: USER_WEIGHT,
    awsConfig: 'mfa-enabled-for-iam-console-access', cis: 'v3.0 1.10, v4.0.1 1.10', securityHub: 'IAM.5',
    remedy: 'Assign an MFA device: `aws iam create-virtual-mfa-device` + `aws iam enable-mfa-device`, or the user\'s Security credentials page; or remove the console password (`aws iam delete-login-profile`).',
  },
  'iam-user-mfa-enabled': {
    id: 'iam-user-mfa-enabled', title: 'IAM users have MFA', severity: 'medium', scope: 'user', weight: USER_WEIGHT,
    awsConfig: 'iam-user-mfa-enabled', securityHub: 'IAM.19',
    remedy: 'Assign an MFA device to the user (`aws iam enable-mfa-device`), or roll out enforcement with `gatehouse mfa enforce`.',
  },
  'access-keys-rotated': {
    id: 'access-keys-rotated', title: `Active access keys are younger than ${ACCESS_KEY_MAX_AGE_DAYS} days`, severity: 'medium', scope: 'user', weight: USER_WEIGHT,
    awsConfig: 'access-keys-rotated', cis: 'v3.0 1.14, v4.0.1 1.14', securityHub: 'IAM.3',
    remedy: 'Rotate: `aws iam create-access-key`, switch the application to the new key, then `aws iam update-access-key --status Inactive` and `aws iam delete-access-key` on the old one.',
  },
  'iam-admin-mfa-enabled': {
    id: 'iam-admin-mfa-enabled', title: 'Administrators have MFA', severity: 'critical', scope: 'user', weight: ADMIN_WEIGHT,
    remedy: 'Assign an MFA device to the administrator now (a FIDO key preferably), and deny its actions without MFA (`gatehouse mfa enforce`).',
  },
  'iam-admin-hardware-mfa-enabled': {
    id: 'iam-admin-hardware-mfa-enabled', title: 'Administrators have a hardware or FIDO device, not only virtual MFA', severity: 'medium', scope: 'user', weight: ADMIN_WEIGHT,
    remedy: 'Give the administrator a FIDO security key (phishing-resistant) or a hardware TOTP token.',
  },
  'iam-user-console-access-unused': {
    id: 'iam-user-console-access-unused', title: `Console passwords were used in the last ${CONSOLE_UNUSED_DAYS} days`, severity: 'medium', scope: 'user', weight: USER_WEIGHT,
    cis: 'v3.0 1.12, v4.0.1 1.12', securityHub: 'IAM.22',
    remedy: 'Remove the unused console password: `aws iam delete-login-profile --user-name NAME`.',
  },
  'iam-user-mfa-enforced': {
    id: 'iam-user-mfa-enforced', title: 'MFA is enforced: no sensitive action is allowed without MFA', severity: 'high', scope: 'user', weight: USER_WEIGHT,
    remedy: 'Deny everything but enrolment without MFA: `gatehouse mfa enforce --group NAME --users USER` (AWS\'s documented policy), or add a Deny with `BoolIfExists aws:MultiFactorAuthPresent false` to the user\'s policies.',
  },
} as const satisfies Record<string, CheckDefinition>;

export type CheckId = keyof typeof CHECKS;
export const CHECK_IDS = Object.keys(CHECKS) as CheckId[]; // Object.keys loses the literal key type

function finding(id: CheckId, resource: string, status: Status, reason: string, extra: { credit?: number; details?: Finding['details'] } = {}): Finding {
  const def: CheckDefinition = CHECKS[id];
  return {
    check: id, status, severity: def.severity, resource, reason, remedy: def.remedy,
    credit: extra.credit ?? (status === 'PASS' ? 1 : 0),
    ...(extra.details ? { details: extra.details } : {}),
  };
}

const days = (ms: number): number => Math.floor(ms / DAY_MS);
const ago = (from: Date, now: Date): string => {
  const d = days(now.getTime() - from.getTime());
  return d === 0 ? 'today' : d === 1 ? '1 day ago' : `${d} days ago`;
};

export const rootArn = (s: AccountSnapshot): string => `arn:${s.partition}:iam::${s.accountId}:root`;

/**
 * Whether the root user has any credential. False only when the account summary says so for every kind
 * (AWS Organizations' centrally managed root access removes them all); unknown counts as yes.
 */
export function rootHasCredentials(summary: Readonly<Record<string, number>>): boolean {
  const keys = ['AccountPasswordPresent', 'AccountAccessKeysPresent', 'AccountMFAEnabled', 'AccountSigningCertificatesPresent'];
  if (summary['AccountPasswordPresent'] === undefined) return true;
  return keys.some((k) => (summary[k] ?? 0) > 0);
}

const NO_ROOT_CREDENTIALS = 'the root user has no credentials (no password, access key or MFA device: centrally managed root access)';

function rootSummary(s: AccountSnapshot, id: CheckId): { summary: Readonly<Record<string, number>> } | Finding {
  if (isUnavailable(s.summary)) return finding(id, rootArn(s), 'ERROR', `GetAccountSummary failed: ${s.summary.error}`);
  if (!rootHasCredentials(s.summary)) return finding(id, rootArn(s), 'NOT_APPLICABLE', NO_ROOT_CREDENTIALS);
  return { summary: s.summary };
}
const isFinding = (v: { summary: Readonly<Record<string, number>> } | Finding): v is Finding => 'check' in v;

export function checkRootMfa(s: AccountSnapshot): Finding[] {
  const r = rootSummary(s, 'root-account-mfa-enabled');
  if (isFinding(r)) return [r];
  const enabled = (r.summary['AccountMFAEnabled'] ?? 0) > 0;
  return [finding('root-account-mfa-enabled', rootArn(s), enabled ? 'PASS' : 'FAIL',
    enabled ? 'the root user has an MFA device (AccountMFAEnabled = 1)' : 'the root user has no MFA device (AccountMFAEnabled = 0)')];
}

export function checkRootHardwareMfa(s: AccountSnapshot): Finding[] {
  const id = 'root-account-hardware-mfa-enabled';
  const r = rootSummary(s, id);
  if (isFinding(r)) return [r];
  if ((r.summary['AccountMFAEnabled'] ?? 0) === 0) return [finding(id, rootArn(s), 'FAIL', 'the root user has no MFA device at all')];
  if (isUnavailable(s.virtualDevices)) return [finding(id, rootArn(s), 'ERROR', `ListVirtualMFADevices failed: ${s.virtualDevices.error}`)];
  // Root's virtual devices are those assigned to the root ARN exactly, whatever their name.
  const virtual = s.virtualDevices.filter((d) => d.userArn === rootArn(s)).map((d) => d.serialNumber);
  if (virtual.length > 0) {
    return [finding(id, rootArn(s), 'FAIL', `the root user can sign in with a virtual MFA device: ${virtual.join(', ')}`, { details: { virtualDevices: virtual } })];
  }
  return [finding(id, rootArn(s), 'PASS', 'the root user has MFA and no virtual device: only hardware TOTP or FIDO')];
}

export function checkRootAccessKey(s: AccountSnapshot): Finding[] {
  const id = 'iam-root-access-key-check';
  if (isUnavailable(s.summary)) return [finding(id, rootArn(s), 'ERROR', `GetAccountSummary failed: ${s.summary.error}`)];
  const present = s.summary['AccountAccessKeysPresent'];
  if (present === undefined) return [finding(id, rootArn(s), 'ERROR', 'GetAccountSummary has no AccountAccessKeysPresent')];
  return [finding(id, rootArn(s), present > 0 ? 'FAIL' : 'PASS',
    present > 0 ? 'the root user has an access key (AccountAccessKeysPresent = 1)' : 'the root user has no access key')];
}

/** A report timestamp, or null for N/A, no_information, not_supported and anything unparsable. */
export function reportDate(v: string | undefined): Date | null {
  if (!v || !/^\d{4}-\d\d-\d\d/.test(v)) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export const findRootRow = (rows: readonly CredentialReportRow[]): CredentialReportRow | undefined =>
  rows.find((r) => r['user'] === '<root_account>' || /^arn:[a-z-]+:iam::\d{12}:root$/.test(r['arn'] ?? ''));

function reportAge(s: AccountSnapshot): string {
  if (isUnavailable(s.credentialReport) || !s.credentialReport.generatedTime) return '';
  const mins = Math.round((s.collectedAt.getTime() - s.credentialReport.generatedTime.getTime()) / 60_000);
  return ` (credential report generated ${mins < 120 ? `${mins} min` : `${Math.round(mins / 60)} h`} ago)`;
}

export function checkRootRecentUse(s: AccountSnapshot): Finding[] {
  const id = 'root-account-recent-use';
  if (!isUnavailable(s.summary) && !rootHasCredentials(s.summary)) return [finding(id, rootArn(s), 'NOT_APPLICABLE', NO_ROOT_CREDENTIALS)];
  if (isUnavailable(s.credentialReport)) return [finding(id, rootArn(s), 'ERROR', `no credential report: ${s.credentialReport.error}`)];
  const row = findRootRow(s.credentialReport.rows);
  if (!row) return [finding(id, rootArn(s), 'NOT_APPLICABLE', 'the credential report has no root row (this endpoint does not report the root user)')];
  const uses = [['password', row['password_last_used']], ['access key 1', row['access_key_1_last_used_date']], ['access key 2', row['access_key_2_last_used_date']]] as const;
  const recent: string[] = [];
  let last: Date | null = null;
  for (const [what, v] of uses) {
    const d = reportDate(v);
    if (!d) continue;
    if (!last || d > last) last = d;
    if (s.collectedAt.getTime() - d.getTime() < ROOT_RECENT_USE_DAYS * DAY_MS) recent.push(`${what} at ${d.toISOString()}`);
  }
  if (recent.length > 0) return [finding(id, rootArn(s), 'FAIL', `the root user was used in the last day: ${recent.join(', ')}${reportAge(s)}`)];
  return [finding(id, rootArn(s), 'PASS', `${last ? `root last used ${ago(last, s.collectedAt)}` : 'root never used since tracking began'}${reportAge(s)}`)];
}

type PerUser = (u: UserSnapshot, s: AccountSnapshot) => Finding[];

function devicesOr(u: UserSnapshot, id: CheckId): readonly MfaDevice[] | Finding {
  return isUnavailable(u.mfaDevices) ? finding(id, u.arn, 'ERROR', `ListMFADevices failed: ${u.mfaDevices.error}`) : u.mfaDevices;
}
const isOneFinding = <T>(v: T | Finding): v is Finding => typeof v === 'object' && v !== null && 'check' in v && 'status' in v;

function mfaFinding(id: CheckId, u: UserSnapshot, devices: readonly MfaDevice[], subject: string): Finding {
  const strength = factorStrength(devices);
  const details = { factor: strength, devices: devices.map((d) => `${d.kind}:${d.serialNumber}`) };
  if (strength === 'none') return finding(id, u.arn, 'FAIL', `${subject} has no MFA device`, { details });
  return finding(id, u.arn, 'PASS', `${subject} has ${describeDevices(devices)}`, { credit: FACTOR_CREDIT[strength], details });
}

export const checkConsoleMfa: PerUser = (u) => {
  const id = 'mfa-enabled-for-iam-console-access';
  if (isUnavailable(u.loginProfile)) return [finding(id, u.arn, 'ERROR', `GetLoginProfile failed: ${u.loginProfile.error}`)];
  if (u.loginProfile === null) return [];
  const devices = devicesOr(u, id);
  if (isOneFinding(devices)) return [devices];
  return [mfaFinding(id, u, devices, 'console user')];
};

export const checkUserMfa: PerUser = (u) => {
  const id = 'iam-user-mfa-enabled';
  const devices = devicesOr(u, id);
  if (isOneFinding(devices)) return [devices];
  return [mfaFinding(id, u, devices, 'user')];
};

export const checkAccessKeysRotated: PerUser = (u, s) => {
  const id = 'access-keys-rotated';
  if (isUnavailable(u.accessKeys)) return [finding(id, u.arn, 'ERROR', `ListAccessKeys failed: ${u.accessKeys.error}`)];
  const active = u.accessKeys.filter((k) => k.status === 'Active');
  if (active.length === 0) return [];
  const old = active.filter((k) => k.createDate && s.collectedAt.getTime() - k.createDate.getTime() > ACCESS_KEY_MAX_AGE_DAYS * DAY_MS);
  const age = (k: (typeof active)[number]): string => (k.createDate ? `${k.accessKeyId} created ${ago(k.createDate, s.collectedAt)}` : `${k.accessKeyId} (no creation date)`);
  if (old.length > 0) return [finding(id, u.arn, 'FAIL', `active access key older than ${ACCESS_KEY_MAX_AGE_DAYS} days: ${old.map(age).join(', ')}`)];
  return [finding(id, u.arn, 'PASS', `active access keys: ${active.map(age).join(', ')}`)];
};

function adminOr(u: UserSnapshot, id: CheckId): string[] | Finding {
  if (isUnavailable(u.policies)) return finding(id, u.arn, 'ERROR', `could not read the user's policies: ${u.policies.error}`);
  return adminGrants(u.policies);
}

export const checkAdminMfa: PerUser = (u) => {
  const id = 'iam-admin-mfa-enabled';
  const grants = adminOr(u, id);
  if (isOneFinding(grants)) return [grants];
  if (grants.length === 0) return [];
  const devices = devicesOr(u, id);
  if (isOneFinding(devices)) return [devices];
  const f = mfaFinding(id, u, devices, `administrator (${grants.join('; ')})`);
  return [f];
};

export const checkAdminHardwareMfa: PerUser = (u) => {
  const id = 'iam-admin-hardware-mfa-enabled';
  const grants = adminOr(u, id);
  if (isOneFinding(grants)) return [grants];
  if (grants.length === 0) return [];
  const devices = devicesOr(u, id);
  if (isOneFinding(devices)) return [devices];
  const strength = factorStrength(devices);
  const details = { factor: strength, devices: devices.map((d) => `${d.kind}:${d.serialNumber}`) };
  if (devices.length === 0) return [finding(id, u.arn, 'FAIL', 'administrator has no MFA device at all', { details })];
  if (!devices.some(isHardwareBacked)) return [finding(id, u.arn, 'FAIL', `administrator has only virtual MFA (${describeDevices(devices)})`, { details })];
  return [finding(id, u.arn, 'PASS', `administrator has ${describeDevices(devices)}`, { credit: FACTOR_CREDIT[strength], details })];
};

/** The user's last console sign-in: the later of ListUsers' PasswordLastUsed and the credential report's. */
export function lastSignIn(u: UserSnapshot, report: Maybe<{ readonly rows: readonly CredentialReportRow[] }>): Date | null {
  let last = u.passwordLastUsed;
  if (!isUnavailable(report)) {
    const row = report.rows.find((r) => r['arn'] === u.arn);
    const d = reportDate(row?.['password_last_used']);
    if (d && (!last || d > last)) last = d;
  }
  return last;
}

export const checkConsoleUnused: PerUser = (u, s) => {
  const id = 'iam-user-console-access-unused';
  if (isUnavailable(u.loginProfile)) return [finding(id, u.arn, 'ERROR', `GetLoginProfile failed: ${u.loginProfile.error}`)];
  if (u.loginProfile === null) return [];
  const last = lastSignIn(u, s.credentialReport);
  const set = u.loginProfile.createDate ? ` (password set ${ago(u.loginProfile.createDate, s.collectedAt)})` : '';
  if (!last) return [finding(id, u.arn, 'FAIL', `has a console password but never signed in${set}`)];
  if (s.collectedAt.getTime() - last.getTime() > CONSOLE_UNUSED_DAYS * DAY_MS) {
    return [finding(id, u.arn, 'FAIL', `last console sign-in ${ago(last, s.collectedAt)}, more than ${CONSOLE_UNUSED_DAYS} days`)];
  }
  return [finding(id, u.arn, 'PASS', `last console sign-in ${ago(last, s.collectedAt)}`)];
};

/** Users the MFA-enforcement check simulates: those with a console password or an active access key. */
export function canAuthenticate(u: UserSnapshot): boolean {
  const password = !isUnavailable(u.loginProfile) && u.loginProfile !== null;
  const key = !isUnavailable(u.accessKeys) && u.accessKeys.some((k) => k.status === 'Active');
  return password || key;
}

export const checkMfaEnforced: PerUser = (u, s) => {
  const id = 'iam-user-mfa-enforced';
  if (!canAuthenticate(u)) {
    // Unknown credentials (a failed read) still deserve a word; a user who cannot sign in or call is out of scope.
    if (isUnavailable(u.loginProfile) || isUnavailable(u.accessKeys)) return [finding(id, u.arn, 'ERROR', 'could not read the user\'s credentials')];
    return [];
  }
  const sim = u.simulation;
  if (sim === undefined) {
    return [finding(id, u.arn, 'ERROR', s.simulationUnavailable ? `SimulatePrincipalPolicy unavailable: ${s.simulationUnavailable}` : 'not simulated')];
  }
  if (isUnavailable(sim)) return [finding(id, u.arn, 'ERROR', `SimulatePrincipalPolicy failed: ${sim.error}`)];
  const without = [...new Set([...sim.allowedWithMfaFalse, ...sim.allowedWithMfaAbsent])].sort();
  const details = { allowedWithoutMfa: without, allowedWithMfa: [...sim.allowedWithMfa].sort() };
  if (without.length > 0) {
    const how = sim.allowedWithMfaAbsent.length > 0 && sim.allowedWithMfaFalse.length > 0 ? 'MFA false or absent'
      : sim.allowedWithMfaAbsent.length > 0 ? 'MFA absent, as with long-term keys' : 'MFA false';
    return [finding(id, u.arn, 'FAIL', `can act without MFA (${how}): ${without.join(', ')}`, { details })];
  }
  if (sim.allowedWithMfa.length === 0) return [finding(id, u.arn, 'PASS', 'no sensitive action is allowed, with or without MFA', { details })];
  return [finding(id, u.arn, 'PASS', `every sensitive action it may call requires MFA (${sim.allowedWithMfa.length} allowed with MFA)`, { details })];
};

const ROOT_CHECKS: ReadonlyArray<(s: AccountSnapshot) => Finding[]> = [checkRootMfa, checkRootHardwareMfa, checkRootAccessKey, checkRootRecentUse];
const USER_CHECKS: readonly PerUser[] = [checkConsoleMfa, checkUserMfa, checkAccessKeysRotated, checkAdminMfa, checkAdminHardwareMfa, checkConsoleUnused, checkMfaEnforced];

/** Every check over the snapshot: root findings first, then per user in name order, check by check. */
export function runChecks(s: AccountSnapshot, only?: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  for (const c of ROOT_CHECKS) out.push(...c(s));
  for (const c of USER_CHECKS) for (const u of s.users) out.push(...c(u, s));
  return only ? out.filter((f) => only.has(f.check)) : out;
}
