// IAM operations, keyed by AWS operation name. Each handler takes (ctx, input) and returns the output shape.
import { handlers as users } from './users.js';
import { handlers as groups } from './groups.js';
import { handlers as loginProfiles } from './login-profiles.js';
import { handlers as accessKeys } from './access-keys.js';
import { handlers as account } from './account.js';
import { handlers as mfaDevices } from './mfa-devices.js';
import { handlers as policies } from './policies.js';
import { handlers as roles } from './roles.js';
import { handlers as simulation } from './simulation.js';
import { handlers as credentialReport } from './credential-report.js';
import { handlers as authorizationDetails } from './authorization-details.js';
import type { HandlerMap, IamOperations } from '../aws/handlers.js';
import type { OperationContext } from './context.js';

/** The IAM operations Gatehouse serves: iamHandlers must have one handler for each. */
export const IAM_OPERATIONS = [
  'CreateUser', 'GetUser', 'UpdateUser', 'DeleteUser', 'ListUsers', 'TagUser', 'UntagUser', 'ListUserTags',
  'CreateGroup', 'GetGroup', 'UpdateGroup', 'DeleteGroup', 'ListGroups', 'AddUserToGroup', 'RemoveUserFromGroup', 'ListGroupsForUser',
  'CreateLoginProfile', 'GetLoginProfile', 'UpdateLoginProfile', 'DeleteLoginProfile', 'ChangePassword',
  'GetAccountPasswordPolicy', 'UpdateAccountPasswordPolicy', 'DeleteAccountPasswordPolicy',
  'CreateAccessKey', 'ListAccessKeys', 'UpdateAccessKey', 'DeleteAccessKey', 'GetAccessKeyLastUsed',
  'CreateAccountAlias', 'DeleteAccountAlias', 'ListAccountAliases', 'GetAccountSummary',
  'CreateVirtualMFADevice', 'EnableMFADevice', 'ResyncMFADevice', 'DeactivateMFADevice', 'DeleteVirtualMFADevice', 'ListMFADevices',
  'ListVirtualMFADevices', 'GetMFADevice', 'TagMFADevice', 'UntagMFADevice', 'ListMFADeviceTags',
  'CreatePolicy', 'GetPolicy', 'DeletePolicy', 'ListPolicies', 'CreatePolicyVersion', 'GetPolicyVersion', 'ListPolicyVersions',
  'DeletePolicyVersion', 'SetDefaultPolicyVersion', 'TagPolicy', 'UntagPolicy', 'ListPolicyTags',
  'AttachUserPolicy', 'AttachGroupPolicy', 'AttachRolePolicy', 'DetachUserPolicy', 'DetachGroupPolicy', 'DetachRolePolicy',
  'ListAttachedUserPolicies', 'ListAttachedGroupPolicies', 'ListAttachedRolePolicies', 'ListEntitiesForPolicy',
  'PutUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'GetUserPolicy', 'GetGroupPolicy', 'GetRolePolicy',
  'DeleteUserPolicy', 'DeleteGroupPolicy', 'DeleteRolePolicy', 'ListUserPolicies', 'ListGroupPolicies', 'ListRolePolicies',
  'PutUserPermissionsBoundary', 'PutRolePermissionsBoundary', 'DeleteUserPermissionsBoundary', 'DeleteRolePermissionsBoundary',
  'CreateRole', 'GetRole', 'UpdateRole', 'UpdateRoleDescription', 'UpdateAssumeRolePolicy', 'DeleteRole', 'ListRoles',
  'TagRole', 'UntagRole', 'ListRoleTags',
  'SimulatePrincipalPolicy', 'SimulateCustomPolicy', 'GetContextKeysForPrincipalPolicy', 'GetContextKeysForCustomPolicy',
  'GenerateCredentialReport', 'GetCredentialReport', 'GetAccountAuthorizationDetails',
] as const satisfies readonly (keyof IamOperations)[];

export type IamOperationName = typeof IAM_OPERATIONS[number];

export const iamHandlers: HandlerMap<IamOperations, IamOperationName, OperationContext> = {
  ...users, ...groups, ...loginProfiles, ...accessKeys, ...account, ...mfaDevices, ...policies, ...roles,
  ...simulation, ...credentialReport, ...authorizationDetails,
};
