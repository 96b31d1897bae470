// All SQL for managed policies, their versions, attachments, inline policies, roles and permissions boundaries.
// Every write that can change what a principal may do calls bumpAuthz in the same transaction: the authoriser's
// cache is keyed on that counter (see docs/authorization.md).
import { lockClause } from './db.js';
import type { Db, LockMode, Queryable, RunResult } from './db.js';
import { countOf, counterOf, pathFilter } from './iam-store.js';
import type {
  GroupRow, UserRow, DefaultDocument, GroupPolicyRow, InlinePolicyListRow, InlinePolicyRows,
  ManagedPolicyRow, PageRequest, PolicyEntityRow, PolicyStamp, PolicyVersionRow, PrincipalKind, RoleRow,
} from './rows.js';
import { rowToGroup, rowToGroupPolicy, rowToManagedPolicy, rowToPolicyVersion, rowToRole, rowToUser } from './entities.js';
import type {
  AuthorizationDetailKind, AuthorizationDetails, GroupsPolicies, InlinePolicy, InlinePolicyDocument, ManagedPolicy, PolicyVersion, Role, Tag,
} from './entities.js';

/** What insertPolicy writes: tags as a list (stored as JSON), name_lc derived from name. */
export interface NewPolicy {
  policyId: string;
  accountId: string;
  arn: string;
  name: string;
  path: string;
  description?: string | null | undefined;
  defaultVersion: string;
  nextVersion: number;
  tags?: readonly Tag[] | undefined;
  createdAt: string;
  updatedAt: string;
}
/** What insertRole writes: tags as a list (stored as JSON), name_lc derived from name. */
export interface NewRole {
  roleId: string;
  accountId: string;
  name: string;
  path: string;
  assumeRolePolicy: string;
  description?: string | null | undefined;
  maxSessionDuration: number;
  permissionsBoundary?: string | null | undefined;
  tags?: readonly Tag[] | undefined;
  createdAt: string;
}
/** The fields updateRole may set. */
export interface RoleFields {
  description?: string | null;
  maxSessionDuration?: number;
  assumeRolePolicy?: string;
  lastUsedDate?: string | null;
  lastUsedRegion?: string | null;
}
/** Each RoleFields field's column. */
const ROLE_COLUMNS = {
  description: 'description', maxSessionDuration: 'max_session_duration', assumeRolePolicy: 'assume_role_policy', lastUsedDate: 'last_used_date', lastUsedRegion: 'last_used_region',
} as const satisfies { [K in keyof RoleFields]-?: keyof RoleRow };
const isRoleField = (k: string): k is keyof RoleFields => Object.hasOwn(ROLE_COLUMNS, k);
export interface RoleAttachments { attachedPolicies: number; inlinePolicies: number }

// The inline-policy table of each entity kind (user_policies and group_policies come from migration 1).
const INLINE: { readonly [K in PrincipalKind]: { readonly table: string; readonly owner: string } } = {
  user: { table: 'user_policies', owner: 'user_id' },
  group: { table: 'group_policies', owner: 'group_id' },
  role: { table: 'role_policies', owner: 'role_id' },
};

/** Each kind of principal's table and id column (ListEntitiesForPolicy's pages). */
const ENTITY_TABLE: { readonly [K in PrincipalKind]: { readonly table: string; readonly id: string } } = {
  user: { table: 'users', id: 'user_id' }, group: { table: 'groups_', id: 'group_id' }, role: { table: 'roles', id: 'role_id' },
};

export class PolicyStore {
  readonly db: Db;
  constructor(db: Db) { this.db = db; }

  // Authorisation version: one counter per account.
  bumpAuthz(accountId: string, q: Queryable = this.db): Promise<RunResult> {
    return q.run(`INSERT INTO authz_version (account_id, version) VALUES (?, 1)
      ON CONFLICT (account_id) DO UPDATE SET version = authz_version.version + 1`, [accountId]);
  }

