// The credential report through real clients: lifecycle (NotPresent → STARTED → COMPLETE, reuse, expiry, in progress),
// AWS's header verbatim, the root row first, mfa_active after a real EnableMFADevice (codes from the otpauth library),
// password columns from login profiles and the password policy, access-key columns from real use; aws CLI and boto3.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TOTP, Secret } from 'otpauth';
import { startGatehouse } from '../helpers/server.js';
import { iam, rejects, awsCli, boto3, NO_AWS_CLI, NO_BOTO3, SDK_TEST_CONFIG } from '../helpers/clients.js';
import { openDatabase } from '../../src/store/index.js';
import * as I from '@aws-sdk/client-iam';

const HEADER = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/;
const STEP_MS = 30_000;
const code = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
/** AWS's report format for an SDK Date. */
const fmt = (d: Date | number | string): string => `${new Date(d).toISOString().slice(0, 19)}+00:00`;

type Node = Awaited<ReturnType<typeof startGatehouse>>;
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

/** A column of the report (HEADER's names). */
type Column = 'user' | 'arn' | 'user_creation_time' | 'password_enabled' | 'password_last_used' | 'password_last_changed' | 'password_next_rotation' | 'mfa_active' | 'access_key_1_active' | 'access_key_1_last_rotated' | 'access_key_1_last_used_date' | 'access_key_1_last_used_region' | 'access_key_1_last_used_service' | 'access_key_2_active' | 'access_key_2_last_rotated' | 'access_key_2_last_used_date' | 'access_key_2_last_used_region' | 'access_key_2_last_used_service' | 'cert_1_active' | 'cert_1_last_rotated' | 'cert_2_active' | 'cert_2_last_rotated';
/** One row of the report, keyed by the header. */
type ReportRow = Record<Column, string>;

let node: Node;
let client: I.IAMClient;
let db: Awaited<ReturnType<typeof openDatabase>>; // the node's database, to age the stored report (4 hours cannot be waited for)
before(async () => {
  node = await startGatehouse();
  client = iam(node);
  db = await openDatabase({ dataDir: node.dataDir, databaseUrl: node.databaseUrl });
});
after(async () => { await db?.close(); await node?.stop(); });
// Any IAM command through the admin's client (the SDK's send is overloaded per command; this keeps each output type).
type IamCommand<In extends I.ServiceInputTypes, Out extends I.ServiceOutputTypes> = I.$Command<In, Out, I.IAMClientResolvedConfig, I.ServiceInputTypes, I.ServiceOutputTypes>;
const send = <In extends I.ServiceInputTypes, Out extends I.ServiceOutputTypes>(cmd: IamCommand<In, Out>): Promise<Out> => client.send(cmd);

/** Minimal CSV reader (quoted fields with "" escapes) → array of objects keyed by the header. */
function parseCsv(text: string): ReportRow[] {
  const rows: string[][] = [];
  for (const line of text.split('\n').filter(Boolean)) {
    const fields: string[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let v = '';
        i++;
        while (!(line[i] === '"' && line[i + 1] !== '"')) { v += line[i]; i += line[i] === '"' ? 2 : 1; }
        fields.push(v);
        i += 2;
      } else {
        const j = line.indexOf(',', i);
        fields.push(line.slice(i, j === -1 ? line.length : j));
        i = j === -1 ? line.length + 1 : j + 1;
      }
    }
    rows.push(fields);
  }
  const [head, ...body] = rows;
  // Keyed by the header's columns: a ReportRow when the header is the report's (asserted where it matters).
  return body.map((f) => Object.fromEntries(head!.map((h, n) => [h, f[n]])) as ReportRow);
}

async function generateUntilComplete(): Promise<(string | undefined)[]> {
  const states: (string | undefined)[] = [];
  for (let i = 0; i < 200; i++) {
    const r = await send(new I.GenerateCredentialReportCommand({}));
    states.push(r.State);
    if (r.State === 'COMPLETE') return states;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`report never completed: ${states.join(',')}`);
}

/** Age the stored report past the 4-hour reuse window. */
const ageReport = (hours = 5): Promise<unknown> => db.run('UPDATE credential_reports SET generated_at = ? WHERE account_id = ?', [new Date(Date.now() - hours * 3600_000).toISOString(), node.accountId]);

