// Helpers for the audit tests: run `gatehouse audit` / `gatehouse mfa enforce` in a child process (through the
// exported functions, until the lead's dispatch lines land in src/cli/main), a small JSON Schema validator for the
// report's schema, moto_server on a free loopback port, and seeding through the API with the AWS SDK.
import { execFile, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import * as I from '@aws-sdk/client-iam';
import { Secret, TOTP } from 'otpauth';
import { sourcePath } from '../../src/paths.js';
import { SDK_TEST_CONFIG } from './clients.js';

export interface Creds { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string }
export interface RunResult { readonly code: number; readonly stdout: string; readonly stderr: string }

const CLI_AUDIT = new URL('../../src/cli/audit.js', import.meta.url).href;
const CLI_ENFORCE = new URL('../../src/cli/mfa-enforce.js', import.meta.url).href;
export const BIN = new URL('../../bin/gatehouse.js', import.meta.url).pathname;

function noCredEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_REGION: 'us-east-1' };
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_ENDPOINT_URL']) delete env[k];
  return env;
}

function credEnv(creds: Creds): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_REGION: 'us-east-1' };
  delete env['AWS_PROFILE'];
  delete env['AWS_ENDPOINT_URL'];
  if (creds.sessionToken) env['AWS_SESSION_TOKEN'] = creds.sessionToken; else delete env['AWS_SESSION_TOKEN'];
  return env;
}

function runModule(moduleUrl: string, fn: string, args: readonly string[], creds: Creds | null, extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const script = `const m = await import(${JSON.stringify(moduleUrl)}); process.exitCode = await m.${fn}(JSON.parse(process.argv[1]));`;
  return new Promise((resolve) => {
    const env = creds ? credEnv(creds) : noCredEnv();
    execFile(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(args)], { env: { ...env, ...extraEnv }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 99) : 0;
        resolve({ code, stdout, stderr });
      });
  });
}

/** `gatehouse audit ARGS` in a child process with these credentials in the environment (the SDK's chain). */
export const runAudit = (args: readonly string[], creds: Creds): Promise<RunResult> => runModule(CLI_AUDIT, 'audit', args, creds);
/** `gatehouse audit ARGS` with no credentials in the environment, and this extra environment (shared files). */
export const runAuditWithEnv = (args: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> => runModule(CLI_AUDIT, 'audit', args, null, env);
/** `gatehouse mfa enforce ARGS`, likewise. */
export const runEnforce = (args: readonly string[], creds: Creds): Promise<RunResult> => runModule(CLI_ENFORCE, 'mfaEnforce', args, creds);

/** The real binary (works once src/cli/main dispatches `audit` and `mfa enforce`). */
export function runBin(args: readonly string[], creds: Creds): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: credEnv(creds), timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}

// ---- a small JSON Schema validator (the subset audit-report.schema.json uses) ----

type Schema = { readonly [k: string]: unknown };
const isObj = (v: unknown): v is { readonly [k: string]: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v);

export function loadReportSchema(): Schema {
  const parsed: unknown = JSON.parse(readFileSync(sourcePath('src', 'audit', 'audit-report.schema.json'), 'utf8'));
  if (!isObj(parsed)) throw new Error('schema is not an object');
  return parsed;
}

