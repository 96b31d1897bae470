// The hardening issue's attack inputs, end to end against a real `gatehouse serve` process: how much CPU the server
// spends on each (read from Linux's per-thread schedstat, nanoseconds, all of the server's threads), side by side
// with a trivial request (the floor). Target: no request over 50 ms of CPU for any input under the size limits.
//
//   npm run build && node dist/bench/worst-case.js [--runs 3] [--database postgres://…/EMPTY_DB]
//
// Each request is signed by the bootstrap admin (AWS's own signer) and sent on its own; the server is otherwise idle.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, signRequest, sendOnce, waitUntilUp } from './lib.js';
import type { Reply } from './lib.js';
import type { Bootstrap } from '../test/helpers/server.js';

/** A request's form parameters. */
type Params = Record<string, string>;

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '3' }, database: { type: 'string' } } });
const RUNS = Number(opts.runs);

/** CPU time of every thread of a process so far, in ms (Linux: /proc/PID/task/TID/schedstat, first field in ns). */
function cpuMs(pid: number): number {
  let ns = 0n;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try { ns += BigInt(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0] ?? ''); } catch { /* thread ended */ }
  }
  return Number(ns) / 1e6;
}

const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

function cases(): [string, string, Params][] {
  const simulate15k: Params = { Action: 'SimulateCustomPolicy', Version: '2010-05-08', 'PolicyInputList.member.1': allowAll, 'ActionNames.member.1': 'iam:GetUser' };
  for (let i = 1; i <= 15_000; i++) simulate15k[`ContextEntries.member.${i}.ContextKeyName`] = `aws:k${i}`;

  const tags10k: Params = { Action: 'CreateUser', Version: '2010-05-08', UserName: 'worst-case-tags' };
  for (let i = 1; i <= 10_000; i++) { tags10k[`Tags.member.${i}.Key`] = `k${i}`; tags10k[`Tags.member.${i}.Value`] = 'v'; }

  // A backtracking-prone StringLike pattern (60k characters of "*a", then "b") against a 300k-character value that
  // almost matches: a naive matcher tries every way to split the value among the stars.
  const pattern = `${'*a'.repeat(30_000)}b`;
  const wildcardPolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringLike: { 'aws:PrincipalTag/team': pattern } } }],
  });
  const wildcard = {
    Action: 'SimulateCustomPolicy', Version: '2010-05-08',
    'PolicyInputList.member.1': wildcardPolicy,
    'ActionNames.member.1': 'iam:GetUser',
    'ContextEntries.member.1.ContextKeyName': 'aws:PrincipalTag/team',
    'ContextEntries.member.1.ContextKeyType': 'string',
    'ContextEntries.member.1.ContextKeyValues.member.1': 'a'.repeat(300_000),
  };

  // About the most a request may carry and still be parsed in full: 999 ContextEntries (1,000 is the cap for an
  // unbounded list) with 3 values each, 4,999 parameters in all, just under the 5,000 limit.
  const fullest: Params = { Action: 'SimulateCustomPolicy', Version: '2010-05-08', 'PolicyInputList.member.1': allowAll, 'ActionNames.member.1': 'iam:GetUser' };
  for (let i = 1; i <= 999; i++) {
    fullest[`ContextEntries.member.${i}.ContextKeyName`] = `aws:k${i}`;
    fullest[`ContextEntries.member.${i}.ContextKeyType`] = 'stringList';
    for (let j = 1; j <= 3; j++) fullest[`ContextEntries.member.${i}.ContextKeyValues.member.${j}`] = `value-${j}`;
  }
  const unknown: Params = { Action: 'ListUsers', Version: '2010-05-08' };
  for (let i = 0; i < 4_990; i++) unknown[`Unknown${i}`] = 'x';

  const nested = {
    Action: 'SimulateCustomPolicy', Version: '2010-05-08',
    'PolicyInputList.member.1': '['.repeat(20_000),
    'ActionNames.member.1': 'iam:GetUser',
  };
  const nestedCreate = { Action: 'CreatePolicy', Version: '2010-05-08', PolicyName: 'worst-case-nested', PolicyDocument: '['.repeat(20_000) };

  return [
    ['floor: GetCallerIdentity', 'sts', { Action: 'GetCallerIdentity', Version: '2011-06-15' }],
    ['floor: ListUsers', 'iam', { Action: 'ListUsers', Version: '2010-05-08' }],
    ['SimulateCustomPolicy, 15,000 ContextEntries', 'iam', simulate15k],
    ['CreateUser, 10,000 tags', 'iam', tags10k],
    ['SimulateCustomPolicy, 999 ContextEntries × 3 values (parsed in full)', 'iam', fullest],
    ['ListUsers with 4,990 unknown parameters', 'iam', unknown],
    ['SimulateCustomPolicy, 60k-char StringLike pattern vs 300k value', 'iam', wildcard],
    ['SimulateCustomPolicy, policy of 20,000 nested [', 'iam', nested],
    ['CreatePolicy, document of 20,000 nested [', 'iam', nestedCreate],
  ];
}

