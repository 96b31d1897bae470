// `gatehouse audit` against a real Gatehouse seeded through the API (users, virtual and hardware MFA, console
// passwords, keys, groups, AdministratorAccess, an inline `*` policy, an MFA-enforcing policy, a used root access
// key): every finding and the score, the JSON schema, JUnit and SARIF parsed back, and the exit codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as I from '@aws-sdk/client-iam';
import { XMLParser } from 'fast-xml-parser';
import { Secret, TOTP } from 'otpauth';
import { startGatehouse } from '../helpers/server.js';
import {
  BIN, createUser, enrolVirtual, expectedScore, findingsOf, iamClient, loadReportSchema, one, runAudit, runAuditOnTerminal, runAuditWithEnv, scoreOf, throttlingProxy, validate,
} from '../helpers/audit.js';
import type { Creds, ParsedFinding } from '../helpers/audit.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
let node: Node;
let admin: Creds;
let dir: string;
let json: unknown;
let findings: ParsedFinding[];

const ADMIN_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';
const storeArgs = (): string[] => ['--data', node.dataDir, ...(node.databaseUrl ? ['--database', String(node.databaseUrl)] : [])];
const gatehouse = (args: string[]): string => execFileSync(process.execPath, [BIN, ...args, ...storeArgs()], { encoding: 'utf8' });

before(async () => {
  node = await startGatehouse();
  admin = node.admin;
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-audit-'));
  const c = iamClient(node.endpoint, admin);
  // alice: console password, a virtual device, a key, no permissions
  await createUser(c, 'alice', { password: true, key: true });
  await enrolVirtual(c, 'alice');
  // bob: console password only
  await createUser(c, 'bob', { password: true });
  // carol: administrator through a group, virtual MFA only
  await c.send(new I.CreateGroupCommand({ GroupName: 'Admins' }));
  await c.send(new I.AttachGroupPolicyCommand({ GroupName: 'Admins', PolicyArn: ADMIN_ACCESS }));
  await createUser(c, 'carol', { key: true });
  await c.send(new I.AddUserToGroupCommand({ GroupName: 'Admins', UserName: 'carol' }));
  await enrolVirtual(c, 'carol');
  // dave: administrator by an inline Allow * on *, a hardware TOTP token imported with the gatehouse CLI
  await createUser(c, 'dave', { key: true });
  await c.send(new I.PutUserPolicyCommand({ UserName: 'dave', PolicyName: 'everything', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
  const hex = randomBytes(20).toString('hex');
  const csv = join(dir, 'tokens.csv');
  writeFileSync(csv, `GAHT00000777,${hex}\n`);
  gatehouse(['hardware-tokens', 'import', csv]);
  const code = (t: number): string => new TOTP({ secret: Secret.fromHex(hex), digits: 6, period: 30 }).generate({ timestamp: t });
  const t = Date.now() - 60_000;
  await c.send(new I.EnableMFADeviceCommand({ UserName: 'dave', SerialNumber: 'GAHT00000777', AuthenticationCode1: code(t), AuthenticationCode2: code(t + 30_000) }));
  // erin: may list users and read objects, but only with MFA (a Deny with BoolIfExists)
  await createUser(c, 'erin', { key: true });
  await c.send(new I.PutUserPolicyCommand({ UserName: 'erin', PolicyName: 'mfa-only', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: ['iam:ListUsers', 's3:GetObject'], Resource: '*' },
    { Effect: 'Deny', NotAction: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'sts:GetSessionToken'], Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
  ] }) }));
  // frank: may list users with or without MFA
  await createUser(c, 'frank', { key: true });
  await c.send(new I.PutUserPolicyCommand({ UserName: 'frank', PolicyName: 'list', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] }) }));
  // gina: no credential at all
  await createUser(c, 'gina');
  // root: an access key, used once (recorded as root use)
  const rootKey: unknown = JSON.parse(gatehouse(['root-access-key', 'create']));
  assert.ok(typeof rootKey === 'object' && rootKey !== null && 'accessKeyId' in rootKey && 'secretAccessKey' in rootKey);
  const rootCreds = { accessKeyId: String(rootKey.accessKeyId), secretAccessKey: String(rootKey.secretAccessKey) };
  await iamClient(node.endpoint, rootCreds).send(new I.GetAccountSummaryCommand({}));

  const r = await runAudit(['--endpoint-url', node.endpoint, '--format', 'json', '--fail-on', 'none'], admin);
  assert.equal(r.code, 0, r.stderr);
  json = JSON.parse(r.stdout);
  findings = findingsOf(json);
});
after(async () => { await node?.stop(); if (dir) rmSync(dir, { recursive: true, force: true }); });

