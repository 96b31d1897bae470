// Managed policies (customer managed and the AWS-managed catalogue), their versions, attachments to users, groups
// and roles, inline policies, and permissions boundaries. Documents are validated at write time by the policy
// evaluator's parser; anything that changes what a principal may do bumps the account's authz version in the
// same transaction, which is what the authoriser's cache checks.
import { deleteConflict, invalidInput, limitExceeded, noSuchEntity, ServiceError, validationError } from '../errors.js';
import type { IamHandler, IamOperations } from '../aws/handlers.js';
import type { Policy, PolicyVersion } from '../aws/models/iam.generated.js';
import { parsePolicyDocument, policySize, PolicyError, POLICY_SIZE_LIMITS } from '../policy/index.js';
import type { ParsedPolicy, PolicyKind } from '../policy/index.js';
import { PolicyStore, versionNumber } from '../store/policy-store.js';
import { arn, newId } from './arn.js';
import { awsManagedPolicies, awsManagedPolicy, isAwsManagedArn } from './aws-managed-policies.js';
import type { AwsManagedPolicy } from './aws-managed-policies.js';
import { unlessTaken } from './conflict.js';
import type { Queryable, Tx, LockMode } from '../store/db.js';
import type { OperationContext, Tag } from './context.js';
import { pageArray, pageRequest, pageResult } from './pagination.js';
import { mergeTags, requireUser, nowIso, taggingHandlers } from './common.js';

export const POLICIES_QUOTA = 1500;
export const VERSIONS_PER_POLICY = 5;
export const ATTACHED_POLICIES_QUOTA = 10;

/** The IAM entities policies hang off. */
type EntityKind = 'user' | 'group' | 'role';
const QUOTA_NAME = { user: 'PoliciesPerUser', group: 'PoliciesPerGroup', role: 'PoliciesPerRole' } as const;
const INLINE_LIMIT = { user: POLICY_SIZE_LIMITS.userInlineAggregate, group: POLICY_SIZE_LIMITS.groupInlineAggregate, role: POLICY_SIZE_LIMITS.roleInlineAggregate } as const;

/** Where a read runs: the database, or a transaction; a row-lock clause of a transaction, or '' for none. */
type Query = Queryable;
type Lock = LockMode;

const stores = new WeakMap<object, PolicyStore>();
/** The one way to a PolicyStore: one per database handle (a handler's context, or anything else with a db). */
export function policyStore(ctx: { readonly db: OperationContext['db'] }): PolicyStore {
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
export function policyWrite<T>(ctx: OperationContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.tx(async (tx: Tx) => {
    await policyStore(ctx).bumpAuthz(ctx.account.accountId, tx);
    return fn(tx);
  });
}

/**
 * The one mapping of the evaluator's PolicyError to the domain's error: runs parse, and a PolicyError it throws
 * becomes a ServiceError, by default with the same AWS code and message (MalformedPolicyDocument 400,
 * LimitExceeded 409); an operation whose model has other codes for it (the simulator) passes its own.
 */
export function withPolicyErrors<T>(parse: () => T, toError: (e: PolicyError) => ServiceError = (e) => new ServiceError(e.code, e.message)): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof PolicyError) throw toError(e);
    throw e;
  }
}

/**
 * parsePolicyDocument with IAM's write-time checks, the evaluator's error turned into the AWS error
 * (MalformedPolicyDocument 400, LimitExceeded 409). managed: CreatePolicy/CreatePolicyVersion (Version 2012-10-17 required).
 */
export function validateDocument(text: string, kind: PolicyKind, maxSize?: number, { managed = false } = {}): ParsedPolicy {
  return withPolicyErrors(() => parsePolicyDocument(text, { kind, writeTime: true, managed, ...(maxSize !== undefined ? { maxSize } : {}) }));
}

// ---------------------------------------------------------------------------------------------------
// Looking policies up

