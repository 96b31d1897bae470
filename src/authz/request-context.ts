// The one place that builds the request context a policy is evaluated against: the global condition keys AWS
// puts in every request, with AWS's presence rules, and the keys that depend on the action, its input and the
// resource it acts on, as AWS's service authorization reference lists them for IAM and STS. The evaluator only
// reads the context; whether a key is absent, "false" or "true" is decided here (docs/authorization.md, reference
// §2.1). The authoriser and STS's AssumeRole (for the role's trust policy) both build their context here.
//
// principal: src/iam/context.ts Principal (session ⇔ temporary credentials); request: what the wire knows of the
// request (src/aws/handlers.ts RequestInfo) and its parsed input.
import type { RequestInfo } from '../aws/handlers.js';
import type { Principal, Tag } from '../iam/context.js';

/** A request context: condition keys as AWS spells them, each a string or a list; absent keys are not there. */
export type ContextKeys = Record<string, string | string[]>;

/** The service authorization reference's IAM resource types the authoriser names. */
export type ResourceType = 'user' | 'group' | 'role' | 'policy' | 'mfa';

/**
 * The resource a request acts on, with what the request context reads from it (the shape src/iam/resources.js
 * builds for IAM operations; STS's AssumeRole builds one for the role).
 */
export interface RequestTarget {
  /** The resource ARN ('*' for operations on no resource). */
  readonly arn: string;
  readonly type?: ResourceType | undefined;
  /** The existing resource's tags (absent when it does not exist yet, or has none to have). */
  readonly tags?: readonly Tag[] | undefined;
  /** A user's or role's permissions boundary ARN (null: none). */
  readonly boundary?: string | null | undefined;
  /** The calling IAM user itself: the authoriser fills tags and boundary from its stamp. */
  readonly self?: boolean | undefined;
}

/** The members of an operation's input that carry condition keys, as the wire parsed them against the model. */
export interface ActionInput {
  readonly Tags?: readonly Tag[] | undefined;
  readonly TagKeys?: readonly string[] | undefined;
  readonly PermissionsBoundary?: string | undefined;
  readonly PolicyArn?: string | undefined;
  readonly RoleArn?: string | undefined;
  readonly ExternalId?: string | undefined;
  readonly RoleSessionName?: string | undefined;
  readonly SourceIdentity?: string | undefined;
  readonly TransitiveTagKeys?: readonly string[] | undefined;
  /** A gatehouse: action's user (src/authz/gatehouse-actions.ts). */
  readonly UserName?: string | undefined;
}

/** What the request context reads of a request: its service, action, source, signing region and input. */
export interface ContextRequest extends Pick<RequestInfo, 'service' | 'action' | 'sourceIp' | 'secure'> {
  readonly auth?: Pick<RequestInfo['auth'], 'region'> | undefined;
  readonly input?: ActionInput | undefined;
}

export interface ContextOptions {
  readonly now?: Date | undefined;
  /** The principal's own (user's or role's) tags. */
  readonly tags?: readonly Tag[] | undefined;
  /** The resource acted on, with its tags and boundary. */
  readonly target?: RequestTarget | undefined;
  /** MFA proven in this very request (AssumeRole with SerialNumber/TokenCode). */
  readonly mfaAuthenticatedAt?: Date | undefined;
}

const TYPE: Readonly<Record<string, string>> = { root: 'Account', user: 'User', 'assumed-role': 'AssumedRole', 'federated-user': 'FederatedUser' };

