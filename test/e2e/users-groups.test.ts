// Users and groups through the JS SDK: CRUD, paths, tags, case-insensitive names, DeleteConflict, paging.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects } from '../helpers/clients.js';
import * as I from '@aws-sdk/client-iam';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

let node: Node;
let client: I.IAMClient;
before(async () => { node = await startGatehouse(); client = iam(node); });
after(async () => { await node?.stop(); });

test('create, get, update and delete a user with a path and tags', async () => {
  const created = await client.send(new I.CreateUserCommand({ UserName: 'jane.doe', Path: '/engineering/', Tags: [{ Key: 'team', Value: 'platform' }] }));
  assert.equal(created.User!.UserName, 'jane.doe');
  assert.equal(created.User!.Path, '/engineering/');
  assert.equal(created.User!.Arn, `arn:aws:iam::${node.accountId}:user/engineering/jane.doe`);
  assert.match(created.User!.UserId!, /^AIDA[A-Z2-7]{17}$/);
  assert.ok(created.User!.CreateDate instanceof Date);
  assert.deepEqual(created.User!.Tags, [{ Key: 'team', Value: 'platform' }]);

  const got = await client.send(new I.GetUserCommand({ UserName: 'JANE.DOE' }));
  assert.equal(got.User!.UserName, 'jane.doe', 'names are looked up case-insensitively');
  assert.deepEqual(got.User!.Tags, [{ Key: 'team', Value: 'platform' }]);

  await client.send(new I.UpdateUserCommand({ UserName: 'jane.doe', NewUserName: 'jane.smith', NewPath: '/ops/' }));
  const moved = await client.send(new I.GetUserCommand({ UserName: 'jane.smith' }));
  assert.equal(moved.User!.Path, '/ops/');
  assert.equal(moved.User!.UserId, created.User!.UserId);
  const gone = await rejects(client.send(new I.GetUserCommand({ UserName: 'jane.doe' })));
  assert.equal(gone.name, 'NoSuchEntityException');
  assert.equal(gone.$metadata.httpStatusCode, 404);
  assert.equal(gone.message, 'The user with name jane.doe cannot be found.');

  await client.send(new I.DeleteUserCommand({ UserName: 'jane.smith' }));
  const deleted = await rejects(client.send(new I.DeleteUserCommand({ UserName: 'jane.smith' })));
  assert.equal(deleted.name, 'NoSuchEntityException');
});

test('user names are unique case-insensitively: EntityAlreadyExists (409)', async () => {
  await client.send(new I.CreateUserCommand({ UserName: 'Bob' }));
  const e = await rejects(client.send(new I.CreateUserCommand({ UserName: 'bob' })));
  assert.equal(e.name, 'EntityAlreadyExistsException');
  assert.equal(e.$metadata.httpStatusCode, 409);
  await client.send(new I.CreateUserCommand({ UserName: 'carol' }));
  const rename = await rejects(client.send(new I.UpdateUserCommand({ UserName: 'carol', NewUserName: 'BOB' })));
  assert.equal(rename.name, 'EntityAlreadyExistsException');
  assert.equal((await client.send(new I.GetUserCommand({ UserName: 'carol' }))).User!.UserName, 'carol', 'nothing changed');
});

test('GetUser without a name describes the caller', async () => {
  const me = await client.send(new I.GetUserCommand({}));
  assert.equal(me.User!.UserName, 'admin');
  assert.equal(me.User!.Arn, `arn:aws:iam::${node.accountId}:user/admin`);
});

