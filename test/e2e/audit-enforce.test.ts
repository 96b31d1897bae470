// `gatehouse mfa enforce` against Gatehouse: --dry-run changes nothing and reports per user; a real run creates
// AWS's documented policy, attaches it to the group and adds the users; then enforcement holds for real clients:
// a member without MFA is denied iam:ListUsers but can enrol a device, and with an MFA session may list again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SDK_TEST_CONFIG } from '../helpers/clients.js';
import * as I from '@aws-sdk/client-iam';
import { STSClient, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { startGatehouse } from '../helpers/server.js';
import { createUser, enrolVirtual, findingsOf, iamClient, one, runAudit, runEnforce, totp } from '../helpers/audit.js';
import type { Creds } from '../helpers/audit.js';
import { ENFORCEMENT_POLICY } from '../../src/audit/enforcement-policy.js';
import { decodePolicyDocument } from '../../src/audit/collect.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
let node: Node;
let admin: Creds;
let uma: Creds;
let vic: Creds;
let vicSeed: string;
let vicSerial: string;
const LIST_USERS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] });

before(async () => {
  node = await startGatehouse();
  admin = node.admin;
  const c = iamClient(node.endpoint, admin);
  uma = (await createUser(c, 'uma', { password: true, key: true }))!; // created with a key just above
  vic = (await createUser(c, 'vic', { password: true, key: true }))!; // created with a key just above
  await createUser(c, 'wes', { password: true });
  for (const u of ['uma', 'vic']) await c.send(new I.PutUserPolicyCommand({ UserName: u, PolicyName: 'list', PolicyDocument: LIST_USERS }));
  ({ seed: vicSeed, serial: vicSerial } = await enrolVirtual(c, 'vic'));
});
after(async () => { await node?.stop(); });

const errName = async (p: Promise<unknown>): Promise<string> => {
  try { await p; return 'ok'; } catch (e) { return e instanceof Error ? e.name : String(e); }
};
interface PlanJson {
  dryRun: boolean;
  done: string[];
  plan: {
    group: { exists: boolean }; policy: { exists: boolean; arn: string }; changes: string[];
    users: { userName: string; hasDevice: boolean; lockedOutUntilEnrolment: boolean; allowedWithoutMfaNow: string[]; allowedWithoutMfaAfter: string[]; canEnrolAfter: boolean; alreadyInGroup: boolean }[];
  };
}
const parsePlan = (s: string): PlanJson => JSON.parse(s) as PlanJson; // our own --format json output

test('--dry-run changes nothing and reports, per user, devices, what is allowed without MFA now and after, and who is locked out', async () => {
  const c = iamClient(node.endpoint, admin);
  const missing = await runEnforce(['--endpoint-url', node.endpoint, '--group', 'MFARequired', '--users', 'uma', '--dry-run'], admin);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--create-group/);
  assert.equal((await runEnforce(['--endpoint-url', node.endpoint, '--group', 'X', '--create-group', '--users', 'nobody', '--dry-run'], admin)).code, 2);

  const r = await runEnforce(['--endpoint-url', node.endpoint, '--group', 'MFARequired', '--create-group', '--users', 'uma,vic', '--dry-run', '--format', 'json'], admin);
  assert.equal(r.code, 0, r.stderr);
  const p = parsePlan(r.stdout);
  assert.equal(p.dryRun, true);
  assert.deepEqual(p.done, []);
  assert.equal(p.plan.group.exists, false);
  assert.equal(p.plan.policy.exists, false);
  assert.equal(p.plan.changes.length, 5);
  const byName = new Map(p.plan.users.map((u) => [u.userName, u]));
  assert.deepEqual({ ...byName.get('uma') }, {
    ...byName.get('uma'), hasDevice: false, lockedOutUntilEnrolment: true, allowedWithoutMfaNow: ['iam:ListUsers'], allowedWithoutMfaAfter: [], canEnrolAfter: true, alreadyInGroup: false,
  });
  assert.equal(byName.get('vic')?.hasDevice, true);
  assert.equal(byName.get('vic')?.lockedOutUntilEnrolment, false);
  assert.deepEqual(byName.get('vic')?.allowedWithoutMfaAfter, []);

  const table = await runEnforce(['--endpoint-url', node.endpoint, '--group', 'MFARequired', '--create-group', '--all-console-users', '--dry-run'], admin);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /Dry run \(nothing changed\)/);
  assert.match(table.stdout, /Locked out of everything but enrolment until they enrol a device: uma, wes/);
  assert.match(table.stdout, /uma: locked out of everything but enrolling an MFA device/);
  assert.match(table.stdout, /allowed without MFA now: iam:ListUsers/);

  // Nothing changed, as seen through the API
  assert.equal(await errName(c.send(new I.GetGroupCommand({ GroupName: 'MFARequired' }))), 'NoSuchEntityException');
  assert.equal(await errName(c.send(new I.GetPolicyCommand({ PolicyArn: p.plan.policy.arn }))), 'NoSuchEntityException');
  assert.equal(await errName(iamClient(node.endpoint, uma).send(new I.ListUsersCommand({}))), 'ok');
});

