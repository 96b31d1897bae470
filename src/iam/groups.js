// IAM groups and membership.
import { entityAlreadyExists, deleteConflict, noSuchEntity, limitExceeded } from '../aws/errors.js';
import { ConflictError } from '../store/index.js';
import { newId } from './arn.js';
import { pageRequest, pageResult } from './pagination.js';
import { groupShape, requireUser, userShape, nowIso } from './common.js';

export const GROUPS_QUOTA = 300;
export const GROUPS_PER_USER_QUOTA = 10;

async function requireGroup(ctx, name, q, lock) {
  const g = await ctx.store.getGroup(ctx.account.account_id, name, q, lock);
  if (!g) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return g;
}

export const handlers = {
  async CreateGroup(ctx, input) {
    const row = { group_id: newId.group(), account_id: ctx.account.account_id, name: input.GroupName, path: input.Path ?? '/', created_at: nowIso(ctx) };
    try {
      await ctx.db.tx(async (tx) => {
        await ctx.store.lockAccount(row.account_id, tx); // so two creates cannot both pass the quota
        const n = Number((await tx.get('SELECT COUNT(*) AS n FROM groups_ WHERE account_id = ?', [row.account_id])).n);
        if (n >= GROUPS_QUOTA) throw limitExceeded(`Cannot exceed quota for GroupsPerAccount: ${GROUPS_QUOTA}`);
        await ctx.store.insertGroup(row, tx);
      });
    } catch (e) {
      if (e instanceof ConflictError) throw entityAlreadyExists(`Group with name ${input.GroupName} already exists.`);
      throw e;
    }
    return { Group: groupShape(row) };
  },

  async GetGroup(ctx, input) {
    const g = await requireGroup(ctx, input.GroupName);
    const page = pageRequest(input);
    const { items, ...rest } = pageResult(await ctx.store.listGroupMembers(g.group_id, page), page, (u) => u.name_lc);
    return { Group: groupShape(g), Users: items.map((u) => userShape(ctx, u)), ...rest };
  },

  async UpdateGroup(ctx, input) {
    const g = await requireGroup(ctx, input.GroupName);
    const name = input.NewGroupName ?? g.name;
    try {
      await ctx.store.renameGroup(g.group_id, name, input.NewPath ?? g.path);
    } catch (e) {
      if (e instanceof ConflictError) throw entityAlreadyExists(`Group with name ${name} already exists.`);
      throw e;
    }
    return {};
  },

  async DeleteGroup(ctx, input) {
    await ctx.db.tx(async (tx) => {
      // Writes that hang something off a group lock its row first, so they land before this look or find no group.
      const g = await requireGroup(ctx, input.GroupName, tx, tx.forUpdate);
      const held = await ctx.store.groupAttachments(g.group_id, tx);
      if (held.members) throw deleteConflict('Cannot delete entity, must remove users from group first.');
      if (held.attachedPolicies) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if (held.inlinePolicies) throw deleteConflict('Cannot delete entity, must delete policies first.');
      await ctx.store.deleteGroup(g.group_id, tx);
    });
    return {};
  },

  async ListGroups(ctx, input) {
    const page = pageRequest(input);
    const { items, ...rest } = pageResult(await ctx.store.listGroups(ctx.account.account_id, input.PathPrefix, page), page, (g) => g.name_lc);
    return { Groups: items.map(groupShape), ...rest };
  },

  async AddUserToGroup(ctx, input) {
    await ctx.db.tx(async (tx) => {
      // Group row, then user row (the global order, docs/concurrency.md): DeleteGroup and DeleteUser lock them too.
      const g = await requireGroup(ctx, input.GroupName, tx, tx.forNoKeyUpdate);
      const u = await requireUser(ctx, input.UserName, tx, tx.forNoKeyUpdate);
      if (await tx.get('SELECT 1 AS x FROM group_members WHERE group_id = ? AND user_id = ?', [g.group_id, u.user_id])) return; // idempotent, as on AWS
      if (await ctx.store.countGroupsForUser(u.user_id, tx) >= GROUPS_PER_USER_QUOTA) {
        throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER_QUOTA}`);
      }
      await ctx.store.addMember(g.group_id, u.user_id, nowIso(ctx), tx);
    });
    return {};
  },

  async RemoveUserFromGroup(ctx, input) {
    const g = await requireGroup(ctx, input.GroupName);
    const u = await requireUser(ctx, input.UserName);
    const { changes } = await ctx.store.removeMember(g.group_id, u.user_id);
    if (!changes) throw noSuchEntity(`The user with name ${input.UserName} cannot be found in group ${input.GroupName}.`);
    return {};
  },

  async ListGroupsForUser(ctx, input) {
    const u = await requireUser(ctx, input.UserName);
    const page = pageRequest(input);
    const { items, ...rest } = pageResult(await ctx.store.listGroupsForUser(u.user_id, page), page, (g) => g.name_lc);
    return { Groups: items.map(groupShape), ...rest };
  },
};