test('tags: add, replace case-insensitively, list with paging, remove; at most 50', async () => {
  await client.send(new I.CreateUserCommand({ UserName: 'tagged' }));
  await client.send(new I.TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }, { Key: 'c', Value: '' }] }));
  await client.send(new I.TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'A', Value: 'one' }] }));
  const page1 = await client.send(new I.ListUserTagsCommand({ UserName: 'tagged', MaxItems: 2 }));
  assert.equal(page1.Tags!.length, 2);
  assert.equal(page1.IsTruncated, true);
  const page2 = await client.send(new I.ListUserTagsCommand({ UserName: 'tagged', Marker: page1.Marker }));
  assert.equal(page2.IsTruncated, false);
  const all = [...page1.Tags!, ...page2.Tags!];
  assert.deepEqual(all.map((t) => `${t.Key}=${t.Value}`).sort(), ['A=one', 'b=2', 'c='].sort());
  await client.send(new I.UntagUserCommand({ UserName: 'tagged', TagKeys: ['b', 'c'] }));
  assert.deepEqual((await client.send(new I.ListUserTagsCommand({ UserName: 'tagged' }))).Tags, [{ Key: 'A', Value: 'one' }]);
  const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  const e = await rejects(client.send(new I.TagUserCommand({ UserName: 'tagged', Tags: many })));
  assert.equal(e.name, 'LimitExceededException');
  assert.equal(e.$metadata.httpStatusCode, 409);
  assert.equal(e.message, 'The number of tags has reached the maximum limit of 50.');
  assert.equal((await client.send(new I.ListUserTagsCommand({ UserName: 'tagged' }))).Tags!.length, 1, 'a refused change loses nothing');
});

test('ListUsers pages with Marker/MaxItems/IsTruncated and filters by PathPrefix', async () => {
  for (let i = 0; i < 7; i++) await client.send(new I.CreateUserCommand({ UserName: `pager-${i}`, Path: i % 2 ? '/odd/' : '/even/' }));
  const seen: (string | undefined)[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const r: I.ListUsersResponse = await client.send(new I.ListUsersCommand({ PathPrefix: '/odd/', MaxItems: 2, Marker: marker }));
    seen.push(...r.Users!.map((u) => u.UserName));
    marker = r.IsTruncated ? r.Marker : undefined;
    pages++;
  } while (marker);
  assert.deepEqual(seen, ['pager-1', 'pager-3', 'pager-5']);
  assert.equal(pages, 2);
  const paginated: (string | undefined)[] = [];
  for await (const page of I.paginateListUsers({ client, pageSize: 3 }, {})) paginated.push(...page.Users!.map((u) => u.UserName));
  assert.ok(paginated.includes('admin') && paginated.includes('pager-6'));
  assert.equal(new Set(paginated).size, paginated.length);
  const bad = await rejects(client.send(new I.ListUsersCommand({ Marker: 'not-a-marker' })));
  assert.equal(bad.name, 'InvalidInputException');
  assert.equal(bad.$metadata.httpStatusCode, 400);
});

test('groups: create, membership, list both ways, rename, delete only when empty', async () => {
  const g = await client.send(new I.CreateGroupCommand({ GroupName: 'Developers', Path: '/teams/' }));
  assert.equal(g.Group!.Arn, `arn:aws:iam::${node.accountId}:group/teams/Developers`);
  assert.match(g.Group!.GroupId!, /^AGPA/);
  const dup = await rejects(client.send(new I.CreateGroupCommand({ GroupName: 'developers' })));
  assert.equal(dup.name, 'EntityAlreadyExistsException');
  await client.send(new I.CreateUserCommand({ UserName: 'dev1' }));
  await client.send(new I.CreateUserCommand({ UserName: 'dev2' }));
  await client.send(new I.AddUserToGroupCommand({ GroupName: 'Developers', UserName: 'dev1' }));
  await client.send(new I.AddUserToGroupCommand({ GroupName: 'developers', UserName: 'dev2' }));
  await client.send(new I.AddUserToGroupCommand({ GroupName: 'Developers', UserName: 'dev2' }));
  const members = await client.send(new I.GetGroupCommand({ GroupName: 'Developers' }));
  assert.deepEqual(members.Users!.map((u) => u.UserName), ['dev1', 'dev2']);
  const groups = await client.send(new I.ListGroupsForUserCommand({ UserName: 'dev1' }));
  assert.deepEqual(groups.Groups!.map((x) => x.GroupName), ['Developers']);
  const conflict = await rejects(client.send(new I.DeleteGroupCommand({ GroupName: 'Developers' })));
  assert.equal(conflict.name, 'DeleteConflictException');
  assert.equal(conflict.$metadata.httpStatusCode, 409);
  const userConflict = await rejects(client.send(new I.DeleteUserCommand({ UserName: 'dev1' })));
  assert.equal(userConflict.name, 'DeleteConflictException');
  await client.send(new I.UpdateGroupCommand({ GroupName: 'Developers', NewGroupName: 'Engineers' }));
  await client.send(new I.RemoveUserFromGroupCommand({ GroupName: 'Engineers', UserName: 'dev1' }));
  await client.send(new I.RemoveUserFromGroupCommand({ GroupName: 'Engineers', UserName: 'dev2' }));
  const notMember = await rejects(client.send(new I.RemoveUserFromGroupCommand({ GroupName: 'Engineers', UserName: 'dev2' })));
  assert.equal(notMember.name, 'NoSuchEntityException');
  await client.send(new I.DeleteGroupCommand({ GroupName: 'Engineers' }));
  await client.send(new I.DeleteUserCommand({ UserName: 'dev1' }));
  const list = await client.send(new I.ListGroupsCommand({}));
  assert.deepEqual(list.Groups!.map((x) => x.GroupName), ['Administrators']);
  const none = await rejects(client.send(new I.GetGroupCommand({ GroupName: 'Engineers' })));
  assert.equal(none.name, 'NoSuchEntityException');
});

test('DeleteUser is a DeleteConflict while keys or a login profile remain', async () => {
  await client.send(new I.CreateUserCommand({ UserName: 'leaving' }));
  const AccessKey = (await client.send(new I.CreateAccessKeyCommand({ UserName: 'leaving' }))).AccessKey!;
  await client.send(new I.CreateLoginProfileCommand({ UserName: 'leaving', Password: 'Correct-Horse-9' }));
  const e1 = await rejects(client.send(new I.DeleteUserCommand({ UserName: 'leaving' })));
  assert.equal(e1.name, 'DeleteConflictException');
  assert.match(e1.message, /access keys/);
  assert.match(e1.message, /login profile/);
  await client.send(new I.DeleteAccessKeyCommand({ UserName: 'leaving', AccessKeyId: AccessKey.AccessKeyId }));
  const e2 = await rejects(client.send(new I.DeleteUserCommand({ UserName: 'leaving' })));
  assert.equal(e2.name, 'DeleteConflictException');
  await client.send(new I.DeleteLoginProfileCommand({ UserName: 'leaving' }));
  await client.send(new I.DeleteUserCommand({ UserName: 'leaving' }));
});

// LocalStack's AWS-validated test_create_user_with_permission_boundary: CreateUser and GetUser carry the boundary
// with PermissionsBoundaryType "Policy"; listings (ListUsers, GetGroup's Users) leave it out, as AWS's do.
test('permissions boundary on users: echoed by CreateUser and GetUser as type "Policy", absent from ListUsers and GetGroup', async () => {
  const policy = (await client.send(new I.CreatePolicyCommand({
    PolicyName: 'UserBoundary', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }),
  }))).Policy;
  const want = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: policy!.Arn };
  const created = await client.send(new I.CreateUserCommand({ UserName: 'bounded-user', Path: '/bounded/', PermissionsBoundary: policy!.Arn }));
  assert.deepEqual(created.User!.PermissionsBoundary, want);
  assert.deepEqual((await client.send(new I.GetUserCommand({ UserName: 'bounded-user' }))).User!.PermissionsBoundary, want);
  const listed = (await client.send(new I.ListUsersCommand({ PathPrefix: '/bounded/' }))).Users!;
  assert.deepEqual(listed.map((u) => u.UserName), ['bounded-user']);
  assert.equal(listed[0]!.PermissionsBoundary, undefined);
  await client.send(new I.CreateGroupCommand({ GroupName: 'bounded-group' }));
  await client.send(new I.AddUserToGroupCommand({ GroupName: 'bounded-group', UserName: 'bounded-user' }));
  const members = (await client.send(new I.GetGroupCommand({ GroupName: 'bounded-group' }))).Users!;
  assert.deepEqual(members.map((u) => [u.UserName, u.PermissionsBoundary]), [['bounded-user', undefined]]);

  // A boundary naming no policy: NoSuchEntity, and no user is created.
  const missing = `arn:aws:iam::${node.accountId}:policy/NoSuchBoundary`;
  const e = await rejects(client.send(new I.CreateUserCommand({ UserName: 'unbounded', PermissionsBoundary: missing })));
  assert.equal(e.name, 'NoSuchEntityException');
  assert.equal(e.$metadata.httpStatusCode, 404);
  assert.equal(e.message, `Scope ARN: ${missing} does not exist or is not attachable.`);
  assert.equal((await rejects(client.send(new I.GetUserCommand({ UserName: 'unbounded' })))).name, 'NoSuchEntityException');
});
