// Starts a real Gatehouse process for a test: its own data folder and, when GATEHOUSE_TEST_STORE=postgres,
// its own throwaway PostgreSQL database (dropped on stop). Stops what it started, by process id.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

import pg from 'pg';
import { openDatabase } from '../../src/store/index.js';
import type { Db } from '../../src/store/db.js';

const BIN = new URL('../../bin/gatehouse.js', import.meta.url).pathname;
export const STORE = process.env.GATEHOUSE_TEST_STORE ?? 'sqlite';
export const PG_ADMIN_URL = process.env.GATEHOUSE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A throwaway PostgreSQL database: its URL, and drop() to remove it. */
export interface PgDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Access keys as the SDK clients, the signer and the CLI environment take them. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** DATA/bootstrap.json as the server writes it on first start (src/server/app recordBootstrap). */
export interface Bootstrap {
  accountId: string;
  endpoint: string;
  root: { email: string; password: string };
  admin: { userName: string; accessKeyId: string; secretAccessKey: string };
}

/** How a stopped process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartOptions {
  /** reuse a data folder (restart) */
  dataDir?: string | undefined;
  /** reuse a database (restart, or several nodes) */
  databaseUrl?: string | undefined;
  /** SQLite even when GATEHOUSE_TEST_STORE=postgres */
  sqlite?: boolean | undefined;
  /** extra serve flags */
  args?: readonly string[] | undefined;
  /** extra environment */
  env?: NodeJS.ProcessEnv | undefined;
  /**
   * The account's MFA settings for console sign-in, set with `gatehouse settings set` once the node listens (e.g.
   * ['without-device=allow']: users without an MFA device sign in without one, as before issue 10's default).
   */
  signinSettings?: readonly string[] | undefined;
}

/** A running Gatehouse process started by startGatehouse. */
export interface GatehouseNode {
  endpoint: string;
  dataDir: string;
  databaseUrl: string | undefined;
  pid: number;
  bootstrap: Bootstrap;
  accountId: string;
  admin: Credentials;
  readonly stdout: string;
  readonly stderr: string;
  exited: Promise<Exit>;
  /** SIGTERM and wait; keep the data unless asked. Resolves how it ended, or null when SIGKILL was needed. */
  stop(opts?: { keepData?: boolean }): Promise<Exit | null>;
  kill9(): Promise<Exit>;
  cleanup(): Promise<void>;
}

