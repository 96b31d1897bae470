// The resource each IAM operation acts on, as AWS's service authorization reference gives it; the one place the
// authoriser learns what a request touches. Besides the ARN, the target carries what the request context needs
// from the resource itself (src/authz/request-context.ts): its tags (aws:ResourceTag/*, iam:ResourceTag/*) and,
// for users and roles, its permissions boundary (iam:PermissionsBoundary). They come from the same lookup that
// finds the resource's path, so they cost no extra query for users and roles; policies and MFA devices are read
// by their ARN (one indexed query).
import { arn } from './arn.js';
import { isAwsManagedArn } from './aws-managed-policies.js';
import { PolicyStore } from '../store/policy-store.js';
import type { IamOperations } from '../aws/handlers.js';
import type { OperationContext, Tag } from './context.js';

/** What an IAM operation acts on, as the authoriser sees it. */
export interface Target {
  /** the resource ARN ('*' for operations on no resource) */
  readonly arn: string;
  /** the service authorization reference's resource type */
  readonly type?: 'user' | 'group' | 'role' | 'policy' | 'mfa';
  /** the existing resource's tags (absent when it does not exist yet, or has none to have) */
  readonly tags?: Tag[] | undefined;
  /** a user's or role's permissions boundary ARN (null: none) */
  readonly boundary?: string | null;
  /** the calling IAM user itself: the authoriser fills tags and boundary from its stamp */
  readonly self?: boolean;
}

/** An entity's tags (a copy), or undefined when there is no entity. */
const tagsOf = (entity: { readonly tags: readonly Tag[] } | null | undefined): Tag[] | undefined => (entity ? [...entity.tags] : undefined);

// A named user, group or role is authorised under its full ARN, path included (a policy on `user/eng/*` must
// match). The caller's own user needs no lookup; others are read by name, and a name that does not exist is
// authorised as `/NAME` (the handler then answers NoSuchEntity to whoever may ask).
export async function userRes(ctx: OperationContext, name: string | undefined): Promise<Target> {
  const p = ctx.principal;
  if (name === undefined) return p.kind === 'user' ? { arn: p.arn, type: 'user', self: true } : { arn: arn.root(ctx.account.accountId) };
  if (p.kind === 'user' && p.userName.toLowerCase() === name.toLowerCase()) return { arn: p.arn, type: 'user', self: true };
  const u = await ctx.store.getUser(ctx.account.accountId, name);
  return { arn: arn.user(ctx.account.accountId, u?.path ?? '/', u?.name ?? name), type: 'user', tags: tagsOf(u), boundary: u?.permissionsBoundary ?? null };
}
async function groupRes(ctx: OperationContext, name: string): Promise<Target> {
  const g = await ctx.store.getGroup(ctx.account.accountId, name);
  return { arn: arn.group(ctx.account.accountId, g?.path ?? '/', g?.name ?? name), type: 'group' };
}
async function roleRes(ctx: OperationContext, name: string): Promise<Target> {
  const r = await new PolicyStore(ctx.db).getRole(ctx.account.accountId, name);
  return { arn: arn.role(ctx.account.accountId, r?.path ?? '/', r?.name ?? name), type: 'role', tags: tagsOf(r), boundary: r?.permissionsBoundary ?? null };
}
async function policyRes(ctx: OperationContext, policyArn: string): Promise<Target> {
  // AWS managed policies carry no tags; customer managed ones are read by ARN.
  if (isAwsManagedArn(policyArn)) return { arn: policyArn, type: 'policy' };
  const row = await new PolicyStore(ctx.db).getPolicyByArn(policyArn);
  return { arn: policyArn, type: 'policy', tags: row && row.accountId === ctx.account.accountId ? tagsOf(row) : undefined };
}
async function mfaRes(ctx: OperationContext, serialNumber: string): Promise<Target> {
  const serial = serialNumber.startsWith('arn:') ? serialNumber : arn.mfa(ctx.account.accountId, '/', serialNumber);
  const d = await ctx.mfaStore.getDevice(ctx.account.accountId, serialNumber);
  return { arn: serial, type: 'mfa', tags: tagsOf(d) };
}
type Resolver<I> = (ctx: OperationContext, input: I) => Target | Promise<Target>;
type Input<K extends keyof IamOperations> = IamOperations[K]['input'];

const created = <I>(type: NonNullable<Target['type']>, arnOf: (account: string, i: I) => string): Resolver<I> =>
  (ctx, i) => ({ arn: arnOf(ctx.account.accountId, i), type });

/** The same resolver for several operations (their inputs share the member it reads). */
const each = <K extends keyof IamOperations>(ops: readonly K[], f: Resolver<Input<K>>): { [P in K]: Resolver<Input<P>> } =>
  Object.fromEntries(ops.map((op) => [op, f])) as { [P in K]: Resolver<Input<P>> }; // fromEntries forgets the keys: each of ops maps to f

