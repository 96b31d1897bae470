// Console sessions. A signed-in browser holds a random id in an HttpOnly cookie; its row (console_sessions, keyed
// by the id's SHA-256) names the session's temporary credential: an STS session of the principal issued by
// src/sts (source ConsoleSignIn, 12 hours, with the MFA time when a second factor was passed), resolved on every
// request by the same credential resolver as a signed API call. So the console's principal carries
// aws:MultiFactorAuthPresent / aws:MultiFactorAuthAge exactly like STS credentials, and the same authoriser decides.
// Before the second factor a session is in stage 'mfa' (5 minutes, no credential), or 'email-otp' for an emailed
// code (10 minutes, no credential); 'enrol' is signed in but held in the enrolment wizard. The id changes at each stage.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { issue } from '../sts/index.js';
import { ServiceError } from '../errors.js';
import { SecretUnreadableError } from '../store/secrets.js';
import type { Account, OperationContext, Principal } from '../iam/context.js';
import type { CredentialResolver } from '../iam/principals.js';
import type { ConsoleSession, ConsoleStore } from '../store/console-store.js';

export const SESSION_MS = 12 * 3600_000;
export const IDLE_MS = 3600_000;
export const MFA_STAGE_MS = 5 * 60_000;
/** last_seen is written at most this often per session. */
const TOUCH_MS = 60_000;

export interface SessionDeps extends Pick<OperationContext, 'sessions' | 'secrets' | 'config'> {
  readonly consoleStore: ConsoleStore;
  readonly credentials: CredentialResolver;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
export const randomToken = (): string => randomBytes(32).toString('base64url');
const tokenAad = (accessKeyId: string): string => `console-session:${accessKeyId}`;

/** Constant-time comparison of two form tokens. */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

/** Who is signing in and what they passed. */
export interface SigninSubject {
  readonly account: Account;
  readonly type: 'user' | 'root';
  readonly id: string;
  readonly mustChangePassword: boolean;
}

/** The emailed-code stage lasts as long as the code is valid (src/signin/email-otp.ts). */
export const EMAIL_STAGE_MS = 10 * 60_000;

/**
 * After the password: a session that may only answer the second factor ('mfa') or the emailed one-time code
 * ('email-otp'). Returns the cookie's id.
 */
export async function startMfaStage(deps: SessionDeps, who: SigninSubject, now: Date, stage: 'mfa' | 'email-otp' = 'mfa'): Promise<string> {
  const id = randomToken();
  await deps.consoleStore.insertSession({
    idHash: sha256(id), accountId: who.account.accountId, principalType: who.type, principalId: who.id, stage,
    csrf: randomToken(), mustChangePassword: who.mustChangePassword,
    createdAt: now.getTime(), lastSeen: now.getTime(), expiresAt: now.getTime() + (stage === 'mfa' ? MFA_STAGE_MS : EMAIL_STAGE_MS),
  });
  return id;
}

export class TooManySessions extends Error {}

/**
 * Signed in: issue the session's temporary credential and its row. Returns the cookie's (new) id. Stage 'enrol':
 * signed in but held in the Assign MFA device wizard until a device is enrolled.
 */
export async function startSession(deps: SessionDeps, who: SigninSubject, mfa: { at: Date; serial: string } | null, now: Date, stage: 'active' | 'enrol' = 'active'): Promise<string> {
  let creds;
  try {
    creds = await issue({ sessions: deps.sessions, secrets: deps.secrets, config: deps.config, account: who.account, now }, {
      source: 'ConsoleSignIn',
      principalType: who.type,
      principalId: who.id,
      seconds: SESSION_MS / 1000,
      mfaAt: mfa?.at ?? null,
      mfaSerial: mfa?.serial ?? null,
      origin: { type: who.type, id: who.id },
    });
  } catch (e) {
    // The per-identity session bound of src/sts (sessions per minute, live sessions) holds for the console too.
    if (e instanceof ServiceError && e.code === 'Throttling') throw new TooManySessions(e.message);
    throw e;
  }
  const id = randomToken();
  await deps.consoleStore.insertSession({
    idHash: sha256(id), accountId: who.account.accountId, principalType: who.type, principalId: who.id, stage,
    accessKeyId: creds.AccessKeyId, tokenEnc: deps.secrets.seal(creds.SessionToken, tokenAad(creds.AccessKeyId)),
    csrf: randomToken(), mustChangePassword: who.mustChangePassword,
    createdAt: now.getTime(), lastSeen: now.getTime(), expiresAt: creds.Expiration.getTime(),
  });
  return id;
}

/** What a request's cookie stands for. */
export type ResolvedSession =
  | { readonly kind: 'none' }
  | { readonly kind: 'ended' }
  | { readonly kind: 'mfa'; readonly idHash: string; readonly session: ConsoleSession }
  | { readonly kind: 'active'; readonly idHash: string; readonly session: ConsoleSession; readonly principal: Principal; readonly account: Account };

export async function resolveSession(deps: SessionDeps, cookieId: string | undefined, now: Date): Promise<ResolvedSession> {
  if (!cookieId) return { kind: 'none' };
  const idHash = sha256(cookieId);
  const session = await deps.consoleStore.getSession(idHash);
  if (!session) return { kind: 'none' };
  const nowMs = now.getTime();
  if (nowMs >= session.expiresAt || nowMs - session.lastSeen > IDLE_MS) {
    await deps.consoleStore.deleteSession(idHash);
    return { kind: 'ended' };
  }
  if (session.stage === 'mfa' || session.stage === 'email-otp') return { kind: 'mfa', idHash, session };
  const { accessKeyId, tokenEnc } = session;
  if (!accessKeyId || !tokenEnc) return { kind: 'none' };
  let resolved;
  try {
    const token = deps.secrets.open(tokenEnc, tokenAad(accessKeyId)).toString('utf8');
    resolved = await deps.credentials.resolve(accessKeyId, { sessionToken: token });
  } catch (e) {
    // An expired or refused credential (its user deleted, its token unreadable) ends the console session.
    if (!(e instanceof ServiceError) && !(e instanceof SecretUnreadableError)) throw e;
    resolved = null;
  }
  if (!resolved) {
    await deps.consoleStore.deleteSession(idHash);
    return { kind: 'ended' };
  }
  if (nowMs - session.lastSeen > TOUCH_MS) await deps.consoleStore.touchSession(idHash, nowMs);
  return { kind: 'active', idHash, session, principal: resolved.principal, account: resolved.account };
}

export const endSession = (deps: SessionDeps, idHash: string): Promise<void> => deps.consoleStore.deleteSession(idHash);
