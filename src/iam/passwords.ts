// Console passwords: argon2id (memory-hard) hashes, and the account password policy as AWS applies it.
import { hash, verify } from '@node-rs/argon2';
import { ServiceError } from '../errors.js';
import type { PasswordPolicy } from '../aws/models/iam.generated.js';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try { return await verify(stored, password); } catch { return false; }
}

const SYMBOLS = /[!@#$%^&*()_+\-=[\]{}|']/;

/**
 * Check a new password against the account's policy, or AWS's default policy when none is set
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html).
 */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy | null, { accountId, userName }: { accountId?: string; userName?: string } = {}): void {
  const problems: string[] = [];
  if (!policy) {
    const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, SYMBOLS].filter((re) => re.test(password)).length;
    if (password.length < 8) problems.push('Password should have at least 8 characters');
    if (classes < 3) problems.push('Password should include at least three of these character types: uppercase letters, lowercase letters, numbers and symbols');
    if (password === accountId || (userName && password === userName)) problems.push('Password must not be identical to the account name or user name');
  } else {
    const min = policy.MinimumPasswordLength ?? 6;
    if (password.length < min) problems.push(`Password should have at least ${min} characters`);
    if (policy.RequireUppercaseCharacters && !/[A-Z]/.test(password)) problems.push('Password should have at least one uppercase letter');
    if (policy.RequireLowercaseCharacters && !/[a-z]/.test(password)) problems.push('Password should have at least one lowercase letter');
    if (policy.RequireNumbers && !/[0-9]/.test(password)) problems.push('Password should have at least one number');
    if (policy.RequireSymbols && !SYMBOLS.test(password)) problems.push('Password should have at least one symbol');
  }
  if (problems.length) throw new ServiceError('PasswordPolicyViolation', `Password does not conform to the account password policy: ${problems.join('; ')}.`);
}

/** PasswordReusePrevention: the new password must differ from the last N. */
export async function checkReuse(password: string, historyHashes: readonly string[], policy: PasswordPolicy | null): Promise<void> {
  const n = policy?.PasswordReusePrevention;
  if (!n) return;
  for (const h of historyHashes.slice(-n)) {
    if (await verifyPassword(h, password)) {
      throw new ServiceError('PasswordPolicyViolation', `Password does not conform to the account password policy: the password was used in the last ${n} passwords.`);
    }
  }
}
