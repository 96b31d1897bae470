// Access keys: at most two per user (and per root), secrets sealed at rest and shown only on creation.
import { invalidInput, limitExceeded, noSuchEntity } from '../errors.js';
import { newId, newSecretAccessKey } from './arn.js';
import { pageRequest, pageResult } from './pagination.js';
import { targetUser, nowIso } from './common.js';
import type { Queryable, RowOf, Transaction, UserRow } from './common.js';
import type { IamHandlerMap, OperationContext } from './context.js';
import type { AccessKeyLastUsed, statusType } from '../aws/models/iam.generated.js';
import type { IamStore } from '../store/iam-store.js';

export const ACCESS_KEYS_PER_USER = 2;

/** What creating a key needs: first start (src/iam/bootstrap.ts) and the CLI have no request, only these. */
export interface AccessKeyContext {
  readonly db: OperationContext['db'];
  readonly store: OperationContext['store'];
  readonly secrets: Pick<OperationContext['secrets'], 'seal'>;
  readonly account: { readonly account_id: string };
  readonly now: Date;
}

/** An access key row as createAccessKey writes it. */
export interface NewAccessKeyRow {
  readonly access_key_id: string;
  readonly account_id: string;
  readonly user_id: string | null;
  readonly secret_enc: string;
  readonly status: 'Active';
  readonly created_at: string;
}

/** The owner of a key: a user row, or null for the root user. */
type Owner = Pick<UserRow, 'user_id' | 'name'> | null;

/** Create a key for a user row (or the root user when user is null); returns the plaintext secret once. */
export async function createAccessKey(ctx: AccessKeyContext, user: Owner, q: Queryable = ctx.db): Promise<{ row: NewAccessKeyRow; secret: string }> {
  const accessKeyId = newId.accessKey();
  const secret = newSecretAccessKey();
  const row: NewAccessKeyRow = {
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

async function requireOwnKey(ctx: OperationContext, user: Owner, accessKeyId: string): Promise<RowOf<IamStore['getAccessKey']>> {
  const key = await ctx.store.getAccessKey(accessKeyId);
  if (!key || key.account_id !== ctx.account.account_id || key.user_id !== (user?.user_id ?? null)) {
    throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  }
  return key;
}

/** The columns of an access key row that its metadata shows. */
interface KeyFields { readonly access_key_id: string; readonly status: string; readonly created_at: string }

const metadata = (user: Owner, k: KeyFields) => {
  const m = { AccessKeyId: k.access_key_id, Status: k.status as statusType, CreateDate: new Date(k.created_at) }; // the store writes Active or Inactive
  return user ? { UserName: user.name, ...m } : m;
};

export const handlers = {
  async CreateAccessKey(ctx, input) {
    const user = await targetUser(ctx, input.UserName);
    const created = await ctx.db.tx(async (tx: Transaction) => {
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
    const { items, ...rest } = pageResult(rows, page, (k: RowOf<IamStore['listAccessKeys']>) => k.access_key_id);
    return { AccessKeyMetadata: items.map((k) => metadata(user, k)), ...rest };
  },

  async UpdateAccessKey(ctx, input) {
    const user = await targetUser(ctx, input.UserName);
    if (input.Status === 'Expired') throw invalidInput('Status Expired cannot be set; use Active or Inactive.');
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
    // A key's use is recorded with its service and region together (src/server/app), so both are set with the date.
    const lastUsed: AccessKeyLastUsed = key.last_used_date
      ? { LastUsedDate: new Date(key.last_used_date), ServiceName: key.last_used_service!, Region: key.last_used_region! }
      : { ServiceName: 'N/A', Region: 'N/A' };
    return { UserName: user?.name ?? 'root', AccessKeyLastUsed: lastUsed };
  },
} satisfies Partial<IamHandlerMap>;
