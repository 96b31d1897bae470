// The aws CLI and boto3, unchanged, against Gatehouse: the commands a user types first, errors as botocore
// parses them, and presigned URLs as botocore and @smithy/signature-v4 make them (over the hash of the empty
// body), including the EKS-style presigned sts:GetCallerIdentity with a signed x-k8s-aws-id header.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse } from '../helpers/server.js';
import { awsCli, boto3, NO_AWS_CLI, NO_BOTO3 } from '../helpers/clients.js';
import { formRequest, presign, send, errorCode } from '../helpers/raw.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
let node: Node;
/** The parsed JSON the aws CLI prints: the parts read here. */
const cliJson = <T>(r: { json: unknown }): T => r.json as T; // the CLI prints the operation's output as JSON
before(async () => { node = await startGatehouse(); });
after(async () => { await node?.stop(); });

test('aws CLI: create-user, get-user, list-users, tags, groups, keys, get-caller-identity', { skip: NO_AWS_CLI }, async () => {
  const created = await awsCli(node, ['iam', 'create-user', '--user-name', 'jane.doe', '--tags', 'Key=team,Value=sec']);
  assert.ok(created.ok, created.stderr);
  const createdUser = cliJson<{ User: { UserName: string; Arn: string } }>(created).User;
  assert.equal(createdUser.UserName, 'jane.doe');
  assert.equal(createdUser.Arn, `arn:aws:iam::${node.accountId}:user/jane.doe`);
  const got = await awsCli(node, ['iam', 'get-user', '--user-name', 'jane.doe']);
  assert.deepEqual(cliJson<{ User: { Tags: unknown } }>(got).User.Tags, [{ Key: 'team', Value: 'sec' }]);
  const listed = await awsCli(node, ['iam', 'list-users']);
  assert.deepEqual(cliJson<{ Users: { UserName: string }[] }>(listed).Users.map((u) => u.UserName).sort(), ['admin', 'jane.doe']);
  assert.ok((await awsCli(node, ['iam', 'create-group', '--group-name', 'auditors'])).ok);
  assert.ok((await awsCli(node, ['iam', 'add-user-to-group', '--group-name', 'auditors', '--user-name', 'jane.doe'])).ok);
  const groups = await awsCli(node, ['iam', 'list-groups-for-user', '--user-name', 'jane.doe']);
  assert.deepEqual(cliJson<{ Groups: { GroupName: string }[] }>(groups).Groups.map((g) => g.GroupName), ['auditors']);
  const key = await awsCli(node, ['iam', 'create-access-key', '--user-name', 'jane.doe']);
  assert.match(cliJson<{ AccessKey: { AccessKeyId: string } }>(key).AccessKey.AccessKeyId, /^AKIA/);
  const who = await awsCli(node, ['sts', 'get-caller-identity']);
  assert.equal(cliJson<{ Arn: string }>(who).Arn, `arn:aws:iam::${node.accountId}:user/admin`);
  const summary = await awsCli(node, ['iam', 'get-account-summary']);
  assert.equal(cliJson<{ SummaryMap: Record<string, number> }>(summary).SummaryMap['Users'], 2);
});

