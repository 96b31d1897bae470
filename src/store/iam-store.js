// All SQL for IAM entities lives here; the domain (src/iam) sees rows, never SQL. Names are matched
// case-insensitively through the name_lc columns; lists are keyset-paged on their sort key.
export class IamStore {
  constructor(db) {
    this.db = db;
    const groupIds = db.dialect === 'postgres' ? "string_agg(m.group_id, ',')" : "group_concat(m.group_id, ',')";
    // What the authoriser's policy cache is checked against (authz_version, groups, boundary, tags), read with
    // the credential so an authorised request costs one query (see docs/authorization.md).
    this.stampColumns = `(SELECT v.version FROM authz_version v WHERE v.account_id = a.account_id) AS authz_version,
        (SELECT ${groupIds} FROM group_members m WHERE m.user_id = u.user_id) AS user_groups,
        u.permissions_boundary AS user_boundary, u.tags AS user_tags`;
    this.credentialSql = `SELECT k.access_key_id, k.account_id, k.user_id, k.secret_enc, k.status,
        u.name AS user_name, u.path AS user_path, u.user_id AS uid,
        a.alias AS acct_alias, a.root_email AS acct_root_email, a.root_password_changed_at AS acct_root_password_changed_at,
        a.root_password_last_used AS acct_root_password_last_used, a.password_policy AS acct_password_policy,
        a.created_at AS acct_created_at, ${this.stampColumns}
      FROM access_keys k JOIN accounts a ON a.account_id = k.account_id
      LEFT JOIN users u ON u.user_id = k.user_id WHERE k.access_key_id = ?`;
  }

  // Accounts
  getAccount(accountId, q = this.db) { return q.get('SELECT * FROM accounts WHERE account_id = ?', [accountId]); }
  /**
   * Row-locks the account inside a transaction: creates under an account-wide quota (users, groups, roles,
   * policies) and writes on the root user's keys and devices take it, so their count-then-insert holds.
   */
  lockAccount(accountId, q) {
    return q.get(`SELECT account_id FROM accounts WHERE account_id = ?${q.forNoKeyUpdate ?? ''}`, [accountId]);
  }
  firstAccount() { return this.db.get('SELECT * FROM accounts ORDER BY created_at LIMIT 1'); }
  insertAccount(a, q = this.db) {
    return q.run('INSERT INTO accounts (account_id, root_email, root_password_hash, root_password_changed_at, created_at) VALUES (?, ?, ?, ?, ?)',
      [a.account_id, a.root_email, a.root_password_hash, a.created_at, a.created_at]);
  }
  setAlias(accountId, alias, q = this.db) { return q.run('UPDATE accounts SET alias = ? WHERE account_id = ?', [alias, accountId]); }
  setPasswordPolicy(accountId, policy, q = this.db) {
    return q.run('UPDATE accounts SET password_policy = ? WHERE account_id = ?', [policy === null ? null : JSON.stringify(policy), accountId]);
  }

