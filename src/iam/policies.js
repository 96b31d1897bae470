// Managed policies (customer managed and the AWS-managed catalogue), their versions, attachments to users, groups
// and roles, inline policies, and permissions boundaries. Documents are validated at write time by the policy
// evaluator's parser; anything that changes what a principal may do bumps the account's authz version in the
// same transaction, which is what the authoriser's cache checks.
import { AwsError, deleteConflict, entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity } from '../aws/errors.js';
import { parsePolicyDocument, policySize, PolicyError, POLICY_SIZE_LIMITS } from '../policy/index.js';
import { ConflictError } from '../store/index.js';
import { PolicyStore, versionNumber } from '../store/policy-store.js';
import { arn, newId } from './arn.js';
import { awsManagedPolicies, awsManagedPolicy, isAwsManagedArn } from './aws-managed-policies.js';
import { pageArray } from './pagination.js';
import { mergeTags, requireUser, nowIso, taggingHandlers } from './common.js';

export const POLICIES_QUOTA = 1500;
export const VERSIONS_PER_POLICY = 5;
export const ATTACHED_POLICIES_QUOTA = 10;
const QUOTA_NAME = { user: 'PoliciesPerUser', group: 'PoliciesPerGroup', role: 'PoliciesPerRole' };
const INLINE_LIMIT = { user: POLICY_SIZE_LIMITS.userInlineAggregate, group: POLICY_SIZE_LIMITS.groupInlineAggregate, role: POLICY_SIZE_LIMITS.roleInlineAggregate };

const stores = new WeakMap();
/** One PolicyStore per database handle. */
export function policyStore(ctx) {
  let s = stores.get(ctx.db);
  if (!s) { s = new PolicyStore(ctx.db); stores.set(ctx.db, s); }
  return s;
}

/**
 * A transaction that changes what principals may do: it bumps the account's authz version first, so the change
 * and the new version commit together, and (on PostgreSQL) the counter's row lock serialises the account's
 * policy writes. First, always: the counter heads the global lock order (docs/concurrency.md), so a transaction
 * that bumps it must not hold any other row lock yet.
 */
export function policyWrite(ctx, fn) {
  return ctx.db.tx(async (tx) => {
    await policyStore(ctx).bumpAuthz(ctx.account.account_id, tx);
    return fn(tx);
  });
}

/**
 * parsePolicyDocument with IAM's write-time checks, the evaluator's error turned into the AWS error
 * (MalformedPolicyDocument 400, LimitExceeded 409). managed: CreatePolicy/CreatePolicyVersion (Version 2012-10-17 required).
 */