const EXPECTED: readonly (readonly [string, string, string, number?])[] = [
  // check, resource suffix, status, credit of a PASS (default 1)
  ['root-account-mfa-enabled', ':root', 'FAIL'],
  ['root-account-hardware-mfa-enabled', ':root', 'FAIL'],
  ['iam-root-access-key-check', ':root', 'FAIL'],
  ['root-account-recent-use', ':root', 'FAIL'],
  ['mfa-enabled-for-iam-console-access', 'user/alice', 'PASS', 0.75],
  ['mfa-enabled-for-iam-console-access', 'user/bob', 'FAIL'],
  ['iam-user-mfa-enabled', 'user/admin', 'FAIL'],
  ['iam-user-mfa-enabled', 'user/alice', 'PASS', 0.75],
  ['iam-user-mfa-enabled', 'user/bob', 'FAIL'],
  ['iam-user-mfa-enabled', 'user/carol', 'PASS', 0.75],
  ['iam-user-mfa-enabled', 'user/dave', 'PASS', 0.75],
  ['iam-user-mfa-enabled', 'user/erin', 'FAIL'],
  ['iam-user-mfa-enabled', 'user/frank', 'FAIL'],
  ['iam-user-mfa-enabled', 'user/gina', 'FAIL'],
  ['access-keys-rotated', 'user/admin', 'PASS'],
  ['access-keys-rotated', 'user/alice', 'PASS'],
  ['access-keys-rotated', 'user/carol', 'PASS'],
  ['access-keys-rotated', 'user/dave', 'PASS'],
  ['access-keys-rotated', 'user/erin', 'PASS'],
  ['access-keys-rotated', 'user/frank', 'PASS'],
  ['iam-admin-mfa-enabled', 'user/admin', 'FAIL'],
  ['iam-admin-mfa-enabled', 'user/carol', 'PASS', 0.75],
  ['iam-admin-mfa-enabled', 'user/dave', 'PASS', 0.75],
  ['iam-admin-hardware-mfa-enabled', 'user/admin', 'FAIL'],
  ['iam-admin-hardware-mfa-enabled', 'user/carol', 'FAIL'],
  ['iam-admin-hardware-mfa-enabled', 'user/dave', 'PASS', 0.75],
  ['iam-user-console-access-unused', 'user/alice', 'FAIL'],
  ['iam-user-console-access-unused', 'user/bob', 'FAIL'],
  ['iam-user-mfa-enforced', 'user/admin', 'FAIL'],
  ['iam-user-mfa-enforced', 'user/alice', 'PASS'],
  ['iam-user-mfa-enforced', 'user/bob', 'PASS'],
  ['iam-user-mfa-enforced', 'user/carol', 'FAIL'],
  ['iam-user-mfa-enforced', 'user/dave', 'FAIL'],
  ['iam-user-mfa-enforced', 'user/erin', 'PASS'],
  ['iam-user-mfa-enforced', 'user/frank', 'FAIL'],
];

test('every finding against Gatehouse: status, credit, and nothing else', () => {
  const got = findings.map((f) => `${f.check} ${f.resource.replace(/^arn:aws:iam::\d{12}/, '')} ${f.status} ${f.credit}`).sort();
  const want = EXPECTED.map(([c, r, s, credit]) => `${c} ${r.startsWith(':') ? r : `:${r}`} ${s} ${s === 'PASS' ? credit ?? 1 : 0}`).sort();
  assert.deepEqual(got, want);
  for (const f of findings) assert.ok(f.resource.startsWith(`arn:aws:iam::${node.accountId}:`), f.resource);
});