/** A customer managed policy as stored (managed_policies). */
export interface ManagedPolicyRow {
  readonly policyId: string;
  readonly accountId: string;
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly description?: string | null | undefined;
  readonly defaultVersion: string;
  readonly nextVersion: number;
  readonly tags: readonly Tag[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface PolicyRefBase { readonly arn: string; readonly name: string; readonly path: string; readonly policyId: string; readonly defaultVersion: string }
/** A managed policy found by ARN: an AWS-managed one (its catalogue entry) or one of this account's (its row). */
export type PolicyRef = (PolicyRefBase & { readonly aws: true; readonly meta: AwsManagedPolicy }) | (PolicyRefBase & { readonly aws: false; readonly row: ManagedPolicyRow });
type LocalPolicyRef = Extract<PolicyRef, { aws: false }>;

const ARN_RE = /^arn:aws:iam::(aws|\d{12}):policy(\/(?:[^/]+\/)*)([^/]+)$/;
// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, the general form.
const ANY_ARN_RE = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/s;

/**
 * Checks the shape of a policy ARN: something that is no ARN at all is AWS's ValidationError "Invalid ARN:  Could
 * not be parsed!" (LocalStack's AWS-validated test_role_attach_policy / test_user_attach_policy snapshots, e.g.
 * PolicyArn=longpolicynamebutnoarn); an ARN that names no policy is InvalidInput.
 */
export function checkPolicyArn(policyArn: string): void {
  if (!ANY_ARN_RE.test(policyArn)) throw validationError('Invalid ARN:  Could not be parsed!');
  if (!ARN_RE.test(policyArn)) throw invalidInput(`ARN ${policyArn} is not valid.`);
}

/** A managed policy by ARN, or null. Another account's policies do not exist for this one. */
export async function findPolicy(ctx: OperationContext, policyArn: string, q?: Query, lock?: Lock): Promise<PolicyRef | null> {
  checkPolicyArn(policyArn);
  if (isAwsManagedArn(policyArn)) {
    const meta = awsManagedPolicy(policyArn);
    return meta ? awsPolicyRef(meta) : null;
  }
  const row: ManagedPolicyRow | undefined = await policyStore(ctx).getPolicyByArn(policyArn, q, lock);
  if (!row || row.accountId !== ctx.account.accountId) return null;
  return localPolicyRef(row);
}

const notFound = (policyArn: string): ServiceError => noSuchEntity(`Policy ${policyArn} was not found.`);
const notAttachable = (policyArn: string): ServiceError => noSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);

/**
 * AWS-managed policies AWS marks not attachable, and service-role policies (/aws-service-role/, which AWS lets only
 * service-linked roles carry — Gatehouse has none), are PolicyNotAttachable (400); the message is AWS's.
 */
function checkAttachable(p: PolicyRef): void {
  if (!p.aws) return;
  if (p.path === '/aws-service-role/') throw new ServiceError('PolicyNotAttachable', 'Cannot attach a Service Role Policy to a Customer Role.');
  if (!p.meta.isAttachable) throw new ServiceError('PolicyNotAttachable', `Policy ${p.arn} is not attachable.`);
}

async function requirePolicy(ctx: OperationContext, policyArn: string, q?: Query, lock?: Lock): Promise<PolicyRef> {
  const p = await findPolicy(ctx, policyArn, q, lock);
  if (!p) throw notFound(policyArn);
  return p;
}

async function requireLocalPolicy(ctx: OperationContext, policyArn: string, q?: Query, lock?: Lock): Promise<LocalPolicyRef> {
  const p = await requirePolicy(ctx, policyArn, q, lock);
  if (p.aws) throw invalidInput(`Policy ${policyArn} is an AWS managed policy and cannot be modified.`);
  return p;
}

const tagsOf = (p: PolicyRef): Tag[] => (p.aws ? [] : [...p.row.tags]);

/**
 * A Policy. withTags: 'always' (GetPolicy: `Tags` even when empty, as AWS answers — LocalStack's AWS-validated
 * test_managed_policy_with_empty_resource snapshot), true (only when there are some), false.
 */
interface ShapeOptions {
  readonly attachments?: number;
  readonly boundaryUses?: number;
  readonly withDescription?: boolean;
  readonly withTags?: boolean | 'always';
}
function policyShape(p: PolicyRef, { attachments = 0, boundaryUses = 0, withDescription = false, withTags = false }: ShapeOptions = {}): Policy {
  const out: Policy = {
    PolicyName: p.name,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersion,
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: boundaryUses,
    IsAttachable: p.aws ? p.meta.isAttachable : true,
    CreateDate: new Date(p.aws ? p.meta.createDate : p.row.createdAt),
    UpdateDate: new Date(p.aws ? p.meta.updateDate : p.row.updatedAt),
  };
  const description = p.aws ? p.meta.description : p.row.description;
  if (withDescription && description) out.Description = description;
  if (withTags) {
    const tags = tagsOf(p);
    if (tags.length || withTags === 'always') out.Tags = tags;
  }
  return out;
}

const awsPolicyRef = (meta: AwsManagedPolicy): PolicyRef => ({ aws: true, meta, arn: meta.arn, name: meta.name, path: meta.path, policyId: meta.policyId, defaultVersion: meta.versionId });
const localPolicyRef = (row: ManagedPolicyRow): LocalPolicyRef => ({ aws: false, row, arn: row.arn, name: row.name, path: row.path, policyId: row.policyId, defaultVersion: row.defaultVersion });

// ---------------------------------------------------------------------------------------------------
// Entities: user, group, role

async function requireGroup(ctx: OperationContext, name: string, q?: Query, lock?: Lock): Promise<{ groupId: string; name: string }> {
  const g = await ctx.store.getGroup(ctx.account.accountId, name, q, lock);
  if (!g) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return g;
}

export async function requireRole(ctx: OperationContext, name: string, q?: Query, lock?: Lock) {
  const r = await policyStore(ctx).getRole(ctx.account.accountId, name, q, lock);
  if (!r) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return r;
}

/** The input member naming the entity of each kind. */
interface NameField { user: 'UserName'; group: 'GroupName'; role: 'RoleName' }
/** An input naming an entity of kind K. */
type Naming<K extends EntityKind> = { readonly [F in NameField[K]]: string };
/** What the policy operations need of the entity they act on. */
interface Entity { readonly id: string; readonly name: string }

// find(ctx, name, q, lock): writes that hang a policy off the entity pass 'no-key-update', so the entity's delete
// (which locks the same row) comes wholly before (NoSuchEntity) or after (DeleteConflict) them.
const ENTITY: { readonly [K in EntityKind]: { readonly input: NameField[K]; find(ctx: OperationContext, name: string, q?: Query, lock?: Lock): Promise<Entity> } } = {
  user: { input: 'UserName', find: async (ctx, name, q, lock) => { const u = await requireUser(ctx, name, q, lock); return { id: u.userId, name: u.name }; } },
  group: { input: 'GroupName', find: async (ctx, name, q, lock) => { const g = await requireGroup(ctx, name, q, lock); return { id: g.groupId, name: g.name }; } },
  role: { input: 'RoleName', find: async (ctx, name, q, lock) => { const r = await requireRole(ctx, name, q, lock); return { id: r.roleId, name: r.name }; } },
};

/** The entity an input names. */
const entityOf = <K extends EntityKind>(kind: K, input: Naming<K>): string => input[ENTITY[kind].input];

type NoOutput = Record<string, never>;

// ---------------------------------------------------------------------------------------------------
// Attachments

function attachHandler<K extends EntityKind>(kind: K) {
  const E = ENTITY[kind];
  return async (ctx: OperationContext, input: Naming<K> & { readonly PolicyArn: string }): Promise<NoOutput> => {
    checkPolicyArn(input.PolicyArn);
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      // Entity row, then policy row (DeletePolicy locks it and counts attachments).
      const entity = await E.find(ctx, entityOf(kind, input), tx, 'no-key-update');
      const p = await findPolicy(ctx, input.PolicyArn, tx, 'no-key-update');
      if (!p) throw notAttachable(input.PolicyArn);
      checkAttachable(p);
      const id = entity.id;
      if (await ps.isAttached(kind, id, p.arn, tx)) return; // idempotent, as on AWS
      const attached: string[] = await ps.attachedArns(kind, id, tx);
      if (attached.length >= ATTACHED_POLICIES_QUOTA) throw limitExceeded(`Cannot exceed quota for ${QUOTA_NAME[kind]}: ${ATTACHED_POLICIES_QUOTA}`);
      await ps.attach(ctx.account.accountId, kind, id, p.arn, nowIso(ctx), tx);
    });
    return {};
  };
}

function detachHandler<K extends EntityKind>(kind: K) {
  const E = ENTITY[kind];
  return async (ctx: OperationContext, input: Naming<K> & { readonly PolicyArn: string }): Promise<NoOutput> => {
    checkPolicyArn(input.PolicyArn);
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      const entity = await E.find(ctx, entityOf(kind, input), tx);
      const { changes } = await ps.detach(kind, entity.id, input.PolicyArn, tx);
      if (!changes) throw notFound(input.PolicyArn);
    });
    return {};
  };
}

interface ListInput { readonly Marker?: string | undefined; readonly MaxItems?: number | undefined }

function listAttachedHandler<K extends EntityKind>(kind: K) {
  const E = ENTITY[kind];
  return async (ctx: OperationContext, input: Naming<K> & ListInput & { readonly PathPrefix?: string | undefined }) => {
    const entity = await E.find(ctx, entityOf(kind, input));
    const arns: string[] = await policyStore(ctx).attachedArns(kind, entity.id);
    const list: { PolicyName: string; PolicyArn: string }[] = [];
    for (const a of arns) {
      const p = await findPolicy(ctx, a);
      if (!p) continue;
      if (input.PathPrefix !== undefined && !p.path.startsWith(input.PathPrefix)) continue;
      list.push({ PolicyName: p.name, PolicyArn: p.arn });
    }
    list.sort((a, b) => cmp(a.PolicyName.toLowerCase(), b.PolicyName.toLowerCase()) || cmp(a.PolicyArn, b.PolicyArn));
    const { items, ...rest } = pageArray(list, input, (x: { PolicyArn: string }) => x.PolicyArn);
    return { AttachedPolicies: items, ...rest };
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------------------------------
// Inline policies

const inlineNotFound = (kind: EntityKind, name: string): ServiceError => noSuchEntity(`The ${kind} policy with name ${name} cannot be found.`);

/** An inline policy as stored. */
interface InlineRow { readonly name: string; readonly document: string }

function putInlineHandler<K extends EntityKind>(kind: K) {
  const E = ENTITY[kind];
  return async (ctx: OperationContext, input: Naming<K> & { readonly PolicyName: string; readonly PolicyDocument: string }): Promise<NoOutput> => {
    validateDocument(input.PolicyDocument, 'identity');
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      const entity = await E.find(ctx, entityOf(kind, input), tx, 'no-key-update');
      const id = entity.id;
      const inline: InlineRow[] = await ps.listInline(kind, id, tx);
      const others = inline.filter((p) => p.name !== input.PolicyName);
      const total = others.reduce((n, p) => n + policySize(p.document), 0) + policySize(input.PolicyDocument);
      if (total > INLINE_LIMIT[kind]) throw limitExceeded(`Maximum policy size of ${INLINE_LIMIT[kind]} bytes exceeded for ${kind} ${entity.name}`);
      await ps.putInline(kind, id, input.PolicyName, input.PolicyDocument, tx);
    });
    return {};
  };
}

