// SecretBox: AES-256-GCM with a 16-byte tag fixed on open, values bound to their row, key ids that do not
// reveal the key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { masterKeyId, SecretBox } from '../../src/store/secrets.js';

const box = new SecretBox(randomBytes(32));

test('a sealed value opens under its key and row only', () => {
  const sealed = box.seal('secret', 'access-key:AKIA1');
  assert.equal(box.open(sealed, 'access-key:AKIA1').toString(), 'secret');
  assert.throws(() => box.open(sealed, 'access-key:AKIA2'), { code: 'SECRET_UNREADABLE' });
  assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, 'access-key:AKIA1'), { code: 'SECRET_UNREADABLE' });
});

test('a value with a truncated tag is refused: the tag length is fixed at 16 bytes', () => {
  // An empty secret sealed, then its tag cut to 4 bytes: GCM would accept a 4-byte tag unless the length is fixed.
  const raw = Buffer.from(box.seal('', 'row').slice(3), 'base64');
  assert.equal(raw.length, 28);
  for (const tagBytes of [4, 8, 12, 15]) {
    const truncated = `v1:${raw.subarray(0, 12 + tagBytes).toString('base64')}`;
    assert.throws(() => box.open(truncated, 'row'), { code: 'SECRET_UNREADABLE' }, `${tagBytes}-byte tag`);
  }
  assert.throws(() => box.open('v1:', 'row'), { code: 'SECRET_UNREADABLE' });
  assert.throws(() => box.open('v0:AAAA', 'row'), { code: 'SECRET_UNREADABLE' });
});

test('the key id is stable, differs between keys, and is not the key', () => {
  const key = randomBytes(32);
  assert.equal(masterKeyId(key), masterKeyId(Buffer.from(key)));
  assert.match(masterKeyId(key), /^[0-9a-f]{16}$/);
  assert.notEqual(masterKeyId(key), masterKeyId(randomBytes(32)));
  assert.ok(!key.toString('hex').includes(masterKeyId(key)));
  assert.equal(new SecretBox(key).keyId, masterKeyId(key));
});