async function freshReport(): Promise<I.GetCredentialReportCommandOutput & { text: string }> {
  await ageReport();
  const first = await send(new I.GenerateCredentialReportCommand({}));
  assert.equal(first.State, 'STARTED');
  assert.equal(first.Description, 'The existing report is older than 4 hours. Starting a new report generation task');
  await generateUntilComplete();
  const r = await send(new I.GetCredentialReportCommand({}));
  return { ...r, text: Buffer.from(r.Content!).toString('utf8') };
}

test('lifecycle: ReportNotPresent, STARTED then COMPLETE, text/csv with the header verbatim and the root row first, reuse for 4 hours', async () => {
  const none = await rejects(send(new I.GetCredentialReportCommand({})));
  assert.equal(none.name, 'CredentialReportNotPresentException');
  assert.equal(none.$metadata.httpStatusCode, 410);

  const before = Date.now();
  const first = await send(new I.GenerateCredentialReportCommand({}));
  assert.equal(first.State, 'STARTED');
  assert.equal(first.Description, 'No report exists. Starting a new report generation task');
  const states = await generateUntilComplete();
  assert.ok(states.every((s) => s === 'INPROGRESS' || s === 'COMPLETE'), states.join(','));

  const r = await send(new I.GetCredentialReportCommand({}));
  assert.equal(r.ReportFormat, 'text/csv');
  assert.ok(r.GeneratedTime instanceof Date);
  assert.ok(Math.abs(r.GeneratedTime!.getTime() - before) < 60_000);
  const text = Buffer.from(r.Content!).toString('utf8');
  const lines = text.split('\n');
  assert.equal(lines[0], HEADER);
  assert.equal(lines[0]!.split(',').length, 22);
  const rows = parseCsv(text);
  const root = rows[0]!;
  assert.equal(root.user, '<root_account>');
  assert.equal(root.arn, `arn:aws:iam::${node.accountId}:root`);
  assert.match(root.user_creation_time, TIME);
  assert.equal(root.password_enabled, 'not_supported');
  assert.equal(root.password_last_used, 'no_information');
  assert.equal(root.password_last_changed, 'not_supported');
  assert.equal(root.password_next_rotation, 'not_supported');
  assert.equal(root.mfa_active, 'false');
  assert.equal(root.access_key_1_active, 'false');
  assert.equal(root.access_key_1_last_rotated, 'N/A');
  assert.deepEqual([root.cert_1_active, root.cert_1_last_rotated, root.cert_2_active, root.cert_2_last_rotated], ['false', 'N/A', 'false', 'N/A']);

  // The bootstrap admin signed this very request: its key shows real use.
  const admin = rows.find((x) => x.user === 'admin')!;
  assert.equal(admin.arn, `arn:aws:iam::${node.accountId}:user/admin`);
  assert.equal(admin.password_enabled, 'false');
  assert.equal(admin.password_last_used, 'N/A');
  assert.equal(admin.access_key_1_active, 'true');
  assert.match(admin.access_key_1_last_rotated, TIME);
  assert.match(admin.access_key_1_last_used_date, TIME);
  assert.equal(admin.access_key_1_last_used_region, 'us-east-1');
  assert.equal(admin.access_key_1_last_used_service, 'iam');
  assert.equal(admin.access_key_2_active, 'false');
  assert.equal(admin.access_key_2_last_used_date, 'N/A');

  // Younger than 4 hours: reused, not regenerated.
  const again = await send(new I.GenerateCredentialReportCommand({}));
  assert.equal(again.State, 'COMPLETE');
  assert.equal(again.Description, undefined);
  const same = await send(new I.GetCredentialReportCommand({}));
  assert.equal(same.GeneratedTime!.getTime(), r.GeneratedTime!.getTime());
});

