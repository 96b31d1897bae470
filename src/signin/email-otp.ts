// One-time codes by email, for users without an MFA device when the account's setting says so (Identity Center's
// "Require them to provide a one-time password sent by email to sign in"): six digits, valid 10 minutes, single
// use, stored as a keyed hash, checked under the principal's MFA throttle. It is not MFA (AWS: "not
// industry-standard MFA"): a session signed in this way has aws:MultiFactorAuthPresent false.
// The address is the user's tag `email` (settable by administrators; the root user's is its sign-in email).
import { randomInt } from 'node:crypto';
import { underThrottle } from '../iam/mfa-devices.js';
import type { MfaCheckResult, MfaContext, OwnerRef } from '../iam/mfa-devices.js';
import type { SecretBox } from '../store/secrets.js';
import type { PrincipalKey, SigninSettingsStore } from '../store/signin-settings-store.js';
import type { Mailer } from './mailer.js';

export const EMAIL_OTP_TTL_MS = 10 * 60_000;
/** A new code is not mailed more often than this (a sign-in page reloaded does not flood the mailbox). */
export const EMAIL_OTP_RESEND_MS = 30_000;
/** The user tag that holds an IAM user's email address. */
export const EMAIL_TAG = 'email';

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
export const isEmailAddress = (s: string): boolean => s.length <= 254 && EMAIL_RE.test(s);

/** An address shown without giving it away: j***@example.com. */
export const maskEmail = (s: string): string => s.replace(/^(.)[^@]*(@.*)$/, '$1***$2');

const hashOf = (secrets: SecretBox, p: PrincipalKey, code: string): string => secrets.mac(`${p.type}:${p.id}:${code}`, 'email-otp');

export interface EmailOtpDeps { readonly settingsStore: SigninSettingsStore; readonly secrets: SecretBox; readonly mailer: Mailer | null }

export type SendResult = { readonly sent: true } | { readonly sent: false; readonly reason: 'no-address' | 'no-mailer' | 'recently-sent' };

/** Mails a new code to the principal (replacing any pending one), unless one went out in the last 30 seconds. */
export async function sendEmailOtp(deps: EmailOtpDeps, p: PrincipalKey, email: string | undefined, accountLabel: string, now: Date): Promise<SendResult> {
  if (!email || !isEmailAddress(email)) return { sent: false, reason: 'no-address' };
  if (!deps.mailer) return { sent: false, reason: 'no-mailer' };
  const pending = await deps.settingsStore.getEmailOtp(p);
  const nowMs = now.getTime();
  if (pending && pending.expiresAt > nowMs && nowMs - pending.createdAt < EMAIL_OTP_RESEND_MS) return { sent: false, reason: 'recently-sent' };
  const code = String(randomInt(1_000_000)).padStart(6, '0');
  await deps.settingsStore.putEmailOtp(p, hashOf(deps.secrets, p, code), nowMs, nowMs + EMAIL_OTP_TTL_MS);
  await deps.mailer.send({
    to: email,
    subject: `Your Gatehouse sign-in code: ${code}`,
    text: `Your one-time sign-in code for ${accountLabel} is ${code}.\n\nIt is valid for 10 minutes and can be used once. `
      + 'If you did not try to sign in, tell your administrator: someone knows your password.\n',
  });
  return { sent: true };
}

/** Checks and spends the pending code under the principal's MFA throttle. */
export function verifyEmailOtp(ctx: MfaContext & Omit<EmailOtpDeps, 'mailer'>, owner: OwnerRef, code: string): Promise<MfaCheckResult> {
  const p: PrincipalKey = { accountId: ctx.account.accountId, type: owner.type, id: owner.id };
  const c = code.trim();
  return underThrottle(ctx, owner, async (tx) => async (): Promise<MfaCheckResult> => {
    if (!/^\d{6}$/.test(c)) return { ok: false, reason: 'invalid' };
    const spent = await ctx.settingsStore.spendEmailOtp(p, hashOf(ctx.secrets, p, c), ctx.now.getTime(), tx);
    return spent === 1 ? { ok: true } : { ok: false, reason: 'invalid' };
  });
}
