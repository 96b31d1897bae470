// The event history (issue 13) read back with real clients after a scripted session: the aws CLI's
// `cloudtrail lookup-events` (and boto3 for NextToken paging) against Gatehouse. The session: API calls with
// long-term keys and with MFA session credentials, a denied call, a failed MFA code, an MFA lock, console sign-ins
// in a real browser with and without MFA, a failed sign-in with an unknown user name, and a sign-out. Each event is
// checked field by field in CloudTrail's record format; then every secret the test created is searched for, in
// several encodings, in the raw event tables, in the events file, in what LookupEvents returns, in the server's
// request logs (at info) and in /metrics. Also: paging, the modeled 400 for bad LookupAttributes,
// cloudtrail:LookupEvents authorisation, and `gatehouse events`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as I from '@aws-sdk/client-iam';
import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { TOTP, Secret } from 'otpauth';
import type { Page } from 'playwright-core';
import { startGatehouse } from '../helpers/server.js';
import type { Credentials } from '../helpers/server.js';
import { iam, sts, awsCli, boto3, rejects } from '../helpers/clients.js';
import { sign, send } from '../helpers/raw.js';
import type { RawRequest } from '../helpers/raw.js';
import { launchBrowser, skipWithoutChromium, consoleUrl, newPage as openPage } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';
import { openDatabase, openEventDatabase } from '../../src/store/index.js';

const CHROMIUM_SKIP = skipWithoutChromium();
const BIN = new URL('../../bin/gatehouse.js', import.meta.url).pathname;
const STEP = 30_000;
const PASSWORD_CAROL = 'Carol-Pa55word-Plain!';
const PASSWORD_DAVE = 'Dave-Pa55word-Second!';
const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
const wrongCode = (seed: string, t: number): string => (totp(seed, t) === '000000' ? '000001' : '000000');

type Node = Awaited<ReturnType<typeof startGatehouse>>;
let node: Node;
let dir: string;
let eventsFile: string;
let metricsUrl: string;
let real: RealBrowser | undefined;
/** Every secret the session creates: searched for in everything the event history holds. */
const secrets: string[] = [];

interface Dave { creds: Credentials; seed: string; serial: string; session: Credentials }
let dave: Dave;
let erinSerial: string;
let endTime: Date;

interface Record {
  eventVersion: string; eventTime: string; eventSource: string; eventName: string; awsRegion: string; sourceIPAddress: string; userAgent: string;
  userIdentity: { type?: string; principalId?: string; arn?: string; accountId?: string; accessKeyId?: string; userName?: string; sessionContext?: { attributes: { mfaAuthenticated: string; creationDate: string } } };
  requestParameters: { [k: string]: unknown } | null; responseElements: { [k: string]: unknown } | null;
  additionalEventData?: { MFAUsed?: string; MFAIdentifier?: string; LoginTo?: string };
  serviceEventDetails?: { userName?: string; lockedUntil?: string };
  errorCode?: string; errorMessage?: string; requestID?: string; eventID: string; readOnly: boolean; eventType: string; recipientAccountId: string;
}
interface LookupEvent { EventId: string; EventName: string; Username?: string; AccessKeyId?: string; ReadOnly: string; EventSource: string; Resources: { ResourceType: string; ResourceName: string }[]; CloudTrailEvent: string }

async function lookup(args: readonly string[] = [], creds?: Credentials): Promise<{ event: LookupEvent; record: Record }[]> {
  const r = await awsCli<{ Events: LookupEvent[] }>(node, ['cloudtrail', 'lookup-events', ...args], creds ?? node.admin);
  assert.ok(r.ok, r.stderr);
  return (r.json?.Events ?? []).map((event) => ({ event, record: JSON.parse(event.CloudTrailEvent) as Record }));
}

/** Waits until LookupEvents shows an event matching `pred` (events are written a moment after the request). */
async function eventually(pred: (r: Record) => boolean, args: readonly string[] = []): Promise<Record> {
  for (let i = 0; i < 100; i++) {
    const hit = (await lookup(args)).find((e) => pred(e.record));
    if (hit) return hit.record;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`no such event (${args.join(' ')})`);
}

