// StreamedBlob (src/aws/streamed-blob.ts): GetCredentialReport's Content streamed as base64 inside the XML. The
// chunks' base64, concatenated, must be exactly the base64 of the whole bytes, whatever the chunk sizes; the
// announced length must match; and a source that yields fewer bytes than announced fails instead of sending a
// short response under a wrong content-length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { StreamedBlob, streamedBlobOf } from '../../src/aws/streamed-blob.js';

async function collect(it: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const s of it) out += s;
  return out;
}

test('the base64 of any chunking equals the base64 of the whole, with the announced length', async () => {
  const whole = randomBytes(10_000);
  for (const sizes of [[10_000], [1, 1, 1, 9_997], [2, 3, 5, 7, 11, 9_972], [0, 4_999, 0, 5_001], [3_333, 3_333, 3_334]]) {
    const blob = new StreamedBlob(whole.length, async function* () {
      let at = 0;
      for (const n of sizes) { yield whole.subarray(at, at + n); at += n; }
    });
    const b64 = await collect(blob.base64());
    assert.equal(b64, whole.toString('base64'), `chunks ${sizes.join('+')}`);
    assert.equal(b64.length, blob.base64Length);
  }
});

test('fewer bytes than announced is an error, not a short response', async () => {
  const blob = new StreamedBlob(10, async function* () { yield Buffer.from('12345'); });
  await assert.rejects(collect(blob.base64()), /5 bytes, announced 10/);
});

test('the placeholder is what a serializer writes for the blob, and the blob is found among the output members', () => {
  const blob = new StreamedBlob(0, async function* () { /* empty */ });
  assert.equal(Buffer.from(blob).toString('base64'), blob.placeholder); // what src/aws/xml.ts writes for a blob
  assert.equal(blob.placeholder.length, 32);
  assert.ok(!(blob.slice(0, 1) instanceof StreamedBlob), 'derived arrays are plain Uint8Arrays');
  assert.equal(streamedBlobOf({ Content: blob, ReportFormat: 'text/csv' }), blob);
  assert.equal(streamedBlobOf({ Content: new Uint8Array(3) }), undefined);
});
