// Authorisation step of the pipeline: every signed call is decided by the policy evaluator (src/policy) against
// the caller's identity policies and permissions boundary, with the request context of request-context.js.
// Root is allowed everything; sts:GetCallerIdentity and sts:GetSessionToken need no permission.
//
// Compiled policy sets are cached per principal. Before each use one query reads the account's authz_version
// counter (bumped in the same transaction as every policy, attachment and boundary change, on any node) together
// with the principal's group memberships, boundary and tags; a different stamp reloads the set. So a change made
// on any node sharing the database applies to the next request everywhere. See docs/authorization.md.
import { accessDenied, AwsError } from '../aws/errors.js';
import { resourceFor } from '../iam/resources.js';
import { passwordPolicyOf } from '../iam/login-profiles.js';
import { principalPolicyDocuments } from '../iam/principal-policies.js';
import { compilePolicy, evaluate, parsePolicyDocument } from '../policy/index.js';
import { PolicyStore } from '../store/policy-store.js';
import { buildRequestContext } from './request-context.js';

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

/** The resource ARN a request acts on: resources.js for IAM; the role for sts:AssumeRole; otherwise '*'. */
export async function requestResource(ctx, request) {
  if (request.service === 'iam') return resourceFor(ctx, request.action, request.input);
  if (request.service === 'sts' && request.action.startsWith('AssumeRole') && request.input?.RoleArn) return request.input.RoleArn;
  return '*';
}

export function createAuthorizer({ store }) {
  const ps = new PolicyStore(store.db);
  const sets = new Map(); // `${kind}:${id}` → { stamp, identity, boundary, tags }
  const compiled = new Map(); // cache key → { document, policy }
  const boundaryIds = new Set();

  function compileCached(key, document, options, asBoundary = false) {
    const hit = compiled.get(key);
    if (hit && hit.document === document) return hit.policy;
    if (compiled.size >= CACHE_LIMIT * 4) compiled.clear();
    // Documents were validated when written; a failure here is a bug and must not skip the policy silently.
    const policy = compilePolicy(parsePolicyDocument(document, { kind: 'identity' }), options);
    compiled.set(key, { document, policy });
    if (asBoundary) boundaryIds.add(options.id);
    return policy;
  }

  /** Compile what principal-policies.js gathers (the one place that knows which policies a principal carries). */
  async function load(p, stamp) {
    const docs = await principalPolicyDocuments(store.db, p.kind === 'user'
      ? { kind: 'user', id: p.userId, groupIds: stamp.groups, boundaryArn: stamp.boundary }
      : { kind: 'role', id: p.roleId, boundaryArn: stamp.boundary });
    const identity = docs.identity.map((e) => compileCached(e.key, e.document, { id: e.id, type: e.type }));
    const b = docs.boundary;
    // A boundary naming a policy that no longer exists (null) allows nothing.
    const boundary = b === undefined ? undefined : b === null ? [] : [compileCached(b.key, b.document, { id: b.id, type: b.type }, true)];
    return { identity, boundary };
  }

  /** The principal's compiled policies and tags, from the cache while its stamp is unchanged. */
  async function policySetFor(p) {
    let key;
    let stamp;
    if (p.kind === 'user') {
      key = `user:${p.userId}`;
      stamp = p.stamp ?? await ps.userStamp(p.accountId, p.userId);
    } else if (p.kind === 'assumed-role' && p.roleId) {
      key = `role:${p.roleId}`;
      stamp = p.stamp ?? await ps.roleStamp(p.accountId, p.roleId);
    } else {
      return { identity: [], boundary: undefined, tags: [] };
    }
    if (!stamp.exists) return { identity: [], boundary: undefined, tags: [] };
    const stampKey = `${stamp.version}|${stamp.groups.join(',')}|${stamp.boundary ?? ''}|${stamp.tags}`;
    const hit = sets.get(key);
    if (hit && hit.stampKey === stampKey) return hit;
    const loaded = await load(p, stamp);
    const entry = { stampKey, ...loaded, tags: JSON.parse(stamp.tags) };
    if (sets.size >= CACHE_LIMIT) sets.clear();
    sets.set(key, entry);
    return entry;
  }

  function denial(p, action, resource, why) {
    return accessDenied(`User: ${p.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`);
  }

  return async function authorize(ctx, request) {
    const p = ctx.principal;
    const action = `${request.service}:${request.action}`;
    if (NO_PERMISSION_NEEDED.has(action)) return;

    // GetSessionToken credentials without MFA may call no IAM operation and no STS operation but AssumeRole and
    // GetCallerIdentity (AWS, "Comparing the AWS STS API operations"); AWS answers as for an unknown token. This
    // holds for the root user's sessions too, so it comes before root's unconditional allow.
    const session = p.session;
    if (session?.source === 'GetSessionToken' && !session.mfaAuthenticatedAt
      && (request.service === 'iam' || (request.service === 'sts' && request.action !== 'AssumeRole'))) {
      throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid');
    }
    if (p.kind === 'root') return;

    const resource = await requestResource(ctx, request);
    const set = await policySetFor(p);
    const identity = p.kind === 'user' && passwordPolicyOf(ctx.account)?.AllowUsersToChangePassword
      ? [...set.identity, CHANGE_OWN_PASSWORD] : set.identity;
    const context = buildRequestContext(p, request, { now: ctx.now, tags: set.tags });
    const req = { action, resource, context };
    const result = evaluate(req, { identity, boundary: set.boundary });
    // AssumeRole is decided by the handler, which combines this with the role's trust policy (src/sts/index.js).
    if (action === 'sts:AssumeRole') {
      ctx.identityDecision = () => result.decision;
      return;
    }
    if (result.decision === 'allowed') return;

    if (result.decision === 'explicitDeny') {
      const inBoundary = result.matchedStatements.every((s) => boundaryIds.has(s.sourcePolicyId));
      throw denial(p, action, resource, inBoundary ? 'with an explicit deny in a permissions boundary' : 'with an explicit deny in an identity-based policy');
    }
    if (set.boundary && evaluate(req, { identity }).decision === 'allowed') {
      throw denial(p, action, resource, `because no permissions boundary allows the ${action} action`);
    }
    throw denial(p, action, resource, `because no identity-based policy allows the ${action} action`);
  };
}
