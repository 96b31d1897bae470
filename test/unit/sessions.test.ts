// Temporary credentials expire: the resolver refuses a session at and after its expiry with ExpiredToken,
// checked with a controlled clock instead of waiting 15 minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createCredentialResolver } from '../../src/iam/principals.js';
import { SecretBox } from '../../src/store/secrets.js';
import { ServiceError } from '../../src/errors.js';
import { toAwsError } from '../../src/aws/errors.js';
import type { UserPrincipal } from '../../src/iam/context.js';

type ResolverDeps = Parameters<typeof createCredentialResolver>[0];

const box = new SecretBox(randomBytes(32));
const token = 'GHtoken-for-tests';
const issued = Date.UTC(2026, 0, 1, 12, 0, 0);
const row = {
  accessKeyId: 'ASIAAAAAAAAAAAAAAAAA', accountId: '123456789012', source: 'GetSessionToken', principalType: 'user',
  principalId: 'AIDAX', uid: 'AIDAX', userName: 'jane', userPath: '/', sessionName: null,
  secretEnc: box.seal('s'.repeat(40), 'sts-session:ASIAAAAAAAAAAAAAAAAA'),
  tokenHash: createHash('sha256').update(token).digest('hex'),
  issuedAt: new Date(issued).toISOString(), expiresAtMs: issued + 900_000, mfaAuthenticatedAt: new Date(issued).toISOString(),
  account: { accountId: '123456789012', alias: null, passwordPolicy: null, createdAt: new Date(issued).toISOString() },
};
// The session carries the fields the resolver reads (not every joined role field).
const sessions = { resolve: async (id: string) => (id === row.accessKeyId ? row : undefined) } as ResolverDeps['sessions'];
// The store answers long-term keys only: never asked here (every key is a session's, ASIA…).
const store = {} as ResolverDeps['store'];

function resolverAt(ms: number) {
  return createCredentialResolver({ store, sessions, secrets: box, clock: () => ms });
}

test('a session resolves before expiry, with its MFA context and the user as principal', async () => {
  const r = await resolverAt(issued + 899_999).resolve(row.accessKeyId, { sessionToken: token });
  const principal = r?.principal as UserPrincipal; // a user's session (principal_type user): the user
  assert.equal(r?.secret, 's'.repeat(40));
  assert.equal(principal.kind, 'user');
  assert.equal(principal.arn, 'arn:aws:iam::123456789012:user/jane');
  assert.equal(principal.session?.mfaAuthenticatedAt?.getTime(), issued);
  assert.equal(principal.session?.source, 'GetSessionToken');
});

test('at and after expiry the session is ExpiredToken', async () => {
  for (const t of [issued + 900_000, issued + 10 * 3600_000]) {
    await assert.rejects(resolverAt(t).resolve(row.accessKeyId, { sessionToken: token }), (e: unknown) => e instanceof ServiceError && e.code === 'ExpiredToken' && toAwsError(e).status === 403); // the status it answers with
  }
});

test('a wrong or missing session token is InvalidClientTokenId, even before expiry', async () => {
  for (const sessionToken of [undefined, 'GHother', token.slice(0, -1)]) {
    await assert.rejects(resolverAt(issued).resolve(row.accessKeyId, { sessionToken }), (e: unknown) => e instanceof ServiceError && e.code === 'InvalidClientTokenId');
  }
  assert.equal(await resolverAt(issued).resolve('ASIABBBBBBBBBBBBBBBB', { sessionToken: token }), null);
});
