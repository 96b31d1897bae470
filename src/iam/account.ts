// The account: its alias and the summary of what it holds.
import { noSuchEntity } from '../errors.js';
import { unlessTaken } from './conflict.js';
import { pageArray } from './pagination.js';
import { USERS_QUOTA } from './users.js';
import { GROUPS_QUOTA, GROUPS_PER_USER_QUOTA } from './groups.js';
import { ACCESS_KEYS_PER_USER } from './access-keys.js';
import { POLICIES_QUOTA, VERSIONS_PER_POLICY, ATTACHED_POLICIES_QUOTA } from './policies.js';
import { ROLES_QUOTA } from './roles.js';
import { POLICY_SIZE_LIMITS } from '../policy/index.js';
import type { IamHandlerMap } from './context.js';
import type { summaryKeyType } from '../aws/models/iam.generated.js';

export const handlers = {
  async CreateAccountAlias(ctx, input) {
    // One alias per account: a new one replaces the old.
    await unlessTaken(`The account alias ${input.AccountAlias} already exists.`, () => ctx.store.setAlias(ctx.account.accountId, input.AccountAlias));
    return {};
  },

  async DeleteAccountAlias(ctx, input) {
    if (ctx.account.alias !== input.AccountAlias) throw noSuchEntity(`The account alias ${input.AccountAlias} cannot be found.`);
    await ctx.store.setAlias(ctx.account.accountId, null);
    return {};
  },

  async ListAccountAliases(ctx, input) {
    const { items, ...rest } = pageArray<string>(ctx.account.alias ? [ctx.account.alias] : [], input, (a) => a);
    return { AccountAliases: items, ...rest };
  },

  async GetAccountSummary(ctx) {
    const c = await ctx.store.summaryCounts(ctx.account.accountId);
    const summary: Record<summaryKeyType, number> = {
      Users: c.users,
      UsersQuota: USERS_QUOTA,
      Groups: c.groups,
      GroupsQuota: GROUPS_QUOTA,
      ServerCertificates: 0,
      ServerCertificatesQuota: 20,
      UserPolicySizeQuota: POLICY_SIZE_LIMITS.userInlineAggregate,
      GroupPolicySizeQuota: POLICY_SIZE_LIMITS.groupInlineAggregate,
      GroupsPerUserQuota: GROUPS_PER_USER_QUOTA,
      SigningCertificatesPerUserQuota: 2,
      AccessKeysPerUserQuota: ACCESS_KEYS_PER_USER,
      MFADevices: c.mfaDevices,
      MFADevicesInUse: c.mfaDevicesInUse,
      AccountMFAEnabled: c.rootMfaDevices > 0 ? 1 : 0,
      AccountAccessKeysPresent: c.rootAccessKeys > 0 ? 1 : 0,
      AccountPasswordPresent: 1,
      AccountSigningCertificatesPresent: 0,
      AttachedPoliciesPerGroupQuota: ATTACHED_POLICIES_QUOTA,
      AttachedPoliciesPerRoleQuota: ATTACHED_POLICIES_QUOTA,
      AttachedPoliciesPerUserQuota: ATTACHED_POLICIES_QUOTA,
      Policies: c.policies,
      PoliciesQuota: POLICIES_QUOTA,
      PolicySizeQuota: POLICY_SIZE_LIMITS.managedPolicy,
      PolicyVersionsInUse: c.policyVersionsInUse,
      PolicyVersionsInUseQuota: 10000,
      VersionsPerPolicyQuota: VERSIONS_PER_POLICY,
      GlobalEndpointTokenVersion: 1,
      AssumeRolePolicySizeQuota: POLICY_SIZE_LIMITS.roleTrustPolicy,
      InstanceProfiles: 0,
      InstanceProfilesQuota: 1000,
      Providers: 0,
      RolePolicySizeQuota: POLICY_SIZE_LIMITS.roleInlineAggregate,
      Roles: c.roles,
      RolesQuota: ROLES_QUOTA,
    };
    return { SummaryMap: summary };
  },
} satisfies Partial<IamHandlerMap>;
