// The resource ARN each IAM operation acts on, as AWS's service authorization reference gives it; the one
// place the authoriser learns what a request touches.
import { arn } from './arn.js';

const userRes = (ctx, name) => (name === undefined
  ? (ctx.principal.kind === 'user' ? ctx.principal.arn : arn.root(ctx.account.account_id))
  : arn.user(ctx.account.account_id, '/', name));
const groupRes = (ctx, name) => arn.group(ctx.account.account_id, '/', name);
const roleRes = (ctx, name) => arn.role(ctx.account.account_id, '/', name);

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

export function resourceFor(ctx, action, input) {
  const f = byOperation[action];
  return f ? f(ctx, input) : '*';
}
