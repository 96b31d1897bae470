// Sign-in's first factor does the same work whoever is named: a wrong password, an unknown user, an unknown
// account id, an unknown alias and an unknown root email each cost exactly one argon2id check, and for the unknown
// ones it is of a dummy hash made with the same parameters as real ones. (Counted here rather than timed: timing
// assertions fail on a loaded machine and prove less.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IamStore } from '../../src/store/iam-store.js';
import { MfaStore } from '../../src/store/mfa-store.js';
import { ConsoleStore } from '../../src/store/console-store.js';
import { hashPassword, verifyPassword } from '../../src/iam/passwords.js';
import { checkPassword } from '../../src/signin/password.js';
import type { PasswordAttempt } from '../../src/signin/password.js';
import { withStore } from '../helpers/server.js';

const ACCOUNT = '123456789012';
const PASSWORD = 'Right-Passw0rd!';
/** An argon2id hash's algorithm, version and cost parameters: everything but salt and digest. */
const params = (hash: string): string => hash.split('$').slice(0, 4).join('$');

test('an unknown user, account, alias or root email costs one argon2id check of a hash with the real parameters', async () => {
  await withStore('sqlite', async (db) => {
    const store = new IamStore(db);
    const when = new Date(Date.UTC(2026, 10, 30)).toISOString();
    const rootHash = await hashPassword(PASSWORD);
    await store.insertAccount({ accountId: ACCOUNT, rootEmail: 'root@example.com', rootPasswordHash: rootHash, createdAt: when });
    await store.insertUser({ userId: 'AIDAALICE', accountId: ACCOUNT, name: 'alice', path: '/', createdAt: when });
    const aliceHash = await hashPassword(PASSWORD);
    await store.insertLoginProfile({ userId: 'AIDAALICE', passwordHash: aliceHash, passwordChangedAt: when, createdAt: when });
    const checked: string[] = [];
    const deps = {
      store, mfaStore: new MfaStore(db), consoleStore: new ConsoleStore(db),
      verify: (hash: string, password: string) => { checked.push(hash); return verifyPassword(hash, password); },
    };
    const attempts: [PasswordAttempt, 'real' | 'dummy', boolean][] = [
      [{ kind: 'user', account: ACCOUNT, userName: 'alice', password: PASSWORD }, 'real', true],
      [{ kind: 'user', account: ACCOUNT, userName: 'alice', password: 'wrong' }, 'real', false],
      [{ kind: 'user', account: ACCOUNT, userName: 'nobody', password: PASSWORD }, 'dummy', false],
      [{ kind: 'user', account: '999999999999', userName: 'alice', password: PASSWORD }, 'dummy', false],
      [{ kind: 'user', account: 'no-such-alias', userName: 'alice', password: PASSWORD }, 'dummy', false],
      [{ kind: 'root', email: 'nobody@example.com', password: PASSWORD }, 'dummy', false],
      [{ kind: 'root', email: 'ROOT@example.com', password: PASSWORD }, 'real', true],
    ];
    for (const [i, [attempt, which, ok]] of attempts.entries()) {
      checked.length = 0;
      const r = await checkPassword(deps, attempt, `198.51.100.${i}`, new Date());
      assert.equal(r.ok, ok, JSON.stringify(attempt));
      if (!r.ok) assert.equal(r.reason, 'invalid');
      assert.equal(checked.length, 1, 'exactly one argon2id check');
      const hash = checked[0]!;
      assert.match(hash, /^\$argon2id\$/);
      assert.equal(params(hash), params(aliceHash), 'the same cost parameters as a real hash');
      if (which === 'real') assert.ok(hash === aliceHash || hash === rootHash);
      else assert.ok(hash !== aliceHash && hash !== rootHash, 'an unknown name is checked against the dummy hash');
    }
  });
});
