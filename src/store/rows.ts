// What the store reads, before it maps it into entities.ts's entities (the domain never sees these).
// One interface per table, the columns exactly as both drivers return them: TEXT as string, BIGINT as number
// (better-sqlite3 returns numbers; postgres.ts sets a BIGINT parser, so COUNT(*) is a number too; NUMERIC such as
// SUM(...) would still come back as a string on PostgreSQL), nullable columns as `| null`. Timestamps are ISO-8601
// text, booleans 0/1, JSON columns JSON text (entities.ts parses them), secrets ciphertext (secrets.ts).
// Projections (a query's own column list, or a join) are named below the tables.

/** The one installation row (id 1): the account the first start created. */
export interface InstallationRow {
  id: number;
  account_id: string;
  created_at: string;
}

export interface AccountRow {
  account_id: string;
  alias: string | null;
  root_email: string;
  root_password_hash: string;
  root_password_changed_at: string | null;
  root_password_last_used: string | null;
  /** JSON: the account's password policy, or null for none (AWS's defaults). */
  password_policy: string | null;
  created_at: string;
}

export interface UserRow {
  user_id: string;
  account_id: string;
  name: string;
  name_lc: string;
  path: string;
  permissions_boundary: string | null;
  /** JSON: [{ Key, Value }]. */
  tags: string;
  password_last_used: string | null;
  created_at: string;
}

export interface GroupRow {
  group_id: string;
  account_id: string;
  name: string;
  name_lc: string;
  path: string;
  created_at: string;
}

export interface GroupMemberRow {
  group_id: string;
  user_id: string;
  added_at: string;
}

export interface LoginProfileRow {
  user_id: string;
  password_hash: string;
  /** JSON: earlier password hashes, newest first. */
  password_history: string;
  /** 0 or 1. */
  password_reset_required: number;
  password_changed_at: string;
  created_at: string;
}

export interface AccessKeyRow {
  access_key_id: string;
  account_id: string;
  /** null: the account's root user. */
  user_id: string | null;
  secret_enc: string;
  /** Active | Inactive */
  status: string;
  created_at: string;
  last_used_date: string | null;
  last_used_service: string | null;
  last_used_region: string | null;
}

/** Who a managed policy is attached to, and whose inline policies a table holds. */
export type PrincipalKind = 'user' | 'group' | 'role';

export interface PolicyAttachmentRow {
  account_id: string;
  principal_type: PrincipalKind;
  principal_id: string;
  policy_arn: string;
  attached_at: string;
}

export interface UserPolicyRow { user_id: string; name: string; document: string }
export interface GroupPolicyRow { group_id: string; name: string; document: string }
export interface RolePolicyRow { role_id: string; name: string; document: string }
/** The inline-policy row of each kind of owner. */
export interface InlinePolicyRows { user: UserPolicyRow; group: GroupPolicyRow; role: RolePolicyRow }

export type MfaDeviceKind = 'virtual' | 'hardware' | 'fido';
/** Who holds an MFA device or a code throttle: an IAM user or the account's root user. */
export type MfaOwnerType = 'user' | 'root';

export interface MfaDeviceRow {
  serial_number: string;
  account_id: string;
  kind: MfaDeviceKind;
  name: string | null;
  path: string | null;
  secret_enc: string;
  /** JSON: the TOTP parameters ({ algorithm, digits, period }). */
  params: string;
  /** JSON: [{ Key, Value }]. */
  tags: string;
  /** null: unassigned (a hardware token in the inventory, or a virtual device not enabled yet). */
  owner_type: MfaOwnerType | null;
  owner_id: string | null;
  enabled_at: string | null;
  created_at: string;
  last_step: number;
  drift: number;
  /** Unused since migration 2 (mfa_throttle holds the per-principal state). */
  failures: number;
  /** Unused since migration 2. */
  locked_until: number;
}

export interface MfaThrottleRow {
  account_id: string;
  principal_type: MfaOwnerType;
  principal_id: string;
  failures: number;
  /** Epoch milliseconds. */
  locked_until: number;
}

