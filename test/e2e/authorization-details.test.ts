// GetAccountAuthorizationDetails through the JS SDK v3, the aws CLI (which pages on its own) and boto3's paginator:
// every detail list with its inline documents, memberships, attachments, boundaries and tags; Filter; paging over
// the combined list with Marker/MaxItems; which AWS-managed policies are reported; the permission it needs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects, awsCli, boto3, NO_AWS_CLI, NO_BOTO3 } from '../helpers/clients.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

let node: Node;
let client: I.IAMClient;
let acct: string;
// Any IAM command through the admin's client (the SDK's send is overloaded per command; this keeps each output type).
type IamCommand<In extends I.ServiceInputTypes, Out extends I.ServiceOutputTypes> = I.$Command<In, Out, I.IAMClientResolvedConfig, I.ServiceInputTypes, I.ServiceOutputTypes>;
const send = <In extends I.ServiceInputTypes, Out extends I.ServiceOutputTypes>(cmd: IamCommand<In, Out>): Promise<Out> => client.send(cmd);
const doc = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const TRUST = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
const USER_INLINE = doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' });
const GROUP_INLINE = doc({ Effect: 'Deny', Action: 'iam:Delete*', Resource: '*' });
const ROLE_INLINE = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' });
const V1 = doc({ Effect: 'Allow', Action: 'iam:List*', Resource: '*' });
const V2 = doc({ Effect: 'Allow', Action: ['iam:List*', 'iam:Get*'], Resource: '*' });
const BOUNDARY = doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' });

/** Policy documents come URL-encoded (the JS SDK leaves them so): decode and parse. */
const json = (encoded: string | undefined): unknown => { assert.match(encoded!, /^%7B/, 'URL-encoded on the wire'); return JSON.parse(decodeURIComponent(encoded!)); };

before(async () => {
  node = await startGatehouse();
  client = iam(node);
  acct = node.accountId;
  // Users: 'alice' (inline, two groups, a local and an AWS-managed policy, boundary, tags); 'bob' (nothing).
  await send(new I.CreateUserCommand({ UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'platform' }] }));
  await send(new I.CreateUserCommand({ UserName: 'bob' }));
  await send(new I.PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'self', PolicyDocument: USER_INLINE }));
  await send(new I.CreateGroupCommand({ GroupName: 'devs', Path: '/teams/' }));
  await send(new I.PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'no-deletes', PolicyDocument: GROUP_INLINE }));
  await send(new I.AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
  await send(new I.AddUserToGroupCommand({ GroupName: 'Administrators', UserName: 'alice' }));
  const local = (await send(new I.CreatePolicyCommand({ PolicyName: 'lister', PolicyDocument: V1, Description: 'lists things' }))).Policy!;
  await send(new I.CreatePolicyVersionCommand({ PolicyArn: local.Arn, PolicyDocument: V2, SetAsDefault: true }));
  const boundary = (await send(new I.CreatePolicyCommand({ PolicyName: 'iam-only', PolicyDocument: BOUNDARY }))).Policy!;
  await send(new I.CreatePolicyCommand({ PolicyName: 'unused', PolicyDocument: V1 }));
  await send(new I.AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: local.Arn }));
  await send(new I.AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }));
  await send(new I.PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: boundary.Arn }));
  await send(new I.AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: local.Arn }));
  // Role: trust policy, inline, an AWS-managed policy, an AWS-managed boundary (used only as a boundary), tags.
  await send(new I.CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'env', Value: 'prod' }], PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }));
  await send(new I.PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'read-bucket', PolicyDocument: ROLE_INLINE }));
  await send(new I.AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' }));
});
after(async () => { await node?.stop(); });