const errorCode = (text: string): string => /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? '';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!; // of --runs (≥ 1) samples

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-worst-'));
  const port = await freePort();
  const bin = new URL('../bin/gatehouse.js', import.meta.url).pathname;
  const args = [bin, 'serve', '--port', String(port), '--data', dataDir, ...(opts.database ? ['--database', opts.database] : [])];
  const server = spawn(process.execPath, args, { env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(`${endpoint}/healthz`);
    const boot = JSON.parse(readFileSync(join(dataDir, 'bootstrap.json'), 'utf8')) as Bootstrap; // the server's first-start file
    const pid = server.pid;
    if (pid === undefined) throw new Error('gatehouse did not start');
    const creds = { accessKeyId: boot.admin.accessKeyId, secretAccessKey: boot.admin.secretAccessKey };
    const rows: { name: string; kb: number; status: number | undefined; code: string; cpu: number; cpuMax: number; wall: number }[] = [];
    for (const [name, service, params] of cases()) {
      const req = await signRequest(endpoint, creds, service, params);
      const cpu: number[] = [];
      const wall: number[] = [];
      let last: Reply | undefined;
      for (let i = 0; i < RUNS; i++) {
        const c0 = cpuMs(pid);
        const t0 = performance.now();
        last = await sendOnce(endpoint, req);
        wall.push(performance.now() - t0);
        cpu.push(cpuMs(pid) - c0);
      }
      if (!last) throw new Error('--runs must be at least 1');
      rows.push({ name, kb: Buffer.byteLength(req.body) / 1024, status: last.status, code: errorCode(last.text), cpu: median(cpu), cpuMax: Math.max(...cpu), wall: median(wall) });
      process.stderr.write(`${name}: ${last.status} ${errorCode(last.text)} ${median(cpu).toFixed(1)} ms CPU\n`);
    }
    const health = await fetch(`${endpoint}/healthz`);
    console.log(`\nnode dist/bench/worst-case.js --runs ${RUNS}${opts.database ? ' --database …' : ''}  (${opts.database ? 'PostgreSQL' : 'SQLite'}; server CPU per request, all threads; median of ${RUNS})\n`);
    console.log('| request | body | answer | server CPU, median | max | wall, median |');
    console.log('|---|---:|---|---:|---:|---:|');
    for (const r of rows) {
      console.log(`| ${r.name} | ${r.kb.toFixed(0)} KB | ${r.status} ${r.code} | ${r.cpu.toFixed(1)} ms | ${r.cpuMax.toFixed(1)} ms | ${r.wall.toFixed(1)} ms |`);
    }
    const worst = rows.slice(2).reduce((a, b) => (b.cpu > a.cpu ? b : a));
    const coldest = rows.reduce((a, b) => (b.cpuMax > a.cpuMax ? b : a));
    console.log(`\nWorst median: ${worst.name}, ${worst.cpu.toFixed(1)} ms of CPU (target ≤ 50 ms). Highest single run: ${coldest.name}, `
      + `${coldest.cpuMax.toFixed(1)} ms (usually the first, while V8 compiles). /healthz answered ${health.status} afterwards.`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
