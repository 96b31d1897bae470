// All SQL for IAM entities lives here; the domain (src/iam) sees entities (entities.ts), never rows or SQL. Names are matched
// case-insensitively through the name_lc columns; lists are keyset-paged on their sort key.
import { lockClause } from './db.js';
import type { Db, Dialect, LockMode, Queryable, RunResult, Tx } from './db.js';
import type { CounterName } from './counters.js';
import type {
  AccessKeyRow, AccountRow, CountRow, CredentialRow, GroupRow, LockedAccountRow, LockedUserRow, LoginProfileRow,
  PageRequest, UserListRow, UserRow,
} from './rows.js';
import { rowToAccessKey, rowToAccount, rowToCredential, rowToGroup, rowToLoginProfile, rowToUser, rowToUserSummary } from './entities.js';
import type { AccessKey, Account, Credential, Group, LoginProfile, PasswordPolicy, Tag, User, UserSummary } from './entities.js';

/** What insertAccount writes (the root password's change time is its creation time). */
export type NewAccount = Pick<Account, 'accountId' | 'rootEmail' | 'rootPasswordHash' | 'createdAt'>;
/** What insertUser writes: tags as a list (stored as JSON), name_lc derived from name. */
export interface NewUser {
  userId: string;
  accountId: string;
  name: string;
  path: string;
  permissionsBoundary?: string | null | undefined;
  tags?: readonly Tag[] | undefined;
  createdAt: string;
}
export type NewGroup = Pick<Group, 'groupId' | 'accountId' | 'name' | 'path' | 'createdAt'>;
/** What insertLoginProfile writes: the history as a list (stored as JSON). */
export interface NewLoginProfile {
  userId: string;
  passwordHash: string;
  passwordHistory?: readonly string[] | undefined;
  passwordResetRequired?: boolean | undefined;
  passwordChangedAt: string;
  createdAt: string;
}
/** The fields updateLoginProfile may set; passwordHistory as a list (stored as JSON). */
export interface LoginProfileFields {
  passwordHash?: string;
  passwordHistory?: readonly string[];
  passwordResetRequired?: boolean;
  passwordChangedAt?: string;
}
/** Each LoginProfileFields field's column, in the order updateLoginProfile writes them. */
const LOGIN_PROFILE_COLUMNS = {
  passwordHash: 'password_hash', passwordHistory: 'password_history', passwordResetRequired: 'password_reset_required', passwordChangedAt: 'password_changed_at',
} as const satisfies { [K in keyof LoginProfileFields]-?: keyof LoginProfileRow };
export type NewAccessKey = Pick<AccessKey, 'accessKeyId' | 'accountId' | 'userId' | 'secretEnc' | 'status' | 'createdAt'>;

/** One access key's latest use: when (ISO-8601 UTC), for which service, in which region. */
export interface KeyUse {
  readonly accessKeyId: string;
  readonly when: string;
  readonly service: string;
  readonly region: string;
}

export interface UserAttachments {
  accessKeys: number;
  loginProfile: number;
  groups: number;
  attachedPolicies: number;
  inlinePolicies: number;
  mfaDevices: number;
}
export interface GroupAttachments { members: number; attachedPolicies: number; inlinePolicies: number }
export interface SummaryCounts {
  users: number;
  groups: number;
  mfaDevices: number;
  mfaDevicesInUse: number;
  rootMfaDevices: number;
  rootAccessKeys: number;
  policies: number;
  roles: number;
  policyVersionsInUse: number;
}

/** One of the account's counters (counters.ts), kept in step with the rows by triggers: 0 before the first row. */
export async function counterOf(q: Queryable, accountId: string, name: CounterName): Promise<number> {
  return Number((await q.get<CountRow>('SELECT n FROM account_counters WHERE account_id = ? AND name = ?', [accountId, name]))?.n ?? 0);
}

/**
 * A PathPrefix as a range of the bytewise path index (migration 60): the paths that start with prefix are exactly
 * those in [prefix, successor), where successor is prefix with its last character incremented; no LIKE, so % and _
 * in a path are ordinary characters. Paths and prefixes are printable ASCII (the model's patterns), so the last
 * character is below U+FFFF and the increment stays one UTF-16 unit. On PostgreSQL the comparison is COLLATE "C".
 */
