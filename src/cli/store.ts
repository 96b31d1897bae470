// Opening an existing store from an admin command (hardware-tokens, root-access-key): the same --data/--database
// and master key as the server, never creating either.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { IamStore } from '../store/iam-store.js';
import type { MfaStore } from '../store/mfa-store.js';
import type { SecretBox } from '../store/secrets.js';

/** What an admin command works with: the same store, account and master key as the server. */
export interface ExistingStore {
  readonly db: IamStore['db'];
  readonly store: IamStore;
  readonly mfaStore: MfaStore;
  readonly secrets: SecretBox;
  readonly account: NonNullable<Awaited<ReturnType<IamStore['firstAccount']>>>;
}

/** Opens the store and the master key the server uses, refusing to create either. */
export async function openExistingStore(o: { readonly data: string; readonly database: string | undefined }): Promise<ExistingStore> {
  const dataDir = resolve(o.data);
  if (!o.database && !existsSync(join(dataDir, 'gatehouse.db'))) {
    throw new Error(`no Gatehouse store in ${dataDir}: pass --data (or --database) as given to gatehouse serve, or start the server once first`);
  }
  const { openDatabase } = await import('../store/index.js');
  const { IamStore } = await import('../store/iam-store.js');
  const { MfaStore } = await import('../store/mfa-store.js');
  const { openMasterKey } = await import('../store/secrets.js');
  const db = await openDatabase({ dataDir, databaseUrl: o.database });
  try {
    const store = new IamStore(db);
    const account = await store.firstAccount();
    if (!account) throw new Error('the store has no account yet: start gatehouse serve once first');
    // The same check as the server: a key that does not match the store's sentinel would seal seeds nobody can open.
    const secrets = await openMasterKey(db, dataDir, process.env.GATEHOUSE_MASTER_KEY);
    return { db, store, mfaStore: new MfaStore(db), secrets, account };
  } catch (e) {
    await db.close();
    throw e;
  }
}
