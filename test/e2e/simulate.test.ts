// The policy simulator through real clients: SimulatePrincipalPolicy / SimulateCustomPolicy /
// GetContextKeysFor*Policy with the JS SDK, the aws CLI (--context-entries) and boto3; AWS's MFA enforcement policy
// answered with and without aws:MultiFactorAuthPresent; error paths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects, awsCli, boto3, NO_AWS_CLI, NO_BOTO3, keyCreds } from '../helpers/clients.js';
import * as I from '@aws-sdk/client-iam';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */
import type { Credentials as Creds } from '../helpers/server.js';

let node: Node;
let client: I.IAMClient;
let acct: string;
before(async () => { node = await startGatehouse(); client = iam(node); acct = node.accountId; });
after(async () => { await node?.stop(); });
// Any IAM command through the admin's client (the SDK's send is overloaded per command; this keeps each output type).
type IamCommand<In extends I.ServiceInputTypes, Out extends I.ServiceOutputTypes> = I.$Command<In, Out, I.IAMClientResolvedConfig, I.ServiceInputTypes, I.ServiceOutputTypes>;
const send = <In extends I.ServiceInputTypes, Out extends I.ServiceOutputTypes>(cmd: IamCommand<In, Out>): Promise<Out> => client.send(cmd);