export function validateDocument(text, kind, maxSize, { managed = false } = {}) {
  try {
    return parsePolicyDocument(text, { kind, writeTime: true, managed, ...(maxSize !== undefined ? { maxSize } : {}) });
  } catch (e) {
    if (e instanceof PolicyError) throw new AwsError(e.code, e.message);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------
// Looking policies up

const ARN_RE = /^arn:aws:iam::(aws|\d{12}):policy(\/(?:[^/]+\/)*)([^/]+)$/;
// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, the general form.
const ANY_ARN_RE = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/s;

/**
 * Checks the shape of a policy ARN: something that is no ARN at all is AWS's ValidationError "Invalid ARN:  Could
 * not be parsed!" (LocalStack's AWS-validated test_role_attach_policy / test_user_attach_policy snapshots, e.g.
 * PolicyArn=longpolicynamebutnoarn); an ARN that names no policy is InvalidInput.
 */
export function checkPolicyArn(policyArn) {
  if (!ANY_ARN_RE.test(policyArn)) throw new AwsError('ValidationError', 'Invalid ARN:  Could not be parsed!');
  if (!ARN_RE.test(policyArn)) throw invalidInput(`ARN ${policyArn} is not valid.`);
}

/**
 * A managed policy by ARN, as { aws: boolean, row?, meta?, arn, name, path, policyId, defaultVersion, ... },
 * or null. Another account's policies do not exist for this one.
 */
export async function findPolicy(ctx, policyArn, q, lock = '') {
  checkPolicyArn(policyArn);
  if (isAwsManagedArn(policyArn)) {
    const meta = awsManagedPolicy(policyArn);
    return meta ? awsPolicyRef(meta) : null;
  }
  const row = await policyStore(ctx).getPolicyByArn(policyArn, q, lock);
  if (!row || row.account_id !== ctx.account.account_id) return null;
  return { aws: false, row, arn: row.arn, name: row.name, path: row.path, policyId: row.policy_id, defaultVersion: row.default_version };
}

const notFound = (policyArn) => noSuchEntity(`Policy ${policyArn} was not found.`);
const notAttachable = (policyArn) => noSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);

/**
 * AWS-managed policies AWS marks not attachable, and service-role policies (/aws-service-role/, which AWS lets only
 * service-linked roles carry — Gatehouse has none), are PolicyNotAttachable (400); the message is AWS's.
 */
function checkAttachable(p) {
  if (!p.aws) return;
  if (p.path === '/aws-service-role/') throw new AwsError('PolicyNotAttachable', 'Cannot attach a Service Role Policy to a Customer Role.');
  if (!p.meta.isAttachable) throw new AwsError('PolicyNotAttachable', `Policy ${p.arn} is not attachable.`);
}

async function requirePolicy(ctx, policyArn, q, lock) {
  const p = await findPolicy(ctx, policyArn, q, lock);
  if (!p) throw notFound(policyArn);
  return p;
}

async function requireLocalPolicy(ctx, policyArn, q, lock) {
  const p = await requirePolicy(ctx, policyArn, q, lock);
  if (p.aws) throw invalidInput(`Policy ${policyArn} is an AWS managed policy and cannot be modified.`);
  return p;
}

/**
 * A Policy. withTags: 'always' (GetPolicy: `Tags` even when empty, as AWS answers — LocalStack's AWS-validated
 * test_managed_policy_with_empty_resource snapshot), true (only when there are some), false.
 */
function policyShape(p, { attachments = 0, boundaryUses = 0, withDescription = false, withTags = false } = {}) {
  const out = {
    PolicyName: p.name,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersion,
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: boundaryUses,
    IsAttachable: p.aws ? p.meta.isAttachable : true,
    CreateDate: p.aws ? p.meta.createDate : p.row.created_at,
    UpdateDate: p.aws ? p.meta.updateDate : p.row.updated_at,
  };
  const description = p.aws ? p.meta.description : p.row.description;
  if (withDescription && description) out.Description = description;
  if (withTags) {
    const tags = p.aws ? [] : JSON.parse(p.row.tags);
    if (tags.length || withTags === 'always') out.Tags = tags;
  }
  return out;
}

const awsPolicyRef = (meta) => ({ aws: true, meta, arn: meta.arn, name: meta.name, path: meta.path, policyId: meta.policyId, defaultVersion: meta.versionId });
const localPolicyRef = (row) => ({ aws: false, row, arn: row.arn, name: row.name, path: row.path, policyId: row.policy_id, defaultVersion: row.default_version });

// ---------------------------------------------------------------------------------------------------
// Entities: user, group, role

async function requireGroup(ctx, name, q, lock) {
  const g = await ctx.store.getGroup(ctx.account.account_id, name, q, lock);
  if (!g) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return g;
}

export async function requireRole(ctx, name, q, lock = '') {
  const r = await policyStore(ctx).getRole(ctx.account.account_id, name, q, lock);
  if (!r) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return r;
}

// find(ctx, name, q, lock): writes that hang a policy off the entity pass q.forNoKeyUpdate, so the entity's delete
// (which locks the same row) comes wholly before (NoSuchEntity) or after (DeleteConflict) them.
const ENTITY = {
  user: { input: 'UserName', find: (ctx, name, q, lock) => requireUser(ctx, name, q, lock), id: (e) => e.user_id },
  group: { input: 'GroupName', find: (ctx, name, q, lock) => requireGroup(ctx, name, q, lock), id: (e) => e.group_id },
  role: { input: 'RoleName', find: (ctx, name, q, lock) => requireRole(ctx, name, q, lock), id: (e) => e.role_id },
};

// ---------------------------------------------------------------------------------------------------
// Attachments

function attachHandler(kind) {
  const E = ENTITY[kind];
  return async (ctx, input) => {
    checkPolicyArn(input.PolicyArn);
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      // Entity row, then policy row (DeletePolicy locks it and counts attachments).
      const entity = await E.find(ctx, input[E.input], tx, tx.forNoKeyUpdate);
      const p = await findPolicy(ctx, input.PolicyArn, tx, tx.forNoKeyUpdate);
      if (!p) throw notAttachable(input.PolicyArn);
      checkAttachable(p);
      const id = E.id(entity);
      if (await ps.isAttached(kind, id, p.arn, tx)) return; // idempotent, as on AWS
      const attached = await ps.attachedArns(kind, id, tx);
      if (attached.length >= ATTACHED_POLICIES_QUOTA) throw limitExceeded(`Cannot exceed quota for ${QUOTA_NAME[kind]}: ${ATTACHED_POLICIES_QUOTA}`);
      await ps.attach(ctx.account.account_id, kind, id, p.arn, nowIso(ctx), tx);
    });
    return {};
  };
}

