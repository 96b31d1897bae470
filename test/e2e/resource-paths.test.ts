// Named users, groups and roles are authorised under their full ARN, path included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects } from '../helpers/clients.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

let node: Node;
let admin: I.IAMClient;
before(async () => { node = await startGatehouse(); admin = iam(node); });
after(async () => { await node?.stop(); });

test('a policy on user/eng/*, group/eng/* and role/eng/* reaches exactly the entities under /eng/', async () => {
  const acct = node.accountId;
  await admin.send(new I.CreateUserCommand({ UserName: 'eng-lead' }));
  await admin.send(new I.PutUserPolicyCommand({
    UserName: 'eng-lead',
    PolicyName: 'eng-only',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:GetGroup', 'iam:GetRole'], Resource: [`arn:aws:iam::${acct}:user/eng/*`, `arn:aws:iam::${acct}:group/eng/*`, `arn:aws:iam::${acct}:role/eng/*`] }] }),
  }));
  const { AccessKey } = await admin.send(new I.CreateAccessKeyCommand({ UserName: 'eng-lead' }));
  assert.ok(AccessKey?.AccessKeyId && AccessKey.SecretAccessKey, 'CreateAccessKey returned a key');
  const lead = iam(node, { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey });
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: acct }, Action: 'sts:AssumeRole' }] });
  for (const path of ['/eng/', '/ops/']) {
    const tag = path.slice(1, -1);
    await admin.send(new I.CreateUserCommand({ UserName: `${tag}-user`, Path: path }));
    await admin.send(new I.CreateGroupCommand({ GroupName: `${tag}-group`, Path: path }));
    await admin.send(new I.CreateRoleCommand({ RoleName: `${tag}-role`, Path: path, AssumeRolePolicyDocument: trust }));
  }
  assert.equal((await lead.send(new I.GetUserCommand({ UserName: 'eng-user' }))).User?.Path, '/eng/');
  assert.equal((await lead.send(new I.GetGroupCommand({ GroupName: 'eng-group' }))).Group?.Path, '/eng/');
  assert.equal((await lead.send(new I.GetRoleCommand({ RoleName: 'eng-role' }))).Role?.Path, '/eng/');
  const u = await rejects(lead.send(new I.GetUserCommand({ UserName: 'ops-user' })));
  assert.equal(u.name, 'AccessDenied');
  assert.match(u.message, new RegExp(`on resource: arn:aws:iam::${acct}:user/ops/ops-user `));
  assert.equal((await rejects(lead.send(new I.GetGroupCommand({ GroupName: 'ops-group' })))).name, 'AccessDenied');
  assert.equal((await rejects(lead.send(new I.GetRoleCommand({ RoleName: 'ops-role' })))).name, 'AccessDenied');
});
