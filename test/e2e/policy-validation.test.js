// Policy documents at the wire: what IAM rejects when a document is written (MalformedPolicyDocument, or
// InvalidInput for the simulator's inputs), through the JS SDK, the aws CLI and boto3; and policy variables in
// ARN conditions deciding real requests end to end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects, awsCli, NO_AWS_CLI } from '../helpers/clients.js';
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

async function userWithKey(name) {
  await send(new I.CreateUserCommand({ UserName: name }));
  const { AccessKey } = await send(new I.CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
}

test('${aws:PrincipalAccount} before the fifth colon, in ArnLike/ArnNotLike and in Resource, decides real requests', async () => {
  const alice = await userWithKey('arn-alice');
  const bob = await userWithKey('arn-bob');
  const me = 'arn:aws:iam::${aws:PrincipalAccount}:user/arn-alice';
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'OnlyAliceLists', Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': me } } },
      { Sid: 'GroupsForAll', Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*' },
      { Sid: 'GroupsDeniedToOthers', Effect: 'Deny', Action: 'iam:ListGroups', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': me } } },
      { Sid: 'OwnUser', Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}' },
    ],
  });
  const { Policy } = await send(new I.CreatePolicyCommand({ PolicyName: 'ArnVariables', PolicyDocument: policy }));
  for (const u of ['arn-alice', 'arn-bob']) await send(new I.AttachUserPolicyCommand({ UserName: u, PolicyArn: Policy.Arn }));

  const asAlice = iam(node, alice);
  const asBob = iam(node, bob);
  // ArnLike matches alice (it never matched anyone while the variable was split at its colon).
  assert.ok((await asAlice.send(new I.ListUsersCommand({}))).Users.length >= 2);
  const listBob = await rejects(asBob.send(new I.ListUsersCommand({})));
  assert.equal(listBob.name, 'AccessDenied');
  assert.equal(listBob.$metadata.httpStatusCode, 403);
  // ArnNotLike is false for alice (it was true for everyone, so the Deny hit alice too).
  await asAlice.send(new I.ListGroupsCommand({}));
  const groupsBob = await rejects(asBob.send(new I.ListGroupsCommand({})));
  assert.equal(groupsBob.name, 'AccessDenied');
  assert.match(groupsBob.message, /with an explicit deny in an identity-based policy/);
  // Resource with the variable in the account segment.
  assert.equal((await asAlice.send(new I.GetUserCommand({ UserName: 'arn-alice' }))).User.UserName, 'arn-alice');
  assert.equal((await asBob.send(new I.GetUserCommand({ UserName: 'arn-bob' }))).User.UserName, 'arn-bob');
  const cross = await rejects(asBob.send(new I.GetUserCommand({ UserName: 'arn-alice' })));
  assert.equal(cross.name, 'AccessDenied');

  // The simulator agrees, and lists the variable among the context keys.
  const sim = async (user) => (await send(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${node.accountId}:user/${user}`, ActionNames: ['iam:ListUsers', 'iam:ListGroups'] }))).EvaluationResults.map((r) => r.EvalDecision);
  assert.deepEqual(await sim('arn-alice'), ['allowed', 'allowed']);
  assert.deepEqual(await sim('arn-bob'), ['implicitDeny', 'explicitDeny']);
  const keys = await send(new I.GetContextKeysForCustomPolicyCommand({ PolicyInputList: [policy] }));
  assert.deepEqual(keys.ContextKeyNames, ['aws:PrincipalAccount', 'aws:PrincipalArn', 'aws:username']);
});

test('aws CLI: the ArnNotLike Deny with ${aws:PrincipalAccount} spares the named user only', { skip: NO_AWS_CLI }, async () => {
  const carol = await userWithKey('cli-carol');
  const dave = await userWithKey('cli-dave');
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*' },
      { Effect: 'Deny', Action: 'iam:ListGroups', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:user/cli-carol' } } },
    ],
  });
  for (const u of ['cli-carol', 'cli-dave']) await send(new I.PutUserPolicyCommand({ UserName: u, PolicyName: 'OnlyCarol', PolicyDocument: policy }));
  const ok = await awsCli(node, ['iam', 'list-groups'], carol);
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(Array.isArray(ok.json.Groups));
  const denied = await awsCli(node, ['iam', 'list-groups'], dave);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /\(AccessDenied\) when calling the ListGroups operation/);
});
