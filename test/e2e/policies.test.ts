// Managed and inline policies, versions, attachments, roles and permissions boundaries through the JS SDK (and the
// aws CLI and boto3 for the wire details): behaviour, quotas and AWS's errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects, awsCli, boto3, NO_AWS_CLI, NO_BOTO3, keyCreds } from '../helpers/clients.js';
import * as I from '@aws-sdk/client-iam';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
import type { Credentials as Creds } from '../helpers/server.js';
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

let node: Node;
let client: I.IAMClient;
before(async () => { node = await startGatehouse(); client = iam(node); });
after(async () => { await node?.stop(); });

const doc = (statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ALLOW_GET_USER = doc([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }]);
const ALLOW_LIST_USERS = doc([{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]);
/** The parts of a policy document's JSON this file reads. */
interface PolicyDocument { Statement: { Action?: string | string[] }[] }
const TRUST_EC2 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
// Any IAM command through the admin's client (the SDK's send is overloaded per command; this keeps each output type).
type IamCommand<In extends I.ServiceInputTypes, Out extends I.ServiceOutputTypes> = I.$Command<In, Out, I.IAMClientResolvedConfig, I.ServiceInputTypes, I.ServiceOutputTypes>;
const send = <In extends I.ServiceInputTypes, Out extends I.ServiceOutputTypes>(cmd: IamCommand<In, Out>): Promise<Out> => client.send(cmd);

test('CreatePolicy / GetPolicy / ListPolicies / DeletePolicy with paths, descriptions and tags', async () => {
  const created = await send(new I.CreatePolicyCommand({ PolicyName: 'ReadUsers', Path: '/team/', PolicyDocument: ALLOW_GET_USER, Description: 'read users', Tags: [{ Key: 'k', Value: 'v' }] }));
  const p = created.Policy!;
  assert.equal(p.Arn, `arn:aws:iam::${node.accountId}:policy/team/ReadUsers`);
  assert.match(p.PolicyId!, /^ANPA[A-Z2-7]{17}$/);
  assert.equal(p.DefaultVersionId, 'v1');
  assert.equal(p.AttachmentCount, 0);
  assert.equal(p.IsAttachable, true);
  assert.deepEqual(p.Tags, [{ Key: 'k', Value: 'v' }]);
  assert.equal(p.Description, undefined, "CreatePolicy's answer does not echo the description, as on AWS");

  const got = (await send(new I.GetPolicyCommand({ PolicyArn: p.Arn }))).Policy!;
  assert.equal(got.Description, 'read users');
  assert.deepEqual(got.Tags, [{ Key: 'k', Value: 'v' }]);
  assert.equal(got.PolicyName, 'ReadUsers');
  assert.equal(got.Path, '/team/');

  const dup = await rejects(send(new I.CreatePolicyCommand({ PolicyName: 'readusers', PolicyDocument: ALLOW_GET_USER })));
  assert.equal(dup.name, 'EntityAlreadyExistsException');
  assert.equal(dup.$metadata.httpStatusCode, 409);
  assert.equal(dup.message, 'A policy called readusers already exists. Duplicate names are not allowed.');

  const local = await send(new I.ListPoliciesCommand({ Scope: 'Local' }));
  assert.deepEqual(local.Policies!.map((x) => x.PolicyName), ['ReadUsers']);
  const byPath = await send(new I.ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/other/' }));
  assert.equal(byPath.Policies!.length, 0);

  await send(new I.DeletePolicyCommand({ PolicyArn: p.Arn }));
  const gone = await rejects(send(new I.GetPolicyCommand({ PolicyArn: p.Arn })));
  assert.equal(gone.name, 'NoSuchEntityException');
  assert.equal(gone.$metadata.httpStatusCode, 404);
  assert.equal(gone.message, `Policy ${p.Arn} was not found.`);
});

test("AWS-managed policies: AWS's whole catalogue, paged with Marker/MaxItems, with AWS's paths, ids and default versions", async () => {
  const all: I.Policy[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page: I.ListPoliciesResponse = await send(new I.ListPoliciesCommand({ Scope: 'AWS', MaxItems: 250, ...(marker ? { Marker: marker } : {}) }));
    assert.ok(page.Policies!.length <= 250);
    all.push(...page.Policies!);
    marker = page.IsTruncated ? page.Marker : undefined;
    if (page.IsTruncated) assert.equal(page.Policies!.length, 250, 'a truncated page is full');
    pages++;
    assert.ok(pages <= 20, 'the Marker moves on');
  } while (marker);
  assert.ok(all.length > 1000, `${all.length} AWS-managed policies`);
  assert.equal(pages, Math.ceil(all.length / 250));
  assert.equal(new Set(all.map((p) => p.Arn)).size, all.length, 'no policy twice across pages');
  assert.ok(all.every((p) => p.Arn === `arn:aws:iam::aws:policy${p.Path}${p.PolicyName}` && /^ANPA[A-Z0-9]{17}$/.test(p.PolicyId!) && /^v\d+$/.test(p.DefaultVersionId!)));
  const by = Object.fromEntries(all.map((p) => [p.PolicyName, p]));
  // AWS's ids and paths (AWS's own list-policies answer, as the data source recorded it).
  assert.deepEqual([by.AdministratorAccess.PolicyId, by.AdministratorAccess.Path, by.AdministratorAccess.DefaultVersionId], ['ANPAIWMBCKSKIEE64ZLYK', '/', 'v1']);
  assert.deepEqual([by.ReadOnlyAccess.PolicyId, by.SecurityAudit.PolicyId, by.IAMReadOnlyAccess.PolicyId], ['ANPAILL3HVNFSB6DCOWYQ', 'ANPAIX2T3QCXHR2OGGCTO', 'ANPAJKSO7NDY4T57MWDSQ']);
  for (const n of ['ViewOnlyAccess', 'Billing', 'SupportUser', 'SystemAdministrator', 'DatabaseAdministrator', 'DataScientist', 'NetworkAdministrator']) assert.equal(by[n].Path, '/job-function/', n);
  assert.equal(by.AWSLambdaBasicExecutionRole.Arn, 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
  assert.equal(by.AWSLambdaExecute.Arn, 'arn:aws:iam::aws:policy/AWSLambdaExecute');
  assert.equal(by.AmazonECSServiceRolePolicy.Path, '/aws-service-role/');
  assert.equal(by.PowerUserAccess.Path, '/');
  assert.equal(by.AWSConfigRole.IsAttachable, false, 'AWS marks it not attachable');
  assert.equal(by.AdministratorAccess.AttachmentCount, 1, 'the bootstrap attaches it to Administrators');
  // Sorted by name, case-insensitively; the whole list is the same whatever the page size.
  const names = all.map((p) => p.PolicyName!.toLowerCase());
  assert.deepEqual(names, [...names].sort());
  const big = await send(new I.ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000 }));
  assert.deepEqual(big.Policies!.map((p) => p.PolicyName), all.slice(0, 1000).map((p) => p.PolicyName));
  const byPath = await send(new I.ListPoliciesCommand({ Scope: 'AWS', PathPrefix: '/job-function/' }));
  assert.deepEqual(byPath.Policies!.map((p) => p.PolicyName).sort(), ['AWSManagementConsoleAdministratorAccess', 'Billing', 'DataScientist', 'DatabaseAdministrator', 'NetworkAdministrator', 'SupportUser', 'SystemAdministrator', 'ViewOnlyAccess'].sort());

  // GetPolicy / GetPolicyVersion / ListPolicyVersions on them: the default version, as AWS numbers it.
  const sa = (await send(new I.GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }))).Policy!;
  assert.equal(sa.DefaultVersionId, by.SecurityAudit.DefaultVersionId);
  assert.equal(sa.UpdateDate!.getTime(), by['SecurityAudit']!.UpdateDate!.getTime());
  const versions = (await send(new I.ListPolicyVersionsCommand({ PolicyArn: sa.Arn }))).Versions!;
  assert.deepEqual(versions.map((v) => [v.VersionId, v.IsDefaultVersion, v.Document]), [[sa.DefaultVersionId, true, undefined]]);
  const v = (await send(new I.GetPolicyVersionCommand({ PolicyArn: sa.Arn, VersionId: sa.DefaultVersionId }))).PolicyVersion!;
  assert.equal(v.IsDefaultVersion, true);
  const saDoc = JSON.parse(decodeURIComponent(v.Document!)) as PolicyDocument; // a policy document's JSON
  assert.ok(saDoc.Statement.some((st) => ([] as string[]).concat(st.Action ?? []).includes('iam:List*')));
  // ReadOnlyAccess is AWS's whole document (read actions of some 300 services), not only its iam/sts entries.
  const ro = (await send(new I.GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }))).Policy!;
  assert.equal(ro.Description, 'Provides read-only access to AWS services and resources.');
  const roDoc = JSON.parse(decodeURIComponent((await send(new I.GetPolicyVersionCommand({ PolicyArn: ro.Arn, VersionId: ro.DefaultVersionId }))).PolicyVersion!.Document!)) as PolicyDocument; // a policy document's JSON
  const roActions = roDoc.Statement.flatMap((st) => ([] as string[]).concat(st.Action ?? []));
  assert.ok(roActions.length > 1000, `${roActions.length} actions`);
  assert.ok(roActions.includes('ec2:Describe*') && roActions.includes('iam:Get*') && roActions.includes('s3:Get*'));
  const oldVersion = await rejects(send(new I.GetPolicyVersionCommand({ PolicyArn: sa.Arn, VersionId: 'v1' })));
  assert.equal(oldVersion.name, 'NoSuchEntityException');

  const attached = await send(new I.ListPoliciesCommand({ OnlyAttached: true }));
  assert.deepEqual(attached.Policies!.map((x) => x.PolicyName), ['AdministratorAccess']);

  const del = await rejects(send(new I.DeletePolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })));
  assert.equal(del.name, 'InvalidInputException');
  assert.equal(del.$metadata.httpStatusCode, 400);
  const newVersion = await rejects(send(new I.CreatePolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit', PolicyDocument: ALLOW_GET_USER })));
  assert.equal(newVersion.name, 'InvalidInputException');
  const missing = await rejects(send(new I.GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })));
  assert.equal(missing.name, 'NoSuchEntityException');
  assert.equal(missing.$metadata.httpStatusCode, 404);
  const bad = await rejects(send(new I.GetPolicyCommand({ PolicyArn: 'arn:aws:iam::123:notapolicy/x' })));
  assert.equal(bad.name, 'InvalidInputException');
  assert.equal(bad.$metadata.httpStatusCode, 400);
});

