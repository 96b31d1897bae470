// The resource ARN each IAM operation acts on, as AWS's service authorization reference gives it; the one
// place the authoriser learns what a request touches.
import { arn } from './arn.js';
import { PolicyStore } from '../store/policy-store.js';

// A named user, group or role is authorised under its full ARN, path included (a policy on `user/eng/*` must
// match). The caller's own user needs no lookup; others are read by name, and a name that does not exist is
// authorised as `/NAME` (the handler then answers NoSuchEntity to whoever may ask).
async function userRes(ctx, name) {
  const p = ctx.principal;
  if (name === undefined) return p.kind === 'user' ? p.arn : arn.root(ctx.account.account_id);
  if (p.kind === 'user' && p.userName.toLowerCase() === name.toLowerCase()) return p.arn;
  const u = await ctx.store.getUser(ctx.account.account_id, name);
  return arn.user(ctx.account.account_id, u?.path ?? '/', u?.name ?? name);
}
async function groupRes(ctx, name) {
  const g = await ctx.store.getGroup(ctx.account.account_id, name);
  return arn.group(ctx.account.account_id, g?.path ?? '/', g?.name ?? name);
}
async function roleRes(ctx, name) {
  const r = await new PolicyStore(ctx.db).getRole(ctx.account.account_id, name);
  return arn.role(ctx.account.account_id, r?.path ?? '/', r?.name ?? name);
}

const byOperation = {
  CreateUser: (ctx, i) => arn.user(ctx.account.account_id, i.Path ?? '/', i.UserName),
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
  CreateGroup: (ctx, i) => arn.group(ctx.account.account_id, i.Path ?? '/', i.GroupName),
  GetGroup: (ctx, i) => groupRes(ctx, i.GroupName),
  UpdateGroup: (ctx, i) => groupRes(ctx, i.GroupName),
  DeleteGroup: (ctx, i) => groupRes(ctx, i.GroupName),
  AddUserToGroup: (ctx, i) => groupRes(ctx, i.GroupName),
  RemoveUserFromGroup: (ctx, i) => groupRes(ctx, i.GroupName),
  CreateVirtualMFADevice: (ctx, i) => arn.mfa(ctx.account.account_id, i.Path ?? '/', i.VirtualMFADeviceName),
  ...Object.fromEntries(['DeleteVirtualMFADevice', 'GetMFADevice', 'TagMFADevice', 'UntagMFADevice', 'ListMFADeviceTags'].map((op) => [op, (ctx, i) => (i.SerialNumber.startsWith('arn:') ? i.SerialNumber : arn.mfa(ctx.account.account_id, '/', i.SerialNumber))])),
  // Policies, roles, attachments, inline policies and boundaries (service authorization reference: the policy ARN
  // for policy operations, the user/group/role ARN for operations on an entity's policies).
  CreatePolicy: (ctx, i) => arn.policy(ctx.account.account_id, i.Path ?? '/', i.PolicyName),
  ...Object.fromEntries(['GetPolicy', 'DeletePolicy', 'CreatePolicyVersion', 'GetPolicyVersion', 'ListPolicyVersions', 'DeletePolicyVersion',
    'SetDefaultPolicyVersion', 'ListEntitiesForPolicy', 'TagPolicy', 'UntagPolicy', 'ListPolicyTags'].map((op) => [op, (ctx, i) => i.PolicyArn])),
  ...Object.fromEntries(['AttachUserPolicy', 'DetachUserPolicy', 'ListAttachedUserPolicies', 'PutUserPolicy', 'GetUserPolicy', 'DeleteUserPolicy',
    'ListUserPolicies', 'PutUserPermissionsBoundary', 'DeleteUserPermissionsBoundary'].map((op) => [op, (ctx, i) => userRes(ctx, i.UserName)])),
  ...Object.fromEntries(['AttachGroupPolicy', 'DetachGroupPolicy', 'ListAttachedGroupPolicies', 'PutGroupPolicy', 'GetGroupPolicy', 'DeleteGroupPolicy',
    'ListGroupPolicies'].map((op) => [op, (ctx, i) => groupRes(ctx, i.GroupName)])),
  CreateRole: (ctx, i) => arn.role(ctx.account.account_id, i.Path ?? '/', i.RoleName),
  ...Object.fromEntries(['GetRole', 'UpdateRole', 'UpdateRoleDescription', 'UpdateAssumeRolePolicy', 'DeleteRole', 'TagRole', 'UntagRole', 'ListRoleTags',
    'AttachRolePolicy', 'DetachRolePolicy', 'ListAttachedRolePolicies', 'PutRolePolicy', 'GetRolePolicy', 'DeleteRolePolicy', 'ListRolePolicies',
    'PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary'].map((op) => [op, (ctx, i) => roleRes(ctx, i.RoleName)])),
  // Simulating an entity's policies acts on that user, group or role (SimulateCustomPolicy and the report: '*').
  SimulatePrincipalPolicy: (ctx, i) => i.PolicySourceArn,
  GetContextKeysForPrincipalPolicy: (ctx, i) => i.PolicySourceArn,
};

/** @returns {Promise<string>} the resource ARN of an IAM operation ('*' for those that act on no resource) */
export async function resourceFor(ctx, action, input) {
  const f = byOperation[action];
  return f ? f(ctx, input) : '*';
}