export async function createPgDatabase(): Promise<PgDatabase> {
  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function startGatehouse(opts: StartOptions = {}): Promise<GatehouseNode> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  let database: PgDatabase | null = null;
  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl && STORE === 'postgres' && !opts.sqlite) {
    database = await createPgDatabase();
    databaseUrl = database.url;
  }
  const args = [BIN, 'serve', '--port', '0', '--data', dataDir, ...(databaseUrl ? ['--database', databaseUrl] : []), ...(opts.args ?? [])];
  const child = spawn(process.execPath, args, {
    // The continuous audit is off unless a test turns it on: its runs would generate credential reports and add
    // requests that other tests do not expect (test/e2e/audit-monitor*.test.ts turn it on).
    env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn', GATEHOUSE_AUDIT_INTERVAL: 'off', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d; });
  const endpoint = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`gatehouse did not start in 20 s: ${stdout}${stderr}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      const m = /listening on (https?:\/\/\S+)/.exec(stdout);
      if (m?.[1]) { clearTimeout(timer); ok(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); fail(new Error(`gatehouse exited with ${code}: ${stdout}${stderr}`)); });
  });
  child.removeAllListeners('exit');
  const pid = child.pid;
  if (pid === undefined) throw new Error('gatehouse is listening but has no process id'); // spawned, so it has one
  // The file the server just wrote (recordBootstrap): its shape is the Bootstrap interface.
  const bootstrap = JSON.parse(readFileSync(join(dataDir, 'bootstrap.json'), 'utf8')) as Bootstrap;
  const exited = new Promise<Exit>((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  const node: GatehouseNode = {
    endpoint,
    dataDir,
    databaseUrl,
    pid,
    bootstrap,
    accountId: bootstrap.accountId,
    admin: { accessKeyId: bootstrap.admin.accessKeyId, secretAccessKey: bootstrap.admin.secretAccessKey },
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    exited,
    /** SIGTERM and wait; keep the data unless asked. */
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGTERM');
      const result = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 15_000).unref())]);
      if (result === null) { process.kill(pid, 'SIGKILL'); await exited; }
      if (!keepData) await node.cleanup();
      return result;
    },
    async kill9() {
      process.kill(pid, 'SIGKILL');
      return exited;
    },
    async cleanup() {
      if (database) await database.drop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (opts.signinSettings?.length) {
    try { await setSigninSettings(node, ...opts.signinSettings); } catch (e) { await node.stop(); throw e; }
  }
  return node;
}

/** `gatehouse settings set KEY=VALUE…` on the node's store: the account's MFA settings, applied at the next sign-in. */
export function setSigninSettings(node: Pick<GatehouseNode, 'dataDir' | 'databaseUrl'>, ...pairs: string[]): Promise<void> {
  const args = [BIN, 'settings', 'set', ...pairs, '--data', node.dataDir, ...(node.databaseUrl ? ['--database', node.databaseUrl] : [])];
  return new Promise((ok, fail) => {
    execFile(process.execPath, args, { encoding: 'utf8', timeout: 30_000, env: { ...process.env, GATEHOUSE_MASTER_KEY: '' } }, (err, _stdout, stderr) => {
      if (err) fail(new Error(`gatehouse settings set ${pairs.join(' ')} failed: ${stderr}`)); else ok();
    });
  });
}

export function haveCommand(cmd: string, args: readonly string[] = ['--version']): boolean {
  try { execFileSync(cmd, args, { stdio: 'ignore' }); return true; } catch { return false; }
}

/** Why a two-node test is skipped, or false: several nodes need one shared PostgreSQL database. */
export const MULTINODE_SKIP: string | false = STORE === 'postgres' ? false : 'needs PostgreSQL (GATEHOUSE_TEST_STORE=postgres): SQLite serves one node';

/**
 * Two Gatehouse processes on one throwaway PostgreSQL database with the same master key (the second reads the
 * first's data folder). stop() stops both and drops the database. opts.env: extra environment for both.
 */
export interface TwoNodes {
  a: GatehouseNode;
  b: GatehouseNode;
  database: PgDatabase;
  stop(): Promise<void>;
}

export async function startTwoNodes(opts: { env?: NodeJS.ProcessEnv | undefined } = {}): Promise<TwoNodes> {
  const database = await createPgDatabase();
  const a = await startGatehouse({ databaseUrl: database.url, env: opts.env });
  const b = await startGatehouse({ databaseUrl: database.url, dataDir: a.dataDir, env: opts.env });
  return {
    a, b, database,
    async stop() {
      await b.stop({ keepData: true });
      await a.stop();
      await database.drop();
    },
  };
}

/** Whether PostgreSQL answers at PG_ADMIN_URL; a reason to skip when it does not (CI fails instead: see tools.ts). */
export async function pgUnreachable(): Promise<string | false> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  try { await c.connect(); return false; } catch { return `no PostgreSQL at ${PG_ADMIN_URL}`; } finally { await c.end().catch(() => {}); }
}

/** Runs fn against a fresh, migrated store of the given kind (a temporary SQLite file or PostgreSQL database), then removes it. */
export async function withStore(kind: 'sqlite' | 'postgres', fn: (db: Db) => Promise<void>): Promise<void> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-store-'));
    const db = await openDatabase({ dataDir: dir });
    try { await fn(db); } finally { await db.close(); rmSync(dir, { recursive: true, force: true }); }
    return;
  }
  const database = await createPgDatabase();
  const db = await openDatabase({ databaseUrl: database.url });
  try { await fn(db); } finally { await db.close(); await database.drop(); }
}
