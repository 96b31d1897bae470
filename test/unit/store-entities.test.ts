// The entity mappers (src/store/entities.ts): each row type to its camelCase entity, JSON columns parsed and
// checked, on rows as the store really returns them (SQLite), so switching a store method to return entities is a
// mechanical change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/index.js';
import { IamStore } from '../../src/store/iam-store.js';
import { MfaStore } from '../../src/store/mfa-store.js';
import { PolicyStore } from '../../src/store/policy-store.js';
import {
  parsePasswordPolicy, parseTags, parseTotpParams, rowToAccessKey, rowToAccount, rowToCredentialReport, rowToGroup,
  rowToGroupMember, rowToGroupPolicy, rowToInstallation, rowToLoginProfile, rowToManagedPolicy, rowToMasterKeySentinel,
  rowToMfaDevice, rowToMfaThrottle, rowToPolicyAttachment, rowToPolicyVersion, rowToRole, rowToRolePolicy, rowToStsSession,
  rowToUser, rowToUserPolicy, rowToUserSummary, StoredValueError,
} from '../../src/store/entities.js';
import type { PasswordPolicy } from '../../src/store/entities.js';
import type {
  AccessKeyRow, AccountRow, GroupRow, LoginProfileRow, ManagedPolicyRow, MfaDeviceRow, PolicyVersionRow, RolePolicyRow, RoleRow, StsSessionRow,
  UserPolicyRow, UserRow,
} from '../../src/store/rows.js';

const ACCOUNT = '123456789012';
const when = '2026-11-30T00:00:00.000Z';

test('the JSON column parsers check what they parse', () => {
  assert.deepEqual(parseTags('[{"Key":"team","Value":"a"}]'), [{ Key: 'team', Value: 'a' }]);
  assert.deepEqual(parseTags('[]'), []);
  for (const bad of ['{', '{}', '[{"Key":"k"}]', '[{"Key":1,"Value":"v"}]', 'null']) {
    assert.throws(() => parseTags(bad, 'users.tags'), (e: unknown) => e instanceof StoredValueError && /users\.tags/.test(e.message), bad);
  }
  assert.deepEqual(parseTotpParams('{"algorithm":"SHA256","digits":8,"period":60}'), { algorithm: 'SHA256', digits: 8, period: 60 });
  assert.throws(() => parseTotpParams('{"algorithm":"MD5","digits":6,"period":30}'), StoredValueError);
  assert.throws(() => parseTotpParams('{"algorithm":"SHA1","digits":7,"period":30}'), StoredValueError);
  assert.equal(parsePasswordPolicy(null), null);
  assert.throws(() => parsePasswordPolicy('{"MinimumPasswordLength":"8"}'), StoredValueError);
});

test('rowTo* map every column, on the rows the store returns', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-store-entities-'));
  const db = await openDatabase({ dataDir: dir });
  try {
    const store = new IamStore(db);
    const ps = new PolicyStore(db);
    const mfa = new MfaStore(db);
    // The row as both drivers return it: the store maps it with the rowTo* under test.
    const raw = <T extends object>(sql: string, id: string): Promise<T | undefined> => db.get<T>(sql, [id]);
    await store.insertInstallation(ACCOUNT, when);
    assert.deepEqual(rowToInstallation({ id: 1, account_id: ACCOUNT, created_at: when }), { id: 1, accountId: ACCOUNT, createdAt: when });
    assert.deepEqual(await store.getInstallation(), { accountId: ACCOUNT });

    await store.insertAccount({ accountId: ACCOUNT, rootEmail: 'root@example.com', rootPasswordHash: 'h', createdAt: when });
    const policy: PasswordPolicy = {
      MinimumPasswordLength: 12, RequireSymbols: true, RequireNumbers: false, RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: false, AllowUsersToChangePassword: true, ExpirePasswords: true, MaxPasswordAge: 90, HardExpiry: false,
    };
    await store.setPasswordPolicy(ACCOUNT, policy);
    await store.setAlias(ACCOUNT, 'acme');
    const account = await raw<AccountRow>('SELECT * FROM accounts WHERE account_id = ?', ACCOUNT);
    assert.ok(account);
    assert.deepEqual(await store.getAccount(ACCOUNT), rowToAccount(account));
    assert.deepEqual(rowToAccount(account), {
      accountId: ACCOUNT, alias: 'acme', rootEmail: 'root@example.com', rootPasswordHash: 'h', rootPasswordChangedAt: when,
      rootPasswordLastUsed: null, passwordPolicy: policy, createdAt: when,
    });

    const tags = [{ Key: 'team', Value: 'blue' }];
    await store.insertUser({ userId: 'AIDAALICE', accountId: ACCOUNT, name: 'Alice', path: '/eng/', tags, createdAt: when });
    const user = await raw<UserRow>('SELECT * FROM users WHERE user_id = ?', 'AIDAALICE');
    assert.ok(user);
    assert.deepEqual(await store.getUser(ACCOUNT, 'alice'), rowToUser(user));
    const expectedUser = {
      userId: 'AIDAALICE', accountId: ACCOUNT, name: 'Alice', nameLc: 'alice', path: '/eng/', permissionsBoundary: null,
      passwordLastUsed: null, createdAt: when,
    };
    assert.deepEqual(rowToUser(user), { ...expectedUser, tags });
    const { tags: _tags, ...listed } = user; // a listing's row: no tags column
    assert.deepEqual(rowToUserSummary(listed), expectedUser);
    assert.deepEqual(await store.listUsers(ACCOUNT, '/', { after: null, limit: 10 }), [expectedUser]);

    await store.insertGroup({ groupId: 'AGPADEVS', accountId: ACCOUNT, name: 'Devs', path: '/', createdAt: when });
    const group = await raw<GroupRow>('SELECT * FROM groups_ WHERE group_id = ?', 'AGPADEVS');
    assert.ok(group);
    assert.deepEqual(await store.getGroup(ACCOUNT, 'DEVS'), rowToGroup(group));
    assert.deepEqual(rowToGroup(group), { groupId: 'AGPADEVS', accountId: ACCOUNT, name: 'Devs', nameLc: 'devs', path: '/', createdAt: when });
    await store.addMember('AGPADEVS', 'AIDAALICE', when);
    assert.equal(await store.isGroupMember('AGPADEVS', 'AIDAALICE'), true);
    assert.deepEqual(await new PolicyStore(db).userGroupIds('AIDAALICE'), ['AGPADEVS']);
    assert.equal(await store.isGroupMember('AGPADEVS', 'AIDANOBODY'), false);
    assert.equal(await store.countUsers(ACCOUNT), 1);
    assert.equal(await store.countGroups(ACCOUNT), 1);
    assert.deepEqual(rowToGroupMember({ group_id: 'AGPADEVS', user_id: 'AIDAALICE', added_at: when }), { groupId: 'AGPADEVS', userId: 'AIDAALICE', addedAt: when });

    await store.insertLoginProfile({ userId: 'AIDAALICE', passwordHash: 'p2', passwordHistory: ['p1'], passwordResetRequired: true, passwordChangedAt: when, createdAt: when });
    const profile = await raw<LoginProfileRow>('SELECT * FROM login_profiles WHERE user_id = ?', 'AIDAALICE');
    assert.ok(profile);
    assert.deepEqual(await store.getLoginProfile('AIDAALICE'), rowToLoginProfile(profile));
    assert.deepEqual(rowToLoginProfile(profile), {
      userId: 'AIDAALICE', passwordHash: 'p2', passwordHistory: ['p1'], passwordResetRequired: true, passwordChangedAt: when, createdAt: when,
    });

    await store.insertAccessKey({ accessKeyId: 'AKIAALICE', accountId: ACCOUNT, userId: 'AIDAALICE', secretEnc: 'v1:x', status: 'Active', createdAt: when });
    const key = await raw<AccessKeyRow>('SELECT * FROM access_keys WHERE access_key_id = ?', 'AKIAALICE');
    assert.ok(key);
    assert.deepEqual(await store.getAccessKey('AKIAALICE'), rowToAccessKey(key));
    assert.deepEqual(rowToAccessKey(key), {
      accessKeyId: 'AKIAALICE', accountId: ACCOUNT, userId: 'AIDAALICE', secretEnc: 'v1:x', status: 'Active', createdAt: when,
      lastUsedDate: null, lastUsedService: null, lastUsedRegion: null,
    });

    await ps.insertPolicy({
      policyId: 'ANPAREAD', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:policy/Read`, name: 'Read', path: '/',
      defaultVersion: 'v1', nextVersion: 2, tags, createdAt: when, updatedAt: when,
    });
    const mp = await raw<ManagedPolicyRow>('SELECT * FROM managed_policies WHERE policy_id = ?', 'ANPAREAD');
    assert.ok(mp);
    assert.deepEqual(await ps.getPolicyByArn(`arn:aws:iam::${ACCOUNT}:policy/Read`), rowToManagedPolicy(mp));
    assert.deepEqual(rowToManagedPolicy(mp), {
      policyId: 'ANPAREAD', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:policy/Read`, name: 'Read', nameLc: 'read', path: '/',
      description: null, defaultVersion: 'v1', nextVersion: 2, tags, createdAt: when, updatedAt: when,
    });
    await ps.insertVersion({ policyId: 'ANPAREAD', versionId: 'v1', document: '{}', createdAt: when });
    const version = await raw<PolicyVersionRow>('SELECT * FROM policy_versions WHERE policy_id = ?', 'ANPAREAD');
    assert.ok(version);
    assert.deepEqual(await ps.getVersion('ANPAREAD', 'v1'), rowToPolicyVersion(version));
    assert.deepEqual(rowToPolicyVersion(version), { policyId: 'ANPAREAD', versionId: 'v1', document: '{}', createdAt: when });
    await ps.attach(ACCOUNT, 'user', 'AIDAALICE', mp.arn, when);
    assert.deepEqual(rowToPolicyAttachment({ account_id: ACCOUNT, principal_type: 'user', principal_id: 'AIDAALICE', policy_arn: mp.arn, attached_at: when }),
      { accountId: ACCOUNT, principalType: 'user', principalId: 'AIDAALICE', policyArn: mp.arn, attachedAt: when });

    await ps.insertRole({
      roleId: 'AROAOPS', accountId: ACCOUNT, name: 'Ops', path: '/', assumeRolePolicy: '{"Statement":[]}',
      maxSessionDuration: 3600, tags, createdAt: when,
    });
    const role = await raw<RoleRow>('SELECT * FROM roles WHERE role_id = ?', 'AROAOPS');
    assert.ok(role);
    assert.deepEqual(await ps.getRole(ACCOUNT, 'ops'), rowToRole(role));
    assert.deepEqual(rowToRole(role), {
      roleId: 'AROAOPS', accountId: ACCOUNT, name: 'Ops', nameLc: 'ops', path: '/', assumeRolePolicy: '{"Statement":[]}',
      description: null, maxSessionDuration: 3600, permissionsBoundary: null, tags, lastUsedDate: null, lastUsedRegion: null, createdAt: when,
    });

    await ps.putInline('user', 'AIDAALICE', 'inline', '{"a":1}');
    await ps.putInline('role', 'AROAOPS', 'inline', '{"r":1}');
    const ui = await raw<UserPolicyRow>('SELECT * FROM user_policies WHERE user_id = ?', 'AIDAALICE');
    const ri = await raw<RolePolicyRow>('SELECT * FROM role_policies WHERE role_id = ?', 'AROAOPS');
    assert.ok(ui && ri);
    assert.deepEqual(await ps.getInline('user', 'AIDAALICE', 'inline'), rowToUserPolicy(ui));
    assert.deepEqual(await ps.getInline('role', 'AROAOPS', 'inline'), rowToRolePolicy(ri));
    assert.deepEqual(rowToUserPolicy(ui), { ownerId: 'AIDAALICE', name: 'inline', document: '{"a":1}' });
    assert.deepEqual(rowToRolePolicy(ri), { ownerId: 'AROAOPS', name: 'inline', document: '{"r":1}' });
    assert.deepEqual(rowToGroupPolicy({ group_id: 'AGPADEVS', name: 'g', document: '{}' }), { ownerId: 'AGPADEVS', name: 'g', document: '{}' });

    await mfa.insertDevice({ serialNumber: 'arn:aws:iam::123456789012:mfa/alice', accountId: ACCOUNT, kind: 'virtual', name: 'alice', path: '/', secretEnc: 'v1:s', params: { algorithm: 'SHA1', digits: 6, period: 30 }, tags, createdAt: when });
    await mfa.assign('arn:aws:iam::123456789012:mfa/alice', 'user', 'AIDAALICE', when, 100, -1);
    // The store maps with rowToMfaDevice: the row as read, and the entity the store returns, agree.
    const deviceRow = await raw<MfaDeviceRow>('SELECT * FROM mfa_devices WHERE serial_number = ?', 'arn:aws:iam::123456789012:mfa/alice');
    assert.ok(deviceRow);
    assert.deepEqual(await mfa.getDevice(ACCOUNT, 'arn:aws:iam::123456789012:mfa/alice'), rowToMfaDevice(deviceRow));
    assert.deepEqual(rowToMfaDevice(deviceRow), {
      serialNumber: 'arn:aws:iam::123456789012:mfa/alice', accountId: ACCOUNT, kind: 'virtual', name: 'alice', path: '/', secretEnc: 'v1:s',
      params: { algorithm: 'SHA1', digits: 6, period: 30 }, tags, ownerType: 'user', ownerId: 'AIDAALICE', enabledAt: when, createdAt: when,
      lastStep: 100, drift: -1,
    });
    assert.deepEqual(rowToMfaThrottle({ account_id: ACCOUNT, principal_type: 'root', principal_id: ACCOUNT, failures: 2, locked_until: 5 }),
      { accountId: ACCOUNT, principalType: 'root', principalId: ACCOUNT, failures: 2, lockedUntilMs: 5 });

    const session: StsSessionRow = {
      access_key_id: 'ASIAX', account_id: ACCOUNT, source: 'AssumeRole', principal_type: 'role', principal_id: 'AROAOPS', session_name: 's',
      secret_enc: 'v1:k', token_hash: 'ab', issued_at: when, expires_at: 1_800_000_000_000, mfa_authenticated_at: null, mfa_serial: null,
      source_identity: null, origin_type: 'user', origin_id: 'AIDAALICE', session_tags: '[{"Key":"a","Value":"b"}]',
      transitive_tag_keys: '["a"]', session_policy: null, session_policy_arns: null,
    };
    assert.deepEqual(rowToStsSession(session), {
      accessKeyId: 'ASIAX', accountId: ACCOUNT, source: 'AssumeRole', principalType: 'role', principalId: 'AROAOPS', sessionName: 's',
      secretEnc: 'v1:k', tokenHash: 'ab', issuedAt: when, expiresAtMs: 1_800_000_000_000, mfaAuthenticatedAt: null, mfaSerial: null,
      sourceIdentity: null, originType: 'user', originId: 'AIDAALICE', sessionTags: [{ Key: 'a', Value: 'b' }], transitiveTagKeys: ['a'],
      sessionPolicy: null, sessionPolicyArns: null,
    });
    assert.deepEqual(rowToCredentialReport({ account_id: ACCOUNT, state: 'COMPLETE', generation_id: 'g', started_at: when, generated_at: when, content: 'csv', content_generation_id: 'g', content_bytes: 3, content_parts: 1 }),
      { accountId: ACCOUNT, state: 'COMPLETE', generationId: 'g', startedAt: when, generatedAt: when, content: 'csv', contentGenerationId: 'g', contentBytes: 3, contentParts: 1 });
    assert.deepEqual(rowToMasterKeySentinel({ id: 1, key_id: 'k', sealed: 's', created_at: when }), { id: 1, keyId: 'k', sealed: 's', createdAt: when });
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
