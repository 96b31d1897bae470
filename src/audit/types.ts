// The audit's data model: what the collector reads from an IAM endpoint (a snapshot, plain data) and what the
// pure checks turn it into (findings). Nothing here does I/O, so checks can be fed hand-made snapshots in tests.

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['PASS', 'FAIL', 'NOT_APPLICABLE', 'ERROR'] as const;
export type Status = (typeof STATUSES)[number];

/** How a device proves presence, from its serial alone (never from its name). */
export type DeviceKind = 'virtual' | 'hardware' | 'fido' | 'sms' | 'unknown';
/** The strongest second factor a principal has: phishing-resistant (FIDO) above TOTP above none. */
export type FactorStrength = 'phishing-resistant' | 'totp' | 'none';

export interface MfaDevice {
  readonly serialNumber: string;
  readonly kind: DeviceKind;
  readonly enableDate: Date | null;
}

export interface AccessKey {
  readonly accessKeyId: string;
  readonly status: string;
  readonly createDate: Date | null;
}

/** A value the collector could not read, with why; checks that need it report ERROR with this reason. */
export interface Unavailable {
  readonly error: string;
}
export type Maybe<T> = T | Unavailable;
export const isUnavailable = <T>(v: Maybe<T>): v is Unavailable =>
  typeof v === 'object' && v !== null && 'error' in v && typeof v.error === 'string';

export interface PolicyRef {
  readonly name: string;
  readonly arn: string;
  /** The default version's parsed document when the collector read it (customer managed), else undefined. */
  readonly document?: unknown;
}
export interface InlinePolicy {
  readonly name: string;
  /** The parsed JSON document; shape checked where it is read (policy.ts). */
  readonly document: unknown;
}
export interface GroupDetail {
  readonly name: string;
  readonly attached: readonly PolicyRef[];
  readonly inline: readonly InlinePolicy[];
}
/** A user's identity policies: directly attached, inline, and through each group. */
export interface UserPolicies {
  readonly attached: readonly PolicyRef[];
  readonly inline: readonly InlinePolicy[];
  readonly groups: readonly GroupDetail[];
}

/** SimulatePrincipalPolicy over the sensitive actions, with MFA false, absent and present. */
export interface SimulationResult {
  readonly allowedWithMfaFalse: readonly string[];
  readonly allowedWithMfaAbsent: readonly string[];
  readonly allowedWithMfa: readonly string[];
}

export interface UserSnapshot {
  readonly userName: string;
  readonly arn: string;
  readonly createDate: Date | null;
  /** ListUsers' PasswordLastUsed (live). */
  readonly passwordLastUsed: Date | null;
  /** GetLoginProfile: the console password's creation date, null without one. */
  readonly loginProfile: Maybe<{ readonly createDate: Date | null } | null>;
  readonly mfaDevices: Maybe<readonly MfaDevice[]>;
  readonly accessKeys: Maybe<readonly AccessKey[]>;
  readonly policies: Maybe<UserPolicies>;
  /** Absent when the user was not simulated (no console password and no active key). */
  readonly simulation?: Maybe<SimulationResult>;
}

/** One credential-report row, by AWS's column names. */
export type CredentialReportRow = Readonly<Record<string, string>>;
export interface CredentialReport {
  readonly generatedTime: Date | null;
  readonly rows: readonly CredentialReportRow[];
}

export interface VirtualDevice {
  readonly serialNumber: string;
  /** The assigned principal's ARN (`arn:aws:iam::ACCT:root` for root), null when unassigned. */
  readonly userArn: string | null;
}

export interface AccountSnapshot {
  readonly accountId: string;
  readonly partition: string;
  readonly endpoint: string;
  /** When collection started: the "now" of every time-based check. */
  readonly collectedAt: Date;
  readonly summary: Maybe<Readonly<Record<string, number>>>;
  readonly virtualDevices: Maybe<readonly VirtualDevice[]>;
  readonly credentialReport: Maybe<CredentialReport>;
  readonly users: readonly UserSnapshot[];
  /** Why no user was simulated at all (the endpoint lacks SimulatePrincipalPolicy, access denied), else absent. */
  readonly simulationUnavailable?: string;
}

export interface Finding {
  readonly check: string;
  readonly status: Status;
  readonly severity: Severity;
  /** The resource's ARN: a user, the root user, or the account (`arn:aws:iam::ACCT:root` for root findings). */
  readonly resource: string;
  readonly reason: string;
  readonly remedy: string;
  /** For the score: 1 for a pass, less for a pass with a weaker factor (TOTP), 0 for a fail. */
  readonly credit: number;
  readonly details?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

export interface CheckDefinition {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** root: one finding about the root user; user: one per IAM user it applies to. */
  readonly scope: 'root' | 'user';
  /** Weight in the score (root checks 10× a user check). */
  readonly weight: number;
  /** AWS Config rule, CIS AWS Foundations items, Security Hub control, where they exist. */
  readonly awsConfig?: string;
  readonly cis?: string;
  readonly securityHub?: string;
  readonly remedy: string;
}
