// Flat with data (issue 12): every IAM and STS operation at 100 users and at 100,000 users, side by side in one
// run, as the ratio of their median latencies; then the credential report for the large account: generation time,
// the longest wait of other requests meanwhile, the GetCredentialReport response, and the server's peak RSS.
//
//   npm run build && node dist/bench/flat-with-data.js [--store sqlite|postgres|both] [--small 100] [--large 100000] [--iterations 100]
//
// Two servers run at once (one process each, the default settings but for the continuous audit, off), each on its own store; the bench seeds them
// straight through the store's query layer (bench/seed.ts: users with keys, login profiles, MFA devices and one
// attached managed policy each), then sends each operation to the small and the large server alternately,
// sequentially, signed with the admin's keys (requests are signed before their timer starts). PostgreSQL needs a
// server on 127.0.0.1:5432 (GATEHOUSE_TEST_PG_URL), as for the tests.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { agent, freePort, sendOnce, signRequest, waitUntilUp } from './lib.js';
import type { Credentials, Reply, SignedRequest } from './lib.js';
import { seedUserName, seedUsers } from './seed.js';
import { openDatabase } from '../src/store/index.js';
import { createPgDatabase } from '../test/helpers/server.js';
import type { PgDatabase } from '../test/helpers/server.js';

const { values: opts } = parseArgs({ options: {
  store: { type: 'string', default: 'both' }, small: { type: 'string', default: '100' }, large: { type: 'string', default: '100000' },
  iterations: { type: 'string', default: '100' },
} });
const SMALL = Number(opts.small);
const LARGE = Number(opts.large);
const ITER = Number(opts.iterations);
const STORES = opts.store === 'both' ? ['sqlite', 'postgres'] as const : [opts.store === 'postgres' ? 'postgres' as const : 'sqlite' as const];
const FEW = 10; // users under /bench/few/ at both sizes