export interface ManagedPolicyRow {
  policy_id: string;
  account_id: string;
  arn: string;
  name: string;
  name_lc: string;
  path: string;
  description: string | null;
  default_version: string;
  next_version: number;
  /** JSON: [{ Key, Value }]. */
  tags: string;
  created_at: string;
  updated_at: string;
}

export interface PolicyVersionRow {
  policy_id: string;
  version_id: string;
  document: string;
  created_at: string;
}

export interface RoleRow {
  role_id: string;
  account_id: string;
  name: string;
  name_lc: string;
  path: string;
  /** The trust policy document (text). */
  assume_role_policy: string;
  description: string | null;
  max_session_duration: number;
  permissions_boundary: string | null;
  /** JSON: [{ Key, Value }]. */
  tags: string;
  last_used_date: string | null;
  last_used_region: string | null;
  created_at: string;
}

export interface AuthzVersionRow {
  account_id: string;
  version: number;
}

export interface StsSessionRow {
  access_key_id: string;
  account_id: string;
  /** The STS operation that issued it: GetSessionToken | AssumeRole | … */
  source: string;
  /** user | root | role */
  principal_type: string;
  principal_id: string;
  session_name: string | null;
  secret_enc: string;
  /** SHA-256 of the session token (hex); the token itself is never stored. */
  token_hash: string;
  issued_at: string;
  /** Epoch milliseconds. */
  expires_at: number;
  mfa_authenticated_at: string | null;
  mfa_serial: string | null;
  source_identity: string | null;
  /** The long-term identity the session descends from (user | root | unknown); null before migration 30. */
  origin_type: string | null;
  origin_id: string | null;
  /** JSON: [{ Key, Value }] or null. */
  session_tags: string | null;
  /** JSON: [key] or null. */
  transitive_tag_keys: string | null;
  /** The inline session policy's text, or null. */
  session_policy: string | null;
  /** JSON: [arn] or null. */
  session_policy_arns: string | null;
}

export type CredentialReportState = 'NONE' | 'INPROGRESS' | 'COMPLETE' | 'FAILED';

export interface CredentialReportRow {
  account_id: string;
  state: CredentialReportState;
  generation_id: string;
  started_at: string;
  generated_at: string | null;
  /** The CSV of a report stored before migration 60 (moved to credential_report_parts by it): NULL now. */
  content: string | null;
  /** The run whose parts (credential_report_parts) are the report, their size in bytes and their number. */
  content_generation_id: string | null;
  content_bytes: number | null;
  content_parts: number | null;
}

export interface MasterKeySentinelRow {
  id: number;
  /** The master key's public id (secrets.ts masterKeyId). */
  key_id: string;
  sealed: string;
  created_at: string;
}

export interface SchemaMigrationRow {
  id: number;
  name: string;
  applied_at: string;
}

// ---------------------------------------------------------------------------------------------------
// Projections

/** SELECT COUNT(*) AS n. */
export interface CountRow { n: number }

/** What the authoriser's policy cache is checked against, read with every credential (IamStore.stampColumns). */
export interface StampColumns {
  /** null before the account's first policy change. */
  authz_version: number | null;
  /** The user's group ids joined with ',' (unordered), or null (no groups, or not a user). */
  user_groups: string | null;
  user_boundary: string | null;
  /** JSON: [{ Key, Value }], or null when the principal is not a user. */
  user_tags: string | null;
}

/** The account's columns a credential lookup carries, prefixed acct_. */
export interface AccountColumns {
  acct_alias: string | null;
  acct_root_email: string;
  acct_root_password_changed_at: string | null;
  acct_root_password_last_used: string | null;
  acct_password_policy: string | null;
  acct_created_at: string;
}

/** IamStore.credentialForKey: a signing key, its owner (null columns for the root user) and its account. */
export interface CredentialRow extends AccountColumns, StampColumns {
  access_key_id: string;
  account_id: string;
  user_id: string | null;
  secret_enc: string;
  status: string;
  user_name: string | null;
  user_path: string | null;
  uid: string | null;
}

