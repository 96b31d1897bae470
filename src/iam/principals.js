// Who signed a request: access key → principal (root or IAM user). Decrypted secrets are cached by key id
// (a key's secret never changes); status and owner are read on every request so a deactivated or deleted
// key is refused at once, on every node.
import { arn } from './arn.js';

export function rootPrincipal(accountId, accessKeyId) {
  return { kind: 'root', accountId, userId: accountId, arn: arn.root(accountId), accessKeyId };
}

export function userPrincipal(accountId, user, accessKeyId) {
  return {
    kind: 'user',
    accountId,
    userId: user.user_id,
    userName: user.name,
    path: user.path,
    arn: arn.user(accountId, user.path, user.name),
    accessKeyId,
  };
}

export function createCredentialResolver({ store, secrets }) {
  const secretCache = new Map();
  function secretOf(row) {
    let cached = secretCache.get(row.access_key_id);
    if (!cached || cached.enc !== row.secret_enc) {
      cached = { enc: row.secret_enc, secret: secrets.open(row.secret_enc, `access-key:${row.access_key_id}`).toString('utf8') };
      if (secretCache.size > 50000) secretCache.clear();
      secretCache.set(row.access_key_id, cached);
    }
    return cached.secret;
  }

  return {
    async resolve(accessKeyId) {
      const row = await store.credentialForKey(accessKeyId);
      if (!row || row.status !== 'Active') return null;
      const principal = row.user_id
        ? userPrincipal(row.account_id, { user_id: row.uid, name: row.user_name, path: row.user_path }, accessKeyId)
        : rootPrincipal(row.account_id, accessKeyId);
      const account = {
        account_id: row.account_id,
        alias: row.acct_alias,
        root_email: row.acct_root_email,
        root_password_changed_at: row.acct_root_password_changed_at,
        root_password_last_used: row.acct_root_password_last_used,
        password_policy: row.acct_password_policy,
        created_at: row.acct_created_at,
      };
      return { secret: secretOf(row), principal, account };
    },
    forget(accessKeyId) { secretCache.delete(accessKeyId); },
  };
}
