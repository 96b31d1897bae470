// All SQL for managed policies, their versions, attachments, inline policies, roles and permissions boundaries.
// Every write that can change what a principal may do calls bumpAuthz in the same transaction: the authoriser's
// cache is keyed on that counter (see docs/authorization.md).

// The inline-policy table of each entity kind (user_policies and group_policies come from migration 1).
const INLINE = {
  user: { table: 'user_policies', owner: 'user_id' },
  group: { table: 'group_policies', owner: 'group_id' },
  role: { table: 'role_policies', owner: 'role_id' },
};

export class PolicyStore {
  constructor(db) { this.db = db; }

  // Authorisation version: one counter per account.
  bumpAuthz(accountId, q = this.db) {
    return q.run(`INSERT INTO authz_version (account_id, version) VALUES (?, 1)
      ON CONFLICT (account_id) DO UPDATE SET version = authz_version.version + 1`, [accountId]);
  }

  /**
   * Everything a cached policy set of an IAM user depends on that is not covered by authz_version, plus the
   * counter itself, in one round trip: the counter, the user's groups (membership changes elsewhere),
   * its permissions boundary and its tags (aws:PrincipalTag).
   */
  async userStamp(accountId, userId) {
    const rows = await this.db.all(`SELECT 'v' AS k, CAST(version AS TEXT) AS val FROM authz_version WHERE account_id = ?
      UNION ALL SELECT 'g' AS k, group_id AS val FROM group_members WHERE user_id = ?
      UNION ALL SELECT 'b' AS k, permissions_boundary AS val FROM users WHERE user_id = ?
      UNION ALL SELECT 't' AS k, tags AS val FROM users WHERE user_id = ?`, [accountId, userId, userId, userId]);
    return collectStamp(rows);
  }

  async roleStamp(accountId, roleId) {
    const rows = await this.db.all(`SELECT 'v' AS k, CAST(version AS TEXT) AS val FROM authz_version WHERE account_id = ?
      UNION ALL SELECT 'b' AS k, permissions_boundary AS val FROM roles WHERE role_id = ?
      UNION ALL SELECT 't' AS k, tags AS val FROM roles WHERE role_id = ?`, [accountId, roleId, roleId]);
    return collectStamp(rows);
  }

