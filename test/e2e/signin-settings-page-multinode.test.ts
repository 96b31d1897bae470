// The MFA settings and recovery codes on two nodes sharing one PostgreSQL database (plain HTTP: what is checked is
// state in the database): a change saved on node A's Account settings → Multi-factor authentication page is what
// node B's page shows and what node B's sign-in applies (the size of a user's first set of recovery codes), and a
// recovery code spent at a sign-in on node B is refused on node A.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { TOTP, Secret } from 'otpauth';
import { startTwoNodes, setSigninSettings, MULTINODE_SKIP } from '../helpers/server.js';
import { iam } from '../helpers/clients.js';

const PASSWORD = 'Corr3ct-Horse-Battery!';
const STEP = 30_000;
const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });
const stepStart = (t = Date.now()): number => t - (t % STEP);

type Nodes = Awaited<ReturnType<typeof startTwoNodes>>;
let nodes: Nodes | undefined;
let seed = '';

before(async () => {
  if (MULTINODE_SKIP) return;
  nodes = await startTwoNodes();
  // Root (no device) signs in without one ("Allow them to sign in").
  await setSigninSettings(nodes.a, 'without-device=allow');
  const admin = iam(nodes.a);
  await admin.send(new I.CreateUserCommand({ UserName: 'mo' }));
  await admin.send(new I.CreateLoginProfileCommand({ UserName: 'mo', Password: PASSWORD }));
  const dev = await admin.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'mo' }));
  seed = Buffer.from(dev.VirtualMFADevice!.Base32StringSeed!).toString('ascii'); // CreateVirtualMFADevice returns it
  const t = stepStart();
  await admin.send(new I.EnableMFADeviceCommand({ UserName: 'mo', SerialNumber: dev.VirtualMFADevice!.SerialNumber, AuthenticationCode1: totp(seed, t - 2 * STEP), AuthenticationCode2: totp(seed, t - STEP) }));
}, { timeout: 90_000 });
after(async () => { await nodes?.stop(); }, { timeout: 60_000 });

/** A browser by hand: its cookies and the last page's CSRF token. */
class Client {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly endpoint: string) {}
  async get(path: string): Promise<{ status: number; text: string; location: string | null }> {
    return this.request('GET', path);
  }
  async post(path: string, fields: Record<string, string | string[]>): Promise<{ status: number; text: string; location: string | null }> {
    const body = new URLSearchParams();
    body.append('csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
    return this.request('POST', path, body.toString());
  }
  private async request(method: string, path: string, body?: string): Promise<{ status: number; text: string; location: string | null }> {
    const r = await fetch(`${this.endpoint}${path}`, {
      method, redirect: 'manual', ...(body === undefined ? {} : { body }),
      headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    for (const c of r.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    const text = await r.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(text)?.[1];
    if (csrf) this.csrf = csrf;
    return { status: r.status, text, location: r.headers.get('location') };
  }
}

async function rootSignIn(endpoint: string, email: string, password: string): Promise<Client> {
  const c = new Client(endpoint);
  await c.get('/console/root');
  const r = await c.post('/console/root/signin', { email, password });
  assert.equal(r.status, 303, r.text);
  await c.get('/console');
  return c;
}

/** mo's password on one node; returns the client at the MFA stage. */
async function moPassword(endpoint: string, accountId: string): Promise<Client> {
  const c = new Client(endpoint);
  await c.get('/console');
  const r = await c.post('/console/signin', { account: accountId, username: 'mo', password: PASSWORD });
  assert.equal(r.location, '/console/mfa', r.text);
  await c.get('/console/mfa');
  return c;
}

const codesOf = (page: string): string[] => [...page.matchAll(/<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})<\/code><\/li>/g)].map((m) => m[1] ?? '');

test('a settings change on node A applies on node B (its page, and the first set\'s size at its sign-in); a recovery code spent on B is refused on A', { skip: MULTINODE_SKIP, timeout: 120_000 }, async () => {
  const { a, b } = nodes!; // started in before() when not skipped
  const root = a.bootstrap.root;
  const onA = await rootSignIn(a.endpoint, root.email, root.password);
  await onA.get('/console/account/mfa');
  const saved = await onA.post('/console/account/mfa', {
    'prompt': 'every-sign-in', 'allowed-types': ['webauthn', 'totp'], 'without-device': 'allow', 'self-manage': 'true', 'trusted-device-days': '21', 'recovery-codes': '3',
  });
  assert.equal(saved.location, '/console/account/mfa?done=mfa-settings', saved.text);

  const onB = await rootSignIn(b.endpoint, root.email, root.password);
  const page = await onB.get('/console/account/mfa');
  assert.match(page.text, /id="recovery-codes" name="recovery-codes" min="0" max="20" value="3"/);
  assert.match(page.text, /id="trusted-device-days" name="trusted-device-days" min="1" max="90" value="21"/);

  // mo signs in on node B with the device: the home page shows a first set of 3 codes (node A's setting).
  const mo = await moPassword(b.endpoint, a.accountId);
  const signed = await mo.post('/console/mfa', { serial: `arn:aws:iam::${a.accountId}:mfa/mo`, code: totp(seed, stepStart()) });
  assert.equal(signed.location, '/console', signed.text);
  const codes = codesOf((await mo.get('/console')).text);
  assert.equal(codes.length, 3);

  // A code spent on node B is refused on node A.
  const onB2 = await moPassword(b.endpoint, a.accountId);
  const used = await onB2.post('/console/mfa/recovery', { 'recovery-code': codes[0] ?? '' });
  assert.equal(used.location, '/console/recovery-codes/used', used.text);
  assert.match((await onB2.get('/console/recovery-codes/used')).text, /2 unused recovery codes remain/);
  const onA2 = await moPassword(a.endpoint, a.accountId);
  const again = await onA2.post('/console/mfa/recovery', { 'recovery-code': codes[0] ?? '' });
  assert.equal(again.status, 401);
  assert.match(again.text, /not valid, or it was already used/);
  const other = await onA2.post('/console/mfa/recovery', { 'recovery-code': codes[1] ?? '' });
  assert.equal(other.location, '/console/recovery-codes/used', other.text);
});