function typeOk(t: string, v: unknown): boolean {
  switch (t) {
    case 'object': return isObj(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'integer': return Number.isInteger(v);
    case 'boolean': return typeof v === 'boolean';
    case 'null': return v === null;
    default: throw new Error(`schema type ${t} not supported`);
  }
}

/** Every violation as "path: message"; an empty list means valid. Supports the keywords the report schema uses. */
export function validate(schema: Schema, value: unknown, root: Schema = schema, path = '$'): string[] {
  const errs: string[] = [];
  if (typeof schema['$ref'] === 'string') {
    const ref = schema['$ref'];
    const m = /^#\/\$defs\/(.+)$/.exec(ref);
    const defs = root['$defs'];
    const target = m && isObj(defs) ? defs[m[1] ?? ''] : undefined;
    if (!isObj(target)) return [`${path}: unresolved $ref ${ref}`];
    return validate(target, value, root, path);
  }
  const known = new Set(['$schema', '$id', 'title', 'description', '$defs', 'type', 'required', 'additionalProperties', 'properties', 'items', 'enum', 'const',
    'pattern', 'minimum', 'maximum', 'minLength', 'oneOf', 'format', '$ref']);
  for (const k of Object.keys(schema)) if (!known.has(k)) throw new Error(`schema keyword ${k} not supported`);
  const t = schema['type'];
  if (t !== undefined) {
    const types = Array.isArray(t) ? t.map(String) : [String(t)];
    if (!types.some((x) => typeOk(x, value))) return [`${path}: expected ${types.join('|')}, got ${JSON.stringify(value)?.slice(0, 60)}`];
  }
  if ('const' in schema && JSON.stringify(schema['const']) !== JSON.stringify(value)) errs.push(`${path}: expected ${JSON.stringify(schema['const'])}`);
  const en = schema['enum'];
  if (Array.isArray(en) && !en.some((e) => JSON.stringify(e) === JSON.stringify(value))) errs.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(en)}`);
  if (typeof value === 'string') {
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) errs.push(`${path}: ${JSON.stringify(value)} does not match ${schema['pattern']}`);
    if (typeof schema['minLength'] === 'number' && value.length < schema['minLength']) errs.push(`${path}: shorter than ${schema['minLength']}`);
  }
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) errs.push(`${path}: below ${schema['minimum']}`);
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) errs.push(`${path}: above ${schema['maximum']}`);
  }
  const oneOf = schema['oneOf'];
  if (Array.isArray(oneOf)) {
    const ok = oneOf.filter((s) => isObj(s) && validate(s, value, root, path).length === 0).length;
    if (ok !== 1) errs.push(`${path}: matches ${ok} of the oneOf alternatives, not exactly 1`);
  }
  if (isObj(value)) {
    const req = schema['required'];
    if (Array.isArray(req)) for (const r of req) if (typeof r === 'string' && !(r in value)) errs.push(`${path}: missing ${r}`);
    const props = isObj(schema['properties']) ? schema['properties'] : {};
    const extra = schema['additionalProperties'];
    for (const [k, v] of Object.entries(value)) {
      const p = props[k];
      if (isObj(p)) errs.push(...validate(p, v, root, `${path}.${k}`));
      else if (extra === false) errs.push(`${path}: unexpected property ${k}`);
      else if (isObj(extra)) errs.push(...validate(extra, v, root, `${path}.${k}`));
    }
  }
  if (Array.isArray(value) && isObj(schema['items'])) {
    const items = schema['items'];
    value.forEach((v, i) => errs.push(...validate(items, v, root, `${path}[${i}]`)));
  }
  return errs;
}

// ---- moto_server ----

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface Moto { readonly endpoint: string; readonly pid: number; stop(): Promise<void> }

/** The command that starts moto_server on this machine, or null when moto is not installed. */
export function motoCommand(): string[] | null {
  for (const cmd of [['moto_server'], ['python3', '-m', 'moto.server']]) {
    try {
      const r = spawnSyncQuiet(cmd[0] ?? '', [...cmd.slice(1), '--help']);
      if (r) return cmd;
    } catch { /* next */ }
  }
  return null;
}
function spawnSyncQuiet(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
  return r.status === 0;
}

export async function startMoto(cmd: readonly string[]): Promise<Moto> {
  const port = await freePort();
  const child: ChildProcess = spawn(cmd[0] ?? 'moto_server', [...cmd.slice(1), '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(`${endpoint}/moto-api/`);
      if (r.status < 500) break;
    } catch { /* not yet */ }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`moto_server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid ?? 0;
  return {
    endpoint, pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      process.kill(pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
      if (child.exitCode === null && child.signalCode === null) { process.kill(pid, 'SIGKILL'); await exited; }
    },
  };
}

// ---- seeding through the API ----

export const iamClient = (endpoint: string, creds: Creds): I.IAMClient =>
  new I.IAMClient({ ...SDK_TEST_CONFIG, endpoint, credentials: creds });

export const totp = (base32: string, tMs: number): string =>
  new TOTP({ secret: Secret.fromBase32(base32), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: tMs });

/** Create a virtual device named after the user, enable it with two consecutive codes; returns serial and seed. */
export async function enrolVirtual(c: I.IAMClient, userName: string, deviceName = userName): Promise<{ serial: string; seed: string }> {
  const v = await c.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }));
  const serial = v.VirtualMFADevice?.SerialNumber ?? '';
  const seed = Buffer.from(v.VirtualMFADevice?.Base32StringSeed ?? new Uint8Array()).toString('utf8');
  const t = Date.now() - 60_000;
  await c.send(new I.EnableMFADeviceCommand({ UserName: userName, SerialNumber: serial, AuthenticationCode1: totp(seed, t), AuthenticationCode2: totp(seed, t + 30_000) }));
  return { serial, seed };
}

export async function createUser(c: I.IAMClient, userName: string, o: { password?: boolean; key?: boolean } = {}): Promise<Creds | null> {
  await c.send(new I.CreateUserCommand({ UserName: userName }));
  if (o.password) await c.send(new I.CreateLoginProfileCommand({ UserName: userName, Password: 'Aa1!correct-horse-battery' }));
  if (!o.key) return null;
  const k = await c.send(new I.CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: k.AccessKey?.AccessKeyId ?? '', secretAccessKey: k.AccessKey?.SecretAccessKey ?? '' };
}