export function prefixRange(dialect: Dialect, column: string, prefix: string): { sql: string; params: [string, string] } {
  const col = dialect === 'postgres' ? `${column} COLLATE "C"` : column;
  const last = prefix.charCodeAt(prefix.length - 1);
  return { sql: `${col} >= ? AND ${col} < ?`, params: [prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1)] };
}

/** A COUNT(*) AS n query's number (0 when, impossibly, no row came back). */
export async function countOf(q: Queryable, sql: string, params: readonly (string | number | null)[]): Promise<number> {
  return Number((await q.get<CountRow>(sql, params))?.n ?? 0);
}

export class IamStore {
  readonly db: Db;
  readonly stampColumns: string;
  readonly credentialSql: string;
  constructor(db: Db) {
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

  // Installation (the one row the first start writes; src/iam/bootstrap)
  /** The account the installation was created for, or undefined on a new store. */
  async getInstallation(q: Queryable = this.db): Promise<{ accountId: string } | undefined> {
    const r = await q.get<{ account_id: string }>('SELECT account_id FROM installation WHERE id = 1');
    return r && { accountId: r.account_id };
  }
  /** Claims the installation (id 1) for an account: a second node doing the same at once gets a ConflictError. */
  insertInstallation(accountId: string, createdAt: string, q: Queryable = this.db): Promise<RunResult> {
    return q.run('INSERT INTO installation (id, account_id, created_at) VALUES (1, ?, ?)', [accountId, createdAt]);
  }

  // Accounts
  async getAccount(accountId: string, q: Queryable = this.db): Promise<Account | undefined> {
    const r = await q.get<AccountRow>('SELECT * FROM accounts WHERE account_id = ?', [accountId]);
    return r && rowToAccount(r);
  }
  /**
   * Row-locks the account inside a transaction: creates under an account-wide quota (users, groups, roles,
   * policies) and writes on the root user's keys and devices take it, so their count-then-insert holds.
   * The lock is FOR NO KEY UPDATE unless another is passed (the CLI's root-key create takes 'update').
   */
  async lockAccount(accountId: string, q: Tx, lock: LockMode = 'no-key-update'): Promise<{ accountId: string } | undefined> {
    const r = await q.get<LockedAccountRow>(`SELECT account_id FROM accounts WHERE account_id = ?${lockClause(q, lock)}`, [accountId]);
    return r && { accountId: r.account_id };
  }
  async firstAccount(): Promise<Account | undefined> {
    const r = await this.db.get<AccountRow>('SELECT * FROM accounts ORDER BY created_at LIMIT 1');
    return r && rowToAccount(r);
  }
  insertAccount(a: NewAccount, q: Queryable = this.db): Promise<RunResult> {
    return q.run('INSERT INTO accounts (account_id, root_email, root_password_hash, root_password_changed_at, created_at) VALUES (?, ?, ?, ?, ?)',
      [a.accountId, a.rootEmail, a.rootPasswordHash, a.createdAt, a.createdAt]);
  }
  setAlias(accountId: string, alias: string | null, q: Queryable = this.db): Promise<RunResult> {
    return q.run('UPDATE accounts SET alias = ? WHERE account_id = ?', [alias, accountId]);
  }
  /** policy: the password policy object (stored as JSON), or null to remove it. */
  setPasswordPolicy(accountId: string, policy: PasswordPolicy | null, q: Queryable = this.db): Promise<RunResult> {
    return q.run('UPDATE accounts SET password_policy = ? WHERE account_id = ?', [policy === null ? null : JSON.stringify(policy), accountId]);
  }

  // Users
  insertUser(u: NewUser, q: Queryable = this.db): Promise<RunResult> {
    return q.run('INSERT INTO users (user_id, account_id, name, name_lc, path, permissions_boundary, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [u.userId, u.accountId, u.name, u.name.toLowerCase(), u.path, u.permissionsBoundary ?? null, JSON.stringify(u.tags ?? []), u.createdAt]);
  }
  async getUser(accountId: string, name: string, q: Queryable = this.db, lock?: LockMode): Promise<User | undefined> {
    // Outside a transaction (the authoriser's resource ARN, every request on another user) from the read cache.
    const r = q === this.db && lock === undefined
      ? await this.db.cachedGet<UserRow>('SELECT * FROM users WHERE account_id = ? AND name_lc = ?', [accountId, name.toLowerCase()])
      : await q.get<UserRow>(`SELECT * FROM users WHERE account_id = ? AND name_lc = ?${lockClause(q, lock)}`, [accountId, name.toLowerCase()]);
    return r && rowToUser(r);
  }
  async getUserById(userId: string, q: Queryable = this.db): Promise<User | undefined> {
    const r = await q.get<UserRow>('SELECT * FROM users WHERE user_id = ?', [userId]);
    return r && rowToUser(r);
  }
  /**
   * Row-locks a user read before the transaction and tells whether it still exists: every write that hangs
   * something off a user takes this (or getUser with a lock) first, as DeleteUser does, so a child is either
   * there before the delete looks (DeleteConflict) or finds no user (NoSuchEntity).
   */
  async lockUser(userId: string, q: Tx): Promise<{ userId: string; name: string } | undefined> {
    const r = await q.get<LockedUserRow>(`SELECT user_id, name FROM users WHERE user_id = ?${q.forNoKeyUpdate ?? ''}`, [userId]);
    return r && { userId: r.user_id, name: r.name };
  }
  /** Users in the account, under the account-wide quota's lock when q is a transaction holding lockAccount. */
  countUsers(accountId: string, q: Queryable = this.db): Promise<number> {
    return counterOf(q, accountId, 'users');
  }
  /** The columns a listing shows (no tags: list operations leave them out, as AWS's do). */
  async listUsers(accountId: string, pathPrefix: string | null | undefined, page: PageRequest): Promise<UserSummary[]> {
    const columns = 'user_id, account_id, name, name_lc, path, permissions_boundary, password_last_used, created_at';
    const where = pathFilter(this.db.dialect, pathPrefix);
    const rows = await this.db.all<UserListRow>(`SELECT ${columns} FROM users${where.index('users_path')} WHERE account_id = ?${where.sql} AND name_lc > ? ORDER BY name_lc LIMIT ?`,
      [accountId, ...where.params, page.after ?? '', page.limit]);
    return rows.map(rowToUserSummary);
  }
  renameUser(userId: string, name: string, path: string, q: Queryable = this.db): Promise<RunResult> {
    return q.run('UPDATE users SET name = ?, name_lc = ?, path = ? WHERE user_id = ?', [name, name.toLowerCase(), path, userId]);
  }
  setUserTags(userId: string, tags: readonly Tag[], q: Queryable = this.db): Promise<RunResult> {
    return q.run('UPDATE users SET tags = ? WHERE user_id = ?', [JSON.stringify(tags), userId]);
  }
  deleteUser(userId: string, q: Queryable = this.db): Promise<RunResult> { return q.run('DELETE FROM users WHERE user_id = ?', [userId]); }
  setPasswordLastUsed(userId: string, when: string): Promise<RunResult> {
    return this.db.run('UPDATE users SET password_last_used = ? WHERE user_id = ?', [when, userId]);
  }
  /** What still hangs off a user; DeleteUser refuses while any of it exists. */
  async userAttachments(userId: string, q: Queryable = this.db): Promise<UserAttachments> {
    const one = (sql: string): Promise<number> => countOf(q, sql, [userId]);
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
  insertGroup(g: NewGroup, q: Queryable = this.db): Promise<RunResult> {
    return q.run('INSERT INTO groups_ (group_id, account_id, name, name_lc, path, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [g.groupId, g.accountId, g.name, g.name.toLowerCase(), g.path, g.createdAt]);
  }
  async getGroup(accountId: string, name: string, q: Queryable = this.db, lock?: LockMode): Promise<Group | undefined> {
    const r = await q.get<GroupRow>(`SELECT * FROM groups_ WHERE account_id = ? AND name_lc = ?${lockClause(q, lock)}`, [accountId, name.toLowerCase()]);
    return r && rowToGroup(r);
  }
  /** Groups in the account, under the account-wide quota's lock when q is a transaction holding lockAccount. */
  countGroups(accountId: string, q: Queryable = this.db): Promise<number> {
    return counterOf(q, accountId, 'groups');
  }
  async listGroups(accountId: string, pathPrefix: string | null | undefined, page: PageRequest): Promise<Group[]> {
    const where = pathFilter(this.db.dialect, pathPrefix);
    const rows = await this.db.all<GroupRow>(`SELECT * FROM groups_${where.index('groups_path')} WHERE account_id = ?${where.sql} AND name_lc > ? ORDER BY name_lc LIMIT ?`,
      [accountId, ...where.params, page.after ?? '', page.limit]);
    return rows.map(rowToGroup);
  }
  renameGroup(groupId: string, name: string, path: string, q: Queryable = this.db): Promise<RunResult> {
    return q.run('UPDATE groups_ SET name = ?, name_lc = ?, path = ? WHERE group_id = ?', [name, name.toLowerCase(), path, groupId]);
  }
  deleteGroup(groupId: string, q: Queryable = this.db): Promise<RunResult> { return q.run('DELETE FROM groups_ WHERE group_id = ?', [groupId]); }
  async groupAttachments(groupId: string, q: Queryable = this.db): Promise<GroupAttachments> {
    const one = (sql: string): Promise<number> => countOf(q, sql, [groupId]);
    return {
      members: await one('SELECT COUNT(*) AS n FROM group_members WHERE group_id = ?'),
      attachedPolicies: await one("SELECT COUNT(*) AS n FROM policy_attachments WHERE principal_type = 'group' AND principal_id = ?"),
      inlinePolicies: await one('SELECT COUNT(*) AS n FROM group_policies WHERE group_id = ?'),
    };
  }
  /** Whether the user is in the group (AddUserToGroup is idempotent on it, as on AWS). */
  async isGroupMember(groupId: string, userId: string, q: Queryable = this.db): Promise<boolean> {
    return Boolean(await q.get<{ x: number }>('SELECT 1 AS x FROM group_members WHERE group_id = ? AND user_id = ?', [groupId, userId]));
  }
  addMember(groupId: string, userId: string, when: string, q: Queryable = this.db): Promise<RunResult> {
    return q.run('INSERT INTO group_members (group_id, user_id, added_at) VALUES (?, ?, ?)', [groupId, userId, when]);
  }
  removeMember(groupId: string, userId: string, q: Queryable = this.db): Promise<RunResult> {
    return q.run('DELETE FROM group_members WHERE group_id = ? AND user_id = ?', [groupId, userId]);
  }
  countGroupsForUser(userId: string, q: Queryable = this.db): Promise<number> {
    return countOf(q, 'SELECT COUNT(*) AS n FROM group_members WHERE user_id = ?', [userId]);
  }
  async listGroupsForUser(userId: string, page: PageRequest): Promise<Group[]> {
    const rows = await this.db.all<GroupRow>('SELECT g.* FROM groups_ g JOIN group_members m ON m.group_id = g.group_id WHERE m.user_id = ? AND g.name_lc > ? ORDER BY g.name_lc LIMIT ?',
      [userId, page.after ?? '', page.limit]);
    return rows.map(rowToGroup);
  }
  groupIdsForUser(userId: string): Promise<string[]> {
    return this.db.all<{ group_id: string }>('SELECT group_id FROM group_members WHERE user_id = ?', [userId]).then((rows) => rows.map((r) => r.group_id));
  }
  async listGroupMembers(groupId: string, page: PageRequest): Promise<User[]> {
    const rows = await this.db.all<UserRow>('SELECT u.* FROM users u JOIN group_members m ON m.user_id = u.user_id WHERE m.group_id = ? AND u.name_lc > ? ORDER BY u.name_lc LIMIT ?',
      [groupId, page.after ?? '', page.limit]);
    return rows.map(rowToUser);
  }

  // Login profiles
  async getLoginProfile(userId: string, q: Queryable = this.db): Promise<LoginProfile | undefined> {
    const r = await q.get<LoginProfileRow>('SELECT * FROM login_profiles WHERE user_id = ?', [userId]);
    return r && rowToLoginProfile(r);
  }
  insertLoginProfile(p: NewLoginProfile, q: Queryable = this.db): Promise<RunResult> {
    return q.run('INSERT INTO login_profiles (user_id, password_hash, password_history, password_reset_required, password_changed_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [p.userId, p.passwordHash, JSON.stringify(p.passwordHistory ?? []), p.passwordResetRequired ? 1 : 0, p.passwordChangedAt, p.createdAt]);
  }
  updateLoginProfile(userId: string, fields: LoginProfileFields, q: Queryable = this.db): Promise<RunResult> {
    const sets: string[] = [];
    const params: (string | number)[] = [];
    // In the order the caller gave them, as before; each to its column (the history as JSON, the flag as 0/1).
    for (const k of Object.keys(fields)) {
      if (k === 'passwordHash' && fields.passwordHash !== undefined) params.push(fields.passwordHash);
      else if (k === 'passwordHistory' && fields.passwordHistory !== undefined) params.push(JSON.stringify(fields.passwordHistory));
      else if (k === 'passwordResetRequired' && fields.passwordResetRequired !== undefined) params.push(fields.passwordResetRequired ? 1 : 0);
      else if (k === 'passwordChangedAt' && fields.passwordChangedAt !== undefined) params.push(fields.passwordChangedAt);
      else continue;
      sets.push(`${LOGIN_PROFILE_COLUMNS[k]} = ?`);
    }
    return q.run(`UPDATE login_profiles SET ${sets.join(', ')} WHERE user_id = ?`, [...params, userId]);
  }
  deleteLoginProfile(userId: string, q: Queryable = this.db): Promise<RunResult> { return q.run('DELETE FROM login_profiles WHERE user_id = ?', [userId]); }
  setRootPassword(accountId: string, hash: string, when: string): Promise<RunResult> {
    return this.db.run('UPDATE accounts SET root_password_hash = ?, root_password_changed_at = ? WHERE account_id = ?', [hash, when, accountId]);
  }

  // Access keys (user_id NULL = the account's root user)
  insertAccessKey(k: NewAccessKey, q: Queryable = this.db): Promise<RunResult> {
    return q.run('INSERT INTO access_keys (access_key_id, account_id, user_id, secret_enc, status, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [k.accessKeyId, k.accountId, k.userId, k.secretEnc, k.status, k.createdAt]);
  }
  async getAccessKey(accessKeyId: string, q: Queryable = this.db): Promise<AccessKey | undefined> {
    const r = await q.get<AccessKeyRow>('SELECT * FROM access_keys WHERE access_key_id = ?', [accessKeyId]);
    return r && rowToAccessKey(r);
  }
  /**
   * The signing key, its owner, its account and the owner's policy stamp in one query: this runs on every request
   * (fields renamed only: the stamp stays text, the account's password policy is parsed on first read).
   */
  async credentialForKey(accessKeyId: string): Promise<Credential | undefined> {
    const r = await this.db.cachedGet<CredentialRow>(this.credentialSql, [accessKeyId]); // every request: from the read cache
    return r && rowToCredential(r);
  }
  async listAccessKeys(accountId: string, userId: string | null, page: PageRequest, q: Queryable = this.db): Promise<AccessKey[]> {
    const rows = userId === null
      ? await q.all<AccessKeyRow>('SELECT * FROM access_keys WHERE account_id = ? AND user_id IS NULL AND access_key_id > ? ORDER BY access_key_id LIMIT ?', [accountId, page.after ?? '', page.limit])
      : await q.all<AccessKeyRow>('SELECT * FROM access_keys WHERE account_id = ? AND user_id = ? AND access_key_id > ? ORDER BY access_key_id LIMIT ?', [accountId, userId, page.after ?? '', page.limit]);
    return rows.map(rowToAccessKey);
  }
  countAccessKeys(accountId: string, userId: string | null, q: Queryable = this.db): Promise<number> {
    return userId === null
      ? countOf(q, 'SELECT COUNT(*) AS n FROM access_keys WHERE account_id = ? AND user_id IS NULL', [accountId])
      : countOf(q, 'SELECT COUNT(*) AS n FROM access_keys WHERE account_id = ? AND user_id = ?', [accountId, userId]);
  }
  setAccessKeyStatus(accessKeyId: string, status: string): Promise<RunResult> {
    return this.db.run('UPDATE access_keys SET status = ? WHERE access_key_id = ?', [status, accessKeyId]);
  }
  deleteAccessKey(accessKeyId: string): Promise<RunResult> { return this.db.run('DELETE FROM access_keys WHERE access_key_id = ?', [accessKeyId]); }
  /**
   * Records access keys' latest uses, in one transaction. A use older than the one stored is skipped (another node
   * may have written a later one first); the ISO-8601 UTC dates compare as text.
   */
  async markAccessKeysUsed(uses: readonly KeyUse[]): Promise<void> {
    await this.db.tx(async (tx) => {
      for (const u of uses) {
        await tx.run('UPDATE access_keys SET last_used_date = ?, last_used_service = ?, last_used_region = ? WHERE access_key_id = ? AND (last_used_date IS NULL OR last_used_date < ?)',
          [u.when, u.service, u.region, u.accessKeyId, u.when]);
      }
    });
  }

  // Managed-policy attachments (the full policy API comes with the policy evaluator)
  attachPolicy(accountId: string, principalType: string, principalId: string, policyArn: string, when: string, q: Queryable = this.db): Promise<RunResult> {
    return q.run('INSERT INTO policy_attachments (account_id, principal_type, principal_id, policy_arn, attached_at) VALUES (?, ?, ?, ?, ?)',
      [accountId, principalType, principalId, policyArn, when]);
  }
  /** Managed policies attached to a user directly or through any of its groups. */
  policyArnsForUser(userId: string): Promise<string[]> {
    return this.db.all<{ policy_arn: string }>(`SELECT policy_arn FROM policy_attachments WHERE principal_type = 'user' AND principal_id = ?
      UNION SELECT a.policy_arn FROM policy_attachments a JOIN group_members m ON a.principal_type = 'group' AND a.principal_id = m.group_id
      WHERE m.user_id = ?`, [userId, userId]).then((rows) => rows.map((r) => r.policy_arn));
  }

  // MFA devices
  countMfaDevicesFor(accountId: string, ownerType: string, ownerId: string, q: Queryable = this.db): Promise<number> {
    return countOf(q, 'SELECT COUNT(*) AS n FROM mfa_devices WHERE account_id = ? AND owner_type = ? AND owner_id = ?', [accountId, ownerType, ownerId]);
  }

  // Account summary: the counters (counters.ts), one indexed read however large the account.
  async summaryCounts(accountId: string): Promise<SummaryCounts> {
    const rows = await this.db.all<{ name: string; n: number }>('SELECT name, n FROM account_counters WHERE account_id = ?', [accountId]);
    const c = new Map(rows.map((r) => [r.name, Number(r.n)]));
    const n = (name: CounterName): number => c.get(name) ?? 0;
    return {
      users: n('users'),
      groups: n('groups'),
      mfaDevices: n('mfa_devices'),
      mfaDevicesInUse: n('mfa_devices_in_use'),
      rootMfaDevices: n('root_mfa_devices'),
      rootAccessKeys: n('root_access_keys'),
      policies: n('policies'),
      roles: n('roles'),
      // Managed-policy attachments to users, groups and roles (AWS: policy versions in use).
      policyVersionsInUse: n('policy_attachments'),
    };
  }
}

/**
 * The WHERE fragment (with its leading AND) and parameters of a PathPrefix; none for '/' or no prefix (every path).
 * index(name): the clause that makes SQLite range-scan the path index (without statistics its planner prefers the
 * name index, which avoids the sort but reads every row of the account when few match); PostgreSQL plans by its
 * statistics and needs none.
 */
export function pathFilter(dialect: Dialect, prefix: string | null | undefined): { sql: string; params: string[]; index: (name: string) => string } {
  if (!prefix || prefix === '/') return { sql: '', params: [], index: () => '' };
  const r = prefixRange(dialect, 'path', prefix);
  return { sql: ` AND ${r.sql}`, params: r.params, index: (name) => (dialect === 'sqlite' ? ` INDEXED BY ${name}` : '') };
}
