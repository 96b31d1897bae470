// STS: temporary credentials and the MFA context they carry.
// - GetCallerIdentity and GetSessionToken need no permission (policies cannot block authentication).
// - GetSessionToken: long-term credentials only; 900–129600 s for IAM users (default 43200), root at most 3600
//   (a longer request silently becomes 3600). With SerialNumber and TokenCode the code is checked by the one MFA
//   verifier (replay guard, drift, lock) and the session carries aws:MultiFactorAuthPresent=true.
// - AssumeRole: the role's trust policy must allow the caller (evaluated with the MFA context of this request),
//   and, unless the trust policy names the caller itself, the caller's identity policies must allow
//   sts:AssumeRole on the role. Root cannot assume roles. Role chaining is limited to one hour.
//   Session tags (Tags, TransitiveTagKeys) need sts:TagSession, a SourceIdentity sts:SetSourceIdentity, in the
//   same way. Session policies (Policy, PolicyArns) are stored with the session and evaluated as their own set
//   on every request it signs (the authoriser): they never grant more than the role's policies. The authoriser
//   hands AssumeRole a decider (ctx.authz) for the caller's policies; the handler combines it with the trust policy.
// Every session records its originating identity (the IAM user or root whose long-term keys began the chain).
import { observe } from '../observe.js';
import { createHash, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { ServiceError, accessDenied, validationError } from '../errors.js';
import { newId, newSecretAccessKey, arn } from '../iam/arn.js';
import { verifyMfaCode } from '../iam/mfa-devices.js';
import { originOf } from '../iam/principals.js';
import { managedPolicyDocuments } from '../iam/principal-policies.js';
import { policyStore, withPolicyErrors } from '../iam/policies.js';
import { compilePolicy, evaluate, parsePolicyDocument } from '../policy/index.js';
import type { ParsedPolicy } from '../policy/index.js';
import type { HandlerMap, StsOperations } from '../aws/handlers.js';
import type { AssumeRoleRequest, AssumeRoleResponse, Credentials, PolicyDescriptorType } from '../aws/models/sts.generated.js';
import type { OperationContext, Origin, Principal, ServerConfig, SessionInfo, Tag } from '../iam/context.js';

const USER_DEFAULT_SECONDS = 43200;
const ROOT_MAX_SECONDS = 3600;
const ROLE_CHAINING_MAX_SECONDS = 3600;

// Session policies: "The plaintext that you use for both inline and managed session policies can't exceed 2,048
// characters"; "up to 10 managed policy ARNs" (AssumeRole API reference).
export const SESSION_POLICY_MAX_CHARS = 2048;
export const SESSION_POLICY_ARNS_MAX = 10;
// What session policies and session tags may take once packed. AWS packs them into a binary format with an
// unpublished limit and reports the use as PackedPolicySize (a percentage). Gatehouse's measure: the inline policy
// compressed (deflate, whitespace removed first), plus the policy ARNs and every session tag key and value as
// UTF-8 bytes (inherited transitive tags included), against 2,048 bytes.
export const PACKED_LIMIT_BYTES = 2048;

// How many sessions one originating identity (an IAM user or the root user, with all its access keys and every
// role session descending from them) may hold and obtain: at most SESSIONS_PER_MINUTE new sessions (GetSessionToken
// and AssumeRole together) in any 60 seconds, and at most MAX_LIVE_SESSIONS unexpired ones. Counted in the
// database, so the bound holds across nodes. Beyond it: Throttling (400) "Rate exceeded", AWS's answer when STS
// throttles. Both are settings (GATEHOUSE_STS_SESSIONS_PER_MINUTE, GATEHOUSE_STS_MAX_LIVE_SESSIONS).
export const DEFAULT_SESSIONS_PER_MINUTE = 60;
export const DEFAULT_MAX_LIVE_SESSIONS = 1000;

function sessionLimits(config: ServerConfig | undefined): { perMinute: number; maxLive: number } {
  const setting = (v: unknown, d: number): number => (Number.isInteger(Number(v)) && Number(v) > 0 ? Number(v) : d);
  return {
    perMinute: setting(config?.stsSessionsPerMinute, DEFAULT_SESSIONS_PER_MINUTE),
    maxLive: setting(config?.stsMaxLiveSessions, DEFAULT_MAX_LIVE_SESSIONS),
  };
}

const MFA_INVALID = 'MultiFactorAuthentication failed with invalid MFA one time pass code. ';
/** The lock's message says until when (UTC), or that only an administrator can lift it. */
export const mfaLockedMessage = (until: Date | null): string => (until
  ? `MultiFactorAuthentication failed: too many failed attempts for this user; codes are refused until ${until.toISOString()}.`
  : 'MultiFactorAuthentication failed: too many failed attempts for this user; codes are refused until an administrator lifts the lock.');
// AWS accepts only TOTP codes here ("You can't use passkeys or security keys with the AWS CLI or API"); its exact
// words for a FIDO serial are not documented, so Gatehouse keeps AWS's prefix and says why.
const MFA_FIDO = 'MultiFactorAuthentication failed: the MFA device is a passkey or security key (FIDO), which cannot be used with GetSessionToken or AssumeRole; use the code of a virtual or hardware MFA device.';

const invalidParameter = (message: string): ServiceError => new ServiceError('InvalidParameterValue', message);

/** Check SerialNumber/TokenCode for the caller; returns the time of authentication or throws AccessDenied. */
async function authenticateMfa(ctx: OperationContext, input: { readonly SerialNumber?: string | undefined; readonly TokenCode?: string | undefined }): Promise<Date | null> {
  if (input.SerialNumber === undefined && input.TokenCode === undefined) return null;
  if (input.SerialNumber === undefined || input.TokenCode === undefined) {
    throw accessDenied('MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.');
  }
  const p = ctx.principal;
  if (p.kind !== 'user' && p.kind !== 'root') throw accessDenied(MFA_INVALID);
  const r = await verifyMfaCode(ctx, {
    serialNumber: input.SerialNumber,
    ownerType: p.kind,
    ownerId: p.kind === 'root' ? p.accountId : p.userId,
    code: input.TokenCode,
  });
  if (!r.ok) throw accessDenied(r.reason === 'locked' ? mfaLockedMessage(r.lockedUntil) : r.reason === 'not-a-code-device' ? MFA_FIDO : MFA_INVALID);
  return ctx.now;
}

/** A session to issue: whose it is, for how long, and what it carries. */
export interface SessionToIssue {
  readonly source: SessionInfo['source'];
  readonly principalType: 'user' | 'root' | 'role';
  readonly principalId: string;
  readonly sessionName?: string | undefined;
  readonly seconds: number;
  readonly mfaAt: Date | null;
  readonly mfaSerial: string | null | undefined;
  readonly origin: Origin | null;
  readonly sessionTags?: readonly Tag[] | undefined;
  readonly transitiveTagKeys?: readonly string[] | undefined;
  readonly policy?: string | null | undefined;
  readonly policyArns?: readonly string[] | undefined;
  readonly sourceIdentity?: string | null | undefined;
}

/**
 * Store a new session and return the Credentials shape (the secret and token leave only here). The console's
 * sign-in (src/signin) issues its sessions here too, as source 'ConsoleSignIn'.
 */
export async function issue(ctx: Pick<OperationContext, 'sessions' | 'secrets' | 'account' | 'now' | 'config'>, { source, principalType, principalId, sessionName, seconds, mfaAt, mfaSerial, origin, sessionTags, transitiveTagKeys, policy, policyArns, sourceIdentity }: SessionToIssue): Promise<Credentials> {
  const accessKeyId = newId.sessionKey();
  const secret = newSecretAccessKey();
  const token = `GH${randomBytes(96).toString('base64')}`;
  const expires = new Date(ctx.now.getTime() + seconds * 1000);
  const refused = await ctx.sessions.insertBounded({
    accessKeyId,
    accountId: ctx.account.accountId,
    source,
    principalType,
    principalId,
    sessionName,
    secretEnc: ctx.secrets.seal(secret, `sts-session:${accessKeyId}`),
    tokenHash: createHash('sha256').update(token).digest('hex'),
    issuedAt: ctx.now.toISOString(),
    expiresAtMs: expires.getTime(),
    mfaAuthenticatedAt: mfaAt ? mfaAt.toISOString() : null,
    mfaSerial: mfaSerial ?? null,
    // An unknown origin (a chain begun before origins were recorded) is kept as such: never taken for anyone's.
    originType: origin?.type ?? 'unknown',
    originId: origin?.id ?? principalId,
    sourceIdentity: sourceIdentity ?? null,
    sessionTags: sessionTags?.length ? sessionTags : null,
    transitiveTagKeys: transitiveTagKeys?.length ? transitiveTagKeys : null,
    sessionPolicy: policy ?? null,
    sessionPolicyArns: policyArns?.length ? policyArns : null,
  }, { ...sessionLimits(ctx.config), nowMs: ctx.now.getTime() });
  if (refused) throw new ServiceError('Throttling', 'Rate exceeded');
  observe({ kind: 'session-issued', source });
  return { AccessKeyId: accessKeyId, SecretAccessKey: secret, SessionToken: token, Expiration: expires };
}

/** arn:aws:iam::ACCOUNT:role/PATH/NAME → { account, path, name } */
function parseRoleArn(value: string): { account: string; path: string; name: string } | null {
  const m = /^arn:aws:iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]+)$/.exec(value);
  if (!m) return null;
  const [, account = '', path = '', name = ''] = m; // every group takes part in a match
  return { account, path, name };
}