function detachHandler(kind) {
  const E = ENTITY[kind];
  return async (ctx, input) => {
    checkPolicyArn(input.PolicyArn);
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      const entity = await E.find(ctx, input[E.input], tx);
      const { changes } = await ps.detach(kind, E.id(entity), input.PolicyArn, tx);
      if (!changes) throw notFound(input.PolicyArn);
    });
    return {};
  };
}

function listAttachedHandler(kind) {
  const E = ENTITY[kind];
  return async (ctx, input) => {
    const entity = await E.find(ctx, input[E.input]);
    const arns = await policyStore(ctx).attachedArns(kind, E.id(entity));
    const list = [];
    for (const a of arns) {
      const p = await findPolicy(ctx, a);
      if (!p) continue;
      if (input.PathPrefix !== undefined && !p.path.startsWith(input.PathPrefix)) continue;
      list.push({ PolicyName: p.name, PolicyArn: p.arn });
    }
    list.sort((a, b) => cmp(a.PolicyName.toLowerCase(), b.PolicyName.toLowerCase()) || cmp(a.PolicyArn, b.PolicyArn));
    const { items, ...rest } = pageArray(list, input, (x) => x.PolicyArn);
    return { AttachedPolicies: items, ...rest };
  };
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------------------------------
// Inline policies

const inlineNotFound = (kind, name) => noSuchEntity(`The ${kind} policy with name ${name} cannot be found.`);

function putInlineHandler(kind) {
  const E = ENTITY[kind];
  return async (ctx, input) => {
    validateDocument(input.PolicyDocument, 'identity');
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      const entity = await E.find(ctx, input[E.input], tx, tx.forNoKeyUpdate);
      const id = E.id(entity);
      const others = (await ps.listInline(kind, id, tx)).filter((p) => p.name !== input.PolicyName);
      const total = others.reduce((n, p) => n + policySize(p.document), 0) + policySize(input.PolicyDocument);
      if (total > INLINE_LIMIT[kind]) throw limitExceeded(`Maximum policy size of ${INLINE_LIMIT[kind]} bytes exceeded for ${kind} ${entity.name}`);
      await ps.putInline(kind, id, input.PolicyName, input.PolicyDocument, tx);
    });
    return {};
  };
}

function getInlineHandler(kind) {
  const E = ENTITY[kind];
  return async (ctx, input) => {
    const entity = await E.find(ctx, input[E.input]);
    const row = await policyStore(ctx).getInline(kind, E.id(entity), input.PolicyName);
    if (!row) throw inlineNotFound(kind, input.PolicyName);
    return { [E.input]: entity.name, PolicyName: row.name, PolicyDocument: row.document };
  };
}

function deleteInlineHandler(kind) {
  const E = ENTITY[kind];
  return async (ctx, input) => {
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      const entity = await E.find(ctx, input[E.input], tx);
      const { changes } = await ps.deleteInline(kind, E.id(entity), input.PolicyName, tx);
      if (!changes) throw inlineNotFound(kind, input.PolicyName);
    });
    return {};
  };
}

function listInlineHandler(kind) {
  const E = ENTITY[kind];
  return async (ctx, input) => {
    const entity = await E.find(ctx, input[E.input]);
    const names = (await policyStore(ctx).listInline(kind, E.id(entity))).map((p) => p.name);
    const { items, ...rest } = pageArray(names, input, (n) => n);
    return { PolicyNames: items, ...rest };
  };
}

// ---------------------------------------------------------------------------------------------------
// Permissions boundaries

/** The boundary policy must exist (AWS-managed or this account's); pass lock to hold it against DeletePolicy. */
export async function checkBoundary(ctx, policyArn, q, lock) {
  checkPolicyArn(policyArn);
  const p = await findPolicy(ctx, policyArn, q, lock);
  if (!p) throw noSuchEntity(`Scope ARN: ${policyArn} does not exist or is not attachable.`);
  return p;
}

function putBoundaryHandler(kind) {
  const E = ENTITY[kind];
  return async (ctx, input) => {
    checkPolicyArn(input.PermissionsBoundary);
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      const entity = await E.find(ctx, input[E.input], tx, tx.forNoKeyUpdate);
      const p = await checkBoundary(ctx, input.PermissionsBoundary, tx, tx.forNoKeyUpdate);
      if (kind === 'user') await ps.setUserBoundary(entity.user_id, p.arn, tx);
      else await ps.setRoleBoundary(entity.role_id, p.arn, tx);
    });
    return {};
  };
}

function deleteBoundaryHandler(kind) {
  const E = ENTITY[kind];
  return async (ctx, input) => {
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      const entity = await E.find(ctx, input[E.input], tx);
      if (kind === 'user') await ps.setUserBoundary(entity.user_id, null, tx);
      else await ps.setRoleBoundary(entity.role_id, null, tx);
    });
    return {};
  };
}

// ---------------------------------------------------------------------------------------------------
// Versions

function versionShape(v, defaultVersion, { withDocument = true } = {}) {
  const out = { VersionId: v.version_id, IsDefaultVersion: v.version_id === defaultVersion, CreateDate: v.created_at };
  if (withDocument) out.Document = v.document;
  return out;
}
// Only the default version of an AWS-managed policy is known (the data holds no history).
const awsVersion = (meta, { withDocument = true } = {}) => ({ version_id: meta.versionId, ...(withDocument ? { document: meta.document } : {}), created_at: meta.versionCreateDate });
const noVersion = (policyArn, versionId) => noSuchEntity(`Policy ${policyArn} version ${versionId} does not exist or is not attachable.`);

// ---------------------------------------------------------------------------------------------------

const policyTags = taggingHandlers({
  load: (ctx, input, q, lock) => requireLocalPolicy(ctx, input.PolicyArn, q, lock),
  loadForList: (ctx, input) => requirePolicy(ctx, input.PolicyArn),
  save: (ctx, p, tags, q) => policyStore(ctx).setPolicyTags(p.policyId, tags, q),
  tagsOf: (p) => (p.aws ? [] : JSON.parse(p.row.tags)),
});

export const handlers = {
  async CreatePolicy(ctx, input) {
    validateDocument(input.PolicyDocument, 'identity', POLICY_SIZE_LIMITS.managedPolicy, { managed: true });
    const path = input.Path ?? '/';
    const when = nowIso(ctx);
    const row = {
      policy_id: newId.policy(),
      account_id: ctx.account.account_id,
      arn: arn.policy(ctx.account.account_id, path, input.PolicyName),
      name: input.PolicyName,
      path,
      description: input.Description,
      default_version: 'v1',
      next_version: 2,
      tags: mergeTags([], input.Tags ?? []),
      created_at: when,
      updated_at: when,
    };
    const ps = policyStore(ctx);
    try {
      await ctx.db.tx(async (tx) => {
        await ctx.store.lockAccount(row.account_id, tx); // so two creates cannot both pass the quota
        if (await ps.countPolicies(row.account_id, tx) >= POLICIES_QUOTA) throw limitExceeded(`Cannot exceed quota for PoliciesPerAccount: ${POLICIES_QUOTA}`);
        await ps.insertPolicy(row, tx);
        await ps.insertVersion({ policy_id: row.policy_id, version_id: 'v1', document: input.PolicyDocument, created_at: when }, tx);
      });
    } catch (e) {
      if (e instanceof ConflictError) throw entityAlreadyExists(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
      throw e;
    }
    // AWS's CreatePolicy answer does not echo the Description (GetPolicy has it).
    return { Policy: policyShape(localPolicyRef({ ...row, tags: JSON.stringify(row.tags) }), { withTags: true }) };
  },

  async GetPolicy(ctx, input) {
    const p = await requirePolicy(ctx, input.PolicyArn);
    const ps = policyStore(ctx);
    const attachments = await ps.countAttachmentsOf(p.arn, ctx.account.account_id);
    const boundaryUses = await ps.countBoundaryUses(p.arn, ctx.account.account_id);
    return { Policy: policyShape(p, { attachments, boundaryUses, withDescription: true, withTags: 'always' }) };
  },

  async DeletePolicy(ctx, input) {
    const ps = policyStore(ctx);
    await ctx.db.tx(async (tx) => {
      const p = await requireLocalPolicy(ctx, input.PolicyArn, tx, tx.forUpdate);
      if (await ps.countAttachmentsOf(p.arn, ctx.account.account_id, tx)) throw deleteConflict('Cannot delete a policy attached to entities.');
      if (await ps.countBoundaryUses(p.arn, ctx.account.account_id, tx)) throw deleteConflict('Cannot delete a policy used as a permissions boundary.');
      if ((await ps.listVersions(p.policyId, tx)).length > 1) {
        throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
      }
      await ps.deletePolicy(p.policyId, tx);
    });
    return {};
  },

  async ListPolicies(ctx, input) {
    const scope = input.Scope ?? 'All';
    const ps = policyStore(ctx);
    const counts = await ps.attachmentCounts(ctx.account.account_id);
    const bounds = await ps.boundaryCounts(ctx.account.account_id);
    let list = [];
    if (scope !== 'Local') list.push(...awsManagedPolicies().map(awsPolicyRef));
    if (scope !== 'AWS') list.push(...(await ps.listLocalPolicies(ctx.account.account_id)).map(localPolicyRef));
    if (input.PathPrefix !== undefined) list = list.filter((p) => p.path.startsWith(input.PathPrefix));
    if (input.OnlyAttached) {
      const usage = input.PolicyUsageFilter;
      list = list.filter((p) => (usage !== 'PermissionsBoundary' && counts.get(p.arn)) || (usage !== 'PermissionsPolicy' && bounds.get(p.arn)));
    }
    list.sort((a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase()) || cmp(a.arn, b.arn));
    const { items, ...rest } = pageArray(list, input, (p) => p.arn);
    return { Policies: items.map((p) => policyShape(p, { attachments: counts.get(p.arn) ?? 0, boundaryUses: bounds.get(p.arn) ?? 0 })), ...rest };
  },

  async CreatePolicyVersion(ctx, input) {
    validateDocument(input.PolicyDocument, 'identity', POLICY_SIZE_LIMITS.managedPolicy, { managed: true });
    const ps = policyStore(ctx);
    const when = nowIso(ctx);
    // A new default version changes decisions: bump the authz version, first (it heads the lock order).
    const write = input.SetAsDefault ? policyWrite : (c, fn) => c.db.tx(fn);
    const version = await write(ctx, async (tx) => {
      const p = await requireLocalPolicy(ctx, input.PolicyArn, tx, tx.forUpdate);
      const versions = await ps.listVersions(p.policyId, tx);
      if (versions.length >= VERSIONS_PER_POLICY) {
        throw limitExceeded(`A managed policy can have up to ${VERSIONS_PER_POLICY} versions. Before you create a new version, you must delete an existing version.`);
      }
      // Version numbers are never reused, as on AWS.
      const n = Math.max(Number(p.row.next_version), ...versions.map((v) => versionNumber(v.version_id) + 1));
      const v = { policy_id: p.policyId, version_id: `v${n}`, document: input.PolicyDocument, created_at: when };
      await ps.insertVersion(v, tx);
      await ps.setPolicyNextVersion(p.policyId, n + 1, tx);
      if (input.SetAsDefault) await ps.setPolicyDefault(p.policyId, v.version_id, when, tx);
      return v;
    });
    return { PolicyVersion: versionShape(version, input.SetAsDefault ? version.version_id : null, { withDocument: false }) };
  },

  async GetPolicyVersion(ctx, input) {
    const p = await requirePolicy(ctx, input.PolicyArn);
    if (p.aws) {
      if (input.VersionId !== p.meta.versionId) throw noVersion(input.PolicyArn, input.VersionId);
      return { PolicyVersion: versionShape(awsVersion(p.meta), p.defaultVersion) };
    }
    const v = await policyStore(ctx).getVersion(p.policyId, input.VersionId);
    if (!v) throw noVersion(input.PolicyArn, input.VersionId);
    return { PolicyVersion: versionShape(v, p.defaultVersion) };
  },

  async ListPolicyVersions(ctx, input) {
    const p = await requirePolicy(ctx, input.PolicyArn);
    const versions = p.aws ? [awsVersion(p.meta, { withDocument: false })] : await policyStore(ctx).listVersions(p.policyId);
    const { items, ...rest } = pageArray(versions, input, (v) => v.version_id);
    return { Versions: items.map((v) => versionShape(v, p.defaultVersion, { withDocument: false })), ...rest };
  },

  async DeletePolicyVersion(ctx, input) {
    const ps = policyStore(ctx);
    await ctx.db.tx(async (tx) => {
      const p = await requireLocalPolicy(ctx, input.PolicyArn, tx, tx.forUpdate);
      if (input.VersionId === p.defaultVersion) throw deleteConflict('Cannot delete the default version of a policy.');
      const { changes } = await ps.deleteVersion(p.policyId, input.VersionId, tx);
      if (!changes) throw noVersion(input.PolicyArn, input.VersionId);
    });
    return {};
  },

  async SetDefaultPolicyVersion(ctx, input) {
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      const p = await requireLocalPolicy(ctx, input.PolicyArn, tx, tx.forUpdate);
      if (!(await ps.getVersion(p.policyId, input.VersionId, tx))) throw noVersion(input.PolicyArn, input.VersionId);
      await ps.setPolicyDefault(p.policyId, input.VersionId, nowIso(ctx), tx);
    });
    return {};
  },

  TagPolicy: policyTags.tag,
  UntagPolicy: policyTags.untag,
  ListPolicyTags: policyTags.list,

  AttachUserPolicy: attachHandler('user'),
  AttachGroupPolicy: attachHandler('group'),
  AttachRolePolicy: attachHandler('role'),
  DetachUserPolicy: detachHandler('user'),
  DetachGroupPolicy: detachHandler('group'),
  DetachRolePolicy: detachHandler('role'),
  ListAttachedUserPolicies: listAttachedHandler('user'),
  ListAttachedGroupPolicies: listAttachedHandler('group'),
  ListAttachedRolePolicies: listAttachedHandler('role'),

  async ListEntitiesForPolicy(ctx, input) {
    const p = await requirePolicy(ctx, input.PolicyArn);
    const { attached, bounded } = await policyStore(ctx).entitiesForPolicy(ctx.account.account_id, p.arn);
    const usage = input.PolicyUsageFilter;
    const seen = new Set();
    let list = [];
    for (const e of [...(usage !== 'PermissionsBoundary' ? attached : []), ...(usage !== 'PermissionsPolicy' ? bounded : [])]) {
      const key = `${e.type}:${e.id}`;
      if (!seen.has(key)) { seen.add(key); list.push(e); }
    }
    const filter = input.EntityFilter;
    if (filter === 'User' || filter === 'Group' || filter === 'Role') list = list.filter((e) => e.type === filter.toLowerCase());
    if (input.PathPrefix !== undefined) list = list.filter((e) => e.path.startsWith(input.PathPrefix));
    const order = { group: 0, role: 1, user: 2 };
    list.sort((a, b) => order[a.type] - order[b.type] || cmp(a.name.toLowerCase(), b.name.toLowerCase()));
    const { items, ...rest } = pageArray(list, input, (e) => `${e.type}:${e.id}`);
    return {
      PolicyGroups: items.filter((e) => e.type === 'group').map((e) => ({ GroupName: e.name, GroupId: e.id })),
      PolicyUsers: items.filter((e) => e.type === 'user').map((e) => ({ UserName: e.name, UserId: e.id })),
      PolicyRoles: items.filter((e) => e.type === 'role').map((e) => ({ RoleName: e.name, RoleId: e.id })),
      ...rest,
    };
  },

  PutUserPolicy: putInlineHandler('user'),
  PutGroupPolicy: putInlineHandler('group'),
  PutRolePolicy: putInlineHandler('role'),
  GetUserPolicy: getInlineHandler('user'),
  GetGroupPolicy: getInlineHandler('group'),
  GetRolePolicy: getInlineHandler('role'),
  DeleteUserPolicy: deleteInlineHandler('user'),
  DeleteGroupPolicy: deleteInlineHandler('group'),
  DeleteRolePolicy: deleteInlineHandler('role'),
  ListUserPolicies: listInlineHandler('user'),
  ListGroupPolicies: listInlineHandler('group'),
  ListRolePolicies: listInlineHandler('role'),

  PutUserPermissionsBoundary: putBoundaryHandler('user'),
  PutRolePermissionsBoundary: putBoundaryHandler('role'),
  DeleteUserPermissionsBoundary: deleteBoundaryHandler('user'),
  DeleteRolePermissionsBoundary: deleteBoundaryHandler('role'),
};
