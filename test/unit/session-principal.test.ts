// The principal of an STS session: its originating identity (what the MFA throttle reset checks), its session
// tags and policies as stored, and the decrypted-secret cache staying bounded under a flood of session keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createCredentialResolver, originOf, rootPrincipal, userPrincipal, SECRET_CACHE_LIMIT } from '../../src/iam/principals.js';
import { SecretBox } from '../../src/store/secrets.js';
import type { RolePrincipal } from '../../src/iam/context.js';

type ResolverDeps = Parameters<typeof createCredentialResolver>[0];

const box = new SecretBox(randomBytes(32));
const token = 'GHtoken-for-tests';
const now = Date.UTC(2026, 0, 1, 12, 0, 0);

function sessionRow(id: string, extra: Record<string, unknown> = {}) {
  return {
    accessKeyId: id, accountId: '123456789012', source: 'AssumeRole', principalType: 'role', principalId: 'AROAX', rid: 'AROAX',
    roleName: 'Desk', rolePath: '/ops/', sessionName: 's', secretEnc: box.seal('s'.repeat(40), `sts-session:${id}`),
    tokenHash: createHash('sha256').update(token).digest('hex'), issuedAt: new Date(now).toISOString(), expiresAtMs: now + 900_000,
    mfaAuthenticatedAt: null, account: { accountId: '123456789012', createdAt: new Date(now).toISOString() }, ...extra,
  };
}

function resolverFor(rows: ReturnType<typeof sessionRow>[]) {
  const byId = new Map(rows.map((r) => [r.accessKeyId, r]));
  // The store answers long-term keys only: never asked here (every key is a session's, ASIA…).
  const store = {} as ResolverDeps['store'];
  // The rows carry the session columns the resolver reads (not every joined user and account column).
  const sessions = { resolve: async (id: string) => byId.get(id) } as ResolverDeps['sessions'];
  return createCredentialResolver({ store, sessions, secrets: box, clock: () => now });
}

test('a role session carries the origin, session tags, transitive keys, session policies and source identity stored with it', async () => {
  const row = sessionRow('ASIAORIGIN0000000001', {
    originType: 'user', originId: 'AIDALENA', sourceIdentity: 'lena',
    sessionTags: [{ Key: 'team', Value: 'ops' }], transitiveTagKeys: ['team'],
    sessionPolicy: '{"Version":"2012-10-17","Statement":[]}', sessionPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  });
  const resolved = await resolverFor([row]).resolve(row.accessKeyId, { sessionToken: token });
  const principal = resolved?.principal as RolePrincipal; // a role session (principal_type role): the assumed role
  assert.deepEqual(originOf(principal), { type: 'user', id: 'AIDALENA' });
  assert.equal(principal.roleArn, 'arn:aws:iam::123456789012:role/ops/Desk');
  assert.deepEqual(principal.session?.tags, [{ Key: 'team', Value: 'ops' }]);
  assert.deepEqual(principal.session?.transitiveTagKeys, ['team']);
  assert.equal(principal.session?.sourceIdentity, 'lena');
  assert.deepEqual(principal.session?.policyArns, ['arn:aws:iam::aws:policy/ReadOnlyAccess']);
});

test('origins: long-term keys are their own origin; a role session without a recorded origin has none', async () => {
  assert.deepEqual(originOf(rootPrincipal('123456789012', 'AKIA')), { type: 'root', id: '123456789012' });
  assert.deepEqual(originOf(userPrincipal('123456789012', { userId: 'AIDAU', name: 'u', path: '/' }, 'AKIA')), { type: 'user', id: 'AIDAU' });
  for (const extra of [{}, { originType: 'unknown', originId: 'AROAX' }]) {
    const row = sessionRow('ASIAORIGIN0000000002', extra);
    const resolved = await resolverFor([row]).resolve(row.accessKeyId, { sessionToken: token });
    assert.equal(originOf(resolved?.principal as RolePrincipal), null); // a role session: the assumed role
  }
});

test(`the decrypted-secret cache holds at most ${SECRET_CACHE_LIMIT} keys, evicting the oldest`, async () => {
  const rows = Array.from({ length: SECRET_CACHE_LIMIT + 50 }, (_, i) => sessionRow(`ASIA${String(i).padStart(16, '0')}`));
  const resolver = resolverFor(rows);
  for (const r of rows) await resolver.resolve(r.accessKeyId, { sessionToken: token });
  assert.equal(resolver.cachedSecrets, SECRET_CACHE_LIMIT);
  // The most recent keys still resolve (from the cache or not, with the right secret).
  const last = rows[rows.length - 1];
  assert.equal((await resolver.resolve(last?.accessKeyId ?? '', { sessionToken: token }))?.secret, 's'.repeat(40));
});
