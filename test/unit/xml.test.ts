// The XML writer (src/aws/xml.ts) against fixed documents: what the SDKs parse, byte for byte. The expected texts are
// what the generic object-to-XML builder (fast-xml-parser's XMLBuilder) wrote before the writer replaced it; the
// e2e wire tests parse the same envelopes with real clients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeError, serializeResult } from '../../src/aws/xml.js';
import { services } from '../../src/aws/model.js';
import { AwsError } from '../../src/aws/errors.js';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const RID = 'f0e1d2c3-0000-4000-8000-000000000001';
const d = new Date(Date.UTC(2026, 10, 30, 12, 34, 56, 789));

test('results: members in model order, entities escaped, lists, maps, booleans, timestamps, blobs, URL-encoded documents', () => {
  const cases: Array<[string, 'iam' | 'sts', string, object | undefined, string]> = [
    ['ListUsers: two users, entities in every text, a PasswordLastUsed given as an ISO string, a tag with an empty value, a marker', 'iam', 'ListUsers', { Users: [
      { Path: '/', UserName: 'alice', UserId: 'AIDAALICE0000000000A', Arn: 'arn:aws:iam::123456789012:user/alice', CreateDate: d },
      { Path: '/a&b/<c>/', UserName: 'o\'neil"s', UserId: 'AIDAONEIL0000000000B', Arn: 'arn:aws:iam::123456789012:user/a&b/<c>/o\'neil"s', CreateDate: d, PasswordLastUsed: '2026-11-29T01:02:03.000Z', Tags: [{ Key: 'k', Value: '' }] },
    ], IsTruncated: true, Marker: 'bWFya2Vy' },
      `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users><member><Path>/</Path><UserName>alice</UserName><UserId>AIDAALICE0000000000A</UserId><Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>2026-11-30T12:34:56Z</CreateDate></member><member><Path>/a&amp;b/&lt;c&gt;/</Path><UserName>o&apos;neil&quot;s</UserName><UserId>AIDAONEIL0000000000B</UserId><Arn>arn:aws:iam::123456789012:user/a&amp;b/&lt;c&gt;/o&apos;neil&quot;s</Arn><CreateDate>2026-11-30T12:34:56Z</CreateDate><PasswordLastUsed>2026-11-29T01:02:03Z</PasswordLastUsed><Tags><member><Key>k</Key><Value></Value></member></Tags></member></Users><IsTruncated>true</IsTruncated><Marker>bWFya2Vy</Marker></ListUsersResult><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></ListUsersResponse>`],
    ['ListUsers: an empty page (an empty list is still sent)', 'iam', 'ListUsers', { Users: [], IsTruncated: false },
      `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users></Users><IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></ListUsersResponse>`],
    ['ListMFADevices', 'iam', 'ListMFADevices', { MFADevices: [{ UserName: 'alice', SerialNumber: 'arn:aws:iam::123456789012:mfa/alice', EnableDate: d }], IsTruncated: false },
      `<ListMFADevicesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListMFADevicesResult><MFADevices><member><UserName>alice</UserName><SerialNumber>arn:aws:iam::123456789012:mfa/alice</SerialNumber><EnableDate>2026-11-30T12:34:56Z</EnableDate></member></MFADevices><IsTruncated>false</IsTruncated></ListMFADevicesResult><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></ListMFADevicesResponse>`],
    ['GetCallerIdentity (STS namespace)', 'sts', 'GetCallerIdentity', { UserId: 'AIDAALICE0000000000A', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/alice' },
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><UserId>AIDAALICE0000000000A</UserId><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/alice</Arn></GetCallerIdentityResult><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`],
    ['GetAccountSummary: a map', 'iam', 'GetAccountSummary', { SummaryMap: { Users: 2, UsersQuota: 5000, AccountMFAEnabled: 0 } },
      `<GetAccountSummaryResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountSummaryResult><SummaryMap><entry><key>Users</key><value>2</value></entry><entry><key>UsersQuota</key><value>5000</value></entry><entry><key>AccountMFAEnabled</key><value>0</value></entry></SummaryMap></GetAccountSummaryResult><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></GetAccountSummaryResponse>`],
    ['GetUserPolicy: the policy document URL-encoded', 'iam', 'GetUserPolicy', { UserName: 'alice', PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}' },
      `<GetUserPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserPolicyResult><UserName>alice</UserName><PolicyName>p</PolicyName><PolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22iam%3AGet*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D</PolicyDocument></GetUserPolicyResult><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></GetUserPolicyResponse>`],
    ['GetCredentialReport: a blob in base64', 'iam', 'GetCredentialReport', { Content: new Uint8Array(Buffer.from('user,arn\nalice,arn:aws:iam::123456789012:user/alice\n')), ReportFormat: 'text/csv', GeneratedTime: d },
      `<GetCredentialReportResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetCredentialReportResult><Content>dXNlcixhcm4KYWxpY2UsYXJuOmF3czppYW06OjEyMzQ1Njc4OTAxMjp1c2VyL2FsaWNlCg==</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-30T12:34:56Z</GeneratedTime></GetCredentialReportResult><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></GetCredentialReportResponse>`],
    ['GetLoginProfile: a nested structure, a false boolean', 'iam', 'GetLoginProfile', { LoginProfile: { UserName: 'alice', CreateDate: d, PasswordResetRequired: false } },
      `<GetLoginProfileResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetLoginProfileResult><LoginProfile><UserName>alice</UserName><CreateDate>2026-11-30T12:34:56Z</CreateDate><PasswordResetRequired>false</PasswordResetRequired></LoginProfile></GetLoginProfileResult><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></GetLoginProfileResponse>`],
    ['DeleteUser: an operation without output', 'iam', 'DeleteUser', undefined,
      `<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></DeleteUserResponse>`],
    ['GetUser: an empty structure', 'iam', 'GetUser', {},
      `<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult></GetUserResult><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></GetUserResponse>`],
  ];
  for (const [what, service, op, output, expected] of cases) {
    assert.equal(serializeResult(services[service], op, output, RID), DECL + expected, what);
  }
});

test('errors: the envelope with and without a namespace; reserved characters as entities, characters XML cannot carry as \\uXXXX', () => {
  const rid = 'f0e1d2c3-0000-4000-8000-000000000002';
  assert.equal(serializeError(services.iam.xmlNamespace, new AwsError('NoSuchEntity', "The user with name <bob> & 'co' cannot be found."), rid),
    DECL + `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name &lt;bob&gt; &amp; &apos;co&apos; cannot be found.</Message></Error><RequestId>f0e1d2c3-0000-4000-8000-000000000002</RequestId></ErrorResponse>`);
  assert.equal(serializeError(undefined, new AwsError('InvalidAction', 'bad\u0001char\uFFFE'), rid),
    DECL + `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>bad\\u0001char\\ufffe</Message></Error><RequestId>f0e1d2c3-0000-4000-8000-000000000002</RequestId></ErrorResponse>`);
});
