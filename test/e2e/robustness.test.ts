// Every operation in the IAM and STS service models, called with no parameters and with nonsense in every
// top-level member, answers with an AWS error or a success — never a 5xx — and the server keeps serving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startGatehouse } from '../helpers/server.js';
import { formRequest, sign, send, errorCode } from '../helpers/raw.js';
import { sourcePath } from '../../src/paths.js';

/** The parts of a service model (src/aws/models/*.json) this test reads. */
interface ServiceModel {
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, { members?: Record<string, unknown> }>;
}
const load = (f: string): ServiceModel => JSON.parse(readFileSync(sourcePath('src', 'aws', 'models', f), 'utf8')) as ServiceModel; // AWS's model JSON, as shipped
const services: [string, string, ServiceModel][] = [['iam', '2010-05-08', load('iam-2010-05-08.json')], ['sts', '2011-06-15', load('sts-2011-06-15.json')]];

let node: Awaited<ReturnType<typeof startGatehouse>>;
before(async () => { node = await startGatehouse(); });
after(async () => { await node?.stop(); });

const NONSENSE = ['', 'x', '-1', '99999999999999999999', '%00', 'arn:aws:iam::000000000000:user/../..', '{"Version":', 'a'.repeat(3000)];

test('no parameters, then nonsense in every member: never a 5xx, for every modeled operation', async () => {
  let calls = 0;
  const codes = new Set<unknown>();
  for (const [service, version, model] of services) {
    for (const [op, def] of Object.entries(model.operations)) {
      const members = def.input ? Object.keys(model.shapes[def.input.shape]!.members ?? {}) : []; // every input shape is in the model
      const variants = [{}, ...NONSENSE.map((v) => Object.fromEntries(members.map((m) => [m, v])))];
      for (const params of variants) {
        const r = await send(node, await sign(formRequest(node, { Action: op, Version: version, ...params }), node.admin, { service }));
        calls++;
        assert.ok(r.status < 500, `${op} ${JSON.stringify(params).slice(0, 80)} → ${r.status} ${r.text.slice(0, 300)}`);
        if (r.status >= 400) {
          assert.ok(errorCode(r), `${op}: an AWS error envelope`);
          codes.add(errorCode(r));
        }
      }
    }
  }
  assert.ok(calls > 1000);
  for (const expected of ['ValidationError', 'InvalidAction']) assert.ok(codes.has(expected), expected);
  const health = await fetch(`${node.endpoint}/healthz`);
  assert.equal(health.status, 200);
});