  /**
   * Everything a cached policy set of an IAM user depends on that is not covered by authz_version, plus the
   * counter itself, in one round trip: the counter, the user's groups (membership changes elsewhere),
   * its permissions boundary and its tags (aws:PrincipalTag).
   */
  async userStamp(accountId: string, userId: string): Promise<PolicyStamp> {
    const rows = await this.db.all<StampRow>(`SELECT 'v' AS k, CAST(version AS TEXT) AS val FROM authz_version WHERE account_id = ?
      UNION ALL SELECT 'g' AS k, group_id AS val FROM group_members WHERE user_id = ?
      UNION ALL SELECT 'b' AS k, permissions_boundary AS val FROM users WHERE user_id = ?
      UNION ALL SELECT 't' AS k, tags AS val FROM users WHERE user_id = ?`, [accountId, userId, userId, userId]);
    return collectStamp(rows);
  }

  async roleStamp(accountId: string, roleId: string): Promise<PolicyStamp> {
    const rows = await this.db.all<StampRow>(`SELECT 'v' AS k, CAST(version AS TEXT) AS val FROM authz_version WHERE account_id = ?
      UNION ALL SELECT 'b' AS k, permissions_boundary AS val FROM roles WHERE role_id = ?
      UNION ALL SELECT 't' AS k, tags AS val FROM roles WHERE role_id = ?`, [accountId, roleId, roleId]);
    return collectStamp(rows);
  }

