// Who signed a request: access key → principal (root, IAM user, or a temporary session of either or of a role).
// Decrypted secrets are cached by key id (a key's secret never changes); status, owner and expiry are read on
// every request so a deactivated or deleted key, or an expired session, is refused at once, on every node.
import { createHash, timingSafeEqual } from 'node:crypto';
import { AwsError } from '../aws/errors.js';
import { arn } from './arn.js';

const sha256 = (s) => createHash('sha256').update(s).digest();

export function rootPrincipal(accountId, accessKeyId) {
  return { kind: 'root', accountId, userId: accountId, arn: arn.root(accountId), accessKeyId };
}

export function userPrincipal(accountId, user, accessKeyId) {
  return {
    kind: 'user',
    accountId,
    userId: user.user_id,
    userName: user.name,
    path: user.path,
    arn: arn.user(accountId, user.path, user.name),
    accessKeyId,
  };
}

export function rolePrincipal(accountId, role, sessionName, accessKeyId) {
  return {
    kind: 'assumed-role',
    accountId,
    roleId: role.role_id,
    roleName: role.name,
    roleArn: arn.role(accountId, role.path, role.name),
    sessionName,
    userId: `${role.role_id}:${sessionName}`,
    arn: arn.assumedRole(accountId, role.name, sessionName),
    accessKeyId,
  };
}

function accountOf(row) {
  return {
    account_id: row.account_id,
    alias: row.acct_alias,
    root_email: row.acct_root_email,
    root_password_changed_at: row.acct_root_password_changed_at,
    root_password_last_used: row.acct_root_password_last_used,
    password_policy: row.acct_password_policy,
    created_at: row.acct_created_at,
  };
}

/** The authoriser's cache stamp for a user or role, read in the same query as the credential. */
function stampOf(row, kind) {
  const stamp = { version: String(row.authz_version ?? 0), groups: [], boundary: null, tags: '[]', exists: true };
  if (kind === 'user') {
    stamp.groups = row.user_groups ? row.user_groups.split(',').sort() : [];
    stamp.boundary = row.user_boundary ?? null;
    stamp.tags = row.user_tags ?? '[]';
  } else {
    stamp.boundary = row.role_boundary ?? null;
    stamp.tags = row.role_tags ?? '[]';
  }
  return stamp;
}

/**
 * The long-term identity a request descends from: the IAM user or root user itself for its access keys, and for
 * temporary credentials the identity recorded on the session when it was issued (carried through role chains).
 * null when unknown (role sessions issued before origins were recorded). src/iam/mfa-devices.js uses it so a
 * principal can never lift its own MFA lock, not even through a role it assumed.
 * @returns {{ type: 'user' | 'root', id: string } | null}
 */
export function originOf(p) {
  if (p.session) return p.session.origin;
  if (p.kind === 'root') return { type: 'root', id: p.accountId };
  if (p.kind === 'user') return { type: 'user', id: p.userId };
  return null;
}

const parseJson = (text, fallback) => (text ? JSON.parse(text) : fallback);

// Decrypted secrets kept per process: a hit saves an AES-GCM open per request. Bounded: past the limit the
// oldest entry goes (a Map iterates in insertion order), so a flood of short-lived STS keys cannot grow memory.
export const SECRET_CACHE_LIMIT = 10_000;

const invalidToken = () => new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.');

export function createCredentialResolver({ store, sessions, secrets, clock = Date.now }) {
  const secretCache = new Map();
  function secretOf(row, aadPrefix = 'access-key') {
    let cached = secretCache.get(row.access_key_id);
    if (!cached || cached.enc !== row.secret_enc) {
      cached = { enc: row.secret_enc, secret: secrets.open(row.secret_enc, `${aadPrefix}:${row.access_key_id}`).toString('utf8') };
      secretCache.delete(row.access_key_id);
      if (secretCache.size >= SECRET_CACHE_LIMIT) secretCache.delete(secretCache.keys().next().value);
      secretCache.set(row.access_key_id, cached);
    }
    return cached.secret;
  }

  /** Temporary credentials: the session token must match (constant time) and the session must not have expired. */
  async function resolveSession(accessKeyId, sessionToken) {
    const row = await sessions.resolve(accessKeyId);
    if (!row) return null;
    if (typeof sessionToken !== 'string' || !timingSafeEqual(sha256(sessionToken), Buffer.from(row.token_hash, 'hex'))) throw invalidToken();
    if (clock() >= Number(row.expires_at)) throw new AwsError('ExpiredToken', 'The security token included in the request is expired');
    let principal;
    if (row.principal_type === 'user') {
      if (!row.uid) throw invalidToken();
      principal = userPrincipal(row.account_id, { user_id: row.uid, name: row.user_name, path: row.user_path }, accessKeyId);
      principal.stamp = stampOf(row, 'user');
    } else if (row.principal_type === 'role') {
      if (!row.rid) throw invalidToken();
      principal = rolePrincipal(row.account_id, { role_id: row.rid, name: row.role_name, path: row.role_path }, row.session_name, accessKeyId);
      principal.stamp = stampOf(row, 'role');
    } else {
      principal = rootPrincipal(row.account_id, accessKeyId);
    }
    principal.session = {
      source: row.source,
      issuedAt: new Date(row.issued_at),
      expiresAt: new Date(Number(row.expires_at)),
      mfaAuthenticatedAt: row.mfa_authenticated_at ? new Date(row.mfa_authenticated_at) : null,
      origin: row.origin_type === 'user' || row.origin_type === 'root' ? { type: row.origin_type, id: row.origin_id } : null,
      sourceIdentity: row.source_identity ?? null,
      // Session tags (passed or inherited as transitive) and which of them are transitive; session policies.
      tags: parseJson(row.session_tags, []),
      transitiveTagKeys: parseJson(row.transitive_tag_keys, []),
      policy: row.session_policy ?? null,
      policyArns: parseJson(row.session_policy_arns, []),
    };
    return { secret: secretOf(row, 'sts-session'), principal, account: accountOf(row) };
  }

  return {
    async resolve(accessKeyId, auth) {
      if (accessKeyId.startsWith('ASIA')) return resolveSession(accessKeyId, auth?.sessionToken);
      const row = await store.credentialForKey(accessKeyId);
      if (!row || row.status !== 'Active') return null;
      // A session token sent with a long-term key is not ours to ignore.
      if (auth?.sessionToken) throw invalidToken();
      const principal = row.user_id
        ? userPrincipal(row.account_id, { user_id: row.uid, name: row.user_name, path: row.user_path }, accessKeyId)
        : rootPrincipal(row.account_id, accessKeyId);
      if (row.user_id) principal.stamp = stampOf(row, 'user');
      return { secret: secretOf(row), principal, account: accountOf(row) };
    },
    forget(accessKeyId) { secretCache.delete(accessKeyId); },
    /** How many decrypted secrets are cached (for tests of the bound). */
    get cachedSecrets() { return secretCache.size; },
  };
}