test('AWS-managed policies attach and grant: SecurityAudit, AWSLambdaExecute, ReadOnlyAccess; service-role policies are not attachable', async () => {
  await send(new I.CreateUserCommand({ UserName: 'auditor' }));
  await send(new I.CreateRoleCommand({ RoleName: 'lambda-exec', AssumeRolePolicyDocument: TRUST_EC2 }));
  await send(new I.AttachUserPolicyCommand({ UserName: 'auditor', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }));
  await send(new I.AttachRolePolicyCommand({ RoleName: 'lambda-exec', PolicyArn: 'arn:aws:iam::aws:policy/AWSLambdaExecute' }));
  await send(new I.AttachRolePolicyCommand({ RoleName: 'lambda-exec', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }));
  assert.deepEqual((await send(new I.ListAttachedRolePoliciesCommand({ RoleName: 'lambda-exec' }))).AttachedPolicies!.map((a) => a.PolicyArn),
    ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', 'arn:aws:iam::aws:policy/AWSLambdaExecute']);
  assert.equal((await send(new I.GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }))).Policy!.AttachmentCount, 1);
  // AWSLambdaExecute lives at the root path on AWS; there is no service-role/AWSLambdaExecute.
  const wrongPath = await rejects(send(new I.AttachRolePolicyCommand({ RoleName: 'lambda-exec', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaExecute' })));
  assert.equal(wrongPath.name, 'NoSuchEntityException');
  assert.equal(wrongPath.message, 'Policy arn:aws:iam::aws:policy/service-role/AWSLambdaExecute does not exist or is not attachable.');
  const slr = await rejects(send(new I.AttachRolePolicyCommand({ RoleName: 'lambda-exec', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy' })));
  assert.equal(slr.name, 'PolicyNotAttachableException');
  assert.equal(slr.$metadata.httpStatusCode, 400);
  assert.equal(slr.message, 'Cannot attach a Service Role Policy to a Customer Role.');
  const notAttachable = await rejects(send(new I.AttachUserPolicyCommand({ UserName: 'auditor', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSConfigRole' })));
  assert.equal(notAttachable.name, 'PolicyNotAttachableException');
  assert.equal(notAttachable.$metadata.httpStatusCode, 400);

  // The auditor's keys: SecurityAudit's iam:List* and iam:Get* allow, nothing writes.
  const key = (await send(new I.CreateAccessKeyCommand({ UserName: 'auditor' }))).AccessKey;
  const auditor = iam(node, keyCreds(key));
  assert.ok((await auditor.send(new I.ListUsersCommand({}))).Users!.some((u) => u.UserName === 'auditor'));
  assert.equal((await auditor.send(new I.GetRoleCommand({ RoleName: 'lambda-exec' }))).Role!.RoleName, 'lambda-exec');
  const write = await rejects(auditor.send(new I.CreateUserCommand({ UserName: 'auditor-made' })));
  assert.equal(write.name, 'AccessDenied');
  assert.equal(write.$metadata.httpStatusCode, 403);
  // ReadOnlyAccess instead: the same reads, still no writes.
  await send(new I.DetachUserPolicyCommand({ UserName: 'auditor', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }));
  await send(new I.AttachUserPolicyCommand({ UserName: 'auditor', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  assert.equal((await auditor.send(new I.GetUserCommand({ UserName: 'auditor' }))).User!.UserName, 'auditor');
  assert.equal((await rejects(auditor.send(new I.DeleteRoleCommand({ RoleName: 'lambda-exec' })))).name, 'AccessDenied');
  await send(new I.DetachUserPolicyCommand({ UserName: 'auditor', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
});

test('malformed documents are MalformedPolicyDocument (400) with the evaluator message; oversize is LimitExceeded', async () => {
  const cases = [
    ['{not json', 'Syntax errors in policy.'],
    [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'allow', Action: 'iam:GetUser', Resource: '*' }] }), 'The policy failed legacy parsing'],
    [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'GetUser', Resource: '*' }] }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    [JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'a-b', Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }), 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*'],
    [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'x' } } }] }), 'Syntax errors in policy.'],
    [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'iam:GetUser', Resource: '*' }] }), 'Policy document should not specify a principal.'],
  ];
  for (const [text, message] of cases) {
    const e = await rejects(send(new I.CreatePolicyCommand({ PolicyName: 'Bad', PolicyDocument: text })));
    assert.equal(e.name, 'MalformedPolicyDocumentException', text);
    assert.equal(e.$metadata.httpStatusCode, 400);
    assert.equal(e.message, message);
  }
  await send(new I.CreateUserCommand({ UserName: 'malformed-target' }));
  const inline = await rejects(send(new I.PutUserPolicyCommand({ UserName: 'malformed-target', PolicyName: 'x', PolicyDocument: '[]' })));
  assert.equal(inline.name, 'MalformedPolicyDocumentException');

  const actions = Array.from({ length: 400 }, (_, i) => `iam:GetUserNumber${i}`);
  const big = doc([{ Effect: 'Allow', Action: actions, Resource: '*' }]);
  const e = await rejects(send(new I.CreatePolicyCommand({ PolicyName: 'Big', PolicyDocument: big })));
  assert.equal(e.name, 'LimitExceededException');
  assert.equal(e.message, 'Cannot exceed quota for PolicySize: 6144');
  // White space does not count: the same 6,000-odd characters padded with spaces still fit.
  const fits = doc([{ Effect: 'Allow', Action: actions.slice(0, 200), Resource: '*' }]);
  await send(new I.CreatePolicyCommand({ PolicyName: 'Padded', PolicyDocument: fits.replace(/,/g, ',          ') }));
});

