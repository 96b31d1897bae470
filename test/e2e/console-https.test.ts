// HTTPS served directly (--tls-cert/--tls-key) and the public URL (--public-url): with a self-signed certificate
// made here by openssl, the aws CLI (--no-verify-ssl) and boto3 (verify=False) call IAM over HTTPS, and the browser
// (ignoreHTTPSErrors) signs in over HTTPS with a Secure session cookie. The sign-in link comes from --public-url,
// else https://localhost:PORT. Bad flags stop the server with a message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatehouse } from '../helpers/server.js';
import { awsCli, NO_AWS_CLI, NO_BOTO3 } from '../helpers/clients.js';
import { requireTool, IN_CI } from '../helpers/tools.js';
import { BIN } from '../helpers/audit.js';
import { launchBrowser, skipWithoutChromium, consoleUrl, screenshot } from '../helpers/browser.js';
import type { RealBrowser } from '../helpers/browser.js';

const SKIP = skipWithoutChromium();
type Node = Awaited<ReturnType<typeof startGatehouse>>;
let node: Node;
let dir: string;
let cert: string;
let key: string;
let real: RealBrowser | undefined;

function haveOpenssl(): boolean {
  try { execFileSync('openssl', ['version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-https-'));
  if (!haveOpenssl()) throw new Error(`openssl is required to make the test's self-signed certificate${IN_CI ? ' (CI=true)' : ''}: apt-get install openssl`);
  cert = join(dir, 'cert.pem');
  key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  // Users without an MFA device sign in without one ("Allow them to sign in"): these tests predate the account's MFA settings.
  node = await startGatehouse({ args: ['--tls-cert', cert, '--tls-key', key], signinSettings: ['without-device=allow'] });
  if (!SKIP) real = await launchBrowser();
}, { timeout: 90_000 });
after(async () => { await real?.close(); await node?.stop(); rmSync(dir, { recursive: true, force: true }); }, { timeout: 60_000 });

test('the server listens on https:// and the aws CLI calls IAM over it (--no-verify-ssl)', { skip: NO_AWS_CLI, timeout: 60_000 }, async () => {
  assert.match(node.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
  requireTool('aws CLI');
  const users = await awsCli<{ Users: { UserName: string }[] }>(node, ['iam', 'list-users', '--no-verify-ssl']);
  assert.ok(users.ok, users.stderr);
  assert.deepEqual(users.json?.Users.map((u) => u.UserName), ['admin']);
  const created = await awsCli(node, ['iam', 'create-login-profile', '--user-name', 'admin', '--password', 'Https-Passw0rd!', '--no-verify-ssl']);
  assert.ok(created.ok, created.stderr);
  // Plain HTTP on the HTTPS port is not served.
  await assert.rejects(fetch(node.endpoint.replace('https:', 'http:') + '/healthz'));
});

test('boto3 calls IAM and STS over HTTPS (verify=False)', { skip: NO_BOTO3, timeout: 60_000 }, async () => {
  requireTool('boto3');
  const code = `import boto3, json, urllib3
urllib3.disable_warnings()
s = boto3.session.Session(region_name='us-east-1')
iam = s.client('iam', endpoint_url=${JSON.stringify(node.endpoint)}, verify=False)
sts = s.client('sts', endpoint_url=${JSON.stringify(node.endpoint)}, verify=False)
print(json.dumps({'arn': sts.get_caller_identity()['Arn'], 'users': [u['UserName'] for u in iam.list_users()['Users']]}))`;
  const out = await new Promise<string>((ok, fail) => execFile('python3', ['-c', code], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: node.admin.accessKeyId, AWS_SECRET_ACCESS_KEY: node.admin.secretAccessKey }, timeout: 60_000,
  }, (err, stdout, stderr) => (err ? fail(new Error(stderr)) : ok(stdout))));
  const parsed: { arn: string; users: string[] } = JSON.parse(out.trim().split('\n').pop() ?? '{}'); // the script prints this shape
  assert.equal(parsed.arn, `arn:aws:iam::${node.accountId}:user/admin`);
  assert.deepEqual(parsed.users, ['admin']);
});

test('the browser signs in over HTTPS: the session cookie is Secure; the sign-in link is https://localhost:PORT', { skip: SKIP, timeout: 90_000 }, async () => {
  const context = await real!.browser.newContext({ ignoreHTTPSErrors: true }); // set in before() when not skipped
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(consoleUrl(node.endpoint, '/console/root'));
  assert.match(page.url(), /^https:\/\/localhost:/);
  await page.getByLabel('Root user email address').fill(node.bootstrap.root.email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password').fill(node.bootstrap.root.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Console home' }).waitFor();
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'gatehouse_console');
  assert.ok(session);
  assert.equal(session.secure, true);
  assert.equal(session.httpOnly, true);
  assert.equal(cookies.find((c) => c.name === 'gatehouse_form')?.secure, true);
  await page.goto(consoleUrl(node.endpoint, '/console/dashboard'));
  const port = new URL(node.endpoint).port;
  assert.deepEqual(await page.locator('#dashboard-signin-links a').allInnerTexts(), [`https://localhost:${port}/console?account=${node.accountId}`]);
  await context.close();
});

test('--public-url sets the sign-in link; bad --public-url and a lone --tls-cert stop the server with a message', { skip: SKIP, timeout: 90_000 }, async () => {
  const other = await startGatehouse({ args: ['--public-url', 'https://iam.example.com'], signinSettings: ['without-device=allow'] });
  try {
    const context = await real!.browser.newContext(); // set in before() when not skipped
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(consoleUrl(other.endpoint, '/console/root'));
    await page.getByLabel('Root user email address').fill(other.bootstrap.root.email);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill(other.bootstrap.root.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Console home' }).waitFor();
    await page.goto(consoleUrl(other.endpoint, '/console/account'));
    assert.deepEqual(await page.locator('#account-signin-links a').allInnerTexts(), [`https://iam.example.com/console?account=${other.accountId}`]);
    await screenshot(page, 'account-settings');
    await context.close();
  } finally {
    await other.stop();
  }
  const refused = (args: string[]): Promise<string> => new Promise((ok) => execFile(process.execPath, [BIN, 'serve', '--port', '0', '--data', join(dir, 'never'), ...args], { timeout: 30_000 },
    (err, _out, stderr) => ok(err ? stderr : 'started')));
  assert.match(await refused(['--public-url', 'https://iam.example.com/console']), /--public-url is the server's origin only/);
  assert.match(await refused(['--public-url', 'iam.example.com']), /--public-url must be an absolute URL/);
  assert.match(await refused(['--tls-cert', cert]), /--tls-cert and --tls-key go together/);
  assert.match(await refused(['--tls-cert', join(dir, 'missing.pem'), '--tls-key', key]), /cannot read --tls-cert .*ENOENT/);
});