function getInlineHandler<K extends EntityKind>(kind: K) {
  const E = ENTITY[kind];
  return async (ctx: OperationContext, input: Naming<K> & { readonly PolicyName: string }) => {
    const entity = await E.find(ctx, entityOf(kind, input));
    const row: InlineRow | undefined = await policyStore(ctx).getInline(kind, entity.id, input.PolicyName);
    if (!row) throw inlineNotFound(kind, input.PolicyName);
    // The entity's name under its kind's member (UserName, GroupName or RoleName).
    return { [E.input]: entity.name, PolicyName: row.name, PolicyDocument: row.document } as Naming<K> & { PolicyName: string; PolicyDocument: string };
  };
}

function deleteInlineHandler<K extends EntityKind>(kind: K) {
  const E = ENTITY[kind];
  return async (ctx: OperationContext, input: Naming<K> & { readonly PolicyName: string }): Promise<NoOutput> => {
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      const entity = await E.find(ctx, entityOf(kind, input), tx);
      const { changes } = await ps.deleteInline(kind, entity.id, input.PolicyName, tx);
      if (!changes) throw inlineNotFound(kind, input.PolicyName);
    });
    return {};
  };
}

function listInlineHandler<K extends EntityKind>(kind: K) {
  const E = ENTITY[kind];
  return async (ctx: OperationContext, input: Naming<K> & ListInput) => {
    const entity = await E.find(ctx, entityOf(kind, input));
    const inline: InlineRow[] = await policyStore(ctx).listInline(kind, entity.id);
    const names = inline.map((p) => p.name);
    const { items, ...rest } = pageArray(names, input, (n: string) => n);
    return { PolicyNames: items, ...rest };
  };
}