test('aws CLI: errors come back as AWS errors with their code and message', { skip: NO_AWS_CLI }, async () => {
  const missing = await awsCli(node, ['iam', 'get-user', '--user-name', 'nobody']);
  assert.equal(missing.ok, false);
  assert.match(missing.stderr, /An error occurred \(NoSuchEntity\) when calling the GetUser operation( \(reached max retries: 0\))?: The user with name nobody cannot be found\./);
  const invalid = await awsCli(node, ['iam', 'create-user', '--user-name', 'has space']);
  assert.match(invalid.stderr, /\(ValidationError\)/);
  const badKey = await awsCli(node, ['iam', 'list-users'], { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x'.repeat(40) });
  assert.match(badKey.stderr, /\(InvalidClientTokenId\)/);
});

test('aws CLI: pagination across pages with --max-items and --page-size', { skip: NO_AWS_CLI }, async () => {
  for (let i = 0; i < 5; i++) assert.ok((await awsCli(node, ['iam', 'create-user', '--user-name', `cli-page-${i}`, '--path', '/cli/'])).ok);
  const all = await awsCli(node, ['iam', 'list-users', '--path-prefix', '/cli/', '--page-size', '2']);
  assert.deepEqual(cliJson<{ Users: { UserName: string }[] }>(all).Users.map((u) => u.UserName), ['cli-page-0', 'cli-page-1', 'cli-page-2', 'cli-page-3', 'cli-page-4']);
  const first = await awsCli(node, ['iam', 'list-users', '--path-prefix', '/cli/', '--max-items', '3']);
  const firstPage = cliJson<{ Users: unknown[]; NextToken?: string }>(first);
  assert.equal(firstPage.Users.length, 3);
  assert.ok(firstPage.NextToken);
});

test('boto3: users, login profiles, password policy, access keys, summary and typed errors', { skip: NO_BOTO3 }, async () => {
  const out = await boto3(node, `
r = {}
iam.create_user(UserName='py-user', Path='/py/')
r['user'] = iam.get_user(UserName='py-user')['User']
iam.update_account_password_policy(MinimumPasswordLength=10, RequireNumbers=True)
r['policy'] = iam.get_account_password_policy()['PasswordPolicy']
try:
    iam.create_login_profile(UserName='py-user', Password='short1')
except iam.exceptions.PasswordPolicyViolationException as e:
    r['ppv'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
iam.create_login_profile(UserName='py-user', Password='long-enough-1')
r['lp'] = iam.get_login_profile(UserName='py-user')['LoginProfile']['UserName']
k = iam.create_access_key(UserName='py-user')['AccessKey']
r['key'] = [k['AccessKeyId'][:4], len(k['SecretAccessKey'])]
try:
    iam.delete_user(UserName='py-user')
except iam.exceptions.DeleteConflictException as e:
    r['conflict'] = e.response['ResponseMetadata']['HTTPStatusCode']
try:
    iam.get_group(GroupName='nope')
except iam.exceptions.NoSuchEntityException as e:
    r['nse'] = e.response['Error']['Message']
r['summary'] = iam.get_account_summary()['SummaryMap']['Users']
r['who'] = sts.get_caller_identity()['Arn']
out(r)
`) as { user: { Path: string; UserName: string }; policy: { MinimumPasswordLength: number; RequireNumbers: boolean }; ppv: unknown; lp: string; key: unknown; conflict: number; nse: string; summary: number; who: string }; // what the snippet prints
  assert.equal(out.user.Path, '/py/');
  assert.equal(out.user.UserName, 'py-user');
  assert.equal(out.policy.MinimumPasswordLength, 10);
  assert.equal(out.policy.RequireNumbers, true);
  assert.deepEqual(out.ppv, ['PasswordPolicyViolation', 400]);
  assert.equal(out.lp, 'py-user');
  assert.deepEqual(out.key, ['AKIA', 40]);
  assert.equal(out.conflict, 409);
  assert.equal(out.nse, 'The group with name nope cannot be found.');
  assert.ok(out.summary >= 2);
  assert.equal(out.who, `arn:aws:iam::${node.accountId}:user/admin`);
});

test('boto3: a botocore-presigned GET URL works, and fails once the signature is altered', { skip: NO_BOTO3 }, async () => {
  const out = await boto3(node, `
url = iam.generate_presigned_url('list_users', Params={}, ExpiresIn=300, HttpMethod='GET')
out({'url': url})
`) as { url: string }; // what the snippet prints
  assert.match(out.url, /X-Amz-Signature=/);
  const ok = await fetch(out.url);
  assert.equal(ok.status, 200, await ok.clone().text());
  assert.match(await ok.text(), /<ListUsersResponse/);
  const bad = await fetch(out.url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`));
  assert.equal(bad.status, 403);
  assert.match(await bad.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
});

// How `aws eks get-token` and aws-iam-authenticator make a token: a presigned sts:GetCallerIdentity URL with the
// cluster name in a signed x-k8s-aws-id header; the verifier GETs it with that header.
test('boto3: an EKS-style presigned sts:GetCallerIdentity URL verifies, only with its signed header', { skip: NO_BOTO3 }, async () => {
  const out = await boto3(node, `
def keep(params, context, **kw):
    if 'x-k8s-aws-id' in params:
        context['x-k8s-aws-id'] = params.pop('x-k8s-aws-id')
def inject(request, **kw):
    if 'x-k8s-aws-id' in request.context:
        request.headers['x-k8s-aws-id'] = request.context['x-k8s-aws-id']
sts.meta.events.register('provide-client-params.sts.GetCallerIdentity', keep)
sts.meta.events.register('before-sign.sts.GetCallerIdentity', inject)
out({'url': sts.generate_presigned_url('get_caller_identity', Params={'x-k8s-aws-id': 'demo-cluster'}, ExpiresIn=60, HttpMethod='GET')})
`) as { url: string }; // what the snippet prints
  const url = new URL(out.url);
  assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'host;x-k8s-aws-id');
  assert.match(url.searchParams.get('X-Amz-Credential')!, /\/us-east-1\/sts\/aws4_request$/);
  assert.equal(url.searchParams.get('X-Amz-Expires'), '60');
  const ok = await fetch(out.url, { headers: { 'x-k8s-aws-id': 'demo-cluster' } });
  const text = await ok.text();
  assert.equal(ok.status, 200, text);
  assert.match(text, new RegExp(`<Arn>arn:aws:iam::${node.accountId}:user/admin</Arn>`));
  const other = await fetch(out.url, { headers: { 'x-k8s-aws-id': 'other-cluster' } });
  assert.equal(other.status, 403);
  assert.match(await other.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
});

test('@smithy/signature-v4 (the JS SDK signer): an EKS-style presigned sts:GetCallerIdentity URL verifies', async () => {
  const req = formRequest(node, { Action: 'GetCallerIdentity', Version: '2011-06-15' }, { method: 'GET' });
  (req.headers as Record<string, string>)['x-k8s-aws-id'] = 'demo-cluster'; // a request's headers: any name
  const pre = await presign(req, node.admin, { service: 'sts', expiresIn: 60 });
  assert.equal(pre.query!['X-Amz-SignedHeaders'], 'host;x-k8s-aws-id');
  const ok = await send(node, pre);
  assert.equal(ok.status, 200, ok.text);
  // the parsed XML answer
  assert.equal((ok.xml as { GetCallerIdentityResponse: { GetCallerIdentityResult: { Arn: string } } }).GetCallerIdentityResponse.GetCallerIdentityResult.Arn, `arn:aws:iam::${node.accountId}:user/admin`);
  const other = await send(node, { ...pre, headers: { ...pre.headers, 'x-k8s-aws-id': 'other-cluster' } });
  assert.equal(other.status, 403);
  assert.equal(errorCode(other), 'SignatureDoesNotMatch');
});