  // Users
  insertUser(u, q = this.db) {
    return q.run('INSERT INTO users (user_id, account_id, name, name_lc, path, permissions_boundary, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [u.user_id, u.account_id, u.name, u.name.toLowerCase(), u.path, u.permissions_boundary ?? null, JSON.stringify(u.tags ?? []), u.created_at]);
  }
  getUser(accountId, name, q = this.db, lock = '') {
    return q.get(`SELECT * FROM users WHERE account_id = ? AND name_lc = ?${lock}`, [accountId, name.toLowerCase()]);
  }
  getUserById(userId, q = this.db) { return q.get('SELECT * FROM users WHERE user_id = ?', [userId]); }
  /**
   * Row-locks a user read before the transaction and tells whether it still exists: every write that hangs
   * something off a user takes this (or getUser with a lock) first, as DeleteUser does, so a child is either
   * there before the delete looks (DeleteConflict) or finds no user (NoSuchEntity).
   */
  lockUser(userId, q) {
    return q.get(`SELECT user_id, name FROM users WHERE user_id = ?${q.forNoKeyUpdate ?? ''}`, [userId]);
  }
  /** The columns a listing shows (no tags: list operations leave them out, as AWS's do). */
  listUsers(accountId, pathPrefix, page) {
    const columns = 'user_id, account_id, name, name_lc, path, permissions_boundary, password_last_used, created_at';
    if (!pathPrefix || pathPrefix === '/') {
      return this.db.all(`SELECT ${columns} FROM users WHERE account_id = ? AND name_lc > ? ORDER BY name_lc LIMIT ?`,
        [accountId, page.after ?? '', page.limit]);
    }
    return this.db.all(`SELECT ${columns} FROM users WHERE account_id = ? AND substr(path, 1, ?) = ? AND name_lc > ? ORDER BY name_lc LIMIT ?`,
      [accountId, ...prefixParams(pathPrefix), page.after ?? '', page.limit]);
  }
  renameUser(userId, name, path, q = this.db) {
    return q.run('UPDATE users SET name = ?, name_lc = ?, path = ? WHERE user_id = ?', [name, name.toLowerCase(), path, userId]);
  }
  setUserTags(userId, tags, q = this.db) { return q.run('UPDATE users SET tags = ? WHERE user_id = ?', [JSON.stringify(tags), userId]); }
  deleteUser(userId, q = this.db) { return q.run('DELETE FROM users WHERE user_id = ?', [userId]); }
  setPasswordLastUsed(userId, when) { return this.db.run('UPDATE users SET password_last_used = ? WHERE user_id = ?', [when, userId]); }
  /** What still hangs off a user; DeleteUser refuses while any of it exists. */
  async userAttachments(userId, q = this.db) {
    const one = async (sql) => Number((await q.get(sql, [userId])).n);
    return {
      accessKeys: await one('SELECT COUNT(*) AS n FROM access_keys WHERE user_id = ?'),
      loginProfile: await one('SELECT COUNT(*) AS n FROM login_profiles WHERE user_id = ?'),
      groups: await one('SELECT COUNT(*) AS n FROM group_members WHERE user_id = ?'),
      attachedPolicies: await one("SELECT COUNT(*) AS n FROM policy_attachments WHERE principal_type = 'user' AND principal_id = ?"),
      inlinePolicies: await one('SELECT COUNT(*) AS n FROM user_policies WHERE user_id = ?'),
      mfaDevices: await one("SELECT COUNT(*) AS n FROM mfa_devices WHERE owner_type = 'user' AND owner_id = ?"),
    };
  }

  // Groups
  insertGroup(g, q = this.db) {
    return q.run('INSERT INTO groups_ (group_id, account_id, name, name_lc, path, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [g.group_id, g.account_id, g.name, g.name.toLowerCase(), g.path, g.created_at]);
  }
  getGroup(accountId, name, q = this.db, lock = '') {
    return q.get(`SELECT * FROM groups_ WHERE account_id = ? AND name_lc = ?${lock}`, [accountId, name.toLowerCase()]);
  }
  listGroups(accountId, pathPrefix, page) {
    return this.db.all('SELECT * FROM groups_ WHERE account_id = ? AND substr(path, 1, ?) = ? AND name_lc > ? ORDER BY name_lc LIMIT ?',
      [accountId, ...prefixParams(pathPrefix), page.after ?? '', page.limit]);
  }
  renameGroup(groupId, name, path, q = this.db) {
    return q.run('UPDATE groups_ SET name = ?, name_lc = ?, path = ? WHERE group_id = ?', [name, name.toLowerCase(), path, groupId]);
  }
  deleteGroup(groupId, q = this.db) { return q.run('DELETE FROM groups_ WHERE group_id = ?', [groupId]); }
  async groupAttachments(groupId, q = this.db) {
    const one = async (sql) => Number((await q.get(sql, [groupId])).n);
    return {
      members: await one('SELECT COUNT(*) AS n FROM group_members WHERE group_id = ?'),
      attachedPolicies: await one("SELECT COUNT(*) AS n FROM policy_attachments WHERE principal_type = 'group' AND principal_id = ?"),
      inlinePolicies: await one('SELECT COUNT(*) AS n FROM group_policies WHERE group_id = ?'),
    };
  }
  addMember(groupId, userId, when, q = this.db) {
    return q.run('INSERT INTO group_members (group_id, user_id, added_at) VALUES (?, ?, ?)', [groupId, userId, when]);
  }
  removeMember(groupId, userId, q = this.db) { return q.run('DELETE FROM group_members WHERE group_id = ? AND user_id = ?', [groupId, userId]); }
  countGroupsForUser(userId, q = this.db) { return q.get('SELECT COUNT(*) AS n FROM group_members WHERE user_id = ?', [userId]).then((r) => Number(r.n)); }
  listGroupsForUser(userId, page) {
    return this.db.all('SELECT g.* FROM groups_ g JOIN group_members m ON m.group_id = g.group_id WHERE m.user_id = ? AND g.name_lc > ? ORDER BY g.name_lc LIMIT ?',
      [userId, page.after ?? '', page.limit]);
  }
  groupIdsForUser(userId) { return this.db.all('SELECT group_id FROM group_members WHERE user_id = ?', [userId]).then((rows) => rows.map((r) => r.group_id)); }
  listGroupMembers(groupId, page) {
    return this.db.all('SELECT u.* FROM users u JOIN group_members m ON m.user_id = u.user_id WHERE m.group_id = ? AND u.name_lc > ? ORDER BY u.name_lc LIMIT ?',
      [groupId, page.after ?? '', page.limit]);
  }

  // Login profiles
  getLoginProfile(userId, q = this.db) { return q.get('SELECT * FROM login_profiles WHERE user_id = ?', [userId]); }
  insertLoginProfile(p, q = this.db) {
    return q.run('INSERT INTO login_profiles (user_id, password_hash, password_history, password_reset_required, password_changed_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [p.user_id, p.password_hash, JSON.stringify(p.password_history ?? []), p.password_reset_required ? 1 : 0, p.password_changed_at, p.created_at]);
  }
  updateLoginProfile(userId, fields, q = this.db) {
    const sets = [];
    const params = [];
    for (const [k, v] of Object.entries(fields)) { sets.push(`${k} = ?`); params.push(k === 'password_history' ? JSON.stringify(v) : v); }
    return q.run(`UPDATE login_profiles SET ${sets.join(', ')} WHERE user_id = ?`, [...params, userId]);
  }
  deleteLoginProfile(userId, q = this.db) { return q.run('DELETE FROM login_profiles WHERE user_id = ?', [userId]); }
  setRootPassword(accountId, hash, when) {
    return this.db.run('UPDATE accounts SET root_password_hash = ?, root_password_changed_at = ? WHERE account_id = ?', [hash, when, accountId]);
  }

  // Access keys (user_id NULL = the account's root user)
  insertAccessKey(k, q = this.db) {
    return q.run('INSERT INTO access_keys (access_key_id, account_id, user_id, secret_enc, status, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [k.access_key_id, k.account_id, k.user_id, k.secret_enc, k.status, k.created_at]);
  }
  getAccessKey(accessKeyId, q = this.db) { return q.get('SELECT * FROM access_keys WHERE access_key_id = ?', [accessKeyId]); }
  /** The signing key, its owner, its account and the owner's policy stamp in one query: this runs on every request. */
  credentialForKey(accessKeyId) { return this.db.get(this.credentialSql, [accessKeyId]); }
  listAccessKeys(accountId, userId, page, q = this.db) {
    return userId === null
      ? q.all('SELECT * FROM access_keys WHERE account_id = ? AND user_id IS NULL AND access_key_id > ? ORDER BY access_key_id LIMIT ?', [accountId, page.after ?? '', page.limit])
      : q.all('SELECT * FROM access_keys WHERE account_id = ? AND user_id = ? AND access_key_id > ? ORDER BY access_key_id LIMIT ?', [accountId, userId, page.after ?? '', page.limit]);
  }
  countAccessKeys(accountId, userId, q = this.db) {
    return (userId === null
      ? q.get('SELECT COUNT(*) AS n FROM access_keys WHERE account_id = ? AND user_id IS NULL', [accountId])
      : q.get('SELECT COUNT(*) AS n FROM access_keys WHERE account_id = ? AND user_id = ?', [accountId, userId])).then((r) => Number(r.n));
  }
  setAccessKeyStatus(accessKeyId, status) { return this.db.run('UPDATE access_keys SET status = ? WHERE access_key_id = ?', [status, accessKeyId]); }
  deleteAccessKey(accessKeyId) { return this.db.run('DELETE FROM access_keys WHERE access_key_id = ?', [accessKeyId]); }
  markAccessKeyUsed(accessKeyId, when, service, region) {
    return this.db.run('UPDATE access_keys SET last_used_date = ?, last_used_service = ?, last_used_region = ? WHERE access_key_id = ?', [when, service, region, accessKeyId]);
  }

  // Managed-policy attachments (the full policy API comes with the policy evaluator)
  attachPolicy(accountId, principalType, principalId, policyArn, when, q = this.db) {
    return q.run('INSERT INTO policy_attachments (account_id, principal_type, principal_id, policy_arn, attached_at) VALUES (?, ?, ?, ?, ?)',
      [accountId, principalType, principalId, policyArn, when]);
  }
  /** Managed policies attached to a user directly or through any of its groups. */
  policyArnsForUser(userId) {
    return this.db.all(`SELECT policy_arn FROM policy_attachments WHERE principal_type = 'user' AND principal_id = ?
      UNION SELECT a.policy_arn FROM policy_attachments a JOIN group_members m ON a.principal_type = 'group' AND a.principal_id = m.group_id
      WHERE m.user_id = ?`, [userId, userId]).then((rows) => rows.map((r) => r.policy_arn));
  }

  // MFA devices
  countMfaDevicesFor(accountId, ownerType, ownerId, q = this.db) {
    return q.get('SELECT COUNT(*) AS n FROM mfa_devices WHERE account_id = ? AND owner_type = ? AND owner_id = ?', [accountId, ownerType, ownerId]).then((r) => Number(r.n));
  }

  // Account summary
  async summaryCounts(accountId) {
    const one = async (sql, p = [accountId]) => Number((await this.db.get(sql, p)).n);
    return {
      users: await one('SELECT COUNT(*) AS n FROM users WHERE account_id = ?'),
      groups: await one('SELECT COUNT(*) AS n FROM groups_ WHERE account_id = ?'),
      // Hardware tokens count once assigned; unassigned ones are inventory, not devices (as on AWS).
      mfaDevices: await one("SELECT COUNT(*) AS n FROM mfa_devices WHERE account_id = ? AND (kind = 'virtual' OR owner_type IS NOT NULL)"),
      mfaDevicesInUse: await one('SELECT COUNT(*) AS n FROM mfa_devices WHERE account_id = ? AND owner_type IS NOT NULL'),
      rootMfaDevices: await one("SELECT COUNT(*) AS n FROM mfa_devices WHERE account_id = ? AND owner_type = 'root'"),
      rootAccessKeys: await one('SELECT COUNT(*) AS n FROM access_keys WHERE account_id = ? AND user_id IS NULL'),
      policies: await one('SELECT COUNT(*) AS n FROM managed_policies WHERE account_id = ?'),
      roles: await one('SELECT COUNT(*) AS n FROM roles WHERE account_id = ?'),
      // Managed-policy attachments to users, groups and roles (AWS: policy versions in use).
      policyVersionsInUse: await one('SELECT COUNT(*) AS n FROM policy_attachments WHERE account_id = ?'),
    };
  }
}

/** Parameters for a case-sensitive "path starts with" test: substr(path, 1, n) = prefix. */
function prefixParams(prefix) {
  const p = prefix ?? '/';
  return [p.length, p];
}
