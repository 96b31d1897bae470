// The command line: serve, env, hardware-tokens. Every flag of `serve` also has an environment variable.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Cluster, Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { ServerConfig } from '../iam/context.js';

import { configFileSettings, SETTINGS } from './config.js';
import type { OptionSpecs } from './config.js';
export type { OptionSpec, OptionSpecs } from './config.js';

/** The values of a command's flags: a string where the flag has a default, else possibly undefined; and --help. */
export type OptionValues<O extends OptionSpecs> =
  { readonly [K in keyof O]: O[K]['default'] extends string ? string : string | undefined } & { readonly help: boolean | undefined };

/** The message of whatever was thrown (undefined when it has none). */
export const messageOf = (e: unknown): unknown => (typeof e === 'object' && e !== null && 'message' in e ? e.message : undefined);

const SERVE_OPTIONS = SETTINGS;
type ServeOptions = OptionValues<typeof SERVE_OPTIONS>;

const HELP = `Gatehouse: a self-hosted identity service that speaks the AWS IAM and STS APIs.

Usage:
  gatehouse serve [options]      run the server (see gatehouse serve --help)
  gatehouse env [--data DIR]     print shell exports for the aws CLI from DIR/bootstrap.json
  gatehouse mfa locks [--unlock USER]
                                 list the principals whose MFA codes are locked; lift one's lock
  gatehouse hardware-tokens import FILE | list | remove SERIAL
                                 manage the hardware TOTP token inventory (see gatehouse hardware-tokens --help)
  gatehouse root-access-key create | list | delete ID
                                 the root user's own access keys (see gatehouse root-access-key --help)
  gatehouse settings [show] | set KEY=VALUE…
                                 the account's MFA settings for console sign-in (see gatehouse settings --help)
  gatehouse audit [options]      MFA and credential compliance of any IAM endpoint, with a score (see gatehouse audit --help)
  gatehouse mfa enforce --group NAME [--create-group] [--users U1,U2 | --all-console-users] [--dry-run]
                                 require MFA for a group's users with AWS's documented policy
  gatehouse events [--follow] [--since 1h] [--user NAME] [--event-name NAME]
                                 the event history as CloudTrail JSON lines (see gatehouse events --help)
  gatehouse --help               this text

Every command takes --config FILE (or GATEHOUSE_CONFIG): a TOML file with serve's settings (docs/operations.md).
Precedence: flag, then environment variable, then config file, then default.

Secrets at rest are sealed with GATEHOUSE_MASTER_KEY (32 bytes, hex or base64) or, when it is unset,
with a key file created in the data folder (mode 0600).
`;

function serveHelp(): string {
  const width = Math.max(...Object.keys(SERVE_OPTIONS).map((n) => n.length));
  const lines = Object.entries(SERVE_OPTIONS).map(([name, o]) =>
    `  --${name.padEnd(width)} ${o.help}${o.default ? ` (default ${o.default})` : ''}\n  ${''.padEnd(width + 2)} env ${o.env}`);
  return `Usage: gatehouse serve [options]

Starts the IAM and STS endpoint. On first start with an empty store it creates an account, its root user and
an "admin" IAM user with an access key, written to DATA/bootstrap.json (mode 0600).

Options:
${lines.join('\n')}
  --config                    TOML file with any of the settings above (keys as the flags: port = 4555)
                              env GATEHOUSE_CONFIG
  GATEHOUSE_MASTER_KEY        master key for secrets at rest (default: DATA/master.key; never in the config file)

Precedence: flag, then environment variable, then config file, then default.
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
  if (command === 'mfa' && rest[0] === 'locks') {
    const { mfaLocks } = await import('./mfa-locks.js');
    return mfaLocks(rest.slice(1), optionValues);
  }
  if (command === 'mfa' && rest[0] === 'enforce') {
    const { mfaEnforce } = await import('./mfa-enforce.js');
    return mfaEnforce(rest.slice(1));
  }
  if (command === 'settings') {
    const { settings } = await import('./settings.js');
    return settings(rest, optionValues);
  }
  if (command === 'events') {
    const { events } = await import('./events.js');
    return events(rest);
  }
  if (command === 'hardware-tokens') {
    const { hardwareTokens } = await import('./hardware-tokens.js');
    return hardwareTokens(rest, optionValues);
  }
  process.stderr.write(`gatehouse: unknown command '${command}'\n\n${HELP}`);
  return 2;
}

/** Flags, then environment variables, then the config file (--config or GATEHOUSE_CONFIG), then defaults. */
export function optionValues<O extends OptionSpecs>(argv: readonly string[], options: O): OptionValues<O> {
  const flags: NonNullable<ParseArgsConfig['options']> = { ...Object.fromEntries(Object.entries(options).map(([k, o]) => [k, { type: o.type }])), config: { type: 'string' }, help: { type: 'boolean', short: 'h' } };
  const { values } = parseArgs({ args: argv, options: flags, allowPositionals: true });
  const configFlag = values['config'];
  const file = configFileSettings(typeof configFlag === 'string' ? configFlag : undefined);
  const out: Record<string, unknown> = { help: values['help'] };
  // A command's own option of a setting's name (data, database) reads the setting's key in the file.
  // An empty environment variable counts as unset.
  for (const [k, o] of Object.entries(options)) out[k] = values[k] ?? (process.env[o.env] || undefined) ?? (Object.hasOwn(SETTINGS, k) ? file.get(k) : undefined) ?? o.default;
  return out as OptionValues<O>; // one string-typed flag per key of options, and help, set just above
}

/** A positive whole number setting, checked before anything starts. */
function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got '${value}'`);
  return n;
}