  // Customer managed policies
  async getPolicyByArn(policyArn: string, q: Queryable = this.db, lock?: LockMode): Promise<ManagedPolicy | undefined> {
    const r = await q.get<ManagedPolicyRow>(`SELECT * FROM managed_policies WHERE arn = ?${lockClause(q, lock)}`, [policyArn]);
    return r && rowToManagedPolicy(r);
  }
  countPolicies(accountId: string, q: Queryable = this.db): Promise<number> {
    return counterOf(q, accountId, 'policies');
  }
  insertPolicy(p: NewPolicy, q: Queryable = this.db): Promise<RunResult> {
    return q.run(`INSERT INTO managed_policies (policy_id, account_id, arn, name, name_lc, path, description, default_version, next_version, tags, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [p.policyId, p.accountId, p.arn, p.name, p.name.toLowerCase(), p.path, p.description ?? null, p.defaultVersion, p.nextVersion, JSON.stringify(p.tags ?? []), p.createdAt, p.updatedAt]);
  }
  async listLocalPolicies(accountId: string): Promise<ManagedPolicy[]> {
    return (await this.db.all<ManagedPolicyRow>('SELECT * FROM managed_policies WHERE account_id = ? ORDER BY name_lc', [accountId])).map(rowToManagedPolicy);
  }
  setPolicyDefault(policyId: string, versionId: string, when: string, q: Queryable = this.db): Promise<RunResult> {
    return q.run('UPDATE managed_policies SET default_version = ?, updated_at = ? WHERE policy_id = ?', [versionId, when, policyId]);
  }
  setPolicyNextVersion(policyId: string, n: number, q: Queryable = this.db): Promise<RunResult> { return q.run('UPDATE managed_policies SET next_version = ? WHERE policy_id = ?', [n, policyId]); }
  setPolicyTags(policyId: string, tags: readonly Tag[], q: Queryable = this.db): Promise<RunResult> { return q.run('UPDATE managed_policies SET tags = ? WHERE policy_id = ?', [JSON.stringify(tags), policyId]); }
  async deletePolicy(policyId: string, q: Queryable = this.db): Promise<RunResult> {
    await q.run('DELETE FROM policy_versions WHERE policy_id = ?', [policyId]);
    return q.run('DELETE FROM managed_policies WHERE policy_id = ?', [policyId]);
  }

  // Versions
  insertVersion(v: PolicyVersion, q: Queryable = this.db): Promise<RunResult> {
    return q.run('INSERT INTO policy_versions (policy_id, version_id, document, created_at) VALUES (?, ?, ?, ?)', [v.policyId, v.versionId, v.document, v.createdAt]);
  }
  async getVersion(policyId: string, versionId: string, q: Queryable = this.db): Promise<PolicyVersion | undefined> {
    const r = await q.get<PolicyVersionRow>('SELECT * FROM policy_versions WHERE policy_id = ? AND version_id = ?', [policyId, versionId]);
    return r && rowToPolicyVersion(r);
  }
  async listVersions(policyId: string, q: Queryable = this.db): Promise<PolicyVersion[]> {
    const rows = await q.all<PolicyVersionRow>('SELECT * FROM policy_versions WHERE policy_id = ?', [policyId]);
    return rows.map(rowToPolicyVersion).sort((a, b) => versionNumber(b.versionId) - versionNumber(a.versionId));
  }
  deleteVersion(policyId: string, versionId: string, q: Queryable = this.db): Promise<RunResult> { return q.run('DELETE FROM policy_versions WHERE policy_id = ? AND version_id = ?', [policyId, versionId]); }

  /** The default documents of customer managed policies, by ARN: Map arn → { versionId, document }. */
  async defaultDocuments(arns: readonly string[], q: Queryable = this.db): Promise<Map<string, DefaultDocument>> {
    const out = new Map<string, DefaultDocument>();
    if (!arns.length) return out;
    const rows = await q.all<{ arn: string; version_id: string; document: string }>(`SELECT p.arn, v.version_id, v.document FROM managed_policies p
      JOIN policy_versions v ON v.policy_id = p.policy_id AND v.version_id = p.default_version
      WHERE p.arn IN (${arns.map(() => '?').join(', ')})`, arns);
    for (const r of rows) out.set(r.arn, { versionId: r.version_id, document: r.document });
    return out;
  }

  // Attachments (principal_type user | group | role)
  attach(accountId: string, principalType: string, principalId: string, policyArn: string, when: string, q: Queryable = this.db): Promise<RunResult> {
    return q.run('INSERT INTO policy_attachments (account_id, principal_type, principal_id, policy_arn, attached_at) VALUES (?, ?, ?, ?, ?)',
      [accountId, principalType, principalId, policyArn, when]);
  }
  detach(principalType: string, principalId: string, policyArn: string, q: Queryable = this.db): Promise<RunResult> {
    return q.run('DELETE FROM policy_attachments WHERE principal_type = ? AND principal_id = ? AND policy_arn = ?', [principalType, principalId, policyArn]);
  }
  attachedArns(principalType: string, principalId: string, q: Queryable = this.db): Promise<string[]> {
    return q.all<{ policy_arn: string }>('SELECT policy_arn FROM policy_attachments WHERE principal_type = ? AND principal_id = ? ORDER BY attached_at, policy_arn', [principalType, principalId])
      .then((rows) => rows.map((r) => r.policy_arn));
  }
  isAttached(principalType: string, principalId: string, policyArn: string, q: Queryable = this.db): Promise<boolean> {
    return q.get<{ x: number }>('SELECT 1 AS x FROM policy_attachments WHERE principal_type = ? AND principal_id = ? AND policy_arn = ?', [principalType, principalId, policyArn]).then(Boolean);
  }
  // Attachments and boundary uses per policy: policy_usage, kept by triggers (counters.ts), one indexed read each.
  async #usage(policyArn: string, accountId: string, q: Queryable): Promise<{ attachments: number; boundaries: number }> {
    const r = await q.get<{ attachments: number; boundaries: number }>('SELECT attachments, boundaries FROM policy_usage WHERE account_id = ? AND policy_arn = ?', [accountId, policyArn]);
    return { attachments: Number(r?.attachments ?? 0), boundaries: Number(r?.boundaries ?? 0) };
  }
  async countAttachmentsOf(policyArn: string, accountId: string, q: Queryable = this.db): Promise<number> {
    return (await this.#usage(policyArn, accountId, q)).attachments;
  }
  async countBoundaryUses(policyArn: string, accountId: string, q: Queryable = this.db): Promise<number> {
    return (await this.#usage(policyArn, accountId, q)).boundaries;
  }
  /** Map arn → number of attachments, for every policy attached in the account. */
  async attachmentCounts(accountId: string): Promise<Map<string, number>> {
    const rows = await this.db.all<{ policy_arn: string; n: number }>('SELECT policy_arn, attachments AS n FROM policy_usage WHERE account_id = ? AND attachments > 0', [accountId]);
    return new Map(rows.map((r) => [r.policy_arn, Number(r.n)]));
  }
  /** Map arn → number of users and roles it bounds, for every policy used as a boundary in the account. */
  async boundaryCounts(accountId: string): Promise<Map<string, number>> {
    const rows = await this.db.all<{ policy_arn: string; n: number }>('SELECT policy_arn, boundaries AS n FROM policy_usage WHERE account_id = ? AND boundaries > 0', [accountId]);
    return new Map(rows.map((r) => [r.policy_arn, Number(r.n)]));
  }
  /**
   * A page of the entities a policy is attached to (attached) and/or is the permissions boundary of (bounded), in
   * the order groups, roles, users and each kind by id, after `after` (a kind and id); PathPrefix filters by path.
   * Every read is a range of an index in that order (policy_attachments_entities, users_boundary_id,
   * roles_boundary_id) and stops when the page is full, so a page costs the same however many entities the policy
   * has (with a PathPrefix, as many more as the entities it skips).
   */
  async entitiesForPolicyPage(accountId: string, policyArn: string, o: {
    readonly kinds: readonly PrincipalKind[]; readonly attached: boolean; readonly bounded: boolean;
    readonly pathPrefix?: string | undefined; readonly after: { readonly kind: PrincipalKind; readonly id: string } | null; readonly limit: number;
  }): Promise<PolicyEntityRow[]> {
    const out: PolicyEntityRow[] = [];
    const order: readonly PrincipalKind[] = ['group', 'role', 'user'];
    // SQLite has no statistics: told which index, it does not prefer the primary key's order and read every row.
    const indexed = (name: string): string => (this.db.dialect === 'sqlite' ? ` INDEXED BY ${name}` : '');
    for (const kind of order) {
      if (!o.kinds.includes(kind)) continue;
      if (o.after && order.indexOf(kind) < order.indexOf(o.after.kind)) continue;
      const t = ENTITY_TABLE[kind];
      let after = o.after?.kind === kind ? o.after.id : '';
      for (;;) {
        const want = o.limit - out.length;
        if (want <= 0) return out;
        const chunk = Math.max(want, 100);
        const ids = new Set<string>();
        if (o.attached) {
          const rows = await this.db.all<{ id: string }>(`SELECT principal_id AS id FROM policy_attachments${indexed('policy_attachments_entities')}
            WHERE account_id = ? AND policy_arn = ? AND principal_type = ? AND principal_id > ? ORDER BY principal_id LIMIT ?`, [accountId, policyArn, kind, after, chunk]);
          for (const r of rows) ids.add(r.id);
        }
        if (o.bounded && kind !== 'group') {
          const rows = await this.db.all<{ id: string }>(`SELECT ${t.id} AS id FROM ${t.table}${indexed(`${t.table}_boundary_id`)}
            WHERE account_id = ? AND permissions_boundary = ? AND ${t.id} > ? ORDER BY ${t.id} LIMIT ?`, [accountId, policyArn, after, chunk]);
          for (const r of rows) ids.add(r.id);
        }
        if (!ids.size) break;
        // Both reads are in id order: the first `chunk` ids of their union are complete up to the smaller of their ends.
        const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, chunk);
        const rows = await this.db.all<{ id: string; name: string; path: string }>(
          `SELECT ${t.id} AS id, name, path FROM ${t.table} WHERE ${t.id} IN (${sorted.map(() => '?').join(', ')})`, sorted);
        const byId = new Map(rows.map((r) => [r.id, r]));
        for (const id of sorted) {
          const e = byId.get(id);
          if (e && (o.pathPrefix === undefined || e.path.startsWith(o.pathPrefix))) out.push({ type: kind, id, name: e.name, path: e.path });
          if (out.length >= o.limit) return out;
        }
        if (sorted.length < chunk) break;
        after = sorted[sorted.length - 1]!; // sorted has chunk ids (checked just above)
      }
    }
    return out;
  }

  // Inline policies (kind user | group | role)
  async getInline(kind: PrincipalKind, ownerId: string, name: string, q: Queryable = this.db): Promise<InlinePolicy | undefined> {
    const t = INLINE[kind];
    const r = await q.get<InlinePolicyRows[PrincipalKind]>(`SELECT * FROM ${t.table} WHERE ${t.owner} = ? AND name = ?`, [ownerId, name]);
    // The row's owner column is the one INLINE names for its kind: the same id that was asked for.
    return r && { ownerId, name: r.name, document: r.document };
  }
  listInline(kind: PrincipalKind, ownerId: string, q: Queryable = this.db): Promise<InlinePolicyDocument[]> {
    const t = INLINE[kind];
    return q.all<InlinePolicyListRow>(`SELECT name, document FROM ${t.table} WHERE ${t.owner} = ? ORDER BY name`, [ownerId]);
  }
  async putInline(kind: PrincipalKind, ownerId: string, name: string, document: string, q: Queryable = this.db): Promise<RunResult> {
    const t = INLINE[kind];
    await q.run(`DELETE FROM ${t.table} WHERE ${t.owner} = ? AND name = ?`, [ownerId, name]);
    return q.run(`INSERT INTO ${t.table} (${t.owner}, name, document) VALUES (?, ?, ?)`, [ownerId, name, document]);
  }
  deleteInline(kind: PrincipalKind, ownerId: string, name: string, q: Queryable = this.db): Promise<RunResult> {
    const t = INLINE[kind];
    return q.run(`DELETE FROM ${t.table} WHERE ${t.owner} = ? AND name = ?`, [ownerId, name]);
  }
  /** Inline and attached policies of several groups at once: [{ ownerId, name, document }] and [{ groupId, policyArn }]. */
  async groupsPolicies(groupIds: readonly string[]): Promise<GroupsPolicies> {
    if (!groupIds.length) return { inline: [], attached: [] };
    const marks = groupIds.map(() => '?').join(', ');
    const inline = await this.db.all<GroupPolicyRow>(`SELECT group_id, name, document FROM group_policies WHERE group_id IN (${marks}) ORDER BY group_id, name`, groupIds);
    const attached = await this.db.all<{ group_id: string; policy_arn: string }>(`SELECT principal_id AS group_id, policy_arn FROM policy_attachments WHERE principal_type = 'group' AND principal_id IN (${marks}) ORDER BY principal_id, policy_arn`, groupIds);
    return { inline: inline.map(rowToGroupPolicy), attached: attached.map((r) => ({ groupId: r.group_id, policyArn: r.policy_arn })) };
  }
  /** The ids of the groups a user is in, sorted (the order principalPolicyDocuments reads their policies in). */
  userGroupIds(userId: string, q: Queryable = this.db): Promise<string[]> {
    return q.all<{ group_id: string }>('SELECT group_id FROM group_members WHERE user_id = ? ORDER BY group_id', [userId]).then((rows) => rows.map((r) => r.group_id));
  }
  async groupNames(groupIds: readonly string[]): Promise<{ groupId: string; name: string }[]> {
    if (!groupIds.length) return [];
    const rows = await this.db.all<{ group_id: string; name: string }>(`SELECT group_id, name FROM groups_ WHERE group_id IN (${groupIds.map(() => '?').join(', ')})`, groupIds);
    return rows.map((r) => ({ groupId: r.group_id, name: r.name }));
  }

  // Permissions boundaries
  setUserBoundary(userId: string, policyArn: string | null, q: Queryable = this.db): Promise<RunResult> { return q.run('UPDATE users SET permissions_boundary = ? WHERE user_id = ?', [policyArn, userId]); }
  setRoleBoundary(roleId: string, policyArn: string | null, q: Queryable = this.db): Promise<RunResult> { return q.run('UPDATE roles SET permissions_boundary = ? WHERE role_id = ?', [policyArn, roleId]); }

  // Roles
  insertRole(r: NewRole, q: Queryable = this.db): Promise<RunResult> {
    return q.run(`INSERT INTO roles (role_id, account_id, name, name_lc, path, assume_role_policy, description, max_session_duration, permissions_boundary, tags, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.roleId, r.accountId, r.name, r.name.toLowerCase(), r.path, r.assumeRolePolicy, r.description ?? null, r.maxSessionDuration, r.permissionsBoundary ?? null, JSON.stringify(r.tags ?? []), r.createdAt]);
  }
  async getRole(accountId: string, name: string, q: Queryable = this.db, lock?: LockMode): Promise<Role | undefined> {
    const r = await q.get<RoleRow>(`SELECT * FROM roles WHERE account_id = ? AND name_lc = ?${lockClause(q, lock)}`, [accountId, name.toLowerCase()]);
    return r && rowToRole(r);
  }
  async getRoleById(roleId: string, q: Queryable = this.db): Promise<Role | undefined> {
    const r = await q.get<RoleRow>('SELECT * FROM roles WHERE role_id = ?', [roleId]);
    return r && rowToRole(r);
  }
  countRoles(accountId: string, q: Queryable = this.db): Promise<number> { return counterOf(q, accountId, 'roles'); }
  async listRoles(accountId: string, pathPrefix: string | null | undefined, page: PageRequest): Promise<Role[]> {
    const where = pathFilter(this.db.dialect, pathPrefix);
    const rows = await this.db.all<RoleRow>(`SELECT * FROM roles${where.index('roles_path')} WHERE account_id = ?${where.sql} AND name_lc > ? ORDER BY name_lc LIMIT ?`,
      [accountId, ...where.params, page.after ?? '', page.limit]);
    return rows.map(rowToRole);
  }
  updateRole(roleId: string, fields: RoleFields, q: Queryable = this.db): Promise<RunResult> {
    // In the order the caller gave them, as before, each to its column.
    const keys = Object.keys(fields).filter(isRoleField);
    return q.run(`UPDATE roles SET ${keys.map((k) => `${ROLE_COLUMNS[k]} = ?`).join(', ')} WHERE role_id = ?`, [...keys.map((k) => fields[k]), roleId]);
  }
  setRoleTags(roleId: string, tags: readonly Tag[], q: Queryable = this.db): Promise<RunResult> { return q.run('UPDATE roles SET tags = ? WHERE role_id = ?', [JSON.stringify(tags), roleId]); }
  deleteRole(roleId: string, q: Queryable = this.db): Promise<RunResult> { return q.run('DELETE FROM roles WHERE role_id = ?', [roleId]); }
  /** A page of users, groups, roles or customer managed policies with their details (GetAccountAuthorizationDetails). */
  authorizationDetails<K extends AuthorizationDetailKind>(accountId: string, kind: K, after: string | null | undefined, limit: number, q: Queryable = this.db): Promise<AuthorizationDetails[K][]> {
    // One page function serves the four kinds; TypeScript cannot tie its union result back to K.
    return authorizationDetailsPage(q, accountId, kind, after, limit) as Promise<AuthorizationDetails[K][]>;
  }

