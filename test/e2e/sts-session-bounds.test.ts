// GetSessionToken and AssumeRole are bounded per originating identity (the user or root, all its keys and every
// role session descending from it): new sessions per minute and unexpired sessions, counted in the database so two
// nodes share one budget. Beyond the bound: Throttling (400) "Rate exceeded", as STS throttles.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import type { Credentials } from '@aws-sdk/client-sts';
import { startGatehouse, createPgDatabase, MULTINODE_SKIP } from '../helpers/server.js';
import { iam, sts, rejects, boto3, NO_BOTO3, keyCreds } from '../helpers/clients.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */
import type { Credentials as Creds } from '../helpers/server.js';

const started: Node[] = [];
async function node(env?: NodeJS.ProcessEnv): Promise<Node> {
  const n = await startGatehouse(env ? { env } : {});
  started.push(n);
  return n;
}
after(async () => { for (const n of started.reverse()) await n.stop(); });

const doc = (statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
/** A session's keys from an STS answer (the SDK types every output member as optional). */
function sessionCreds(c: Credentials | undefined): Creds {
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken, 'the call returned credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

async function userWithKeys(n: Node, name: string, keys = 1): Promise<Creds[]> {
  const a = iam(n);
  await a.send(new I.CreateUserCommand({ UserName: name }));
  await a.send(new I.PutUserPolicyCommand({ UserName: name, PolicyName: 'sts', PolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }]) }));
  const out: Creds[] = [];
  for (let i = 0; i < keys; i++) {
    const { AccessKey } = await a.send(new I.CreateAccessKeyCommand({ UserName: name }));
    out.push(keyCreds(AccessKey));
  }
  return out;
}

async function throttled(promise: Promise<unknown>): Promise<void> {
  const e = await rejects(promise);
  assert.equal(e.name, 'Throttling');
  assert.equal(e.$metadata.httpStatusCode, 400);
  assert.equal(e.message, 'Rate exceeded');
}

test('the default bound: 60 new sessions a minute per user, across its access keys; others are unaffected', async () => {
  const n = await node();
  const [k1, k2] = await userWithKeys(n, 'burst', 2);
  for (let i = 0; i < 60; i++) await sts(n, i % 2 ? k1 : k2).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
  await throttled(sts(n, k1).send(new GetSessionTokenCommand({ DurationSeconds: 900 })));
  await throttled(sts(n, k2).send(new GetSessionTokenCommand({ DurationSeconds: 900 })));
  // Other calls and other identities go on.
  assert.match((await sts(n, k1).send(new GetCallerIdentityCommand({}))).Arn!, /:user\/burst$/);
  const [other] = await userWithKeys(n, 'calm');
  await sts(n, other).send(new GetSessionTokenCommand({}));
  if (!NO_BOTO3) {
    const r = await boto3(n, `
try:
    sts.get_session_token()
    out({'ok': True})
except botocore.exceptions.ClientError as e:
    out({'code': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'message': e.response['Error']['Message']})`, k1);
    assert.deepEqual(r, { code: 'Throttling', status: 400, message: 'Rate exceeded' });
  }
});

test('a cap on unexpired sessions, shared by GetSessionToken, AssumeRole and role chains of one user; another identity has its own', async () => {
  const n = await node({ GATEHOUSE_STS_MAX_LIVE_SESSIONS: '4', GATEHOUSE_STS_SESSIONS_PER_MINUTE: '1000' });
  const [key] = await userWithKeys(n, 'capped');
  const Role = (await iam(n).send(new I.CreateRoleCommand({ RoleName: 'Hop', AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: n.accountId }, Action: 'sts:AssumeRole' }]) }))).Role!;
  await iam(n).send(new I.PutRolePolicyCommand({ RoleName: 'Hop', PolicyName: 'p', PolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }]) }));
  await sts(n, key).send(new GetSessionTokenCommand({}));
  const s1 = await sts(n, key).send(new AssumeRoleCommand({ RoleArn: Role.Arn, RoleSessionName: 'one' }));
  // A role session's own AssumeRole counts against the user it descends from.
  await sts(n, sessionCreds(s1.Credentials)).send(new AssumeRoleCommand({ RoleArn: Role.Arn, RoleSessionName: 'two' }));
  await sts(n, sessionCreds(s1.Credentials)).send(new AssumeRoleCommand({ RoleArn: Role.Arn, RoleSessionName: 'three' }));
  await throttled(sts(n, key).send(new GetSessionTokenCommand({})));
  await throttled(sts(n, sessionCreds(s1.Credentials)).send(new AssumeRoleCommand({ RoleArn: Role.Arn, RoleSessionName: 'four' })));
  // The sessions already issued keep working.
  assert.match((await sts(n, sessionCreds(s1.Credentials)).send(new GetCallerIdentityCommand({}))).Arn!, /assumed-role\/Hop\/one$/);
  // The admin (another identity) is not affected by the user's cap.
  for (let i = 0; i < 4; i++) await sts(n).send(new GetSessionTokenCommand({}));
  await throttled(sts(n).send(new GetSessionTokenCommand({})));
});

test('two nodes on one database share the budget', { skip: MULTINODE_SKIP }, async () => {
  const database = await createPgDatabase();
  try {
    const env = { GATEHOUSE_STS_SESSIONS_PER_MINUTE: '6' };
    const a = await startGatehouse({ databaseUrl: database.url, env });
    const b = await startGatehouse({ databaseUrl: database.url, dataDir: a.dataDir, env });
    try {
      const [key] = await userWithKeys(a, 'shared');
      // Concurrently, half on each node: exactly 6 succeed, the rest are throttled.
      const calls = Array.from({ length: 10 }, (_, i) => sts(i % 2 ? a : b, key).send(new GetSessionTokenCommand({ DurationSeconds: 900 })).then(() => 'ok', (e) => e.name));
      const results = await Promise.all(calls);
      assert.equal(results.filter((r) => r === 'ok').length, 6, results.join(','));
      assert.equal(results.filter((r) => r === 'Throttling').length, 4, results.join(','));
    } finally {
      await b.stop({ keepData: true });
      await a.stop();
    }
  } finally {
    await database.drop();
  }
});