interface Server {
  endpoint: string;
  creds: Credentials;
  accountId: string;
  pid: number;
  /** Stops the process and starts a fresh one on the same data (same endpoint). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** One server process on a data folder (and database); resolves once it answers. */
async function spawnServer(dir: string, port: number, databaseUrl: string | undefined): Promise<ChildProcess> {
  const log = openSync(join(dir, 'server.log'), 'a');
  const args = [new URL('../bin/gatehouse.js', import.meta.url).pathname, 'serve', '--port', String(port), '--data', dir, ...(databaseUrl ? ['--database', databaseUrl] : [])];
  // The continuous audit off: it generates (and reads) a credential report of its own when the server starts, which
  // the report measured below would then find COMPLETE (made before the seeding) or compete with.
  const env = { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn', GATEHOUSE_STS_SESSIONS_PER_MINUTE: '1000000', GATEHOUSE_STS_MAX_LIVE_SESSIONS: '1000000', GATEHOUSE_AUDIT_INTERVAL: 'off' };
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', log, log] });
  children.push(child);
  await waitUntilUp(`http://127.0.0.1:${port}/healthz`);
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid, 'SIGTERM');
  await exited;
}

const children: ChildProcess[] = [];
process.on('exit', () => { for (const c of children) { try { if (c.pid !== undefined) process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ } } });

async function startServer(store: 'sqlite' | 'postgres', users: number): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-flat-'));
  const pgdb: PgDatabase | null = store === 'postgres' ? await createPgDatabase() : null;
  const port = await freePort();
  let child = await spawnServer(dir, port, pgdb?.url);
  const endpoint = `http://127.0.0.1:${port}`;
  const creds = (JSON.parse(readFileSync(join(dir, 'bootstrap.json'), 'utf8')) as { admin: Credentials }).admin;
  const who = await call({ endpoint, creds }, 'sts', { Action: 'GetCallerIdentity', Version: '2011-06-15' });
  const accountId = /<Account>(\d{12})<\/Account>/.exec(who.text)?.[1];
  if (!accountId) throw new Error(`GetCallerIdentity: ${who.text}`);
  const s = { endpoint, creds };
  // What the operations below name: a managed policy attached to every seeded user, a group, a role.
  const policyDoc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
  await must(s, 'iam', { Action: 'CreatePolicy', PolicyName: 'bench-all', PolicyDocument: policyDoc });
  await must(s, 'iam', { Action: 'CreatePolicy', PolicyName: 'bench-other', PolicyDocument: policyDoc });
  const policyArn = `arn:aws:iam::${accountId}:policy/bench-all`;
  const t0 = Date.now();
  const db = await openDatabase({ dataDir: dir, databaseUrl: pgdb?.url });
  await seedUsers(db, accountId, { users, fewUnder: FEW, attachToAll: policyArn });
  await db.close();
  process.stderr.write(`${store}: seeded ${users} users in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  await must(s, 'iam', { Action: 'CreateGroup', GroupName: 'bench-group', Path: '/bench/few/' });
  await must(s, 'iam', { Action: 'CreatePolicy', PolicyName: 'bench-one', PolicyDocument: policyDoc });
  await must(s, 'iam', { Action: 'AttachUserPolicy', UserName: seedUserName(50), PolicyArn: `arn:aws:iam::${accountId}:policy/bench-one` });
  await must(s, 'iam', { Action: 'AddUserToGroup', GroupName: 'bench-group', UserName: seedUserName(50) });
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }] });
  await must(s, 'iam', { Action: 'CreateRole', RoleName: 'bench-role', Path: '/bench/few/', AssumeRolePolicyDocument: trust });
  const server: Server = {
    endpoint, creds, accountId, pid: child.pid ?? 0,
    async restart() {
      await stopChild(child);
      agent.destroy(); // the kept-alive sockets to the old process: reusing one fails (socket hang up)
      child = await spawnServer(dir, port, pgdb?.url);
      server.pid = child.pid ?? 0;
    },
    async stop() {
      await stopChild(child);
      await pgdb?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

const VERSIONS = { iam: '2010-05-08', sts: '2011-06-15' } as const;
type Service = keyof typeof VERSIONS;
const sign = (s: Pick<Server, 'endpoint' | 'creds'>, service: Service, params: Record<string, string>): Promise<SignedRequest> =>
  signRequest(s.endpoint, s.creds, service, { Version: VERSIONS[service], ...params });
async function call(s: Pick<Server, 'endpoint' | 'creds'>, service: Service, params: Record<string, string>): Promise<Reply> {
  return send(s.endpoint, await sign(s, service, params));
}

/** sendOnce, also retrying once on EPIPE: a kept-alive socket the server closed while the bench was seeding. */
async function send(endpoint: string, req: SignedRequest): Promise<Reply> {
  try {
    return await sendOnce(endpoint, req);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e; // http.request fails with a system error
    return sendOnce(endpoint, req);
  }
}
async function must(s: Pick<Server, 'endpoint' | 'creds'>, service: Service, params: Record<string, string>): Promise<Reply> {
  const r = await call(s, service, params);
  if (r.status !== 200) throw new Error(`${params['Action']}: ${r.status} ${r.text.slice(0, 300)}`);
  return r;
}

/** One operation: its parameters for iteration i on a server (writes name a new entity each time). */
interface Op {
  name: string;
  service: Service;
  params: (i: number, s: Server) => Record<string, string>;
  /** Sent untimed before / after each timed request (to set up or undo what it needs or did). */
  before?: (i: number, s: Server) => Record<string, string>;
  after?: (i: number, s: Server) => Record<string, string>;
  /** Fewer timed requests than --iterations (an operation known to be slow on the large account). */
  iterations?: number;
}
const u50 = seedUserName(50);
const attach = (verb: 'Attach' | 'Detach', s: Server): Record<string, string> =>
  ({ Action: `${verb}UserPolicy`, UserName: seedUserName(53), PolicyArn: `arn:aws:iam::${s.accountId}:policy/bench-other` });
const OPS: Op[] = [
  { name: 'GetAccountSummary', service: 'iam', params: () => ({ Action: 'GetAccountSummary' }) },
  { name: 'ListUsers (first 100)', service: 'iam', params: () => ({ Action: 'ListUsers' }) },
  { name: 'ListUsers PathPrefix matching none', service: 'iam', params: () => ({ Action: 'ListUsers', PathPrefix: '/nobody/' }) },
  { name: `ListUsers PathPrefix matching ${FEW}`, service: 'iam', params: () => ({ Action: 'ListUsers', PathPrefix: '/bench/few/' }) },
  { name: 'ListGroups PathPrefix', service: 'iam', params: () => ({ Action: 'ListGroups', PathPrefix: '/bench/' }) },
  { name: 'ListRoles PathPrefix', service: 'iam', params: () => ({ Action: 'ListRoles', PathPrefix: '/bench/' }) },
  { name: 'ListPolicies Local', service: 'iam', params: () => ({ Action: 'ListPolicies', Scope: 'Local' }) },
  { name: 'ListPolicies OnlyAttached', service: 'iam', params: () => ({ Action: 'ListPolicies', OnlyAttached: 'true' }) },
  { name: 'GetPolicy (attached to every user)', service: 'iam', params: (_i, s) => ({ Action: 'GetPolicy', PolicyArn: `arn:aws:iam::${s.accountId}:policy/bench-all` }) },
  { name: 'ListEntitiesForPolicy (attached to one user)', service: 'iam', params: (_i, s) => ({ Action: 'ListEntitiesForPolicy', PolicyArn: `arn:aws:iam::${s.accountId}:policy/bench-one` }) },
  { name: 'ListEntitiesForPolicy (attached to every user, first 100)', service: 'iam', params: (_i, s) => ({ Action: 'ListEntitiesForPolicy', PolicyArn: `arn:aws:iam::${s.accountId}:policy/bench-all`, MaxItems: '100' }) },
  { name: 'GetUser', service: 'iam', params: () => ({ Action: 'GetUser', UserName: u50 }) },
  { name: 'ListAccessKeys', service: 'iam', params: () => ({ Action: 'ListAccessKeys', UserName: u50 }) },
  { name: 'ListMFADevices', service: 'iam', params: () => ({ Action: 'ListMFADevices', UserName: seedUserName(52) }) },
  { name: 'ListGroupsForUser', service: 'iam', params: () => ({ Action: 'ListGroupsForUser', UserName: u50 }) },
  { name: 'ListAttachedUserPolicies', service: 'iam', params: () => ({ Action: 'ListAttachedUserPolicies', UserName: u50 }) },
  { name: 'GetLoginProfile', service: 'iam', params: () => ({ Action: 'GetLoginProfile', UserName: u50 }) },
  { name: 'GetGroup', service: 'iam', params: () => ({ Action: 'GetGroup', GroupName: 'bench-group' }) },
  { name: 'GetRole', service: 'iam', params: () => ({ Action: 'GetRole', RoleName: 'bench-role' }) },
  { name: 'ListVirtualMFADevices Unassigned', service: 'iam', params: () => ({ Action: 'ListVirtualMFADevices', AssignmentStatus: 'Unassigned' }) },
  { name: 'ListVirtualMFADevices Assigned (first 20)', service: 'iam', params: () => ({ Action: 'ListVirtualMFADevices', AssignmentStatus: 'Assigned', MaxItems: '20' }) },
  { name: 'GetAccountAuthorizationDetails (first 100)', service: 'iam', params: () => ({ Action: 'GetAccountAuthorizationDetails', MaxItems: '100' }) },
  { name: 'GetAccountPasswordPolicy', service: 'iam', params: () => ({ Action: 'GetAccountPasswordPolicy' }) },
  { name: 'CreateGroup', service: 'iam', params: (i) => ({ Action: 'CreateGroup', GroupName: `g-${i}` }) },
  { name: 'DeleteGroup', service: 'iam', params: (i) => ({ Action: 'DeleteGroup', GroupName: `g-${i}` }) },
  { name: 'CreateRole', service: 'iam', params: (i, s) => ({ Action: 'CreateRole', RoleName: `r-${i}`, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${s.accountId}:root` }, Action: 'sts:AssumeRole' }] }) }) },
  { name: 'DeleteRole', service: 'iam', params: (i) => ({ Action: 'DeleteRole', RoleName: `r-${i}` }) },
  { name: 'CreatePolicy', service: 'iam', params: (i) => ({ Action: 'CreatePolicy', PolicyName: `p-${i}`, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:GetUser', Resource: '*' }] }) }) },
  { name: 'DeletePolicy', service: 'iam', params: (i, s) => ({ Action: 'DeletePolicy', PolicyArn: `arn:aws:iam::${s.accountId}:policy/p-${i}` }) },
  { name: 'CreateAccessKey', service: 'iam', params: () => ({ Action: 'CreateAccessKey', UserName: seedUserName(51) }) },
  { name: 'TagUser', service: 'iam', params: (i) => ({ Action: 'TagUser', UserName: u50, 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': String(i) }) },
  { name: 'AttachUserPolicy', service: 'iam', params: (_i, s) => attach('Attach', s), after: (_i, s) => attach('Detach', s) },
  { name: 'DetachUserPolicy', service: 'iam', params: (_i, s) => attach('Detach', s), before: (_i, s) => attach('Attach', s) },
  { name: 'CreateUser (large: LimitExceeded, quota 5000)', service: 'iam', params: (i) => ({ Action: 'CreateUser', UserName: `new-${i}` }) },
  { name: 'DeleteUser', service: 'iam', params: (i) => ({ Action: 'DeleteUser', UserName: `new-${i}` }) },
  { name: 'GetCallerIdentity', service: 'sts', params: () => ({ Action: 'GetCallerIdentity' }) },
  { name: 'GetSessionToken', service: 'sts', params: () => ({ Action: 'GetSessionToken' }) },
  { name: 'AssumeRole', service: 'sts', params: (i, s) => ({ Action: 'AssumeRole', RoleArn: `arn:aws:iam::${s.accountId}:role/bench/few/bench-role`, RoleSessionName: `s${i}` }) },
];

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? NaN; };

async function timed(s: Server, req: SignedRequest): Promise<{ ms: number; status: number | undefined }> {
  const t = process.hrtime.bigint();
  const r = await send(s.endpoint, req);
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, status: r.status };
}

/** Per op: [small median ms, large median ms, statuses]. Alternates small and large request by request. */
async function measure(small: Server, large: Server): Promise<string[]> {
  const lines: string[] = [];
  for (const op of OPS) {
    const times: [number[], number[]] = [[], []];
    const statuses: [Set<number | undefined>, Set<number | undefined>] = [new Set(), new Set()];
    const accessKeys: [string[], string[]] = [[], []];
    const n = Math.min(ITER, op.iterations ?? ITER);
    for (let i = -Math.min(10, n); i < n; i++) {
      for (const [k, s] of [small, large].entries()) {
        if (op.before) await must(s, op.service, op.before(i + 10, s));
        const req = await sign(s, op.service, op.params(i + 10, s));
        const r = await timed(s, req);
        if (op.after) await must(s, op.service, op.after(i + 10, s));
        if (i >= 0) { times[k]!.push(r.ms); statuses[k]!.add(r.status); }
        if (op.name === 'CreateAccessKey') {
          // Two keys per user: delete the one just made (untimed), so each create has room.
          const list = await call(s, 'iam', { Action: 'ListAccessKeys', UserName: seedUserName(51) });
          const ids = [...list.text.matchAll(/<AccessKeyId>([A-Z0-9]+)<\/AccessKeyId>/g)].map((m) => m[1]!);
          for (const id of ids.slice(1)) await call(s, 'iam', { Action: 'DeleteAccessKey', UserName: seedUserName(51), AccessKeyId: id });
          accessKeys[k]!.push(...ids);
        }
      }
    }
    const [a, b] = [median(times[0]), median(times[1])];
    const st = (k: 0 | 1): string => [...statuses[k]].join('/');
    lines.push(`| ${op.name}${n < ITER ? ` (${n} requests)` : ''} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b / a).toFixed(2)} | ${st(0)} · ${st(1)} |`);
    process.stderr.write(`${lines[lines.length - 1]}\n`);
  }
  return lines;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime (fields 14 and 15 of stat), clock ticks (USER_HZ 100)
}

/** VmRSS and VmHWM of a process, MiB. */
function rss(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string): number => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** The credential report on a server: generation time, other requests' latency meanwhile, Get's time and size, RSS. */
async function report(s: Server): Promise<string[]> {
  const probe = await sign(s, 'sts', { Action: 'GetCallerIdentity' });
  const base: number[] = [];
  for (let i = 0; i < 50; i++) base.push((await timed(s, probe)).ms);
  const rssBefore = rss(s.pid).rss;
  let peakRss = rssBefore;
  let probing = true;
  const during: number[] = [];
  const prober = (async () => {
    while (probing) {
      during.push((await timed(s, probe)).ms);
      peakRss = Math.max(peakRss, rss(s.pid).rss);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const cpu0 = cpuSeconds(s.pid);
  const t0 = process.hrtime.bigint();
  const first = await must(s, 'iam', { Action: 'GenerateCredentialReport' });
  if (!first.text.includes('STARTED')) { probing = false; await prober; throw new Error(`GenerateCredentialReport: ${first.text}`); }
  let genMs = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    const r = await must(s, 'iam', { Action: 'GenerateCredentialReport' });
    if (r.text.includes('COMPLETE')) { genMs = Number(process.hrtime.bigint() - t0) / 1e6; break; }
  }
  const genCpu = cpuSeconds(s.pid) - cpu0;
  const duringGen = [...during];
  const getReq = await sign(s, 'iam', { Action: 'GetCredentialReport' });
  const t1 = process.hrtime.bigint();
  const got = await send(s.endpoint, getReq);
  const getMs = Number(process.hrtime.bigint() - t1) / 1e6;
  await new Promise((r) => setTimeout(r, 50));
  probing = false;
  await prober;
  const duringGet = during.slice(duringGen.length);
  const lines = /<Content>([^<]*)<\/Content>/.exec(got.text)?.[1];
  const csvLines = lines ? Buffer.from(lines, 'base64').toString('utf8').split('\n').length - 1 : 0;
  const m = rss(s.pid);
  return [
    `| generation (GenerateCredentialReport STARTED → COMPLETE, polled every 20 ms): wall / server CPU | ${(genMs / 1000).toFixed(2)} s / ${genCpu.toFixed(2)} s |`,
    `| GetCallerIdentity alone (median) | ${median(base).toFixed(2)} ms |`,
    `| GetCallerIdentity during generation: median / max (${duringGen.length} requests) | ${median(duringGen).toFixed(2)} / ${Math.max(...duringGen).toFixed(1)} ms |`,
    `| GetCredentialReport: time, response size, CSV lines | ${getMs.toFixed(0)} ms, ${(got.text.length / 1e6).toFixed(1)} MB, ${csvLines} |`,
    `| GetCallerIdentity during GetCredentialReport: max (${duringGet.length} requests) | ${duringGet.length ? Math.max(...duringGet).toFixed(1) : 'n/a'} ms |`,
    `| server RSS: before the report / peak sampled during it / VmHWM over the server's life | ${rssBefore.toFixed(0)} / ${peakRss.toFixed(0)} / ${m.hwm.toFixed(0)} MiB |`,
  ];
}

for (const store of STORES) {
  const small = await startServer(store, SMALL);
  const large = await startServer(store, LARGE);
  try {
    const rows = await measure(small, large);
    // The report on a fresh process over the same data: its RSS is the report's, not what the operations above
    // left in the heap.
    await large.restart();
    const rep = await report(large);
    console.log(`\n### ${store}: ${SMALL} users vs ${LARGE} users, median of ${ITER} sequential requests each (ms)\n`);
    console.log(`| operation | ${SMALL} users | ${LARGE} users | ratio | statuses |\n|---|---:|---:|---:|---|`);
    for (const r of rows) console.log(r);
    console.log(`\n### ${store}: credential report, ${LARGE} users\n\n| | |\n|---|---|`);
    for (const r of rep) console.log(r);
  } finally {
    await small.stop();
    await large.stop();
  }
}
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`\nload average at the end ${load}; node ${process.version}; reproduce with: node dist/bench/flat-with-data.js --store ${opts.store} --small ${SMALL} --large ${LARGE} --iterations ${ITER}`);
