// The root user through its own access keys (created with `gatehouse root-access-key create`, the stand-in for
// AWS's console): identity, unrestricted access, STS limits for root.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as I from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { Credentials } from '@aws-sdk/client-sts';
import { TOTP, Secret } from 'otpauth';
import { startGatehouse } from '../helpers/server.js';
import { iam, sts, rejects, boto3, NO_BOTO3 } from '../helpers/clients.js';
import type { SdkError } from '../helpers/clients.js';
import { openDatabase } from '../../src/store/index.js';
import { IamStore } from '../../src/store/iam-store.js';
import { MfaStore } from '../../src/store/mfa-store.js';
import { loadMasterKey, SecretBox } from '../../src/store/secrets.js';
import { rootPrincipal } from '../../src/iam/principals.js';
import { enableRootMfaDevice } from '../../src/iam/mfa-devices.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */
interface Creds { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/** AccessDenied as AWS sends it: the code (the SDK's error name), 403. */
function assertAccessDenied(e: SdkError, message?: string): void {
  assert.equal(e.name, 'AccessDenied', message);
  assert.equal(e.$metadata.httpStatusCode, 403, message);
}

const STEP = 30_000;
const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
/** A session's keys from an STS answer (the SDK types every output member as optional). */
function sessionCreds(c: Credentials | undefined): Creds {
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken, 'the call returned credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

const BIN = new URL('../../bin/gatehouse.js', import.meta.url).pathname;
let node: Node;
let root: Creds;
/** What `gatehouse root-access-key create` prints. */
interface RootKey { accessKeyId: string; secretAccessKey: string }
const cli = (args: string[]): string => execFileSync(process.execPath, [BIN, 'root-access-key', ...args, '--data', node.dataDir, ...(node.databaseUrl ? ['--database', node.databaseUrl] : [])], { encoding: 'utf8' });

before(async () => {
  node = await startGatehouse();
  const k = JSON.parse(cli(['create'])) as RootKey; // the command's JSON output
  root = { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };
});
after(async () => { await node?.stop(); });

test('root keys identify the account root, and root may do anything without a policy', async () => {
  assert.match(root.accessKeyId, /^AKIA/);
  const who = await sts(node, root).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:iam::${node.accountId}:root`);
  assert.equal(who.UserId, node.accountId);
  const me = await iam(node, root).send(new I.GetUserCommand({}));
  assert.equal(me.User!.Arn, `arn:aws:iam::${node.accountId}:root`);
  assert.equal(me.User!.UserId, node.accountId);
  assert.equal(me.User!.UserName, undefined);
  await iam(node, root).send(new I.CreateUserCommand({ UserName: 'made-by-root' }));
  const keys = await iam(node, root).send(new I.ListAccessKeysCommand({}));
  assert.deepEqual(keys.AccessKeyMetadata!.map((k) => k.AccessKeyId), [root.accessKeyId]);
  const SummaryMap = (await iam(node, root).send(new I.GetAccountSummaryCommand({}))).SummaryMap!;
  assert.equal(SummaryMap.AccountAccessKeysPresent, 1);
  assert.match(cli(['list']), new RegExp(root.accessKeyId));
});

test('root GetSessionToken lasts at most an hour (a longer request silently becomes one hour)', async () => {
  const d = await sts(node, root).send(new GetSessionTokenCommand({}));
  const ms = d.Credentials!.Expiration!.getTime() - Date.now();
  assert.ok(ms > 3500_000 && ms <= 3600_000, String(ms));
  const long = await sts(node, root).send(new GetSessionTokenCommand({ DurationSeconds: 7200 }));
  const ms2 = long.Credentials!.Expiration!.getTime() - Date.now();
  assert.ok(ms2 > 3500_000 && ms2 <= 3600_000, String(ms2));
  const s = sessionCreds(long.Credentials);
  const who = await sts(node, s).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:iam::${node.accountId}:root`);
});

test("root's GetSessionToken credentials without MFA may not call IAM (as AWS), with MFA they may", async () => {
  const plain = sessionCreds((await sts(node, root).send(new GetSessionTokenCommand({}))).Credentials);
  const who = await sts(node, plain).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:iam::${node.accountId}:root`, 'GetCallerIdentity still answers');
  const refused = await rejects(iam(node, plain).send(new I.ListUsersCommand({})));
  assert.equal(refused.name, 'InvalidClientTokenId');
  assert.equal(refused.$metadata.httpStatusCode, 403);

  // The root user creates a virtual device with its access key and enables it the way the console does (the API's
  // EnableMFADevice requires a UserName), then asks for a session with a code.
  const dev = await iam(node, root).send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'root-device' }));
  const seed = Buffer.from(dev.VirtualMFADevice!.Base32StringSeed!).toString('ascii');
  const serial = dev.VirtualMFADevice!.SerialNumber!;
  const now = Date.now();
  const db = await openDatabase({ dataDir: node.dataDir, databaseUrl: node.databaseUrl });
  try {
    const store = new IamStore(db);
    const ctx = { db, store, mfaStore: new MfaStore(db), secrets: new SecretBox(loadMasterKey({ dataDir: node.dataDir, envKey: undefined })!), config: {},
      account: (await store.getAccount(node.accountId))!, principal: rootPrincipal(node.accountId, 'none'), now: new Date(now) };
    await enableRootMfaDevice(ctx, serial, totp(seed, now - 2 * STEP), totp(seed, now - STEP));
  } finally { await db.close(); }
  const withMfa = sessionCreds((await sts(node, root).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: totp(seed, now) }))).Credentials);
  const users = await iam(node, withMfa).send(new I.ListUsersCommand({}));
  assert.ok(users.Users!.some((u) => u.UserName === 'made-by-root'));
  // The same session without MFA from boto3: the error code botocore sees.
  if (!NO_BOTO3) {
    const r = await boto3(node, `
try:
    iam.list_users()
    out({'ok': True})
except botocore.exceptions.ClientError as e:
    out({'code': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']})
`, plain);
    assert.deepEqual(r, { code: 'InvalidClientTokenId', status: 403 });
  }
  await iam(node, root).send(new I.DeactivateMFADeviceCommand({ SerialNumber: serial }));
});

test('root cannot assume roles', async () => {
  const role = await iam(node, root).send(new I.CreateRoleCommand({ RoleName: 'AnyoneInAccount', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: node.accountId }, Action: 'sts:AssumeRole' }] }) }));
  const e = await rejects(sts(node, root).send(new AssumeRoleCommand({ RoleArn: role.Role!.Arn, RoleSessionName: 'root-try' })));
  assertAccessDenied(e);
  assert.match(e.message, /Roles may not be assumed by root accounts/);
});

test('at most two root keys; a deleted one stops working at once', () => {
  const second = JSON.parse(cli(['create'])) as RootKey; // the command's JSON output
  assert.throws(() => cli(['create']), /already has 2 access keys/);
  assert.match(cli(['delete', second.accessKeyId]), /deleted/);
  assert.throws(() => cli(['delete', 'AKIANOTAKEY000000000']), /no root access key/);
});
