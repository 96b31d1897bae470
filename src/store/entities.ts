// The store's entities: one camelCase interface per table (rows.ts), JSON columns parsed into typed values and
// 0/1 flags into booleans, with a pure mapper rowTo<Entity>(row) for each. The store's methods return these (and
// the projections at the end), so the domain never sees a snake_case row or a JSON column's text.
// Timestamps stay ISO-8601 strings (the wire turns them into Dates); a JSON column that does not hold what its
// column promises throws StoredValueError, naming the column (never its content).
import type {
  AccessKeyRow, AccountRow, AuthzVersionRow, CredentialReportRow, CredentialReportState, GroupMemberRow, GroupPolicyRow,
  GroupRow, InstallationRow, LoginProfileRow, ManagedPolicyRow, MasterKeySentinelRow, MfaDeviceKind, MfaDeviceRow,
  MfaOwnerType, MfaThrottleRow, PolicyAttachmentRow, PolicyVersionRow, PrincipalKind, RolePolicyRow, RoleRow,
  StsSessionRow, UserListRow, UserPolicyRow, UserRow, AccountColumns, StampColumns, CredentialRow, SessionResolveRow,
} from './rows.js';

// ---------------------------------------------------------------------------------------------------
// Values held in JSON columns

/** An IAM tag, as AWS names its fields. */
export interface Tag { Key: string; Value: string }

/** A virtual or hardware token's TOTP parameters (src/mfa/totp.js normalizeParams). */
export interface TotpParams {
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  digits: 6 | 8;
  period: 30 | 60;
}