// ---------------------------------------------------------------------------------------------------
// Permissions boundaries

/** The boundary policy must exist (AWS-managed or this account's); pass lock to hold it against DeletePolicy. */
export async function checkBoundary(ctx: OperationContext, policyArn: string, q?: Query, lock?: Lock): Promise<PolicyRef> {
  checkPolicyArn(policyArn);
  const p = await findPolicy(ctx, policyArn, q, lock);
  if (!p) throw noSuchEntity(`Scope ARN: ${policyArn} does not exist or is not attachable.`);
  return p;
}

function putBoundaryHandler<K extends 'user' | 'role'>(kind: K) {
  const E = ENTITY[kind];
  return async (ctx: OperationContext, input: Naming<K> & { readonly PermissionsBoundary: string }): Promise<NoOutput> => {
    checkPolicyArn(input.PermissionsBoundary);
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      const entity = await E.find(ctx, entityOf(kind, input), tx, 'no-key-update');
      const p = await checkBoundary(ctx, input.PermissionsBoundary, tx, 'no-key-update');
      if (kind === 'user') await ps.setUserBoundary(entity.id, p.arn, tx);
      else await ps.setRoleBoundary(entity.id, p.arn, tx);
    });
    return {};
  };
}

function deleteBoundaryHandler<K extends 'user' | 'role'>(kind: K) {
  const E = ENTITY[kind];
  return async (ctx: OperationContext, input: Naming<K>): Promise<NoOutput> => {
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      const entity = await E.find(ctx, entityOf(kind, input), tx);
      if (kind === 'user') await ps.setUserBoundary(entity.id, null, tx);
      else await ps.setRoleBoundary(entity.id, null, tx);
    });
    return {};
  };
}

// ---------------------------------------------------------------------------------------------------
// Versions

/** A policy version as stored (policy_versions), or an AWS-managed policy's default version. */
interface VersionRow { readonly versionId: string; readonly document?: string | undefined; readonly createdAt: string }

function versionShape(v: VersionRow, defaultVersion: string | null, { withDocument = true } = {}): PolicyVersion {
  const out: PolicyVersion = { VersionId: v.versionId, IsDefaultVersion: v.versionId === defaultVersion, CreateDate: new Date(v.createdAt) };
  if (withDocument && v.document !== undefined) out.Document = v.document;
  return out;
}
// Only the default version of an AWS-managed policy is known (the data holds no history).
const awsVersion = (meta: AwsManagedPolicy, { withDocument = true } = {}): VersionRow => ({ versionId: meta.versionId, ...(withDocument ? { document: meta.document } : {}), createdAt: meta.versionCreateDate });
const noVersion = (policyArn: string, versionId: string): ServiceError => noSuchEntity(`Policy ${policyArn} version ${versionId} does not exist or is not attachable.`);

// ---------------------------------------------------------------------------------------------------

const policyTags = taggingHandlers({
  load: (ctx: OperationContext, input: { PolicyArn: string }, q: Query, lock: Lock) => requireLocalPolicy(ctx, input.PolicyArn, q, lock),
  loadForList: (ctx: OperationContext, input: { PolicyArn: string }) => requirePolicy(ctx, input.PolicyArn),
  save: (ctx: OperationContext, p: LocalPolicyRef, tags: Tag[], q: Query) => policyStore(ctx).setPolicyTags(p.policyId, tags, q),
  tagsOf,
});

/** An entity a policy is attached to or bounds (ListEntitiesForPolicy). */
interface PolicyEntity { readonly type: EntityKind; readonly name: string; readonly id: string; readonly path: string }

