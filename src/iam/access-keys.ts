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
  readonly account: { readonly accountId: string };
  readonly now: Date;
}

/** An access key as createAccessKey writes it. */
export interface NewAccessKeyRow {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly userId: string | null;
  readonly secretEnc: string;
  readonly status: 'Active';
  readonly createdAt: string;
}

/** The owner of a key: a user, or null for the root user. */
type Owner = Pick<UserRow, 'userId' | 'name'> | null;

/** Create a key for a user (or the root user when user is null); returns the plaintext secret once. */
export async function createAccessKey(ctx: AccessKeyContext, user: Owner, q: Queryable = ctx.db): Promise<{ row: NewAccessKeyRow; secret: string }> {
  const accessKeyId = newId.accessKey();
  const secret = newSecretAccessKey();
  const row: NewAccessKeyRow = {
    accessKeyId,
    accountId: ctx.account.accountId,
    userId: user?.userId ?? null,
    secretEnc: ctx.secrets.seal(secret, `access-key:${accessKeyId}`),
    status: 'Active',
    createdAt: nowIso(ctx),
  };
  await ctx.store.insertAccessKey(row, q);
  return { row, secret };
}

async function requireOwnKey(ctx: OperationContext, user: Owner, accessKeyId: string): Promise<RowOf<IamStore['getAccessKey']>> {
  const key = await ctx.store.getAccessKey(accessKeyId);
  if (!key || key.accountId !== ctx.account.accountId || key.userId !== (user?.userId ?? null)) {
    throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  }
  return key;
}

/** The fields of an access key that its metadata shows. */
interface KeyFields { readonly accessKeyId: string; readonly status: string; readonly createdAt: string }

const metadata = (user: Owner, k: KeyFields) => {
  const m = { AccessKeyId: k.accessKeyId, Status: k.status as statusType, CreateDate: new Date(k.createdAt) }; // the store writes Active or Inactive
  return user ? { UserName: user.name, ...m } : m;
};

export const handlers = {
  async CreateAccessKey(ctx, input) {
    const user = await targetUser(ctx, input.UserName);
    const created = await ctx.db.tx(async (tx: Transaction) => {
      // The owner's row, locked and re-checked: the quota count holds, and a concurrent DeleteUser either sees
      // the key (DeleteConflict) or has already removed the user (NoSuchEntity here).
      if (user) {
        if (!(await ctx.store.lockUser(user.userId, tx))) throw noSuchEntity(`The user with name ${user.name} cannot be found.`);
      } else {
        await ctx.store.lockAccount(ctx.account.accountId, tx);
      }
      if (await ctx.store.countAccessKeys(ctx.account.accountId, user?.userId ?? null, tx) >= ACCESS_KEYS_PER_USER) {
        throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
      }
      return createAccessKey(ctx, user, tx);
    });
    return { AccessKey: { ...metadata(user, created.row), UserName: user?.name ?? ctx.account.accountId, SecretAccessKey: created.secret } };
  },

  async ListAccessKeys(ctx, input) {
    const user = await targetUser(ctx, input.UserName);
    const page = pageRequest(input);
    const rows = await ctx.store.listAccessKeys(ctx.account.accountId, user?.userId ?? null, page);
    const { items, ...rest } = pageResult(rows, page, (k: RowOf<IamStore['listAccessKeys']>) => k.accessKeyId);
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
    await ctx.keyUsage.flush(); // this node's recorded uses first (another node's show within its flush interval)
    const key = await ctx.store.getAccessKey(input.AccessKeyId);
    if (!key || key.accountId !== ctx.account.accountId) throw noSuchEntity(`The Access Key with id ${input.AccessKeyId} cannot be found.`);
    const user = key.userId ? await ctx.store.getUserById(key.userId) : null;
    // A key's use is recorded with its service and region together (src/iam/key-usage), so both are set with the date.
    const lastUsed: AccessKeyLastUsed = key.lastUsedDate
      ? { LastUsedDate: new Date(key.lastUsedDate), ServiceName: key.lastUsedService!, Region: key.lastUsedRegion! }
      : { ServiceName: 'N/A', Region: 'N/A' };
    return { UserName: user?.name ?? 'root', AccessKeyLastUsed: lastUsed };
  },
} satisfies Partial<IamHandlerMap>;
