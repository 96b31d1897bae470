// The bootstrap's authorisation story: holders of AdministratorAccess (the Administrators group) may act; a user
// with no policy gets AccessDenied in AWS's words, except for calls that need no permission. (Root: root.test.ts;
// the policy language: enforcement.test.ts.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouse } from '../helpers/server.js';
import { iam, sts, rejects } from '../helpers/clients.js';
import type { SdkError } from '../helpers/clients.js';
import * as I from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';

/** AccessDenied as AWS sends it: the code (the SDK's error name), 403. */
function assertAccessDenied(e: SdkError, message?: string): void {
  assert.equal(e.name, 'AccessDenied', message);
  assert.equal(e.$metadata.httpStatusCode, 403, message);
}

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

let node: Node;
let admin: I.IAMClient;
before(async () => { node = await startGatehouse(); admin = iam(node); });
after(async () => { await node?.stop(); });

async function userWithKey(name: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  await admin.send(new I.CreateUserCommand({ UserName: name }));
  const { AccessKey } = await admin.send(new I.CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

test('a user without AdministratorAccess is denied, with the principal, action and resource named', async () => {
  const creds = await userWithKey('plain');
  const e = await rejects(iam(node, creds).send(new I.GetUserCommand({ UserName: 'admin' })));
  assertAccessDenied(e);
  assert.equal(e.message, `User: arn:aws:iam::${node.accountId}:user/plain is not authorized to perform: iam:GetUser on resource: arn:aws:iam::${node.accountId}:user/admin because no identity-based policy allows the iam:GetUser action`);
  const who = await sts(node, creds).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:iam::${node.accountId}:user/plain`);
  assert.equal(who.Account, node.accountId);
  assert.match(who.UserId!, /^AIDA/);
});

test('joining the Administrators group grants access; leaving it takes it away', async () => {
  const creds = await userWithKey('promoted');
  const client = iam(node, creds);
  await admin.send(new I.AddUserToGroupCommand({ GroupName: 'Administrators', UserName: 'promoted' }));
  const list = await client.send(new I.ListUsersCommand({}));
  assert.ok(list.Users!.some((u) => u.UserName === 'promoted'));
  await admin.send(new I.RemoveUserFromGroupCommand({ GroupName: 'Administrators', UserName: 'promoted' }));
  const e = await rejects(client.send(new I.ListUsersCommand({})));
  assertAccessDenied(e);
});