/**
 * Does a trust-policy statement that allowed name this caller, not just its account? 'exact' when it names the
 * caller's own ARN (a user, or the assumed-role session ARN), 'role' when it names a session's role ARN.
 */
function namesCaller(parsedTrust: ParsedPolicy, statementIndex: number, principal: Principal): 'exact' | 'role' | null {
  const st = parsedTrust.statements[statementIndex];
  const aws = st?.principal?.AWS ?? [];
  if (aws.includes(principal.arn)) return 'exact';
  if (principal.kind === 'assumed-role' && aws.includes(principal.roleArn)) return 'role';
  return null;
}

/**
 * The session tags of a new role session: the calling session's transitive tags, then the tags passed now.
 * AWS's rules: tag keys are unique regardless of case; a transitive key must be one of the passed tags; a passed
 * tag may not override a transitive tag inherited from the calling session.
 */
function sessionTagsFor(p: Principal, input: AssumeRoleRequest): { passed: readonly Tag[]; tags: Tag[]; transitiveTagKeys: string[] } {
  const passed = input.Tags ?? [];
  const keys = new Set<string>();
  for (const t of passed) {
    const k = t.Key.toLowerCase();
    if (keys.has(k)) throw invalidParameter('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    keys.add(k);
  }
  const transitive: string[] = [];
  for (const k of input.TransitiveTagKeys ?? []) {
    if (!keys.has(k.toLowerCase())) throw invalidParameter('The specified transitive tag key must be included in the requested tags.');
    if (!transitive.some((t) => t.toLowerCase() === k.toLowerCase())) transitive.push(k);
  }
  const inheritedKeys = new Set((p.session?.transitiveTagKeys ?? []).map((k) => k.toLowerCase()));
  const inherited = (p.session?.tags ?? []).filter((t) => inheritedKeys.has(t.Key.toLowerCase()));
  if (passed.some((t) => inheritedKeys.has(t.Key.toLowerCase()))) {
    throw invalidParameter("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.");
  }
  return { passed, tags: [...inherited, ...passed], transitiveTagKeys: [...inherited.map((t) => t.Key), ...transitive] };
}

const tooLong = (value: string, member: string, max: number): ServiceError => validationError(
  `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);

/** The inline session policy and the managed session policy ARNs, checked as far as the request alone allows. */
function sessionPolicyInput(input: AssumeRoleRequest): { policy: string | null; policyArns: string[] } {
  let policy: string | null = null;
  if (input.Policy !== undefined) {
    if ([...input.Policy].length > SESSION_POLICY_MAX_CHARS) throw tooLong(input.Policy, 'policy', SESSION_POLICY_MAX_CHARS);
    const text = input.Policy;
    withPolicyErrors(() => parsePolicyDocument(text, { kind: 'identity' }), (e) => new ServiceError('MalformedPolicyDocument', e.message));
    policy = input.Policy;
  }
  const descriptors: readonly PolicyDescriptorType[] = input.PolicyArns ?? [];
  if (descriptors.length > SESSION_POLICY_ARNS_MAX) {
    throw tooLong(`[${descriptors.map((d) => d.arn).join(', ')}]`, 'policyArns', SESSION_POLICY_ARNS_MAX);
  }
  const policyArns: string[] = [];
  for (const [i, d] of descriptors.entries()) {
    if (!d.arn) throw invalidParameter(`PolicyArns.member.${i + 1}.arn is required.`);
    if (!/^arn:aws:iam::(aws|\d{12}):policy\/.+$/.test(d.arn)) throw invalidParameter(`${d.arn} is not a valid managed policy ARN.`);
    if (!policyArns.includes(d.arn)) policyArns.push(d.arn);
  }
  return { policy, policyArns };
}

/** Gatehouse's packed size (see PACKED_LIMIT_BYTES) as a percentage of the limit. */
export function packedPercent({ policy, policyArns = [], tags = [] }: {
  readonly policy: string | null; readonly policyArns?: readonly string[]; readonly tags?: readonly Tag[];
}): number {
  let bytes = policy ? deflateRawSync(Buffer.from(JSON.stringify(JSON.parse(policy))), { level: 9 }).length : 0;
  for (const a of policyArns) bytes += Buffer.byteLength(a);
  for (const t of tags) bytes += Buffer.byteLength(t.Key) + Buffer.byteLength(t.Value);
  return Math.ceil((bytes * 100) / PACKED_LIMIT_BYTES);
}

/** The STS operations Gatehouse serves: each must have its handler below. */
export type ServedStsOperation = 'GetCallerIdentity' | 'GetSessionToken' | 'AssumeRole';

export const stsHandlers: HandlerMap<StsOperations, ServedStsOperation, OperationContext> = {
  async GetCallerIdentity(ctx) {
    const p = ctx.principal;
    return { UserId: p.userId, Account: p.accountId, Arn: p.arn };
  },

  async GetSessionToken(ctx, input) {
    const p = ctx.principal;
    if (p.session) throw accessDenied('Cannot call GetSessionToken with session credentials');
    const root = p.kind === 'root';
    let seconds = input.DurationSeconds ?? (root ? ROOT_MAX_SECONDS : USER_DEFAULT_SECONDS);
    if (root) seconds = Math.min(seconds, ROOT_MAX_SECONDS);
    const mfaAt = await authenticateMfa(ctx, input);
    const Credentials = await issue(ctx, {
      source: 'GetSessionToken',
      principalType: root ? 'root' : 'user',
      principalId: root ? p.accountId : p.userId,
      seconds,
      mfaAt,
      mfaSerial: mfaAt ? input.SerialNumber : null,
      origin: originOf(p),
    });
    return { Credentials };
  },

  async AssumeRole(ctx, input) {
    // Not an ARN at all: ValidationError "<arn> is invalid" (LocalStack's AWS-validated test_sts_invalid_parameters).
    if (!/^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/s.test(input.RoleArn)) throw validationError(`${input.RoleArn} is invalid`);
    const p = ctx.principal;
    if (p.kind === 'root') throw accessDenied('Roles may not be assumed by root accounts.');
    // The authoriser leaves sts:AssumeRole to this handler and hands it the caller's policies to decide with.
    const authz = ctx.authz;
    if (!authz) throw new Error('sts:AssumeRole reached its handler without the authoriser\'s decider');
    const deny = (action: string, why = ''): ServiceError => accessDenied(`User: ${p.arn} is not authorized to perform: ${action} on resource: ${input.RoleArn}${why}`);

    // What the request alone decides: tags, session policies, the packed size.
    const { passed, tags, transitiveTagKeys } = sessionTagsFor(p, input);
    const { policy, policyArns } = sessionPolicyInput(input);
    const packing = policy || policyArns.length || tags.length ? packedPercent({ policy, policyArns, tags }) : null;
    if (packing !== null && packing > 100) {
      throw new ServiceError('PackedPolicyTooLarge', policy || policyArns.length
        ? `Packed size of session policies and session tags consumes ${packing}% of allotted space.`
        : `Packed size of session tags consumes ${packing}% of allotted space.`);
    }

    const parsedArn = parseRoleArn(input.RoleArn);
    if (!parsedArn || parsedArn.account !== ctx.account.accountId) throw deny('sts:AssumeRole');
    const role = await policyStore(ctx).getRole(ctx.account.accountId, parsedArn.name);
    if (!role || role.path !== parsedArn.path || role.name !== parsedArn.name) throw deny('sts:AssumeRole');

    // The request context (the authoriser's, built with the role's tags as the target's), with the MFA of this
    // request: codes given here, else whatever the caller's own session carries.
    const mfaAt = await authenticateMfa(ctx, input);
    const roleTags: Tag[] = [...role.tags];
    const target = { arn: input.RoleArn, type: 'role' as const, tags: roleTags };
    const context = authz.context({ target, mfaAuthenticatedAt: mfaAt ?? undefined });

    const trustParsed = parsePolicyDocument(role.assumeRolePolicy, { kind: 'trust' });
    const trust = compilePolicy(trustParsed, { id: 'TrustPolicy', type: 'resource' });
    // The caller as the trust policy sees it: a role session is matched by its session ARN and by its role's ARN,
    // path included (the session ARN carries no path, so the role ARN cannot be rebuilt from it).
    const principal = { type: 'AWS' as const, id: p.arn, roleArn: p.kind === 'assumed-role' ? p.roleArn : undefined };
    /**
     * One action on the role (sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity): the trust policy must allow
     * it; and the caller's policies must too, unless the trust policy names the caller itself. A trust policy that
     * names a session's role (not the session) still leaves the session policies in force. An explicit Deny in
     * the caller's policies always wins.
     */
    const authorizeOnRole = (action: string): void => {
      const t = evaluate({ action, resource: input.RoleArn, context, principal }, { identity: [], resource: trust });
      if (t.decision !== 'allowed') throw deny(action);
      // The verdict also gives the identity-based and the session policies' decisions apart.
      const d = authz.decide(action, input.RoleArn, context);
      if (d.decision === 'allowed') return;
      if (d.decision === 'explicitDeny') throw deny(action);
      const named = t.matchedStatements.map((s) => namesCaller(trustParsed, s.statementIndex, p));
      if (named.includes('exact')) return;
      if (named.includes('role') && d.identity !== 'explicitDeny' && (d.session === null || d.session === 'allowed')) return;
      throw deny(action);
    };
    authorizeOnRole('sts:AssumeRole');
    if (passed.length || input.TransitiveTagKeys?.length) authorizeOnRole('sts:TagSession');
    // A source identity, once set, stays for the whole role chain and cannot change; every role it is carried
    // into must allow sts:SetSourceIdentity.
    const inheritedSource = p.session?.sourceIdentity ?? null;
    if (input.SourceIdentity !== undefined && inheritedSource !== null && input.SourceIdentity !== inheritedSource) {
      throw deny('sts:SetSourceIdentity', ': the source identity of a role chain cannot be changed');
    }
    const sourceIdentity = input.SourceIdentity ?? inheritedSource;
    if (sourceIdentity !== null) authorizeOnRole('sts:SetSourceIdentity');

    // Managed session policies must exist (customer managed in this account, or AWS managed).
    if (policyArns.length) {
      const docs = await managedPolicyDocuments(policyStore(ctx), policyArns);
      for (const a of policyArns) if (!docs.has(a)) throw invalidParameter(`Policy ${a} does not exist or is not attachable.`);
    }

    const max = p.kind === 'assumed-role' ? Math.min(ROLE_CHAINING_MAX_SECONDS, Number(role.maxSessionDuration)) : Number(role.maxSessionDuration);
    const seconds = input.DurationSeconds ?? 3600;
    if (seconds > max) {
      throw validationError(`The requested DurationSeconds exceeds the ${p.kind === 'assumed-role' ? '1 hour session limit for roles assumed by role chaining' : 'MaxSessionDuration set for this role'}.`);
    }
    const Credentials = await issue(ctx, {
      source: 'AssumeRole',
      principalType: 'role',
      principalId: role.roleId,
      sessionName: input.RoleSessionName,
      seconds,
      mfaAt: mfaAt ?? p.session?.mfaAuthenticatedAt ?? null,
      mfaSerial: mfaAt ? input.SerialNumber : null,
      // The identity the new session descends from: the caller's own, carried through role chains.
      origin: originOf(p),
      sessionTags: tags,
      transitiveTagKeys,
      // Session policies apply to this session only: a session it assumes a role with starts without them.
      policy,
      policyArns,
      sourceIdentity,
    });
    const out: AssumeRoleResponse = {
      Credentials,
      AssumedRoleUser: {
        AssumedRoleId: `${role.roleId}:${input.RoleSessionName}`,
        Arn: arn.assumedRole(ctx.account.accountId, role.name, input.RoleSessionName),
      },
    };
    if (packing !== null) out.PackedPolicySize = packing;
    if (sourceIdentity !== null) out.SourceIdentity = sourceIdentity;
    return out;
  },
};
