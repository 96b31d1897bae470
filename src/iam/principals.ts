// Who signed a request: access key → principal (root, IAM user, or a temporary session of either or of a role).
// Decrypted secrets are cached by key id (a key's secret never changes); status, owner and expiry are read on
// every request so a deactivated or deleted key, or an expired session, is refused at once, on every node.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ServiceError } from '../errors.js';
import { arn } from './arn.js';
import type { Account, AuthzStamp, Origin, Principal, RolePrincipal, RootPrincipal, SessionInfo, Tag, UserPrincipal } from './context.js';
import type { IamStore } from '../store/iam-store.js';
import type { SessionStore } from '../store/session-store.js';
import type { SecretBox } from '../store/secrets.js';

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/** What a principal carries besides its identity: its STS session and its authoriser stamp, when it has them. */
export interface PrincipalExtras {
  readonly session?: SessionInfo;
  readonly stamp?: AuthzStamp;
}

export function rootPrincipal(accountId: string, accessKeyId: string, extras: PrincipalExtras = {}): RootPrincipal {
  return { kind: 'root', accountId, userId: accountId, arn: arn.root(accountId), accessKeyId, ...extras };
}

export function userPrincipal(accountId: string, user: { readonly user_id: string; readonly name: string; readonly path: string }, accessKeyId: string,
  extras: PrincipalExtras = {}): UserPrincipal {
  return {
    kind: 'user',
    accountId,
    userId: user.user_id,
    userName: user.name,
    path: user.path,
    arn: arn.user(accountId, user.path, user.name),
    accessKeyId,
    ...extras,
  };
}

export function rolePrincipal(accountId: string, role: { readonly role_id: string; readonly name: string; readonly path: string }, sessionName: string,
  accessKeyId: string, extras: PrincipalExtras = {}): RolePrincipal {
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
    ...extras,
  };
}

/** The account columns read with a credential (prefixed acct_). */
interface AccountColumns {
  readonly account_id: string;
  readonly acct_alias: string | null;
  readonly acct_root_email: string;
  readonly acct_root_password_changed_at: string | null;
  readonly acct_root_password_last_used: string | null;
  readonly acct_password_policy: string | null;
  readonly acct_created_at: string;
}