/** The account's password policy as UpdateAccountPasswordPolicy stores it (AWS's field names). */
export interface PasswordPolicy {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  ExpirePasswords: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

/** A stored JSON value that does not have the shape its column promises. */
export class StoredValueError extends Error {
  constructor(column: string) {
    super(`stored value of ${column} is not what the column holds`);
    this.name = 'StoredValueError';
  }
}

function parseJson(text: string, column: string): unknown {
  try {
    const value: unknown = JSON.parse(text); // the shape is checked by each caller below
    return value;
  } catch {
    throw new StoredValueError(column);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON list of tags ([{ Key, Value }]). */
export function parseTags(text: string, column = 'tags'): Tag[] {
  const v = parseJson(text, column);
  if (!Array.isArray(v)) throw new StoredValueError(column);
  return v.map((t: unknown) => {
    if (!isRecord(t) || typeof t['Key'] !== 'string' || typeof t['Value'] !== 'string') throw new StoredValueError(column);
    return { Key: t['Key'], Value: t['Value'] };
  });
}

/** A JSON list of strings. */
export function parseStringList(text: string, column: string): string[] {
  const v = parseJson(text, column);
  if (!Array.isArray(v) || !v.every((s: unknown) => typeof s === 'string')) throw new StoredValueError(column);
  return v.map(String);
}

const ALGORITHMS: readonly TotpParams['algorithm'][] = ['SHA1', 'SHA256', 'SHA512'];
const DIGITS: readonly TotpParams['digits'][] = [6, 8];
const PERIODS: readonly TotpParams['period'][] = [30, 60];

/** mfa_devices.params: the TOTP parameters, as normalizeParams wrote them. */
export function parseTotpParams(text: string): TotpParams {
  const v = parseJson(text, 'mfa_devices.params');
  if (!isRecord(v)) throw new StoredValueError('mfa_devices.params');
  const algorithm = ALGORITHMS.find((a) => a === v['algorithm']);
  const digits = DIGITS.find((d) => d === v['digits']);
  const period = PERIODS.find((p) => p === v['period']);
  if (algorithm === undefined || digits === undefined || period === undefined) throw new StoredValueError('mfa_devices.params');
  return { algorithm, digits, period };
}

/** accounts.password_policy: the policy, or null when the account has none. */
export function parsePasswordPolicy(text: string | null): PasswordPolicy | null {
  if (text === null) return null;
  const column = 'accounts.password_policy';
  const v = parseJson(text, column);
  if (!isRecord(v)) throw new StoredValueError(column);
  const num = (k: string): number => { const x = v[k]; if (typeof x !== 'number') throw new StoredValueError(column); return x; };
  const bool = (k: string): boolean => { const x = v[k]; if (typeof x !== 'boolean') throw new StoredValueError(column); return x; };
  const policy: PasswordPolicy = {
    MinimumPasswordLength: num('MinimumPasswordLength'),
    RequireSymbols: bool('RequireSymbols'),
    RequireNumbers: bool('RequireNumbers'),
    RequireUppercaseCharacters: bool('RequireUppercaseCharacters'),
    RequireLowercaseCharacters: bool('RequireLowercaseCharacters'),
    AllowUsersToChangePassword: bool('AllowUsersToChangePassword'),
    ExpirePasswords: bool('ExpirePasswords'),
  };
  if (v['MaxPasswordAge'] !== undefined) policy.MaxPasswordAge = num('MaxPasswordAge');
  if (v['PasswordReusePrevention'] !== undefined) policy.PasswordReusePrevention = num('PasswordReusePrevention');
  if (v['HardExpiry'] !== undefined) policy.HardExpiry = bool('HardExpiry');
  return policy;
}

const nullableList = (text: string | null, column: string): string[] | null => (text === null ? null : parseStringList(text, column));

// ---------------------------------------------------------------------------------------------------
// Entities and their mappers, in rows.ts's order

export interface Installation { id: number; accountId: string; createdAt: string }
export const rowToInstallation = (r: InstallationRow): Installation => ({ id: r.id, accountId: r.account_id, createdAt: r.created_at });

export interface Account {
  accountId: string;
  alias: string | null;
  rootEmail: string;
  rootPasswordHash: string;
  rootPasswordChangedAt: string | null;
  rootPasswordLastUsed: string | null;
  passwordPolicy: PasswordPolicy | null;
  createdAt: string;
}
export const rowToAccount = (r: AccountRow): Account => ({
  accountId: r.account_id,
  alias: r.alias,
  rootEmail: r.root_email,
  rootPasswordHash: r.root_password_hash,
  rootPasswordChangedAt: r.root_password_changed_at,
  rootPasswordLastUsed: r.root_password_last_used,
  passwordPolicy: parsePasswordPolicy(r.password_policy),
  createdAt: r.created_at,
});

/** A user as listings show it (no tags: IamStore.listUsers leaves them out). */
export interface UserSummary {
  userId: string;
  accountId: string;
  name: string;
  /** The name lower-cased: the listing's sort and page key. */
  nameLc: string;
  path: string;
  permissionsBoundary: string | null;
  passwordLastUsed: string | null;
  createdAt: string;
}
export interface User extends UserSummary { tags: Tag[] }
export const rowToUserSummary = (r: UserListRow): UserSummary => ({
  userId: r.user_id,
  accountId: r.account_id,
  name: r.name,
  nameLc: r.name_lc,
  path: r.path,
  permissionsBoundary: r.permissions_boundary,
  passwordLastUsed: r.password_last_used,
  createdAt: r.created_at,
});
export const rowToUser = (r: UserRow): User => ({ ...rowToUserSummary(r), tags: parseTags(r.tags, 'users.tags') });

export interface Group { groupId: string; accountId: string; name: string; nameLc: string; path: string; createdAt: string }
export const rowToGroup = (r: GroupRow): Group => ({
  groupId: r.group_id, accountId: r.account_id, name: r.name, nameLc: r.name_lc, path: r.path, createdAt: r.created_at,
});

export interface GroupMember { groupId: string; userId: string; addedAt: string }
export const rowToGroupMember = (r: GroupMemberRow): GroupMember => ({ groupId: r.group_id, userId: r.user_id, addedAt: r.added_at });

export interface LoginProfile {
  userId: string;
  passwordHash: string;
  /** Earlier password hashes, oldest first (at most 24). */
  passwordHistory: string[];
  passwordResetRequired: boolean;
  passwordChangedAt: string;
  createdAt: string;
}
export const rowToLoginProfile = (r: LoginProfileRow): LoginProfile => ({
  userId: r.user_id,
  passwordHash: r.password_hash,
  passwordHistory: parseStringList(r.password_history, 'login_profiles.password_history'),
  passwordResetRequired: Number(r.password_reset_required) !== 0,
  passwordChangedAt: r.password_changed_at,
  createdAt: r.created_at,
});

export interface AccessKey {
  accessKeyId: string;
  accountId: string;
  /** null: the account's root user. */
  userId: string | null;
  secretEnc: string;
  status: string;
  createdAt: string;
  lastUsedDate: string | null;
  lastUsedService: string | null;
  lastUsedRegion: string | null;
}
export const rowToAccessKey = (r: AccessKeyRow): AccessKey => ({
  accessKeyId: r.access_key_id,
  accountId: r.account_id,
  userId: r.user_id,
  secretEnc: r.secret_enc,
  status: r.status,
  createdAt: r.created_at,
  lastUsedDate: r.last_used_date,
  lastUsedService: r.last_used_service,
  lastUsedRegion: r.last_used_region,
});

export interface PolicyAttachment { accountId: string; principalType: PrincipalKind; principalId: string; policyArn: string; attachedAt: string }
export const rowToPolicyAttachment = (r: PolicyAttachmentRow): PolicyAttachment => ({
  accountId: r.account_id, principalType: r.principal_type, principalId: r.principal_id, policyArn: r.policy_arn, attachedAt: r.attached_at,
});

/** An inline policy of a user, group or role (user_policies, group_policies, role_policies). */
export interface InlinePolicy { ownerId: string; name: string; document: string }
export const rowToUserPolicy = (r: UserPolicyRow): InlinePolicy => ({ ownerId: r.user_id, name: r.name, document: r.document });
export const rowToGroupPolicy = (r: GroupPolicyRow): InlinePolicy => ({ ownerId: r.group_id, name: r.name, document: r.document });
export const rowToRolePolicy = (r: RolePolicyRow): InlinePolicy => ({ ownerId: r.role_id, name: r.name, document: r.document });

/** An MFA device (failures and locked_until are left out: unused since migration 2, see MfaThrottle). */
export interface MfaDevice {
  serialNumber: string;
  accountId: string;
  kind: MfaDeviceKind;
  name: string | null;
  path: string | null;
  secretEnc: string;
  params: TotpParams;
  tags: Tag[];
  ownerType: MfaOwnerType | null;
  ownerId: string | null;
  enabledAt: string | null;
  createdAt: string;
  /** The last accepted TOTP step: a code at or before it is a replay. */
  lastStep: number;
  drift: number;
}
export const rowToMfaDevice = (r: MfaDeviceRow): MfaDevice => ({
  serialNumber: r.serial_number,
  accountId: r.account_id,
  kind: r.kind,
  name: r.name,
  path: r.path,
  secretEnc: r.secret_enc,
  params: parseTotpParams(r.params),
  tags: parseTags(r.tags, 'mfa_devices.tags'),
  ownerType: r.owner_type,
  ownerId: r.owner_id,
  enabledAt: r.enabled_at,
  createdAt: r.created_at,
  lastStep: Number(r.last_step),
  drift: Number(r.drift),
});

export interface MfaThrottle { accountId: string; principalType: MfaOwnerType; principalId: string; failures: number; lockedUntilMs: number }
export const rowToMfaThrottle = (r: MfaThrottleRow): MfaThrottle => ({
  accountId: r.account_id, principalType: r.principal_type, principalId: r.principal_id, failures: Number(r.failures), lockedUntilMs: Number(r.locked_until),
});

export interface ManagedPolicy {
  policyId: string;
  accountId: string;
  arn: string;
  name: string;
  nameLc: string;
  path: string;
  description: string | null;
  defaultVersion: string;
  nextVersion: number;
  tags: Tag[];
  createdAt: string;
  updatedAt: string;
}
export const rowToManagedPolicy = (r: ManagedPolicyRow): ManagedPolicy => ({
  policyId: r.policy_id,
  accountId: r.account_id,
  arn: r.arn,
  name: r.name,
  nameLc: r.name_lc,
  path: r.path,
  description: r.description,
  defaultVersion: r.default_version,
  nextVersion: Number(r.next_version),
  tags: parseTags(r.tags, 'managed_policies.tags'),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface PolicyVersion { policyId: string; versionId: string; document: string; createdAt: string }
export const rowToPolicyVersion = (r: PolicyVersionRow): PolicyVersion => ({
  policyId: r.policy_id, versionId: r.version_id, document: r.document, createdAt: r.created_at,
});

export interface Role {
  roleId: string;
  accountId: string;
  name: string;
  nameLc: string;
  path: string;
  /** The trust policy document (text). */
  assumeRolePolicy: string;
  description: string | null;
  maxSessionDuration: number;
  permissionsBoundary: string | null;
  tags: Tag[];
  lastUsedDate: string | null;
  lastUsedRegion: string | null;
  createdAt: string;
}
export const rowToRole = (r: RoleRow): Role => ({
  roleId: r.role_id,
  accountId: r.account_id,
  name: r.name,
  nameLc: r.name_lc,
  path: r.path,
  assumeRolePolicy: r.assume_role_policy,
  description: r.description,
  maxSessionDuration: Number(r.max_session_duration),
  permissionsBoundary: r.permissions_boundary,
  tags: parseTags(r.tags, 'roles.tags'),
  lastUsedDate: r.last_used_date,
  lastUsedRegion: r.last_used_region,
  createdAt: r.created_at,
});

export interface AuthzVersion { accountId: string; version: number }
export const rowToAuthzVersion = (r: AuthzVersionRow): AuthzVersion => ({ accountId: r.account_id, version: Number(r.version) });

export interface StsSession {
  accessKeyId: string;
  accountId: string;
  source: string;
  principalType: string;
  principalId: string;
  sessionName: string | null;
  secretEnc: string;
  tokenHash: string;
  issuedAt: string;
  expiresAtMs: number;
  mfaAuthenticatedAt: string | null;
  mfaSerial: string | null;
  sourceIdentity: string | null;
  originType: string | null;
  originId: string | null;
  sessionTags: Tag[] | null;
  transitiveTagKeys: string[] | null;
  sessionPolicy: string | null;
  sessionPolicyArns: string[] | null;
}
export const rowToStsSession = (r: StsSessionRow): StsSession => ({
  accessKeyId: r.access_key_id,
  accountId: r.account_id,
  source: r.source,
  principalType: r.principal_type,
  principalId: r.principal_id,
  sessionName: r.session_name,
  secretEnc: r.secret_enc,
  tokenHash: r.token_hash,
  issuedAt: r.issued_at,
  expiresAtMs: Number(r.expires_at),
  mfaAuthenticatedAt: r.mfa_authenticated_at,
  mfaSerial: r.mfa_serial,
  sourceIdentity: r.source_identity,
  originType: r.origin_type,
  originId: r.origin_id,
  sessionTags: r.session_tags === null ? null : parseTags(r.session_tags, 'sts_sessions.session_tags'),
  transitiveTagKeys: nullableList(r.transitive_tag_keys, 'sts_sessions.transitive_tag_keys'),
  sessionPolicy: r.session_policy,
  sessionPolicyArns: nullableList(r.session_policy_arns, 'sts_sessions.session_policy_arns'),
});

export interface CredentialReport {
  accountId: string;
  state: CredentialReportState;
  generationId: string;
  startedAt: string;
  generatedAt: string | null;
  content: string | null;
  contentGenerationId: string | null;
  contentBytes: number | null;
  contentParts: number | null;
}
export const rowToCredentialReport = (r: CredentialReportRow): CredentialReport => ({
  accountId: r.account_id, state: r.state, generationId: r.generation_id, startedAt: r.started_at, generatedAt: r.generated_at, content: r.content,
  contentGenerationId: r.content_generation_id, contentBytes: r.content_bytes, contentParts: r.content_parts,
});

export interface MasterKeySentinel { id: number; keyId: string; sealed: string; createdAt: string }
export const rowToMasterKeySentinel = (r: MasterKeySentinelRow): MasterKeySentinel => ({
  id: r.id, keyId: r.key_id, sealed: r.sealed, createdAt: r.created_at,
});

// ---------------------------------------------------------------------------------------------------
// Projections: what a store method reads when it does not read whole rows (rows.ts names their row shapes)

/** ReportStore.getReport. */
export type ReportState = Omit<CredentialReport, 'content' | 'contentGenerationId' | 'contentBytes' | 'contentParts'>;
/** ReportStore.getReportContent: the completed run's id, size in bytes and number of parts. */
export type ReportContent = Pick<CredentialReport, 'state' | 'generatedAt' | 'contentGenerationId' | 'contentBytes' | 'contentParts'>;
/** A user's columns in ReportStore.reportPage. */
export type ReportUser = Pick<UserSummary, 'userId' | 'name' | 'nameLc' | 'path' | 'createdAt' | 'passwordLastUsed'>;
/** An access key's columns in the credential report. */
export type ReportKey = Pick<AccessKey, 'userId' | 'status' | 'createdAt' | 'lastUsedDate' | 'lastUsedRegion' | 'lastUsedService'>;
/** ReportStore.rootKeys. */
export type ReportRootKey = Omit<ReportKey, 'userId'>;
/** ReportStore.reportPage: a user with what its report line shows (keys oldest first, at least the first two). */
export type ReportPageUser = ReportUser & { readonly passwordChangedAt: string | null; readonly mfa: boolean; readonly keys: readonly ReportRootKey[] };

/** The sentinel's columns secrets.ts reads. */
export type Sentinel = Pick<MasterKeySentinel, 'keyId' | 'sealed'>;

/** MfaStore.listVirtual: a virtual device with its user's columns (null when unassigned or the root's). */
export interface VirtualMfaDevice extends MfaDevice {
  userName: string | null;
  userPath: string | null;
  userCreatedAt: string | null;
  userPasswordLastUsed: string | null;
}
/** MfaStore.listHardware: the inventory. */
export interface HardwareTokenEntry extends Pick<MfaDevice, 'serialNumber' | 'params' | 'ownerType' | 'ownerId' | 'enabledAt' | 'createdAt'> {
  userName: string | null;
}

/**
 * The caller's account as a request carries it (OperationContext.account): every account field but the root
 * password's hash. Built from a credential's acct_ columns on every request, so its password policy is parsed on
 * first read only (few requests read it).
 */
export type CallerAccount = Omit<Account, 'rootPasswordHash'>;

/** The acct_ columns a credential or session lookup carries, and its account id. */
export type CallerAccountColumns = AccountColumns & { account_id: string };

export function rowToCallerAccount(r: CallerAccountColumns): CallerAccount {
  const text = r.acct_password_policy;
  let policy: PasswordPolicy | null | undefined;
  return {
    accountId: r.account_id,
    alias: r.acct_alias,
    rootEmail: r.acct_root_email,
    rootPasswordChangedAt: r.acct_root_password_changed_at,
    rootPasswordLastUsed: r.acct_root_password_last_used,
    get passwordPolicy(): PasswordPolicy | null { return policy === undefined ? (policy = parsePasswordPolicy(text)) : policy; },
    createdAt: r.acct_created_at,
  };
}

/**
 * What the authoriser's policy cache is checked against, read with every credential (IamStore.stampColumns):
 * compared, never parsed per request.
 */
export interface StampFields {
  /** null before the account's first policy change. */
  authzVersion: number | null;
  /** The user's group ids joined with ',' (unordered), or null (no groups, or not a user). */
  userGroups: string | null;
  userBoundary: string | null;
  /** The user's tags as stored (JSON text): part of the cache key, compared as text; null when not a user. */
  userTagsJson: string | null;
}
export const rowToStampFields = (r: StampColumns): StampFields => ({
  authzVersion: r.authz_version, userGroups: r.user_groups, userBoundary: r.user_boundary, userTagsJson: r.user_tags,
});

/** IamStore.credentialForKey: a signing key, its owner (null fields for the root user), its account and stamp. */
export interface Credential extends StampFields {
  accessKeyId: string;
  accountId: string;
  userId: string | null;
  secretEnc: string;
  status: string;
  userName: string | null;
  userPath: string | null;
  /** The joined user's id: null when the key's user is gone (or it is the root's). */
  uid: string | null;
  account: CallerAccount;
}
export const rowToCredential = (r: CredentialRow): Credential => ({
  accessKeyId: r.access_key_id,
  accountId: r.account_id,
  userId: r.user_id,
  secretEnc: r.secret_enc,
  status: r.status,
  userName: r.user_name,
  userPath: r.user_path,
  uid: r.uid,
  account: rowToCallerAccount(r),
  ...rowToStampFields(r),
});

/** SessionStore.resolve: a session, its owner (user or role fields, the other's null), its account and stamp. */
export interface SessionResolved extends StsSession, StampFields {
  userName: string | null;
  userPath: string | null;
  uid: string | null;
  roleName: string | null;
  rolePath: string | null;
  rid: string | null;
  roleBoundary: string | null;
  /** The role's tags as stored (JSON text): part of the cache key, like userTagsJson. */
  roleTagsJson: string | null;
  account: CallerAccount;
}
export const rowToSessionResolved = (r: SessionResolveRow): SessionResolved => ({
  ...rowToStsSession(r),
  ...rowToStampFields(r),
  userName: r.user_name,
  userPath: r.user_path,
  uid: r.uid,
  roleName: r.role_name,
  rolePath: r.role_path,
  rid: r.rid,
  roleBoundary: r.role_boundary,
  roleTagsJson: r.role_tags,
  account: rowToCallerAccount(r),
});

/** PolicyStore.listInline, and the inline policies an authorisation detail carries. */
export interface InlinePolicyDocument { name: string; document: string }
/** PolicyStore.authorizationDetails: one kind's entities with what GetAccountAuthorizationDetails reports of each. */
export interface AuthorizationDetails {
  user: User & { inline: InlinePolicyDocument[]; attached: string[]; groups: string[] };
  group: Group & { inline: InlinePolicyDocument[]; attached: string[] };
  role: Role & { inline: InlinePolicyDocument[]; attached: string[] };
  policy: ManagedPolicy & { versions: PolicyVersion[] };
}
export type AuthorizationDetailKind = keyof AuthorizationDetails;
/** PolicyStore.groupsPolicies. */
export interface GroupsPolicies {
  inline: InlinePolicy[];
  attached: { groupId: string; policyArn: string }[];
}
