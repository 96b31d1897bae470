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
import type { StampFields, StsSession } from '../store/entities.js';

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/** What a principal carries besides its identity: its STS session and its authoriser stamp, when it has them. */
export interface PrincipalExtras {
  readonly session?: SessionInfo;
  readonly stamp?: AuthzStamp;
}

export function rootPrincipal(accountId: string, accessKeyId: string, extras: PrincipalExtras = {}): RootPrincipal {
  return { kind: 'root', accountId, userId: accountId, arn: arn.root(accountId), accessKeyId, ...extras };
}

export function userPrincipal(accountId: string, user: { readonly userId: string; readonly name: string; readonly path: string }, accessKeyId: string,
  extras: PrincipalExtras = {}): UserPrincipal {
  return {
    kind: 'user',
    accountId,
    userId: user.userId,
    userName: user.name,
    path: user.path,
    arn: arn.user(accountId, user.path, user.name),
    accessKeyId,
    ...extras,
  };
}

export function rolePrincipal(accountId: string, role: { readonly roleId: string; readonly name: string; readonly path: string }, sessionName: string,
  accessKeyId: string, extras: PrincipalExtras = {}): RolePrincipal {
  return {
    kind: 'assumed-role',
    accountId,
    roleId: role.roleId,
    roleName: role.name,
    roleArn: arn.role(accountId, role.path, role.name),
    sessionName,
    userId: `${role.roleId}:${sessionName}`,
    arn: arn.assumedRole(accountId, role.name, sessionName),
    accessKeyId,
    ...extras,
  };
}

/** The stamp fields read with a credential (src/store/iam-store's stampColumns, and a role's for its sessions). */
interface StampSource extends StampFields {
  readonly roleBoundary?: string | null | undefined;
  readonly roleTagsJson?: string | null | undefined;
}

/** The authoriser's cache stamp for a user or role, read in the same query as the credential. */
function stampOf(row: StampSource, kind: 'user' | 'role'): AuthzStamp {
  const version = String(row.authzVersion ?? 0);
  if (kind === 'user') {
    return { version, groups: row.userGroups ? row.userGroups.split(',').sort() : [], boundary: row.userBoundary ?? null, tags: row.userTagsJson ?? '[]', exists: true };
  }
  return { version, groups: [], boundary: row.roleBoundary ?? null, tags: row.roleTagsJson ?? '[]', exists: true };
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

// Decrypted secrets kept per process: a hit saves an AES-GCM open per request. Bounded: past the limit the
// oldest entry goes (a Map iterates in insertion order), so a flood of short-lived STS keys cannot grow memory.
export const SECRET_CACHE_LIMIT = 10_000;

const invalidToken = (): ServiceError => new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.');

/** A credential's or session's user, LEFT JOINed: its fields are set whenever uid is (callers check it, or the key's userId, first). */
const joinedUser = (row: { readonly uid: string | null; readonly userName: string | null; readonly userPath: string | null }) =>
  ({ userId: row.uid!, name: row.userName!, path: row.userPath! });

function sessionOf(row: StsSession): SessionInfo {
  return {
    source: row.source as SessionInfo['source'], // written by src/sts: GetSessionToken, AssumeRole or ConsoleSignIn
    issuedAt: new Date(row.issuedAt),
    expiresAt: new Date(row.expiresAtMs),
    mfaAuthenticatedAt: row.mfaAuthenticatedAt ? new Date(row.mfaAuthenticatedAt) : null,
    origin: (row.originType === 'user' || row.originType === 'root') && row.originId != null ? { type: row.originType, id: row.originId } : null,
    sourceIdentity: row.sourceIdentity ?? null,
    // Session tags (passed or inherited as transitive) and which of them are transitive; session policies.
    tags: row.sessionTags ?? [],
    transitiveTagKeys: row.transitiveTagKeys ?? [],
    policy: row.sessionPolicy ?? null,
    policyArns: row.sessionPolicyArns ?? [],
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
  function secretOf(row: { readonly accessKeyId: string; readonly secretEnc: string }, aadPrefix = 'access-key'): string {
    let cached = secretCache.get(row.accessKeyId);
    if (!cached || cached.enc !== row.secretEnc) {
      cached = { enc: row.secretEnc, secret: secrets.open(row.secretEnc, `${aadPrefix}:${row.accessKeyId}`).toString('utf8') };
      secretCache.delete(row.accessKeyId);
      if (secretCache.size >= SECRET_CACHE_LIMIT) secretCache.delete(secretCache.keys().next().value!); // the cache is full, so not empty
      secretCache.set(row.accessKeyId, cached);
    }
    return cached.secret;
  }

  /** Temporary credentials: the session token must match (constant time) and the session must not have expired. */
  async function resolveSession(accessKeyId: string, sessionToken: string | undefined): Promise<ResolvedCredential | null> {
    const row = await sessions.resolve(accessKeyId);
    if (!row) return null;
    if (typeof sessionToken !== 'string' || !timingSafeEqual(sha256(sessionToken), Buffer.from(row.tokenHash, 'hex'))) throw invalidToken();
    if (clock() >= row.expiresAtMs) throw new ServiceError('ExpiredToken', 'The security token included in the request is expired');
    let principal: Principal;
    if (row.principalType === 'user') {
      if (!row.uid) throw invalidToken();
      principal = userPrincipal(row.accountId, joinedUser(row), accessKeyId, { stamp: stampOf(row, 'user'), session: sessionOf(row) });
    } else if (row.principalType === 'role') {
      if (!row.rid) throw invalidToken();
      // The joined role's fields are set whenever rid is; a role session always has its name.
      principal = rolePrincipal(row.accountId, { roleId: row.rid, name: row.roleName!, path: row.rolePath! }, row.sessionName!, accessKeyId,
        { stamp: stampOf(row, 'role'), session: sessionOf(row) });
    } else {
      principal = rootPrincipal(row.accountId, accessKeyId, { session: sessionOf(row) });
    }
    return { secret: secretOf(row, 'sts-session'), principal, account: row.account };
  }

  return {
    async resolve(accessKeyId, auth) {
      if (accessKeyId.startsWith('ASIA')) return resolveSession(accessKeyId, auth?.sessionToken);
      const row = await store.credentialForKey(accessKeyId);
      if (!row || row.status !== 'Active') return null;
      // A session token sent with a long-term key is not ours to ignore.
      if (auth?.sessionToken) throw invalidToken();
      const principal = row.userId
        ? userPrincipal(row.accountId, joinedUser(row), accessKeyId, { stamp: stampOf(row, 'user') })
        : rootPrincipal(row.accountId, accessKeyId);
      return { secret: secretOf(row), principal, account: row.account };
    },
    forget(accessKeyId) { secretCache.delete(accessKeyId); },
    get cachedSecrets() { return secretCache.size; },
  };
}