test('a real run creates the documented policy, attaches it and adds the users; a second run changes nothing', async () => {
  const c = iamClient(node.endpoint, admin);
  const r = await runEnforce(['--endpoint-url', node.endpoint, '--group', 'MFARequired', '--create-group', '--users', 'uma,vic', '--format', 'json'], admin);
  assert.equal(r.code, 0, r.stderr);
  const p = parsePlan(r.stdout);
  assert.equal(p.done.length, 5);
  const policy = await c.send(new I.GetPolicyCommand({ PolicyArn: p.plan.policy.arn }));
  const version = await c.send(new I.GetPolicyVersionCommand({ PolicyArn: p.plan.policy.arn, VersionId: policy.Policy?.DefaultVersionId ?? 'v1' }));
  assert.deepEqual(decodePolicyDocument(version.PolicyVersion?.Document), JSON.parse(JSON.stringify(ENFORCEMENT_POLICY)));
  const attached = await c.send(new I.ListAttachedGroupPoliciesCommand({ GroupName: 'MFARequired' }));
  assert.deepEqual(attached.AttachedPolicies?.map((a) => a.PolicyArn), [p.plan.policy.arn]);
  const group = await c.send(new I.GetGroupCommand({ GroupName: 'MFARequired' }));
  assert.deepEqual(group.Users?.map((u) => u.UserName).sort(), ['uma', 'vic']);

  const again = await runEnforce(['--endpoint-url', node.endpoint, '--group', 'MFARequired', '--users', 'uma,vic'], admin);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Nothing to change\./);
  assert.match(again.stdout, /Nothing changed\./);
});

test('enforcement holds: without MFA a member is denied ListUsers but can enrol; with an MFA session it may list', async () => {
  const asUma = iamClient(node.endpoint, uma);
  assert.equal(await errName(asUma.send(new I.ListUsersCommand({}))), 'AccessDenied');
  assert.equal(await errName(asUma.send(new I.CreateAccessKeyCommand({ UserName: 'uma' }))), 'AccessDenied');
  // Enrolment is still open: create and enable a virtual device named after herself
  const { serial, seed } = await enrolVirtual(asUma, 'uma');
  assert.match(serial, /:mfa\/uma$/);
  const sts = (creds: Creds): STSClient => new STSClient({ ...SDK_TEST_CONFIG, endpoint: node.endpoint, credentials: creds });
  const session = async (creds: Creds, s: string, sd: string): Promise<Creds> => {
    const t = await sts(creds).send(new GetSessionTokenCommand({ SerialNumber: s, TokenCode: totp(sd, Date.now()) }));
    return { accessKeyId: t.Credentials?.AccessKeyId ?? '', secretAccessKey: t.Credentials?.SecretAccessKey ?? '', sessionToken: t.Credentials?.SessionToken ?? '' };
  };
  assert.equal(await errName(iamClient(node.endpoint, await session(uma, serial, seed)).send(new I.ListUsersCommand({}))), 'ok');
  // vic had a device already: keys alone are denied, an MFA session is allowed
  assert.equal(await errName(iamClient(node.endpoint, vic).send(new I.ListUsersCommand({}))), 'AccessDenied');
  assert.equal(await errName(iamClient(node.endpoint, await session(vic, vicSerial, vicSeed)).send(new I.ListUsersCommand({}))), 'ok');
});

test('the audit now sees MFA enforced for the members, not for the others', async () => {
  const r = await runAudit(['--endpoint-url', node.endpoint, '--format', 'json', '--checks', 'iam-user-mfa-enforced', '--fail-on', 'none'], admin);
  assert.equal(r.code, 0, r.stderr);
  const f = findingsOf(JSON.parse(r.stdout));
  assert.equal(one(f, 'iam-user-mfa-enforced', 'user/uma').status, 'PASS');
  assert.equal(one(f, 'iam-user-mfa-enforced', 'user/vic').status, 'PASS');
  assert.equal(one(f, 'iam-user-mfa-enforced', 'user/admin').status, 'FAIL');
});
