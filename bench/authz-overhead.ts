// What authorisation costs per request: one signed IAM call (GetUser UserName=admin) against one Gatehouse process,
// sent as the root user (no evaluation at all), as the bootstrap admin (AdministratorAccess through a group) and
// as a user holding AWS's MFA self-service policy plus IAMReadOnlyAccess (a 9-statement policy with variables,
// NotAction and a BoolIfExists Deny, plus a managed policy, plus a group). Requests are pre-signed once and
// replayed by a keep-alive Node client, so the client spends its time sending, not signing.
//
// Then the authoriser alone, in process against the same database: authorize(ctx, request) calls per second
// (one stamp query + evaluation on a cache hit).
//
//   npm run build && node dist/bench/authz-overhead.js [--seconds 5] [--concurrency 16] [--rounds 2] [--database postgres://…/emptydb]
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { agent, freePort, sendOnce, signRequest, waitUntilUp } from './lib.js';
import type { Credentials, SignedRequest } from './lib.js';
import type { Bootstrap } from '../test/helpers/server.js';
import type { OperationContext } from '../src/iam/context.js';
import type { AuthzRequest } from '../src/authz/authorizer.js';
import type { ActionInput } from '../src/authz/request-context.js';
import { openDatabase } from '../src/store/index.js';
import { IamStore } from '../src/store/iam-store.js';
import { loadMasterKey, SecretBox } from '../src/store/secrets.js';
import { createAccessKey } from '../src/iam/access-keys.js';
import { createCredentialResolver } from '../src/iam/principals.js';
import { SessionStore } from '../src/store/session-store.js';
import { createAuthorizer } from '../src/authz/authorizer.js';

const { values: opts } = parseArgs({ options: {
  seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '16' }, rounds: { type: 'string', default: '2' }, database: { type: 'string' },
} });
const DB_ARGS = opts.database ? ['--database', opts.database] : [];
const SECONDS = Number(opts.seconds);
const CONCURRENCY = Number(opts.concurrency);
const ROUNDS = Number(opts.rounds);

let child: ChildProcess | undefined;
process.on('exit', () => { try { if (child?.pid !== undefined) process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } });

const sign = (endpoint: string, creds: Credentials, params: Record<string, string>) => signRequest(endpoint, creds, 'iam', { Version: '2010-05-08', ...params });

async function call(endpoint: string, creds: Credentials, params: Record<string, string>): Promise<string> {
  const r = await sendOnce(endpoint, await sign(endpoint, creds, params));
  if (r.status !== 200) throw new Error(`${params['Action']}: ${r.status} ${r.text}`);
  return r.text;
}

async function load(endpoint: string, req: SignedRequest): Promise<number> {
  const end = Date.now() + SECONDS * 1000;
  let done = 0;
  let bad = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < end) {
      const r = await sendOnce(endpoint, req);
      if (r.status === 200) done++; else bad++;
    }
  }));
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  if (bad) throw new Error(`${bad} requests failed`);
  return done / secs;
}

