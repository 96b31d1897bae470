// IAM roles: create (with a trust policy validated as such), read, update, delete (refused while policies hang
// off the role), list, tags. Their permissions policies and boundaries live in policies.ts.
import { deleteConflict, limitExceeded } from '../errors.js';
import { policySize, POLICY_SIZE_LIMITS } from '../policy/index.js';
import { unlessTaken } from './conflict.js';
import { arn, newId } from './arn.js';
import { pageRequest, pageResult } from './pagination.js';
import { boundaryShape, mergeTags, nowIso, taggingHandlers } from './common.js';
import type { RowOf, Transaction } from './common.js';
import type { IamHandlerMap, Tag } from './context.js';
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

/** The fields of a role that its shape reads. */
export interface RoleFields {
  readonly roleId: string;
  readonly accountId: string;
  readonly name: string;
  readonly path: string;
  readonly assumeRolePolicy: string;
  readonly description?: string | null | undefined;
  readonly maxSessionDuration: number;
  readonly permissionsBoundary?: string | null | undefined;
  readonly tags: readonly Tag[];
  readonly lastUsedDate?: string | null | undefined;
  readonly lastUsedRegion?: string | null | undefined;
  readonly createdAt: string;
}

export function roleShape(r: RoleFields, { full = true } = {}): Role {
  const out: Role = {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.roleId,
    Arn: arn.role(r.accountId, r.path, r.name),
    CreateDate: new Date(r.createdAt),
    AssumeRolePolicyDocument: r.assumeRolePolicy,
    MaxSessionDuration: r.maxSessionDuration,
  };
  if (r.description) out.Description = r.description;
  if (full) {
    // ListRoles leaves these out, as AWS does.
    if (r.permissionsBoundary) out.PermissionsBoundary = boundaryShape(r.permissionsBoundary);
    if (r.tags.length) out.Tags = [...r.tags];
    const lastUsed: RoleLastUsed = {};
    if (r.lastUsedDate) {
      lastUsed.LastUsedDate = new Date(r.lastUsedDate);
      if (r.lastUsedRegion != null) lastUsed.Region = r.lastUsedRegion; // a null column is not sent
    }
    out.RoleLastUsed = lastUsed;
  }
  return out;
}

const roleTags = taggingHandlers({
  load: (ctx, input: { readonly RoleName: string }, q, lock) => requireRole(ctx, input.RoleName, q, lock),
  save: (ctx, role, tags, q) => policyStore(ctx).setRoleTags(role.roleId, tags, q),
});

export const handlers = {
  async CreateRole(ctx, input) {
    validateTrustPolicy(input.AssumeRolePolicyDocument);
    const ps = policyStore(ctx);
    const row = {
      roleId: newId.role(),
      accountId: ctx.account.accountId,
      name: input.RoleName,
      path: input.Path ?? '/',
      assumeRolePolicy: input.AssumeRolePolicyDocument,
      description: input.Description,
      maxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
      permissionsBoundary: input.PermissionsBoundary,
      tags: mergeTags([], input.Tags ?? []),
      createdAt: nowIso(ctx),
    };
    await unlessTaken(`Role with name ${input.RoleName} already exists.`, () => ctx.db.tx(async (tx: Transaction) => {
      // Account row (the quota), then the boundary policy's row (held against DeletePolicy).
      await ctx.store.lockAccount(row.accountId, tx);
      if (row.permissionsBoundary !== undefined) await checkBoundary(ctx, row.permissionsBoundary, tx, 'no-key-update');
      if (await ps.countRoles(row.accountId, tx) >= ROLES_QUOTA) throw limitExceeded(`Cannot exceed quota for RolesPerAccount: ${ROLES_QUOTA}`);
      await ps.insertRole(row, tx);
    }));
    // CreateRole's Role has neither MaxSessionDuration nor RoleLastUsed (GetRole and ListRoles carry the former:
    // LocalStack's AWS-validated test_create_describe_role snapshot).
    const out = roleShape(row);
    delete out.MaxSessionDuration;
    delete out.RoleLastUsed;
    return { Role: out };
  },

  async GetRole(ctx, input) {
    return { Role: roleShape(await requireRole(ctx, input.RoleName)) };
  },

  async UpdateRole(ctx, input) {
    const role = await requireRole(ctx, input.RoleName);
    const fields: { description?: string; maxSessionDuration?: number } = {};
    if (input.Description !== undefined) fields.description = input.Description;
    if (input.MaxSessionDuration !== undefined) fields.maxSessionDuration = input.MaxSessionDuration;
    if (Object.keys(fields).length) await policyStore(ctx).updateRole(role.roleId, fields);
    return {};
  },

  async UpdateRoleDescription(ctx, input) {
    const role = await requireRole(ctx, input.RoleName);
    await policyStore(ctx).updateRole(role.roleId, { description: input.Description });
    return { Role: roleShape({ ...role, description: input.Description }) };
  },

  async UpdateAssumeRolePolicy(ctx, input) {
    validateTrustPolicy(input.PolicyDocument);
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx: Transaction) => {
      const role = await requireRole(ctx, input.RoleName, tx, 'update');
      await ps.updateRole(role.roleId, { assumeRolePolicy: input.PolicyDocument }, tx);
    });
    return {};
  },

  async DeleteRole(ctx, input) {
    const ps = policyStore(ctx);
    // The authz version first (policyWrite), then the role's row: the order the role's policy writes take them in.
    await policyWrite(ctx, async (tx: Transaction) => {
      const role = await requireRole(ctx, input.RoleName, tx, 'update');
      const held = await ps.roleAttachments(role.roleId, tx);
      if (held.attachedPolicies) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if (held.inlinePolicies) throw deleteConflict('Cannot delete entity, must delete policies first.');
      await ps.deleteRole(role.roleId, tx);
    });
    return {};
  },

  async ListRoles(ctx, input) {
    const page = pageRequest(input);
    const rows = await policyStore(ctx).listRoles(ctx.account.accountId, input.PathPrefix, page);
    const { items, ...rest } = pageResult(rows, page, (r: RowOf<PolicyStore['listRoles']>) => r.nameLc);
    return { Roles: items.map((r) => roleShape(r, { full: false })), ...rest };
  },

  TagRole: roleTags.tag,
  UntagRole: roleTags.untag,
  ListRoleTags: roleTags.list,
} satisfies Partial<IamHandlerMap>;
