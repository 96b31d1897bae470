// Authorisation step of the pipeline: every signed call is decided by the policy evaluator (src/policy) against
// the caller's identity policies and permissions boundary, and, for a role session that was given session
// policies, those session policies as a separate set, with the request context of request-context.ts.
// Root is allowed everything; sts:GetCallerIdentity and sts:GetSessionToken need no permission.
//
// Compiled policy sets are cached per principal. Before each use one query reads the account's authz_version
// counter (bumped in the same transaction as every policy, attachment and boundary change, on any node) together
// with the principal's group memberships, boundary and tags; a different stamp reloads the set. So a change made
// on any node sharing the database applies to the next request everywhere. See docs/authorization.md.
import type { RequestInfo } from '../aws/handlers.js';
import { accessDenied, ServiceError } from '../errors.js';
import type { AuthzStamp, Decider, OperationContext, Principal, RolePrincipal, Tag, UserPrincipal, Verdict } from '../iam/context.js';
import { passwordPolicyOf } from '../iam/login-profiles.js';
import { policyStore } from '../iam/policies.js';
import { managedPolicyDocuments, principalPolicyDocuments } from '../iam/principal-policies.js';
import { resourceTargetFor, userRes } from '../iam/resources.js';
import { GATEHOUSE_ACTIONS, isGatehouseAction } from './gatehouse-actions.js';
import { compilePolicy, evaluate, parsePolicyDocument } from '../policy/index.js';
import type { CompiledPolicy, CompileOptions, Decision } from '../policy/index.js';
import type { IamStore } from '../store/iam-store.js';
import { buildRequestContext } from './request-context.js';
import type { ActionInput, ContextKeys, RequestTarget } from './request-context.js';

// Calls AWS answers for any authenticated caller, whatever its policies ("you cannot use policies to control
// authentication operations").
export const NO_PERMISSION_NEEDED = new Set(['sts:GetCallerIdentity', 'sts:GetSessionToken']);

// What AllowUsersToChangePassword in the account password policy grants every IAM user: treated as one more
// identity policy, so an explicit Deny (e.g. AWS's MFA enforcement policy) still wins over it.
const CHANGE_OWN_PASSWORD = compilePolicy(parsePolicyDocument(JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iam:ChangePassword', Resource: 'arn:aws:iam::*:user/${aws:username}' },
    { Effect: 'Allow', Action: 'iam:GetAccountPasswordPolicy', Resource: '*' },
  ],
}), { kind: 'identity' }), { id: 'AllowUsersToChangePassword', type: 'none' });

const CACHE_LIMIT = 10_000;
const ALLOWED: Verdict = Object.freeze({ decision: 'allowed', identity: 'allowed', session: null });

/** A request as the authoriser sees it: what the wire knows of it and its parsed input. */
export interface AuthzRequest extends RequestInfo {
  readonly input?: ActionInput | undefined;
}

/** What authorize hands back: a decider for the handler that decides for itself (sts:AssumeRole), else nothing. */
export type Authorize = (ctx: OperationContext, request: AuthzRequest) => Promise<Decider | undefined>;

/** A principal's compiled policies and tags, as cached under its stamp. */
interface PolicySet {
  readonly identity: readonly CompiledPolicy[];
  /** Absent: no permissions boundary; empty: a boundary that allows nothing. */
  readonly boundary: readonly CompiledPolicy[] | undefined;
  readonly boundaryArn: string | null;
  readonly tags: readonly Tag[];
}
interface CachedSet extends PolicySet { readonly stampKey: string }

const NO_POLICIES: PolicySet = { identity: [], boundary: undefined, boundaryArn: null, tags: [] };

/**
 * The resource a request acts on, with what the request context needs from it: resources.js for IAM; the role for
 * sts:AssumeRole (its tags are added by the STS handler, which reads the role); otherwise '*'.
 */
export async function requestTarget(ctx: OperationContext, request: AuthzRequest): Promise<RequestTarget> {
  if (request.service === 'iam') return resourceTargetFor(ctx, request.action, request.input);
  if (request.service === 'gatehouse' && isGatehouseAction(request.action) && GATEHOUSE_ACTIONS[request.action] === 'user') {
    return userRes(ctx, request.input?.UserName);
  }
  if (request.service === 'sts' && request.action.startsWith('AssumeRole') && request.input?.RoleArn) return { arn: request.input.RoleArn, type: 'role' };
  return { arn: '*' };
}