function serveConfig(o: ServeOptions, port: number): ServerConfig {
  return {
    port,
    host: o.host,
    dataDir: o.data,
    databaseUrl: o.database,
    accountId: o['account-id'],
    rootEmail: o['root-email'],
    logLevel: o['log-level'],
    logFormat: o['log-format'],
    masterKey: process.env.GATEHOUSE_MASTER_KEY,
    trustProxy: o['trust-proxy'],
    publicUrl: o['public-url'],
    tlsCert: o['tls-cert'],
    tlsKey: o['tls-key'],
    auditInterval: o['audit-interval'],
    auditDebounce: o['audit-debounce'],
    auditWebhook: o['audit-webhook'],
    eventsFile: o['events-file'],
    eventRetentionDays: Number(o['event-retention-days']),
    metricsAddress: o['metrics-address'],
    smtpUrl: o['smtp-url'],
    smtpFrom: o['smtp-from'],
    mfaIssuer: o['mfa-issuer'],
    stsSessionsPerMinute: positiveInteger('sts-sessions-per-minute', o['sts-sessions-per-minute']),
    stsMaxLiveSessions: positiveInteger('sts-max-live-sessions', o['sts-max-live-sessions']),
    credentialReportMaxAgeSeconds: positiveInteger('credential-report-max-age', o['credential-report-max-age']),
  };
}

/** What the banner tells about a started server. */
interface Started { readonly endpoint: string; readonly accountId: string; readonly created: boolean; readonly bootstrapFile: string; readonly dataDir: string }

