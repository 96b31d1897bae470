// IAM groups and membership.
import { deleteConflict, noSuchEntity, limitExceeded } from '../errors.js';
import { unlessTaken } from './conflict.js';
import { newId } from './arn.js';
import { pageRequest, pageResult } from './pagination.js';
import { groupShape, requireUser, userShape, nowIso } from './common.js';
import type { Queryable, LockMode, RowOf, Transaction } from './common.js';
import type { IamHandlerMap, OperationContext } from './context.js';
import type { IamStore } from '../store/iam-store.js';

export const GROUPS_QUOTA = 300;
export const GROUPS_PER_USER_QUOTA = 10;

async function requireGroup(ctx: OperationContext, name: string, q?: Queryable, lock?: LockMode): Promise<RowOf<IamStore['getGroup']>> {
  const g = await ctx.store.getGroup(ctx.account.accountId, name, q, lock);
  if (!g) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return g;
}

export const handlers = {
  async CreateGroup(ctx, input) {
    const row = { groupId: newId.group(), accountId: ctx.account.accountId, name: input.GroupName, path: input.Path ?? '/', createdAt: nowIso(ctx) };
    await unlessTaken(`Group with name ${input.GroupName} already exists.`, () => ctx.db.tx(async (tx: Transaction) => {
      await ctx.store.lockAccount(row.accountId, tx); // so two creates cannot both pass the quota
      const n = await ctx.store.countGroups(row.accountId, tx);
      if (n >= GROUPS_QUOTA) throw limitExceeded(`Cannot exceed quota for GroupsPerAccount: ${GROUPS_QUOTA}`);
      await ctx.store.insertGroup(row, tx);
    }));
    return { Group: groupShape(row) };
  },

  async GetGroup(ctx, input) {
    const g = await requireGroup(ctx, input.GroupName);
    const page = pageRequest(input);
    const { items, ...rest } = pageResult(await ctx.store.listGroupMembers(g.groupId, page), page, (u: RowOf<IamStore['listGroupMembers']>) => u.nameLc);
    return { Group: groupShape(g), Users: items.map((u) => userShape(ctx, u)), ...rest };
  },

  async UpdateGroup(ctx, input) {
    const g = await requireGroup(ctx, input.GroupName);
    const name = input.NewGroupName ?? g.name;
    await unlessTaken(`Group with name ${name} already exists.`, () => ctx.store.renameGroup(g.groupId, name, input.NewPath ?? g.path));
    return {};
  },

  async DeleteGroup(ctx, input) {
    await ctx.db.tx(async (tx: Transaction) => {
      // Writes that hang something off a group lock its row first, so they land before this look or find no group.
      const g = await requireGroup(ctx, input.GroupName, tx, 'update');
      const held = await ctx.store.groupAttachments(g.groupId, tx);
      if (held.members) throw deleteConflict('Cannot delete entity, must remove users from group first.');
      if (held.attachedPolicies) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if (held.inlinePolicies) throw deleteConflict('Cannot delete entity, must delete policies first.');
      await ctx.store.deleteGroup(g.groupId, tx);
    });
    return {};
  },

  async ListGroups(ctx, input) {
    const page = pageRequest(input);
    const { items, ...rest } = pageResult(await ctx.store.listGroups(ctx.account.accountId, input.PathPrefix, page), page, (g: RowOf<IamStore['listGroups']>) => g.nameLc);
    return { Groups: items.map(groupShape), ...rest };
  },

  async AddUserToGroup(ctx, input) {
    await ctx.db.tx(async (tx: Transaction) => {
      // Group row, then user row (the global order, docs/concurrency.md): DeleteGroup and DeleteUser lock them too.
      const g = await requireGroup(ctx, input.GroupName, tx, 'no-key-update');
      const u = await requireUser(ctx, input.UserName, tx, 'no-key-update');
      if (await ctx.store.isGroupMember(g.groupId, u.userId, tx)) return; // idempotent, as on AWS
      if (await ctx.store.countGroupsForUser(u.userId, tx) >= GROUPS_PER_USER_QUOTA) {
        throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER_QUOTA}`);
      }
      await ctx.store.addMember(g.groupId, u.userId, nowIso(ctx), tx);
    });
    return {};
  },

  async RemoveUserFromGroup(ctx, input) {
    const g = await requireGroup(ctx, input.GroupName);
    const u = await requireUser(ctx, input.UserName);
    const { changes } = await ctx.store.removeMember(g.groupId, u.userId);
    if (!changes) throw noSuchEntity(`The user with name ${input.UserName} cannot be found in group ${input.GroupName}.`);
    return {};
  },

  async ListGroupsForUser(ctx, input) {
    const u = await requireUser(ctx, input.UserName);
    const page = pageRequest(input);
    const { items, ...rest } = pageResult(await ctx.store.listGroupsForUser(u.userId, page), page, (g: RowOf<IamStore['listGroupsForUser']>) => g.nameLc);
    return { Groups: items.map(groupShape), ...rest };
  },
} satisfies Partial<IamHandlerMap>;