const byOperation: { readonly [K in keyof IamOperations]?: Resolver<Input<K>> } = {
  CreateUser: created('user', (a, i) => arn.user(a, i.Path ?? '/', i.UserName)),
  GetUser: (ctx, i) => userRes(ctx, i.UserName),
  UpdateUser: (ctx, i) => userRes(ctx, i.UserName),
  DeleteUser: (ctx, i) => userRes(ctx, i.UserName),
  TagUser: (ctx, i) => userRes(ctx, i.UserName),
  UntagUser: (ctx, i) => userRes(ctx, i.UserName),
  ListUserTags: (ctx, i) => userRes(ctx, i.UserName),
  CreateLoginProfile: (ctx, i) => userRes(ctx, i.UserName),
  GetLoginProfile: (ctx, i) => userRes(ctx, i.UserName),
  UpdateLoginProfile: (ctx, i) => userRes(ctx, i.UserName),
  DeleteLoginProfile: (ctx, i) => userRes(ctx, i.UserName),
  ChangePassword: (ctx) => userRes(ctx, undefined),
  CreateAccessKey: (ctx, i) => userRes(ctx, i.UserName),
  ListAccessKeys: (ctx, i) => userRes(ctx, i.UserName),
  UpdateAccessKey: (ctx, i) => userRes(ctx, i.UserName),
  DeleteAccessKey: (ctx, i) => userRes(ctx, i.UserName),
  ListGroupsForUser: (ctx, i) => userRes(ctx, i.UserName),
  ListMFADevices: (ctx, i) => userRes(ctx, i.UserName),
  EnableMFADevice: (ctx, i) => userRes(ctx, i.UserName),
  ResyncMFADevice: (ctx, i) => userRes(ctx, i.UserName),
  DeactivateMFADevice: (ctx, i) => userRes(ctx, i.UserName),
  // The reference gives the user for GetMFADevice (the device is looked up as the user's).
  GetMFADevice: (ctx, i) => userRes(ctx, i.UserName),
  CreateGroup: created('group', (a, i) => arn.group(a, i.Path ?? '/', i.GroupName)),
  GetGroup: (ctx, i) => groupRes(ctx, i.GroupName),
  UpdateGroup: (ctx, i) => groupRes(ctx, i.GroupName),
  DeleteGroup: (ctx, i) => groupRes(ctx, i.GroupName),
  AddUserToGroup: (ctx, i) => groupRes(ctx, i.GroupName),
  RemoveUserFromGroup: (ctx, i) => groupRes(ctx, i.GroupName),
  CreateVirtualMFADevice: created('mfa', (a, i) => arn.mfa(a, i.Path ?? '/', i.VirtualMFADeviceName)),
  ...each(['DeleteVirtualMFADevice', 'TagMFADevice', 'UntagMFADevice', 'ListMFADeviceTags'], (ctx, i) => mfaRes(ctx, i.SerialNumber)),
  // Policies, roles, attachments, inline policies and boundaries (service authorization reference: the policy ARN
  // for policy operations, the user/group/role ARN for operations on an entity's policies).
  CreatePolicy: created('policy', (a, i) => arn.policy(a, i.Path ?? '/', i.PolicyName)),
  ...each(['GetPolicy', 'DeletePolicy', 'CreatePolicyVersion', 'GetPolicyVersion', 'ListPolicyVersions', 'DeletePolicyVersion',
    'SetDefaultPolicyVersion', 'ListEntitiesForPolicy', 'TagPolicy', 'UntagPolicy', 'ListPolicyTags'], (ctx, i) => policyRes(ctx, i.PolicyArn)),
  ...each(['AttachUserPolicy', 'DetachUserPolicy', 'ListAttachedUserPolicies', 'PutUserPolicy', 'GetUserPolicy', 'DeleteUserPolicy',
    'ListUserPolicies', 'PutUserPermissionsBoundary', 'DeleteUserPermissionsBoundary'], (ctx, i) => userRes(ctx, i.UserName)),
  ...each(['AttachGroupPolicy', 'DetachGroupPolicy', 'ListAttachedGroupPolicies', 'PutGroupPolicy', 'GetGroupPolicy', 'DeleteGroupPolicy',
    'ListGroupPolicies'], (ctx, i) => groupRes(ctx, i.GroupName)),
  CreateRole: created('role', (a, i) => arn.role(a, i.Path ?? '/', i.RoleName)),
  ...each(['GetRole', 'UpdateRole', 'UpdateRoleDescription', 'UpdateAssumeRolePolicy', 'DeleteRole', 'TagRole', 'UntagRole', 'ListRoleTags',
    'AttachRolePolicy', 'DetachRolePolicy', 'ListAttachedRolePolicies', 'PutRolePolicy', 'GetRolePolicy', 'DeleteRolePolicy', 'ListRolePolicies',
    'PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary'], (ctx, i) => roleRes(ctx, i.RoleName)),
  // Simulating an entity's policies acts on that user, group or role (SimulateCustomPolicy and the report: '*').
  SimulatePrincipalPolicy: (ctx, i) => ({ arn: i.PolicySourceArn }),
  GetContextKeysForPrincipalPolicy: (ctx, i) => ({ arn: i.PolicySourceArn }),
};

/**
 * The resource an IAM operation acts on ({ arn: '*' } for those that act on none). `input` is the operation's
 * input as the wire parsed it from `action`'s model shape.
 */
export async function resourceTargetFor(ctx: OperationContext, action: string, input: object | undefined): Promise<Target> {
  // The wire parsed input by the action's own shape, so the action's resolver takes it.
  const f = (byOperation as Readonly<Record<string, Resolver<object> | undefined>>)[action];
  return f ? f(ctx, input ?? {}) : { arn: '*' }; // the wire always parses one (empty for an operation without members)
}

/** The resource ARN of an IAM operation ('*' for those that act on no resource). */
export async function resourceFor(ctx: OperationContext, action: string, input: object | undefined): Promise<string> {
  return (await resourceTargetFor(ctx, action, input)).arn;
}
