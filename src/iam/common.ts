// Helpers shared by the IAM resource families: resolving the target user, shapes, tags.
import { noSuchEntity, limitExceeded, invalidInput, validationError } from '../errors.js';
import { arn } from './arn.js';
import { pageArray } from './pagination.js';
import type { PageInput } from './pagination.js';
import type { IamStore } from '../store/iam-store.js';
import type { OperationContext, Tag } from './context.js';
import type { AttachedPermissionsBoundary, Group, User } from '../aws/models/iam.generated.js';

// The store's query types, under the names the domain uses.
export type { Queryable, Tx as Transaction, LockMode } from '../store/db.js';
import type { Queryable, Tx as Transaction, LockMode } from '../store/db.js';
/** The rows a store method reads (one row: without undefined; a list: its element). */
export type RowOf<F extends (...args: never[]) => unknown> =
  Awaited<ReturnType<F>> extends infer R ? (R extends readonly (infer E)[] ? E : NonNullable<R>) : never;
/** A user as the store reads it. */
export type UserRow = RowOf<IamStore['getUser']>;

export const nowIso = (ctx: Pick<OperationContext, 'now'>): string => ctx.now.toISOString();

export async function requireUser(ctx: OperationContext, userName: string, q?: Queryable, lock?: LockMode): Promise<UserRow> {
  const user = await ctx.store.getUser(ctx.account.accountId, userName, q, lock);
  if (!user) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
  return user;
}

/**
 * The user an operation acts on: the named one, or the caller when UserName is omitted.
 * Returns null for the root user (only where `allowRoot`).
 */
export async function targetUser(ctx: OperationContext, userName: string | undefined, options: { allowRoot: false }): Promise<UserRow>;
export async function targetUser(ctx: OperationContext, userName: string | undefined, options?: { allowRoot?: boolean }): Promise<UserRow | null>;
export async function targetUser(ctx: OperationContext, userName: string | undefined, { allowRoot = true }: { allowRoot?: boolean } = {}): Promise<UserRow | null> {
  if (userName !== undefined) return requireUser(ctx, userName);
  const p = ctx.principal;
  if (p.kind === 'user') return requireUser(ctx, p.userName);
  if (p.kind === 'root' && allowRoot) return null;
  throw validationError('Must specify userName when calling with non-User credentials');
}

/**
 * An entity's permissions boundary as AWS sends it. The model's enum says `PermissionsBoundaryPolicy`, but IAM
 * answers `Policy` (LocalStack's AWS-validated test_create_user_with_permission_boundary); the SDKs do not check
 * response enums.
 */
export const boundaryShape = (policyArn: string): AttachedPermissionsBoundary => ({ PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: policyArn });

/** The fields of a user that its shape reads. */
export interface UserFields {
  readonly userId: string;
  readonly accountId: string;
  readonly name: string;
  readonly path: string;
  readonly createdAt: string;
  readonly passwordLastUsed?: string | null | undefined;
  readonly permissionsBoundary?: string | null | undefined;
  readonly tags?: readonly Tag[] | undefined;
}

/**
 * A User. GetUser and CreateUser carry the boundary (and GetUser the tags); listings (ListUsers, GetGroup) leave
 * both out, as AWS's do.
 */
export function userShape(ctx: OperationContext, u: UserFields, { withTags = false, withBoundary = false } = {}): User {
  const out: User = {
    Path: u.path,
    UserName: u.name,
    UserId: u.userId,
    Arn: arn.user(u.accountId, u.path, u.name),
    CreateDate: new Date(u.createdAt),
  };
  if (u.passwordLastUsed) out.PasswordLastUsed = new Date(u.passwordLastUsed);
  if (withBoundary && u.permissionsBoundary) out.PermissionsBoundary = boundaryShape(u.permissionsBoundary);
  // Listings' users carry no tags (and are never asked for tags).
  if (withTags && u.tags !== undefined) {
    if (u.tags.length) out.Tags = [...u.tags];
  }
  return out;
}

/** The fields of a group that its shape reads. */
export interface GroupFields {
  readonly groupId: string;
  readonly accountId: string;
  readonly name: string;
  readonly path: string;
  readonly createdAt: string;
}

export function groupShape(g: GroupFields): Group {
  return { Path: g.path, GroupName: g.name, GroupId: g.groupId, Arn: arn.group(g.accountId, g.path, g.name), CreateDate: new Date(g.createdAt) };
}

export const MAX_TAGS = 50;

/** Tag keys are unique case-insensitively within a resource; a later value replaces an earlier one. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const seen = new Set<string>();
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

export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !drop.has(t.Key.toLowerCase()));
}

/** How taggingHandlers reads and writes one kind of resource; I is the input naming it (e.g. { UserName }). */
export interface TaggingSpec<I, R> {
  load(ctx: OperationContext, input: I, q?: Queryable, lock?: LockMode): Promise<R>;
  save(ctx: OperationContext, row: R, tags: Tag[], q: Queryable): Promise<unknown>;
  tagsOf?: ((row: R) => Tag[]) | undefined;
  loadForList?: ((ctx: OperationContext, input: I) => Promise<R>) | undefined;
}

/** Tag…, Untag… and List…Tags: each assignable to the model's handler for its operation. */
export interface TaggingHandlers<I> {
  tag(ctx: OperationContext, input: I & { readonly Tags: readonly Tag[] }): Promise<Record<string, never>>;
  untag(ctx: OperationContext, input: I & { readonly TagKeys: readonly string[] }): Promise<Record<string, never>>;
  list(ctx: OperationContext, input: I & PageInput): Promise<{ Tags: Tag[]; IsTruncated: boolean; Marker?: string }>;
}

/**
 * Tag…, Untag… and List…Tags for one kind of taggable resource. `load(ctx, input, q, lock)` returns the row,
 * `save(ctx, row, tags, q)` stores its new tags; `tagsOf(row)` reads them (default: the entity's `tags`).
 * `loadForList` may differ from `load` (e.g. AWS-managed policies can be listed but not tagged).
 */
export function taggingHandlers<I, R extends { readonly tags: readonly Tag[] }>(spec: TaggingSpec<I, R>): TaggingHandlers<I>;
export function taggingHandlers<I, R>(spec: TaggingSpec<I, R> & { tagsOf: (row: R) => Tag[] }): TaggingHandlers<I>;
export function taggingHandlers<I, R extends { readonly tags: readonly Tag[] }>({ load, save, tagsOf, loadForList = load }: TaggingSpec<I, R>): TaggingHandlers<I> {
  const tagsOfRow = tagsOf ?? ((row: R) => [...row.tags]); // a copy: the edits build on it
  const change = <J extends I>(edit: (tags: Tag[], input: J) => Tag[]) => async (ctx: OperationContext, input: J): Promise<Record<string, never>> => {
    await ctx.db.tx(async (tx: Transaction) => {
      const row = await load(ctx, input, tx, 'update');
      await save(ctx, row, edit(tagsOfRow(row), input), tx);
    });
    return {};
  };
  return {
    tag: change<I & { readonly Tags: readonly Tag[] }>((tags, input) => mergeTags(tags, input.Tags)),
    untag: change<I & { readonly TagKeys: readonly string[] }>((tags, input) => removeTags(tags, input.TagKeys)),
    async list(ctx, input) {
      const { items, ...rest } = pageArray(tagsOfRow(await loadForList(ctx, input)), input, (t) => t.Key);
      return { Tags: items, ...rest };
    },
  };
}
