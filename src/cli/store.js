// Opening an existing store from an admin command (hardware-tokens, root-access-key): the same --data/--database
// and master key as the server, never creating either.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Opens the store and the master key the server uses, refusing to create either. */
export async function openExistingStore(o) {
  const dataDir = resolve(o.data);
  if (!o.database && !existsSync(join(dataDir, 'gatehouse.db'))) {
    throw new Error(`no Gatehouse store in ${dataDir}: pass --data (or --database) as given to gatehouse serve, or start the server once first`);
  }
  const envKey = process.env.GATEHOUSE_MASTER_KEY;
  if (!envKey && !existsSync(join(dataDir, 'master.key'))) {
    throw new Error(`no master key: set GATEHOUSE_MASTER_KEY or pass the --data folder that holds master.key (the server's key seals the seeds)`);
  }
  const { openDatabase } = await import('../store/index.js');
  const { IamStore } = await import('../store/iam-store.js');
  const { MfaStore } = await import('../store/mfa-store.js');
  const { loadMasterKey, SecretBox } = await import('../store/secrets.js');
  const secrets = new SecretBox(loadMasterKey({ dataDir, envKey }));
  const db = await openDatabase({ dataDir, databaseUrl: o.database });
  try {
    const store = new IamStore(db);
    const account = await store.firstAccount();
    if (!account) throw new Error('the store has no account yet: start gatehouse serve once first');
    // A key that cannot open the secrets already stored is the wrong key: sealing seeds with it would lose them.
    const probe = await db.get('SELECT access_key_id, secret_enc FROM access_keys WHERE account_id = ? LIMIT 1', [account.account_id]);
    if (probe) {
      try { secrets.open(probe.secret_enc, `access-key:${probe.access_key_id}`); } catch {
        throw new Error('the master key does not match this store (it cannot open the secrets already in it): check GATEHOUSE_MASTER_KEY or --data');
      }
    }
    return { db, store, mfaStore: new MfaStore(db), secrets, account };
  } catch (e) {
    await db.close();
    throw e;
  }
}