test('all five lists in one answer: users, groups, roles, customer managed and the AWS-managed policies in use', async () => {
  const r = await send(new I.GetAccountAuthorizationDetailsCommand({}));
  assert.equal(r.IsTruncated, false);
  assert.equal(r.Marker, undefined);

  const users = r.UserDetailList!;
  assert.deepEqual(users.map((u) => u.UserName), ['admin', 'alice', 'bob']);
  const alice = users[1]!;
  assert.equal(alice.Path, '/eng/');
  assert.equal(alice.Arn, `arn:aws:iam::${acct}:user/eng/alice`);
  assert.match(alice.UserId!, /^AIDA/);
  assert.ok(alice.CreateDate instanceof Date);
  assert.deepEqual(alice.UserPolicyList!.map((p) => [p.PolicyName, json(p.PolicyDocument)]), [['self', JSON.parse(USER_INLINE)]]);
  assert.deepEqual(alice.GroupList, ['Administrators', 'devs']);
  assert.deepEqual(alice.AttachedManagedPolicies, [
    { PolicyName: 'lister', PolicyArn: `arn:aws:iam::${acct}:policy/lister` },
    { PolicyName: 'SecurityAudit', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' },
  ]);
  assert.deepEqual(alice.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: `arn:aws:iam::${acct}:policy/iam-only` });
  assert.deepEqual(alice.Tags, [{ Key: 'team', Value: 'platform' }]);
  const bob = users[2]!;
  assert.deepEqual([bob.UserPolicyList, bob.GroupList, bob.AttachedManagedPolicies, bob.PermissionsBoundary, bob.Tags], [[], [], [], undefined, undefined]);

  const groups = r.GroupDetailList!;
  assert.deepEqual(groups.map((g) => g.GroupName), ['Administrators', 'devs']);
  const devs = groups[1]!;
  assert.equal(devs.Arn, `arn:aws:iam::${acct}:group/teams/devs`);
  assert.deepEqual(devs.GroupPolicyList!.map((p) => [p.PolicyName, json(p.PolicyDocument)]), [['no-deletes', JSON.parse(GROUP_INLINE)]]);
  assert.deepEqual(devs.AttachedManagedPolicies, [{ PolicyName: 'lister', PolicyArn: `arn:aws:iam::${acct}:policy/lister` }]);
  assert.deepEqual(groups[0]!.AttachedManagedPolicies, [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);

  const roles = r.RoleDetailList!;
  assert.deepEqual(roles.map((x) => x.RoleName), ['worker']);
  const worker = roles[0]!;
  assert.deepEqual(json(worker.AssumeRolePolicyDocument), JSON.parse(TRUST));
  assert.deepEqual(worker.InstanceProfileList, []);
  assert.deepEqual(worker.RolePolicyList!.map((p) => [p.PolicyName, json(p.PolicyDocument)]), [['read-bucket', JSON.parse(ROLE_INLINE)]]);
  assert.deepEqual(worker.AttachedManagedPolicies, [{ PolicyName: 'ViewOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' }]);
  assert.deepEqual(worker.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' });
  assert.deepEqual(worker.Tags, [{ Key: 'env', Value: 'prod' }]);
  assert.deepEqual(worker.RoleLastUsed, {});

  // Customer managed policies (all, used or not) with every version; then the AWS-managed ones the account uses —
  // attached (AdministratorAccess, SecurityAudit, ViewOnlyAccess) or a boundary (PowerUserAccess) — and no others.
  const policies = r.Policies!;
  assert.deepEqual(policies.map((p) => p.PolicyName), ['iam-only', 'lister', 'unused', 'AdministratorAccess', 'PowerUserAccess', 'SecurityAudit', 'ViewOnlyAccess']);
  const lister = policies[1]!;
  assert.deepEqual([lister.DefaultVersionId, lister.AttachmentCount, lister.PermissionsBoundaryUsageCount, lister.IsAttachable, lister.Description], ['v2', 2, 0, true, 'lists things']);
  assert.deepEqual(lister.PolicyVersionList!.map((v) => [v.VersionId, v.IsDefaultVersion, json(v.Document)]), [['v2', true, JSON.parse(V2)], ['v1', false, JSON.parse(V1)]]);
  assert.deepEqual([policies[0]!.AttachmentCount, policies[0]!.PermissionsBoundaryUsageCount], [0, 1]);
  const power = policies.find((p) => p.PolicyName === 'PowerUserAccess')!;
  assert.deepEqual([power.Arn, power.AttachmentCount, power.PermissionsBoundaryUsageCount], ['arn:aws:iam::aws:policy/PowerUserAccess', 0, 1]);
  const sa = policies.find((p) => p.PolicyName === 'SecurityAudit')!;
  const saVersion = (await send(new I.GetPolicyCommand({ PolicyArn: sa.Arn }))).Policy!.DefaultVersionId;
  assert.deepEqual(sa.PolicyVersionList!.map((v) => [v.VersionId, v.IsDefaultVersion]), [[saVersion, true]]);
  const saDoc = (await send(new I.GetPolicyVersionCommand({ PolicyArn: sa.Arn, VersionId: saVersion }))).PolicyVersion!.Document;
  assert.deepEqual(json(sa.PolicyVersionList![0]!.Document), json(saDoc));
  assert.equal(policies.find((p) => p.PolicyName === 'ViewOnlyAccess')!.Path, '/job-function/');
});

test('Filter keeps only the kinds asked for', async () => {
  // One name per entry, whatever its kind (each detail type has one of these name fields).
  type Named = { UserName?: string; GroupName?: string; RoleName?: string; PolicyName?: string };
  const names = (r: I.GetAccountAuthorizationDetailsCommandOutput) => ([r.UserDetailList!, r.GroupDetailList!, r.RoleDetailList!, r.Policies!] as Named[][]).map((l) => l.map((x) => x.UserName ?? x.GroupName ?? x.RoleName ?? x.PolicyName)); // each list's entries are Named
  assert.deepEqual(names(await send(new I.GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }))), [[], [], ['worker'], []]);
  assert.deepEqual(names(await send(new I.GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'Group'] }))), [['admin', 'alice', 'bob'], ['Administrators', 'devs'], [], []]);
  assert.deepEqual(names(await send(new I.GetAccountAuthorizationDetailsCommand({ Filter: ['LocalManagedPolicy'] }))), [[], [], [], ['iam-only', 'lister', 'unused']]);
  assert.deepEqual(names(await send(new I.GetAccountAuthorizationDetailsCommand({ Filter: ['AWSManagedPolicy'] }))), [[], [], [], ['AdministratorAccess', 'PowerUserAccess', 'SecurityAudit', 'ViewOnlyAccess']]);
  const bad = await rejects(send(new I.GetAccountAuthorizationDetailsCommand({ Filter: ['Users' as I.EntityType] }))); // 'Users': deliberately not an EntityType
  assert.equal(bad.name, 'ValidationError');
  assert.equal(bad.$metadata.httpStatusCode, 400);
});