test('policy versions: create, default, at most 5, delete rules, numbers never reused', async () => {
  const Policy = (await send(new I.CreatePolicyCommand({ PolicyName: 'Versioned', PolicyDocument: ALLOW_GET_USER }))).Policy!;
  const arn = Policy.Arn;
  const v2 = await send(new I.CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_LIST_USERS }));
  assert.equal(v2.PolicyVersion!.VersionId, 'v2');
  assert.equal(v2.PolicyVersion!.IsDefaultVersion, false);
  const v3 = await send(new I.CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_LIST_USERS, SetAsDefault: true }));
  assert.equal(v3.PolicyVersion!.IsDefaultVersion, true);
  assert.equal((await send(new I.GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId, 'v3');
  await send(new I.CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_GET_USER }));
  await send(new I.CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_GET_USER }));
  const sixth = await rejects(send(new I.CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_GET_USER })));
  assert.equal(sixth.name, 'LimitExceededException');
  assert.equal(sixth.$metadata.httpStatusCode, 409);

  const list = await send(new I.ListPolicyVersionsCommand({ PolicyArn: arn }));
  assert.deepEqual(list.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v5', false], ['v4', false], ['v3', true], ['v2', false], ['v1', false]]);

  const got = await send(new I.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
  assert.deepEqual(JSON.parse(decodeURIComponent(got.PolicyVersion!.Document!)), JSON.parse(ALLOW_LIST_USERS));

  const delDefault = await rejects(send(new I.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })));
  assert.equal(delDefault.name, 'DeleteConflictException');
  assert.equal(delDefault.message, 'Cannot delete the default version of a policy.');
  const noVersion = await rejects(send(new I.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })));
  assert.equal(noVersion.name, 'NoSuchEntityException');

  await send(new I.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
  const next = await send(new I.CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_GET_USER }));
  assert.equal(next.PolicyVersion!.VersionId, 'v6', 'version numbers are not reused');

  await send(new I.SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
  assert.equal((await send(new I.GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId, 'v1');
  const badDefault = await rejects(send(new I.SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' })));
  assert.equal(badDefault.name, 'NoSuchEntityException');

  const del = await rejects(send(new I.DeletePolicyCommand({ PolicyArn: arn })));
  assert.equal(del.name, 'DeleteConflictException', 'non-default versions remain');
  for (const v of ['v2', 'v3', 'v4', 'v6']) await send(new I.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
  await send(new I.DeletePolicyCommand({ PolicyArn: arn }));
});

test('attach / detach / list attached for users, groups and roles; counts, conflicts and the quota of 10', async () => {
  await send(new I.CreateUserCommand({ UserName: 'att-user' }));
  await send(new I.CreateGroupCommand({ GroupName: 'att-group' }));
  await send(new I.CreateRoleCommand({ RoleName: 'att-role', AssumeRolePolicyDocument: TRUST_EC2 }));
  const Policy = (await send(new I.CreatePolicyCommand({ PolicyName: 'Attachable', PolicyDocument: ALLOW_GET_USER }))).Policy!;

  await send(new I.AttachUserPolicyCommand({ UserName: 'att-user', PolicyArn: Policy.Arn }));
  await send(new I.AttachUserPolicyCommand({ UserName: 'att-user', PolicyArn: Policy.Arn })); // idempotent
  await send(new I.AttachGroupPolicyCommand({ GroupName: 'att-group', PolicyArn: Policy.Arn }));
  await send(new I.AttachRolePolicyCommand({ RoleName: 'att-role', PolicyArn: Policy.Arn }));
  await send(new I.AttachRolePolicyCommand({ RoleName: 'att-role', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));

  assert.equal((await send(new I.GetPolicyCommand({ PolicyArn: Policy.Arn }))).Policy!.AttachmentCount, 3);
  const forUser = await send(new I.ListAttachedUserPoliciesCommand({ UserName: 'att-user' }));
  assert.deepEqual(forUser.AttachedPolicies, [{ PolicyName: 'Attachable', PolicyArn: Policy.Arn }]);
  const forRole = await send(new I.ListAttachedRolePoliciesCommand({ RoleName: 'att-role' }));
  assert.deepEqual(forRole.AttachedPolicies!.map((a) => a.PolicyName), ['Attachable', 'ReadOnlyAccess']);
  const forGroup = await send(new I.ListAttachedGroupPoliciesCommand({ GroupName: 'att-group' }));
  assert.equal(forGroup.AttachedPolicies!.length, 1);

  const entities = await send(new I.ListEntitiesForPolicyCommand({ PolicyArn: Policy.Arn }));
  assert.deepEqual(entities.PolicyUsers!.map((u) => u.UserName), ['att-user']);
  assert.deepEqual(entities.PolicyGroups!.map((g) => g.GroupName), ['att-group']);
  assert.deepEqual(entities.PolicyRoles!.map((r) => r.RoleName), ['att-role']);
  const onlyRoles = await send(new I.ListEntitiesForPolicyCommand({ PolicyArn: Policy.Arn, EntityFilter: 'Role' }));
  assert.equal(onlyRoles.PolicyUsers!.length, 0);
  assert.equal(onlyRoles.PolicyRoles!.length, 1);

  const conflict = await rejects(send(new I.DeletePolicyCommand({ PolicyArn: Policy.Arn })));
  assert.equal(conflict.name, 'DeleteConflictException');
  assert.equal(conflict.message, 'Cannot delete a policy attached to entities.');
  const delUser = await rejects(send(new I.DeleteUserCommand({ UserName: 'att-user' })));
  assert.equal(delUser.name, 'DeleteConflictException');
  const delGroup = await rejects(send(new I.DeleteGroupCommand({ GroupName: 'att-group' })));
  assert.equal(delGroup.message, 'Cannot delete entity, must detach all policies first.');
  const delRole = await rejects(send(new I.DeleteRoleCommand({ RoleName: 'att-role' })));
  assert.equal(delRole.name, 'DeleteConflictException');
  assert.equal(delRole.message, 'Cannot delete entity, must detach all policies first.');

  const unknown = await rejects(send(new I.AttachUserPolicyCommand({ UserName: 'att-user', PolicyArn: `arn:aws:iam::${node.accountId}:policy/Nope` })));
  assert.equal(unknown.name, 'NoSuchEntityException');
  assert.equal(unknown.message, `Policy arn:aws:iam::${node.accountId}:policy/Nope does not exist or is not attachable.`);
  const noUser = await rejects(send(new I.AttachUserPolicyCommand({ UserName: 'ghost', PolicyArn: Policy.Arn })));
  assert.equal(noUser.name, 'NoSuchEntityException');
  const notAttached = await rejects(send(new I.DetachGroupPolicyCommand({ GroupName: 'att-group', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' })));
  assert.equal(notAttached.name, 'NoSuchEntityException');

  // The quota: 10 managed policies per user.
  for (let i = 1; i < 10; i++) {
    const extra = await send(new I.CreatePolicyCommand({ PolicyName: `Extra${i}`, PolicyDocument: ALLOW_GET_USER }));
    await send(new I.AttachUserPolicyCommand({ UserName: 'att-user', PolicyArn: extra.Policy!.Arn }));
  }
  const over = await rejects(send(new I.AttachUserPolicyCommand({ UserName: 'att-user', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' })));
  assert.equal(over.name, 'LimitExceededException');
  assert.equal(over.message, 'Cannot exceed quota for PoliciesPerUser: 10');
  const page = await send(new I.ListAttachedUserPoliciesCommand({ UserName: 'att-user', MaxItems: 4 }));
  assert.equal(page.AttachedPolicies!.length, 4);
  assert.equal(page.IsTruncated, true);
  const rest = await send(new I.ListAttachedUserPoliciesCommand({ UserName: 'att-user', Marker: page.Marker }));
  assert.equal(rest.AttachedPolicies!.length, 6);

  await send(new I.DetachRolePolicyCommand({ RoleName: 'att-role', PolicyArn: Policy.Arn }));
  await send(new I.DetachRolePolicyCommand({ RoleName: 'att-role', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  await send(new I.DeleteRoleCommand({ RoleName: 'att-role' }));
});

test('inline policies for users, groups and roles: put replaces, get, list, delete, aggregate size limits', async () => {
  await send(new I.CreateUserCommand({ UserName: 'inl-user' }));
  await send(new I.CreateGroupCommand({ GroupName: 'inl-group' }));
  await send(new I.CreateRoleCommand({ RoleName: 'inl-role', AssumeRolePolicyDocument: TRUST_EC2 }));
  const puts = [
    (PolicyName: string, PolicyDocument: string) => send(new I.PutUserPolicyCommand({ UserName: 'inl-user', PolicyName, PolicyDocument })),
    (PolicyName: string, PolicyDocument: string) => send(new I.PutGroupPolicyCommand({ GroupName: 'inl-group', PolicyName, PolicyDocument })),
    (PolicyName: string, PolicyDocument: string) => send(new I.PutRolePolicyCommand({ RoleName: 'inl-role', PolicyName, PolicyDocument })),
  ];
  for (const put of puts) {
    await put('one', ALLOW_GET_USER);
    await put('two', ALLOW_GET_USER);
    await put('one', ALLOW_LIST_USERS);
  }
  const got = await send(new I.GetUserPolicyCommand({ UserName: 'inl-user', PolicyName: 'one' }));
  assert.equal(got.UserName, 'inl-user');
  assert.deepEqual(JSON.parse(decodeURIComponent(got.PolicyDocument!)), JSON.parse(ALLOW_LIST_USERS));
  assert.deepEqual((await send(new I.ListGroupPoliciesCommand({ GroupName: 'inl-group' }))).PolicyNames, ['one', 'two']);
  assert.deepEqual((await send(new I.ListRolePoliciesCommand({ RoleName: 'inl-role' }))).PolicyNames, ['one', 'two']);
  const roleGot = await send(new I.GetRolePolicyCommand({ RoleName: 'inl-role', PolicyName: 'two' }));
  assert.equal(roleGot.RoleName, 'inl-role');

  const delRole = await rejects(send(new I.DeleteRoleCommand({ RoleName: 'inl-role' })));
  assert.equal(delRole.message, 'Cannot delete entity, must delete policies first.');
  const delGroup = await rejects(send(new I.DeleteGroupCommand({ GroupName: 'inl-group' })));
  assert.equal(delGroup.message, 'Cannot delete entity, must delete policies first.');

  await send(new I.DeleteUserPolicyCommand({ UserName: 'inl-user', PolicyName: 'two' }));
  const missing = await rejects(send(new I.GetUserPolicyCommand({ UserName: 'inl-user', PolicyName: 'two' })));
  assert.equal(missing.name, 'NoSuchEntityException');
  assert.equal(missing.message, 'The user policy with name two cannot be found.');
  const missingDel = await rejects(send(new I.DeleteGroupPolicyCommand({ GroupName: 'inl-group', PolicyName: 'three' })));
  assert.equal(missingDel.message, 'The group policy with name three cannot be found.');

  // Aggregate limits: user 2,048, group 5,120, role 10,240 characters, white space not counted.
  const sized = (n: number): string => doc([{ Effect: 'Allow', Action: Array.from({ length: n }, (_, i) => `iam:Get${String(i).padStart(8, '0')}`), Resource: '*' }]);
  await send(new I.PutUserPolicyCommand({ UserName: 'inl-user', PolicyName: 'big', PolicyDocument: sized(60) })); // 1,163
  const userOver = await rejects(send(new I.PutUserPolicyCommand({ UserName: 'inl-user', PolicyName: 'big2', PolicyDocument: sized(60) })));
  assert.equal(userOver.name, 'LimitExceededException');
  assert.equal(userOver.message, 'Maximum policy size of 2048 bytes exceeded for user inl-user');
  // The same two documents fit in a group's 5,120.
  await send(new I.PutGroupPolicyCommand({ GroupName: 'inl-group', PolicyName: 'big2', PolicyDocument: sized(60) }));
  assert.deepEqual((await send(new I.ListGroupPoliciesCommand({ GroupName: 'inl-group' }))).PolicyNames, ['big2', 'one', 'two']);
  await send(new I.PutRolePolicyCommand({ RoleName: 'inl-role', PolicyName: 'big', PolicyDocument: sized(520) })); // 9,443 + 2 × ~95
  const roleOver = await rejects(send(new I.PutRolePolicyCommand({ RoleName: 'inl-role', PolicyName: 'big2', PolicyDocument: sized(60) })));
  assert.equal(roleOver.message, 'Maximum policy size of 10240 bytes exceeded for role inl-role');
});

test('roles: create with a validated trust policy, get, update, list, tags, delete', async () => {
  const created = await send(new I.CreateRoleCommand({ RoleName: 'Deployer', Path: '/ci/', AssumeRolePolicyDocument: TRUST_EC2, Description: 'deploys', MaxSessionDuration: 7200, Tags: [{ Key: 'env', Value: 'prod' }] }));
  assert.equal(created.Role!.Arn, `arn:aws:iam::${node.accountId}:role/ci/Deployer`);
  assert.match(created.Role!.RoleId!, /^AROA[A-Z2-7]{17}$/);
  assert.deepEqual(JSON.parse(decodeURIComponent(created.Role!.AssumeRolePolicyDocument!)), JSON.parse(TRUST_EC2));

  const dup = await rejects(send(new I.CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST_EC2 })));
  assert.equal(dup.name, 'EntityAlreadyExistsException');
  assert.equal(dup.message, 'Role with name deployer already exists.');

  const noPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] });
  const bad = await rejects(send(new I.CreateRoleCommand({ RoleName: 'Bad', AssumeRolePolicyDocument: noPrincipal })));
  assert.equal(bad.name, 'MalformedPolicyDocumentException');
  assert.equal(bad.message, 'Missing required field Principal');
  const withResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Resource: '*' }] });
  const bad2 = await rejects(send(new I.CreateRoleCommand({ RoleName: 'Bad', AssumeRolePolicyDocument: withResource })));
  assert.equal(bad2.message, 'Has prohibited field Resource');
  const badDuration = await rejects(send(new I.CreateRoleCommand({ RoleName: 'Bad', AssumeRolePolicyDocument: TRUST_EC2, MaxSessionDuration: 60 })));
  assert.equal(badDuration.name, 'ValidationError');
  assert.equal(badDuration.$metadata.httpStatusCode, 400);

  await send(new I.UpdateRoleCommand({ RoleName: 'Deployer', Description: 'deploys things', MaxSessionDuration: 3600 }));
  const trust2 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${node.accountId}:root` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] });
  await send(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'Deployer', PolicyDocument: trust2 }));
  const got = (await send(new I.GetRoleCommand({ RoleName: 'DEPLOYER' }))).Role!;
  assert.equal(got.RoleName, 'Deployer');
  assert.equal(got.Description, 'deploys things');
  assert.equal(got.MaxSessionDuration, 3600);
  assert.deepEqual(got.Tags, [{ Key: 'env', Value: 'prod' }]);
  assert.deepEqual(JSON.parse(decodeURIComponent(got.AssumeRolePolicyDocument!)), JSON.parse(trust2));
  const badTrust = await rejects(send(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'Deployer', PolicyDocument: ALLOW_GET_USER })));
  assert.equal(badTrust.name, 'MalformedPolicyDocumentException');

  await send(new I.TagRoleCommand({ RoleName: 'Deployer', Tags: [{ Key: 'team', Value: 'ops' }] }));
  await send(new I.UntagRoleCommand({ RoleName: 'Deployer', TagKeys: ['env'] }));
  assert.deepEqual((await send(new I.ListRoleTagsCommand({ RoleName: 'Deployer' }))).Tags, [{ Key: 'team', Value: 'ops' }]);

  await send(new I.CreateRoleCommand({ RoleName: 'Other', AssumeRolePolicyDocument: TRUST_EC2 }));
  const roles = await send(new I.ListRolesCommand({}));
  assert.deepEqual(roles.Roles!.map((r) => r.RoleName).filter((n) => ['Deployer', 'Other'].includes(n!)), ['Deployer', 'Other']);
  assert.equal(roles.Roles!.find((r) => r.RoleName === 'Deployer')!.Tags, undefined, 'ListRoles leaves tags out, as AWS does');
  assert.deepEqual((await send(new I.ListRolesCommand({ PathPrefix: '/ci/' }))).Roles!.map((r) => r.RoleName), ['Deployer']);

  await send(new I.DeleteRoleCommand({ RoleName: 'Deployer' }));
  const gone = await rejects(send(new I.GetRoleCommand({ RoleName: 'Deployer' })));
  assert.equal(gone.name, 'NoSuchEntityException');
  assert.equal(gone.message, 'The role with name Deployer cannot be found.');
});

test('permissions boundaries on users and roles; PermissionsBoundaryUsageCount; unknown policy is NoSuchEntity', async () => {
  await send(new I.CreateUserCommand({ UserName: 'bounded' }));
  await send(new I.CreateRoleCommand({ RoleName: 'bounded-role', AssumeRolePolicyDocument: TRUST_EC2 }));
  const Policy = (await send(new I.CreatePolicyCommand({ PolicyName: 'Boundary', PolicyDocument: ALLOW_GET_USER }))).Policy!;
  await send(new I.PutUserPermissionsBoundaryCommand({ UserName: 'bounded', PermissionsBoundary: Policy.Arn }));
  await send(new I.PutRolePermissionsBoundaryCommand({ RoleName: 'bounded-role', PermissionsBoundary: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
  const user = (await send(new I.GetUserCommand({ UserName: 'bounded' }))).User!;
  assert.deepEqual(user.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: Policy.Arn }, "AWS's value, not the model's enum");
  const role = (await send(new I.GetRoleCommand({ RoleName: 'bounded-role' }))).Role!;
  assert.deepEqual(role.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
  const listed = (await send(new I.ListRolesCommand({}))).Roles!.find((r) => r.RoleName === 'bounded-role')!;
  assert.equal(listed.PermissionsBoundary, undefined, 'ListRoles leaves the boundary out, as AWS does');
  const p = (await send(new I.GetPolicyCommand({ PolicyArn: Policy.Arn }))).Policy!;
  assert.equal(p.PermissionsBoundaryUsageCount, 1);
  assert.equal(p.AttachmentCount, 0);
  const asBoundary = await send(new I.ListPoliciesCommand({ OnlyAttached: true, PolicyUsageFilter: 'PermissionsBoundary' }));
  assert.deepEqual(asBoundary.Policies!.map((x) => x.PolicyName).sort(), ['Boundary', 'IAMReadOnlyAccess']);
  const ents = await send(new I.ListEntitiesForPolicyCommand({ PolicyArn: Policy.Arn, PolicyUsageFilter: 'PermissionsBoundary' }));
  assert.deepEqual(ents.PolicyUsers!.map((u) => u.UserName), ['bounded']);

  const inUse = await rejects(send(new I.DeletePolicyCommand({ PolicyArn: Policy.Arn })));
  assert.equal(inUse.name, 'DeleteConflictException');
  const unknown = await rejects(send(new I.PutUserPermissionsBoundaryCommand({ UserName: 'bounded', PermissionsBoundary: `arn:aws:iam::${node.accountId}:policy/Nope` })));
  assert.equal(unknown.name, 'NoSuchEntityException');
  assert.equal(unknown.message, `Scope ARN: arn:aws:iam::${node.accountId}:policy/Nope does not exist or is not attachable.`);

  await send(new I.DeleteUserPermissionsBoundaryCommand({ UserName: 'bounded' }));
  await send(new I.DeleteRolePermissionsBoundaryCommand({ RoleName: 'bounded-role' }));
  assert.equal((await send(new I.GetUserCommand({ UserName: 'bounded' }))).User!.PermissionsBoundary, undefined);
  await send(new I.DeletePolicyCommand({ PolicyArn: Policy.Arn }));
});

test('aws CLI: create-policy, get-policy-version returns the document as JSON, put/get-role-policy', { skip: NO_AWS_CLI }, async () => {
  const created = await awsCli(node, ['iam', 'create-policy', '--policy-name', 'CliPolicy', '--policy-document', ALLOW_GET_USER]);
  assert.ok(created.ok, created.stderr);
  const arn = (created.json as { Policy: { Arn: string } }).Policy.Arn; // parsed CLI output
  const v = await awsCli(node, ['iam', 'get-policy-version', '--policy-arn', arn, '--version-id', 'v1']);
  assert.ok(v.ok, v.stderr);
  assert.deepEqual((v.json as { PolicyVersion: { Document: unknown } }).PolicyVersion.Document, /* parsed CLI output */ JSON.parse(ALLOW_GET_USER), 'the CLI decodes the URL-encoded document into JSON');
  const bad = await awsCli(node, ['iam', 'create-policy', '--policy-name', 'CliBad', '--policy-document', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser"}]}']);
  assert.equal(bad.ok, false);
  assert.match(bad.stderr, /\(MalformedPolicyDocument\) when calling the CreatePolicy operation( \(reached max retries: \d+\))?: Policy statement must contain resources\./);
  const role = await awsCli(node, ['iam', 'create-role', '--role-name', 'CliRole', '--assume-role-policy-document', TRUST_EC2]);
  assert.ok(role.ok, role.stderr);
  assert.deepEqual((role.json as { Role: { AssumeRolePolicyDocument: unknown } }).Role.AssumeRolePolicyDocument, /* parsed CLI output */ JSON.parse(TRUST_EC2));
  assert.ok((await awsCli(node, ['iam', 'put-role-policy', '--role-name', 'CliRole', '--policy-name', 'p', '--policy-document', ALLOW_GET_USER])).ok);
  const got = await awsCli(node, ['iam', 'get-role-policy', '--role-name', 'CliRole', '--policy-name', 'p']);
  assert.deepEqual((got.json as { PolicyDocument: unknown }).PolicyDocument, /* parsed CLI output */ JSON.parse(ALLOW_GET_USER));
  const limit = await awsCli(node, ['iam', 'delete-policy', '--policy-arn', arn]);
  assert.ok(limit.ok, limit.stderr);
});

test('boto3: policy documents come back as dicts; errors map to modeled exceptions', { skip: NO_BOTO3 }, async () => {
  const r = (await boto3(node, `
p = iam.create_policy(PolicyName='BotoPolicy', PolicyDocument=${JSON.stringify(ALLOW_LIST_USERS)})['Policy']
iam.create_policy_version(PolicyArn=p['Arn'], PolicyDocument=${JSON.stringify(ALLOW_GET_USER)}, SetAsDefault=True)
v = iam.get_policy_version(PolicyArn=p['Arn'], VersionId='v2')['PolicyVersion']
try:
    iam.delete_policy_version(PolicyArn=p['Arn'], VersionId='v2')
    err = None
except iam.exceptions.DeleteConflictException as e:
    err = e.response['Error']
pages = [x['PolicyName'] for page in iam.get_paginator('list_policies').paginate(Scope='AWS', PaginationConfig={'PageSize': 400}) for x in page['Policies']]
one = [x['PolicyName'] for x in iam.list_policies(Scope='AWS', MaxItems=1000)['Policies']]
jf = iam.get_policy(PolicyArn='arn:aws:iam::aws:policy/job-function/ViewOnlyAccess')['Policy']
jfv = iam.get_policy_version(PolicyArn=jf['Arn'], VersionId=jf['DefaultVersionId'])['PolicyVersion']
out({'doc': v['Document'], 'default': v['IsDefaultVersion'], 'err': err, 'aws': pages, 'first1000': one,
     'jf': [jf['Path'], jf['Arn']], 'jfDoc': isinstance(jfv['Document'], dict) and 'Statement' in jfv['Document']})
`)) as { doc: unknown; default: unknown; err: { Code: string; Message: string }; aws: string[]; first1000: string[]; jf: unknown; jfDoc: unknown }; // the script's JSON output
  assert.deepEqual(r.doc, JSON.parse(ALLOW_GET_USER));
  assert.equal(r.default, true);
  assert.equal(r.err.Code, 'DeleteConflict');
  assert.equal(r.err.Message, 'Cannot delete the default version of a policy.');
  // The paginator follows Marker through the whole AWS-managed catalogue, in the same order as one big page.
  assert.ok(r.aws.length > 1000);
  assert.equal(new Set(r.aws).size, r.aws.length);
  assert.deepEqual(r.aws.slice(0, 1000), r.first1000);
  assert.ok(['SecurityAudit', 'ViewOnlyAccess', 'PowerUserAccess', 'Billing', 'SupportUser', 'AWSLambdaExecute'].every((n) => r.aws.includes(n)));
  assert.deepEqual(r.jf, ['/job-function/', 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess']);
  assert.equal(r.jfDoc, true, 'botocore decodes the URL-encoded document into a dict');
});

test('concurrent attaches cannot exceed the quota of 10 (checks are serialised per account)', async () => {
  await send(new I.CreateUserCommand({ UserName: 'racer' }));
  const arns = [];
  for (let i = 0; i < 12; i++) arns.push((await send(new I.CreatePolicyCommand({ PolicyName: `Race${i}`, PolicyDocument: ALLOW_GET_USER }))).Policy!.Arn!);
  const results = await Promise.allSettled(arns.map((PolicyArn) => send(new I.AttachUserPolicyCommand({ UserName: 'racer', PolicyArn }))));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
  for (const r of results.filter((x) => x.status === 'rejected')) assert.equal(r.reason.name, 'LimitExceededException');
  assert.equal((await send(new I.ListAttachedUserPoliciesCommand({ UserName: 'racer' }))).AttachedPolicies!.length, 10);
});

test('policy tags: tag, list, untag a customer managed policy; AWS-managed policies have none and cannot be tagged', async () => {
  const Policy = (await send(new I.CreatePolicyCommand({ PolicyName: 'Tagged', PolicyDocument: ALLOW_GET_USER }))).Policy!;
  await send(new I.TagPolicyCommand({ PolicyArn: Policy.Arn, Tags: [{ Key: 'owner', Value: 'sec' }, { Key: 'tier', Value: '1' }] }));
  await send(new I.TagPolicyCommand({ PolicyArn: Policy.Arn, Tags: [{ Key: 'OWNER', Value: 'platform' }] }));
  await send(new I.UntagPolicyCommand({ PolicyArn: Policy.Arn, TagKeys: ['tier'] }));
  assert.deepEqual((await send(new I.ListPolicyTagsCommand({ PolicyArn: Policy.Arn }))).Tags, [{ Key: 'OWNER', Value: 'platform' }]);
  const managed = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
  assert.deepEqual((await send(new I.ListPolicyTagsCommand({ PolicyArn: managed }))).Tags, []);
  const e = await rejects(send(new I.TagPolicyCommand({ PolicyArn: managed, Tags: [{ Key: 'k', Value: 'v' }] })));
  assert.equal(e.name, 'InvalidInputException');
  assert.equal(e.$metadata.httpStatusCode, 400);
  assert.equal(e.message, `Policy ${managed} is an AWS managed policy and cannot be modified.`);
  const missing = await rejects(send(new I.ListPolicyTagsCommand({ PolicyArn: `arn:aws:iam::${node.accountId}:policy/Nope` })));
  assert.equal(missing.name, 'NoSuchEntityException');
});

// Shapes and errors as AWS answers them, from LocalStack's AWS-validated snapshots (tests/aws/services/iam/
// test_iam.snapshot.json: test_create_describe_role, test_role_attach_policy, test_user_attach_policy,
// test_list_roles_with_permission_boundary; resource_providers/test_iam.snapshot.json:
// test_managed_policy_with_empty_resource).
test('AWS shapes: CreateRole without MaxSessionDuration, GetRole/ListRoles with it; GetPolicy Tags [] when untagged', async () => {
  const created = (await send(new I.CreateRoleCommand({ RoleName: 'shape-role', Path: '/shape/', AssumeRolePolicyDocument: TRUST_EC2 }))).Role!;
  assert.equal(created.MaxSessionDuration, undefined);
  assert.equal(created.RoleLastUsed, undefined);
  assert.equal(created.Tags, undefined);
  assert.equal(created.Path, '/shape/');
  const got = (await send(new I.GetRoleCommand({ RoleName: 'shape-role' }))).Role!;
  assert.equal(got.MaxSessionDuration, 3600);
  assert.deepEqual(got.RoleLastUsed, {});
  const listed = (await send(new I.ListRolesCommand({ PathPrefix: '/shape/' }))).Roles!;
  assert.deepEqual(listed.map((r) => [r.RoleName, r.MaxSessionDuration, r.RoleLastUsed]), [['shape-role', 3600, undefined]]);

  const Policy = (await send(new I.CreatePolicyCommand({ PolicyName: 'Untagged', PolicyDocument: ALLOW_GET_USER }))).Policy!;
  assert.equal(Policy.Tags, undefined, 'CreatePolicy without tags sends none');
  assert.deepEqual((await send(new I.GetPolicyCommand({ PolicyArn: Policy.Arn }))).Policy!.Tags, []);
  assert.deepEqual((await send(new I.GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }))).Policy!.Tags, []);
  await send(new I.DeletePolicyCommand({ PolicyArn: Policy.Arn }));
  await send(new I.DeleteRoleCommand({ RoleName: 'shape-role' }));
});

test('Attach*Policy with a PolicyArn that is no ARN: ValidationError "Invalid ARN:  Could not be parsed!"; a missing policy: NoSuchEntity', async () => {
  await send(new I.CreateRoleCommand({ RoleName: 'arn-role', AssumeRolePolicyDocument: TRUST_EC2 }));
  await send(new I.CreateUserCommand({ UserName: 'arn-user' }));
  // A bare policy name (20 characters, so the model's length check passes) is no ARN either.
  const Policy = (await send(new I.CreatePolicyCommand({ PolicyName: 'ArnCheckedPolicy-name', PolicyDocument: ALLOW_GET_USER }))).Policy!;
  for (const PolicyArn of ['longpolicynamebutnoarn', Policy.PolicyName]) {
    for (const attach of [() => send(new I.AttachRolePolicyCommand({ RoleName: 'arn-role', PolicyArn })), () => send(new I.AttachUserPolicyCommand({ UserName: 'arn-user', PolicyArn }))]) {
      const e = await rejects(attach());
      assert.equal(e.name, 'ValidationError', PolicyArn);
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.message, 'Invalid ARN:  Could not be parsed!');
    }
  }
  const missing = await rejects(send(new I.AttachRolePolicyCommand({ RoleName: 'arn-role', PolicyArn: `${Policy.Arn}123` })));
  assert.equal(missing.name, 'NoSuchEntityException');
  assert.equal(missing.$metadata.httpStatusCode, 404);
  assert.equal(missing.message, `Policy ${Policy.Arn}123 does not exist or is not attachable.`);
  // An ARN, but not a policy's: InvalidInput, as before.
  const notPolicy = await rejects(send(new I.AttachUserPolicyCommand({ UserName: 'arn-user', PolicyArn: `arn:aws:iam::${node.accountId}:user/arn-user` })));
  assert.equal(notPolicy.name, 'InvalidInputException');
  assert.equal(notPolicy.$metadata.httpStatusCode, 400);
  assert.deepEqual((await send(new I.ListAttachedRolePoliciesCommand({ RoleName: 'arn-role' }))).AttachedPolicies, [], 'nothing was attached');
  await send(new I.DeletePolicyCommand({ PolicyArn: Policy.Arn }));
});

test('boto3: PermissionsBoundaryType "Policy" and the attach ValidationError reach a Python client intact', { skip: NO_BOTO3 }, async () => {
  const r = (await boto3(node, `
p = iam.create_policy(PolicyName='BotoBoundary', PolicyDocument=${JSON.stringify(ALLOW_GET_USER)})['Policy']
u = iam.create_user(UserName='boto-bounded', PermissionsBoundary=p['Arn'])['User']
g = iam.get_user(UserName='boto-bounded')['User']
listed = [x for x in iam.list_users()['Users'] if x['UserName'] == 'boto-bounded'][0]
role = iam.create_role(RoleName='boto-bounded-role', AssumeRolePolicyDocument=${JSON.stringify(TRUST_EC2)}, PermissionsBoundary=p['Arn'])['Role']
try:
    iam.attach_user_policy(UserName='boto-bounded', PolicyArn='longpolicynamebutnoarn')
    err = None
except botocore.exceptions.ClientError as e:
    err = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
out({'created': u.get('PermissionsBoundary'), 'got': g.get('PermissionsBoundary'), 'listed': 'PermissionsBoundary' in listed,
     'role': role.get('PermissionsBoundary'), 'roleMax': 'MaxSessionDuration' in role, 'err': err})
`)) as Record<string, unknown>; // the script's JSON output
  const arn = `arn:aws:iam::${node.accountId}:policy/BotoBoundary`;
  assert.deepEqual(r.created, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn });
  assert.deepEqual(r.got, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn });
  assert.equal(r.listed, false, 'ListUsers leaves the boundary out');
  assert.deepEqual(r.role, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn });
  assert.equal(r.roleMax, false);
  assert.deepEqual(r.err, ['ValidationError', 'Invalid ARN:  Could not be parsed!', 400]);
});

test('aws CLI: list-policies --scope AWS pages through the whole catalogue; attach-user-policy SecurityAudit', { skip: NO_AWS_CLI }, async () => {
  const listed = await awsCli(node, ['iam', 'list-policies', '--scope', 'AWS', '--page-size', '300']);
  assert.ok(listed.ok, listed.stderr);
  const names = (listed.json as { Policies: { PolicyName: string }[] }).Policies.map((p) => p.PolicyName); // parsed CLI output
  assert.ok(names.length > 1000, `${names.length}`);
  assert.equal(new Set(names).size, names.length);
  assert.ok(names.includes('SecurityAudit') && names.includes('ViewOnlyAccess'));
  const direct = await send(new I.ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000 }));
  assert.deepEqual(names.slice(0, 1000), direct.Policies!.map((p) => p.PolicyName), 'the CLI followed the markers in order');
  assert.ok((await awsCli(node, ['iam', 'create-user', '--user-name', 'cli-auditor'])).ok);
  const attach = await awsCli(node, ['iam', 'attach-user-policy', '--user-name', 'cli-auditor', '--policy-arn', 'arn:aws:iam::aws:policy/SecurityAudit']);
  assert.ok(attach.ok, attach.stderr);
  const got = await awsCli(node, ['iam', 'list-attached-user-policies', '--user-name', 'cli-auditor']);
  assert.deepEqual((got.json as { AttachedPolicies: unknown }).AttachedPolicies, /* parsed CLI output */ [{ PolicyName: 'SecurityAudit', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }]);
  const bad = await awsCli(node, ['iam', 'attach-user-policy', '--user-name', 'cli-auditor', '--policy-arn', 'SecurityAudit-by-name-only']);
  assert.equal(bad.ok, false);
  assert.match(bad.stderr, /\(ValidationError\) when calling the AttachUserPolicy operation( \(reached max retries: \d+\))?: Invalid ARN: {2}Could not be parsed!/);
  assert.ok((await awsCli(node, ['iam', 'detach-user-policy', '--user-name', 'cli-auditor', '--policy-arn', 'arn:aws:iam::aws:policy/SecurityAudit'])).ok);
});

test('ListEntitiesForPolicy pages groups, then roles, then users, attached or bounded, each once; filters by usage, kind and path', async () => {
  const { Policy } = await send(new I.CreatePolicyCommand({ PolicyName: 'PagedEntities', PolicyDocument: ALLOW_GET_USER }));
  const arnOf = Policy!.Arn!;
  for (const g of ['pe-g1', 'pe-g2', 'pe-g3']) {
    await send(new I.CreateGroupCommand({ GroupName: g }));
    await send(new I.AttachGroupPolicyCommand({ GroupName: g, PolicyArn: arnOf }));
  }
  for (const r of ['pe-r1', 'pe-r2']) {
    await send(new I.CreateRoleCommand({ RoleName: r, AssumeRolePolicyDocument: TRUST_EC2 }));
    await send(new I.AttachRolePolicyCommand({ RoleName: r, PolicyArn: arnOf }));
  }
  await send(new I.CreateRoleCommand({ RoleName: 'pe-r3', AssumeRolePolicyDocument: TRUST_EC2, PermissionsBoundary: arnOf }));
  for (const u of ['pe-u1', 'pe-u2', 'pe-u3', 'pe-u4', 'pe-u5']) {
    await send(new I.CreateUserCommand({ UserName: u, Path: u === 'pe-u5' ? '/ops/' : '/' }));
    await send(new I.AttachUserPolicyCommand({ UserName: u, PolicyArn: arnOf }));
  }
  // pe-u1 is also bounded by it (listed once); pe-u6 only bounded.
  await send(new I.PutUserPermissionsBoundaryCommand({ UserName: 'pe-u1', PermissionsBoundary: arnOf }));
  await send(new I.CreateUserCommand({ UserName: 'pe-u6', PermissionsBoundary: arnOf }));

  type Entity = { kind: string; name: string; id: string };
  async function all(input: Omit<I.ListEntitiesForPolicyCommandInput, 'PolicyArn' | 'Marker'>): Promise<{ entities: Entity[]; pages: number }> {
    const entities: Entity[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const r = await send(new I.ListEntitiesForPolicyCommand({ PolicyArn: arnOf, ...input, Marker: marker }));
      pages++;
      const page = [
        ...r.PolicyGroups!.map((g) => ({ kind: 'group', name: g.GroupName!, id: g.GroupId! })),
        ...r.PolicyRoles!.map((x) => ({ kind: 'role', name: x.RoleName!, id: x.RoleId! })),
        ...r.PolicyUsers!.map((u) => ({ kind: 'user', name: u.UserName!, id: u.UserId! })),
      ];
      if (input.MaxItems !== undefined) assert.ok(page.length <= input.MaxItems, `a page holds at most MaxItems (${page.length})`);
      assert.equal(r.IsTruncated, r.Marker !== undefined);
      entities.push(...page);
      marker = r.Marker;
    } while (marker);
    return { entities, pages };
  }
  const everything = await all({ MaxItems: 3 });
  assert.equal(everything.pages, 4, '12 entities, 3 a page');
  const kinds = everything.entities.map((e) => e.kind);
  assert.deepEqual(kinds, [...kinds].sort((a, b) => ['group', 'role', 'user'].indexOf(a) - ['group', 'role', 'user'].indexOf(b)), 'groups, then roles, then users');
  assert.deepEqual(everything.entities.map((e) => e.name).sort(),
    ['pe-g1', 'pe-g2', 'pe-g3', 'pe-r1', 'pe-r2', 'pe-r3', 'pe-u1', 'pe-u2', 'pe-u3', 'pe-u4', 'pe-u5', 'pe-u6']);
  assert.equal(new Set(everything.entities.map((e) => e.id)).size, everything.entities.length, 'each entity once (pe-u1 is attached and bounded)');
  const oneGo = await all({});
  assert.deepEqual(oneGo.entities, everything.entities, 'the same order in one page as in pages of 3');

  const bounded = await all({ PolicyUsageFilter: 'PermissionsBoundary', MaxItems: 1 });
  assert.deepEqual(bounded.entities.map((e) => e.name), ['pe-r3', ...['pe-u1', 'pe-u6'].sort((a, b) => (idOf(a) < idOf(b) ? -1 : 1))]);
  const attached = await all({ PolicyUsageFilter: 'PermissionsPolicy', MaxItems: 4 });
  assert.deepEqual(attached.entities.map((e) => e.name).sort(), ['pe-g1', 'pe-g2', 'pe-g3', 'pe-r1', 'pe-r2', 'pe-u1', 'pe-u2', 'pe-u3', 'pe-u4', 'pe-u5']);
  const users = await all({ EntityFilter: 'User', MaxItems: 2 });
  assert.deepEqual(users.entities.map((e) => e.name).sort(), ['pe-u1', 'pe-u2', 'pe-u3', 'pe-u4', 'pe-u5', 'pe-u6']);
  const ops = await all({ PathPrefix: '/ops/', MaxItems: 1 });
  assert.deepEqual(ops.entities.map((e) => e.name), ['pe-u5']);

  const bad = await rejects(send(new I.ListEntitiesForPolicyCommand({ PolicyArn: arnOf, Marker: Buffer.from('"nonsense"').toString('base64url') })));
  assert.equal(bad.name, 'InvalidInputException');
  assert.equal(bad.$metadata.httpStatusCode, 400);

  function idOf(name: string): string { return everything.entities.find((e) => e.name === name)!.id; }
});
