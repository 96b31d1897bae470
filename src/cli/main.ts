// The command line: serve, env, hardware-tokens. Every flag of `serve` also has an environment variable.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Cluster, Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { ServerConfig } from '../iam/context.js';

/** A command's flag: parsed as a string, else read from its environment variable, else its default. */
export interface OptionSpec {
  readonly type: 'string';
  readonly env: string;
  readonly default: string | undefined;
  readonly help: string;
}
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The values of a command's flags: a string where the flag has a default, else possibly undefined; and --help. */
export type OptionValues<O extends OptionSpecs> =
  { readonly [K in keyof O]: O[K]['default'] extends string ? string : string | undefined } & { readonly help: boolean | undefined };

/** The message of whatever was thrown (undefined when it has none). */
export const messageOf = (e: unknown): unknown => (typeof e === 'object' && e !== null && 'message' in e ? e.message : undefined);

const SERVE_OPTIONS = {
  port: { type: 'string', env: 'GATEHOUSE_PORT', default: '4555', help: 'TCP port to listen on (0 picks a free one)' },
  host: { type: 'string', env: 'GATEHOUSE_HOST', default: '127.0.0.1', help: 'address to bind' },
  data: { type: 'string', env: 'GATEHOUSE_DATA', default: './.gatehouse', help: 'data folder: SQLite file, master key, bootstrap.json' },
  database: { type: 'string', env: 'GATEHOUSE_DATABASE_URL', default: undefined, help: 'postgres://… to use PostgreSQL (default: SQLite in the data folder)' },
  'account-id': { type: 'string', env: 'GATEHOUSE_ACCOUNT_ID', default: undefined, help: '12-digit account id for a new store (default: random)' },
  'root-email': { type: 'string', env: 'GATEHOUSE_ROOT_EMAIL', default: 'root@gatehouse.local', help: "root user's email for a new store" },
  'log-level': { type: 'string', env: 'GATEHOUSE_LOG_LEVEL', default: 'info', help: 'fatal, error, warn, info, debug' },
  workers: { type: 'string', env: 'GATEHOUSE_WORKERS', default: '1', help: 'server processes sharing the port (stateless; all state is in the store)' },
  'trust-proxy': { type: 'string', env: 'GATEHOUSE_TRUST_PROXY', default: undefined, help: 'proxies (addresses, CIDR blocks, comma-separated) whose X-Forwarded-For/-Proto set aws:SourceIp and aws:SecureTransport (default: none)' },
  'public-url': { type: 'string', env: 'GATEHOUSE_PUBLIC_URL', default: undefined, help: "the URL users reach, e.g. https://iam.example.com (the console's sign-in link, WebAuthn's RP ID; default http(s)://localhost:PORT)" },
  'tls-cert': { type: 'string', env: 'GATEHOUSE_TLS_CERT', default: undefined, help: 'PEM certificate (chain) file: serve HTTPS directly (with --tls-key)' },
  'tls-key': { type: 'string', env: 'GATEHOUSE_TLS_KEY', default: undefined, help: 'PEM private key file of --tls-cert' },
} as const satisfies OptionSpecs;
type ServeOptions = OptionValues<typeof SERVE_OPTIONS>;

const HELP = `Gatehouse: a self-hosted identity service that speaks the AWS IAM and STS APIs.

Usage:
  gatehouse serve [options]      run the server (see gatehouse serve --help)
  gatehouse env [--data DIR]     print shell exports for the aws CLI from DIR/bootstrap.json
  gatehouse hardware-tokens import FILE | list
                                 manage the hardware TOTP token inventory (see gatehouse hardware-tokens --help)
  gatehouse root-access-key create | list | delete ID
                                 the root user's own access keys (see gatehouse root-access-key --help)
  gatehouse settings [show] | set KEY=VALUE…
                                 the account's MFA settings for console sign-in (see gatehouse settings --help)
  gatehouse audit [options]      MFA and credential compliance of any IAM endpoint, with a score (see gatehouse audit --help)
  gatehouse mfa enforce --group NAME [--create-group] [--users U1,U2 | --all-console-users] [--dry-run]
                                 require MFA for a group's users with AWS's documented policy
  gatehouse --help               this text

Secrets at rest are sealed with GATEHOUSE_MASTER_KEY (32 bytes, hex or base64) or, when it is unset,
with a key file created in the data folder (mode 0600).
`;

function serveHelp(): string {
  const lines = Object.entries(SERVE_OPTIONS).map(([name, o]) =>
    `  --${name.padEnd(12)} ${o.help}${o.default ? ` (default ${o.default})` : ''}\n  ${''.padEnd(14)} env ${o.env}`);
  return `Usage: gatehouse serve [options]

Starts the IAM and STS endpoint. On first start with an empty store it creates an account, its root user and
an "admin" IAM user with an access key, written to DATA/bootstrap.json (mode 0600).

Options:
${lines.join('\n')}
  GATEHOUSE_MASTER_KEY  master key for secrets at rest (default: DATA/master.key)
`;
}