export const handlers = {
  async CreatePolicy(ctx, input) {
    validateDocument(input.PolicyDocument, 'identity', POLICY_SIZE_LIMITS.managedPolicy, { managed: true });
    const path = input.Path ?? '/';
    const when = nowIso(ctx);
    const row = {
      policyId: newId.policy(),
      accountId: ctx.account.accountId,
      arn: arn.policy(ctx.account.accountId, path, input.PolicyName),
      name: input.PolicyName,
      path,
      description: input.Description,
      defaultVersion: 'v1',
      nextVersion: 2,
      tags: mergeTags([], input.Tags ?? []),
      createdAt: when,
      updatedAt: when,
    };
    const ps = policyStore(ctx);
    await unlessTaken(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`, () => ctx.db.tx(async (tx: Tx) => {
      await ctx.store.lockAccount(row.accountId, tx); // so two creates cannot both pass the quota
      if (await ps.countPolicies(row.accountId, tx) >= POLICIES_QUOTA) throw limitExceeded(`Cannot exceed quota for PoliciesPerAccount: ${POLICIES_QUOTA}`);
      await ps.insertPolicy(row, tx);
      await ps.insertVersion({ policyId: row.policyId, versionId: 'v1', document: input.PolicyDocument, createdAt: when }, tx);
    }));
    // AWS's CreatePolicy answer does not echo the Description (GetPolicy has it).
    return { Policy: policyShape(localPolicyRef(row), { withTags: true }) };
  },

  async GetPolicy(ctx, input) {
    const p = await requirePolicy(ctx, input.PolicyArn);
    const ps = policyStore(ctx);
    const attachments: number = await ps.countAttachmentsOf(p.arn, ctx.account.accountId);
    const boundaryUses: number = await ps.countBoundaryUses(p.arn, ctx.account.accountId);
    return { Policy: policyShape(p, { attachments, boundaryUses, withDescription: true, withTags: 'always' }) };
  },

  async DeletePolicy(ctx, input) {
    const ps = policyStore(ctx);
    await ctx.db.tx(async (tx: Tx) => {
      const p = await requireLocalPolicy(ctx, input.PolicyArn, tx, 'update');
      if (await ps.countAttachmentsOf(p.arn, ctx.account.accountId, tx)) throw deleteConflict('Cannot delete a policy attached to entities.');
      if (await ps.countBoundaryUses(p.arn, ctx.account.accountId, tx)) throw deleteConflict('Cannot delete a policy used as a permissions boundary.');
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
    const counts: Map<string, number> = await ps.attachmentCounts(ctx.account.accountId);
    const bounds: Map<string, number> = await ps.boundaryCounts(ctx.account.accountId);
    let list: PolicyRef[] = [];
    if (scope !== 'Local') list.push(...awsManagedPolicies().map(awsPolicyRef));
    if (scope !== 'AWS') {
      const rows: ManagedPolicyRow[] = await ps.listLocalPolicies(ctx.account.accountId);
      list.push(...rows.map(localPolicyRef));
    }
    const prefix = input.PathPrefix;
    if (prefix !== undefined) list = list.filter((p) => p.path.startsWith(prefix));
    if (input.OnlyAttached) {
      const usage = input.PolicyUsageFilter;
      list = list.filter((p) => (usage !== 'PermissionsBoundary' && counts.get(p.arn)) || (usage !== 'PermissionsPolicy' && bounds.get(p.arn)));
    }
    list.sort((a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase()) || cmp(a.arn, b.arn));
    const { items, ...rest } = pageArray(list, input, (p: PolicyRef) => p.arn);
    const page: PolicyRef[] = items;
    return { Policies: page.map((p) => policyShape(p, { attachments: counts.get(p.arn) ?? 0, boundaryUses: bounds.get(p.arn) ?? 0 })), ...rest };
  },

  async CreatePolicyVersion(ctx, input) {
    validateDocument(input.PolicyDocument, 'identity', POLICY_SIZE_LIMITS.managedPolicy, { managed: true });
    const ps = policyStore(ctx);
    const when = nowIso(ctx);
    // A new default version changes decisions: bump the authz version, first (it heads the lock order).
    const write: typeof policyWrite = input.SetAsDefault ? policyWrite : (c, fn) => c.db.tx(fn);
    const version = await write(ctx, async (tx) => {
      const p = await requireLocalPolicy(ctx, input.PolicyArn, tx, 'update');
      const versions: VersionRow[] = await ps.listVersions(p.policyId, tx);
      if (versions.length >= VERSIONS_PER_POLICY) {
        throw limitExceeded(`A managed policy can have up to ${VERSIONS_PER_POLICY} versions. Before you create a new version, you must delete an existing version.`);
      }
      // Version numbers are never reused, as on AWS.
      const n = Math.max(Number(p.row.nextVersion), ...versions.map((v) => versionNumber(v.versionId) + 1));
      const v = { policyId: p.policyId, versionId: `v${n}`, document: input.PolicyDocument, createdAt: when };
      await ps.insertVersion(v, tx);
      await ps.setPolicyNextVersion(p.policyId, n + 1, tx);
      if (input.SetAsDefault) await ps.setPolicyDefault(p.policyId, v.versionId, when, tx);
      return v;
    });
    return { PolicyVersion: versionShape(version, input.SetAsDefault ? version.versionId : null, { withDocument: false }) };
  },

  async GetPolicyVersion(ctx, input) {
    const p = await requirePolicy(ctx, input.PolicyArn);
    if (p.aws) {
      if (input.VersionId !== p.meta.versionId) throw noVersion(input.PolicyArn, input.VersionId);
      return { PolicyVersion: versionShape(awsVersion(p.meta), p.defaultVersion) };
    }
    const v: VersionRow | undefined = await policyStore(ctx).getVersion(p.policyId, input.VersionId);
    if (!v) throw noVersion(input.PolicyArn, input.VersionId);
    return { PolicyVersion: versionShape(v, p.defaultVersion) };
  },

  async ListPolicyVersions(ctx, input) {
    const p = await requirePolicy(ctx, input.PolicyArn);
    const versions: VersionRow[] = p.aws ? [awsVersion(p.meta, { withDocument: false })] : await policyStore(ctx).listVersions(p.policyId);
    const { items, ...rest } = pageArray(versions, input, (v: VersionRow) => v.versionId);
    const page: VersionRow[] = items;
    return { Versions: page.map((v) => versionShape(v, p.defaultVersion, { withDocument: false })), ...rest };
  },

  async DeletePolicyVersion(ctx, input) {
    const ps = policyStore(ctx);
    await ctx.db.tx(async (tx: Tx) => {
      const p = await requireLocalPolicy(ctx, input.PolicyArn, tx, 'update');
      if (input.VersionId === p.defaultVersion) throw deleteConflict('Cannot delete the default version of a policy.');
      const { changes } = await ps.deleteVersion(p.policyId, input.VersionId, tx);
      if (!changes) throw noVersion(input.PolicyArn, input.VersionId);
    });
    return {};
  },

  async SetDefaultPolicyVersion(ctx, input) {
    const ps = policyStore(ctx);
    await policyWrite(ctx, async (tx) => {
      const p = await requireLocalPolicy(ctx, input.PolicyArn, tx, 'update');
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
    // Paged by the store in index order (groups, roles, users; each by id): a page reads as many entities as it
    // shows, however many the policy is attached to. The Marker is the last entity's kind and id.
    const p = await requirePolicy(ctx, input.PolicyArn);
    const page = pageRequest(input);
    let after: { kind: EntityKind; id: string } | null = null;
    if (page.after !== null) {
      const m = /^(user|group|role):(.+)$/.exec(page.after);
      if (!m) throw invalidInput('Invalid Marker.');
      after = { kind: m[1] as EntityKind, id: m[2]! }; // the pattern's two groups: a kind and an id
    }
    const filter = input.EntityFilter;
    const one = filter === 'User' ? 'user' : filter === 'Group' ? 'group' : filter === 'Role' ? 'role' : null;
    const kinds: EntityKind[] = one ? [one] : ['group', 'role', 'user'];
    const usage = input.PolicyUsageFilter;
    const rows: PolicyEntity[] = await policyStore(ctx).entitiesForPolicyPage(ctx.account.accountId, p.arn, {
      kinds, attached: usage !== 'PermissionsBoundary', bounded: usage !== 'PermissionsPolicy', pathPrefix: input.PathPrefix, after, limit: page.limit,
    });
    const { items, ...rest } = pageResult(rows, page, (e: PolicyEntity) => `${e.type}:${e.id}`);
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
} satisfies Partial<{ [K in keyof IamOperations]: IamHandler<K, OperationContext> }>;
