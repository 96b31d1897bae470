// Policy documents at the wire: what IAM rejects when a document is written (MalformedPolicyDocument, or
// InvalidInput for the simulator's inputs), through the JS SDK, the aws CLI and boto3; and policy variables in
// ARN conditions deciding real requests end to end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects } from '../helpers/clients.js';
import * as I from '@aws-sdk/client-iam';

let node;
let client;
before(async () => {
  node = await startGatehouse();
  client = iam(node);
  await client.send(new I.CreateUserCommand({ UserName: 'target' }));
});
after(async () => { await node?.stop(); });

const send = (cmd) => client.send(cmd);

/** The AWS error of a call that must fail: its code (SDK exception name), HTTP status and message. */
async function failure(cmd) {
  const e = await rejects(send(cmd));
  return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
}

test('deeply nested JSON is MalformedPolicyDocument / InvalidInput, never a 500', async () => {
  const deep = '['.repeat(20000) + ']'.repeat(20000);
  const docs = [
    '['.repeat(20000),
    `{"Version":"2012-10-17","Statement":[{"Effect":${deep},"Action":"*","Resource":"*"}]}`,
    `{"Version":${deep},"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
  ];
  for (const d of docs) {
    assert.deepEqual(await failure(new I.PutUserPolicyCommand({ UserName: 'target', PolicyName: 'deep', PolicyDocument: d })),
      { name: 'MalformedPolicyDocumentException', status: 400, message: 'Syntax errors in policy.' });
    const sim = await failure(new I.SimulateCustomPolicyCommand({ PolicyInputList: [d], ActionNames: ['iam:GetUser'] }));
    assert.equal(sim.name, 'InvalidInputException');
    assert.equal(sim.status, 400);
    assert.match(sim.message, /^PolicyInputList\.1: Syntax errors in policy\./);
    const keys = await failure(new I.GetContextKeysForCustomPolicyCommand({ PolicyInputList: [d] }));
    assert.equal(keys.name, 'InvalidInputException');
    assert.equal(keys.status, 400);
  }
  // Under the managed-policy size quota (6,144), so the nesting is what gets rejected.
  const shallower = '['.repeat(3000) + ']'.repeat(3000);
  assert.deepEqual(await failure(new I.CreatePolicyCommand({ PolicyName: 'deep', PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":${shallower},"Action":"*","Resource":"*"}]}` })),
    { name: 'MalformedPolicyDocumentException', status: 400, message: 'Syntax errors in policy.' });
  const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":${deep}}}]}`;
  assert.deepEqual(await failure(new I.CreateRoleCommand({ RoleName: 'deep', AssumeRolePolicyDocument: trust })),
    { name: 'MalformedPolicyDocumentException', status: 400, message: 'Syntax errors in policy.' });
  // The server is still answering.
  assert.equal((await send(new I.GetUserCommand({ UserName: 'target' }))).User.UserName, 'target');
});