  // Customer managed policies
  getPolicyByArn(policyArn, q = this.db, lock = '') { return q.get(`SELECT * FROM managed_policies WHERE arn = ?${lock}`, [policyArn]); }
  countPolicies(accountId, q = this.db) {
    return q.get('SELECT COUNT(*) AS n FROM managed_policies WHERE account_id = ?', [accountId]).then((r) => Number(r.n));
  }
  insertPolicy(p, q = this.db) {
    return q.run(`INSERT INTO managed_policies (policy_id, account_id, arn, name, name_lc, path, description, default_version, next_version, tags, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [p.policy_id, p.account_id, p.arn, p.name, p.name.toLowerCase(), p.path, p.description ?? null, p.default_version, p.next_version, JSON.stringify(p.tags ?? []), p.created_at, p.updated_at]);
  }
  listLocalPolicies(accountId) { return this.db.all('SELECT * FROM managed_policies WHERE account_id = ? ORDER BY name_lc', [accountId]); }
  setPolicyDefault(policyId, versionId, when, q = this.db) {
    return q.run('UPDATE managed_policies SET default_version = ?, updated_at = ? WHERE policy_id = ?', [versionId, when, policyId]);
  }
  setPolicyNextVersion(policyId, n, q = this.db) { return q.run('UPDATE managed_policies SET next_version = ? WHERE policy_id = ?', [n, policyId]); }
  setPolicyTags(policyId, tags, q = this.db) { return q.run('UPDATE managed_policies SET tags = ? WHERE policy_id = ?', [JSON.stringify(tags), policyId]); }
  async deletePolicy(policyId, q = this.db) {
    await q.run('DELETE FROM policy_versions WHERE policy_id = ?', [policyId]);
    return q.run('DELETE FROM managed_policies WHERE policy_id = ?', [policyId]);
  }

  // Versions
  insertVersion(v, q = this.db) {
    return q.run('INSERT INTO policy_versions (policy_id, version_id, document, created_at) VALUES (?, ?, ?, ?)', [v.policy_id, v.version_id, v.document, v.created_at]);
  }
  getVersion(policyId, versionId, q = this.db) { return q.get('SELECT * FROM policy_versions WHERE policy_id = ? AND version_id = ?', [policyId, versionId]); }
  async listVersions(policyId, q = this.db) {
    const rows = await q.all('SELECT * FROM policy_versions WHERE policy_id = ?', [policyId]);
    return rows.sort((a, b) => versionNumber(b.version_id) - versionNumber(a.version_id));
  }
  deleteVersion(policyId, versionId, q = this.db) { return q.run('DELETE FROM policy_versions WHERE policy_id = ? AND version_id = ?', [policyId, versionId]); }

  /** The default documents of customer managed policies, by ARN: Map arn → { versionId, document }. */
  async defaultDocuments(arns, q = this.db) {
    const out = new Map();
    if (!arns.length) return out;
    const rows = await q.all(`SELECT p.arn, v.version_id, v.document FROM managed_policies p
      JOIN policy_versions v ON v.policy_id = p.policy_id AND v.version_id = p.default_version
      WHERE p.arn IN (${arns.map(() => '?').join(', ')})`, arns);
    for (const r of rows) out.set(r.arn, { versionId: r.version_id, document: r.document });
    return out;
  }

  // Attachments (principal_type user | group | role)
  attach(accountId, principalType, principalId, policyArn, when, q = this.db) {
    return q.run('INSERT INTO policy_attachments (account_id, principal_type, principal_id, policy_arn, attached_at) VALUES (?, ?, ?, ?, ?)',
      [accountId, principalType, principalId, policyArn, when]);
  }
  detach(principalType, principalId, policyArn, q = this.db) {
    return q.run('DELETE FROM policy_attachments WHERE principal_type = ? AND principal_id = ? AND policy_arn = ?', [principalType, principalId, policyArn]);
  }
  attachedArns(principalType, principalId, q = this.db) {
    return q.all('SELECT policy_arn FROM policy_attachments WHERE principal_type = ? AND principal_id = ? ORDER BY attached_at, policy_arn', [principalType, principalId])
      .then((rows) => rows.map((r) => r.policy_arn));
  }
  isAttached(principalType, principalId, policyArn, q = this.db) {
    return q.get('SELECT 1 AS x FROM policy_attachments WHERE principal_type = ? AND principal_id = ? AND policy_arn = ?', [principalType, principalId, policyArn]).then(Boolean);
  }
  countAttachmentsOf(policyArn, accountId, q = this.db) {
    return q.get('SELECT COUNT(*) AS n FROM policy_attachments WHERE account_id = ? AND policy_arn = ?', [accountId, policyArn]).then((r) => Number(r.n));
  }
  countBoundaryUses(policyArn, accountId, q = this.db) {
    return q.get(`SELECT (SELECT COUNT(*) FROM users WHERE account_id = ? AND permissions_boundary = ?)
      + (SELECT COUNT(*) FROM roles WHERE account_id = ? AND permissions_boundary = ?) AS n`, [accountId, policyArn, accountId, policyArn]).then((r) => Number(r.n));
  }
  /** Map arn → number of attachments, for every policy attached in the account. */
  async attachmentCounts(accountId) {
    const rows = await this.db.all('SELECT policy_arn, COUNT(*) AS n FROM policy_attachments WHERE account_id = ? GROUP BY policy_arn', [accountId]);
    return new Map(rows.map((r) => [r.policy_arn, Number(r.n)]));
  }
  async boundaryCounts(accountId) {
    const rows = await this.db.all(`SELECT permissions_boundary AS arn FROM users WHERE account_id = ? AND permissions_boundary IS NOT NULL
      UNION ALL SELECT permissions_boundary AS arn FROM roles WHERE account_id = ? AND permissions_boundary IS NOT NULL`, [accountId, accountId]);
    const out = new Map();
    for (const r of rows) out.set(r.arn, (out.get(r.arn) ?? 0) + 1);
    return out;
  }
  /** Users, groups and roles a policy is attached to (permissions policy) or bounds (boundary). */
  async entitiesForPolicy(accountId, policyArn) {
    const attached = await this.db.all(`SELECT 'user' AS type, u.name, u.user_id AS id, u.path FROM policy_attachments a JOIN users u ON a.principal_type = 'user' AND u.user_id = a.principal_id WHERE a.account_id = ? AND a.policy_arn = ?
      UNION ALL SELECT 'group' AS type, g.name, g.group_id AS id, g.path FROM policy_attachments a JOIN groups_ g ON a.principal_type = 'group' AND g.group_id = a.principal_id WHERE a.account_id = ? AND a.policy_arn = ?
      UNION ALL SELECT 'role' AS type, r.name, r.role_id AS id, r.path FROM policy_attachments a JOIN roles r ON a.principal_type = 'role' AND r.role_id = a.principal_id WHERE a.account_id = ? AND a.policy_arn = ?`,
    [accountId, policyArn, accountId, policyArn, accountId, policyArn]);
    const bounded = await this.db.all(`SELECT 'user' AS type, name, user_id AS id, path FROM users WHERE account_id = ? AND permissions_boundary = ?
      UNION ALL SELECT 'role' AS type, name, role_id AS id, path FROM roles WHERE account_id = ? AND permissions_boundary = ?`, [accountId, policyArn, accountId, policyArn]);
    return { attached, bounded };
  }

  // Inline policies (kind user | group | role)
  getInline(kind, ownerId, name, q = this.db) {
    const t = INLINE[kind];
    return q.get(`SELECT * FROM ${t.table} WHERE ${t.owner} = ? AND name = ?`, [ownerId, name]);
  }
  listInline(kind, ownerId, q = this.db) {
    const t = INLINE[kind];
    return q.all(`SELECT name, document FROM ${t.table} WHERE ${t.owner} = ? ORDER BY name`, [ownerId]);
  }
  async putInline(kind, ownerId, name, document, q = this.db) {
    const t = INLINE[kind];
    await q.run(`DELETE FROM ${t.table} WHERE ${t.owner} = ? AND name = ?`, [ownerId, name]);
    return q.run(`INSERT INTO ${t.table} (${t.owner}, name, document) VALUES (?, ?, ?)`, [ownerId, name, document]);
  }
  deleteInline(kind, ownerId, name, q = this.db) {
    const t = INLINE[kind];
    return q.run(`DELETE FROM ${t.table} WHERE ${t.owner} = ? AND name = ?`, [ownerId, name]);
  }
  /** Inline and attached policies of several groups at once: [{ group_id, name, document }] and [{ group_id, policy_arn }]. */
  async groupsPolicies(groupIds) {
    if (!groupIds.length) return { inline: [], attached: [] };
    const marks = groupIds.map(() => '?').join(', ');
    const inline = await this.db.all(`SELECT group_id, name, document FROM group_policies WHERE group_id IN (${marks}) ORDER BY group_id, name`, groupIds);
    const attached = await this.db.all(`SELECT principal_id AS group_id, policy_arn FROM policy_attachments WHERE principal_type = 'group' AND principal_id IN (${marks}) ORDER BY principal_id, policy_arn`, groupIds);
    return { inline, attached };
  }
  groupNames(groupIds) {
    if (!groupIds.length) return Promise.resolve([]);
    return this.db.all(`SELECT group_id, name FROM groups_ WHERE group_id IN (${groupIds.map(() => '?').join(', ')})`, groupIds);
  }

  // Permissions boundaries
  setUserBoundary(userId, policyArn, q = this.db) { return q.run('UPDATE users SET permissions_boundary = ? WHERE user_id = ?', [policyArn, userId]); }
  setRoleBoundary(roleId, policyArn, q = this.db) { return q.run('UPDATE roles SET permissions_boundary = ? WHERE role_id = ?', [policyArn, roleId]); }

  // Roles
  insertRole(r, q = this.db) {
    return q.run(`INSERT INTO roles (role_id, account_id, name, name_lc, path, assume_role_policy, description, max_session_duration, permissions_boundary, tags, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.role_id, r.account_id, r.name, r.name.toLowerCase(), r.path, r.assume_role_policy, r.description ?? null, r.max_session_duration, r.permissions_boundary ?? null, JSON.stringify(r.tags ?? []), r.created_at]);
  }
  getRole(accountId, name, q = this.db, lock = '') {
    return q.get(`SELECT * FROM roles WHERE account_id = ? AND name_lc = ?${lock}`, [accountId, name.toLowerCase()]);
  }
  getRoleById(roleId, q = this.db) { return q.get('SELECT * FROM roles WHERE role_id = ?', [roleId]); }
  countRoles(accountId, q = this.db) { return q.get('SELECT COUNT(*) AS n FROM roles WHERE account_id = ?', [accountId]).then((r) => Number(r.n)); }
  listRoles(accountId, pathPrefix, page) {
    const p = pathPrefix ?? '/';
    return this.db.all('SELECT * FROM roles WHERE account_id = ? AND substr(path, 1, ?) = ? AND name_lc > ? ORDER BY name_lc LIMIT ?',
      [accountId, p.length, p, page.after ?? '', page.limit]);
  }
  updateRole(roleId, fields, q = this.db) {
    const keys = Object.keys(fields);
    return q.run(`UPDATE roles SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE role_id = ?`, [...keys.map((k) => fields[k]), roleId]);
  }
  setRoleTags(roleId, tags, q = this.db) { return q.run('UPDATE roles SET tags = ? WHERE role_id = ?', [JSON.stringify(tags), roleId]); }
  deleteRole(roleId, q = this.db) { return q.run('DELETE FROM roles WHERE role_id = ?', [roleId]); }
  /** A page of users, groups, roles or customer managed policies with their details (GetAccountAuthorizationDetails). */
  authorizationDetails(accountId, kind, after, limit, q = this.db) { return authorizationDetailsPage(q, accountId, kind, after, limit); }