// AWS "Allows MFA-authenticated IAM users to manage their own credentials" (iam-policy-evaluation.md §3.1), pretty-printed.
const MFA_SELF_MANAGE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AllowViewAccountInfo', Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy', 'iam:GetAccountSummary', 'iam:ListVirtualMFADevices'], Resource: '*' },
    { Sid: 'AllowManageOwnPasswords', Effect: 'Allow', Action: ['iam:ChangePassword', 'iam:GetUser'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
    { Sid: 'AllowManageOwnAccessKeys', Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
    { Sid: 'AllowManageOwnVirtualMFADevice', Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'], Resource: 'arn:aws:iam::*:mfa/${aws:username}' },
    { Sid: 'AllowManageOwnUserMFA', Effect: 'Allow', Action: ['iam:DeactivateMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
    {
      Sid: 'DenyAllExceptListedIfNoMFA',
      Effect: 'Deny',
      NotAction: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  ],
}, null, 2);

const doc = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const MFA_TRUE: I.ContextEntry[] = [{ ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyValues: ['true'], ContextKeyType: 'boolean' }];
const MFA_FALSE: I.ContextEntry[] = [{ ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyValues: ['false'], ContextKeyType: 'boolean' }];

/** 1-based line and column of the n-th statement's braces, found by reading the text independently. */
function bracesOf(text: string, sid: string) {
  const lines = text.split('\n');
  const sidLine = lines.findIndex((l) => l.includes(`"Sid": "${sid}"`));
  let open = sidLine;
  while (!lines[open]!.trim().startsWith('{')) open--;
  const indent = lines[open]!.indexOf('{');
  let close = sidLine;
  while (!(lines[close]!.indexOf('}') === indent && lines[close]!.trim().startsWith('}'))) close++;
  return { start: { Line: open + 1, Column: indent + 1 }, end: { Line: close + 1, Column: indent + 1 } };
}

async function userWith(name: string, inline: Record<string, string> = {}): Promise<string> {
  await send(new I.CreateUserCommand({ UserName: name }));
  for (const [pn, d] of Object.entries(inline)) await send(new I.PutUserPolicyCommand({ UserName: name, PolicyName: pn, PolicyDocument: d }));
  return `arn:aws:iam::${acct}:user/${name}`;
}

test("AWS's MFA enforcement policy: explicitDeny without MFA naming the Deny statement, allowed with aws:MultiFactorAuthPresent=true", async () => {
  const alice = await userWith('alice', { SelfManage: MFA_SELF_MANAGE });
  const own = alice;
  const base = { PolicySourceArn: alice, ActionNames: ['iam:CreateAccessKey'], ResourceArns: [own] };

  // Long-term keys: the key is absent, BoolIfExists is true, the Deny applies.
  const none = (await send(new I.SimulatePrincipalPolicyCommand(base))).EvaluationResults!;
  assert.equal(none.length, 1);
  assert.equal(none[0]!.EvalActionName, 'iam:CreateAccessKey');
  assert.equal(none[0]!.EvalResourceName, own);
  assert.equal(none[0]!.EvalDecision, 'explicitDeny');
  assert.equal(none[0]!.MatchedStatements!.length, 1);
  const m = none[0]!.MatchedStatements![0]!;
  assert.equal(m.SourcePolicyId, 'SelfManage');
  assert.equal(m.SourcePolicyType, 'IAM Policy', "AWS's value for every identity-based policy");
  const want = bracesOf(MFA_SELF_MANAGE, 'DenyAllExceptListedIfNoMFA');
  assert.deepEqual(m.StartPosition, want.start);
  assert.deepEqual(m.EndPosition, want.end);
  assert.deepEqual(none[0]!.MissingContextValues, ['aws:MultiFactorAuthPresent']);

  // Temporary credentials without MFA: "false", still denied, nothing missing.
  const no = (await send(new I.SimulatePrincipalPolicyCommand({ ...base, ContextEntries: MFA_FALSE }))).EvaluationResults![0]!;
  assert.equal(no.EvalDecision, 'explicitDeny');
  assert.deepEqual(no.MissingContextValues, []);

  // With MFA: the Allow for the user's own resource (${aws:username} = alice, from the simulated principal) decides.
  const yes = (await send(new I.SimulatePrincipalPolicyCommand({ ...base, ContextEntries: MFA_TRUE }))).EvaluationResults![0]!;
  assert.equal(yes.EvalDecision, 'allowed');
  assert.equal(yes.MatchedStatements!.length, 1);
  assert.deepEqual(yes.MatchedStatements![0]!.StartPosition, bracesOf(MFA_SELF_MANAGE, 'AllowManageOwnAccessKeys').start);
  assert.deepEqual(yes.MissingContextValues, []);

  // Someone else's user is out of reach even with MFA; enrolling one's own device works without it.
  const other = (await send(new I.SimulatePrincipalPolicyCommand({ ...base, ResourceArns: [`arn:aws:iam::${acct}:user/bob`], ContextEntries: MFA_TRUE }))).EvaluationResults![0]!;
  assert.equal(other.EvalDecision, 'implicitDeny');
  assert.deepEqual(other.MatchedStatements, []);
  const enrol = (await send(new I.SimulatePrincipalPolicyCommand({
    PolicySourceArn: alice,
    ActionNames: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:ListUsers'],
    ResourceArns: [`arn:aws:iam::${acct}:mfa/alice`, own],
  }))).EvaluationResults;
  const decision = (a: string, r: string) => enrol!.find((x) => x.EvalActionName === a && x.EvalResourceName === r)!.EvalDecision;
  assert.equal(enrol!.length, 6, 'one result per action and resource');
  assert.equal(decision('iam:CreateVirtualMFADevice', `arn:aws:iam::${acct}:mfa/alice`), 'allowed');
  assert.equal(decision('iam:EnableMFADevice', own), 'allowed');
  assert.equal(decision('iam:CreateVirtualMFADevice', own), 'implicitDeny');
  assert.equal(decision('iam:ListUsers', own), 'explicitDeny');
  assert.equal(enrol![0]!.ResourceSpecificResults![0]!.EvalResourceName, enrol![0]!.EvalResourceName);
  assert.equal(enrol![0]!.ResourceSpecificResults![0]!.EvalResourceDecision, enrol![0]!.EvalDecision);
  // As AWS answers a same-account simulation naming a resource: an empty EvalDecisionDetails on the result, none in
  // ResourceSpecificResults (LocalStack's AWS-validated test_simulate_principle_policy snapshots).
  assert.deepEqual(enrol![0]!.EvalDecisionDetails, {});
  assert.equal(enrol![0]!.ResourceSpecificResults![0]!.EvalDecisionDetails, undefined);
  assert.equal(enrol![0]!.ResourceSpecificResults!.length, 1);
});

test('a user includes its groups and attached managed policies; ResourceArns default to *; PolicyInputList adds policies', async () => {
  const carol = await userWith('carol');
  await send(new I.CreateGroupCommand({ GroupName: 'readers' }));
  await send(new I.AddUserToGroupCommand({ GroupName: 'readers', UserName: 'carol' }));
  await send(new I.PutGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'GroupRead', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }) }));
  await send(new I.AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
  const local = (await send(new I.CreatePolicyCommand({ PolicyName: 'NoDeletes', PolicyDocument: doc({ Effect: 'Deny', Action: 'iam:Delete*', Resource: '*' }) }))).Policy!;
  await send(new I.AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: local.Arn }));

  const r = (await send(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: carol, ActionNames: ['iam:ListUsers', 'iam:DeleteUser', 'iam:CreateUser', 'iam:GetRole'] }))).EvaluationResults!;
  const by = Object.fromEntries(r.map((x): [string, I.EvaluationResult] => [x.EvalActionName!, x]));
  assert.ok(r.every((x) => x.EvalResourceName === '*'));
  assert.ok(r.every((x) => x.EvalDecisionDetails === undefined && x.ResourceSpecificResults === undefined), 'no resource named: neither is sent');
  assert.equal(by['iam:ListUsers']!.EvalDecision, 'allowed');
  const sources = by['iam:ListUsers']!.MatchedStatements!.map((s) => `${s.SourcePolicyType}:${s.SourcePolicyId}`).sort();
  assert.deepEqual(sources, ['IAM Policy:GroupRead', 'IAM Policy:IAMReadOnlyAccess']);
  assert.equal(by['iam:DeleteUser']!.EvalDecision, 'explicitDeny');
  assert.deepEqual(by['iam:DeleteUser']!.MatchedStatements!.map((s) => [s.SourcePolicyType, s.SourcePolicyId]), [['IAM Policy', 'NoDeletes']]);
  assert.equal(by['iam:CreateUser']!.EvalDecision, 'implicitDeny');
  assert.equal(by['iam:GetRole']!.EvalDecision, 'allowed');

  const extra = (await send(new I.SimulatePrincipalPolicyCommand({
    PolicySourceArn: carol, ActionNames: ['iam:CreateUser'], PolicyInputList: [doc({ Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*' })],
  }))).EvaluationResults![0];
  assert.equal(extra!.EvalDecision, 'allowed');
  assert.deepEqual(extra!.MatchedStatements!.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['PolicyInputList.1', 'IAM Policy']]);
  assert.deepEqual(extra!.MatchedStatements![0]!.StartPosition, { Line: 1, Column: 38 });
});

