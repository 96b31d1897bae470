// Server CPU time per request, this build against another build, in one run: what a change costs each request,
// read from the server process's own CPU counters (/proc/PID/stat), so that the load of other processes on the
// machine — which makes req/s figures swing by a factor of several on a shared machine — hardly moves it.
// Both servers get the same requests (signed by the AWS SDK v3, 8 in flight) in alternating rounds.
//
//   npm run build && node dist/bench/cpu-per-request.js --baseline DIR [--requests 2000] [--rounds 3]
//
// DIR is a checkout of the other build, built (DIR/dist/bin/gatehouse.js). Linux only (/proc).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { IAMClient, ListUsersCommand, ListMFADevicesCommand } from '@aws-sdk/client-iam';

const { values: opts } = parseArgs({ options: { baseline: { type: 'string' }, requests: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' } } });
if (!opts.baseline) { console.error('usage: node dist/bench/cpu-per-request.js --baseline DIR [--requests N] [--rounds N]'); process.exit(2); }
const N = Number(opts.requests);
const ROUNDS = Number(opts.rounds);
const THIS_BIN = new URL('../bin/gatehouse.js', import.meta.url).pathname;
const BASE_BIN = join(opts.baseline, 'dist', 'bin', 'gatehouse.js');

interface Server { readonly pid: number; readonly endpoint: string; readonly creds: { accessKeyId: string; secretAccessKey: string }; stop(): void }

async function start(bin: string): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cpu-'));
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data', dir], { env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d; const m = /listening on (http:\/\/\S+)/.exec(out); if (m?.[1]) ok(m[1]); });
    child.once('exit', (code) => fail(new Error(`${bin} exited with ${code}`)));
  });
  const boot = JSON.parse(readFileSync(join(dir, 'bootstrap.json'), 'utf8')) as { admin: { accessKeyId: string; secretAccessKey: string } }; // the server's bootstrap.json
  return { pid: child.pid!, endpoint, creds: boot.admin, stop: () => { child.kill('SIGTERM'); setTimeout(() => rmSync(dir, { recursive: true, force: true }), 2000).unref(); } }; // spawned: it has a pid
}

/** The process's user + system CPU time in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); // comm is in parentheses
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const OPS: readonly [string, (s: Server) => () => Promise<unknown>][] = [
  ['GetCallerIdentity', (s) => { const c = new STSClient({ endpoint: s.endpoint, region: 'us-east-1', credentials: s.creds }); return () => c.send(new GetCallerIdentityCommand({})); }],
  ['ListUsers', (s) => { const c = new IAMClient({ endpoint: s.endpoint, region: 'us-east-1', credentials: s.creds }); return () => c.send(new ListUsersCommand({})); }],
  ['ListMFADevices', (s) => { const c = new IAMClient({ endpoint: s.endpoint, region: 'us-east-1', credentials: s.creds }); return () => c.send(new ListMFADevicesCommand({ UserName: 'admin' })); }],
];

/** µs of server CPU per request for one operation. */
async function measure(s: Server, makeOp: (s: Server) => () => Promise<unknown>): Promise<number> {
  const op = makeOp(s);
  for (let i = 0; i < 100; i++) await op();
  await new Promise((ok) => setTimeout(ok, 500));
  const c0 = cpuMs(s.pid);
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (next++ < N) await op(); }));
  await new Promise((ok) => setTimeout(ok, 1000)); // what the request left to do afterwards (the event history's batch) counts too
  return ((cpuMs(s.pid) - c0) * 1000) / N;
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

const mine = await start(THIS_BIN);
const base = await start(BASE_BIN);
try {
  console.log(`node ${process.version}, ${N} requests per measurement, 8 in flight, ${ROUNDS} alternating rounds; baseline ${opts.baseline}`);
  console.log('operation          | this build µs CPU/req | baseline µs CPU/req | this / baseline');
  for (const [name, make] of OPS) {
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < ROUNDS; r++) { a.push(await measure(mine, make)); b.push(await measure(base, make)); }
    console.log(`${name.padEnd(18)} | ${median(a).toFixed(0).padStart(21)} | ${median(b).toFixed(0).padStart(19)} | ${(median(a) / median(b)).toFixed(2).padStart(15)}`);
  }
  console.log(`reproduce: node dist/bench/cpu-per-request.js --baseline ${opts.baseline} --requests ${N} --rounds ${ROUNDS}`);
} finally {
  mine.stop();
  base.stop();
}
