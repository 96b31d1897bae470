// Console passwords (login profiles) and the account password policy they are checked against.
import { ServiceError, accessDenied, entityAlreadyExists, noSuchEntity, validationError } from '../errors.js';
import { unlessTaken } from './conflict.js';
import { checkPasswordPolicy, checkReuse, hashPassword, verifyPassword } from './passwords.js';
import { requireUser, targetUser, nowIso } from './common.js';
import type { Queryable, RowOf, Transaction, UserRow } from './common.js';
import type { IamHandlerMap, OperationContext } from './context.js';
import type { LoginProfile, PasswordPolicy } from '../aws/models/iam.generated.js';
import type { IamStore } from '../store/iam-store.js';
import type { PasswordPolicy as StoredPasswordPolicy } from '../store/entities.js';
import { SigninSettingsStore } from '../store/signin-settings-store.js';

/**
 * A new password (changed, reset or set anew) or console access removed: the user's trusted devices
 * (context-aware sign-in, docs/sign-in.md) are all forgotten, so the next sign-in asks for MFA again.
 */
const forgetTrustedDevices = (ctx: OperationContext, user: UserRow, q?: Queryable): Promise<unknown> =>
  new SigninSettingsStore(ctx.db).deleteTrustedDevices({ accountId: ctx.account.accountId, type: 'user', id: user.userId }, q);

/** The account's password policy, or null when none is set. */
export const passwordPolicyOf = (account: { readonly passwordPolicy: StoredPasswordPolicy | null }): PasswordPolicy | null => account.passwordPolicy;

async function requireProfile(ctx: OperationContext, user: UserRow, q?: Queryable): Promise<RowOf<IamStore['getLoginProfile']>> {
  const p = await ctx.store.getLoginProfile(user.userId, q);
  if (!p) throw noSuchEntity(`Login Profile for User ${user.name} cannot be found.`);
  return p;
}

const profileShape = (user: UserRow, p: { readonly createdAt: string; readonly passwordResetRequired: unknown }): LoginProfile =>
  ({ UserName: user.name, CreateDate: new Date(p.createdAt), PasswordResetRequired: !!p.passwordResetRequired });

/** The login profile fields a new password sets. */
interface PasswordFields { passwordHash: string; passwordHistory: string[]; passwordChangedAt: string }

async function newPasswordFields(ctx: OperationContext, user: UserRow, password: string, history: readonly string[]): Promise<PasswordFields> {
  const policy = passwordPolicyOf(ctx.account);
  checkPasswordPolicy(password, policy, { accountId: ctx.account.accountId, userName: user.name });
  await checkReuse(password, history, policy);
  const hash = await hashPassword(password);
  return { passwordHash: hash, passwordHistory: [...history, hash].slice(-24), passwordChangedAt: nowIso(ctx) };
}

export const handlers = {
  async CreateLoginProfile(ctx, input) {
    const user = await targetUser(ctx, input.UserName, { allowRoot: false });
    if (input.Password === undefined) throw validationError("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
    if (await ctx.store.getLoginProfile(user.userId)) throw entityAlreadyExists(`Login Profile for user ${user.name} already exists.`);
    // Hashed before the transaction (argon2 takes tens of milliseconds; no lock is held meanwhile).
    const fields = await newPasswordFields(ctx, user, input.Password, []);
    const row = { userId: user.userId, ...fields, passwordResetRequired: !!input.PasswordResetRequired, createdAt: nowIso(ctx) };
    await unlessTaken(`Login Profile for user ${user.name} already exists.`, () => ctx.db.tx(async (tx: Transaction) => {
      // The user's row, locked and re-checked, as DeleteUser locks it (docs/concurrency.md).
      if (!(await ctx.store.lockUser(user.userId, tx))) throw noSuchEntity(`The user with name ${user.name} cannot be found.`);
      await ctx.store.insertLoginProfile(row, tx);
      await forgetTrustedDevices(ctx, user, tx);
    }));
    return { LoginProfile: profileShape(user, row) };
  },

  async GetLoginProfile(ctx, input) {
    const user = await targetUser(ctx, input.UserName, { allowRoot: false });
    return { LoginProfile: profileShape(user, await requireProfile(ctx, user)) };
  },

  async UpdateLoginProfile(ctx, input) {
    const user = await requireUser(ctx, input.UserName);
    const profile = await requireProfile(ctx, user);
    const fields: Partial<PasswordFields> & { passwordResetRequired?: boolean } = {};
    if (input.Password !== undefined) Object.assign(fields, await newPasswordFields(ctx, user, input.Password, profile.passwordHistory));
    if (input.PasswordResetRequired !== undefined) fields.passwordResetRequired = input.PasswordResetRequired;
    if (Object.keys(fields).length) await ctx.store.updateLoginProfile(user.userId, fields);
    if (input.Password !== undefined) await forgetTrustedDevices(ctx, user);
    return {};
  },

  async DeleteLoginProfile(ctx, input) {
    const user = await targetUser(ctx, input.UserName, { allowRoot: false });
    await requireProfile(ctx, user);
    await ctx.store.deleteLoginProfile(user.userId);
    await forgetTrustedDevices(ctx, user);
    return {};
  },

  async ChangePassword(ctx, input) {
    if (ctx.principal.kind !== 'user') throw new ServiceError('InvalidUserType', 'Only IAM users can change their own password with ChangePassword.');
    const user = await requireUser(ctx, ctx.principal.userName);
    const profile = await requireProfile(ctx, user);
    if (!(await verifyPassword(profile.passwordHash, input.OldPassword))) {
      throw accessDenied('The old password is incorrect.');
    }
    const fields = await newPasswordFields(ctx, user, input.NewPassword, profile.passwordHistory);
    await ctx.store.updateLoginProfile(user.userId, { ...fields, passwordResetRequired: false });
    await forgetTrustedDevices(ctx, user);
    return {};
  },

  async GetAccountPasswordPolicy(ctx) {
    const policy = passwordPolicyOf(ctx.account);
    if (!policy) throw noSuchEntity(`The Password Policy with domain name ${ctx.account.accountId} cannot be found.`);
    return { PasswordPolicy: policy };
  },

  async UpdateAccountPasswordPolicy(ctx, input) {
    // As on AWS, a parameter left out takes its default value rather than keeping the old one.
    const policy: StoredPasswordPolicy = {
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
    await ctx.store.setPasswordPolicy(ctx.account.accountId, policy);
    return {};
  },

  async DeleteAccountPasswordPolicy(ctx) {
    if (!ctx.account.passwordPolicy) throw noSuchEntity(`The account policy with name PasswordPolicy cannot be found.`);
    await ctx.store.setPasswordPolicy(ctx.account.accountId, null);
    return {};
  },
} satisfies Partial<IamHandlerMap>;