  async roleAttachments(roleId, q = this.db) {
    const one = async (sql) => Number((await q.get(sql, [roleId])).n);
    return {
      attachedPolicies: await one("SELECT COUNT(*) AS n FROM policy_attachments WHERE principal_type = 'role' AND principal_id = ?"),
      inlinePolicies: await one('SELECT COUNT(*) AS n FROM role_policies WHERE role_id = ?'),
    };
  }
}

// GetAccountAuthorizationDetails: one page of one kind of entity, with everything its detail carries.
const DETAIL = {
  user: { table: 'users', id: 'user_id' },
  group: { table: 'groups_', id: 'group_id' },
  role: { table: 'roles', id: 'role_id' },
  policy: { table: 'managed_policies', id: 'policy_id' },
};

/**
 * The account's users, groups, roles or customer managed policies after `after` (name_lc, exclusive) in name order,
 * at most `limit`, each with what GetAccountAuthorizationDetails reports of it, read in a few batched queries:
 * users, groups and roles get `inline` ([{ name, document }]) and `attached` ([policy ARN]); users also `groups`
 * ([group name]); policies get `versions` ([{ version_id, document, created_at }]).
 * @param {{ all: (sql: string, params: unknown[]) => Promise<object[]> }} q
 * @param {'user' | 'group' | 'role' | 'policy'} kind
 */
