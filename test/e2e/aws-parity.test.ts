// Answers compared with AWS's own, as LocalStack's AWS-validated snapshot tests record them
// (github.com/localstack/localstack, tests/aws/services/sts/test_sts.snapshot.json and
// tests/aws/services/iam/test_iam.snapshot.json), through the JS SDK v3 and boto3.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startGatehouse } from '../helpers/server.js';
import { iam, sts, rejects, boto3, NO_BOTO3 } from '../helpers/clients.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

let node: Node;
before(async () => { node = await startGatehouse(); });
after(async () => { await node?.stop(); });

// test_sts_invalid_parameters: each RoleArn and AWS's message.
const MALFORMED_ROLE_ARNS = [
  'nothing-valid-in-here', // not an ARN
  'arn::b:::something/test-role', // no partition
  'arn:a::::something/test-role', // no service
  'arn:a:::something/test-role', // too few colons
  'arn:a:a::aaaaaaaaaa:', // no resource
];

test('AssumeRole with a RoleArn that is no ARN: ValidationError 400 "<arn> is invalid", before any permission check', async () => {
  // A user with no policy at all: the form is checked first, so it is not AccessDenied.
  const admin = iam(node);
  await admin.send(new I.CreateUserCommand({ UserName: 'no-rights' }));
  const key = (await admin.send(new I.CreateAccessKeyCommand({ UserName: 'no-rights' }))).AccessKey!;
  for (const creds of [node.admin, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }]) {
    const client = sts(node, creds);
    for (const RoleArn of MALFORMED_ROLE_ARNS) {
      const e = await rejects(client.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'Session1' })));
      assert.equal(e.name, 'ValidationError', RoleArn);
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.message, `${RoleArn} is invalid`);
    }
  }
  // A well-formed ARN of a role that does not exist is still AccessDenied, as on AWS.
  const missing = `arn:aws:iam::${node.accountId}:role/nope`;
  const denied = await rejects(sts(node).send(new AssumeRoleCommand({ RoleArn: missing, RoleSessionName: 'Session1' })));
  assert.equal(denied.name, 'AccessDenied');
  assert.equal(denied.$metadata.httpStatusCode, 403);
});

test('boto3: AssumeRole with a malformed RoleArn raises ClientError ValidationError', { skip: NO_BOTO3 }, async () => {
  const r = await boto3(node, `
res = []
for arn in ${JSON.stringify(MALFORMED_ROLE_ARNS)}:
    try:
        sts.assume_role(RoleArn=arn, RoleSessionName='Session1')
        res.append(None)
    except botocore.exceptions.ClientError as e:
        res.append([e.response['Error']['Code'], e.response['Error']['Message'], e.response['Error']['Type'], e.response['ResponseMetadata']['HTTPStatusCode']])
out(res)
`);
  assert.deepEqual(r, MALFORMED_ROLE_ARNS.map((a) => ['ValidationError', `${a} is invalid`, 'Sender', 400]));
});

// test_get_user_without_username_as_role and test_assume_role: a role session asking GetUser about itself, and the
// shape of AssumeRole's answer for a trust policy naming the account by its id.
test('GetUser without UserName from a role session: ValidationError "Must specify userName when calling with non-User credentials"', async () => {
  const admin = iam(node);
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Action: 'sts:AssumeRole', Principal: { AWS: node.accountId }, Effect: 'Allow' }] });
  const role = (await admin.send(new I.CreateRoleCommand({ RoleName: 'get-user-role', AssumeRolePolicyDocument: trust }))).Role!;
  await admin.send(new I.PutRolePolicyCommand({ RoleName: 'get-user-role', PolicyName: 'sgetuser', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'sgetuser', Effect: 'Allow', Action: ['iam:GetUser'], Resource: '*' }] }) }));
  const assumed = await sts(node).send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'parity-session' }));
  assert.deepEqual(Object.keys(assumed).filter((k) => k !== '$metadata').sort(), ['AssumedRoleUser', 'Credentials']);
  assert.equal(assumed.AssumedRoleUser!.Arn, `arn:aws:sts::${node.accountId}:assumed-role/get-user-role/parity-session`);
  assert.equal(assumed.AssumedRoleUser!.AssumedRoleId, `${role.RoleId}:parity-session`);
  const c = assumed.Credentials!;
  const asRole = iam(node, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
  const e = await rejects(asRole.send(new I.GetUserCommand({})));
  assert.equal(e.name, 'ValidationError');
  assert.equal(e.$metadata.httpStatusCode, 400);
  assert.equal(e.message, 'Must specify userName when calling with non-User credentials');
  assert.equal((await asRole.send(new I.GetUserCommand({ UserName: 'admin' }))).User!.UserName, 'admin');
});
