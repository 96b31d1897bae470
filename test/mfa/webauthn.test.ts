// The pure WebAuthn functions (src/mfa/webauthn.ts) and the public URL they take the relying party from: options
// as AWS sets them for a second factor, malformed or oversized browser answers refused without throwing, and the
// cloned-key counter rule (WebAuthn §6.1.1). The ceremonies themselves run in a real browser in
// test/e2e/console-webauthn.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  relyingParty, registrationOptions, authenticationOptions, verifyRegistration, verifyAssertion, assertionCredentialId,
  counterWentBackwards, MAX_RESPONSE_CHARS,
} from '../../src/mfa/webauthn.js';
import { deviceTypeOf, kindOfSerial, strategyFor } from '../../src/mfa/devices.js';

const rp = relyingParty('http://localhost:4555');

test('the relying party comes from the public URL: host name as RP id, origin with the port', () => {
  assert.deepEqual(rp, { id: 'localhost', origin: 'http://localhost:4555', name: 'Gatehouse' });
  assert.deepEqual(relyingParty('https://iam.example.com'), { id: 'iam.example.com', origin: 'https://iam.example.com', name: 'Gatehouse' });
});

test('registration options: attestation none, resident key and user verification discouraged, known keys excluded', async () => {
  const o = await registrationOptions(rp, { id: new TextEncoder().encode('user:AIDAEXAMPLE'), name: 'bob@123456789012', displayName: 'bob@123456789012' },
    [{ id: 'AAAA', transports: ['usb', 'bogus'] }]);
  assert.equal(o.attestation, 'none');
  assert.equal(o.rp.id, 'localhost');
  assert.equal(o.authenticatorSelection?.residentKey, 'discouraged');
  assert.equal(o.authenticatorSelection?.userVerification, 'discouraged');
  assert.deepEqual(o.excludeCredentials, [{ id: 'AAAA', type: 'public-key', transports: ['usb'] }]);
  assert.match(o.challenge, /^[\w-]{32,}$/);
  const a = await authenticationOptions(rp, [{ id: 'AAAA', transports: ['internal'] }]);
  assert.equal(a.userVerification, 'discouraged');
  assert.equal(a.rpId, 'localhost');
  assert.deepEqual(a.allowCredentials, [{ id: 'AAAA', type: 'public-key', transports: ['internal'] }]);
  assert.notEqual(a.challenge, o.challenge);
});

test('malformed, forged or oversized browser answers are refused, never thrown', async () => {
  const credential = { id: 'AAAA', publicKey: new Uint8Array(77), transports: [] };
  for (const text of ['', 'null', '[]', '{"id":1}', '{"id":"AAAA"}', '{"id":"AAAA","response":{}}', `{"id":"${'A'.repeat(MAX_RESPONSE_CHARS)}","response":{}}`,
    JSON.stringify({ id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'eyJ9', attestationObject: 'o2Nm', authenticatorData: 'AA', signature: 'AA' }, clientExtensionResults: {} })]) {
    assert.equal((await verifyRegistration(rp, text, 'challenge')).ok, false, text.slice(0, 60));
    assert.equal((await verifyAssertion(rp, text, 'challenge', credential)).ok, false, text.slice(0, 60));
  }
  assert.equal(assertionCredentialId('{"id":"AbC-_9","response":{}}'), 'AbC-_9');
  assert.equal(assertionCredentialId('{"id":"a b"}'), null);
  assert.equal(assertionCredentialId('{'), null);
});

test('a counter that does not move forward is a clone, unless the authenticator keeps none (always 0)', () => {
  assert.equal(counterWentBackwards(0, 0), false);
  assert.equal(counterWentBackwards(0, 1), false);
  assert.equal(counterWentBackwards(5, 6), false);
  assert.equal(counterWentBackwards(5, 5), true);
  assert.equal(counterWentBackwards(5, 1), true);
  assert.equal(counterWentBackwards(5, 0), true);
});

test('each kind of MFA device behind one interface: FIDO devices take no codes and are deleted on deactivation', () => {
  assert.equal(deviceTypeOf('fido').factor, 'webauthn');
  assert.equal(strategyFor('fido'), null);
  assert.equal(deviceTypeOf('fido').onDeactivate, 'delete');
  assert.ok(strategyFor('virtual'));
  assert.equal(deviceTypeOf('hardware').onDeactivate, 'unassign');
  assert.throws(() => deviceTypeOf('sms'), /unknown MFA device kind/);
  assert.equal(kindOfSerial('arn:aws:iam::123456789012:u2f/user/Bob/key-7XNL7NFNLZ123456789EXAMPLE'), 'fido');
  assert.equal(kindOfSerial('arn:aws:iam::123456789012:mfa/Bob'), 'virtual');
  assert.equal(kindOfSerial('GAHT12345678'), 'hardware');
});