async function authorizationDetailsPage(q, accountId, kind, after, limit) {
  const t = DETAIL[kind];
  const rows = await q.all(`SELECT * FROM ${t.table} WHERE account_id = ? AND name_lc > ? ORDER BY name_lc LIMIT ?`, [accountId, after ?? '', limit]);
  if (!rows.length) return rows;
  const ids = rows.map((r) => r[t.id]);
  const marks = ids.map(() => '?').join(', ');
  const byOwner = (list, owner, pick) => {
    const m = new Map(ids.map((id) => [id, []]));
    for (const r of list) m.get(r[owner])?.push(pick(r));
    return m;
  };
  if (kind === 'policy') {
    const versions = byOwner(await q.all(`SELECT policy_id, version_id, document, created_at FROM policy_versions WHERE policy_id IN (${marks})`, ids), 'policy_id', (r) => r);
    for (const r of rows) r.versions = versions.get(r.policy_id).sort((a, b) => versionNumber(b.version_id) - versionNumber(a.version_id));
    return rows;
  }
  const inlineTable = INLINE[kind];
  const inline = byOwner(await q.all(`SELECT ${inlineTable.owner} AS owner, name, document FROM ${inlineTable.table} WHERE ${inlineTable.owner} IN (${marks})`, ids), 'owner', (r) => ({ name: r.name, document: r.document }));
  const attached = byOwner(await q.all(`SELECT principal_id AS owner, policy_arn FROM policy_attachments WHERE principal_type = ? AND principal_id IN (${marks})`, [kind, ...ids]), 'owner', (r) => r.policy_arn);
  const groups = kind === 'user'
    ? byOwner(await q.all(`SELECT m.user_id AS owner, g.name FROM group_members m JOIN groups_ g ON g.group_id = m.group_id WHERE m.user_id IN (${marks})`, ids), 'owner', (r) => r.name)
    : null;
  for (const r of rows) {
    const id = r[t.id];
    r.inline = inline.get(id);
    r.attached = attached.get(id);
    if (groups) r.groups = groups.get(id);
  }
  return rows;
}

function collectStamp(rows) {
  const out = { version: '0', groups: [], boundary: null, tags: '[]', exists: false };
  for (const r of rows) {
    if (r.k === 'v') out.version = r.val;
    else if (r.k === 'g') out.groups.push(r.val);
    else if (r.k === 'b') { out.boundary = r.val ?? null; out.exists = true; } else if (r.k === 't') out.tags = r.val;
  }
  out.groups.sort();
  return out;
}

export const versionNumber = (id) => Number(/^v(\d+)/.exec(id)?.[1] ?? 0);