/** The resource ARN a request acts on. */
export async function requestResource(ctx: OperationContext, request: AuthzRequest): Promise<string> {
  return (await requestTarget(ctx, request)).arn;
}

/** Map.set with a bound: past the limit the oldest entry goes. */
function boundedSet<K, V>(map: Map<K, V>, key: K, value: V, limit = CACHE_LIMIT): void {
  map.delete(key);
  if (map.size >= limit) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}

export function createAuthorizer({ store }: { store: IamStore }): Authorize {
  const ps = policyStore(store);
  const sets = new Map<string, CachedSet>(); // `${kind}:${id}` → the principal's set under its stamp
  const sessionSets = new Map<string, { version: string; policies: readonly CompiledPolicy[] }>(); // session access key id →
  const compiled = new Map<string, { document: string; policy: CompiledPolicy }>(); // cache key →
  const boundaryIds = new Set<string>();

  function compileCached(key: string, document: string, options: CompileOptions, asBoundary = false): CompiledPolicy {
    const hit = compiled.get(key);
    if (hit && hit.document === document) return hit.policy;
    // Documents were validated when written; a failure here is a bug and must not skip the policy silently.
    const policy = compilePolicy(parsePolicyDocument(document, { kind: 'identity' }), options);
    boundedSet(compiled, key, { document, policy }, CACHE_LIMIT * 4);
    if (asBoundary) boundaryIds.add(options.id);
    return policy;
  }

  /** Compile what principal-policies.ts gathers (the one place that knows which policies a principal carries). */
  async function load(p: UserPrincipal | RolePrincipal, stamp: AuthzStamp): Promise<Omit<PolicySet, 'tags'>> {
    const docs = await principalPolicyDocuments(store.db, p.kind === 'user'
      ? { kind: 'user', id: p.userId, groupIds: stamp.groups, boundaryArn: stamp.boundary }
      : { kind: 'role', id: p.roleId, boundaryArn: stamp.boundary });
    const identity = docs.identity.map((e) => compileCached(e.key, e.document, { id: e.id, type: e.type }));
    const b = docs.boundary;
    // A boundary naming a policy that no longer exists (null) allows nothing.
    const boundary = b === undefined ? undefined : b === null ? [] : [compileCached(b.key, b.document, { id: b.id, type: b.type }, true)];
    return { identity, boundary, boundaryArn: stamp.boundary ?? null };
  }

  /** The principal's compiled policies and tags, from the cache while its stamp is unchanged. */
  async function policySetFor(p: Principal): Promise<PolicySet> {
    let key: string;
    let stamp: AuthzStamp;
    if (p.kind === 'user') {
      key = `user:${p.userId}`;
      stamp = p.stamp ?? await ps.userStamp(p.accountId, p.userId);
    } else if (p.kind === 'assumed-role' && p.roleId) {
      key = `role:${p.roleId}`;
      stamp = p.stamp ?? await ps.roleStamp(p.accountId, p.roleId);
    } else {
      return NO_POLICIES;
    }
    if (!stamp.exists) return NO_POLICIES;
    const stampKey = `${stamp.version}|${stamp.groups.join(',')}|${stamp.boundary ?? ''}|${stamp.tags}`;
    const hit = sets.get(key);
    if (hit && hit.stampKey === stampKey) return hit;
    const loaded = await load(p, stamp);
    const tags: Tag[] = JSON.parse(stamp.tags); // the store's tags column: a JSON list the store wrote
    const entry: CachedSet = { stampKey, ...loaded, tags };
    boundedSet(sets, key, entry);
    return entry;
  }

  /**
   * A role session's session policies (AssumeRole Policy and PolicyArns), compiled; null when it has none. A
   * managed session policy is read at its current default version (the cache follows authz_version); one that no
   * longer exists allows nothing.
   */
  async function sessionPoliciesFor(p: Principal): Promise<readonly CompiledPolicy[] | null> {
    const s = p.session;
    if (!s || (!s.policy && !s.policyArns?.length)) return null;
    // Session policies come only with AssumeRole, so the principal is a role session.
    if (p.kind !== 'assumed-role') return null;
    const version: string = p.stamp?.version ?? (await ps.roleStamp(p.accountId, p.roleId)).version;
    const hit = sessionSets.get(p.accessKeyId);
    if (hit && hit.version === version) return hit.policies;
    const policies: CompiledPolicy[] = [];
    if (s.policy) policies.push(compileCached(`session|${p.accessKeyId}`, s.policy, { id: 'SessionPolicy', type: 'none' }));
    if (s.policyArns?.length) {
      const docs = await managedPolicyDocuments(ps, s.policyArns);
      for (const a of s.policyArns) {
        const d = docs.get(a);
        if (d) policies.push(compileCached(`m|${a}|${d.versionId}`, d.document, { id: a, type: d.aws ? 'aws-managed' : 'user-managed' }));
      }
    }
    boundedSet(sessionSets, p.accessKeyId, { version, policies });
    return policies;
  }

  function denial(p: Principal, action: string, resource: string, why: string | undefined): ServiceError {
    return accessDenied(`User: ${p.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`);
  }

  /**
   * AWS's decision for one account: an explicit Deny in any policy (identity, boundary, session) denies; else the
   * identity policies must allow, and the boundary and the session policies, when present, must allow too. The
   * session policies are evaluated as their own set.
   */
  function judge(set: PolicySet, identity: readonly CompiledPolicy[], session: readonly CompiledPolicy[] | null,
    action: string, resource: string, context: ContextKeys): Verdict {
    const req = { action, resource, context };
    const r = evaluate(req, { identity, boundary: set.boundary });
    if (r.decision === 'allowed' && session === null) return ALLOWED;
    const s = session === null ? null : evaluate(req, { identity: session });
    const verdict = (decision: Decision, why?: string): Verdict => ({ decision, identity: r.decision, session: s?.decision ?? null, why });
    if (r.decision === 'explicitDeny') {
      const inBoundary = r.matchedStatements.every((st) => boundaryIds.has(st.sourcePolicyId));
      return verdict('explicitDeny', inBoundary ? 'with an explicit deny in a permissions boundary' : 'with an explicit deny in an identity-based policy');
    }
    if (s?.decision === 'explicitDeny') return verdict('explicitDeny', 'with an explicit deny in a session policy');
    // Here s is null only if r did not allow (an allow without session policies returned above).
    if (r.decision === 'allowed' && s?.decision === 'allowed') return verdict('allowed');
    if (r.decision !== 'allowed') {
      if (set.boundary && evaluate(req, { identity }).decision === 'allowed') return verdict('implicitDeny', `because no permissions boundary allows the ${action} action`);
      return verdict('implicitDeny', `because no identity-based policy allows the ${action} action`);
    }
    return verdict('implicitDeny', `because no session policy allows the ${action} action`);
  }

  return async function authorize(ctx: OperationContext, request: AuthzRequest): Promise<Decider | undefined> {
    const p = ctx.principal;
    const action = `${request.service}:${request.action}`;
    if (NO_PERMISSION_NEEDED.has(action)) return undefined;

    // GetSessionToken credentials without MFA may call no IAM operation and no STS operation but AssumeRole and
    // GetCallerIdentity (AWS, "Comparing the AWS STS API operations"); AWS answers as for an unknown token. This
    // holds for the root user's sessions too, so it comes before root's unconditional allow.
    const session = p.session;
    if (session?.source === 'GetSessionToken' && !session.mfaAuthenticatedAt
      && (request.service === 'iam' || (request.service === 'sts' && request.action !== 'AssumeRole'))) {
      throw new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid');
    }
    if (p.kind === 'root') return undefined;

    const set = await policySetFor(p);
    const identity = p.kind === 'user' && passwordPolicyOf(ctx.account)?.AllowUsersToChangePassword
      ? [...set.identity, CHANGE_OWN_PASSWORD] : set.identity;
    const sessionPolicies = p.session ? await sessionPoliciesFor(p) : null;

    // AssumeRole is decided by the handler (src/sts), which reads the role, builds the context with it and combines
    // these decisions (also for sts:TagSession and sts:SetSourceIdentity) with the role's trust policy.
    if (action === 'sts:AssumeRole') {
      return {
        context: (extra = {}) => buildRequestContext(p, request, { now: ctx.now, tags: set.tags, ...extra }),
        decide: (act, resource, context) => judge(set, identity, sessionPolicies, act, resource, context),
      };
    }

    const found = await requestTarget(ctx, request);
    // The calling user itself: its tags and boundary are those of its stamp, already read.
    const target = found.self ? { ...found, tags: set.tags, boundary: set.boundaryArn } : found;
    const context = buildRequestContext(p, request, { now: ctx.now, tags: set.tags, target });
    const verdict = judge(set, identity, sessionPolicies, action, target.arn, context);
    if (verdict.decision !== 'allowed') throw denial(p, action, target.arn, verdict.why);
    return undefined;
  };
}
