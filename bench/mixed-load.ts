// The mixed distinct-request load of issue 12, side by side in one run:
//
//   npm run build && node dist/bench/mixed-load.js [--seconds 10] [--rounds 3] [--database postgres://…/EMPTY_DB]
//       [--baseline DIR] [--skip moto,workers,fixed]
//
// --baseline DIR adds another build of Gatehouse (DIR/dist/bin/gatehouse.js, one process, SQLite) as a contender, to
// measure a change against the build before it in the same run; --skip leaves out contenders (moto, workers, fixed)
// to shorten a run. The floor server always runs.
//
// 600 distinct requests signed by botocore (bench/sign_requests.py; one second apart, so no two are alike):
// ListMFADevices for a user that has an enabled MFA device, alternating with STS GetCallerIdentity, replayed in a
// loop by wrk (-t1 -c16) against, in turn:
//   - moto_server, as it ships;
//   - Gatehouse, one process, SQLite, default settings (and with --workers 2; and on PostgreSQL with --database);
//   - a bare node:http server answering fixed XML (bench/floor-server.ts --mode fixed);
//   - node:http + SigV4 verification + one prepared better-sqlite3 lookup (--mode floor): the floor of what
//     Gatehouse must do per request.
// Then each operation alone (300 distinct requests each). Every contender is measured in alternating rounds (each
// round: every server once), the median reported with p99 latency, and the ratios to moto and to the floor server;
// for one-process servers also the CPU time per request (from /proc), which a shared machine disturbs least; for
// --workers 2 that of all its processes; and wrk's own CPU time per request. With --workers 2 in the run, the
// machine's ceiling for it: every core busy, each request costing what it costs one process plus wrk's share.
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TOTP, Secret } from 'otpauth';
import { freePort, sendOnce, signRequest, waitUntilUp, agent } from './lib.js';
import type { Credentials } from './lib.js';

const { values: opts } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, rounds: { type: 'string', default: '3' }, database: { type: 'string' }, baseline: { type: 'string' }, skip: { type: 'string', default: '' } } });
const SKIP = new Set(opts.skip.split(',').filter(Boolean));
const SECONDS = Number(opts.seconds);
const ROUNDS = Math.max(1, Number(opts.rounds));
const DISTINCT = 600;
// BENCH_GATEHOUSE_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR': Node options for the Gatehouse processes (profiling).
const NODE_ARGS = (process.env['BENCH_GATEHOUSE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
// BENCH_LOADS=1: only the first N loads (the mixed one first).
const LOAD_COUNT = Number(process.env['BENCH_LOADS'] ?? 3);
const USER = 'alice';

/**
 * A contender; pid when it serves from one process (its CPU time per request is read from /proc); tree when its
 * CPU time is that of the process and its children (a --workers primary: the workers are its children).
 */
interface Server { name: string; endpoint: string; creds: Credentials; pid?: number | undefined; tree?: number | undefined; stop(): void }
type Op = { service: 'iam' | 'sts'; params: Record<string, string> };
const LIST: Op = { service: 'iam', params: { Action: 'ListMFADevices', Version: '2010-05-08', UserName: USER } };
const WHO: Op = { service: 'sts', params: { Action: 'GetCallerIdentity', Version: '2011-06-15' } };
const LOADS: ReadonlyArray<{ name: string; ops: (i: number) => Op }> = [
  { name: 'mixed: ListMFADevices / GetCallerIdentity alternating', ops: (i) => (i % 2 ? WHO : LIST) },
  { name: 'ListMFADevices alone', ops: () => LIST },
  { name: 'GetCallerIdentity alone', ops: () => WHO },
];

const children: ChildProcess[] = [];
process.on('exit', () => { for (const c of children) { try { if (c.pid !== undefined) process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ } } });
const here = (p: string): string => new URL(p, import.meta.url).pathname;
const stopChild = (c: ChildProcess) => (): void => { if (c.pid !== undefined) { try { process.kill(c.pid, 'SIGTERM'); } catch { /* gone */ } } };

async function startGatehouse(name: string, extra: string[], bin = here('../bin/gatehouse.js')): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-mixed-'));
  const port = await freePort();
  const log = openSync(join(dir, 'server.log'), 'w');
  const child = spawn(process.execPath, [...NODE_ARGS, bin, 'serve', '--port', String(port), '--data', dir, ...extra], { stdio: ['ignore', log, log] });
  children.push(child);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${endpoint}/healthz`);
  const boot = JSON.parse(readFileSync(join(dir, 'bootstrap.json'), 'utf8')) as { admin: Credentials }; // the server's own first-start file
  const workers = extra.includes('--workers');
  const server = { name, endpoint, creds: boot.admin, pid: workers ? undefined : child.pid, tree: workers ? child.pid : undefined, stop: () => { stopChild(child)(); rmSync(dir, { recursive: true, force: true }); } };
  await enrol(server, true);
  return server;
}

async function startMoto(): Promise<Server> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  children.push(child);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${endpoint}/moto-api/`);
  const server = { name: 'moto_server', endpoint, pid: child.pid, creds: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, stop: stopChild(child) };
  await enrol(server, false);
  return server;
}