// AWS's "manage your own credentials with MFA" example policy (reference §3.1), verbatim.
const MFA_SELF_MANAGE = {
  Version: '2012-10-17',
  Statement: [
    {"Sid": "AllowViewAccountInfo", "Effect": "Allow", "Action": ["iam:GetAccountPasswordPolicy", "iam:GetAccountSummary", "iam:ListVirtualMFADevices"], "Resource": "*"},
    {"Sid": "AllowManageOwnPasswords", "Effect": "Allow", "Action": ["iam:ChangePassword", "iam:GetUser"], "Resource": "arn:aws:iam::*:user/${aws:username}"},
    {"Sid": "AllowManageOwnAccessKeys", "Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey"], "Resource": "arn:aws:iam::*:user/${aws:username}"},
    {"Sid": "AllowManageOwnSigningCertificates", "Effect": "Allow", "Action": ["iam:DeleteSigningCertificate", "iam:ListSigningCertificates", "iam:UpdateSigningCertificate", "iam:UploadSigningCertificate"], "Resource": "arn:aws:iam::*:user/${aws:username}"},
    {"Sid": "AllowManageOwnSSHPublicKeys", "Effect": "Allow", "Action": ["iam:DeleteSSHPublicKey", "iam:GetSSHPublicKey", "iam:ListSSHPublicKeys", "iam:UpdateSSHPublicKey", "iam:UploadSSHPublicKey"], "Resource": "arn:aws:iam::*:user/${aws:username}"},
    {"Sid": "AllowManageOwnGitCredentials", "Effect": "Allow", "Action": ["iam:CreateServiceSpecificCredential", "iam:DeleteServiceSpecificCredential", "iam:ListServiceSpecificCredentials", "iam:ResetServiceSpecificCredential", "iam:UpdateServiceSpecificCredential"], "Resource": "arn:aws:iam::*:user/${aws:username}"},
    {"Sid": "AllowManageOwnVirtualMFADevice", "Effect": "Allow", "Action": ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"], "Resource": "arn:aws:iam::*:mfa/${aws:username}"},
    {"Sid": "AllowManageOwnUserMFA", "Effect": "Allow", "Action": ["iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"], "Resource": "arn:aws:iam::*:user/${aws:username}"},
    {"Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny", "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"], "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
  ],
};

