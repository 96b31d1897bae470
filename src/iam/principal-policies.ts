// The one place that gathers the policy documents a principal carries: a user's inline and attached policies
// plus those of its groups, a group's, or a role's, and the permissions boundary. Used by the policy simulator
// (simulation.ts); the authoriser (src/authz/authorizer.ts) compiles the same list with its cache keys.
//
// Each identity entry: { key, id, name, type, document, arn? }
//   key   a cache key that changes when the document can change (inline: owner + name; managed: ARN + version)
//   id    the id the authoriser names the policy by (inline: the policy name; managed: the ARN)
//   name  AWS's SourcePolicyId for the simulator (inline: the policy name; managed: the policy name)
//   type  the evaluator's source type: user | group | role | aws-managed | user-managed (the simulator sends AWS's labels)
import type { SourcePolicyType } from '../policy/index.js';
import type { PolicyStore } from '../store/policy-store.js';
import type { OperationContext } from './context.js';
import { awsManagedPolicy } from './aws-managed-policies.js';
import { policyStore } from './policies.js';

/** The default document of a managed policy. */
export interface ManagedDocument { readonly versionId: string; readonly document: string; readonly aws: boolean }

/** One policy a principal carries (see the header for each field). */
export interface PolicyEntry {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly arn?: string;
  readonly type: SourcePolicyType;
  readonly document: string;
}

/** Whose policies: id is the user_id, group_id or role_id. */
export type PolicyOwner =
  | { readonly kind: 'user'; readonly id: string; readonly groupIds?: readonly string[] | undefined; readonly boundaryArn?: string | null | undefined }
  | { readonly kind: 'group'; readonly id: string }
  | { readonly kind: 'role'; readonly id: string; readonly boundaryArn?: string | null | undefined };

export interface PrincipalPolicies {
  readonly identity: PolicyEntry[];
  /** undefined when the entity has none; null when it names a policy that no longer exists (allows nothing). */
  readonly boundary: PolicyEntry | null | undefined;
}

const lastSegment = (a: string): string => a.slice(a.lastIndexOf('/') + 1);

/** Default documents of managed policies by ARN: Map arn → { versionId, document, aws }. */
export async function managedPolicyDocuments(ps: PolicyStore, arns: readonly string[]): Promise<Map<string, ManagedDocument>> {
  const out = new Map<string, ManagedDocument>();
  const local: string[] = [];
  for (const a of arns) {
    const meta = awsManagedPolicy(a);
    if (meta) out.set(a, { versionId: meta.versionId, document: meta.document, aws: true });
    else local.push(a);
  }
  const stored: Map<string, { versionId: string; document: string }> = await ps.defaultDocuments(local);
  for (const [a, v] of stored) out.set(a, { ...v, aws: false });
  return out;
}

function managedEntry(arn: string, doc: ManagedDocument, asBoundary = false): PolicyEntry {
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
 * The identity policies of a user (with its groups'; groupIds: the groups to include, read from the store when
 * omitted), group or role, and the permissions boundary of a user or role (boundaryArn).
 */
export async function principalPolicyDocuments(db: OperationContext['db'], principal: PolicyOwner): Promise<PrincipalPolicies> {
  const ps = policyStore({ db });
  const identity: PolicyEntry[] = [];
  const { kind, id } = principal;
  const inline: { name: string; document: string }[] = await ps.listInline(kind, id);
  for (const r of inline) {
    identity.push({ key: `${kind[0]}|${id}|${r.name}`, id: r.name, name: r.name, type: kind, document: r.document });
  }
  const arns: string[] = [...await ps.attachedArns(kind, id)];
  if (principal.kind === 'user') {
    const groupIds: readonly string[] = principal.groupIds
      ?? await ps.userGroupIds(id);
    const groups: { inline: { ownerId: string; name: string; document: string }[]; attached: { groupId: string; policyArn: string }[] } = await ps.groupsPolicies(groupIds);
    for (const r of groups.inline) identity.push({ key: `g|${r.ownerId}|${r.name}`, id: r.name, name: r.name, type: 'group', document: r.document });
    for (const r of groups.attached) if (!arns.includes(r.policyArn)) arns.push(r.policyArn);
  }
  const boundaryArn = principal.kind === 'group' ? null : principal.boundaryArn ?? null;
  const docs = await managedPolicyDocuments(ps, boundaryArn ? [...arns, boundaryArn] : arns);
  for (const a of arns) {
    const doc = docs.get(a);
    if (doc) identity.push(managedEntry(a, doc));
  }
  let boundary: PolicyEntry | null | undefined;
  if (boundaryArn) {
    const doc = docs.get(boundaryArn);
    boundary = doc ? managedEntry(boundaryArn, doc, true) : null;
  }
  return { identity, boundary };
}
