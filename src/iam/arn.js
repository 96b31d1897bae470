// The one place that builds ARNs and AWS-style identifiers.
import { randomBytes, randomInt } from 'node:crypto';

export const PARTITION = 'aws';

export const arn = {
  root: (account) => `arn:${PARTITION}:iam::${account}:root`,
  user: (account, path, name) => `arn:${PARTITION}:iam::${account}:user${path}${name}`,
  group: (account, path, name) => `arn:${PARTITION}:iam::${account}:group${path}${name}`,
  role: (account, path, name) => `arn:${PARTITION}:iam::${account}:role${path}${name}`,
  policy: (account, path, name) => `arn:${PARTITION}:iam::${account}:policy${path}${name}`,
  awsManagedPolicy: (pathAndName) => `arn:${PARTITION}:iam::aws:policy${pathAndName}`,
  mfa: (account, path, name) => `arn:${PARTITION}:iam::${account}:mfa${path}${name}`,
  assumedRole: (account, role, session) => `arn:${PARTITION}:sts::${account}:assumed-role/${role}/${session}`,
};

// IAM unique ids: a 4-letter prefix naming the kind, then 17 characters of base32-like text (21 in all).
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function randomText(n) {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += ID_ALPHABET[bytes[i] & 31];
  return s;
}
export const newId = {
  user: () => `AIDA${randomText(17)}`,
  group: () => `AGPA${randomText(17)}`,
  role: () => `AROA${randomText(17)}`,
  policy: () => `ANPA${randomText(17)}`,
  accessKey: () => `AKIA${randomText(16)}`,
  sessionKey: () => `ASIA${randomText(16)}`,
};

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** 40 characters, like AWS secret access keys (240 bits). */
export function newSecretAccessKey() {
  const bytes = randomBytes(40);
  let s = '';
  for (let i = 0; i < 40; i++) s += SECRET_ALPHABET[bytes[i] & 63];
  return s;
}

export function newAccountId() {
  let s = String(randomInt(1, 10));
  for (let i = 0; i < 11; i++) s += String(randomInt(0, 10));
  return s;
}

export const ADMINISTRATOR_ACCESS = arn.awsManagedPolicy('/AdministratorAccess');