/** The first group of re in an answer (the XML answers read here always carry it). */
function group1(re: RegExp, text: string): string {
  const m = re.exec(text);
  if (m?.[1] === undefined) throw new Error(`no ${re} in ${text}`);
  return m[1];
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-authz-bench-'));
  const port = await freePort();
  const log = openSync(join(dir, 'server.log'), 'w');
  child = spawn(process.execPath, [new URL('../bin/gatehouse.js', import.meta.url).pathname, 'serve', '--port', String(port), '--data', dir, ...DB_ARGS], { env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn' }, stdio: ['ignore', log, log] });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${endpoint}/healthz`);
  const boot = JSON.parse(readFileSync(join(dir, 'bootstrap.json'), 'utf8')) as Bootstrap; // the server's first-start file
  const masterKey = loadMasterKey({ dataDir: dir, envKey: undefined })!; // the server created it (and loadMasterKey creates one when missing)

  // Root keys cannot be created through the API by anyone but root: write one into the store directly.
  const db = await openDatabase({ dataDir: dir, databaseUrl: opts.database });
  // createAccessKey reads the account's id, the sealer, the store, the clock and the db of its context
  const keyCtx = { account: { accountId: boot.accountId }, secrets: new SecretBox(masterKey), store: new IamStore(db), now: new Date(), db } as Parameters<typeof createAccessKey>[0];
  const rootKey = await createAccessKey(keyCtx, null);
  await db.close();
  const root: Credentials = { accessKeyId: rootKey.row.accessKeyId, secretAccessKey: rootKey.secret };
  const admin: Credentials = boot.admin;

  // A user with the MFA self-service policy (inline), IAMReadOnlyAccess (managed) and a group; reading itself.
  await call(endpoint, admin, { Action: 'CreateUser', UserName: 'mia' });
  await call(endpoint, admin, { Action: 'PutUserPolicy', UserName: 'mia', PolicyName: 'mfa', PolicyDocument: JSON.stringify(MFA_SELF_MANAGE) });
  await call(endpoint, admin, { Action: 'AttachUserPolicy', UserName: 'mia', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
  await call(endpoint, admin, { Action: 'CreateGroup', GroupName: 'Staff' });
  await call(endpoint, admin, { Action: 'AddUserToGroup', GroupName: 'Staff', UserName: 'mia' });
  const keyXml = await call(endpoint, admin, { Action: 'CreateAccessKey', UserName: 'mia' });
  const mia: Credentials = { accessKeyId: group1(/<AccessKeyId>([^<]+)/, keyXml), secretAccessKey: group1(/<SecretAccessKey>([^<]+)/, keyXml) };

  const cases = [
    { name: 'root (no evaluation)', req: await sign(endpoint, root, { Action: 'GetUser', UserName: 'admin' }) },
    { name: 'admin: AdministratorAccess via group', req: await sign(endpoint, admin, { Action: 'GetUser', UserName: 'admin' }) },
    { name: 'mia: MFA self-service + IAMReadOnlyAccess', req: await sign(endpoint, mia, { Action: 'GetUser', UserName: 'mia' }) },
  ];
  for (const c of cases) { // warm up, and check every case is allowed
    for (let i = 0; i < 200; i++) { const r = await sendOnce(endpoint, c.req); if (r.status !== 200) throw new Error(`${c.name}: ${r.status} ${r.text}`); }
  }

  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${opts.database ? 'PostgreSQL' : 'SQLite'} store, one server process, ${SECONDS}s per run, concurrency ${CONCURRENCY}, best of ${ROUNDS} rounds`);
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) {
      const rps = await load(endpoint, c.req);
      best.set(c.name, Math.max(best.get(c.name) ?? 0, rps));
    }
  }
  const base = best.get(cases[0]?.name ?? '') ?? 0; // every case measured in every round
  for (const c of cases) {
    const rps = best.get(c.name) ?? 0;
    console.log(JSON.stringify({ caller: c.name, requestsPerSec: Math.round(rps), vsRoot: `${((rps / base - 1) * 100).toFixed(1)}%`, usPerRequest: +(1e6 / rps).toFixed(1) }));
  }
  if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
  agent.destroy();
  await new Promise((r) => setTimeout(r, 300));

  // The authoriser alone: same database, its own connection, cache warm.
  const db2 = await openDatabase({ dataDir: dir, databaseUrl: opts.database });
  const store = new IamStore(db2);
  const authorize = createAuthorizer({ store });
  const account = await store.getAccount(boot.accountId);
  if (!account) throw new Error(`no account ${boot.accountId}`);
  // Principals as the server makes them: from the credential lookup, which also carries the policy-cache stamp,
  // so authorize() on a warm cache is evaluation plus (for another user's resource) the resource's path lookup.
  const resolver = createCredentialResolver({ store, sessions: new SessionStore(db2), secrets: new SecretBox(masterKey) });
  const principalOf = async (key: string) => {
    const resolved = await resolver.resolve(key);
    if (!resolved) throw new Error(`${key} does not resolve`);
    return resolved.principal;
  };
  const inProcess = [
    { name: 'root (no evaluation)', principal: await principalOf(root.accessKeyId), user: 'admin' },
    { name: 'admin: AdministratorAccess via group', principal: await principalOf(admin.accessKeyId), user: 'admin' },
    { name: 'mia: MFA self-service + IAMReadOnlyAccess', principal: await principalOf(mia.accessKeyId), user: 'mia' },
  ];
  for (const c of inProcess) {
    const input: ActionInput & { UserName: string } = { UserName: c.user }; // ActionInput does not list UserName
    const request: AuthzRequest = { service: 'iam', action: 'GetUser', requestId: 'bench', input, auth: { accessKeyId: c.principal.accessKeyId, region: 'us-east-1', service: 'iam' }, sourceIp: '127.0.0.1', secure: false };
    // What the authoriser reads of its context (not the rest the handlers get).
    const read: Pick<OperationContext, 'principal' | 'account' | 'now' | 'db' | 'store'> = { principal: c.principal, account, now: new Date(), db: db2, store };
    const ctx = read as OperationContext;
    for (let i = 0; i < 2000; i++) await authorize(ctx, request);
    let n = 0;
    const t0 = process.hrtime.bigint();
    const until = Date.now() + Math.min(SECONDS, 2) * 1000;
    while (Date.now() < until) { for (let i = 0; i < 200; i++) await authorize(ctx, request); n += 200; }
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(JSON.stringify({ inProcess: 'authorize()', caller: c.name, callsPerSec: Math.round(n / secs), usPerCall: +(secs * 1e6 / n).toFixed(2) }));
  }
  await db2.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });
