// Helpers shared by the IAM resource families: resolving the target user, shapes, tags.
import { AwsError, noSuchEntity, limitExceeded, invalidInput } from '../aws/errors.js';
import { arn } from './arn.js';
import { pageArray } from './pagination.js';

export const nowIso = (ctx) => ctx.now.toISOString();

export async function requireUser(ctx, userName, q, lock) {
  const user = await ctx.store.getUser(ctx.account.account_id, userName, q, lock);
  if (!user) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
  return user;
}

/**
 * The user an operation acts on: the named one, or the caller when UserName is omitted.
 * Returns null for the root user (only where `allowRoot`).
 */
export async function targetUser(ctx, userName, { allowRoot = true } = {}) {
  if (userName !== undefined) return requireUser(ctx, userName);
  const p = ctx.principal;
  if (p.kind === 'user') return requireUser(ctx, p.userName);
  if (p.kind === 'root' && allowRoot) return null;
  throw new AwsError('ValidationError', 'Must specify userName when calling with non-User credentials');
}

/**
 * An entity's permissions boundary as AWS sends it. The model's enum says `PermissionsBoundaryPolicy`, but IAM
 * answers `Policy` (LocalStack's AWS-validated test_create_user_with_permission_boundary); the SDKs do not check
 * response enums.
 */
export const boundaryShape = (policyArn) => ({ PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: policyArn });

/**
 * A User. GetUser and CreateUser carry the boundary (and GetUser the tags); listings (ListUsers, GetGroup) leave
 * both out, as AWS's do.
 */
export function userShape(ctx, u, { withTags = false, withBoundary = false } = {}) {
  const out = {
    Path: u.path,
    UserName: u.name,
    UserId: u.user_id,
    Arn: arn.user(u.account_id, u.path, u.name),
    CreateDate: u.created_at,
  };
  if (u.password_last_used) out.PasswordLastUsed = u.password_last_used;
  if (withBoundary && u.permissions_boundary) out.PermissionsBoundary = boundaryShape(u.permissions_boundary);
  if (withTags) {
    const tags = JSON.parse(u.tags);
    if (tags.length) out.Tags = tags;
  }
  return out;
}

export function groupShape(g) {
  return { Path: g.path, GroupName: g.name, GroupId: g.group_id, Arn: arn.group(g.account_id, g.path, g.name), CreateDate: g.created_at };
}

export const MAX_TAGS = 50;

/** Tag keys are unique case-insensitively within a resource; a later value replaces an earlier one. */
export function mergeTags(existing, added) {
  const seen = new Set();
  for (const t of added) {
    const k = t.Key.toLowerCase();
    if (seen.has(k)) throw invalidInput(`Duplicate tag keys found. Please note that Tag keys are case insensitive.`);
    seen.add(k);
  }
  const out = existing.filter((t) => !seen.has(t.Key.toLowerCase()));
  out.push(...added.map((t) => ({ Key: t.Key, Value: t.Value })));
  if (out.length > MAX_TAGS) throw limitExceeded(`The number of tags has reached the maximum limit of ${MAX_TAGS}.`);
  return out;
}

export function removeTags(existing, keys) {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !drop.has(t.Key.toLowerCase()));
}

/**
 * Tag…, Untag… and List…Tags for one kind of taggable resource. `load(ctx, input, q, lock)` returns the row,
 * `save(ctx, row, tags, q)` stores its new tags; `tagsOf(row)` reads them (default: the JSON `tags` column).
 * `loadForList` may differ from `load` (e.g. AWS-managed policies can be listed but not tagged).
 */
export function taggingHandlers({ load, save, tagsOf = (row) => JSON.parse(row.tags), loadForList = load }) {
  const change = (edit) => async (ctx, input) => {
    await ctx.db.tx(async (tx) => {
      const row = await load(ctx, input, tx, tx.forUpdate);
      await save(ctx, row, edit(tagsOf(row), input), tx);
    });
    return {};
  };
  return {
    tag: change((tags, input) => mergeTags(tags, input.Tags)),
    untag: change((tags, input) => removeTags(tags, input.TagKeys)),
    async list(ctx, input) {
      const { items, ...rest } = pageArray(tagsOf(await loadForList(ctx, input)), input, (t) => t.Key);
      return { Tags: items, ...rest };
    },
  };
}
