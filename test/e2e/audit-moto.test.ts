// `gatehouse audit` and `gatehouse mfa enforce` against moto_server (the machine's Python), seeded through the
// API: what moto supports is asserted finding by finding; what it lacks (SimulatePrincipalPolicy, a root row in
// the credential report) comes out as ERROR / NOT_APPLICABLE with the reason while the other checks still run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import {
  createUser, enrolVirtual, expectedScore, findingsOf, iamClient, loadReportSchema, motoCommand, one, runAudit, runEnforce, scoreOf, startMoto, validate,
} from '../helpers/audit.js';
import type { Moto, ParsedFinding } from '../helpers/audit.js';

const MOTO = motoCommand();
const skip = MOTO ? false : 'moto_server is not installed (pip install "moto[server]")';
const creds = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
let moto: Moto | undefined;
let json: unknown;
let findings: ParsedFinding[] = [];

before(async () => {
  if (!MOTO) return;
  moto = await startMoto(MOTO);
  const c = iamClient(moto.endpoint, creds);
  await createUser(c, 'bob', { password: true });
  await createUser(c, 'carol', { key: true });
  await enrolVirtual(c, 'carol');
  await createUser(c, 'dave', { key: true });
  // moto loads no AWS managed policy by default: a customer managed Allow * on * (found through its document)
  const everything = await c.send(new I.CreatePolicyCommand({ PolicyName: 'Everything', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
  await c.send(new I.AttachUserPolicyCommand({ UserName: 'dave', PolicyArn: everything.Policy?.Arn ?? '' }));
  // moto takes any serial without a virtual device as a hardware token
  await c.send(new I.EnableMFADeviceCommand({ UserName: 'dave', SerialNumber: 'GAHT00000042', AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
  const r = await runAudit(['--endpoint-url', moto.endpoint, '--format', 'json', '--fail-on', 'none'], creds);
  assert.equal(r.code, 0, r.stderr);
  json = JSON.parse(r.stdout);
  findings = findingsOf(json);
});
after(async () => { await moto?.stop(); });

test('moto: supported checks give their findings; SimulatePrincipalPolicy and the root row are reported as unavailable', { skip }, () => {
  const got = findings.map((f) => `${f.check} ${f.resource.replace(/^arn:aws:iam::123456789012/, '')} ${f.status} ${f.credit}`).sort();
  const want = [
    'root-account-mfa-enabled :root FAIL 0', // moto's AccountMFAEnabled is always 0
    'root-account-hardware-mfa-enabled :root FAIL 0',
    'iam-root-access-key-check :root PASS 1',
    'root-account-recent-use :root NOT_APPLICABLE 0',
    'mfa-enabled-for-iam-console-access :user/bob FAIL 0',
    'iam-user-mfa-enabled :user/bob FAIL 0',
    'iam-user-mfa-enabled :user/carol PASS 0.75',
    'iam-user-mfa-enabled :user/dave PASS 0.75',
    'access-keys-rotated :user/carol PASS 1',
    'access-keys-rotated :user/dave PASS 1',
    'iam-admin-mfa-enabled :user/dave PASS 0.75',
    'iam-admin-hardware-mfa-enabled :user/dave PASS 0.75',
    'iam-user-console-access-unused :user/bob FAIL 0',
    'iam-user-mfa-enforced :user/bob ERROR 0',
    'iam-user-mfa-enforced :user/carol ERROR 0',
    'iam-user-mfa-enforced :user/dave ERROR 0',
  ].sort();
  assert.deepEqual(got, want);
  assert.match(one(findings, 'iam-user-mfa-enforced', 'user/carol').reason, /^SimulatePrincipalPolicy unavailable: /);
  assert.match(one(findings, 'root-account-recent-use', ':root').reason, /no root row/);
  assert.match(one(findings, 'iam-admin-hardware-mfa-enabled', 'user/dave').reason, /1 hardware TOTP device/);
  assert.match(one(findings, 'iam-user-mfa-enabled', 'user/carol').reason, /1 virtual device/);
  assert.match(one(findings, 'iam-admin-mfa-enabled', 'user/dave').reason, /policy Everything attached/);
});

test('moto: the score is the documented formula (ERROR and N/A left out); the JSON follows the schema; the old report age shows', { skip }, () => {
  assert.equal(scoreOf(json), expectedScore(findings));
  assert.deepEqual(validate(loadReportSchema(), json), []);
  const doc = json as { credentialReport: { ageSeconds: number } }; // validated above
  assert.ok(doc.credentialReport.ageSeconds > 365 * 86_400, 'moto reports a fixed 2015 GeneratedTime');
});

test('moto: exit code by --fail-on; mfa enforce works without simulation', { skip }, async () => {
  const endpoint = moto?.endpoint ?? '';
  assert.equal((await runAudit(['--endpoint-url', endpoint, '--format', 'json'], creds)).code, 1);
  assert.equal((await runAudit(['--endpoint-url', endpoint, '--format', 'json', '--checks', 'iam-user-mfa-enforced', '--fail-on', 'low'], creds)).code, 0, 'ERROR findings never fail the gate');
  const dry = await runEnforce(['--endpoint-url', endpoint, '--group', 'MFA', '--create-group', '--all-console-users', '--dry-run'], creds);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /SimulatePrincipalPolicy is unavailable on this endpoint/);
  assert.match(dry.stdout, /Locked out of everything but enrolment until they enrol a device: bob/);
  const c = iamClient(endpoint, creds);
  assert.equal((await c.send(new I.ListGroupsCommand({}))).Groups?.length, 0);
  const real = await runEnforce(['--endpoint-url', endpoint, '--group', 'MFA', '--create-group', '--users', 'bob,carol'], creds);
  assert.equal(real.code, 0, real.stderr);
  assert.deepEqual((await c.send(new I.GetGroupCommand({ GroupName: 'MFA' }))).Users?.map((u) => u.UserName).sort(), ['bob', 'carol']);
  assert.deepEqual((await c.send(new I.ListAttachedGroupPoliciesCommand({ GroupName: 'MFA' }))).AttachedPolicies?.map((p) => p.PolicyName), ['RequireMFA']);
});