/** Runs a command; the exit code, or undefined for a server that keeps running. */
export async function main(argv: readonly string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  if (command === 'serve') return serve(rest);
  if (command === 'env') return env(rest);
  if (command === 'root-access-key') {
    const { rootAccessKey } = await import('./root-access-key.js');
    return rootAccessKey(rest, optionValues);
  }
  if (command === 'audit') {
    const { audit } = await import('./audit.js');
    return audit(rest);
  }
  if (command === 'mfa' && rest[0] === 'enforce') {
    const { mfaEnforce } = await import('./mfa-enforce.js');
    return mfaEnforce(rest.slice(1));
  }
  if (command === 'settings') {
    const { settings } = await import('./settings.js');
    return settings(rest, optionValues);
  }
  if (command === 'hardware-tokens') {
    const { hardwareTokens } = await import('./hardware-tokens.js');
    return hardwareTokens(rest, optionValues);
  }
  process.stderr.write(`gatehouse: unknown command '${command}'\n\n${HELP}`);
  return 2;
}

/** Flags, then environment variables, then defaults. */
export function optionValues<O extends OptionSpecs>(argv: readonly string[], options: O): OptionValues<O> {
  const flags: NonNullable<ParseArgsConfig['options']> = { ...Object.fromEntries(Object.entries(options).map(([k, o]) => [k, { type: o.type }])), help: { type: 'boolean', short: 'h' } };
  const { values } = parseArgs({ args: argv, options: flags, allowPositionals: true });
  const out: Record<string, unknown> = { help: values['help'] };
  for (const [k, o] of Object.entries(options)) out[k] = values[k] ?? process.env[o.env] ?? o.default;
  return out as OptionValues<O>; // one string-typed flag per key of options, and help, set just above
}

/** A number from an environment variable, as given (the server checks it and falls back to its default). */
const numberFromEnv = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));

function serveConfig(o: ServeOptions, port: number): ServerConfig {
  return {
    port,
    host: o.host,
    dataDir: o.data,
    databaseUrl: o.database,
    accountId: o['account-id'],
    rootEmail: o['root-email'],
    logLevel: o['log-level'],
    masterKey: process.env.GATEHOUSE_MASTER_KEY,
    trustProxy: o['trust-proxy'],
    publicUrl: o['public-url'],
    tlsCert: o['tls-cert'],
    tlsKey: o['tls-key'],
    mfaIssuer: process.env.GATEHOUSE_MFA_ISSUER ?? 'Gatehouse',
    stsSessionsPerMinute: numberFromEnv(process.env.GATEHOUSE_STS_SESSIONS_PER_MINUTE),
    stsMaxLiveSessions: numberFromEnv(process.env.GATEHOUSE_STS_MAX_LIVE_SESSIONS),
  };
}

/** What the banner tells about a started server. */
interface Started { readonly endpoint: string; readonly accountId: string; readonly created: boolean; readonly bootstrapFile: string; readonly dataDir: string }

function banner(o: ServeOptions, { endpoint, accountId, created, bootstrapFile, dataDir }: Started, workers: number): void {
  const store = o.database ? 'PostgreSQL' : `SQLite in ${dataDir}`;
  process.stdout.write(`Gatehouse listening on ${endpoint} (account ${accountId}, ${store}${workers > 1 ? `, ${workers} workers` : ''})
${created ? 'Created a new account. ' : ''}Admin credentials: ${bootstrapFile}
Point the aws CLI at it:
  eval "$(npx gatehouse env --data ${o.data})"
  aws --endpoint-url ${endpoint} iam list-users
`);
}