/** ISO 8601 without milliseconds, as AWS writes aws:CurrentTime. */
const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** An IPv4 peer arrives as ::ffff:a.b.c.d on a dual-stack socket; policies name it as a.b.c.d. */
export function normalizeSourceIp(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

// Which actions carry which request keys (Service Authorization Reference, "Actions defined by AWS Identity and
// Access Management" and "... AWS Security Token Service"; only the operations Gatehouse serves).
const set = (...names: string[]): ReadonlySet<string> => new Set(names);
/** aws:RequestTag/${TagKey} and aws:TagKeys from the request's Tags. */
const TAGS_IN_REQUEST = set('iam:CreateUser', 'iam:CreateRole', 'iam:CreatePolicy', 'iam:CreateVirtualMFADevice',
  'iam:TagUser', 'iam:TagRole', 'iam:TagPolicy', 'iam:TagMFADevice', 'sts:AssumeRole');
/** aws:TagKeys from the request's TagKeys. */
const TAG_KEYS_IN_REQUEST = set('iam:UntagUser', 'iam:UntagRole', 'iam:UntagPolicy', 'iam:UntagMFADevice');
/** iam:PermissionsBoundary: the boundary the request sets. */
const BOUNDARY_IN_REQUEST = set('iam:CreateUser', 'iam:CreateRole', 'iam:PutUserPermissionsBoundary', 'iam:PutRolePermissionsBoundary');
/** iam:PermissionsBoundary: the boundary the target user or role has now. */
const BOUNDARY_OF_TARGET = set('iam:AttachUserPolicy', 'iam:DetachUserPolicy', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy',
  'iam:DeleteUserPermissionsBoundary', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy',
  'iam:DeleteRolePermissionsBoundary', 'iam:DeleteRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy');
/** iam:PolicyARN: the managed policy the request attaches or detaches. */
const POLICY_ARN_IN_REQUEST = set('iam:AttachUserPolicy', 'iam:DetachUserPolicy', 'iam:AttachGroupPolicy', 'iam:DetachGroupPolicy',
  'iam:AttachRolePolicy', 'iam:DetachRolePolicy');
/** Resource types whose tags are aws:ResourceTag/${TagKey}; users and roles also as iam:ResourceTag/${TagKey}. */
const TAGGED_RESOURCE: ReadonlySet<ResourceType | undefined> = new Set<ResourceType>(['user', 'role', 'policy', 'mfa']);
const IAM_TAGGED_RESOURCE: ReadonlySet<ResourceType | undefined> = new Set<ResourceType>(['user', 'role']);

/**
 * The principal's tags as aws:PrincipalTag sees them: the user's or role's own tags, then the session's tags
 * (passed or inherited as transitive), which override a role tag of the same key regardless of case.
 */
export function principalTags(entityTags: readonly Tag[] = [], sessionTags: readonly Tag[] = []): readonly Tag[] {
  if (sessionTags.length === 0) return entityTags;
  const byKey = new Map<string, Tag>();
  for (const t of entityTags) byKey.set(t.Key.toLowerCase(), t);
  for (const t of sessionTags) byKey.set(t.Key.toLowerCase(), t);
  return [...byKey.values()];
}

function putTags(c: ContextKeys, prefix: string, tags: readonly Tag[]): void {
  for (const t of tags) c[`${prefix}${t.Key}`] = t.Value;
}

/** The request context of one request; keys as AWS spells them, absent keys simply not there. */
export function buildRequestContext(principal: Principal, request: ContextRequest,
  { now = new Date(), tags = [], target, mfaAuthenticatedAt }: ContextOptions = {}): ContextKeys {
  const c: ContextKeys = {};
  const kind = principal.kind;
  const session = principal.session;
  c['aws:PrincipalType'] = TYPE[kind] ?? 'User';
  c['aws:PrincipalAccount'] = principal.accountId;
  // For a role session AWS gives the role's ARN here, not the assumed-role session ARN.
  c['aws:PrincipalArn'] = kind === 'assumed-role' ? (principal.roleArn ?? principal.arn) : principal.arn;
  if (kind === 'user') c['aws:username'] = principal.userName; // only IAM users carry aws:username
  c['aws:userid'] = kind === 'root' ? principal.accountId
    : kind === 'assumed-role' ? `${principal.roleId}:${principal.sessionName}`
      : principal.userId;
  putTags(c, 'aws:PrincipalTag/', principalTags(tags, session?.tags));
  if (session?.sourceIdentity) c['aws:SourceIdentity'] = session.sourceIdentity;

  c['aws:CurrentTime'] = isoSeconds(now);
  c['aws:EpochTime'] = String(Math.floor(now.getTime() / 1000));
  const ip = normalizeSourceIp(request.sourceIp);
  if (ip) c['aws:SourceIp'] = ip;
  c['aws:SecureTransport'] = request.secure ? 'true' : 'false';
  c['aws:ViaAWSService'] = 'false';
  // "IAM calls are always made to the us-east-1 Region"; STS reports the region the request was signed for.
  c['aws:RequestedRegion'] = request.service === 'iam' ? 'us-east-1' : (request.auth?.region ?? 'us-east-1');

  // MFA and token keys exist only for temporary credentials: absent for long-term access keys (user or root).
  // A code proven in this request (AssumeRole) counts as MFA for this request, as on a session issued with MFA.
  const mfaAt = mfaAuthenticatedAt ?? session?.mfaAuthenticatedAt ?? null;
  if (session || mfaAuthenticatedAt) {
    c['aws:TokenIssueTime'] = isoSeconds(session?.issuedAt ?? now);
    if (mfaAt) {
      c['aws:MultiFactorAuthPresent'] = 'true';
      c['aws:MultiFactorAuthAge'] = String(Math.max(0, Math.floor((now.getTime() - mfaAt.getTime()) / 1000)));
    } else {
      c['aws:MultiFactorAuthPresent'] = 'false';
    }
  }

  addActionKeys(c, `${request.service}:${request.action}`, request.input ?? {}, target);
  return c;
}

/** The keys of one action: from its input, and from the resource it acts on. */
function addActionKeys(c: ContextKeys, action: string, input: ActionInput, target: RequestTarget | undefined): void {
  if (TAGS_IN_REQUEST.has(action) && input.Tags?.length) {
    putTags(c, 'aws:RequestTag/', input.Tags);
    c['aws:TagKeys'] = input.Tags.map((t) => t.Key);
  }
  if (TAG_KEYS_IN_REQUEST.has(action) && input.TagKeys?.length) c['aws:TagKeys'] = [...input.TagKeys];
  if (BOUNDARY_IN_REQUEST.has(action) && input.PermissionsBoundary) c['iam:PermissionsBoundary'] = input.PermissionsBoundary;
  if (BOUNDARY_OF_TARGET.has(action) && target?.boundary) c['iam:PermissionsBoundary'] = target.boundary;
  if (POLICY_ARN_IN_REQUEST.has(action) && input.PolicyArn) c['iam:PolicyARN'] = input.PolicyArn;
  if (target?.tags && TAGGED_RESOURCE.has(target.type)) {
    putTags(c, 'aws:ResourceTag/', target.tags);
    if (IAM_TAGGED_RESOURCE.has(target.type)) putTags(c, 'iam:ResourceTag/', target.tags);
  }
  if (action === 'sts:AssumeRole') {
    if (input.ExternalId !== undefined) c['sts:ExternalId'] = input.ExternalId;
    if (input.RoleSessionName !== undefined) c['sts:RoleSessionName'] = input.RoleSessionName;
    if (input.SourceIdentity !== undefined) c['sts:SourceIdentity'] = input.SourceIdentity;
    if (input.TransitiveTagKeys?.length) c['sts:TransitiveTagKeys'] = [...input.TransitiveTagKeys];
  }
}