test('reasons name what was found: device types from serials, admin grants, what is allowed without MFA, root use', () => {
  assert.match(one(findings, 'iam-user-mfa-enabled', 'user/dave').reason, /1 hardware TOTP device/);
  assert.match(one(findings, 'iam-admin-hardware-mfa-enabled', 'user/carol').reason, /only virtual MFA \(1 virtual device\)/);
  assert.match(one(findings, 'iam-admin-mfa-enabled', 'user/carol').reason, /group Admins: policy AdministratorAccess/);
  assert.match(one(findings, 'iam-admin-mfa-enabled', 'user/dave').reason, /inline policy everything/);
  assert.match(one(findings, 'iam-admin-mfa-enabled', 'user/admin').reason, /group Administrators: policy AdministratorAccess/);
  assert.equal(one(findings, 'iam-user-mfa-enforced', 'user/frank').reason, 'can act without MFA (MFA false or absent): iam:ListUsers');
  assert.match(one(findings, 'iam-user-mfa-enforced', 'user/erin').reason, /every sensitive action it may call requires MFA \(2 allowed with MFA\)/);
  assert.match(one(findings, 'iam-user-mfa-enforced', 'user/bob').reason, /no sensitive action is allowed/);
  assert.match(one(findings, 'root-account-recent-use', ':root').reason, /access key 1 at/);
  assert.match(one(findings, 'iam-user-console-access-unused', 'user/bob').reason, /never signed in \(password set today\)/);
  assert.match(one(findings, 'iam-root-access-key-check', ':root').reason, /AccountAccessKeysPresent = 1/);
});

test('the score is the documented formula over these findings', () => {
  const s = scoreOf(json);
  assert.equal(s, expectedScore(findings));
  assert.ok(s !== null && s > 0 && s < 50, String(s));
});

test('the JSON report follows its schema, with the account, the endpoint and the credential report age', () => {
  assert.deepEqual(validate(loadReportSchema(), json), []);
  const doc = json as { account: string; endpoint: string; credentialReport: { ageSeconds: number } }; // validated just above
  assert.equal(doc.account, node.accountId);
  assert.equal(doc.endpoint, node.endpoint);
  assert.ok(doc.credentialReport.ageSeconds >= 0 && doc.credentialReport.ageSeconds < 600);
});

test('junit and sarif outputs parse and carry the same failures', async () => {
  const fails = findings.filter((f) => f.status === 'FAIL').length;
  const j = await runAudit(['--endpoint-url', node.endpoint, '--format', 'junit', '--fail-on', 'none'], admin);
  assert.equal(j.code, 0, j.stderr);
  const x: unknown = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(j.stdout);
  const suites = (x as { testsuites: { tests: string; failures: string } }).testsuites; // attributes checked below
  assert.equal(Number(suites.failures), fails);
  assert.equal(Number(suites.tests), findings.length);
  const s = await runAudit(['--endpoint-url', node.endpoint, '--format', 'sarif', '--fail-on', 'none'], admin);
  assert.equal(s.code, 0, s.stderr);
  const sarif = JSON.parse(s.stdout) as { version: string; runs: { results: { kind: string }[] }[] }; // shape asserted below
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0]?.results.filter((r) => r.kind === 'fail').length, fails);
});