async function signIn(page: Page, userName: string, password: string): Promise<void> {
  await page.goto(consoleUrl(node.endpoint, `/console?account=${node.accountId}`));
  await page.getByLabel('IAM user name').fill(userName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-events-'));
  eventsFile = join(dir, 'events.jsonl');
  // Request logs at info and the metrics on their own address: both are searched for the session's secrets too.
  // Users without an MFA device sign in without one ("Allow them to sign in"): these tests predate the account's MFA settings.
  node = await startGatehouse({ args: ['--events-file', eventsFile, '--metrics-address', '127.0.0.1:0'], env: { GATEHOUSE_LOG_LEVEL: 'info' }, signinSettings: ['without-device=allow'] });
  const m = /Metrics: (http:\/\/\S+\/metrics)/.exec(node.stdout);
  assert.ok(m?.[1], `the banner names the metrics URL: ${node.stdout}`);
  metricsUrl = m[1];
  secrets.push(node.admin.secretAccessKey, node.bootstrap.root.password, PASSWORD_CAROL, PASSWORD_DAVE);
  const admin = iam(node);
  const now = Date.now();

  // carol: a console password, no MFA.
  await admin.send(new I.CreateUserCommand({ UserName: 'carol' }));
  await admin.send(new I.CreateLoginProfileCommand({ UserName: 'carol', Password: PASSWORD_CAROL }));
  // dave: keys, a password, a virtual MFA device; may read himself and his devices, nothing else.
  await admin.send(new I.CreateUserCommand({ UserName: 'dave' }));
  await admin.send(new I.CreateLoginProfileCommand({ UserName: 'dave', Password: PASSWORD_DAVE }));
  await admin.send(new I.PutUserPolicyCommand({
    UserName: 'dave', PolicyName: 'self',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListMFADevices'], Resource: '*' }] }),
  }));
  const key = (await admin.send(new I.CreateAccessKeyCommand({ UserName: 'dave' }))).AccessKey!;
  const creds = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const device = (await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'dave' }))).VirtualMFADevice!;
  const seed = Buffer.from(device.Base32StringSeed!).toString('ascii');
  const serial = device.SerialNumber!;
  secrets.push(creds.secretAccessKey, seed, Secret.fromBase32(seed).hex);
  await admin.send(new I.EnableMFADeviceCommand({ UserName: 'dave', SerialNumber: serial, AuthenticationCode1: totp(seed, now - 2 * STEP), AuthenticationCode2: totp(seed, now - STEP) }));

  // Long-term keys: an allowed call and a denied one.
  await iam(node, creds).send(new I.GetUserCommand({}));
  await rejects(iam(node, creds).send(new I.ListUsersCommand({})));
  // A failed MFA code, then MFA session credentials and a call with them.
  await rejects(sts(node, creds).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: wrongCode(seed, now) })));
  const t = (await sts(node, creds).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: totp(seed, now) }))).Credentials!;
  const session = { accessKeyId: t.AccessKeyId!, secretAccessKey: t.SecretAccessKey!, sessionToken: t.SessionToken! };
  secrets.push(session.secretAccessKey, session.sessionToken);
  await iam(node, session).send(new I.ListMFADevicesCommand({}));
  dave = { creds, seed, serial, session };

  // erin: wrong codes until her codes lock.
  await admin.send(new I.CreateUserCommand({ UserName: 'erin' }));
  const ekey = (await admin.send(new I.CreateAccessKeyCommand({ UserName: 'erin' }))).AccessKey!;
  const ecreds = { accessKeyId: ekey.AccessKeyId!, secretAccessKey: ekey.SecretAccessKey! };
  const edev = (await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'erin' }))).VirtualMFADevice!;
  const eseed = Buffer.from(edev.Base32StringSeed!).toString('ascii');
  secrets.push(ecreds.secretAccessKey, eseed, Secret.fromBase32(eseed).hex);
  await admin.send(new I.EnableMFADeviceCommand({ UserName: 'erin', SerialNumber: edev.SerialNumber!, AuthenticationCode1: totp(eseed, now - 2 * STEP), AuthenticationCode2: totp(eseed, now - STEP) }));
  erinSerial = edev.SerialNumber!;
  for (let i = 0; i < 6; i++) {
    const e = await rejects(sts(node, ecreds).send(new GetSessionTokenCommand({ SerialNumber: erinSerial, TokenCode: wrongCode(eseed, now) })));
    if (/locked|Too many/i.test(e.message)) break;
  }

  // The console, in a real browser: carol without MFA (then signs out), dave with MFA, a user name nobody has.
  if (!CHROMIUM_SKIP) {
    real = await launchBrowser();
    const page = await openPage(real);
    await signIn(page, 'carol', PASSWORD_CAROL);
    await page.getByRole('heading', { name: 'Console home' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    await signIn(page, 'nobody-here', 'Wrong-Pa55word!');
    await page.getByText('Your authentication information is incorrect').waitFor();
    const page2 = await openPage(real);
    await signIn(page2, 'dave', PASSWORD_DAVE);
    await page2.getByLabel('MFA code').fill(totp(seed, now + STEP));
    await page2.getByRole('button', { name: 'Submit' }).click();
    await page2.getByRole('heading', { name: 'Console home' }).waitFor();
  }
  // The last scripted call: once it is visible, everything before it is written (one FIFO queue).
  await admin.send(new I.CreateUserCommand({ UserName: 'zz-marker' }));
  endTime = new Date(Date.now() + 1000);
  await eventually((r) => r.eventName === 'CreateUser' && r.requestParameters?.userName === 'zz-marker', ['--lookup-attributes', 'AttributeKey=EventName,AttributeValue=CreateUser']);
}, { timeout: 180_000 });