test('groups and roles as sources; permissions boundaries from the entity or PermissionsBoundaryPolicyInputList', async () => {
  await send(new I.CreateGroupCommand({ GroupName: 'ops' }));
  await send(new I.PutGroupPolicyCommand({ GroupName: 'ops', PolicyName: 'OpsAll', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) }));
  const g = (await send(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${acct}:group/ops`, ActionNames: ['iam:CreateRole'] }))).EvaluationResults![0]!;
  assert.equal(g.EvalDecision, 'allowed');
  assert.equal(g.MatchedStatements![0]!.SourcePolicyType, 'IAM Policy');
  assert.equal(g.PermissionsBoundaryDecisionDetail, undefined);

  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const boundary = (await send(new I.CreatePolicyCommand({ PolicyName: 'OnlyGets', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }) }))).Policy!;
  const role = (await send(new I.CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: trust, PermissionsBoundary: boundary.Arn }))).Role!;
  await send(new I.AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  const rr = (await send(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: role.Arn, ActionNames: ['iam:GetUser', 'iam:CreateUser'] }))).EvaluationResults!;
  assert.equal(rr[0]!.EvalDecision, 'allowed');
  assert.deepEqual(rr[0]!.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });
  assert.deepEqual(rr[0]!.MatchedStatements!.map((x) => [x.SourcePolicyId, x.SourcePolicyType]), [['AdministratorAccess', 'IAM Policy']]);
  assert.equal(rr[1]!.EvalDecision, 'implicitDeny', 'outside the boundary');
  assert.deepEqual(rr[1]!.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });

  // A boundary in the request replaces the role's own.
  const over = (await send(new I.SimulatePrincipalPolicyCommand({
    PolicySourceArn: role.Arn, ActionNames: ['iam:CreateUser'], PermissionsBoundaryPolicyInputList: [doc({ Effect: 'Allow', Action: 'iam:Create*', Resource: '*' })],
  }))).EvaluationResults![0];
  assert.equal(over!.EvalDecision, 'allowed');
  assert.deepEqual(over!.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });

  // A Deny in the boundary is named as such.
  const denied = (await send(new I.SimulatePrincipalPolicyCommand({
    PolicySourceArn: role.Arn, ActionNames: ['iam:GetUser'],
    PermissionsBoundaryPolicyInputList: [doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:GetUser', Resource: '*' })],
  }))).EvaluationResults![0];
  assert.equal(denied!.EvalDecision, 'explicitDeny');
  assert.deepEqual(denied!.MatchedStatements!.map((x) => [x.SourcePolicyId, x.SourcePolicyType]), [['PermissionsBoundaryPolicyInputList.1', 'Permissions Boundary Policy']]);
});

test('SimulateCustomPolicy: context types, lists, IfExists, CallerArn for policy variables, resource policies', async () => {
  const policy = doc(
    { Sid: 'Net', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } },
    { Sid: 'Tags', Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } } },
    { Sid: 'Own', Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::*:user/${aws:username}' },
  );
  const run = (extra: Omit<I.SimulateCustomPolicyCommandInput, 'PolicyInputList'>) => send(new I.SimulateCustomPolicyCommand({ PolicyInputList: [policy], ...extra })).then((r) => r.EvaluationResults);

  const ok = await run({
    ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::bucket/key'],
    ContextEntries: [
      { ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.1.2.3'], ContextKeyType: 'ip' },
      { ContextKeyName: 'aws:MultiFactorAuthAge', ContextKeyValues: ['120'], ContextKeyType: 'numeric' },
    ],
  });
  assert.equal(ok![0]!.EvalDecision, 'allowed');
  const old = await run({
    ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::bucket/key'],
    ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.1.2.3'], ContextKeyType: 'ip' }, { ContextKeyName: 'aws:MultiFactorAuthAge', ContextKeyValues: ['7200'], ContextKeyType: 'numeric' }],
  });
  assert.equal(old![0]!.EvalDecision, 'implicitDeny');
  const missing = (await run({ ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::bucket/key'] }))!;
  assert.deepEqual(missing[0]!.MissingContextValues, ['aws:MultiFactorAuthAge', 'aws:SourceIp']);

  const tags = (await run({ ActionNames: ['s3:PutObject'], ContextEntries: [{ ContextKeyName: 'aws:TagKeys', ContextKeyValues: ['env', 'team'], ContextKeyType: 'stringList' }] }))!;
  assert.equal(tags[0]!.EvalDecision, 'allowed');
  const badTag = (await run({ ActionNames: ['s3:PutObject'], ContextEntries: [{ ContextKeyName: 'aws:TagKeys', ContextKeyValues: ['env', 'cost'], ContextKeyType: 'stringList' }] }))!;
  assert.equal(badTag[0]!.EvalDecision, 'implicitDeny');

  // No caller: ${aws:username} cannot resolve. CallerArn supplies it.
  await userWith('dave');
  const anon = (await run({ ActionNames: ['iam:GetUser'], ResourceArns: [`arn:aws:iam::${acct}:user/dave`] }))!;
  assert.equal(anon[0]!.EvalDecision, 'implicitDeny');
  const asDave = (await run({ ActionNames: ['iam:GetUser'], ResourceArns: [`arn:aws:iam::${acct}:user/dave`], CallerArn: `arn:aws:iam::${acct}:user/dave` }))!;
  assert.equal(asDave[0]!.EvalDecision, 'allowed');

  // A resource policy naming the caller allows on its own; a Deny in it wins.
  const rp = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${acct}:user/dave` }, Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::bucket/*' }] });
  const viaResource = (await run({ ActionNames: ['s3:DeleteObject'], ResourceArns: ['arn:aws:s3:::bucket/k'], ResourcePolicy: rp, CallerArn: `arn:aws:iam::${acct}:user/dave` }))!;
  assert.equal(viaResource[0]!.EvalDecision, 'allowed');
  assert.deepEqual(viaResource[0]!.MatchedStatements!.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['ResourcePolicy', 'Resource Policy']]);
  const noCaller = await rejects(run({ ActionNames: ['s3:DeleteObject'], ResourcePolicy: rp }));
  assert.equal(noCaller.name, 'InvalidInputException');
});

test('GetContextKeysForPrincipalPolicy and GetContextKeysForCustomPolicy', async () => {
  const erin = await userWith('erin', { SelfManage: MFA_SELF_MANAGE });
  const keys = (await send(new I.GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: erin }))).ContextKeyNames;
  assert.deepEqual(keys, ['aws:MultiFactorAuthPresent', 'aws:username']);
  const more = (await send(new I.GetContextKeysForPrincipalPolicyCommand({
    PolicySourceArn: erin, PolicyInputList: [doc({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })],
  }))).ContextKeyNames;
  assert.deepEqual(more, ['aws:MultiFactorAuthPresent', 'aws:SourceIp', 'aws:username']);
  const custom = (await send(new I.GetContextKeysForCustomPolicyCommand({
    PolicyInputList: [doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' }, StringEquals: { 'aws:PrincipalTag/team': 'x' } } })],
  }))).ContextKeyNames;
  assert.deepEqual(custom, ['aws:MultiFactorAuthAge', 'aws:PrincipalTag/team']);
  const none = (await send(new I.GetContextKeysForCustomPolicyCommand({ PolicyInputList: [doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' })] }))).ContextKeyNames;
  assert.deepEqual(none ?? [], []);
});

test('paging with MaxItems and Marker', async () => {
  const actions = ['iam:GetUser', 'iam:ListUsers', 'iam:CreateUser', 'iam:DeleteUser', 'iam:UpdateUser'];
  const input = { PolicyInputList: [doc({ Effect: 'Allow', Action: 'iam:*User', Resource: '*' })], ActionNames: actions };
  const seen: (string | undefined)[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const r: I.SimulatePolicyResponse = await send(new I.SimulateCustomPolicyCommand({ ...input, MaxItems: 2, ...(marker ? { Marker: marker } : {}) }));
    pages++;
    seen.push(...r.EvaluationResults!.map((x) => x.EvalActionName));
    assert.ok(r.EvaluationResults!.length <= 2);
    marker = r.IsTruncated ? r.Marker : undefined;
    if (r.IsTruncated) assert.ok(r.Marker);
  } while (marker);
  assert.equal(pages, 3);
  assert.deepEqual(seen, actions);
  const bad = await rejects(send(new I.SimulateCustomPolicyCommand({ ...input, Marker: 'not-a-marker' })));
  assert.equal(bad.name, 'InvalidInputException');
});


test('an expensive simulation pages early under its work bound, and paging still yields every result, each right', async () => {
  // Every evaluation scans a 150,000-character context value twice (a piece absent from it, then one at its
  // end): about 300,000 steps each, so 60 of them exceed one page's work bound and the first page ends early.
  const value = `${'ab'.repeat(75_000)}yz`;
  const policy = doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { StringLike: { 'aws:username': ['*q*z', '*y*z'] } } });
  const actions = Array.from({ length: 60 }, (_, i) => `iam:Get${i}`);
  const input: I.SimulateCustomPolicyCommandInput = {
    PolicyInputList: [policy], ActionNames: actions,
    ContextEntries: [{ ContextKeyName: 'aws:username', ContextKeyValues: [value], ContextKeyType: 'string' }],
  };
  const first = await send(new I.SimulateCustomPolicyCommand({ ...input, MaxItems: 1000 }));
  assert.equal(first.IsTruncated, true);
  assert.ok(first.EvaluationResults!.length >= 1 && first.EvaluationResults!.length < actions.length, `first page held ${first.EvaluationResults!.length}`);
  const seen = [...first.EvaluationResults!];
  let marker = first.Marker;
  while (marker) {
    const r = await send(new I.SimulateCustomPolicyCommand({ ...input, MaxItems: 1000, Marker: marker }));
    seen.push(...r.EvaluationResults!);
    marker = r.IsTruncated ? r.Marker : undefined;
  }
  assert.deepEqual(seen.map((x) => x.EvalActionName), actions);
  assert.ok(seen.every((x) => x.EvalDecision === 'allowed'), 'every pair is decided, none cut off fail-closed');
});
test('error paths: unknown source, bad ARNs, bad documents, bad context values; all 4xx in AWS format', async () => {
  const expect = async <In extends I.ServiceInputTypes, Out extends I.ServiceOutputTypes>(cmd: IamCommand<In, Out>, name: string, status: number, re?: RegExp) => {
    const e = await rejects(send(cmd));
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata.httpStatusCode, status);
    if (re) assert.match(e.message, re);
  };
  await expect(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${acct}:user/nobody`, ActionNames: ['iam:GetUser'] }), 'NoSuchEntityException', 404, /nobody/);
  await expect(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${acct}:role/nothing`, ActionNames: ['iam:GetUser'] }), 'NoSuchEntityException', 404);
  await expect(new I.GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${acct}:group/nogroup` }), 'NoSuchEntityException', 404);
  await expect(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:s3:::bucket-name-here', ActionNames: ['iam:GetUser'] }), 'InvalidInputException', 400, /Invalid ARN/);
  await expect(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: 'this-is-not-an-arn-at-all', ActionNames: ['iam:GetUser'] }), 'InvalidInputException', 400);
  await userWith('frank');
  const frank = `arn:aws:iam::${acct}:user/frank`;
  await expect(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: frank, ActionNames: ['iam:GetUser'], CallerArn: `arn:aws:iam::${acct}:role/r` }), 'InvalidInputException', 400, /CallerArn/);
  await expect(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: frank, ActionNames: ['iam:GetUser'], ResourceArns: ['bucket'] }), 'InvalidInputException', 400, /ResourceArns/);
  await expect(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: frank, ActionNames: ['GetUser'] }), 'InvalidInputException', 400, /action/);
  await expect(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: frank, ActionNames: ['iam:GetUser'], PolicyInputList: ['{not json'] }), 'InvalidInputException', 400, /PolicyInputList\.1/);
  await expect(new I.SimulateCustomPolicyCommand({ PolicyInputList: [doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'allow', Action: 'iam:GetUser', Resource: '*' }] })], ActionNames: ['iam:GetUser'] }), 'InvalidInputException', 400, /PolicyInputList\.2: The policy failed legacy parsing/);
  await expect(new I.GetContextKeysForCustomPolicyCommand({ PolicyInputList: [JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iam:GetUser' }] })] }), 'InvalidInputException', 400, /resources/);
  const ctx = (entry: I.ContextEntry) => new I.SimulateCustomPolicyCommand({ PolicyInputList: [doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' })], ActionNames: ['iam:GetUser'], ContextEntries: [entry] });
  await expect(ctx({ ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyValues: ['yes'], ContextKeyType: 'boolean' }), 'InvalidInputException', 400, /boolean/);
  await expect(ctx({ ContextKeyName: 'aws:MultiFactorAuthAge', ContextKeyValues: ['soon'], ContextKeyType: 'numeric' }), 'InvalidInputException', 400, /numeric/);
  await expect(ctx({ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['300.1.1.1'], ContextKeyType: 'ip' }), 'InvalidInputException', 400, /ip/);
  await expect(ctx({ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['yesterday'], ContextKeyType: 'date' }), 'InvalidInputException', 400, /date/);
  await expect(ctx({ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['1.1.1.1', '2.2.2.2'], ContextKeyType: 'ip' }), 'InvalidInputException', 400, /ipList/);
  await expect(ctx({ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['1.1.1.1'], ContextKeyType: 'nonsense' as I.ContextKeyTypeEnum }) /* deliberately no member of the enum */, 'ValidationError', 400);
  // Missing required members: the model's ValidationError.
  await expect(new I.SimulateCustomPolicyCommand({ PolicyInputList: [doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' })] } as I.SimulateCustomPolicyCommandInput /* deliberately without the required ActionNames */), 'ValidationError', 400, /actionNames/);
});

test('a user needs iam:SimulatePrincipalPolicy on the source to simulate it', async () => {
  await userWith('gus', { Own: doc({ Effect: 'Allow', Action: 'iam:SimulatePrincipalPolicy', Resource: 'arn:aws:iam::*:user/${aws:username}' }) });
  const key = (await send(new I.CreateAccessKeyCommand({ UserName: 'gus' }))).AccessKey;
  const gus = iam(node, keyCreds(key));
  const own = await gus.send(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${acct}:user/gus`, ActionNames: ['iam:SimulatePrincipalPolicy'], ResourceArns: [`arn:aws:iam::${acct}:user/gus`] }));
  assert.equal(own.EvaluationResults![0]!.EvalDecision, 'allowed');
  const denied = await rejects(gus.send(new I.SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${acct}:user/alice`, ActionNames: ['iam:GetUser'] })));
  assert.equal(denied.name, 'AccessDenied');
  assert.equal(denied.$metadata.httpStatusCode, 403);
  assert.match(denied.message, new RegExp(`iam:SimulatePrincipalPolicy on resource: arn:aws:iam::${acct}:user/alice`));
});