function banner(o: ServeOptions, { endpoint, accountId, created, bootstrapFile, dataDir }: Started, workers: number, metricsUrl?: string): void {
  const store = o.database ? 'PostgreSQL' : `SQLite in ${dataDir}`;
  process.stdout.write(`Gatehouse listening on ${endpoint} (account ${accountId}, ${store}${workers > 1 ? `, ${workers} workers` : ''})
${created ? 'Created a new account. ' : ''}Admin credentials: ${bootstrapFile}${metricsUrl ? `\nMetrics: ${metricsUrl}` : ''}
Point the aws CLI at it:
  eval "$(npx gatehouse env --data ${o.data})"
  aws iam list-users
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
  const { checkLogSettings } = await import('../server/logging.js');
  checkLogSettings(o['log-level'], o['log-format']);
  const { parseMetricsAddress } = await import('../server/metrics.js');
  if (o['metrics-address'] !== undefined) parseMetricsAddress(o['metrics-address']);
  serveConfig(o, port); // the numeric settings are checked here
  const { checkPublicUrl, loadTls } = await import('../server/app.js');
  if (o['public-url'] !== undefined) checkPublicUrl(o['public-url']);
  loadTls(serveConfig(o, port)); // both files or neither, readable, before anything starts
  const { monitoringSettings } = await import('../server/monitoring.js');
  monitoringSettings(serveConfig(o, port)); // so does a bad --audit-* value
  if (o['smtp-url'] !== undefined) {
    const { checkSmtpUrl } = await import('../signin/mailer.js');
    checkSmtpUrl(o['smtp-url']); // a bad URL stops here (its credentials never printed)
  }
  const retention = Number(o['event-retention-days']);
  if (!Number.isInteger(retention) || retention < 1 || retention > 3650) throw new Error(`--event-retention-days must be a number from 1 to 3650, got '${o['event-retention-days']}'`);
  const workers = Number(o.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error(`--workers must be a number from 1 to 64, got '${o.workers}'`);
  const cluster = (await import('node:cluster')).default;
  if (workers > 1 && cluster.isPrimary) return servePrimary(o, port, workers, cluster);
  if (cluster.isWorker) port = Number(process.env.GATEHOUSE_WORKER_PORT);

  const { startServer } = await import('../server/app.js');
  let app;
  try {
    app = await startServer({ ...serveConfig(o, port), metricsByPrimary: cluster.isWorker });
  } catch (e) {
    if (!cluster.isWorker) throw e;
    // The primary reports it once and stops every worker; this one only says why and leaves.
    process.send!({ type: 'failed', message: messageOf(e) }, () => process.exit(1)); // a cluster worker has its IPC channel
    return undefined;
  }
  if (cluster.isWorker) process.send!({ type: 'listening', endpoint: app.endpoint }); // a cluster worker has its IPC channel
  else banner(o, app, 1, app.metricsUrl);
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
  // SQLite's events file too (created, in WAL mode, migrated) before any worker starts: workers racing to switch a
  // new file to WAL is "database is locked" for one of them.
  const { eventsDatabaseFile, openEventsFile } = await import('../store/index.js');
  const eventsFile = eventsDatabaseFile({ dataDir: prepared.dataDir, databaseUrl: config.databaseUrl });
  if (eventsFile !== undefined) await (await openEventsFile(eventsFile)).close();

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
  let metricsUrl: string | undefined;
  if (o['metrics-address']) {
    // Every worker counts its own requests; the primary serves their sum (prom-client's AggregatorRegistry).
    const [{ startMetricsServer }, client] = await Promise.all([import('../server/metrics.js'), import('prom-client')]);
    const aggregator = new client.default.AggregatorRegistry();
    const served = await startMetricsServer(o['metrics-address'], async () => ({ contentType: aggregator.contentType, body: await aggregator.clusterMetrics() }));
    metricsUrl = served.url;
  }
  banner(o, { endpoint, accountId: prepared.boot.accountId, created: prepared.boot.created, bootstrapFile, dataDir: prepared.dataDir }, workers, metricsUrl);

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
  if (o.help) {
    process.stdout.write(`Usage: gatehouse env [--data DIR] [--config FILE]
Prints export lines for AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, and AWS_ENDPOINT_URL_IAM and
AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL_CLOUDTRAIL (the service-specific endpoints: other services, such as S3, still reach AWS).
`);
    return 0;
  }
  const file = join(resolve(o.data), 'bootstrap.json');
  if (!existsSync(file)) throw new Error(`${file} does not exist: start the server once with gatehouse serve --data ${o.data}`);
  const doc: { admin: { accessKeyId: string; secretAccessKey: string }; endpoint: string } = JSON.parse(readFileSync(file, 'utf8'));
  process.stdout.write([
    `export AWS_ACCESS_KEY_ID=${doc.admin.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${doc.admin.secretAccessKey}`,
    'export AWS_DEFAULT_REGION=us-east-1',
    `export AWS_ENDPOINT_URL_IAM=${doc.endpoint}`,
    `export AWS_ENDPOINT_URL_STS=${doc.endpoint}`,
    `export AWS_ENDPOINT_URL_CLOUDTRAIL=${doc.endpoint}`,
    '',
  ].join('\n'));
  return 0;
}