test('ReportExpired after 4 hours, ReportInProgress while a run is claimed, then a new run', async () => {
  await generateUntilComplete();
  await ageReport(4.01);
  const expired = await rejects(send(new I.GetCredentialReportCommand({})));
  assert.equal(expired.name, 'CredentialReportExpiredException');
  assert.equal(expired.$metadata.httpStatusCode, 410);

  // Another node has claimed a run a moment ago: both calls see it in progress.
  await db.run("UPDATE credential_reports SET state = 'INPROGRESS', started_at = ? WHERE account_id = ?", [new Date().toISOString(), node.accountId]);
  const busy = await rejects(send(new I.GetCredentialReportCommand({})));
  assert.equal(busy.name, 'CredentialReportNotReadyException');
  assert.equal(busy.$metadata.httpStatusCode, 404);
  assert.equal((await send(new I.GenerateCredentialReportCommand({}))).State, 'INPROGRESS');
  // A claim older than the stale limit belongs to a node that died: the next call starts over.
  await db.run('UPDATE credential_reports SET started_at = ? WHERE account_id = ?', [new Date(Date.now() - 3600_000).toISOString(), node.accountId]);
  assert.equal((await send(new I.GenerateCredentialReportCommand({}))).State, 'STARTED');
  await generateUntilComplete();
  assert.equal((await send(new I.GetCredentialReportCommand({}))).ReportFormat, 'text/csv');
});

test('mfa_active flips to true after EnableMFADevice; a created but unassigned device does not count', async () => {
  await send(new I.CreateUserCommand({ UserName: 'mona' }));
  const dev = (await send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'mona' }))).VirtualMFADevice!;
  const seed = Buffer.from(dev.Base32StringSeed!).toString('ascii');
  let row = parseCsv((await freshReport()).text).find((x) => x.user === 'mona')!;
  assert.equal(row.mfa_active, 'false');

  const t = Date.now();
  await send(new I.EnableMFADeviceCommand({ UserName: 'mona', SerialNumber: dev.SerialNumber, AuthenticationCode1: code(seed, t - STEP_MS), AuthenticationCode2: code(seed, t) }));
  row = parseCsv((await freshReport()).text).find((x) => x.user === 'mona')!;
  assert.equal(row.mfa_active, 'true');

  await send(new I.DeactivateMFADeviceCommand({ UserName: 'mona', SerialNumber: dev.SerialNumber }));
  row = parseCsv((await freshReport()).text).find((x) => x.user === 'mona')!;
  assert.equal(row.mfa_active, 'false');
});

test('password columns: login profile, password policy MaxPasswordAge, N/A without a password; CSV quoting', async () => {
  await send(new I.CreateUserCommand({ UserName: 'pat' }));
  const profile = (await send(new I.CreateLoginProfileCommand({ UserName: 'pat', Password: 'Correct-Horse-9!' }))).LoginProfile!;
  await send(new I.CreateUserCommand({ UserName: 'no,pass' }));
  await send(new I.UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 90 }));
  try {
    const { text } = await freshReport();
    assert.ok(text.includes(`\n"no,pass",arn:aws:iam::${node.accountId}:user/no,pass,`) || text.includes(`\n"no,pass","arn:aws:iam::${node.accountId}:user/no,pass",`), 'a name with a comma is quoted');
    const rows = parseCsv(text);
    const pat = rows.find((x) => x.user === 'pat')!;
    assert.equal(pat.password_enabled, 'true');
    assert.equal(pat.password_last_used, 'no_information');
    assert.match(pat.password_last_changed, TIME);
    assert.ok(Math.abs(new Date(pat.password_last_changed).getTime() - profile.CreateDate!.getTime()) < 2000);
    assert.equal(pat.password_next_rotation, fmt(new Date(pat.password_last_changed).getTime() + 90 * 86400_000));
    const np = rows.find((x) => x.user === 'no,pass')!;
    assert.equal(np.arn, `arn:aws:iam::${node.accountId}:user/no,pass`);
    assert.deepEqual([np.password_enabled, np.password_last_used, np.password_last_changed, np.password_next_rotation], ['false', 'N/A', 'N/A', 'N/A']);
    const userCreated = (await send(new I.GetUserCommand({ UserName: 'pat' }))).User!.CreateDate!;
    assert.equal(pat.user_creation_time, fmt(userCreated));
  } finally {
    await send(new I.DeleteAccountPasswordPolicyCommand({}));
  }
  const pat = parseCsv((await freshReport()).text).find((x) => x.user === 'pat')!;
  assert.equal(pat.password_next_rotation, 'N/A', 'no MaxPasswordAge, no rotation date');
});

