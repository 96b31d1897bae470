// CloudTrail records as built from the service models: camelCase requestParameters, secrets left out of requests
// and responses (passwords, MFA codes, seeds and QR codes, secret keys, session tokens), IAM's responseElements
// date format, read-only calls without responseElements, and userIdentity for role sessions and root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { services } from '../../src/aws/model.js';
import { cloudTrailDate, requestParametersOf, responseElementsOf } from '../../src/aws/event-elements.js';
import { apiCallEvent, eventId, identityOf } from '../../src/events/records.js';
import type { Principal, SessionInfo } from '../../src/iam/context.js';

const ACCOUNT = '123456789012';
const session = (mfa: boolean): SessionInfo => ({
  source: 'AssumeRole', issuedAt: new Date(Date.UTC(2026, 10, 30, 9)), expiresAt: new Date(Date.UTC(2026, 10, 30, 10)),
  mfaAuthenticatedAt: mfa ? new Date(Date.UTC(2026, 10, 30, 9)) : null, origin: null, sourceIdentity: null, tags: [], transitiveTagKeys: [], policy: null, policyArns: [],
});

test('requestParameters: camelCase member names; passwords and MFA codes left out', () => {
  assert.deepEqual(requestParametersOf(services.iam, 'CreateLoginProfile', { UserName: 'jane', Password: 'S3cret!pass', PasswordResetRequired: true }),
    { userName: 'jane', passwordResetRequired: true });
  assert.deepEqual(requestParametersOf(services.iam, 'EnableMFADevice', { UserName: 'jane', SerialNumber: 'arn:aws:iam::123456789012:mfa/jane', AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
    { userName: 'jane', serialNumber: 'arn:aws:iam::123456789012:mfa/jane' });
  assert.deepEqual(requestParametersOf(services.iam, 'ChangePassword', { OldPassword: 'a', NewPassword: 'b' }), null);
  assert.deepEqual(requestParametersOf(services.sts, 'GetSessionToken', { SerialNumber: 'GAHT1', TokenCode: '123456', DurationSeconds: 900 }),
    { serialNumber: 'GAHT1', durationSeconds: 900 });
  assert.deepEqual(requestParametersOf(services.iam, 'CreateUser', { UserName: 'x', Tags: [{ Key: 'team', Value: 'a' }] }), { userName: 'x', tags: [{ key: 'team', value: 'a' }] });
});

test('responseElements: seeds, QR codes, secret keys and session tokens left out; IAM date format; reads have none', () => {
  const when = new Date(Date.UTC(2026, 10, 30, 20, 32, 20));
  assert.equal(cloudTrailDate(when), 'Nov 30, 2026 8:32:20 PM');
  assert.equal(cloudTrailDate(new Date(Date.UTC(2026, 0, 2, 0, 5, 9))), 'Jan 2, 2026 12:05:09 AM');
  const device = responseElementsOf(services.iam, 'iam', 'CreateVirtualMFADevice', {
    VirtualMFADevice: { SerialNumber: 'arn:aws:iam::123456789012:mfa/jane', Base32StringSeed: Buffer.from('JBSWY3DPEHPK3PXP'), QRCodePNG: Buffer.from([137, 80, 78, 71]) },
  });
  assert.deepEqual(device, { virtualMFADevice: { serialNumber: 'arn:aws:iam::123456789012:mfa/jane' } });
  const key = responseElementsOf(services.iam, 'iam', 'CreateAccessKey', { AccessKey: { UserName: 'jane', AccessKeyId: 'AKIAEXAMPLE', Status: 'Active', SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG', CreateDate: when } });
  assert.deepEqual(key, { accessKey: { userName: 'jane', accessKeyId: 'AKIAEXAMPLE', status: 'Active', createDate: 'Nov 30, 2026 8:32:20 PM' } });
  const creds = responseElementsOf(services.sts, 'sts', 'GetSessionToken', { Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: when } });
  assert.deepEqual(creds, { credentials: { accessKeyId: 'ASIAEXAMPLE', expiration: 'Nov 30, 2026 8:32:20 PM' } });
  assert.equal(responseElementsOf(services.iam, 'iam', 'GetUser', { User: { UserName: 'jane' } }), null);
  assert.equal(responseElementsOf(services.sts, 'sts', 'GetCallerIdentity', { Account: ACCOUNT }), null);
});

test('userIdentity: a role session names its role in sessionIssuer and says whether MFA was used; root; long-term keys', () => {
  const role: Principal = {
    kind: 'assumed-role', accountId: ACCOUNT, roleId: 'AROAEXAMPLE', roleName: 'auditor', roleArn: `arn:aws:iam::${ACCOUNT}:role/auditor`,
    sessionName: 'jane', userId: 'AROAEXAMPLE:jane', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/auditor/jane`, accessKeyId: 'ASIAROLE', session: session(true),
  };
  assert.deepEqual(identityOf(role), {
    type: 'AssumedRole', principalId: 'AROAEXAMPLE:jane', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/auditor/jane`, accountId: ACCOUNT, accessKeyId: 'ASIAROLE',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:role/auditor`, accountId: ACCOUNT, userName: 'auditor' },
      webIdFederationData: {},
      attributes: { creationDate: '2026-11-30T09:00:00Z', mfaAuthenticated: 'true' },
    },
  });
  const root: Principal = { kind: 'root', accountId: ACCOUNT, userId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: 'AKIAROOT' };
  assert.deepEqual(identityOf(root), { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'AKIAROOT' });
  const e = apiCallEvent({
    service: 'sts', action: 'GetCallerIdentity', region: 'eu-west-1', principal: role, requestId: 'r-1', time: new Date(Date.UTC(2026, 10, 30, 9, 30, 0, 250)),
    readOnly: true, requestParameters: null, responseElements: null, sourceIp: '192.0.2.1', userAgent: 'x'.repeat(5000),
  });
  assert.equal(e.username, 'jane');
  assert.equal(e.time, Date.UTC(2026, 10, 30, 9, 30, 0, 250));
  assert.equal(e.record.eventTime, '2026-11-30T09:30:00Z');
  assert.equal(e.record.awsRegion, 'eu-west-1');
  assert.equal(e.record.userAgent.length, 1024);
});

test('event ids are version-7 UUIDs: the time in milliseconds first, so ids made later sort after earlier ones', () => {
  const uuid7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const t = Date.parse('2026-12-01T02:00:00Z');
  const a = eventId(t);
  const b = eventId(t + 1);
  assert.match(a, uuid7);
  assert.match(b, uuid7);
  assert.equal(a.slice(0, 13).replace('-', ''), t.toString(16).padStart(12, '0'));
  assert.ok(a < b, `${a} sorts before ${b}`);
  assert.notEqual(eventId(t), eventId(t), 'two ids of the same millisecond differ (random bits)');
  const recorded = apiCallEvent({ service: 'sts', action: 'GetCallerIdentity', region: 'us-east-1', principal: { kind: 'root', accountId: ACCOUNT, userId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: 'AKIAROOT' },
    requestId: 'r', time: new Date(t), readOnly: true, requestParameters: null, responseElements: null, sourceIp: undefined, userAgent: undefined });
  assert.match(recorded.record.eventID, uuid7);
});
