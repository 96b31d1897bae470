// The one place that gathers the policy documents a principal carries: a user's inline and attached policies
// plus those of its groups, a group's, or a role's, and the permissions boundary. Used by the policy simulator
// (simulation.js); the authoriser (src/server/authorizer.js) can compile the same list with its cache keys.
//
// Each identity entry: { key, id, name, type, document, arn? }
//   key   a cache key that changes when the document can change (inline: owner + name; managed: ARN + version)
//   id    the id the authoriser names the policy by (inline: the policy name; managed: the ARN)
//   name  AWS's SourcePolicyId for the simulator (inline: the policy name; managed: the policy name)
//   type  the evaluator's source type: user | group | role | aws-managed | user-managed (the simulator sends AWS's labels)
import { PolicyStore } from '../store/policy-store.js';
import { awsManagedPolicy } from './aws-managed-policies.js';

const lastSegment = (a) => a.slice(a.lastIndexOf('/') + 1);

/** Default documents of managed policies by ARN: Map arn → { versionId, document, aws }. */
export async function managedPolicyDocuments(ps, arns) {
  const out = new Map();
  const local = [];
  for (const a of arns) {
    const meta = awsManagedPolicy(a);
    if (meta) out.set(a, { versionId: meta.versionId, document: meta.document, aws: true });
    else local.push(a);
  }
  for (const [a, v] of await ps.defaultDocuments(local)) out.set(a, { ...v, aws: false });
  return out;
}

function managedEntry(arn, doc, asBoundary = false) {
  return {
    key: `m|${asBoundary ? `boundary:${arn}` : arn}|${doc.versionId}`,
    id: asBoundary ? `boundary:${arn}` : arn,
    name: lastSegment(arn),
    arn,
    type: doc.aws ? 'aws-managed' : 'user-managed',
    document: doc.document,
  };
}

/**
 * @param {object} db the query layer
 * @param {{ kind: 'user' | 'group' | 'role', id: string, groupIds?: string[], boundaryArn?: string | null }} principal
 *   id: user_id, group_id or role_id; groupIds (users): the groups to include (read from the store when omitted);
 *   boundaryArn: the entity's permissions boundary (users and roles)
 * @returns {Promise<{ identity: object[], boundary: object | null | undefined }>}
 *   boundary: undefined when the entity has none; null when it names a policy that no longer exists (allows nothing)
 */
export async function principalPolicyDocuments(db, principal) {
  const ps = new PolicyStore(db);
  const identity = [];
  const { kind, id } = principal;
  for (const r of await ps.listInline(kind, id)) {
    identity.push({ key: `${kind[0]}|${id}|${r.name}`, id: r.name, name: r.name, type: kind, document: r.document });
  }
  const arns = [...await ps.attachedArns(kind, id)];
  if (kind === 'user') {
    const groupIds = principal.groupIds ?? (await db.all('SELECT group_id FROM group_members WHERE user_id = ? ORDER BY group_id', [id])).map((r) => r.group_id);
    const groups = await ps.groupsPolicies(groupIds);
    for (const r of groups.inline) identity.push({ key: `g|${r.group_id}|${r.name}`, id: r.name, name: r.name, type: 'group', document: r.document });
    for (const r of groups.attached) if (!arns.includes(r.policy_arn)) arns.push(r.policy_arn);
  }
  const boundaryArn = kind === 'group' ? null : principal.boundaryArn ?? null;
  const docs = await managedPolicyDocuments(ps, boundaryArn ? [...arns, boundaryArn] : arns);
  for (const a of arns) if (docs.has(a)) identity.push(managedEntry(a, docs.get(a)));
  let boundary;
  if (boundaryArn) boundary = docs.has(boundaryArn) ? managedEntry(boundaryArn, docs.get(boundaryArn), true) : null;
  return { identity, boundary };
}
