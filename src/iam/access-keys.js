// Access keys: at most two per user (and per root), secrets sealed at rest and shown only on creation.
import { AwsError, limitExceeded, noSuchEntity } from '../aws/errors.js';
import { newId, newSecretAccessKey } from './arn.js';
import { pageRequest, pageResult } from './pagination.js';
import { targetUser, nowIso } from './common.js';

export const ACCESS_KEYS_PER_USER = 2;

/** Create a key for a user row (or the root user when user is null); returns the plaintext secret once. */
export async function createAccessKey(ctx, user, q = ctx.db) {
  const accessKeyId = newId.accessKey();
  const secret = newSecretAccessKey();
  const row = {
    access_key_id: accessKeyId,
    account_id: ctx.account.account_id,
    user_id: user?.user_id ?? null,
    secret_enc: ctx.secrets.seal(secret, `access-key:${accessKeyId}`),
    status: 'Active',
    created_at: nowIso(ctx),
  };
  await ctx.store.insertAccessKey(row, q);
  return { row, secret };
}

async function requireOwnKey(ctx, user, accessKeyId) {
  const key = await ctx.store.getAccessKey(accessKeyId);
  if (!key || key.account_id !== ctx.account.account_id || key.user_id !== (user?.user_id ?? null)) {
    throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  }
  return key;
}

const metadata = (user, k) => {
  const m = { AccessKeyId: k.access_key_id, Status: k.status, CreateDate: k.created_at };
  return user ? { UserName: user.name, ...m } : m;
};

export const handlers = {
  async CreateAccessKey(ctx, input) {
    const user = await targetUser(ctx, input.UserName);
    const created = await ctx.db.tx(async (tx) => {
      // The owner's row, locked and re-checked: the quota count holds, and a concurrent DeleteUser either sees
      // the key (DeleteConflict) or has already removed the user (NoSuchEntity here).
      if (user) {
        if (!(await ctx.store.lockUser(user.user_id, tx))) throw noSuchEntity(`The user with name ${user.name} cannot be found.`);
      } else {
        await ctx.store.lockAccount(ctx.account.account_id, tx);
      }
      if (await ctx.store.countAccessKeys(ctx.account.account_id, user?.user_id ?? null, tx) >= ACCESS_KEYS_PER_USER) {
        throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
      }
      return createAccessKey(ctx, user, tx);
    });
    return { AccessKey: { ...metadata(user, created.row), UserName: user?.name ?? ctx.account.account_id, SecretAccessKey: created.secret } };
  },

  async ListAccessKeys(ctx, input) {
    const user = await targetUser(ctx, input.UserName);
    const page = pageRequest(input);
    const rows = await ctx.store.listAccessKeys(ctx.account.account_id, user?.user_id ?? null, page);
    const { items, ...rest } = pageResult(rows, page, (k) => k.access_key_id);
    return { AccessKeyMetadata: items.map((k) => metadata(user, k)), ...rest };
  },

  async UpdateAccessKey(ctx, input) {
    const user = await targetUser(ctx, input.UserName);
    if (input.Status === 'Expired') throw new AwsError('InvalidInput', 'Status Expired cannot be set; use Active or Inactive.');
    await requireOwnKey(ctx, user, input.AccessKeyId);
    await ctx.store.setAccessKeyStatus(input.AccessKeyId, input.Status);
    ctx.onCredentialChange?.(input.AccessKeyId);
    return {};
  },

  async DeleteAccessKey(ctx, input) {
    const user = await targetUser(ctx, input.UserName);
    await requireOwnKey(ctx, user, input.AccessKeyId);
    await ctx.store.deleteAccessKey(input.AccessKeyId);
    ctx.onCredentialChange?.(input.AccessKeyId);
    return {};
  },

  async GetAccessKeyLastUsed(ctx, input) {
    const key = await ctx.store.getAccessKey(input.AccessKeyId);
    if (!key || key.account_id !== ctx.account.account_id) throw noSuchEntity(`The Access Key with id ${input.AccessKeyId} cannot be found.`);
    const user = key.user_id ? await ctx.store.getUserById(key.user_id) : null;
    const lastUsed = key.last_used_date
      ? { LastUsedDate: key.last_used_date, ServiceName: key.last_used_service, Region: key.last_used_region }
      : { ServiceName: 'N/A', Region: 'N/A' };
    return { UserName: user?.name ?? 'root', AccessKeyLastUsed: lastUsed };
  },
};
