// The account: its alias and the summary of what it holds.
import { entityAlreadyExists, noSuchEntity } from '../aws/errors.js';
import { ConflictError } from '../store/index.js';
import { pageArray } from './pagination.js';
import { USERS_QUOTA } from './users.js';
import { GROUPS_QUOTA, GROUPS_PER_USER_QUOTA } from './groups.js';
import { ACCESS_KEYS_PER_USER } from './access-keys.js';

export const handlers = {
  async CreateAccountAlias(ctx, input) {
    try {
      // One alias per account: a new one replaces the old.
      await ctx.store.setAlias(ctx.account.account_id, input.AccountAlias);
    } catch (e) {
      if (e instanceof ConflictError) throw entityAlreadyExists(`The account alias ${input.AccountAlias} already exists.`);
      throw e;
    }
    return {};
  },

  async DeleteAccountAlias(ctx, input) {
    if (ctx.account.alias !== input.AccountAlias) throw noSuchEntity(`The account alias ${input.AccountAlias} cannot be found.`);
    await ctx.store.setAlias(ctx.account.account_id, null);
    return {};
  },

  async ListAccountAliases(ctx, input) {
    const { items, ...rest } = pageArray(ctx.account.alias ? [ctx.account.alias] : [], input, (a) => a);
    return { AccountAliases: items, ...rest };
  },

  async GetAccountSummary(ctx) {
    const c = await ctx.store.summaryCounts(ctx.account.account_id);
    const summary = {
      Users: c.users,
      UsersQuota: USERS_QUOTA,
      Groups: c.groups,
      GroupsQuota: GROUPS_QUOTA,
      ServerCertificates: 0,
      ServerCertificatesQuota: 20,
      UserPolicySizeQuota: 2048,
      GroupPolicySizeQuota: 5120,
      GroupsPerUserQuota: GROUPS_PER_USER_QUOTA,
      SigningCertificatesPerUserQuota: 2,
      AccessKeysPerUserQuota: ACCESS_KEYS_PER_USER,
      MFADevices: c.mfaDevices,
      MFADevicesInUse: c.mfaDevicesInUse,
      AccountMFAEnabled: c.rootMfaDevices > 0 ? 1 : 0,
      AccountAccessKeysPresent: c.rootAccessKeys > 0 ? 1 : 0,
      AccountPasswordPresent: 1,
      AccountSigningCertificatesPresent: 0,
      AttachedPoliciesPerGroupQuota: 10,
      AttachedPoliciesPerRoleQuota: 10,
      AttachedPoliciesPerUserQuota: 10,
      Policies: 0,
      PoliciesQuota: 1500,
      PolicySizeQuota: 6144,
      PolicyVersionsInUse: 0,
      PolicyVersionsInUseQuota: 10000,
      VersionsPerPolicyQuota: 5,
      GlobalEndpointTokenVersion: 1,
      AssumeRolePolicySizeQuota: 2048,
      InstanceProfiles: 0,
      InstanceProfilesQuota: 1000,
      Providers: 0,
      RolePolicySizeQuota: 10240,
      Roles: 0,
      RolesQuota: 1000,
    };
    return { SummaryMap: summary };
  },
};