test('paging: MaxItems counts entries of every kind; the Marker carries on across kinds; a bad Marker is InvalidInput', async () => {
  const flat = (r: I.GetAccountAuthorizationDetailsCommandOutput): string[] => [...r.UserDetailList!.map((x) => `U:${x.UserName}`), ...r.GroupDetailList!.map((x) => `G:${x.GroupName}`), ...r.RoleDetailList!.map((x) => `R:${x.RoleName}`), ...r.Policies!.map((x) => `P:${x.PolicyName}`)];
  const whole = flat(await send(new I.GetAccountAuthorizationDetailsCommand({ MaxItems: 1000 })));
  assert.equal(whole.length, 3 + 2 + 1 + 3 + 4);
  for (const size of [1, 2, 5]) {
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const r = await send(new I.GetAccountAuthorizationDetailsCommand({ MaxItems: size, ...(marker ? { Marker: marker } : {}) }));
      const got = flat(r);
      assert.ok(got.length <= size);
      if (r.IsTruncated) { assert.equal(got.length, size); assert.ok(r.Marker); } else assert.equal(r.Marker, undefined);
      seen.push(...got);
      marker = r.IsTruncated ? r.Marker : undefined;
      pages++;
      assert.ok(pages <= whole.length + 1, 'the Marker moves on');
    } while (marker);
    assert.deepEqual(seen, whole, `MaxItems ${size}`);
    assert.equal(pages, Math.ceil(whole.length / size));
  }
  // Paging within a filter.
  const first = await send(new I.GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'AWSManagedPolicy'], MaxItems: 3 }));
  assert.deepEqual(flat(first), ['U:admin', 'U:alice', 'U:bob']);
  assert.equal(first.IsTruncated, true);
  const next = await send(new I.GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'AWSManagedPolicy'], MaxItems: 3, Marker: first.Marker }));
  assert.deepEqual(flat(next), ['P:AdministratorAccess', 'P:PowerUserAccess', 'P:SecurityAudit']);
  const bad = await rejects(send(new I.GetAccountAuthorizationDetailsCommand({ Marker: 'not-a-marker' })));
  assert.equal(bad.name, 'InvalidInputException');
  assert.equal(bad.$metadata.httpStatusCode, 400);
});

