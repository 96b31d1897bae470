// Recovery codes (beyond AWS): after a principal's first MFA device, a set of single-use codes shown once, each
// usable in place of the device at one sign-in. Stored only as keyed hashes (SecretBox.mac), spent with a
// conditional update (once, across every node), and checked under the principal's MFA throttle, so guessing them
// locks the principal exactly as guessing device codes does. A code is 10 characters of Crockford's Base32
// (50 bits), shown as two groups of five; typing is forgiving (case, spaces, dashes, O for 0, I and L for 1).
import { randomInt } from 'node:crypto';
import { underThrottle } from '../iam/mfa-devices.js';
import type { MfaCheckResult, MfaContext, OwnerRef } from '../iam/mfa-devices.js';
import type { SecretBox } from '../store/secrets.js';
import type { PrincipalKey, SigninSettingsStore } from '../store/signin-settings-store.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 10;
/** A warning shows from this many unused codes down. */
export const FEW_CODES_LEFT = 3;

/** The canonical form of a typed code, or null when it cannot be one. */
export function normalizeRecoveryCode(input: string): string | null {
  if (input.length > 64) return null;
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== CODE_CHARS) return null;
  for (const c of s) if (!ALPHABET.includes(c)) return null;
  return s;
}

function newCode(): string {
  let s = '';
  for (let i = 0; i < CODE_CHARS; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

const hashOf = (secrets: SecretBox, p: PrincipalKey, canonical: string): string => secrets.mac(`${p.type}:${p.id}:${canonical}`, 'recovery-code');

export interface RecoveryDeps { readonly settingsStore: SigninSettingsStore; readonly secrets: SecretBox }

/** A new set of `count` codes for the principal, replacing any earlier set; the plaintext codes, shown once. */
export async function generateRecoveryCodes(deps: RecoveryDeps, p: PrincipalKey, count: number, now: Date): Promise<string[]> {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(newCode());
  const list = [...codes];
  await deps.settingsStore.replaceRecoveryCodes(p, list.map((c) => hashOf(deps.secrets, p, c.replace('-', ''))), now.getTime());
  return list;
}

/**
 * The principal's first set, made only while it has none: two pages opened at once (two tabs, two nodes) make one
 * set, not two where the second silently voids the first (the principal's MFA throttle row is the lock). Null
 * when the principal already has codes.
 */
export async function generateFirstRecoveryCodes(
  deps: RecoveryDeps & Pick<MfaContext, 'db' | 'mfaStore'>, p: PrincipalKey, count: number, now: Date,
): Promise<string[] | null> {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(newCode());
  const list = [...codes];
  const made = await deps.db.tx(async (tx) => {
    await deps.mfaStore.lockThrottle(p.accountId, p.type, p.id, tx);
    if ((await deps.settingsStore.countRecoveryCodes(p, tx)).total > 0) return false;
    await deps.settingsStore.replaceRecoveryCodes(p, list.map((c) => hashOf(deps.secrets, p, c.replace('-', ''))), now.getTime(), tx);
    return true;
  });
  return made ? list : null;
}

/** How many codes the principal has, and how many are unused. */
export function recoveryCodeCount(deps: Pick<RecoveryDeps, 'settingsStore'>, p: PrincipalKey): Promise<{ total: number; unused: number }> {
  return deps.settingsStore.countRecoveryCodes(p);
}

/** An administrator's revocation (or the principal's): the set is gone. */
export async function revokeRecoveryCodes(deps: Pick<RecoveryDeps, 'settingsStore'>, p: PrincipalKey): Promise<void> {
  await deps.settingsStore.deleteRecoveryCodes(p);
}

export type RecoveryResult = (MfaCheckResult & { readonly ok: false }) | { readonly ok: true; readonly remaining: number };

/**
 * Spends one code at sign-in, under the principal's MFA throttle. A wrong code, a spent one and a malformed one
 * all count as a failure; the comparison is of keyed hashes (an attacker cannot aim at a hash's prefix).
 */
export async function useRecoveryCode(ctx: MfaContext & RecoveryDeps, owner: OwnerRef, code: string): Promise<RecoveryResult> {
  const p: PrincipalKey = { accountId: ctx.account.accountId, type: owner.type, id: owner.id };
  const canonical = normalizeRecoveryCode(code);
  const r = await underThrottle(ctx, owner, async (tx) => async (): Promise<MfaCheckResult> => {
    if (!canonical) return { ok: false, reason: 'invalid' };
    const spent = await ctx.settingsStore.spendRecoveryCode(p, hashOf(ctx.secrets, p, canonical), ctx.now.getTime(), tx);
    return spent === 1 ? { ok: true } : { ok: false, reason: 'invalid' };
  });
  if (!r.ok) return r;
  return { ok: true, remaining: (await ctx.settingsStore.countRecoveryCodes(p)).unused };
}