/** The parts of `aws iam simulate-principal-policy`'s JSON this file reads (AWS sends at least one of each). */
interface CliSimulation {
  EvaluationResults: [{
    EvalDecision: string;
    EvalDecisionDetails: unknown;
    MatchedStatements: [{ SourcePolicyId: string; SourcePolicyType: string; StartPosition: unknown }];
    ResourceSpecificResults: [object];
  }];
}

test('aws CLI: simulate-principal-policy with --context-entries answers explicitDeny vs allowed', { skip: NO_AWS_CLI }, async () => {
  const hank = await userWith('hank', { SelfManage: MFA_SELF_MANAGE });
  const args = ['iam', 'simulate-principal-policy', '--policy-source-arn', hank, '--action-names', 'iam:ListAccessKeys', '--resource-arns', hank];
  const without = await awsCli(node, args);
  assert.ok(without.ok, without.stderr);
  const withoutJson = without.json as CliSimulation; // parsed CLI output
  assert.equal(withoutJson.EvaluationResults[0].EvalDecision, 'explicitDeny');
  assert.equal(withoutJson.EvaluationResults[0].MatchedStatements[0].SourcePolicyId, 'SelfManage');
  assert.equal(withoutJson.EvaluationResults[0].MatchedStatements[0].SourcePolicyType, 'IAM Policy');
  assert.deepEqual(withoutJson.EvaluationResults[0].EvalDecisionDetails, {});
  assert.deepEqual(Object.keys(withoutJson.EvaluationResults[0].ResourceSpecificResults[0]).sort(), ['EvalResourceDecision', 'EvalResourceName', 'MatchedStatements', 'MissingContextValues']);
  assert.deepEqual(withoutJson.EvaluationResults[0].MatchedStatements[0].StartPosition, bracesOf(MFA_SELF_MANAGE, 'DenyAllExceptListedIfNoMFA').start);
  const withMfa = await awsCli(node, [...args, '--context-entries', 'ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=true,ContextKeyType=boolean']);
  assert.ok(withMfa.ok, withMfa.stderr);
  assert.equal((withMfa.json as CliSimulation).EvaluationResults[0].EvalDecision, 'allowed');
  const keys = await awsCli(node, ['iam', 'get-context-keys-for-principal-policy', '--policy-source-arn', hank]);
  assert.deepEqual((keys.json as { ContextKeyNames: string[] }).ContextKeyNames, ['aws:MultiFactorAuthPresent', 'aws:username']);
  const bad = await awsCli(node, ['iam', 'simulate-principal-policy', '--policy-source-arn', `arn:aws:iam::${acct}:user/ghost`, '--action-names', 'iam:GetUser']);
  assert.equal(bad.ok, false);
  assert.match(bad.stderr, /NoSuchEntity/);
});