async function serve(argv: readonly string[]): Promise<number | undefined> {
  const o = optionValues(argv, SERVE_OPTIONS);
  if (o.help) { process.stdout.write(serveHelp()); return 0; }
  let port = Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, got '${o.port}'`);
  if (o['account-id'] !== undefined && !/^\d{12}$/.test(o['account-id'])) throw new Error('--account-id must be 12 digits');
  const { parseTrustedProxies } = await import('../server/trust-proxy.js');
  parseTrustedProxies(o['trust-proxy']); // a bad entry stops here, before anything starts
  const { checkPublicUrl, loadTls } = await import('../server/app.js');
  if (o['public-url'] !== undefined) checkPublicUrl(o['public-url']);
  loadTls(serveConfig(o, port)); // both files or neither, readable, before anything starts
  const workers = Number(o.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error(`--workers must be a number from 1 to 64, got '${o.workers}'`);
  const cluster = (await import('node:cluster')).default;
  if (workers > 1 && cluster.isPrimary) return servePrimary(o, port, workers, cluster);
  if (cluster.isWorker) port = Number(process.env.GATEHOUSE_WORKER_PORT);

  const { startServer } = await import('../server/app.js');
  let app;
  try {
    app = await startServer(serveConfig(o, port));
  } catch (e) {
    if (!cluster.isWorker) throw e;
    // The primary reports it once and stops every worker; this one only says why and leaves.
    process.send!({ type: 'failed', message: messageOf(e) }, () => process.exit(1)); // a cluster worker has its IPC channel
    return undefined;
  }
  if (cluster.isWorker) process.send!({ type: 'listening', endpoint: app.endpoint }); // a cluster worker has its IPC channel
  else banner(o, app, 1);
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => process.exit(1), 25_000);
    force.unref();
    await app.stop();
    app.logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return undefined;
}

/**
 * Several server processes on one port (node:cluster). The primary prepares the store (migrations, first-start
 * bootstrap, bootstrap.json) before any worker starts, so workers never race to create the account; then it only
 * forwards connections, restarts a worker that dies, and on SIGTERM lets every worker drain before exiting.
 */
async function servePrimary(o: ServeOptions, requestedPort: number, workers: number, cluster: Cluster): Promise<undefined> {
  const port = requestedPort || await freePort(o.host);
  const { prepareStore, recordBootstrap } = await import('../server/app.js');
  const config = serveConfig(o, port);
  const prepared = await prepareStore(config);
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  const endpoint = `${config.tlsCert ? 'https' : 'http'}://${host}:${port}`;
  const bootstrapFile = recordBootstrap(prepared.dataDir, prepared.boot, endpoint);
  await prepared.db.close();

  let stopping = false;
  const fork = () => cluster.fork({ GATEHOUSE_WORKER_PORT: String(port) });
  const ready = new Promise<void>((ok, fail) => {
    let up = 0;
    cluster.on('message', (w, msg: { type?: string; message?: string } | null | undefined) => {
      if (msg?.type === 'listening' && ++up === workers) ok();
      if (msg?.type === 'failed' && up < workers) fail(new Error(msg.message));
    });
    cluster.on('exit', (w, code, signal) => {
      if (stopping) return;
      if (up < workers) { fail(new Error(`a worker exited during start-up (${signal ?? code})`)); return; }
      process.stderr.write(`gatehouse: worker ${w.process.pid} exited (${signal ?? code}); starting another\n`);
      fork();
    });
  });
  for (let i = 0; i < workers; i++) fork();
  try {
    await ready;
  } catch (e) {
    // A worker could not start (the port is taken, say): stop the others and exit non-zero with its reason.
    stopping = true;
    await Promise.all(workersOf(cluster).map((w) => new Promise<void>((done) => {
      if (w.isDead()) { done(); return; }
      w.once('exit', done);
      w.process.kill('SIGKILL');
    })));
    throw e;
  }
  banner(o, { endpoint, accountId: prepared.boot.accountId, created: prepared.boot.created, bootstrapFile, dataDir: prepared.dataDir }, workers);

  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    const all = workersOf(cluster);
    let left = all.length;
    if (!left) process.exit(0);
    for (const w of all) {
      w.once('exit', () => { if (--left === 0) process.exit(0); });
      w.process.kill('SIGTERM');
    }
    setTimeout(() => process.exit(1), 30_000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  return undefined;
}

/** The primary's workers (cluster.workers is always set in the primary). */
const workersOf = (cluster: Cluster): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);

async function freePort(host: string): Promise<number> {
  const net = await import('node:net');
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, host, () => { const { port } = s.address() as AddressInfo; s.close(() => ok(port)); }); // a TCP listener's address
  });
}

function env(argv: readonly string[]): number {
  const o = optionValues(argv, { data: SERVE_OPTIONS.data });
  if (o.help) { process.stdout.write('Usage: gatehouse env [--data DIR]\nPrints export lines for AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION and AWS_ENDPOINT_URL.\n'); return 0; }
  const file = join(resolve(o.data), 'bootstrap.json');
  if (!existsSync(file)) throw new Error(`${file} does not exist: start the server once with gatehouse serve --data ${o.data}`);
  const doc: { admin: { accessKeyId: string; secretAccessKey: string }; endpoint: string } = JSON.parse(readFileSync(file, 'utf8'));
  process.stdout.write([
    `export AWS_ACCESS_KEY_ID=${doc.admin.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${doc.admin.secretAccessKey}`,
    'export AWS_DEFAULT_REGION=us-east-1',
    `export AWS_ENDPOINT_URL=${doc.endpoint}`,
    '',
  ].join('\n'));
  return 0;
}