after(async () => {
  await real?.close();
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
}, { timeout: 60_000 });

const window = (): string[] => ['--end-time', endTime.toISOString()];

test('API calls with long-term keys: CloudTrail fields, requestParameters in camelCase, responseElements without the secret', async () => {
  const created = (await lookup(['--lookup-attributes', 'AttributeKey=EventName,AttributeValue=CreateAccessKey', ...window()]));
  const ak = created.find((e) => e.record.requestParameters?.userName === 'dave');
  assert.ok(ak, 'CreateAccessKey for dave');
  const r = ak.record;
  assert.equal(r.eventVersion, '1.10');
  assert.equal(r.eventSource, 'iam.amazonaws.com');
  assert.equal(r.awsRegion, 'us-east-1');
  assert.equal(r.eventType, 'AwsApiCall');
  assert.equal(r.readOnly, false);
  assert.equal(r.recipientAccountId, node.accountId);
  assert.match(r.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(r.requestID ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(r.eventID, ak.event.EventId);
  assert.equal(r.sourceIPAddress, '127.0.0.1');
  assert.match(r.userAgent, /aws-sdk-js/);
  assert.deepEqual({ type: r.userIdentity.type, userName: r.userIdentity.userName, accessKeyId: r.userIdentity.accessKeyId, accountId: r.userIdentity.accountId },
    { type: 'IAMUser', userName: 'admin', accessKeyId: node.admin.accessKeyId, accountId: node.accountId });
  assert.match(r.userIdentity.principalId ?? '', /^AIDA/);
  assert.equal(r.userIdentity.arn, `arn:aws:iam::${node.accountId}:user/admin`);
  const key = r.responseElements?.accessKey as { accessKeyId: string; status: string; secretAccessKey?: string };
  assert.equal(key.accessKeyId, dave.creds.accessKeyId);
  assert.equal(key.status, 'Active');
  assert.equal(key.secretAccessKey, undefined);
  assert.ok(ak.event.Resources.some((x) => x.ResourceType === 'AWS::IAM::User' && x.ResourceName === 'dave'));

  const mine = await lookup(['--lookup-attributes', `AttributeKey=AccessKeyId,AttributeValue=${dave.creds.accessKeyId}`, ...window()]);
  const getUser = mine.find((e) => e.record.eventName === 'GetUser');
  assert.ok(getUser, 'GetUser with long-term keys');
  assert.equal(getUser.record.userIdentity.sessionContext, undefined, 'long-term keys carry no sessionContext');
  assert.equal(getUser.record.readOnly, true);
  assert.equal(getUser.record.responseElements, null, 'reads record no responseElements');
  assert.equal(getUser.event.Username, 'dave');
});

test('a denied call is recorded with AccessDenied, and a failed MFA code with its error', async () => {
  const mine = await lookup(['--lookup-attributes', `AttributeKey=Username,AttributeValue=dave`, ...window()]);
  const denied = mine.find((e) => e.record.eventName === 'ListUsers');
  assert.ok(denied, 'ListUsers');
  assert.equal(denied.record.errorCode, 'AccessDenied');
  assert.match(denied.record.errorMessage ?? '', /is not authorized to perform: iam:ListUsers/);
  assert.equal(denied.record.responseElements, null);
  const failed = mine.filter((e) => e.record.eventName === 'GetSessionToken' && e.record.errorCode);
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!.record.errorCode, 'AccessDenied');
  assert.deepEqual(failed[0]!.record.requestParameters, { serialNumber: dave.serial }, 'the code itself is never recorded');
  assert.equal(failed[0]!.record.eventSource, 'sts.amazonaws.com');
});

test('calls with MFA session credentials carry sessionContext.attributes.mfaAuthenticated "true"', async () => {
  const mine = await lookup(['--lookup-attributes', `AttributeKey=AccessKeyId,AttributeValue=${dave.session.accessKeyId}`, ...window()]);
  const call = mine.find((e) => e.record.eventName === 'ListMFADevices');
  assert.ok(call);
  const id = call.record.userIdentity;
  assert.equal(id.type, 'IAMUser');
  assert.equal(id.accessKeyId, dave.session.accessKeyId);
  assert.match(id.accessKeyId ?? '', /^ASIA/);
  assert.equal(id.sessionContext?.attributes.mfaAuthenticated, 'true');
  assert.match(id.sessionContext?.attributes.creationDate ?? '', /^\d{4}-\d\d-\d\dT/);
  const issued = (await lookup(['--lookup-attributes', 'AttributeKey=EventName,AttributeValue=GetSessionToken', ...window()])).find((e) => !e.record.errorCode);
  assert.ok(issued);
  const cr = issued.record.responseElements?.credentials as { accessKeyId: string; sessionToken?: string; secretAccessKey?: string };
  assert.equal(cr.accessKeyId, dave.session.accessKeyId);
  assert.equal(cr.sessionToken, undefined);
  assert.equal(cr.secretAccessKey, undefined);
});

test('an MFA lock is an event of its own (MfaCodesLocked), found by the locked user name', async () => {
  const erin = await lookup(['--lookup-attributes', 'AttributeKey=Username,AttributeValue=erin', ...window()]);
  const lock = erin.find((e) => e.record.eventName === 'MfaCodesLocked');
  assert.ok(lock, erin.map((e) => e.record.eventName).join(', '));
  assert.equal(lock.record.eventType, 'AwsServiceEvent');
  assert.equal(lock.record.serviceEventDetails?.userName, 'erin');
  assert.ok(Date.parse(lock.record.serviceEventDetails?.lockedUntil ?? '') > Date.parse(lock.record.eventTime));
  assert.ok(erin.filter((e) => e.record.eventName === 'GetSessionToken' && e.record.errorCode === 'AccessDenied').length >= 5);
});

test('console sign-ins as CloudTrail writes them: ConsoleLogin with MFAUsed, failures, sign-out', { skip: CHROMIUM_SKIP }, async () => {
  const logins = await lookup(['--lookup-attributes', 'AttributeKey=EventName,AttributeValue=ConsoleLogin', ...window()]);
  const carol = logins.find((e) => e.record.userIdentity.userName === 'carol');
  assert.ok(carol, 'carol');
  assert.equal(carol.record.eventSource, 'signin.amazonaws.com');
  assert.equal(carol.record.eventType, 'AwsConsoleSignIn');
  assert.deepEqual(carol.record.responseElements, { ConsoleLogin: 'Success' });
  assert.equal(carol.record.additionalEventData?.MFAUsed, 'No');
  assert.equal(carol.record.additionalEventData?.MFAIdentifier, undefined);
  assert.equal(carol.record.userIdentity.type, 'IAMUser');
  assert.equal(carol.record.userIdentity.arn, `arn:aws:iam::${node.accountId}:user/carol`);
  assert.equal(carol.record.recipientAccountId, node.accountId);
  assert.match(carol.record.userAgent, /Chrome/);
  const daveLogin = logins.find((e) => e.record.userIdentity.userName === 'dave');
  assert.ok(daveLogin, 'dave');
  assert.deepEqual(daveLogin.record.responseElements, { ConsoleLogin: 'Success' });
  assert.equal(daveLogin.record.additionalEventData?.MFAUsed, 'Yes');
  assert.equal(daveLogin.record.additionalEventData?.MFAIdentifier, dave.serial);
  const nobody = logins.find((e) => e.record.responseElements?.ConsoleLogin === 'Failure');
  assert.ok(nobody, 'the failed sign-in');
  assert.equal(nobody.record.userIdentity.userName, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.equal(nobody.record.errorMessage, 'Failed authentication');
  assert.equal(JSON.stringify(nobody.record).includes('nobody-here'), false, 'a user name that matched nobody is not written down');
  const out = (await lookup(['--lookup-attributes', 'AttributeKey=Username,AttributeValue=carol', ...window()])).find((e) => e.record.eventName === 'ConsoleLogout');
  assert.ok(out, 'the sign-out');
  assert.equal(out.record.userIdentity.sessionContext?.attributes.mfaAuthenticated, 'false');
  // The console's own IAM calls are recorded as API calls made with the console session.
  const fromConsole = (await lookup(['--lookup-attributes', 'AttributeKey=Username,AttributeValue=dave', ...window()])).find((e) => e.record.eventName === 'GetAccountSummary');
  assert.ok(fromConsole, 'the dashboard GetAccountSummary');
  assert.equal(fromConsole.record.userIdentity.sessionContext?.attributes.mfaAuthenticated, 'true');
});

test('nothing secret anywhere: the raw event tables, the events file, LookupEvents, the logs and /metrics, in several encodings', async () => {
  // Where the server stores its events: SQLite's events.db beside the main file, or PostgreSQL's main database.
  const main = await openDatabase({ dataDir: node.dataDir, databaseUrl: node.databaseUrl });
  const { db } = await openEventDatabase({ dataDir: node.dataDir, databaseUrl: node.databaseUrl }, main);
  let raw: string;
  try {
    raw = JSON.stringify(await db.all('SELECT * FROM events')) + JSON.stringify(await db.all('SELECT * FROM event_resources'));
  } finally {
    if (db !== main) await db.close();
    await main.close();
  }
  const file = readFileSync(eventsFile, 'utf8');
  const looked = JSON.stringify(await boto3(node, `
import boto3
ct = boto3.client('cloudtrail', endpoint_url=${JSON.stringify(node.endpoint)}, region_name='us-east-1', config=cfg)
out([e for p in ct.get_paginator('lookup_events').paginate() for e in p['Events']])`));
  const metrics = await (await fetch(metricsUrl)).text();
  const logs = node.stdout + node.stderr;
  assert.ok(raw.length > 1000 && file.length > 1000 && looked.length > 1000);
  assert.match(metrics, /gatehouse_requests_total\{/, 'the metrics were scraped');
  assert.match(metrics, /gatehouse_console_sign_ins_total\{/, 'with the sign-ins');
  assert.equal(logs.split('\n').filter((l) => l.includes('"action":"CreateAccessKey"')).length, 2, 'the request log lines are there');
  const lines = file.trim().split('\n').map((l) => JSON.parse(l) as Record);
  assert.ok(lines.some((l) => l.eventName === 'CreateAccessKey'), 'the events file has the records');
  assert.equal(secrets.length >= 10, true);
  for (const s of secrets) {
    for (const form of [s, Buffer.from(s).toString('base64'), Buffer.from(s).toString('hex'), encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]) {
      for (const [where, text] of [['the event tables', raw], ['the events file', file], ['LookupEvents', looked], ['the logs', logs], ['the metrics', metrics]] as const) {
        assert.equal(text.includes(form), false, `a secret (${s.slice(0, 4)}…) is in ${where}`);
      }
    }
  }
});

test('paging: MaxResults pages with NextToken give exactly the events of one full listing', async () => {
  const paged = await boto3<{ ids: string[]; tokens: number }>(node, `
import boto3, datetime
ct = boto3.client('cloudtrail', endpoint_url=${JSON.stringify(node.endpoint)}, region_name='us-east-1', config=cfg)
end = datetime.datetime.fromisoformat(${JSON.stringify(endTime.toISOString().replace('Z', '+00:00'))})
ids, kw, tokens = [], {}, 0
while True:
    r = ct.lookup_events(MaxResults=3, EndTime=end, **kw)
    assert len(r['Events']) <= 3
    ids += [e['EventId'] for e in r['Events']]
    if 'NextToken' not in r: break
    tokens += 1
    kw = {'NextToken': r['NextToken']}
full = [e['EventId'] for p in ct.get_paginator('lookup_events').paginate(EndTime=end) for e in p['Events']]
assert full == ids, (len(full), len(ids))
out({'ids': ids, 'tokens': tokens})`);
  assert.ok(paged.tokens >= 10, `${paged.tokens} pages`);
  assert.equal(new Set(paged.ids).size, paged.ids.length, 'no event twice');
  const first = await awsCli<{ Events: unknown[]; NextToken?: string }>(node, ['cloudtrail', 'lookup-events', '--max-results', '3', '--no-paginate', ...window()]);
  assert.ok(first.ok, first.stderr);
  assert.equal(first.json?.Events.length, 3);
  assert.ok(first.json?.NextToken);
  const bad = await boto3<{ code: string }>(node, `
import boto3, botocore
ct = boto3.client('cloudtrail', endpoint_url=${JSON.stringify(node.endpoint)}, region_name='us-east-1', config=cfg)
try:
    ct.lookup_events(NextToken='not-a-token')
    out({'code': 'none'})
except botocore.exceptions.ClientError as e:
    out({'code': e.response['Error']['Code']})`);
  assert.equal(bad.code, 'InvalidNextTokenException');
});

/** A LookupEvents request signed for cloudtrail, as the SDKs send it. */
async function rawLookup(body: object, creds: Credentials = node.admin): Promise<{ status: number; json: { __type?: string; message?: string } }> {
  const url = new URL(node.endpoint);
  const req: RawRequest = {
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {},
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents' },
    body: JSON.stringify(body),
  };
  const r = await send(node, await sign(req, creds, { service: 'cloudtrail' }));
  assert.equal(r.headers['content-type'], 'application/x-amz-json-1.1');
  return { status: r.status, json: JSON.parse(r.text) as { __type?: string; message?: string } };
}

test('bad LookupAttributes: the modeled InvalidLookupAttributesException, 400, from the CLI and on the wire', async () => {
  const cli = await awsCli(node, ['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=Bogus,AttributeValue=x']);
  assert.equal(cli.ok, false);
  assert.match(cli.stderr, /InvalidLookupAttributesException/);
  const two = await awsCli(node, ['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=Username,AttributeValue=a', 'AttributeKey=EventName,AttributeValue=b']);
  assert.match(two.stderr, /InvalidLookupAttributesException/);
  const wire = await rawLookup({ LookupAttributes: [{ AttributeKey: 'Bogus', AttributeValue: 'x' }] });
  assert.equal(wire.status, 400);
  assert.equal(wire.json.__type, 'InvalidLookupAttributesException');
  assert.match(wire.json.message ?? '', /lookupAttributes\.1\.member\.attributeKey/);
  const max = await rawLookup({ MaxResults: 51 });
  assert.deepEqual([max.status, max.json.__type], [400, 'InvalidMaxResultsException']);
  const range = await rawLookup({ StartTime: 2_000_000_000, EndTime: 1_000_000_000 });
  assert.deepEqual([range.status, range.json.__type], [400, 'InvalidTimeRangeException']);
  const empty = await rawLookup({});
  assert.equal(empty.status, 200);
});

test('LookupEvents is authorised as cloudtrail:LookupEvents by the same authoriser', async () => {
  const denied = await awsCli(node, ['cloudtrail', 'lookup-events', '--max-results', '1'], dave.creds);
  assert.equal(denied.ok, false);
  assert.match(denied.stderr, /AccessDeniedException.*cloudtrail:LookupEvents/s);
  await iam(node).send(new I.PutUserPolicyCommand({
    UserName: 'dave', PolicyName: 'trail',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' }] }),
  }));
  const allowed = await awsCli<{ Events: unknown[] }>(node, ['cloudtrail', 'lookup-events', '--max-results', '1'], dave.creds);
  assert.ok(allowed.ok, allowed.stderr);
  assert.equal(allowed.json?.Events.length, 1);
  // The denied lookup is itself an event.
  const rec = await eventually((r) => r.eventName === 'LookupEvents' && r.errorCode === 'AccessDeniedException', ['--lookup-attributes', 'AttributeKey=Username,AttributeValue=dave']);
  assert.equal(rec.eventSource, 'cloudtrail.amazonaws.com');
});

function runEvents(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const store = node.databaseUrl ? ['--database', node.databaseUrl] : [];
  return new Promise((ok) => {
    execFile(process.execPath, [BIN, 'events', '--data', node.dataDir, ...store, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      ok({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('gatehouse events prints JSON lines, filtered by user and event name, and --follow prints new ones', async () => {
  const all = await runEvents(['--since', '1h']);
  assert.equal(all.code, 0, all.stderr);
  const records = all.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record);
  assert.ok(records.length > 20);
  const times = records.map((r) => Date.parse(r.eventTime));
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest first');
  const carol = await runEvents(['--user', 'carol']);
  const carolRecords = carol.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record);
  assert.ok(carolRecords.length >= (CHROMIUM_SKIP ? 0 : 2));
  assert.ok(carolRecords.every((r) => r.userIdentity.userName === 'carol'));
  const created = await runEvents(['--event-name', 'CreateUser']);
  const names = created.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Record).requestParameters?.userName);
  assert.deepEqual(names, ['carol', 'dave', 'erin', 'zz-marker']);

  const store = node.databaseUrl ? ['--database', node.databaseUrl] : [];
  const child = spawn(process.execPath, [BIN, 'events', '--follow', '--since', '1s', '--event-name', 'CreateGroup', '--data', node.dataDir, ...store], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    const seen = new Promise<void>((ok) => child.stdout.on('data', (d: Buffer) => { out += d; if (out.includes('followed-group')) ok(); }));
    await new Promise((ok) => setTimeout(ok, 1500)); // let it start polling (not an assertion on time)
    await iam(node).send(new I.CreateGroupCommand({ GroupName: 'followed-group' }));
    await seen;
    const rec = JSON.parse(out.trim().split('\n').find((l) => l.includes('followed-group'))!) as Record;
    assert.equal(rec.eventName, 'CreateGroup');
  } finally {
    if (child.pid) process.kill(child.pid, 'SIGTERM');
  }
});