function accountOf(row: AccountColumns): Account {
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

/** The stamp columns read with a credential (src/store/iam-store's stampColumns, and a role's for its sessions). */
interface StampColumns {
  readonly authz_version?: string | number | null | undefined;
  readonly user_groups?: string | null | undefined;
  readonly user_boundary?: string | null | undefined;
  readonly user_tags?: string | null | undefined;
  readonly role_boundary?: string | null | undefined;
  readonly role_tags?: string | null | undefined;
}

/** The authoriser's cache stamp for a user or role, read in the same query as the credential. */
function stampOf(row: StampColumns, kind: 'user' | 'role'): AuthzStamp {
  const version = String(row.authz_version ?? 0);
  if (kind === 'user') {
    return { version, groups: row.user_groups ? row.user_groups.split(',').sort() : [], boundary: row.user_boundary ?? null, tags: row.user_tags ?? '[]', exists: true };
  }
  return { version, groups: [], boundary: row.role_boundary ?? null, tags: row.role_tags ?? '[]', exists: true };
}

/**
 * The long-term identity a request descends from: the IAM user or root user itself for its access keys, and for
 * temporary credentials the identity recorded on the session when it was issued (carried through role chains).
 * null when unknown (role sessions issued before origins were recorded). src/iam/mfa-devices.ts uses it so a
 * principal can never lift its own MFA lock, not even through a role it assumed.
 */
export function originOf(p: Principal): Origin | null {
  if (p.session) return p.session.origin;
  if (p.kind === 'root') return { type: 'root', id: p.accountId };
  if (p.kind === 'user') return { type: 'user', id: p.userId };
  return null;
}

const parseJson = <T>(text: string | null | undefined, fallback: T): T => (text ? JSON.parse(text) : fallback);

// Decrypted secrets kept per process: a hit saves an AES-GCM open per request. Bounded: past the limit the
// oldest entry goes (a Map iterates in insertion order), so a flood of short-lived STS keys cannot grow memory.
export const SECRET_CACHE_LIMIT = 10_000;

const invalidToken = (): ServiceError => new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.');

/** A credential's or session's user, LEFT JOINed: its columns are set whenever uid is (callers check it, or the key's user_id, first). */
const joinedUser = (row: { readonly uid: string | null; readonly user_name: string | null; readonly user_path: string | null }) =>
  ({ user_id: row.uid!, name: row.user_name!, path: row.user_path! });

/** The session columns that make a principal's SessionInfo. */
interface SessionColumns {
  /** The STS operation that issued the session. */
  readonly source: string;
  readonly issued_at: string;
  readonly expires_at: string | number;
  readonly mfa_authenticated_at?: string | null | undefined;
  readonly origin_type?: string | null | undefined;
  readonly origin_id?: string | null | undefined;
  readonly source_identity?: string | null | undefined;
  readonly session_tags?: string | null | undefined;
  readonly transitive_tag_keys?: string | null | undefined;
  readonly session_policy?: string | null | undefined;
  readonly session_policy_arns?: string | null | undefined;
}

function sessionOf(row: SessionColumns): SessionInfo {
  return {
    source: row.source as SessionInfo['source'], // written by src/sts: GetSessionToken, AssumeRole or ConsoleSignIn
    issuedAt: new Date(row.issued_at),
    expiresAt: new Date(Number(row.expires_at)),
    mfaAuthenticatedAt: row.mfa_authenticated_at ? new Date(row.mfa_authenticated_at) : null,
    origin: (row.origin_type === 'user' || row.origin_type === 'root') && row.origin_id != null ? { type: row.origin_type, id: row.origin_id } : null,
    sourceIdentity: row.source_identity ?? null,
    // Session tags (passed or inherited as transitive) and which of them are transitive; session policies.
    tags: parseJson<Tag[]>(row.session_tags, []),
    transitiveTagKeys: parseJson<string[]>(row.transitive_tag_keys, []),
    policy: row.session_policy ?? null,
    policyArns: parseJson<string[]>(row.session_policy_arns, []),
  };
}

/** A credential the endpoint can verify a signature with, and whose request it then runs as principal. */
export interface ResolvedCredential {
  readonly secret: string;
  readonly principal: Principal;
  readonly account: Account;
}

export interface CredentialResolver {
  /** The credential for an access key id; null when there is none (or the key is not active). */
  resolve(accessKeyId: string, auth?: { readonly sessionToken?: string | undefined }): Promise<ResolvedCredential | null>;
  /** Drops a key's cached secret (its key was changed or deleted). */
  forget(accessKeyId: string): void;
  /** How many decrypted secrets are cached (for tests of the bound). */
  readonly cachedSecrets: number;
}

export interface CredentialResolverDeps {
  readonly store: Pick<IamStore, 'credentialForKey'>;
  readonly sessions: Pick<SessionStore, 'resolve'>;
  readonly secrets: Pick<SecretBox, 'open'>;
  /** Milliseconds since the epoch (tests pass a controlled clock). */
  readonly clock?: () => number;
}

export function createCredentialResolver({ store, sessions, secrets, clock = Date.now }: CredentialResolverDeps): CredentialResolver {
  const secretCache = new Map<string, { enc: string; secret: string }>();
  function secretOf(row: { readonly access_key_id: string; readonly secret_enc: string }, aadPrefix = 'access-key'): string {
    let cached = secretCache.get(row.access_key_id);
    if (!cached || cached.enc !== row.secret_enc) {
      cached = { enc: row.secret_enc, secret: secrets.open(row.secret_enc, `${aadPrefix}:${row.access_key_id}`).toString('utf8') };
      secretCache.delete(row.access_key_id);
      if (secretCache.size >= SECRET_CACHE_LIMIT) secretCache.delete(secretCache.keys().next().value!); // the cache is full, so not empty
      secretCache.set(row.access_key_id, cached);
    }
    return cached.secret;
  }

  /** Temporary credentials: the session token must match (constant time) and the session must not have expired. */
  async function resolveSession(accessKeyId: string, sessionToken: string | undefined): Promise<ResolvedCredential | null> {
    const row = await sessions.resolve(accessKeyId);
    if (!row) return null;
    if (typeof sessionToken !== 'string' || !timingSafeEqual(sha256(sessionToken), Buffer.from(row.token_hash, 'hex'))) throw invalidToken();
    if (clock() >= Number(row.expires_at)) throw new ServiceError('ExpiredToken', 'The security token included in the request is expired');
    let principal: Principal;
    if (row.principal_type === 'user') {
      if (!row.uid) throw invalidToken();
      principal = userPrincipal(row.account_id, joinedUser(row), accessKeyId, { stamp: stampOf(row, 'user'), session: sessionOf(row) });
    } else if (row.principal_type === 'role') {
      if (!row.rid) throw invalidToken();
      // The joined role's columns are set whenever rid is; a role session always has its name.
      principal = rolePrincipal(row.account_id, { role_id: row.rid, name: row.role_name!, path: row.role_path! }, row.session_name!, accessKeyId,
        { stamp: stampOf(row, 'role'), session: sessionOf(row) });
    } else {
      principal = rootPrincipal(row.account_id, accessKeyId, { session: sessionOf(row) });
    }
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
        ? userPrincipal(row.account_id, joinedUser(row), accessKeyId, { stamp: stampOf(row, 'user') })
        : rootPrincipal(row.account_id, accessKeyId);
      return { secret: secretOf(row), principal, account: accountOf(row) };
    },
    forget(accessKeyId) { secretCache.delete(accessKeyId); },
    get cachedSecrets() { return secretCache.size; },
  };
}
