// Throughput of Gatehouse against moto_server under the same signed load, in one run.
// Each server gets the same requests (ListUsers, ListMFADevices, GetCallerIdentity), signed with SigV4 by AWS's
// own signer. Requests are pre-signed in a pool and replayed so the load generator spends its core on sending,
// not signing; both servers verify (Gatehouse) or parse (moto) every one.
//
//   npm run build && node dist/bench/throughput.js [--seconds 8] [--concurrency 16] [--baseline DIR [--rounds 3]]
//
// --baseline DIR: also serves another build of Gatehouse (DIR is its checkout, built: DIR/dist/bin/gatehouse.js) in
// the same run, one process each, and measures the two in alternating rounds (this, baseline, this, baseline, …),
// reporting the median of each, the median and range of the per-round ratios, and each server's CPU time per request
// (from /proc: less sensitive than req/s to other work on a shared machine): to check that a change (the TypeScript
// conversion, say) costs no throughput. The two servers run one after the other, never at the same time.
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { agent, freePort, sendOnce, signRequest, waitUntilUp } from './lib.js';
import type { Credentials, SignedRequest } from './lib.js';

const { values: opts } = parseArgs({ options: { seconds: { type: 'string', default: '8' }, concurrency: { type: 'string', default: '16' }, baseline: { type: 'string' }, rounds: { type: 'string', default: '3' } } });
const SECONDS = Number(opts.seconds);
const CONCURRENCY = Number(opts.concurrency);
const OPS = [
  { name: 'ListUsers', service: 'iam', params: { Action: 'ListUsers', Version: '2010-05-08' } },
  { name: 'ListMFADevices', service: 'iam', params: { Action: 'ListMFADevices', Version: '2010-05-08', UserName: 'admin' } },
  { name: 'GetCallerIdentity', service: 'sts', params: { Action: 'GetCallerIdentity', Version: '2011-06-15' } },
];
type Op = (typeof OPS)[number];

/** A server under load: where it listens, whose keys sign, and how to stop it. */
interface Server {
  name: string;
  endpoint: string;
  creds: Credentials;
  /** The server process (one process: --workers 1), for its CPU time. */
  pid?: number | undefined;
  stop(): void;
}

/** One measurement: requests per second, 99th-percentile latency (ms), non-2xx count (or why it did not run). */
interface Result {
  rps: number;
  p99: number;
  errors: number | string;
}

const children: ChildProcess[] = [];
process.on('exit', () => { for (const c of children) { try { if (c.pid !== undefined) process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ } } });

// The servers' output goes to files, never to a pipe: wrk runs synchronously here, and a full pipe would
// stall a chatty server (moto logs every request) in the middle of a measurement.
async function startGatehouse(workers = 1, bin = new URL('../bin/gatehouse.js', import.meta.url).pathname, name = `gatehouse x${workers}`): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const port = await freePort();
  const log = openSync(join(dir, 'server.log'), 'w');
  const child = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--data', dir, '--workers', String(workers)], { env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn' }, stdio: ['ignore', log, log] });
  children.push(child);
  await waitUntilUp(`http://127.0.0.1:${port}/healthz`);
  // the file the server wrote on first start: its admin's access key
  const boot = JSON.parse(readFileSync(join(dir, 'bootstrap.json'), 'utf8')) as { admin: Credentials };
  return { name, endpoint: `http://127.0.0.1:${port}`, creds: boot.admin, pid: child.pid, stop: () => { if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM'); rmSync(dir, { recursive: true, force: true }); } };
}

async function startMoto(): Promise<Server> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  children.push(child);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${endpoint}/moto-api/`);
  const creds = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  // moto needs the user to exist for ListMFADevices.
  await sendOnce(endpoint, await signRequest(endpoint, creds, 'iam', { Action: 'CreateUser', Version: '2010-05-08', UserName: 'admin' }));
  return { name: 'moto', endpoint, creds, stop: () => { if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM'); } };
}

const HAVE_WRK = (() => { try { execFileSync('wrk', ['--version'], { stdio: 'ignore' }); return true; } catch (e) { return (e as { status?: number | null }).status === 1; } })(); // execFileSync's error carries the exit status

// wrk (Debian package) replays one pre-signed request from a C load generator, so the server, not the client,
// is what saturates; without wrk a Node keep-alive client does the same, less efficiently.
function loadWithWrk(server: Server, req: SignedRequest): Result {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-wrk-'));
  const script = join(dir, 'req.lua');
  const headers = Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')
    .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(String(v))}`).join('\n');
  writeFileSync(script, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(req.body)}\n${headers}\n` +
    'done = function(summary, latency, requests)\n  io.write(string.format("RESULT %f %f %d %d\\n", summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000, summary.errors.status, summary.requests))\nend\n');
  const out = execFileSync('wrk', ['-t1', `-c${CONCURRENCY}`, `-d${SECONDS}s`, '--latency', '-s', script, server.endpoint], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  const m = /RESULT (\S+) (\S+) (\d+) (\d+)/.exec(out);
  if (process.env['BENCH_DEBUG']) console.log(out);
  if (!m) throw new Error(`wrk printed no RESULT line: ${out}`);
  return { rps: Number(m[1]), p99: Number(m[2]), errors: Number(m[3]) };
}

async function load(server: Server, op: Op, warm = true): Promise<Result> {
  const pool: SignedRequest[] = [];
  for (let i = 0; i < 64; i++) pool.push(await signRequest(server.endpoint, server.creds, op.service, op.params));
  const first = pool[0]!; // 64 signed just above
  const { status } = await sendOnce(server.endpoint, first);
  if (status !== 200) return { rps: 0, p99: 0, errors: `status ${status}` };
  if (HAVE_WRK) {
    if (warm) loadWithWrk(server, first);
    return loadWithWrk(server, first);
  }
  // Warm up, then measure.
  const run = async (ms: number) => {
    const latencies: number[] = [];
    let errors = 0;
    const end = performance.now() + ms;
    let i = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const { status: s } = await sendOnce(server.endpoint, pool[i++ % pool.length]!); // an index below its length
        latencies.push(performance.now() - t);
        if (s !== 200) errors++;
      }
    }));
    return { latencies, errors };
  };
  await run(1000);
  const started = performance.now();
  const { latencies, errors } = await run(SECONDS * 1000);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p99: latencies[Math.floor(latencies.length * 0.99)]!, errors }; // every worker sent at least one
}

function motoVersion(): string {
  try { return execFileSync('python3', ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8' }).trim(); } catch { return '?'; }
}

// A process's CPU time (user + system, all threads) in clock ticks, from /proc (Linux); 0 elsewhere.
const TICKS_PER_SECOND = 100;
function cpuTicks(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); // after the command name
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  } catch { return 0; }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2; // xs is never empty (rounds >= 1)
};

if (opts.baseline !== undefined) {
  const rounds = Math.max(1, Number(opts.rounds));
  const baseBin = join(opts.baseline, 'dist', 'bin', 'gatehouse.js');
  const mine = await startGatehouse(1);
  const base = await startGatehouse(1, baseBin, 'baseline');
  console.log(`node ${process.version}, ${SECONDS}s per run, concurrency ${CONCURRENCY}, ${rounds} alternating rounds, load from ${HAVE_WRK ? 'wrk (1 thread)' : 'a Node client'}`);
  console.log(`this build: ${new URL('../', import.meta.url).pathname}; baseline: ${opts.baseline}`);
  console.log('operation          | this build req/s | baseline req/s | this / baseline (median; per-round range) | CPU µs/request this, baseline | baseline CPU / this CPU (median; range)');
  for (const op of OPS) {
    const a: number[] = [];
    const b: number[] = [];
    const ca: number[] = [];
    const cb: number[] = [];
    // Each server is warmed once per operation; the rounds then alternate, each pair measured back to back, so a
    // change in the machine's load (it is shared) falls on both sides of a pair.
    await load(mine, op);
    await load(base, op);
    for (let r = 0; r < rounds; r++) {
      for (const [server, rps, cpu] of [[mine, a, ca], [base, b, cb]] as const) {
        const before = cpuTicks(server.pid);
        const started = performance.now();
        const result = await load(server, op, false);
        const requests = result.rps * (performance.now() - started) / 1000;
        rps.push(result.rps);
        cpu.push(((cpuTicks(server.pid) - before) * 1e6) / TICKS_PER_SECOND / requests);
      }
    }
    const ratios = a.map((x, i) => x / b[i]!); // one baseline round per round of this build
    const cpuRatios = ca.map((x, i) => cb[i]! / x);
    const range = (xs: number[]): string => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
    console.log(`${op.name.padEnd(18)} | ${median(a).toFixed(0).padStart(16)} | ${median(b).toFixed(0).padStart(14)} | ${median(ratios).toFixed(2)}; ${range(ratios)} | ${median(ca).toFixed(0)}, ${median(cb).toFixed(0)} | ${median(cpuRatios).toFixed(2)}; ${range(cpuRatios)}`);
  }
  console.log(`reproduce: node dist/bench/throughput.js --seconds ${SECONDS} --concurrency ${CONCURRENCY} --baseline ${opts.baseline} --rounds ${rounds}`);
  mine.stop();
  base.stop();
  agent.destroy();
  process.exit(0);
}

const single = await startGatehouse(1);
const double = await startGatehouse(2);
const moto = await startMoto();
console.log(`node ${process.version}, moto ${motoVersion()}, ${SECONDS}s per run, concurrency ${CONCURRENCY}, load from ${HAVE_WRK ? 'wrk (1 thread)' : 'a Node client'}`);
console.log('operation          | gatehouse 1 process   | gatehouse 2 workers   | moto_server           | ratio 1p | ratio 2w');
console.log('                   | req/s      p99 ms     | req/s      p99 ms     | req/s      p99 ms     |          |');
for (const op of OPS) {
  const g1 = await load(single, op);
  const g2 = await load(double, op);
  const m = await load(moto, op);
  const cell = (r: Result) => `${r.rps.toFixed(0).padStart(8)}  ${r.p99.toFixed(1).padStart(8)}   `;
  const errs = [g1, g2, m].some((r) => r.errors) ? `  (non-2xx: ${g1.errors}/${g2.errors}/${m.errors})` : '';
  console.log(`${op.name.padEnd(18)} | ${cell(g1)} | ${cell(g2)} | ${cell(m)} | ${(g1.rps / m.rps).toFixed(1).padStart(7)}x | ${(g2.rps / m.rps).toFixed(1).padStart(7)}x${errs}`);
}
console.log(`reproduce: node dist/bench/throughput.js --seconds ${SECONDS} --concurrency ${CONCURRENCY}`);
single.stop();
double.stop();
moto.stop();
agent.destroy();
process.exit(0);
