// The server's continuous audit (docs/audit.md "Continuous monitoring"), driven through the AWS SDK and observed at
// a loopback webhook receiver this test starts: the first run at start-up, a console user without MFA reported
// FAILing soon after it is created, the resolved notification once it enrols a device, the webhook's body (its
// fields, nothing secret), its retries after a refused delivery, and flag validation. No fixed sleeps: every wait
// polls with a bounded deadline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as I from '@aws-sdk/client-iam';
import { Secret, TOTP } from 'otpauth';
import { startGatehouse } from '../helpers/server.js';
import type { GatehouseNode } from '../helpers/server.js';
import { iam } from '../helpers/clients.js';
import { startWebhookReceiver } from '../helpers/webhook.js';
import type { WebhookReceiver } from '../helpers/webhook.js';

const BIN = new URL('../../bin/gatehouse.js', import.meta.url).pathname;
const PASSWORD = 'Monitor-Passw0rd!';
const CONSOLE_CHECK = 'mfa-enabled-for-iam-console-access';

let node: GatehouseNode;
let hook: WebhookReceiver;
let admin: I.IAMClient;

before(async () => {
  // The receiver refuses the first delivery (503): the notifier must retry it.
  hook = await startWebhookReceiver({ refuseFirst: 1 });
  node = await startGatehouse({ env: { GATEHOUSE_AUDIT_INTERVAL: '1h', GATEHOUSE_AUDIT_DEBOUNCE: '200ms', GATEHOUSE_AUDIT_WEBHOOK: hook.url } });
  admin = iam(node);
}, { timeout: 60_000 });
after(async () => { await node?.stop(); await hook?.close(); }, { timeout: 60_000 });

const userArn = (name: string): string => `arn:aws:iam::${node.accountId}:user/${name}`;
const rootArn = (): string => `arn:aws:iam::${node.accountId}:root`;

test('the first run at start-up notifies what already fails (root without MFA), after retrying a refused delivery', { timeout: 90_000 }, async () => {
  const root = await hook.waitFor((b) => b['check'] === 'root-account-mfa-enabled' && b['resource'] === rootArn(), 'for root without MFA');
  assert.equal(root.body['event'], 'failing');
  assert.equal(root.body['oldStatus'], null, 'first evaluation: no previous status, as AWS Config notifies');
  assert.equal(root.body['newStatus'], 'FAIL');
  assert.equal(root.body['severity'], 'critical');
  // The first delivery was answered 503 and sent again: the same event id, refused then accepted.
  const first = hook.received[0];
  assert.ok(first, 'something was received');
  assert.equal(first.answered, 503);
  const again = hook.received.filter((r) => r.body['id'] === first.body['id']);
  assert.ok(again.length >= 2 && again.some((r) => r.answered < 300), `event ${String(first.body['id'])} retried until accepted: ${again.map((r) => r.answered).join(', ')}`);
});

