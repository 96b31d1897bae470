// What AWS's big managed policies cost the authoriser: authorize(ctx, request) in process, warm cache, for users
// holding (a) a one-statement inline policy, (b) ReadOnlyAccess (AWS's document: ~1,400 actions, ~390 of them
// wildcards, over ~300 services), (c) SecurityAudit, (d) ViewOnlyAccess — each asked an allowed action (GetUser)
// and one no statement allows (CreateUser: every pattern is tried). Also the cold cost: loading the catalogue
// index and compiling ReadOnlyAccess on first use.
//
//   npm run build && node dist/bench/aws-managed-policies.js [--seconds 2] [--database postgres://…/emptydb]
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { agent, freePort, sendOnce, signRequest, waitUntilUp } from './lib.js';
import type { Credentials } from './lib.js';
import type { Bootstrap } from '../test/helpers/server.js';
import type { OperationContext } from '../src/iam/context.js';
import type { AuthzRequest } from '../src/authz/authorizer.js';
import type { ActionInput } from '../src/authz/request-context.js';
import { openDatabase } from '../src/store/index.js';
import { IamStore } from '../src/store/iam-store.js';
import { loadMasterKey, SecretBox } from '../src/store/secrets.js';
import { createCredentialResolver } from '../src/iam/principals.js';
import { SessionStore } from '../src/store/session-store.js';
import { createAuthorizer } from '../src/authz/authorizer.js';
import { awsManagedPolicy } from '../src/iam/aws-managed-policies.js';
import { compilePolicy, parsePolicyDocument } from '../src/policy/index.js';

const { values: opts } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, database: { type: 'string' } } });
const SECONDS = Number(opts.seconds);
let child: ChildProcess | undefined;
process.on('exit', () => { try { if (child?.pid !== undefined) process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } });

async function call(endpoint: string, creds: Credentials, params: Record<string, string>): Promise<string> {
  const r = await sendOnce(endpoint, await signRequest(endpoint, creds, 'iam', { Version: '2010-05-08', ...params }));
  if (r.status !== 200) throw new Error(`${params['Action']}: ${r.status} ${r.text}`);
  return r.text;
}

async function main() {
  // Cold costs, in this process: the catalogue index, one document, one compile.
  let t = performance.now();
  const ro = awsManagedPolicy('arn:aws:iam::aws:policy/ReadOnlyAccess');
  if (!ro) throw new Error('ReadOnlyAccess is not in the catalogue');
  const indexMs = performance.now() - t;
  t = performance.now();
  const text = ro.document;
  const documentMs = performance.now() - t;
  t = performance.now();
  compilePolicy(parsePolicyDocument(text, { kind: 'identity' }), { id: ro.arn, type: 'aws-managed' });
  const compileMs = performance.now() - t;
  console.log(JSON.stringify({ cold: { catalogueIndexMs: +indexMs.toFixed(1), readOnlyAccessDocumentMs: +documentMs.toFixed(2), readOnlyAccessCompileMs: +compileMs.toFixed(1), documentChars: text.length } }));

  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-managed-bench-'));
  const port = await freePort();
  const log = openSync(join(dir, 'server.log'), 'w');
  child = spawn(process.execPath, [new URL('../bin/gatehouse.js', import.meta.url).pathname, 'serve', '--port', String(port), '--data', dir, ...(opts.database ? ['--database', opts.database] : [])],
    { env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn' }, stdio: ['ignore', log, log] });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${endpoint}/healthz`);
  const admin: Credentials = (JSON.parse(readFileSync(join(dir, 'bootstrap.json'), 'utf8')) as Bootstrap).admin; // the server's first-start file
  /** A user holding an inline policy or a managed one; its access key id once created. */
  interface BenchUser { name: string; inline?: string; arn?: string; key?: string | undefined }
  const users: BenchUser[] = [
    { name: 'small', inline: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }) },
    { name: 'readonly', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    { name: 'audit', arn: 'arn:aws:iam::aws:policy/SecurityAudit' },
    { name: 'viewonly', arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' },
  ];
  for (const u of users) {
    await call(endpoint, admin, { Action: 'CreateUser', UserName: u.name });
    if (u.inline) await call(endpoint, admin, { Action: 'PutUserPolicy', UserName: u.name, PolicyName: 'p', PolicyDocument: u.inline });
    else await call(endpoint, admin, { Action: 'AttachUserPolicy', UserName: u.name, PolicyArn: u.arn ?? '' });
    const xml = await call(endpoint, admin, { Action: 'CreateAccessKey', UserName: u.name });
    u.key = /<AccessKeyId>([^<]+)/.exec(xml)?.[1];
    if (u.key === undefined) throw new Error(`no access key id in ${xml}`);
  }
  if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
  agent.destroy();
  await new Promise((r) => setTimeout(r, 300));

  const db = await openDatabase({ dataDir: dir, databaseUrl: opts.database });
  const store = new IamStore(db);
  const authorize = createAuthorizer({ store });
  // the account's row, every column: what a request's context carries
  const account = (await db.get('SELECT * FROM accounts LIMIT 1')) as OperationContext['account'] | undefined;
  if (!account) throw new Error('no account');
  // the server created the key (and loadMasterKey creates one when missing)
  const resolver = createCredentialResolver({ store, sessions: new SessionStore(db), secrets: new SecretBox(loadMasterKey({ dataDir: dir, envKey: undefined })!) });
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${opts.database ? 'PostgreSQL' : 'SQLite'}, ${SECONDS}s per case`);
  for (const u of users) {
    const resolved = await resolver.resolve(u.key ?? '');
    if (!resolved) throw new Error(`${u.name}'s key does not resolve`);
    const principal = resolved.principal;
    for (const action of ['GetUser', 'CreateUser']) {
      const input: ActionInput & { UserName: string } = { UserName: u.name }; // ActionInput does not list UserName
      const request: AuthzRequest = { service: 'iam', action, requestId: 'bench', input, auth: { accessKeyId: principal.accessKeyId, region: 'us-east-1', service: 'iam' }, sourceIp: '127.0.0.1', secure: false };
      // What the authoriser reads of its context (not the rest the handlers get); the account row as stored.
      const read: Pick<OperationContext, 'principal' | 'account' | 'now' | 'db' | 'store'> = { principal, account, now: new Date(), db, store };
      const ctx = read as OperationContext;
      const once = async (): Promise<unknown> => { try { await authorize(ctx, request); return 'allowed'; } catch (e) { return e instanceof Error && 'code' in e ? e.code : undefined; } };
      const outcome = await once();
      for (let i = 0; i < 2000; i++) await once();
      let n = 0;
      const t0 = process.hrtime.bigint();
      const until = Date.now() + SECONDS * 1000;
      while (Date.now() < until) { for (let i = 0; i < 200; i++) await once(); n += 200; }
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(JSON.stringify({ user: u.name, action, outcome, callsPerSec: Math.round(n / secs), usPerCall: +(secs * 1e6 / n).toFixed(2) }));
    }
  }
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });
