// What AWS's big managed policies cost the authoriser: authorize(ctx, request) in process, warm cache, for users
// holding (a) a one-statement inline policy, (b) ReadOnlyAccess (AWS's document: ~1,400 actions, ~390 of them
// wildcards, over ~300 services), (c) SecurityAudit, (d) ViewOnlyAccess — each asked an allowed action (GetUser)
// and one no statement allows (CreateUser: every pattern is tried). Also the cold cost: loading the catalogue
// index and compiling ReadOnlyAccess on first use.
//
//   node bench/aws-managed-policies.js [--seconds 2] [--database postgres://…/emptydb]
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { agent, freePort, sendOnce, signRequest, waitUntilUp } from './lib.js';
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
let child;
process.on('exit', () => { try { if (child) process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } });

async function call(endpoint, creds, params) {
  const r = await sendOnce(endpoint, await signRequest(endpoint, creds, 'iam', { Version: '2010-05-08', ...params }));
  if (r.status !== 200) throw new Error(`${params.Action}: ${r.status} ${r.text}`);
  return r.text;
}

async function main() {
  // Cold costs, in this process: the catalogue index, one document, one compile.
  let t = performance.now();
  const ro = awsManagedPolicy('arn:aws:iam::aws:policy/ReadOnlyAccess');
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
  const admin = JSON.parse(readFileSync(join(dir, 'bootstrap.json'), 'utf8')).admin;
  const users = [
    { name: 'small', inline: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }) },
    { name: 'readonly', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    { name: 'audit', arn: 'arn:aws:iam::aws:policy/SecurityAudit' },
    { name: 'viewonly', arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' },
  ];
  for (const u of users) {
    await call(endpoint, admin, { Action: 'CreateUser', UserName: u.name });
    if (u.inline) await call(endpoint, admin, { Action: 'PutUserPolicy', UserName: u.name, PolicyName: 'p', PolicyDocument: u.inline });
    else await call(endpoint, admin, { Action: 'AttachUserPolicy', UserName: u.name, PolicyArn: u.arn });
    const xml = await call(endpoint, admin, { Action: 'CreateAccessKey', UserName: u.name });
    u.key = /<AccessKeyId>([^<]+)/.exec(xml)[1];
  }
  process.kill(child.pid, 'SIGTERM');
  agent.destroy();
  await new Promise((r) => setTimeout(r, 300));

  const db = await openDatabase({ dataDir: dir, databaseUrl: opts.database });
  const store = new IamStore(db);
  const authorize = createAuthorizer({ store });
  const account = (await db.get('SELECT * FROM accounts LIMIT 1'));
  const resolver = createCredentialResolver({ store, sessions: new SessionStore(db), secrets: new SecretBox(loadMasterKey({ dataDir: dir })) });
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${opts.database ? 'PostgreSQL' : 'SQLite'}, ${SECONDS}s per case`);
  for (const u of users) {
    const principal = (await resolver.resolve(u.key)).principal;
    for (const action of ['GetUser', 'CreateUser']) {
      const input = { UserName: u.name };
      const request = { service: 'iam', action, input, principal, auth: { region: 'us-east-1' }, sourceIp: '127.0.0.1', secure: false };
      const ctx = { principal, account, now: new Date(), db, store };
      const once = async () => { try { await authorize(ctx, request); return 'allowed'; } catch (e) { return e.code; } };
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
