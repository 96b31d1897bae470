// `gatehouse settings` on the server host: reads and changes the account's MFA settings for console sign-in in the
// server's own store (SQLite data folder or PostgreSQL), refusing bad values with the accepted ones and exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startGatehouse } from '../helpers/server.js';

const BIN = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));

test('gatehouse settings shows the defaults, sets several keys at once, and refuses a bad value without changing anything', async () => {
  const node = await startGatehouse();
  try {
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'settings', ...args, '--data', node.dataDir, ...(node.databaseUrl ? ['--database', node.databaseUrl] : [])],
      { encoding: 'utf8', timeout: 30_000, env: { ...process.env, GATEHOUSE_MASTER_KEY: '' } });
    const show = () => {
      const r = run('show', '--format', 'json');
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as { accountId: string; settings: Record<string, string> };
    };
    const first = show();
    assert.equal(first.accountId, node.accountId);
    assert.deepEqual(first.settings, {
      'prompt': 'every-sign-in', 'allowed-types': 'webauthn,totp', 'without-device': 'require-registration',
      'self-manage': 'true', 'trusted-device-days': '30', 'recovery-codes': '10',
    });
    const set = run('set', 'prompt=context-aware', 'trusted-device-days=7', 'without-device=email-otp');
    assert.equal(set.status, 0, set.stderr);
    assert.match(set.stdout, /prompt\s+context-aware/);
    const bad = run('set', 'prompt=never', 'trusted-device-days=365');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /trusted-device-days must be from 1 to 90; got 365/);
    const unknown = run('set', 'colour=blue');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown setting 'colour'/);
    assert.deepEqual(show().settings, { ...first.settings, 'prompt': 'context-aware', 'trusted-device-days': '7', 'without-device': 'email-otp' });
  } finally {
    await node.stop();
  }
});
