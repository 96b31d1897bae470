// The committed operation types must be what the generator makes from the vendored models today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateAll } from '../../src/aws/models/generate-types.js';

test('the generated model types are up to date with the vendored models (regenerate: node dist/src/aws/models/generate-types.js)', () => {
  const expected = generateAll();
  assert.ok(Object.keys(expected).length >= 2);
  for (const [path, text] of Object.entries(expected)) {
    assert.equal(readFileSync(path, 'utf8'), text, `${path} is stale`);
  }
});

test('the operation map types handlers: a required member is required, an enum is a union', async () => {
  const { generateTypes } = await import('../../src/aws/models/generate-types.js');
  const text = generateTypes({
    metadata: { apiVersion: 'x', protocol: 'query', endpointPrefix: 'x' },
    operations: { Op: { name: 'Op', input: { shape: 'In' }, errors: [{ shape: 'Boom' }] } },
    shapes: {
      In: { type: 'structure', required: ['A'], members: { A: { shape: 's' }, B: { shape: 'e' }, C: { shape: 'l' } } },
      s: { type: 'string' },
      e: { type: 'string', enum: ['x', 'y'] },
      l: { type: 'list', member: { shape: 't' } },
      t: { type: 'timestamp' },
      Boom: { type: 'structure', members: {}, exception: true, error: { code: 'Boom', httpStatusCode: 400 } },
    },
  }, 'test.json');
  assert.match(text, /export type e = 'x' \| 'y';/);
  assert.match(text, /export interface In \{\n  A: string;\n  B\?: e;\n  C\?: Date\[\];\n\}/);
  assert.match(text, /Op: \{ input: In; output: Record<string, never>; errors: 'Boom' \};/);
});