  async roleAttachments(roleId: string, q: Queryable = this.db): Promise<RoleAttachments> {
    const one = (sql: string): Promise<number> => countOf(q, sql, [roleId]);
    return {
      attachedPolicies: await one("SELECT COUNT(*) AS n FROM policy_attachments WHERE principal_type = 'role' AND principal_id = ?"),
      inlinePolicies: await one('SELECT COUNT(*) AS n FROM role_policies WHERE role_id = ?'),
    };
  }
}

// GetAccountAuthorizationDetails: one page of one kind of entity, with everything its detail carries.
const DETAIL_TABLE: { readonly [K in AuthorizationDetailKind]: string } = {
  user: 'users',
  group: 'groups_',
  role: 'roles',
  policy: 'managed_policies',
};

/** Groups `list` by owner id, in the page's id order, each id with a (possibly empty) list. */
function byOwner<T, V>(ids: readonly string[], list: readonly T[], owner: (r: T) => string, pick: (r: T) => V): Map<string, V[]> {
  const m = new Map<string, V[]>(ids.map((id) => [id, []]));
  for (const r of list) m.get(owner(r))?.push(pick(r));
  return m;
}

/** The inline policies and attached policy ARNs of a page of users, groups or roles, by owner id. */
async function principalDetails(q: Queryable, kind: PrincipalKind, ids: readonly string[], marks: string): Promise<{ inline: Map<string, InlinePolicyListRow[]>; attached: Map<string, string[]> }> {
  const inlineTable = INLINE[kind];
  const inline = byOwner(ids, await q.all<{ owner: string; name: string; document: string }>(`SELECT ${inlineTable.owner} AS owner, name, document FROM ${inlineTable.table} WHERE ${inlineTable.owner} IN (${marks})`, ids), (r) => r.owner, (r) => ({ name: r.name, document: r.document }));
  const attached = byOwner(ids, await q.all<{ owner: string; policy_arn: string }>(`SELECT principal_id AS owner, policy_arn FROM policy_attachments WHERE principal_type = ? AND principal_id IN (${marks})`, [kind, ...ids]), (r) => r.owner, (r) => r.policy_arn);
  return { inline, attached };
}

/**
 * The account's users, groups, roles or customer managed policies after `after` (name_lc, exclusive) in name order,
 * at most `limit`, each with what GetAccountAuthorizationDetails reports of it, read in a few batched queries:
 * users, groups and roles get `inline` ([{ name, document }]) and `attached` ([policy ARN]); users also `groups`
 * ([group name]); policies get `versions` ([{ versionId, document, createdAt }]).
 */
async function authorizationDetailsPage(q: Queryable, accountId: string, kind: AuthorizationDetailKind, after: string | null | undefined, limit: number): Promise<AuthorizationDetails[AuthorizationDetailKind][]> {
  const page = <R extends object>(): Promise<R[]> =>
    q.all<R>(`SELECT * FROM ${DETAIL_TABLE[kind]} WHERE account_id = ? AND name_lc > ? ORDER BY name_lc LIMIT ?`, [accountId, after ?? '', limit]);
  const marksFor = (ids: readonly string[]): string => ids.map(() => '?').join(', ');
  if (kind === 'policy') {
    const rows = await page<ManagedPolicyRow>();
    if (!rows.length) return [];
    const ids = rows.map((r) => r.policy_id);
    const versions = byOwner(ids, await q.all<PolicyVersionRow>(`SELECT policy_id, version_id, document, created_at FROM policy_versions WHERE policy_id IN (${marksFor(ids)})`, ids), (r) => r.policy_id, rowToPolicyVersion);
    return rows.map((r) => ({ ...rowToManagedPolicy(r), versions: (versions.get(r.policy_id) ?? []).sort((a, b) => versionNumber(b.versionId) - versionNumber(a.versionId)) }));
  }
  if (kind === 'user') {
    const rows = await page<UserRow>();
    if (!rows.length) return [];
    const ids = rows.map((r) => r.user_id);
    const { inline, attached } = await principalDetails(q, kind, ids, marksFor(ids));
    const groups = byOwner(ids, await q.all<{ owner: string; name: string }>(`SELECT m.user_id AS owner, g.name FROM group_members m JOIN groups_ g ON g.group_id = m.group_id WHERE m.user_id IN (${marksFor(ids)})`, ids), (r) => r.owner, (r) => r.name);
    return rows.map((r) => ({ ...rowToUser(r), inline: inline.get(r.user_id) ?? [], attached: attached.get(r.user_id) ?? [], groups: groups.get(r.user_id) ?? [] }));
  }
  if (kind === 'group') {
    const rows = await page<GroupRow>();
    if (!rows.length) return [];
    const ids = rows.map((r) => r.group_id);
    const { inline, attached } = await principalDetails(q, kind, ids, marksFor(ids));
    return rows.map((r) => ({ ...rowToGroup(r), inline: inline.get(r.group_id) ?? [], attached: attached.get(r.group_id) ?? [] }));
  }
  const rows = await page<RoleRow>();
  if (!rows.length) return [];
  const ids = rows.map((r) => r.role_id);
  const { inline, attached } = await principalDetails(q, kind, ids, marksFor(ids));
  return rows.map((r) => ({ ...rowToRole(r), inline: inline.get(r.role_id) ?? [], attached: attached.get(r.role_id) ?? [] }));
}

/** One row of userStamp's / roleStamp's UNION: v = authz version, g = a group id, b = boundary, t = tags. */
interface StampRow { k: 'v' | 'g' | 'b' | 't'; val: string | null }

function collectStamp(rows: readonly StampRow[]): PolicyStamp {
  const out: PolicyStamp = { version: '0', groups: [], boundary: null, tags: '[]', exists: false };
  for (const r of rows) {
    // v, g and t come from NOT NULL columns (authz_version.version, group_members.group_id, tags); b may be NULL.
    if (r.k === 'v') out.version = r.val ?? '0';
    else if (r.k === 'g') out.groups.push(r.val ?? '');
    else if (r.k === 'b') { out.boundary = r.val ?? null; out.exists = true; } else if (r.k === 't') out.tags = r.val ?? '[]';
  }
  out.groups.sort();
  return out;
}

export const versionNumber = (id: string): number => Number(/^v(\d+)/.exec(id)?.[1] ?? 0);