test('exit codes: --fail-on thresholds, usage errors (2), an unreachable endpoint (3); the table is the default', async () => {
  const table = await runAudit(['--endpoint-url', node.endpoint], admin);
  assert.equal(table.code, 1, 'default --fail-on high: there are high and critical failures');
  assert.match(table.stdout, /Score: [\d.]+ \/ 100/);
  assert.match(table.stdout, /FAIL\s+critical\s+root-account-mfa-enabled/);
  assert.equal((await runAudit(['--endpoint-url', node.endpoint, '--fail-on', 'critical', '--format', 'json'], admin)).code, 1);
  assert.equal((await runAudit(['--endpoint-url', node.endpoint, '--fail-on', 'low', '--checks', 'access-keys-rotated', '--format', 'json'], admin)).code, 0);
  const medium = await runAudit(['--endpoint-url', node.endpoint, '--fail-on', 'high', '--checks', 'iam-user-mfa-enabled,access-keys-rotated', '--format', 'json'], admin);
  assert.equal(medium.code, 0, 'only medium failures: below --fail-on high');
  assert.ok(findingsOf(JSON.parse(medium.stdout)).every((f) => ['iam-user-mfa-enabled', 'access-keys-rotated'].includes(f.check)));
  assert.equal((await runAudit(['--endpoint-url', node.endpoint, '--fail-on', 'medium', '--checks', 'iam-user-mfa-enabled', '--format', 'json'], admin)).code, 1);
  assert.equal((await runAudit(['--fail-on', 'bogus'], admin)).code, 2);
  assert.equal((await runAudit(['--checks', 'no-such-check'], admin)).code, 2);
  const down = await runAudit(['--endpoint-url', 'http://127.0.0.1:9', '--format', 'json'], admin);
  assert.equal(down.code, 3);
  assert.match(down.stderr, /could not audit/);
  const denied = await runAudit(['--endpoint-url', node.endpoint], { accessKeyId: 'AKIANOTAKEY000000000', secretAccessKey: 'x' });
  assert.equal(denied.code, 3);
  assert.ok(!table.stderr.includes('\r'), 'no progress line when stderr is not a terminal');
});

test('a throttling endpoint: every third request answered Throttling, the SDK backs off and retries, the findings are the same', async () => {
  const proxy = await throttlingProxy(node.endpoint, 3);
  try {
    const r = await runAudit(['--endpoint-url', proxy.endpoint, '--format', 'json', '--fail-on', 'none'], admin);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(proxy.throttled() > 10, `throttled ${proxy.throttled()} requests`);
    const key = (f: ParsedFinding): string => `${f.check} ${f.resource} ${f.status} ${f.credit}`;
    const again = findingsOf(JSON.parse(r.stdout));
    assert.deepEqual(again.map(key).sort(), findings.map(key).sort());
    assert.ok(!again.some((f) => f.status === 'ERROR'));
  } finally {
    await proxy.close();
  }
});

test('on a terminal a progress line is drawn on stderr and cleared; off a terminal there is none', async () => {
  const r = await runAuditOnTerminal(['--endpoint-url', node.endpoint, '--fail-on', 'none'], admin);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\r\u001b\[Kreading users \d+\/\d+/);
  assert.match(r.stdout, /\r\u001b\[Ksimulating \d+\/\d+/);
  assert.match(r.stdout, /Score: [\d.]+ \/ 100/);
  const plain = await runAudit(['--endpoint-url', node.endpoint, '--fail-on', 'none', '--format', 'json'], admin);
  assert.ok(!plain.stderr.includes('\u001b[K') && !plain.stdout.includes('\u001b[K'));
});

test('--profile reads the shared credentials file (the SDK chain); --output writes the report to a file', async () => {
  const credentials = join(dir, 'credentials');
  writeFileSync(credentials, `[audit]\naws_access_key_id = ${admin.accessKeyId}\naws_secret_access_key = ${admin.secretAccessKey}\n`);
  const env = { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(dir, 'no-config') };
  const out = join(dir, 'report.json');
  const r = await runAuditWithEnv(['--endpoint-url', node.endpoint, '--profile', 'audit', '--format', 'json', '--output', out, '--fail-on', 'none'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const doc: unknown = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(validate(loadReportSchema(), doc), []);
  assert.equal(findingsOf(doc).length, findings.length);
  const wrong = await runAuditWithEnv(['--endpoint-url', node.endpoint, '--profile', 'nope'], env);
  assert.equal(wrong.code, 3, 'no such profile: the audit cannot run');
});
