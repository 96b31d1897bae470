// The first factor of a console sign-in: an IAM user's password (account id or alias, user name) or the root
// user's (root email). Wrong account, user, email or password all give the same answer, in about the same time
// (a dummy hash is checked when there is no password to check), and every attempt goes through the sign-in
// throttle (./throttle.ts) before anything is checked.
import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../iam/passwords.js';
import { passwordPolicyOf } from '../iam/login-profiles.js';
import { isLocked } from '../mfa/index.js';
import type { Account } from '../iam/context.js';
import type { IamStore } from '../store/iam-store.js';
import type { MfaStore } from '../store/mfa-store.js';
import type { ConsoleStore } from '../store/console-store.js';
import type { Account as StoredAccount, MfaDevice, User } from '../store/entities.js';
import { addressSubject, openAttempt, principalSubject, settleSuccess } from './throttle.js';

export const MFA_DEVICES_LISTED = 8;

/** Who passed the password step, and what sign-in must still ask of them. */
export interface PasswordPassed {
  readonly ok: true;
  readonly account: Account;
  readonly type: 'user' | 'root';
  /** The user id, or the account id for root. */
  readonly id: string;
  readonly user: User | null;
  /** PasswordResetRequired, or a password past the policy's MaxPasswordAge (without HardExpiry). */
  readonly mustChangePassword: boolean;
  /** The principal's enabled MFA devices: any of them must be passed. */
  readonly devices: readonly MfaDevice[];
}

export type PasswordFailure =
  /** Wrong account, user, email or password, or a principal without a password: one answer for all. */
  | { readonly ok: false; readonly reason: 'invalid' }
  /** Too many attempts for this name or from this address: wait. */
  | { readonly ok: false; readonly reason: 'throttled'; readonly retryAfterMs: number }
  /** The principal's MFA codes are locked (given whatever the password was). */
  | { readonly ok: false; readonly reason: 'mfa-locked' }
  /** The password expired under HardExpiry: only an administrator can reset it. */
  | { readonly ok: false; readonly reason: 'hard-expired' };

export interface PasswordDeps {
  readonly store: IamStore;
  readonly mfaStore: MfaStore;
  readonly consoleStore: ConsoleStore;
  /** The password check (argon2id's verify; a test counts what it is asked to check). */
  readonly verify?: ((hash: string, password: string) => Promise<boolean>) | undefined;
}

export type PasswordAttempt =
  | { readonly kind: 'user'; readonly account: string; readonly userName: string; readonly password: string }
  | { readonly kind: 'root'; readonly email: string; readonly password: string };

// Checked when there is no real hash, so an unknown name costs the same argon2 work as a known one.
let dummyHash: Promise<string> | null = null;
const dummy = (): Promise<string> => (dummyHash ??= hashPassword(randomBytes(24).toString('base64')));

const callerAccount = ({ rootPasswordHash: _hash, ...account }: StoredAccount): Account => account;

async function findAccount(consoleStore: ConsoleStore, input: string): Promise<StoredAccount | undefined> {
  const v = input.trim();
  if (/^\d{12}$/.test(v)) return consoleStore.accountById(v);
  return v ? consoleStore.accountByAlias(v.toLowerCase()) : undefined;
}

/** A password past MaxPasswordAge days (ExpirePasswords in the account's policy). */
export function passwordExpired(account: Account, changedAt: string, now: Date): { expired: boolean; hard: boolean } {
  const policy = passwordPolicyOf(account);
  const maxDays = policy?.ExpirePasswords ? policy.MaxPasswordAge ?? 0 : 0;
  const expired = maxDays > 0 && now.getTime() - new Date(changedAt).getTime() > maxDays * 86_400_000;
  return { expired, hard: expired && Boolean(policy?.HardExpiry) };
}

export async function checkPassword(deps: PasswordDeps, attempt: PasswordAttempt, sourceIp: string | undefined, now: Date): Promise<PasswordPassed | PasswordFailure> {
  const { store, mfaStore, consoleStore } = deps;
  // Whose password it would be, and the hash to check (null: none, the dummy is checked instead).
  let accountRow: StoredAccount | undefined;
  let user: User | null = null;
  let hash: string | null = null;
  let changedAt: string | null = null;
  let resetRequired = false;
  let subjectKey: string;
  if (attempt.kind === 'user') {
    accountRow = await findAccount(consoleStore, attempt.account);
    const accountKey = accountRow?.accountId ?? `?${attempt.account.trim().toLowerCase()}`;
    subjectKey = `user|${accountKey}|${attempt.userName.trim().toLowerCase()}`;
    const found = accountRow && attempt.userName.trim() ? await store.getUser(accountRow.accountId, attempt.userName.trim()) : undefined;
    const profile = found ? await store.getLoginProfile(found.userId) : undefined;
    if (found && profile) {
      user = found;
      hash = profile.passwordHash;
      changedAt = profile.passwordChangedAt;
      resetRequired = profile.passwordResetRequired;
    }
  } else {
    const email = attempt.email.trim().toLowerCase();
    subjectKey = `root|${email}`;
    accountRow = email ? await consoleStore.accountByRootEmail(email) : undefined;
    if (accountRow) hash = accountRow.rootPasswordHash;
  }
  const principal = principalSubject(subjectKey);

  const opened = await openAttempt(consoleStore, [principal, addressSubject(sourceIp)], now.getTime());
  if (!opened.ok) return { ok: false, reason: 'throttled', retryAfterMs: opened.retryAfterMs };

  const right = await (deps.verify ?? verifyPassword)(hash ?? await dummy(), attempt.password) && hash !== null;
  const type = attempt.kind;
  const id = type === 'user' ? user?.userId : accountRow?.accountId;
  if (right) await settleSuccess(consoleStore, opened.attempt, principal.key);
  if (!accountRow || !id) return { ok: false, reason: 'invalid' };

  // A principal whose codes are locked hears only that, right password or not.
  if (isLocked(await mfaStore.getThrottle(accountRow.accountId, type, id), now.getTime())) return { ok: false, reason: 'mfa-locked' };
  if (!right) return { ok: false, reason: 'invalid' };

  const account = callerAccount(accountRow);
  let mustChangePassword = false;
  if (type === 'user' && changedAt !== null) {
    const { expired, hard } = passwordExpired(account, changedAt, now);
    if (hard) return { ok: false, reason: 'hard-expired' };
    mustChangePassword = resetRequired || expired;
  }
  const devices = await mfaStore.listForOwner(account.accountId, type, id, { limit: MFA_DEVICES_LISTED });
  return { ok: true, account, type, id, user, mustChangePassword, devices };
}