async function startReference(name: string, args: string[], creds: Credentials): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [here('./floor-server.js'), '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('listening')) ok(); }); // spawned with a stdout pipe
    child.once('exit', (code) => fail(new Error(`${name} exited (${code})`)));
  });
  return { name, endpoint: `http://127.0.0.1:${port}`, creds, pid: child.pid, stop: stopChild(child) };
}

/** Sends one signed request; its XML, or an error naming the status. */
async function call(s: Server, op: Op): Promise<string> {
  const r = await sendOnce(s.endpoint, await signRequest(s.endpoint, s.creds, op.service, op.params));
  if (r.status !== 200) throw new Error(`${s.name}: ${op.params.Action} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return r.text;
}
const field = (xml: string, tag: string): string => {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (!m) throw new Error(`no <${tag}> in ${xml.slice(0, 300)}`);
  return m[1]!; // the group is not optional
};

/** The user with an enabled virtual MFA device (real consecutive codes where they are checked). */
async function enrol(s: Server, realCodes: boolean): Promise<void> {
  await call(s, { service: 'iam', params: { Action: 'CreateUser', Version: '2010-05-08', UserName: USER } });
  const created = await call(s, { service: 'iam', params: { Action: 'CreateVirtualMFADevice', Version: '2010-05-08', VirtualMFADeviceName: USER } });
  const serial = field(created, 'SerialNumber');
  let c1 = '123456';
  let c2 = '654321';
  if (realCodes) {
    const seed = Buffer.from(field(created, 'Base32StringSeed'), 'base64').toString('ascii');
    const totp = new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 });
    const t = Date.now() - 30_000;
    c1 = totp.generate({ timestamp: t });
    c2 = totp.generate({ timestamp: t + 30_000 });
  }
  await call(s, { service: 'iam', params: { Action: 'EnableMFADevice', Version: '2010-05-08', UserName: USER, SerialNumber: serial, AuthenticationCode1: c1, AuthenticationCode2: c2 } });
  const listed = await call(s, LIST);
  if (!listed.includes(serial)) throw new Error(`${s.name}: ListMFADevices does not list ${serial}`);
}

/** botocore-signed requests for a server, one second apart (bench/sign_requests.py). */
function signAll(s: Server, ops: Op[]): Array<{ headers: Record<string, string>; body: string }> {
  const input = JSON.stringify({ endpoint: s.endpoint, accessKeyId: s.creds.accessKeyId, secretAccessKey: s.creds.secretAccessKey, requests: ops });
  const out = execFileSync('python3', [here('../../bench/sign_requests.py')], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as Array<{ headers: Record<string, string>; body: string }>; // the script's own output
}

interface Result { rps: number; p99: number; non2xx: number; wrkUs: number; cpuUs?: number | undefined; mainUs?: number | undefined }

/** A /proc/…/stat line's fields after the command name (which may hold spaces and brackets): state, ppid, … */
const statFields = (stat: string): string[] => stat.slice(stat.lastIndexOf(')') + 2).split(' ');
/** utime + stime of a /proc/…/stat line, in clock ticks (100 a second). */
const statTicks = (stat: string): number => { const f = statFields(stat); return Number(f[11]) + Number(f[12]); };

/**
 * A process's CPU time (user + system) in clock ticks (100 a second), from /proc: all threads, and its main thread
 * alone (the event loop; the rest is V8's helpers, libuv's pool and Gatehouse's event writer); undefined elsewhere.
 */
function cpuTicks(pid: number | undefined): { all: number; main: number } | undefined {
  if (pid === undefined) return undefined;
  const ticks = (file: string): number => statTicks(readFileSync(file, 'utf8'));
  try { return { all: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) }; } catch { return undefined; }
}

/** CPU ticks (user + system) of a process and its children (a --workers primary and its workers), from /proc. */
function treeTicks(pid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(entry) === pid || Number(statFields(stat)[1]) === pid) total += statTicks(stat);
    } catch { /* gone */ }
  }
  return total;
}

/** This process's waited-for children's CPU ticks (cutime + cstime): around one execFileSync, that child's. */
function childTicks(): number {
  const f = statFields(readFileSync('/proc/self/stat', 'utf8'));
  return Number(f[13]) + Number(f[14]);
}

/** CPU ticks by thread (BENCH_THREADS=1 prints them per request: where a server's CPU goes). */
function threadTicks(pid: number | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (pid === undefined || !process.env['BENCH_THREADS']) return out;
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const name = `${t === String(pid) ? 'main' : 'thread'} ${t}`; // every thread of node is named "node"; the main thread's id is the pid
      out.set(name, (out.get(name) ?? 0) + statTicks(readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8')));
    }
  } catch { /* gone */ }
  return out;
}

/** One measured run, with the server's CPU time per request when it is one process. */
function measure(s: Server, requests: Array<{ headers: Record<string, string>; body: string }>, seconds: number): Result {
  const before = cpuTicks(s.pid);
  const treeBefore = s.tree === undefined ? undefined : treeTicks(s.tree);
  const threadsBefore = threadTicks(s.pid);
  const r = wrk(s, requests, seconds);
  // What a request leaves to do afterwards (the event history's batch, written within a second) counts too.
  if (before !== undefined || treeBefore !== undefined) execFileSync('sleep', ['1.2']);
  const after = cpuTicks(s.pid);
  const n = r.rps * seconds;
  if (s.tree !== undefined && treeBefore !== undefined) return { ...r, cpuUs: ((treeTicks(s.tree) - treeBefore) * 10_000) / n };
  const threadsAfter = threadTicks(s.pid);
  if (threadsAfter.size) console.log(`  ${s.name}: µs/request by thread: ${[...threadsAfter].map(([k, v]) => [k, ((v - (threadsBefore.get(k) ?? 0)) * 10_000) / n] as const).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
  return before === undefined || after === undefined ? r : { ...r, cpuUs: ((after.all - before.all) * 10_000) / n, mainUs: ((after.main - before.main) * 10_000) / n };
}

function wrk(s: Server, requests: Array<{ headers: Record<string, string>; body: string }>, seconds: number): Result {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-mixed-wrk-'));
  const script = join(dir, 'load.lua');
  const lua = (v: string): string => JSON.stringify(v); // a JSON string literal is a valid Lua string literal here (ASCII)
  const entries = requests.map((r) => {
    const headers = Object.entries(r.headers).filter(([k]) => k.toLowerCase() !== 'host').map(([k, v]) => `[${lua(k)}] = ${lua(v)}`).join(', ');
    return `  wrk.format("POST", "/", { ${headers} }, ${lua(r.body)}),`;
  });
  writeFileSync(script, `local reqs\nlocal i = 0\ninit = function(args)\n reqs = {\n${entries.join('\n')}\n }\nend\n` +
    'request = function()\n  i = i % #reqs + 1\n  return reqs[i]\nend\n' +
    'done = function(summary, latency, requests)\n  io.write(string.format("RESULT %f %f %d\\n", summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000, summary.errors.status))\nend\n');
  const children = childTicks();
  const out = execFileSync('wrk', ['-t1', '-c16', `-d${seconds}s`, '--latency', '-s', script, s.endpoint], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const wrkTicks = childTicks() - children;
  rmSync(dir, { recursive: true, force: true });
  const m = /RESULT (\S+) (\S+) (\d+)/.exec(out);
  if (!m) throw new Error(`wrk printed no RESULT line: ${out}`);
  return { rps: Number(m[1]), p99: Number(m[2]), non2xx: Number(m[3]), wrkUs: (wrkTicks * 10_000) / (Number(m[1]) * seconds) };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2; // never empty: one entry per round
};

const floorCreds = { accessKeyId: 'AKIAFLOOR0000000000A', secretAccessKey: 'floor/secret/for/the/bench/only/0000000' };
const servers: Server[] = SKIP.has('moto') ? [] : [await startMoto()];
const oneProcess = await startGatehouse('Gatehouse, 1 process (SQLite)', []);
servers.push(oneProcess);
if (opts.baseline) servers.push(await startGatehouse(`Gatehouse at ${opts.baseline}, 1 process (SQLite)`, [], join(opts.baseline, 'dist', 'bin', 'gatehouse.js')));
if (!SKIP.has('workers')) servers.push(await startGatehouse('Gatehouse, --workers 2 (SQLite)', ['--workers', '2']));
if (opts.database) servers.push(await startGatehouse('Gatehouse, 1 process (PostgreSQL)', ['--database', opts.database]));
if (!SKIP.has('fixed')) servers.push(await startReference('node:http, fixed XML', ['--mode', 'fixed'], floorCreds));
servers.push(await startReference('floor: node:http + SigV4 + one SQLite lookup', ['--mode', 'floor', '--key-id', floorCreds.accessKeyId, '--secret', floorCreds.secretAccessKey], floorCreds));

const cpu = (() => { try { return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '?'; } catch { return '?'; } })();
const moto = (() => { try { return execFileSync('python3', ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8' }).trim(); } catch { return '?'; } })();
console.log(`node ${process.version}, moto ${moto}, ${cpu}; ${DISTINCT} distinct botocore-signed requests per load, wrk -t1 -c16, ${SECONDS}s per run, ${ROUNDS} rounds (median), load average at start ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

for (const load of LOADS.slice(0, LOAD_COUNT)) {
  const count = load === LOADS[0] ? DISTINCT : DISTINCT / 2;
  const ops = Array.from({ length: count }, (_, i) => load.ops(i));
  const signed = new Map(servers.map((s) => [s, signAll(s, ops)]));
  for (const s of servers) wrk(s, signed.get(s)!, 2); // warm-up: V8 compiles the paths, SQLite caches the pages
  const results = new Map<Server, Result[]>(servers.map((s) => [s, []]));
  for (let r = 0; r < ROUNDS; r++) for (const s of servers) results.get(s)!.push(measure(s, signed.get(s)!, SECONDS));
  const rps = (s: Server): number => median(results.get(s)!.map((x) => x.rps));
  const motoRps = SKIP.has('moto') ? Number.NaN : rps(servers[0]!);
  const floorRps = rps(servers[servers.length - 1]!);
  console.log(`\n${load.name} (${count} distinct requests)`);
  // CPU per request is what a shared machine disturbs least: the floor's CPU over a server's is its req/s ratio
  // on a machine where the server had a core to itself.
  const cpuOf = (s: Server, which: 'cpuUs' | 'mainUs' = 'cpuUs'): number | undefined => {
    const xs = results.get(s)!.map((x) => x[which]).filter((x): x is number => x !== undefined);
    return xs.length ? median(xs) : undefined;
  };
  const floorCpu = cpuOf(servers[servers.length - 1]!);
  console.log('| server | req/s | p99 | × moto | × floor | CPU µs/request (main thread) | floor CPU / this CPU | wrk CPU µs/request | non-2xx |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of servers) {
    const rs = results.get(s)!;
    const c = cpuOf(s);
    const main = cpuOf(s, 'mainUs');
    const cpuCols = c === undefined || floorCpu === undefined ? '– | –' : `${c.toFixed(0)}${main === undefined ? ' (all processes)' : ` (${main.toFixed(0)})`} | ${(floorCpu / c).toFixed(2)}`;
    console.log(`| ${s.name} | ${rps(s).toFixed(0)} | ${median(rs.map((x) => x.p99)).toFixed(1)} ms | ${(rps(s) / motoRps).toFixed(1)}× | ${(rps(s) / floorRps).toFixed(2)} | ${cpuCols} | ${median(rs.map((x) => x.wrkUs)).toFixed(0)} | ${rs.reduce((n, x) => n + x.non2xx, 0)} |`);
  }
  // What two workers could reach here at best: every core busy, each request costing the server what it costs one
  // process and the load generator what it costs wrk (which shares the cores).
  const two = servers.find((s) => s.tree !== undefined);
  const oneCpu = cpuOf(oneProcess);
  if (two && oneCpu !== undefined) {
    const wrkUs = median(results.get(oneProcess)!.map((x) => x.wrkUs)); // every server has its results
    const ceiling = (availableParallelism() * 1e6) / (oneCpu + wrkUs);
    console.log(`
the machine's ceiling for --workers 2 here: ${availableParallelism()} cores / (${oneCpu.toFixed(0)} µs of server + ${wrkUs.toFixed(0)} µs of wrk a request) = ${ceiling.toFixed(0)} req/s, ${(ceiling / rps(oneProcess)).toFixed(2)}× one process; measured ${rps(two).toFixed(0)} req/s, ${(rps(two) / rps(oneProcess)).toFixed(2)}×`);
  }
}
console.log(`\nreproduce: node dist/bench/mixed-load.js --seconds ${SECONDS} --rounds ${ROUNDS}${opts.database ? ' --database postgres://…/EMPTY_DB' : ''}${opts.baseline ? ` --baseline ${opts.baseline}` : ''}${opts.skip ? ` --skip ${opts.skip}` : ''}`);
for (const s of servers) s.stop();
agent.destroy();
await new Promise((r) => setTimeout(r, 500)); // the servers remove their temporary files on SIGTERM
process.exit(0);