test('needs iam:GetAccountAuthorizationDetails (on *)', async () => {
  await send(new I.CreateUserCommand({ UserName: 'auditor' }));
  const key = (await send(new I.CreateAccessKeyCommand({ UserName: 'auditor' }))).AccessKey!;
  const auditor = iam(node, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
  const denied = await rejects(auditor.send(new I.GetAccountAuthorizationDetailsCommand({})));
  assert.equal(denied.name, 'AccessDenied');
  assert.equal(denied.$metadata.httpStatusCode, 403);
  assert.equal(denied.message, `User: arn:aws:iam::${acct}:user/auditor is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: * because no identity-based policy allows the iam:GetAccountAuthorizationDetails action`);
  await send(new I.PutUserPolicyCommand({ UserName: 'auditor', PolicyName: 'gaad', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:GetAccountAuthorizationDetails', Resource: '*' }) }));
  const r = await auditor.send(new I.GetAccountAuthorizationDetailsCommand({ Filter: ['User'] }));
  assert.ok(r.UserDetailList!.some((u) => u.UserName === 'auditor'));
  await send(new I.DeleteUserPolicyCommand({ UserName: 'auditor', PolicyName: 'gaad' }));
  await send(new I.DeleteAccessKeyCommand({ UserName: 'auditor', AccessKeyId: key.AccessKeyId }));
  await send(new I.DeleteUserCommand({ UserName: 'auditor' }));
});

/** The parts of the aws CLI's get-account-authorization-details output read here (it decodes the documents). */
interface GaadCli {
  UserDetailList: { UserName: string; UserPolicyList: { PolicyName: string; PolicyDocument: unknown }[] }[];
  GroupDetailList: { GroupName: string }[];
  RoleDetailList: { RoleName: string; AssumeRolePolicyDocument: unknown }[];
  Policies: { PolicyName: string }[];
}

test('aws CLI: get-account-authorization-details pages on its own and decodes the documents', { skip: NO_AWS_CLI }, async () => {
  const r = await awsCli(node, ['iam', 'get-account-authorization-details', '--page-size', '2']);
  assert.ok(r.ok, r.stderr);
  const j = r.json as GaadCli; // the CLI's output: the SDK's shape with the documents decoded to JSON
  assert.deepEqual(j.UserDetailList.map((u) => u.UserName), ['admin', 'alice', 'bob']);
  assert.deepEqual(j.GroupDetailList.map((g) => g.GroupName), ['Administrators', 'devs']);
  assert.deepEqual(j.RoleDetailList.map((x) => x.RoleName), ['worker']);
  assert.deepEqual(j.Policies.map((p) => p.PolicyName), ['iam-only', 'lister', 'unused', 'AdministratorAccess', 'PowerUserAccess', 'SecurityAudit', 'ViewOnlyAccess']);
  assert.deepEqual(j.RoleDetailList[0]!.AssumeRolePolicyDocument, JSON.parse(TRUST));
  assert.deepEqual(j.UserDetailList[1]!.UserPolicyList, [{ PolicyName: 'self', PolicyDocument: JSON.parse(USER_INLINE) }]);
  const roles = (await awsCli(node, ['iam', 'get-account-authorization-details', '--filter', 'Role', 'LocalManagedPolicy'])).json as GaadCli; // the CLI's output
  assert.deepEqual([roles.UserDetailList.length, roles.RoleDetailList.length, roles.Policies.length], [0, 1, 3]);
});

test("boto3: the get_account_authorization_details paginator (as ScoutSuite and Prowler use it)", { skip: NO_BOTO3 }, async () => {
  const out = await boto3(node, `
res = {'UserDetailList': [], 'GroupDetailList': [], 'RoleDetailList': [], 'Policies': []}
pages = 0
for page in iam.get_paginator('get_account_authorization_details').paginate(PaginationConfig={'PageSize': 1}):
    pages += 1
    for k in res: res[k].extend(page[k])
roles = [p for page in iam.get_paginator('get_account_authorization_details').paginate(Filter=['Role']) for p in page['RoleDetailList']]
out({'pages': pages,
     'users': [u['UserName'] for u in res['UserDetailList']],
     'policies': [p['PolicyName'] for p in res['Policies']],
     'aliceInline': res['UserDetailList'][1]['UserPolicyList'],
     'listerVersions': [[v['VersionId'], v['IsDefaultVersion'], v['Document']] for v in res['Policies'][1]['PolicyVersionList']],
     'roleTrust': roles[0]['AssumeRolePolicyDocument'],
     'boundary': res['UserDetailList'][1]['PermissionsBoundary']})
`) as { pages: number; users: string[]; policies: string[]; aliceInline: unknown; listerVersions: unknown; roleTrust: unknown; boundary: unknown }; // what the snippet prints
  assert.equal(out.pages, 13);
  assert.deepEqual(out.users, ['admin', 'alice', 'bob']);
  assert.deepEqual(out.policies, ['iam-only', 'lister', 'unused', 'AdministratorAccess', 'PowerUserAccess', 'SecurityAudit', 'ViewOnlyAccess']);
  assert.deepEqual(out.aliceInline, [{ PolicyName: 'self', PolicyDocument: JSON.parse(USER_INLINE) }]);
  assert.deepEqual(out.listerVersions, [['v2', true, JSON.parse(V2)], ['v1', false, JSON.parse(V1)]]);
  assert.deepEqual(out.roleTrust, JSON.parse(TRUST));
  assert.deepEqual(out.boundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: `arn:aws:iam::${acct}:policy/iam-only` });
});
