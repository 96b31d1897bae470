// Two Gatehouse processes sharing one PostgreSQL database: a policy change made through one node applies to the
// very next request on the other (the authz_version counter the authoriser checks per request). PostgreSQL only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { startTwoNodes, MULTINODE_SKIP } from '../helpers/server.js';
import { iam, rejects } from '../helpers/clients.js';
import type { SdkError } from '../helpers/clients.js';

const skip = MULTINODE_SKIP;
const doc = (statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

type Node = Awaited<ReturnType<typeof startTwoNodes>>['a'];
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

let nodes: Awaited<ReturnType<typeof startTwoNodes>> | undefined;
let a: Node;
let b: Node;
before(async () => {
  if (skip) return;
  nodes = await startTwoNodes();
  ({ a, b } = nodes);
});
after(async () => { await nodes?.stop(); });

async function isDenied(promise: Promise<unknown>): Promise<boolean> {
  try { await promise; return false; } catch (caught) { const e = caught as SdkError; assert.equal(e.name, 'AccessDenied', e.message); return true; } // an SDK call rejects with the SDK's error
}

test('attach, new default version, inline Deny, membership and boundary changes on node A apply on node B at once', { skip }, async () => {
  const adminA = iam(a);
  await adminA.send(new I.CreateUserCommand({ UserName: 'dana' }));
  const AccessKey = (await adminA.send(new I.CreateAccessKeyCommand({ UserName: 'dana' }))).AccessKey!;
  const onB = iam(b, { accessKeyId: AccessKey.AccessKeyId!, secretAccessKey: AccessKey.SecretAccessKey! });
  const list = () => onB.send(new I.ListRolesCommand({}));

  assert.equal(await isDenied(list()), true, 'nothing attached yet (and B has now cached that)');
  const Policy = (await adminA.send(new I.CreatePolicyCommand({ PolicyName: 'Roles', PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }]) }))).Policy!;
  await adminA.send(new I.AttachUserPolicyCommand({ UserName: 'dana', PolicyArn: Policy.Arn }));
  assert.equal(await isDenied(list()), false, 'attached on A: allowed on B');

  await adminA.send(new I.CreatePolicyVersionCommand({ PolicyArn: Policy.Arn, PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*' }]), SetAsDefault: true }));
  assert.equal(await isDenied(list()), true, 'new default version on A: denied on B');
  await adminA.send(new I.SetDefaultPolicyVersionCommand({ PolicyArn: Policy.Arn, VersionId: 'v1' }));
  assert.equal(await isDenied(list()), false);

  await adminA.send(new I.PutUserPolicyCommand({ UserName: 'dana', PolicyName: 'deny', PolicyDocument: doc([{ Effect: 'Deny', Action: '*', Resource: '*' }]) }));
  const e = await rejects(list());
  assert.match(e.message, /with an explicit deny in an identity-based policy$/);
  await adminA.send(new I.DeleteUserPolicyCommand({ UserName: 'dana', PolicyName: 'deny' }));
  assert.equal(await isDenied(list()), false);

  await adminA.send(new I.PutUserPermissionsBoundaryCommand({ UserName: 'dana', PermissionsBoundary: 'arn:aws:iam::aws:policy/IAMUserChangePassword' }));
  assert.equal(await isDenied(list()), true, 'boundary set on A: denied on B');
  await adminA.send(new I.DeleteUserPermissionsBoundaryCommand({ UserName: 'dana' }));
  await adminA.send(new I.DetachUserPolicyCommand({ UserName: 'dana', PolicyArn: Policy.Arn }));
  assert.equal(await isDenied(list()), true, 'detached on A: denied on B');

  // Group membership is changed by groups.ts, which does not bump the counter: the stamp includes the groups.
  await adminA.send(new I.AddUserToGroupCommand({ UserName: 'dana', GroupName: 'Administrators' }));
  assert.equal(await isDenied(list()), false, 'joined Administrators on A: allowed on B');
  await adminA.send(new I.RemoveUserFromGroupCommand({ UserName: 'dana', GroupName: 'Administrators' }));
  assert.equal(await isDenied(list()), true);
});

test('resource tags changed on node A decide aws:ResourceTag conditions on node B at once (users, and the caller itself)', { skip }, async () => {
  const adminA = iam(a);
  await adminA.send(new I.CreateUserCommand({ UserName: 'warden' }));
  await adminA.send(new I.PutUserPolicyCommand({ UserName: 'warden', PolicyName: 'p', PolicyDocument: doc([
    { Effect: 'Allow', Action: ['iam:TagUser', 'iam:ListUserTags'], Resource: '*' },
    { Effect: 'Deny', Action: ['iam:TagUser', 'iam:ListUserTags'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/frozen': 'yes' } } },
  ]) }));
  await adminA.send(new I.CreateUserCommand({ UserName: 'ward' }));
  const AccessKey = (await adminA.send(new I.CreateAccessKeyCommand({ UserName: 'warden' }))).AccessKey!;
  const onB = iam(b, { accessKeyId: AccessKey.AccessKeyId!, secretAccessKey: AccessKey.SecretAccessKey! });
  await onB.send(new I.TagUserCommand({ UserName: 'ward', Tags: [{ Key: 'seen', Value: 'b' }] }));
  await adminA.send(new I.TagUserCommand({ UserName: 'ward', Tags: [{ Key: 'frozen', Value: 'yes' }] }));
  const e = await rejects(onB.send(new I.TagUserCommand({ UserName: 'ward', Tags: [{ Key: 'again', Value: 'b' }] })));
  assert.equal(e.name, 'AccessDenied');
  assert.equal(e.$metadata.httpStatusCode, 403);
  assert.match(e.message, /with an explicit deny in an identity-based policy$/);
  // The caller's own tags come with its credential: tagging itself on A applies on B's next request.
  await onB.send(new I.ListUserTagsCommand({ UserName: 'warden' }));
  await adminA.send(new I.TagUserCommand({ UserName: 'warden', Tags: [{ Key: 'frozen', Value: 'yes' }] }));
  assert.equal(await isDenied(onB.send(new I.ListUserTagsCommand({ UserName: 'warden' }))), true);
});