/** SessionStore.resolve: a session, its owner (user or role columns, the other's null) and its account. */
export interface SessionResolveRow extends StsSessionRow, AccountColumns, StampColumns {
  user_name: string | null;
  user_path: string | null;
  uid: string | null;
  role_name: string | null;
  role_path: string | null;
  rid: string | null;
  role_boundary: string | null;
  role_tags: string | null;
}

/** IamStore.listUsers: a listing leaves tags out, as AWS's does. */
export type UserListRow = Omit<UserRow, 'tags'>;

/** IamStore.lockUser. */
export type LockedUserRow = Pick<UserRow, 'user_id' | 'name'>;

/** IamStore.lockAccount. */
export type LockedAccountRow = Pick<AccountRow, 'account_id'>;

/** MfaStore.listVirtual: a virtual device with its user's columns (null when unassigned or the root's). */
export interface VirtualMfaDeviceRow extends MfaDeviceRow {
  user_name: string | null;
  user_path: string | null;
  user_created_at: string | null;
  user_password_last_used: string | null;
}

/** MfaStore.listHardware: the inventory. */
export interface HardwareTokenRow extends Pick<MfaDeviceRow, 'serial_number' | 'params' | 'owner_type' | 'owner_id' | 'enabled_at' | 'created_at'> {
  user_name: string | null;
}

/** MfaStore.lockThrottle / getThrottle: a principal's code-throttle state. */
export interface ThrottleState {
  failures: number;
  lockedUntilMs: number;
}

/** PolicyStore.userStamp / roleStamp: what a cached policy set depends on besides authz_version. */
export interface PolicyStamp {
  /** authz_version as text, '0' when the account has none yet. */
  version: string;
  /** Group ids, sorted. */
  groups: string[];
  boundary: string | null;
  /** JSON: [{ Key, Value }]. */
  tags: string;
  /** Whether the user or role row was found. */
  exists: boolean;
}

/** PolicyStore.listInline. */
export interface InlinePolicyListRow { name: string; document: string }

/** PolicyStore.defaultDocuments: a customer managed policy's default version. */
export interface DefaultDocument { versionId: string; document: string }

/** PolicyStore.entitiesForPolicy. */
export interface PolicyEntityRow {
  type: PrincipalKind;
  name: string;
  id: string;
  path: string;
}

/** ReportStore.getReport. */
export type ReportStateRow = Omit<CredentialReportRow, 'content' | 'content_generation_id' | 'content_bytes' | 'content_parts'>;
/** ReportStore.getReportContent. */
export type ReportContentRow = Pick<CredentialReportRow, 'state' | 'generated_at' | 'content_generation_id' | 'content_bytes' | 'content_parts'>;
/** ReportStore.reportPage: a user's columns. */
export type ReportUserRow = Pick<UserRow, 'user_id' | 'name' | 'name_lc' | 'path' | 'created_at' | 'password_last_used'>;
/** ReportStore.reportPage's keys (user_id set) and rootKeys (no user_id). */
export type ReportKeyRow = Pick<AccessKeyRow, 'user_id' | 'status' | 'created_at' | 'last_used_date' | 'last_used_region' | 'last_used_service'>;
export type ReportRootKeyRow = Omit<ReportKeyRow, 'user_id'>;
/** ReportStore.reportPage's login profiles on SQLite. */
export type ReportProfileRow = Pick<LoginProfileRow, 'user_id' | 'password_changed_at'>;
/** ReportStore.reportPage on PostgreSQL: a user with its profile, MFA and one of its keys (none: the key's columns are null). */
export type ReportPageRow = ReportUserRow & {
  password_changed_at: string | null;
  mfa: number | null;
  status: string | null;
  key_created_at: string | null;
  last_used_date: string | null;
  last_used_region: string | null;
  last_used_service: string | null;
};

/** The sentinel's columns secrets.ts reads. */
export type SentinelRow = Pick<MasterKeySentinelRow, 'key_id' | 'sealed'>;

/** A keyset page request: rows after `after` (exclusive, on the listing's sort key), at most `limit`. */
export interface PageRequest {
  after?: string | null | undefined;
  limit: number;
}
