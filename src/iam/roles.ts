// IAM roles: create (with a trust policy validated as such), read, update, delete (refused while policies hang
// off the role), list, tags. Their permissions policies and boundaries live in policies.ts.
import { deleteConflict, limitExceeded } from '../errors.js';
import { policySize, POLICY_SIZE_LIMITS } from '../policy/index.js';
import { unlessTaken } from './conflict.js';
import { arn, newId } from './arn.js';
import { pageRequest, pageResult } from './pagination.js';
import { boundaryShape, mergeTags, nowIso, taggingHandlers } from './common.js';
import type { RowOf, Transaction } from './common.js';
import type { IamHandlerMap } from './context.js';
import type { Role, RoleLastUsed } from '../aws/models/iam.generated.js';
import type { PolicyStore } from '../store/policy-store.js';
import { checkBoundary, policyStore, policyWrite, requireRole, validateDocument } from './policies.js';

export const ROLES_QUOTA = 1000;
export const DEFAULT_MAX_SESSION_DURATION = 3600;

/** A trust policy: the evaluator's 'trust' grammar (Principal required, no Resource) and the ACLSizePerRole quota. */
function validateTrustPolicy(text: string): void {
  validateDocument(text, 'trust');
  if (policySize(text) > POLICY_SIZE_LIMITS.roleTrustPolicy) {
    throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${POLICY_SIZE_LIMITS.roleTrustPolicy}`);
  }
}

/** The columns of a role row that its shape reads (tags as the stored JSON text). */
export interface RoleFields {
  readonly role_id: string;
  readonly account_id: string;
  readonly name: string;
  readonly path: string;
  readonly assume_role_policy: string;
  readonly description?: string | null | undefined;
  readonly max_session_duration: number | string;
  readonly permissions_boundary?: string | null | undefined;
  readonly tags: string;
  readonly last_used_date?: string | null | undefined;
  readonly last_used_region?: string | null | undefined;
  readonly created_at: string;
}

export function roleShape(r: RoleFields, { full = true } = {}): Role {
  const out: Role = {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.role_id,
    Arn: arn.role(r.account_id, r.path, r.name),
    CreateDate: new Date(r.created_at),
    AssumeRolePolicyDocument: r.assume_role_policy,
    MaxSessionDuration: Number(r.max_session_duration),
  };
  if (r.description) out.Description = r.description;
  if (full) {
    // ListRoles leaves these out, as AWS does.
    if (r.permissions_boundary) out.PermissionsBoundary = boundaryShape(r.permissions_boundary);
    const tags = JSON.parse(r.tags);
    if (tags.length) out.Tags = tags;
    const lastUsed: RoleLastUsed = {};
    if (r.last_used_date) {
      lastUsed.LastUsedDate = new Date(r.last_used_date);
      if (r.last_used_region != null) lastUsed.Region = r.last_used_region; // a null column is not sent
    }
    out.RoleLastUsed = lastUsed;
  }
  return out;
}

const roleTags = taggingHandlers({
  load: (ctx, input: { readonly RoleName: string }, q, lock) => requireRole(ctx, input.RoleName, q, lock),
  save: (ctx, role, tags, q) => policyStore(ctx).setRoleTags(role.role_id, tags, q),
});

export const handlers = {
  async CreateRole(ctx, input) {
    validateTrustPolicy(input.AssumeRolePolicyDocument);
    const ps = policyStore(ctx);
    const row = {
      role_id: newId.role(),
      account_id: ctx.account.account_id,
      name: input.RoleName,
      path: input.Path ?? '/',
      assume_role_policy: input.AssumeRolePolicyDocument,
      description: input.Description,
      max_session_duration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
      permissions_boundary: input.PermissionsBoundary,
      tags: mergeTags([], input.Tags ?? []),
      created_at: nowIso(ctx),
    };
    await unlessTaken(`Role with name ${input.RoleName} already exists.`, () => ctx.db.tx(async (tx: Transaction) => {
      // Account row (the quota), then the boundary policy's row (held against DeletePolicy).
      await ctx.store.lockAccount(row.account_id, tx);
      if (row.permissions_boundary !== undefined) await checkBoundary(ctx, row.permissions_boundary, tx, tx.forNoKeyUpdate);
      if (await ps.countRoles(row.account_id, tx) >= ROLES_QUOTA) throw limitExceeded(`Cannot exceed quota for RolesPerAccount: ${ROLES_QUOTA}`);
      await ps.insertRole(row, tx);
    }));
    // CreateRole's Role has neither MaxSessionDuration nor RoleLastUsed (GetRole and ListRoles carry the former:
    // LocalStack's AWS-validated test_create_describe_role snapshot).
    const out = roleShape({ ...row, tags: JSON.stringify(row.tags) });
    delete out.MaxSessionDuration;
    delete out.RoleLastUsed;
    return { Role: out };
  },

  async GetRole(ctx, input) {
    return { Role: roleShape(await requireRole(ctx, input.RoleName)) };
  },

  async UpdateRole(ctx, input) {
    const role = await requireRole(ctx, input.RoleName);
    const fields: { description?: string; max_session_duration?: number } = {};
    if (input.Description !== undefined) fields.description = input.Description;
    if (input.MaxSessionDuration !== undefined) fields.max_session_duration = input.MaxSessionDuration;
    if (Object.keys(fields).length) await policyStore(ctx).updateRole(role.role_id, fields);
    return {};
  },

  async UpdateRoleDescription(ctx, input) {
    const role = await requireRole(ctx, input.RoleName);
    await policyStore(ctx).updateRole(role.role_id, { description: input.Description });
    return { Role: roleShape({ ...role, description: input.Description }) };
  },

  async UpdateAssumeRolePolicy(ctx, input) {
    validateTrustPolicy(input.PolicyDocument);
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx: Transaction) => {
      const role = await requireRole(ctx, input.RoleName, tx, tx.forUpdate);
      await ps.updateRole(role.role_id, { assume_role_policy: input.PolicyDocument }, tx);
    });
    return {};
  },

  async DeleteRole(ctx, input) {
    const ps = policyStore(ctx);
    // The authz version first (policyWrite), then the role's row: the order the role's policy writes take them in.
    await policyWrite(ctx, async (tx: Transaction) => {
      const role = await requireRole(ctx, input.RoleName, tx, tx.forUpdate);
      const held = await ps.roleAttachments(role.role_id, tx);
      if (held.attachedPolicies) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if (held.inlinePolicies) throw deleteConflict('Cannot delete entity, must delete policies first.');
      await ps.deleteRole(role.role_id, tx);
    });
    return {};
  },

  async ListRoles(ctx, input) {
    const page = pageRequest(input);
    const rows = await policyStore(ctx).listRoles(ctx.account.account_id, input.PathPrefix, page);
    const { items, ...rest } = pageResult(rows, page, (r: RowOf<PolicyStore['listRoles']>) => r.name_lc);
    return { Roles: items.map((r) => roleShape(r, { full: false })), ...rest };
  },

  TagRole: roleTags.tag,
  UntagRole: roleTags.untag,
  ListRoleTags: roleTags.list,
} satisfies Partial<IamHandlerMap>;
