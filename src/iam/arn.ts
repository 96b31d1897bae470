// The one place that builds ARNs and AWS-style identifiers.
import { randomBytes, randomInt } from 'node:crypto';

export const PARTITION = 'aws';

export const arn = {
  root: (account: string): string => `arn:${PARTITION}:iam::${account}:root`,
  user: (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:user${path}${name}`,
  group: (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:group${path}${name}`,
  role: (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:role${path}${name}`,
  policy: (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:policy${path}${name}`,
  awsManagedPolicy: (pathAndName: string): string => `arn:${PARTITION}:iam::aws:policy${pathAndName}`,
  mfa: (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:mfa${path}${name}`,
  /** A FIDO device (passkey, security key): u2f/user/USER/NAME-SUFFIX or u2f/root/NAME-SUFFIX, 26 base32 characters. */
  u2f: (account: string, owner: { type: 'user'; name: string } | { type: 'root' }, name: string): string =>
    `arn:${PARTITION}:iam::${account}:u2f/${owner.type === 'root' ? 'root' : `user/${owner.name}`}/${name}-${randomText(26)}`,
  assumedRole: (account: string, role: string, session: string): string => `arn:${PARTITION}:sts::${account}:assumed-role/${role}/${session}`,
};

// IAM unique ids: a 4-letter prefix naming the kind, then 17 characters of base32-like text (21 in all).
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function randomText(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (const b of bytes) s += ID_ALPHABET[b & 31];
  return s;
}
export const newId = {
  user: (): string => `AIDA${randomText(17)}`,
  group: (): string => `AGPA${randomText(17)}`,
  role: (): string => `AROA${randomText(17)}`,
  policy: (): string => `ANPA${randomText(17)}`,
  accessKey: (): string => `AKIA${randomText(16)}`,
  sessionKey: (): string => `ASIA${randomText(16)}`,
};

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** 40 characters, like AWS secret access keys (240 bits). */
export function newSecretAccessKey(): string {
  const bytes = randomBytes(40);
  let s = '';
  for (const b of bytes) s += SECRET_ALPHABET[b & 63];
  return s;
}

export function newAccountId(): string {
  let s = String(randomInt(1, 10));
  for (let i = 0; i < 11; i++) s += String(randomInt(0, 10));
  return s;
}

export const ADMINISTRATOR_ACCESS = arn.awsManagedPolicy('/AdministratorAccess');
