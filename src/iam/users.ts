// IAM users: create, read, rename/move, delete (refused while anything hangs off the user), list, tags.
import { deleteConflict, limitExceeded } from '../errors.js';
import { unlessTaken } from './conflict.js';
import { arn, newId } from './arn.js';
import { pageRequest, pageResult } from './pagination.js';
import { mergeTags, requireUser, targetUser, userShape, nowIso, taggingHandlers } from './common.js';
import type { RowOf, Transaction } from './common.js';
import type { IamStore } from '../store/iam-store.js';
import type { IamHandlerMap } from './context.js';
import type { User } from '../aws/models/iam.generated.js';
import { checkBoundary } from './policies.js';

export const USERS_QUOTA = 5000;

const userTags = taggingHandlers({
  load: (ctx, input: { readonly UserName: string }, q, lock) => requireUser(ctx, input.UserName, q, lock),
  save: (ctx, user, tags, q) => ctx.store.setUserTags(user.userId, tags, q),
});

export const handlers = {
  async CreateUser(ctx, input) {
    // The boundary must name an existing policy, as for CreateRole (NoSuchEntity otherwise).
    if (input.PermissionsBoundary !== undefined) await checkBoundary(ctx, input.PermissionsBoundary);
    const tags = mergeTags([], input.Tags ?? []);
    const row = {
      userId: newId.user(),
      accountId: ctx.account.accountId,
      name: input.UserName,
      path: input.Path ?? '/',
      permissionsBoundary: input.PermissionsBoundary,
      tags,
      createdAt: nowIso(ctx),
    };
    await unlessTaken(`User with name ${input.UserName} already exists.`, () => ctx.db.tx(async (tx: Transaction) => {
      await ctx.store.lockAccount(row.accountId, tx); // so two creates cannot both pass the quota
      const n = await ctx.store.countUsers(row.accountId, tx);
      if (n >= USERS_QUOTA) throw limitExceeded(`Cannot exceed quota for UsersPerAccount: ${USERS_QUOTA}`);
      await ctx.store.insertUser(row, tx);
    }));
    const user = userShape(ctx, { ...row, tags: undefined }, { withBoundary: true }); // its tags: the array, added here
    if (tags.length) user.Tags = tags;
    return { User: user };
  },

  async GetUser(ctx, input) {
    const user = await targetUser(ctx, input.UserName);
    if (user === null) {
      // The root user: no name or path, its id is the account id.
      const a = ctx.account;
      const out: Omit<User, 'Path' | 'UserName'> = { UserId: a.accountId, Arn: arn.root(a.accountId), CreateDate: new Date(a.createdAt) };
      if (a.rootPasswordLastUsed) out.PasswordLastUsed = new Date(a.rootPasswordLastUsed);
      // The model requires Path and UserName; AWS leaves both out for the root user, and so does the wire.
      return { User: out as User };
    }
    return { User: userShape(ctx, user, { withTags: true, withBoundary: true }) };
  },

  async UpdateUser(ctx, input) {
    const user = await requireUser(ctx, input.UserName);
    const name = input.NewUserName ?? user.name;
    const path = input.NewPath ?? user.path;
    await unlessTaken(`User with name ${name} already exists.`, () => ctx.store.renameUser(user.userId, name, path));
    return {};
  },

  async DeleteUser(ctx, input) {
    await ctx.db.tx(async (tx: Transaction) => {
      // Every write that hangs something off a user locks this row first and re-checks it (docs/concurrency.md).
      const user = await requireUser(ctx, input.UserName, tx, 'update');
      const held = await ctx.store.userAttachments(user.userId, tx);
      const what = Object.entries(held).filter(([, n]) => n > 0).map(([k]) => k);
      if (what.length) {
        throw deleteConflict(`Cannot delete entity, must ${describeConflicts(what)} first.`);
      }
      await ctx.store.deleteUser(user.userId, tx);
    });
    return {};
  },

  async ListUsers(ctx, input) {
    const page = pageRequest(input);
    const rows = await ctx.store.listUsers(ctx.account.accountId, input.PathPrefix, page);
    const { items, ...rest } = pageResult(rows, page, (u: RowOf<IamStore['listUsers']>) => u.nameLc);
    return { Users: items.map((u) => userShape(ctx, u)), ...rest };
  },

  TagUser: userTags.tag,
  UntagUser: userTags.untag,
  ListUserTags: userTags.list,
} satisfies Partial<IamHandlerMap>;

const CONFLICT_WORDS: Readonly<Record<string, string>> = {
  accessKeys: 'delete access keys',
  loginProfile: 'delete login profile',
  groups: 'remove users from group',
  attachedPolicies: 'detach all policies',
  inlinePolicies: 'delete policies',
  mfaDevices: 'delete MFA devices',
};
const describeConflicts = (what: readonly string[]): string => what.map((k) => CONFLICT_WORDS[k]).join(', ');
