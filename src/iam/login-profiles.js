// Console passwords (login profiles) and the account password policy they are checked against.
import { AwsError, entityAlreadyExists, noSuchEntity } from '../aws/errors.js';
import { ConflictError } from '../store/index.js';
import { checkPasswordPolicy, checkReuse, hashPassword, verifyPassword } from './passwords.js';
import { requireUser, targetUser, nowIso } from './common.js';

export const passwordPolicyOf = (account) => (account.password_policy ? JSON.parse(account.password_policy) : null);

async function requireProfile(ctx, user, q) {
  const p = await ctx.store.getLoginProfile(user.user_id, q);
  if (!p) throw noSuchEntity(`Login Profile for User ${user.name} cannot be found.`);
  return p;
}

const profileShape = (user, p) => ({ UserName: user.name, CreateDate: p.created_at, PasswordResetRequired: !!p.password_reset_required });

async function newPasswordFields(ctx, user, password, history) {
  const policy = passwordPolicyOf(ctx.account);
  checkPasswordPolicy(password, policy, { accountId: ctx.account.account_id, userName: user.name });
  await checkReuse(password, history, policy);
  const hash = await hashPassword(password);
  return { password_hash: hash, password_history: [...history, hash].slice(-24), password_changed_at: nowIso(ctx) };
}

export const handlers = {
  async CreateLoginProfile(ctx, input) {
    const user = await targetUser(ctx, input.UserName, { allowRoot: false });
    if (input.Password === undefined) throw new AwsError('ValidationError', "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
    if (await ctx.store.getLoginProfile(user.user_id)) throw entityAlreadyExists(`Login Profile for user ${user.name} already exists.`);
    // Hashed before the transaction (argon2 takes tens of milliseconds; no lock is held meanwhile).
    const fields = await newPasswordFields(ctx, user, input.Password, []);
    const row = { user_id: user.user_id, ...fields, password_reset_required: !!input.PasswordResetRequired, created_at: nowIso(ctx) };
    try {
      await ctx.db.tx(async (tx) => {
        // The user's row, locked and re-checked, as DeleteUser locks it (docs/concurrency.md).
        if (!(await ctx.store.lockUser(user.user_id, tx))) throw noSuchEntity(`The user with name ${user.name} cannot be found.`);
        await ctx.store.insertLoginProfile(row, tx);
      });
    } catch (e) {
      if (e instanceof ConflictError) throw entityAlreadyExists(`Login Profile for user ${user.name} already exists.`);
      throw e;
    }
    return { LoginProfile: profileShape(user, row) };
  },

  async GetLoginProfile(ctx, input) {
    const user = await targetUser(ctx, input.UserName, { allowRoot: false });
    return { LoginProfile: profileShape(user, await requireProfile(ctx, user)) };
  },

  async UpdateLoginProfile(ctx, input) {
    const user = await requireUser(ctx, input.UserName);
    const profile = await requireProfile(ctx, user);
    const fields = {};
    if (input.Password !== undefined) Object.assign(fields, await newPasswordFields(ctx, user, input.Password, JSON.parse(profile.password_history)));
    if (input.PasswordResetRequired !== undefined) fields.password_reset_required = input.PasswordResetRequired ? 1 : 0;
    if (Object.keys(fields).length) await ctx.store.updateLoginProfile(user.user_id, fields);
    return {};
  },

  async DeleteLoginProfile(ctx, input) {
    const user = await targetUser(ctx, input.UserName, { allowRoot: false });
    await requireProfile(ctx, user);
    await ctx.store.deleteLoginProfile(user.user_id);
    return {};
  },

  async ChangePassword(ctx, input) {
    if (ctx.principal.kind !== 'user') throw new AwsError('InvalidUserType', 'Only IAM users can change their own password with ChangePassword.');
    const user = await requireUser(ctx, ctx.principal.userName);
    const profile = await requireProfile(ctx, user);
    if (!(await verifyPassword(profile.password_hash, input.OldPassword))) {
      throw new AwsError('AccessDenied', 'The old password is incorrect.');
    }
    const fields = await newPasswordFields(ctx, user, input.NewPassword, JSON.parse(profile.password_history));
    await ctx.store.updateLoginProfile(user.user_id, { ...fields, password_reset_required: 0 });
    return {};
  },

  async GetAccountPasswordPolicy(ctx) {
    const policy = passwordPolicyOf(ctx.account);
    if (!policy) throw noSuchEntity(`The Password Policy with domain name ${ctx.account.account_id} cannot be found.`);
    return { PasswordPolicy: policy };
  },

  async UpdateAccountPasswordPolicy(ctx, input) {
    // As on AWS, a parameter left out takes its default value rather than keeping the old one.
    const policy = {
      MinimumPasswordLength: input.MinimumPasswordLength ?? 6,
      RequireSymbols: input.RequireSymbols ?? false,
      RequireNumbers: input.RequireNumbers ?? false,
      RequireUppercaseCharacters: input.RequireUppercaseCharacters ?? false,
      RequireLowercaseCharacters: input.RequireLowercaseCharacters ?? false,
      AllowUsersToChangePassword: input.AllowUsersToChangePassword ?? false,
      ExpirePasswords: (input.MaxPasswordAge ?? 0) > 0,
    };
    if (input.MaxPasswordAge) policy.MaxPasswordAge = input.MaxPasswordAge;
    if (input.PasswordReusePrevention) policy.PasswordReusePrevention = input.PasswordReusePrevention;
    if (input.HardExpiry !== undefined) policy.HardExpiry = input.HardExpiry;
    await ctx.store.setPasswordPolicy(ctx.account.account_id, policy);
    return {};
  },

  async DeleteAccountPasswordPolicy(ctx) {
    if (!ctx.account.password_policy) throw noSuchEntity(`The account policy with name PasswordPolicy cannot be found.`);
    await ctx.store.setPasswordPolicy(ctx.account.account_id, null);
    return {};
  },
};