export interface ParsedFinding { readonly check: string; readonly status: string; readonly severity: string; readonly resource: string; readonly reason: string; readonly credit: number }

/** The report's findings, typed at the boundary (the schema test validates the whole document). */
export function findingsOf(report: unknown): ParsedFinding[] {
  if (!isObj(report) || !Array.isArray(report['findings'])) throw new Error('not an audit report');
  return report['findings'].map((f: unknown) => {
    if (!isObj(f)) throw new Error('finding is not an object');
    const s = (k: string): string => { const v = f[k]; if (typeof v !== 'string') throw new Error(`finding.${k} is not a string`); return v; };
    const credit = f['credit'];
    return { check: s('check'), status: s('status'), severity: s('severity'), resource: s('resource'), reason: s('reason'), credit: typeof credit === 'number' ? credit : NaN };
  });
}

/** One finding by check and resource suffix (user/NAME or :root); throws if absent or ambiguous. */
export function one(findings: readonly ParsedFinding[], check: string, resourceSuffix: string): ParsedFinding {
  const m = findings.filter((f) => f.check === check && f.resource.endsWith(resourceSuffix));
  if (m.length !== 1) throw new Error(`expected one ${check} finding for …${resourceSuffix}, found ${m.length}`);
  return m[0] as ParsedFinding; // length checked just above
}

// ---- the score, recomputed independently of src/audit (docs/audit.md's table) ----

const DOC_WEIGHTS: Readonly<Record<string, readonly [number, number]>> = {
  // check: [weight, risk]
  'root-account-mfa-enabled': [1000, 5], 'root-account-hardware-mfa-enabled': [1000, 4], 'iam-root-access-key-check': [1000, 5],
  'root-account-recent-use': [1000, 4], 'mfa-enabled-for-iam-console-access': [100, 4], 'iam-user-mfa-enabled': [100, 3],
  'access-keys-rotated': [100, 3], 'iam-admin-mfa-enabled': [300, 5], 'iam-admin-hardware-mfa-enabled': [300, 3],
  'iam-user-console-access-unused': [100, 3], 'iam-user-mfa-enforced': [100, 4],
};

/** docs/audit.md: 100 × Σ credit × weight × (1 + 0.25 × risk) / Σ weight × (1 + 0.25 × risk) over PASS and FAIL, rounded to 0.1. */
export function expectedScore(findings: readonly { check: string; status: string; credit: number }[]): number | null {
  let earned = 0;
  let possible = 0;
  for (const f of findings) {
    if (f.status !== 'PASS' && f.status !== 'FAIL') continue;
    const w = DOC_WEIGHTS[f.check];
    if (!w) throw new Error(`no documented weight for ${f.check}`);
    const weight = w[0] * (1 + 0.25 * w[1]);
    earned += (f.status === 'PASS' ? f.credit : 0) * weight;
    possible += weight;
  }
  return possible ? Math.round((1000 * earned) / possible) / 10 : null;
}

/** The score field of a parsed report. */
export function scoreOf(report: unknown): number | null {
  if (!isObj(report) || !isObj(report['score'])) throw new Error('no score');
  const v = report['score']['value'];
  if (v !== null && typeof v !== 'number') throw new Error('score.value is not a number');
  return v;
}

// ---- a throttling proxy: answers every Nth request with AWS's Throttling error, forwards the rest unchanged ----

export interface ThrottlingProxy { readonly endpoint: string; readonly throttled: () => number; readonly forwarded: () => number; close(): Promise<void> }

/** SigV4 signs the Host header, so the proxy forwards it as received and the target verifies the same signature. */
export async function throttlingProxy(target: string, every: number): Promise<ThrottlingProxy> {
  const t = new URL(target);
  let n = 0;
  let throttled = 0;
  let forwarded = 0;
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (++n % every === 0) {
        throttled++;
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end('<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>');
        return;
      }
      forwarded++;
      const up = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => { res.writeHead(502); res.end(); });
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`, throttled: () => throttled, forwarded: () => forwarded,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** `gatehouse audit ARGS` with stdout and stderr on a pseudo-terminal (Python's pty), the whole output as bytes seen. */
export function runAuditOnTerminal(args: readonly string[], creds: Creds): Promise<RunResult> {
  const script = `const m = await import(${JSON.stringify(CLI_AUDIT)}); process.exitCode = await m.audit(JSON.parse(process.argv[1]));`;
  const py = 'import pty, sys, os\nst = pty.spawn(sys.argv[1:])\nsys.exit(os.waitstatus_to_exitcode(st))';
  return new Promise((resolve) => {
    execFile('python3', ['-c', py, process.execPath, '--input-type=module', '-e', script, JSON.stringify(args)], { env: credEnv(creds), timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr }));
  });
}