test('a user given console access without MFA is reported FAILing soon after; enrolling MFA sends the resolved notification', { timeout: 120_000 }, async () => {
  await admin.send(new I.CreateUserCommand({ UserName: 'carol' }));
  await admin.send(new I.CreateLoginProfileCommand({ UserName: 'carol', Password: PASSWORD }));
  const failing = await hook.waitFor((b) => b['check'] === CONSOLE_CHECK && b['resource'] === userArn('carol') && b['event'] === 'failing', 'FAIL for carol');
  const b = failing.body;
  assert.deepEqual(Object.keys(b).sort(), ['account', 'check', 'event', 'id', 'newStatus', 'oldStatus', 'reason', 'remedy', 'resource', 'runId', 'score', 'severity', 'time', 'title', 'type', 'version'].sort());
  assert.equal(b['type'], 'gatehouse.audit.finding');
  assert.equal(b['version'], 1);
  assert.equal(b['account'], node.accountId);
  assert.equal(b['severity'], 'high');
  assert.equal(b['oldStatus'], null, 'a new user: no earlier status');
  assert.equal(b['newStatus'], 'FAIL');
  assert.match(String(b['reason']), /no MFA/i);
  assert.ok(!Number.isNaN(Date.parse(String(b['time']))));
  assert.equal(failing.headers['content-type'], 'application/json');
  // Nothing secret in any notification: not the password, not the admin's secret key.
  for (const r of hook.received) {
    assert.ok(!r.raw.includes(PASSWORD), 'no password in a notification');
    assert.ok(!r.raw.includes(node.admin.secretAccessKey), 'no secret key in a notification');
  }

  // carol enrols an authenticator app (through the API, as the CLI would do it for her).
  const created = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'carol' }));
  const serial = created.VirtualMFADevice!.SerialNumber!; // CreateVirtualMFADevice always answers both
  const seed = Buffer.from(created.VirtualMFADevice!.Base32StringSeed!).toString('ascii');
  const totp = new TOTP({ secret: Secret.fromBase32(seed), digits: 6, period: 30 });
  const t = Date.now();
  await admin.send(new I.EnableMFADeviceCommand({ UserName: 'carol', SerialNumber: serial, AuthenticationCode1: totp.generate({ timestamp: t - 30_000 }), AuthenticationCode2: totp.generate({ timestamp: t }) }));
  const resolved = await hook.waitFor((x) => x['check'] === CONSOLE_CHECK && x['resource'] === userArn('carol') && x['event'] === 'resolved', 'resolved for carol');
  assert.equal(resolved.body['oldStatus'], 'FAIL');
  assert.equal(resolved.body['newStatus'], 'PASS');
  // One failing and one resolved notification for this finding, no more (the debounced runs raise each once).
  assert.equal(hook.accepted((x) => x['check'] === CONSOLE_CHECK && x['resource'] === userArn('carol') && x['event'] === 'failing').length, 1);

  // Deleting a failing user's credentials resolves its other failures: bob has a password and no MFA, then loses it.
  await admin.send(new I.CreateUserCommand({ UserName: 'bob' }));
  await admin.send(new I.CreateLoginProfileCommand({ UserName: 'bob', Password: PASSWORD }));
  await hook.waitFor((x) => x['check'] === CONSOLE_CHECK && x['resource'] === userArn('bob') && x['event'] === 'failing', 'FAIL for bob');
  await admin.send(new I.DeleteLoginProfileCommand({ UserName: 'bob' }));
  const gone = await hook.waitFor((x) => x['check'] === CONSOLE_CHECK && x['resource'] === userArn('bob') && x['event'] === 'resolved', 'resolved for bob');
  assert.equal(gone.body['newStatus'], null, 'the finding no longer applies: no new status');
});

test('a root access key created with the CLI on the server host is reported soon after (another process asks the server to audit again)', { timeout: 90_000 }, async () => {
  const cli = (args: readonly string[]): string => {
    const r = spawnSync(process.execPath, [BIN, 'root-access-key', ...args, '--data', node.dataDir, ...(node.databaseUrl ? ['--database', node.databaseUrl] : [])], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const created = JSON.parse(cli(['create'])) as { accessKeyId: string; secretAccessKey: string };
  const failing = await hook.waitFor((b) => b['check'] === 'iam-root-access-key-check' && b['event'] === 'failing', 'FAIL for the root access key');
  assert.equal(failing.body['resource'], rootArn());
  assert.equal(failing.body['oldStatus'], 'PASS');
  assert.ok(!hook.received.some((r) => r.raw.includes(created.secretAccessKey)), 'the key\'s secret is in no notification');
  cli(['delete', created.accessKeyId]);
  await hook.waitFor((b) => b['check'] === 'iam-root-access-key-check' && b['event'] === 'resolved', 'resolved after the key is deleted');
});

test('serve refuses bad --audit-* values before starting', { timeout: 30_000 }, () => {
  for (const [flag, value, message] of [
    ['--audit-interval', 'hourly', /--audit-interval must be a duration/],
    ['--audit-debounce', 'soon', /--audit-debounce must be a duration/],
    ['--audit-webhook', 'ftp://example.com/x', /--audit-webhook must be an http/],
  ] as const) {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--data', '/nonexistent-gatehouse-test', flag, value], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(r.status, 0, `${flag} ${value} refused`);
    assert.match(r.stderr, message);
  }
});
