// First start on an empty store: one account, its root user, and an `admin` IAM user in an `Administrators`
// group holding AdministratorAccess, with one access key. Several nodes may start at once against one
// PostgreSQL database: the installation row (primary key 1) lets exactly one of them do it.
import { randomInt } from 'node:crypto';
import { ConflictError } from '../store/index.js';
import { newAccountId, newId } from './arn.js';
import { hashPassword } from './passwords.js';
import { createAccessKey } from './access-keys.js';
import { ADMINISTRATOR_ACCESS } from './arn.js';
import type { Transaction } from './common.js';
import type { OperationContext } from './context.js';

export function generatePassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#$%^&*()_+-='];
  const all = sets.join('');
  const chars = sets.map((s) => s.charAt(randomInt(s.length)));
  // randomInt draws uniformly (rejection sampling); a random byte modulo 71 would favour the first 43 characters.
  while (chars.length < 24) chars.push(all.charAt(randomInt(all.length)));
  for (let i = chars.length - 1; i > 0; i--) { const j = randomInt(i + 1); [chars[i], chars[j]] = [chars[j]!, chars[i]!]; } // i, j < length
  return chars.join('');
}

export interface BootstrapOptions {
  readonly db: OperationContext['db'];
  readonly store: OperationContext['store'];
  readonly secrets: Pick<OperationContext['secrets'], 'seal'>;
  /** The new account's id (default: random). */
  readonly accountId?: string | undefined;
  /** The root user's email (required: the account's root_email is NOT NULL). */
  readonly rootEmail: string;
  readonly now?: Date;
}

/** What the first start created (the credentials are shown once), or only the account it found. */
export type BootstrapResult =
  | { readonly created: false; readonly accountId: string }
  | {
    readonly created: true;
    readonly accountId: string;
    readonly root: { readonly email: string; readonly password: string };
    readonly admin: { readonly userName: string; readonly accessKeyId: string; readonly secretAccessKey: string };
  };

/** Returns { created: false, accountId } when the store already holds an installation. */
export async function bootstrap({ db, store, secrets, accountId, rootEmail, now = new Date() }: BootstrapOptions): Promise<BootstrapResult> {
  const existing = await store.getInstallation();
  if (existing) return { created: false, accountId: existing.accountId };
  const id = accountId ?? newAccountId();
  const rootPassword = generatePassword();
  const rootHash = await hashPassword(rootPassword);
  const when = now.toISOString();
  try {
    return await db.tx(async (tx: Transaction): Promise<BootstrapResult> => {
      await store.insertInstallation(id, when, tx);
      await store.insertAccount({ accountId: id, rootEmail: rootEmail, rootPasswordHash: rootHash, createdAt: when }, tx);
      const user = { userId: newId.user(), accountId: id, name: 'admin', path: '/', createdAt: when };
      await store.insertUser(user, tx);
      const group = { groupId: newId.group(), accountId: id, name: 'Administrators', path: '/', createdAt: when };
      await store.insertGroup(group, tx);
      await store.addMember(group.groupId, user.userId, when, tx);
      await store.attachPolicy(id, 'group', group.groupId, ADMINISTRATOR_ACCESS, when, tx);
      const ctx = { db, account: { accountId: id }, secrets, store, now };
      const key = await createAccessKey(ctx, user, tx);
      return {
        created: true,
        accountId: id,
        root: { email: rootEmail, password: rootPassword },
        admin: { userName: 'admin', accessKeyId: key.row.accessKeyId, secretAccessKey: key.secret },
      };
    });
  } catch (e) {
    if (e instanceof ConflictError) {
      const row = await store.getInstallation();
      if (row) return { created: false, accountId: row.accountId };
    }
    throw e;
  }
}
