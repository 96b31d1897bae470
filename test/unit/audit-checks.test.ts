// The audit's pure parts: device kinds from serials, admin detection, every check on hand-made snapshots
// (including the time-based ones: 90-day keys, 45-day console use, root used in the last day), the score
// formula, the formats (JSON against its schema, JUnit and SARIF parsed back) and --fail-on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { deviceKind, factorStrength } from '../../src/audit/devices.js';
import { adminGrants, allowsEverything } from '../../src/audit/policy.js';
import {
  checkAccessKeysRotated, checkAdminHardwareMfa, checkAdminMfa, checkConsoleMfa, checkConsoleUnused, checkMfaEnforced, checkRootAccessKey,
  checkRootHardwareMfa, checkRootMfa, checkRootRecentUse, checkUserMfa, rootHasCredentials, runChecks, CHECKS,
} from '../../src/audit/checks.js';
import { findingWeight, score } from '../../src/audit/score.js';
import { buildReport, failuresAtOrAbove, formatJunit, formatSarif, formatTable } from '../../src/audit/report.js';
import { parseCredentialReport } from '../../src/audit/csv.js';
import { decodePolicyDocument } from '../../src/audit/collect.js';
import { mapPool } from '../../src/audit/pool.js';
import type { AccountSnapshot, Finding, MfaDevice, UserSnapshot } from '../../src/audit/types.js';
import { loadReportSchema, validate } from '../helpers/audit.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const ACCT = '123456789012';
const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * DAY);
const dev = (serial: string): MfaDevice => ({ serialNumber: serial, kind: deviceKind(serial), enableDate: NOW });
const VIRTUAL = `arn:aws:iam::${ACCT}:mfa/alice`;
const FIDO = `arn:aws:iam::${ACCT}:u2f/user/alice/yubikey-ABCDEFGHIJKLMNOPQRSTUVWXYZ`;
const HW = 'GAHT12345678';
const ADMIN_POLICY = { name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' };

function user(name: string, o: Partial<UserSnapshot> = {}): UserSnapshot {
  return {
    userName: name, arn: `arn:aws:iam::${ACCT}:user/${name}`, createDate: daysAgo(200), passwordLastUsed: null,
    loginProfile: null, mfaDevices: [], accessKeys: [], policies: { attached: [], inline: [], groups: [] }, ...o,
  };
}
const SUMMARY = { AccountMFAEnabled: 0, AccountAccessKeysPresent: 0, AccountPasswordPresent: 1, AccountSigningCertificatesPresent: 0 };
function account(o: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    accountId: ACCT, partition: 'aws', endpoint: 'http://127.0.0.1:1', collectedAt: NOW, summary: SUMMARY, virtualDevices: [],
    credentialReport: { generatedTime: new Date(NOW.getTime() - 600_000), rows: [] }, users: [], ...o,
  };
}
const only = (fs: Finding[]): Finding => { assert.equal(fs.length, 1, JSON.stringify(fs)); return fs[0] as Finding; };

test('device kind comes from the serial exactly, never from the name', () => {
  assert.equal(deviceKind(VIRTUAL), 'virtual');
  assert.equal(deviceKind(`arn:aws:iam::${ACCT}:mfa/path/root-account-mfa-device`), 'virtual');
  assert.equal(deviceKind(FIDO), 'fido');
  assert.equal(deviceKind(`arn:aws:iam::${ACCT}:u2f/root/key-XYZ`), 'fido');
  assert.equal(deviceKind(HW), 'hardware');
  assert.equal(deviceKind(`arn:aws-cn:iam::${ACCT}:mfa/x`), 'virtual');
  assert.equal(deviceKind(`arn:aws:iam::${ACCT}:sms-mfa/bob`), 'sms');
  assert.equal(deviceKind(`arn:aws:iam::${ACCT}:user/u2f-lookalike`), 'unknown');
  // A user named like a device is still a user: a virtual device named "u2f" is virtual
  assert.equal(deviceKind(`arn:aws:iam::${ACCT}:mfa/u2f`), 'virtual');
  assert.equal(factorStrength([dev(VIRTUAL), dev(FIDO)]), 'phishing-resistant');
  assert.equal(factorStrength([dev(HW)]), 'totp');
  assert.equal(factorStrength([]), 'none');
});

test('admin: AdministratorAccess directly or through a group, or an Allow of * on *; conditions do not matter', () => {
  assert.ok(allowsEverything({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
  assert.ok(allowsEverything({ Statement: { Effect: 'Allow', Action: ['s3:*', '*:*'], Resource: ['*'], Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } } }));
  assert.ok(!allowsEverything({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }));
  assert.ok(!allowsEverything({ Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] }));
  assert.ok(!allowsEverything({ Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/*' }] }));
  assert.ok(!allowsEverything('not a policy'));
  assert.deepEqual(adminGrants({ attached: [ADMIN_POLICY], inline: [], groups: [] }), ['policy AdministratorAccess attached']);
  assert.deepEqual(adminGrants({ attached: [], inline: [], groups: [{ name: 'ops', attached: [ADMIN_POLICY], inline: [] }] }), ['group ops: policy AdministratorAccess']);
  assert.deepEqual(adminGrants({ attached: [{ name: 'Mine', arn: `arn:aws:iam::${ACCT}:policy/Mine`, document: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }], inline: [], groups: [] }), ['policy Mine attached']);
  assert.deepEqual(adminGrants({ attached: [{ name: 'IAMFullAccess', arn: 'arn:aws:iam::aws:policy/IAMFullAccess' }], inline: [{ name: 'x', document: { Statement: [] } }], groups: [] }), []);
  assert.deepEqual(decodePolicyDocument(encodeURIComponent('{"Statement":[]}')), { Statement: [] });
  assert.deepEqual(decodePolicyDocument('{"a":"%41"}'), { a: '%41' });
});

test('root-account-mfa-enabled: FAIL without, PASS with; NOT_APPLICABLE when root has no credentials; ERROR without a summary', () => {
  assert.equal(only(checkRootMfa(account())).status, 'FAIL');
  const pass = only(checkRootMfa(account({ summary: { ...SUMMARY, AccountMFAEnabled: 1 } })));
  assert.equal(pass.status, 'PASS');
  assert.equal(pass.resource, `arn:aws:iam::${ACCT}:root`);
  const none = { AccountMFAEnabled: 0, AccountAccessKeysPresent: 0, AccountPasswordPresent: 0, AccountSigningCertificatesPresent: 0 };
  assert.equal(rootHasCredentials(none), false);
  assert.equal(only(checkRootMfa(account({ summary: none }))).status, 'NOT_APPLICABLE');
  assert.equal(only(checkRootHardwareMfa(account({ summary: none }))).status, 'NOT_APPLICABLE');
  assert.equal(only(checkRootRecentUse(account({ summary: none }))).status, 'NOT_APPLICABLE');
  assert.equal(only(checkRootAccessKey(account({ summary: none }))).status, 'PASS');
  // moto's summary has no AccountPasswordPresent: root is assumed to have credentials
  assert.equal(rootHasCredentials({ AccountMFAEnabled: 0 }), true);
  const err = only(checkRootMfa(account({ summary: { error: 'AccessDenied: no' } })));
  assert.equal(err.status, 'ERROR');
  assert.match(err.reason, /AccessDenied/);
});

test('root-account-hardware-mfa-enabled: a virtual device assigned to the root ARN fails, a FIDO-only root passes, names do not count', () => {
  const mfa = { ...SUMMARY, AccountMFAEnabled: 1 };
  const root = `arn:aws:iam::${ACCT}:root`;
  assert.match(only(checkRootHardwareMfa(account())).reason, /no MFA device/);
  const virt = only(checkRootHardwareMfa(account({ summary: mfa, virtualDevices: [{ serialNumber: `arn:aws:iam::${ACCT}:mfa/mine`, userArn: root }] })));
  assert.equal(virt.status, 'FAIL');
  assert.match(virt.reason, /mfa\/mine/);
  // A user's device named root-account-mfa-device is not root's (aws-security-benchmark#53)
  const lookalike = account({ summary: mfa, virtualDevices: [{ serialNumber: `arn:aws:iam::${ACCT}:mfa/root-account-mfa-device`, userArn: `arn:aws:iam::${ACCT}:user/root-account-mfa-device` }, { serialNumber: `arn:aws:iam::${ACCT}:mfa/spare`, userArn: null }] });
  assert.equal(only(checkRootHardwareMfa(lookalike)).status, 'PASS');
  assert.equal(only(checkRootHardwareMfa(account({ summary: mfa, virtualDevices: { error: 'boom' } }))).status, 'ERROR');
});

test('iam-root-access-key-check', () => {
  assert.equal(only(checkRootAccessKey(account())).status, 'PASS');
  assert.equal(only(checkRootAccessKey(account({ summary: { ...SUMMARY, AccountAccessKeysPresent: 1 } }))).status, 'FAIL');
  assert.equal(only(checkRootAccessKey(account({ summary: { AccountMFAEnabled: 0 } }))).status, 'ERROR');
});

test('root-account-recent-use: from the credential report, within a day; no root row is NOT_APPLICABLE', () => {
  const report = (row: Record<string, string>) => ({ generatedTime: daysAgo(0), rows: [{ user: '<root_account>', arn: `arn:aws:iam::${ACCT}:root`, password_last_used: 'no_information', access_key_1_last_used_date: 'N/A', access_key_2_last_used_date: 'N/A', ...row }] });
  assert.equal(only(checkRootRecentUse(account({ credentialReport: report({}) }))).status, 'PASS');
  assert.match(only(checkRootRecentUse(account({ credentialReport: report({}) }))).reason, /never used/);
  const recent = only(checkRootRecentUse(account({ credentialReport: report({ password_last_used: new Date(NOW.getTime() - 3_600_000).toISOString().replace('.000Z', '+00:00') }) })));
  assert.equal(recent.status, 'FAIL');
  assert.match(recent.reason, /password at/);
  const key = only(checkRootRecentUse(account({ credentialReport: report({ access_key_2_last_used_date: daysAgo(0.5).toISOString() }) })));
  assert.equal(key.status, 'FAIL');
  const old = only(checkRootRecentUse(account({ credentialReport: report({ password_last_used: daysAgo(3).toISOString() }) })));
  assert.equal(old.status, 'PASS');
  assert.match(old.reason, /3 days ago/);
  assert.equal(only(checkRootRecentUse(account({ credentialReport: { generatedTime: NOW, rows: [] } }))).status, 'NOT_APPLICABLE');
  assert.equal(only(checkRootRecentUse(account({ credentialReport: { error: 'ReportInProgress' } }))).status, 'ERROR');
});

test('mfa-enabled-for-iam-console-access and iam-user-mfa-enabled: credit by factor; users without a password are out of scope', () => {
  const s = account();
  const bob = user('bob', { loginProfile: { createDate: daysAgo(1) } });
  assert.equal(only(checkConsoleMfa(bob, s)).status, 'FAIL');
  assert.equal(only(checkUserMfa(bob, s)).status, 'FAIL');
  assert.deepEqual(checkConsoleMfa(user('keys-only'), s), []);
  const totpUser = only(checkConsoleMfa(user('t', { loginProfile: { createDate: null }, mfaDevices: [dev(VIRTUAL)] }), s));
  assert.equal(totpUser.status, 'PASS');
  assert.equal(totpUser.credit, 0.75);
  const fido = only(checkUserMfa(user('f', { mfaDevices: [dev(VIRTUAL), dev(FIDO)] }), s));
  assert.equal(fido.credit, 1);
  assert.match(fido.reason, /1 virtual, 1 FIDO devices/);
  assert.equal(only(checkUserMfa(user('e', { mfaDevices: { error: 'Throttling' } }), s)).status, 'ERROR');
  assert.equal(only(checkConsoleMfa(user('e', { loginProfile: { error: 'AccessDenied' } }), s)).status, 'ERROR');
});

test('access-keys-rotated: active keys older than 90 days fail; inactive ones do not count', () => {
  const s = account();
  const k = (id: string, status: string, age: number) => ({ accessKeyId: id, status, createDate: daysAgo(age) });
  assert.deepEqual(checkAccessKeysRotated(user('none'), s), []);
  assert.equal(only(checkAccessKeysRotated(user('fresh', { accessKeys: [k('AKIAFRESH', 'Active', 89)] }), s)).status, 'PASS');
  const old = only(checkAccessKeysRotated(user('old', { accessKeys: [k('AKIAOLD', 'Active', 91), k('AKIANEW', 'Active', 1)] }), s));
  assert.equal(old.status, 'FAIL');
  assert.match(old.reason, /AKIAOLD created 91 days ago/);
  assert.ok(!old.reason.includes('AKIANEW'));
  assert.deepEqual(checkAccessKeysRotated(user('inactive', { accessKeys: [k('AKIAOFF', 'Inactive', 400)] }), s), []);
});

test('admin checks: no MFA fails both; virtual only fails the hardware one; hardware TOTP or FIDO passes; non-admins are out of scope', () => {
  const s = account();
  const admin = (devices: MfaDevice[]) => user('adm', { mfaDevices: devices, policies: { attached: [], inline: [], groups: [{ name: 'Admins', attached: [ADMIN_POLICY], inline: [] }] } });
  assert.equal(only(checkAdminMfa(admin([]), s)).status, 'FAIL');
  assert.match(only(checkAdminMfa(admin([]), s)).reason, /group Admins: policy AdministratorAccess/);
  assert.equal(only(checkAdminHardwareMfa(admin([]), s)).status, 'FAIL');
  assert.equal(only(checkAdminMfa(admin([dev(VIRTUAL)]), s)).status, 'PASS');
  const v = only(checkAdminHardwareMfa(admin([dev(VIRTUAL)]), s));
  assert.equal(v.status, 'FAIL');
  assert.match(v.reason, /only virtual/);
  assert.equal(only(checkAdminHardwareMfa(admin([dev(VIRTUAL), dev(HW)]), s)).status, 'PASS');
  assert.equal(only(checkAdminHardwareMfa(admin([dev(FIDO)]), s)).credit, 1);
  assert.equal(only(checkAdminHardwareMfa(admin([dev(HW)]), s)).credit, 0.75);
  assert.deepEqual(checkAdminMfa(user('plain'), s), []);
  assert.equal(only(checkAdminMfa(user('x', { policies: { error: 'AccessDenied' } }), s)).status, 'ERROR');
});

test('iam-user-console-access-unused: never signed in, or not for 45 days; the later of ListUsers and the report counts', () => {
  const s = account();
  const pw = { loginProfile: { createDate: daysAgo(10) } };
  const never = only(checkConsoleUnused(user('n', pw), s));
  assert.equal(never.status, 'FAIL');
  assert.match(never.reason, /never signed in \(password set 10 days ago\)/);
  assert.equal(only(checkConsoleUnused(user('r', { ...pw, passwordLastUsed: daysAgo(44) }), s)).status, 'PASS');
  assert.match(only(checkConsoleUnused(user('o', { ...pw, passwordLastUsed: daysAgo(46) }), s)).reason, /46 days ago, more than 45 days/);
  const withReport = account({ credentialReport: { generatedTime: NOW, rows: [{ user: 'o', arn: `arn:aws:iam::${ACCT}:user/o`, password_last_used: daysAgo(2).toISOString() }] } });
  assert.equal(only(checkConsoleUnused(user('o', { ...pw, passwordLastUsed: daysAgo(46) }), withReport)).status, 'PASS');
  assert.deepEqual(checkConsoleUnused(user('nopw'), s), []);
});

test('iam-user-mfa-enforced: allowed without MFA (false or absent) fails; none allowed passes; unavailable simulation is ERROR with the reason', () => {
  const s = account();
  const creds = { loginProfile: { createDate: NOW } };
  const sim = (f: string[], a: string[], t: string[]) => ({ allowedWithMfaFalse: f, allowedWithMfaAbsent: a, allowedWithMfa: t });
  const fail = only(checkMfaEnforced(user('u', { ...creds, simulation: sim([], ['iam:ListUsers'], ['iam:ListUsers']) }), s));
  assert.equal(fail.status, 'FAIL');
  assert.match(fail.reason, /MFA absent, as with long-term keys\): iam:ListUsers/);
  assert.match(only(checkMfaEnforced(user('u', { ...creds, simulation: sim(['s3:GetObject'], ['s3:GetObject'], []) }), s)).reason, /MFA false or absent/);
  const enforced = only(checkMfaEnforced(user('u', { ...creds, simulation: sim([], [], ['iam:ListUsers']) }), s));
  assert.equal(enforced.status, 'PASS');
  assert.match(enforced.reason, /requires MFA/);
  assert.match(only(checkMfaEnforced(user('u', { ...creds, simulation: sim([], [], []) }), s)).reason, /no sensitive action/);
  const moto = only(checkMfaEnforced(user('u', creds), account({ simulationUnavailable: 'InternalFailure: 500' })));
  assert.equal(moto.status, 'ERROR');
  assert.match(moto.reason, /SimulatePrincipalPolicy unavailable: InternalFailure/);
  assert.equal(only(checkMfaEnforced(user('u', { ...creds, simulation: { error: 'AccessDenied: no' } }), s)).status, 'ERROR');
  // No console password and no active key: cannot act at all, out of scope
  assert.deepEqual(checkMfaEnforced(user('idle', { accessKeys: [{ accessKeyId: 'AKIAX', status: 'Inactive', createDate: NOW }] }), s), []);
});

test('the score: Σ credit × weight × (1 + 0.25 × risk) / Σ weight × (1 + 0.25 × risk); root weighs 10× a user; N/A and ERROR left out', () => {
  assert.equal(findingWeight('root-account-mfa-enabled'), 1000 * 2.25);
  assert.equal(findingWeight('iam-user-mfa-enabled'), 100 * 1.75);
  assert.equal(findingWeight('iam-admin-mfa-enabled'), 300 * 2.25);
  const f = (check: keyof typeof CHECKS, status: Finding['status'], credit = status === 'PASS' ? 1 : 0): Finding =>
    ({ check, status, severity: CHECKS[check].severity, resource: `arn:aws:iam::${ACCT}:root`, reason: 'r', remedy: 'm', credit });
  assert.equal(score([]).value, null);
  assert.equal(score([f('root-account-mfa-enabled', 'PASS')]).value, 100);
  assert.equal(score([f('root-account-mfa-enabled', 'FAIL')]).value, 0);
  // Root FAIL against ten user PASSes: 10 × 175 / (10 × 175 + 2250)
  const users = Array.from({ length: 10 }, () => f('iam-user-mfa-enabled', 'PASS'));
  assert.equal(score([f('root-account-mfa-enabled', 'FAIL'), ...users]).value, Math.round((1000 * 1750) / (1750 + 2250)) / 10);
  // TOTP credit 0.75
  assert.equal(score([f('iam-user-mfa-enabled', 'PASS', 0.75)]).value, 75);
  // NOT_APPLICABLE and ERROR do not count
  const s = score([f('iam-user-mfa-enabled', 'PASS'), f('root-account-mfa-enabled', 'NOT_APPLICABLE'), f('iam-root-access-key-check', 'ERROR')]);
  assert.equal(s.value, 100);
  const byCheck = new Map(s.checks.map((c) => [c.check, c]));
  assert.equal(byCheck.get('root-account-mfa-enabled')?.notApplicable, 1);
  assert.equal(byCheck.get('root-account-mfa-enabled')?.score, null);
  assert.equal(byCheck.get('iam-root-access-key-check')?.error, 1);
  assert.throws(() => score([{ ...f('iam-user-mfa-enabled', 'PASS'), check: 'nope' }]), /unknown check/);
});

function sampleReport() {
  const s = account({
    users: [
      user('alice', { loginProfile: { createDate: daysAgo(3) }, passwordLastUsed: daysAgo(1), mfaDevices: [dev(FIDO)], accessKeys: [{ accessKeyId: 'AKIAALICE', status: 'Active', createDate: daysAgo(120) }],
        simulation: { allowedWithMfaFalse: [], allowedWithMfaAbsent: [], allowedWithMfa: ['s3:GetObject'] } }),
      user('bob<&>"', { loginProfile: { createDate: daysAgo(3) }, policies: { attached: [ADMIN_POLICY], inline: [], groups: [] }, simulation: { error: 'Throttling' } }),
    ],
  });
  return buildReport(s, runChecks(s));
}

test('the JSON report follows its schema; the validator catches violations', () => {
  const schema = loadReportSchema();
  const r: unknown = JSON.parse(JSON.stringify(sampleReport()));
  assert.deepEqual(validate(schema, r), []);
  const broken = { ...(r as Record<string, unknown>), extra: 1, account: '12' }; // a deliberately wrong copy
  const errs = validate(schema, broken);
  assert.ok(errs.some((e) => /unexpected property extra/.test(e)), errs.join('\n'));
  assert.ok(errs.some((e) => /\$\.account/.test(e)), errs.join('\n'));
  assert.ok(validate(schema, { ...(r as Record<string, unknown>), findings: [{ check: 'x', status: 'MAYBE' }] }).length > 0);
});

test('JUnit: a suite per check, failures for FAIL, errors for ERROR, skipped for N/A, escaped text; parsed back', () => {
  const r = sampleReport();
  const xml = formatJunit(r);
  const doc: unknown = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml);
  const root = (doc as { testsuites: { tests: string; failures: string; errors: string; testsuite: { name: string; testcase: { name: string; failure?: { type: string; message: string } }[] }[] } }).testsuites; // shape asserted below
  assert.equal(Number(root.tests), r.findings.length);
  assert.equal(Number(root.failures), r.findings.filter((f) => f.status === 'FAIL').length);
  assert.equal(Number(root.errors), r.findings.filter((f) => f.status === 'ERROR').length);
  const suite = root.testsuite.find((s) => s.name === 'mfa-enabled-for-iam-console-access');
  const bob = suite?.testcase.find((c) => c.name.endsWith('user/bob<&>"'));
  assert.equal(bob?.failure?.type, 'high');
  assert.match(bob?.failure?.message ?? '', /no MFA device/);
  assert.ok(xml.includes('bob&lt;&amp;&gt;&quot;'));
});

test('SARIF 2.1.0: a rule per check, results with kind/level, ERRORs as notifications', () => {
  const r = sampleReport();
  const doc: unknown = JSON.parse(formatSarif(r));
  const run = (doc as { version: string; runs: { tool: { driver: { rules: { id: string; properties: Record<string, string> }[] } }; results: { ruleId: string; ruleIndex: number; kind: string; level: string; locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }[]; invocations: { toolExecutionNotifications: unknown[] }[] }[] }); // shape asserted below
  assert.equal(run.version, '2.1.0');
  const rules = run.runs[0]?.tool.driver.rules ?? [];
  assert.deepEqual(rules.map((x) => x.id), Object.keys(CHECKS));
  assert.equal(rules[0]?.properties['security-severity'], '9.5');
  const results = run.runs[0]?.results ?? [];
  for (const res of results) assert.equal(rules[res.ruleIndex]?.id, res.ruleId);
  const fails = results.filter((x) => x.kind === 'fail');
  assert.equal(fails.length, r.findings.filter((f) => f.status === 'FAIL').length);
  assert.ok(fails.every((x) => ['error', 'warning', 'note'].includes(x.level)));
  assert.ok(results.filter((x) => x.kind === 'pass').every((x) => x.level === 'none'));
  assert.ok(results.some((x) => x.locations[0]?.logicalLocations[0]?.fullyQualifiedName === `arn:aws:iam::${ACCT}:user/alice`));
  assert.equal(run.runs[0]?.invocations[0]?.toolExecutionNotifications.length, r.findings.filter((f) => f.status === 'ERROR').length);
});

test('--fail-on thresholds and the table', () => {
  const r = sampleReport();
  const fails = r.findings.filter((f) => f.status === 'FAIL');
  assert.ok(fails.some((f) => f.severity === 'critical'));
  assert.deepEqual(failuresAtOrAbove(r.findings, 'none'), []);
  assert.ok(failuresAtOrAbove(r.findings, 'critical').every((f) => f.severity === 'critical'));
  assert.equal(failuresAtOrAbove(r.findings, 'low').length, fails.length);
  assert.ok(failuresAtOrAbove(r.findings, 'high').length >= failuresAtOrAbove(r.findings, 'critical').length);
  const t = formatTable(r);
  assert.match(t, /Score: [\d.]+ \/ 100/);
  assert.match(t, /FAIL\s+critical\s+iam-admin-mfa-enabled/);
  assert.ok(!/^PASS/m.test(t));
  assert.match(formatTable(r, { all: true }), /^PASS/m);
});

test('credential report CSV with quoted fields; the bounded pool keeps order and its limit', async () => {
  const rows = parseCredentialReport('user,arn,password_enabled\n<root_account>,arn:aws:iam::123456789012:root,not_supported\n"a,""b""",arn:x,true\r\n');
  assert.equal(rows.length, 2);
  assert.equal(rows[1]?.['user'], 'a,"b"');
  assert.equal(rows[1]?.['password_enabled'], 'true');
  let inFlight = 0;
  let peak = 0;
  const out = await mapPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setTimeout(r, 5 * (8 - n)));
    inFlight--;
    return n * 2;
  });
  assert.deepEqual(out, [2, 4, 6, 8, 10, 12, 14]);
  assert.equal(peak, 3);
});