test('boto3: simulate_custom_policy and simulate_principal_policy with ContextEntries', { skip: NO_BOTO3 }, async () => {
  await userWith('ivy', { SelfManage: MFA_SELF_MANAGE });
  const out = await boto3(node, `
arn = 'arn:aws:iam::${acct}:user/ivy'
a = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=['iam:DeleteAccessKey'], ResourceArns=[arn])['EvaluationResults'][0]
b = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=['iam:DeleteAccessKey'], ResourceArns=[arn],
    ContextEntries=[{'ContextKeyName': 'aws:MultiFactorAuthPresent', 'ContextKeyValues': ['true'], 'ContextKeyType': 'boolean'}])['EvaluationResults'][0]
c = iam.simulate_custom_policy(PolicyInputList=[${JSON.stringify(MFA_SELF_MANAGE)}], ActionNames=['iam:ListVirtualMFADevices', 'iam:GetAccountSummary'],
    ContextEntries=[{'ContextKeyName': 'aws:MultiFactorAuthPresent', 'ContextKeyValues': ['false'], 'ContextKeyType': 'boolean'}])['EvaluationResults']
try:
    iam.simulate_custom_policy(PolicyInputList=['{'], ActionNames=['iam:GetUser'])
    err = None
except botocore.exceptions.ClientError as e:
    err = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
out({'a': a['EvalDecision'], 'aStmt': a['MatchedStatements'][0]['SourcePolicyId'], 'b': b['EvalDecision'], 'c': [x['EvalDecision'] for x in c], 'err': err})
`);
  assert.deepEqual(out, { a: 'explicitDeny', aStmt: 'SelfManage', b: 'allowed', c: ['allowed', 'explicitDeny'], err: ['InvalidInput', 400] });
});