test('access keys 1 and 2: active, last rotated, last used date/region/service from a real call', async () => {
  await send(new I.CreateUserCommand({ UserName: 'kim' }));
  await send(new I.PutUserPolicyCommand({ UserName: 'kim', PolicyName: 'self', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }) }));
  const k1 = (await send(new I.CreateAccessKeyCommand({ UserName: 'kim' }))).AccessKey!;
  const k2 = (await send(new I.CreateAccessKeyCommand({ UserName: 'kim' }))).AccessKey!;
  await send(new I.UpdateAccessKeyCommand({ UserName: 'kim', AccessKeyId: k2.AccessKeyId, Status: 'Inactive' }));
  let row = parseCsv((await freshReport()).text).find((x) => x.user === 'kim')!;
  assert.equal(row.access_key_1_active, 'true');
  assert.equal(row.access_key_1_last_rotated, fmt(k1.CreateDate!));
  assert.deepEqual([row.access_key_1_last_used_date, row.access_key_1_last_used_region, row.access_key_1_last_used_service], ['N/A', 'N/A', 'N/A']);
  assert.equal(row.access_key_2_active, 'false');
  assert.equal(row.access_key_2_last_rotated, fmt(k2.CreateDate!));

  // Kim uses key 1 (region eu-west-1 in the signature); the use is recorded off the request path.
  const kim = new I.IAMClient({ ...SDK_TEST_CONFIG, endpoint: node.endpoint, region: 'eu-west-1', credentials: { accessKeyId: k1.AccessKeyId!, secretAccessKey: k1.SecretAccessKey! } });
  await kim.send(new I.GetUserCommand({}));
  let used: I.AccessKeyLastUsed | undefined;
  for (let i = 0; i < 50 && !used?.LastUsedDate; i++) {
    used = (await send(new I.GetAccessKeyLastUsedCommand({ AccessKeyId: k1.AccessKeyId }))).AccessKeyLastUsed!;
    if (!used.LastUsedDate) await new Promise((ok) => setTimeout(ok, 50));
  }
  row = parseCsv((await freshReport()).text).find((x) => x.user === 'kim')!;
  assert.equal(row.access_key_1_last_used_date, fmt(used!.LastUsedDate!));
  assert.equal(row.access_key_1_last_used_region, 'eu-west-1');
  assert.equal(row.access_key_1_last_used_service, 'iam');
  assert.equal(row.access_key_2_last_used_date, 'N/A');
});

test('aws CLI: generate-credential-report and get-credential-report', { skip: NO_AWS_CLI }, async () => {
  await ageReport();
  const gen = await awsCli(node, ['iam', 'generate-credential-report']);
  assert.ok(gen.ok, gen.stderr);
  assert.equal((gen.json as { State: string }).State, 'STARTED'); // the CLI's output
  await generateUntilComplete();
  const done = await awsCli(node, ['iam', 'generate-credential-report']);
  assert.equal((done.json as { State: string }).State, 'COMPLETE'); // the CLI's output
  const got = await awsCli(node, ['iam', 'get-credential-report']);
  assert.ok(got.ok, got.stderr);
  const report = got.json as { ReportFormat: string; Content: string }; // the CLI's output: Content in base64
  assert.equal(report.ReportFormat, 'text/csv');
  const text = Buffer.from(report.Content, 'base64').toString('utf8');
  assert.equal(text.split('\n')[0], HEADER);
  assert.match(text.split('\n')[1]!, /^<root_account>,/);
  await ageReport();
  const expired = await awsCli(node, ['iam', 'get-credential-report']);
  assert.equal(expired.ok, false);
  assert.match(expired.stderr, /ReportExpired/);
});

test('boto3: generate_credential_report / get_credential_report and the not-present error class', { skip: NO_BOTO3 }, async () => {
  await db.run('DELETE FROM credential_reports WHERE account_id = ?', [node.accountId]);
  const out = await boto3(node, `
import time
try:
    iam.get_credential_report()
    missing = None
except iam.exceptions.CredentialReportNotPresentException as e:
    missing = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
first = iam.generate_credential_report()
state = first['State']
while state != 'COMPLETE':
    time.sleep(0.05)
    state = iam.generate_credential_report()['State']
r = iam.get_credential_report()
lines = r['Content'].decode().splitlines()
out({'missing': missing, 'first': [first['State'], first['Description']], 'format': r['ReportFormat'], 'header': lines[0], 'root': lines[1].split(',')[0]})
`);
  assert.deepEqual(out, {
    missing: ['ReportNotPresent', 410],
    first: ['STARTED', 'No report exists. Starting a new report generation task'],
    format: 'text/csv',
    header: HEADER,
    root: '<root_account>',
  });
});
