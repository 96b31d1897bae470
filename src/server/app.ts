// Wires the pieces together and serves HTTP: the AWS endpoint on every path but /healthz.
import http from 'node:http';
import https from 'node:https';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from 'pino';
import { ensurePrivateDir, openDatabase } from '../store/index.js';
import { IamStore } from '../store/iam-store.js';
import { MfaStore } from '../store/mfa-store.js';
import { SessionStore } from '../store/session-store.js';
import { openMasterKey } from '../store/secrets.js';
import { createAwsEndpoint } from '../aws/endpoint.js';
import { iamHandlers } from '../iam/index.js';
import { stsHandlers } from '../sts/index.js';
import { bootstrap } from '../iam/bootstrap.js';
import { createCredentialResolver } from '../iam/principals.js';
import { createAuthorizer } from '../authz/authorizer.js';
import { createKeyUsageLog } from '../iam/key-usage.js';
import { parseTrustedProxies, requestSource } from './trust-proxy.js';
import { AwsError } from '../aws/errors.js';
import { serializeError } from '../aws/xml.js';
import { services } from '../aws/model.js';
import { createConsole } from '../console/index.js';
import { smtpMailer } from '../signin/mailer.js';
import { createMonitoring } from './monitoring.js';
import { createEventHistory } from './event-history.js';
import { createCloudTrailEndpoint, isCloudTrailRequest } from '../aws/cloudtrail-endpoint.js';
import type { EventRecorder } from '../events/recorder.js';
import { countEventsLost, countRequest, enableMetrics, reportEventBacklog, startMetricsServer } from './metrics.js';
import { createLogger } from './logging.js';
import type { MetricsServer, ServiceLabel } from './metrics.js';
import type { RequestOutcome } from '../aws/endpoint.js';
import type { ServiceName } from '../aws/model.js';
import type { SigV4Auth } from '../aws/sigv4.js';
import type { BootstrapResult } from '../iam/bootstrap.js';
import type { ResolvedCredential } from '../iam/principals.js';
import type { OperationContext, Principal, ServerConfig } from '../iam/context.js';
import type { Db } from '../store/db.js';
import type { SecretBox } from '../store/secrets.js';

/** The sender of emailed sign-in codes when --smtp-from is not set. */
export const DEFAULT_SMTP_FROM = 'Gatehouse <gatehouse@localhost>';

/** The server's configuration, plus the logger a caller may hand in (default: pino at config.logLevel). */
export interface AppConfig extends ServerConfig {
  readonly logger?: Logger | undefined;
  /** A cluster worker: its primary serves the metrics of all workers (prom-client's AggregatorRegistry). */
  readonly metricsByPrimary?: boolean | undefined;
}

/** What the server writes back: the endpoint's response, or its own (a body too large). */
interface Reply {
  readonly status: number;
  readonly headers: http.OutgoingHttpHeaders;
  readonly body: string;
  readonly stream?: { readonly chunks: AsyncIterable<string>; readonly tail: string } | undefined;
  readonly outcome?: RequestOutcome | undefined;
}

/**
 * Writes a streamed reply (src/aws/streamed-blob.ts): body, the chunks as they come (waiting for the socket to drain
 * so memory holds about one chunk), then tail. A source that fails mid-way cannot change the status any more: the
 * connection is destroyed, so the client sees a truncated response, never a wrong one.
 */
function drainedOrClosed(res: http.ServerResponse): Promise<void> {
  return new Promise((ok) => {
    const done = (): void => { res.off('drain', done); res.off('close', done); ok(); };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function writeStreamed(res: http.ServerResponse, body: string, stream: NonNullable<Reply['stream']>): Promise<void> {
  try {
    res.write(body);
    let sinceTurn = 0;
    for await (const chunk of stream.chunks) {
      if (!res.write(chunk)) await drainedOrClosed(res);
      if (res.destroyed) return; // the client went away: stop reading the source
      // A turn of the event loop every 256 KiB: on loopback the socket takes each chunk at once and 'drain' comes on
      // the same tick, so a 33 MB report went out in one go while every other request waited (~0.1 s).
      sinceTurn += chunk.length;
      if (sinceTurn >= 262_144) { sinceTurn = 0; await nextTurn(); }
    }
    res.end(stream.tail);
  } catch (e) {
    res.destroy();
    throw e;
  }
}

/** An opened store, ready to serve. */
export interface PreparedStore {
  readonly dataDir: string;
  readonly db: Db;
  readonly secrets: SecretBox;
  readonly store: IamStore;
  readonly boot: BootstrapResult;
}

/** A running server. */
export interface StartedServer {
  readonly server: http.Server | https.Server;
  readonly endpoint: string;
  /** The URL users reach: --public-url, else http(s)://localhost:PORT. */
  readonly publicUrl: string;
  readonly accountId: string;
  readonly created: boolean;
  readonly bootstrapFile: string;
  readonly dataDir: string;
  readonly db: Db;
  readonly logger: Logger;
  /** The event history's recorder (its stats() are the recording counters). */
  readonly events: EventRecorder;
  /** The metrics URL (…/metrics) when --metrics-address is set. */
  readonly metricsUrl: string | undefined;
  stop(): Promise<void>;
}

// The CLI's --root-email default: the email a new account's root user gets when none is configured.
const DEFAULT_ROOT_EMAIL = 'root@gatehouse.local';

const MAX_BODY = 1024 * 1024;

/** Open (and migrate) the store, load and check the master key, and create the account on first start. */
export async function prepareStore(config: ServerConfig): Promise<PreparedStore> {
  const dataDir = resolve(config.dataDir);
  ensurePrivateDir(dataDir);
  const db = await openDatabase({ dataDir, databaseUrl: config.databaseUrl });
  try {
    const secrets = await openMasterKey(db, dataDir, config.masterKey);
    const store = new IamStore(db);
    const boot = await bootstrap({ db, store, secrets, accountId: config.accountId, rootEmail: config.rootEmail ?? DEFAULT_ROOT_EMAIL });
    return { dataDir, db, secrets, store, boot };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}

/**
 * --public-url: an absolute http(s) URL without path, query or fragment (the console's sign-in link and WebAuthn's
 * RP ID and origin come from it). Returns it without a trailing slash.
 */
export function checkPublicUrl(value: string): string {
  let u: URL;
  try { u = new URL(value); } catch { throw new Error(`--public-url must be an absolute URL such as https://iam.example.com, got '${value}'`); }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`--public-url must be http:// or https://, got '${value}'`);
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash || u.username || u.password) {
    throw new Error(`--public-url is the server's origin only (scheme, host, port), without a path, query or credentials: got '${value}'`);
  }
  return u.origin;
}

/** The PEM certificate and key of --tls-cert/--tls-key, or null to serve plain HTTP. */
export function loadTls(config: Pick<ServerConfig, 'tlsCert' | 'tlsKey'>): { cert: Buffer; key: Buffer } | null {
  if (!config.tlsCert && !config.tlsKey) return null;
  if (!config.tlsCert || !config.tlsKey) throw new Error('--tls-cert and --tls-key go together: give both files to serve HTTPS');
  const read = (file: string, flag: string): Buffer => {
    try { return readFileSync(file); } catch (e) { throw new Error(`cannot read ${flag} ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`); } // fs errors carry a code
  };
  return { cert: read(config.tlsCert, '--tls-cert'), key: read(config.tlsKey, '--tls-key') };
}

/** bootstrap.json: written once with the credentials (0600); later starts only follow the endpoint. */
export function recordBootstrap(dataDir: string, boot: BootstrapResult, endpointUrl: string): string {
  const file = join(dataDir, 'bootstrap.json');
  if (boot.created) {
    const doc = { accountId: boot.accountId, endpoint: endpointUrl, root: boot.root, admin: boot.admin };
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  } else if (existsSync(file)) {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>; // our own bootstrap.json: an object
    if (doc.endpoint !== endpointUrl) writeFileSync(file, `${JSON.stringify({ ...doc, endpoint: endpointUrl }, null, 2)}\n`, { mode: 0o600 });
  }
  return file;
}

export async function startServer(config: AppConfig): Promise<StartedServer> {
  const logger = config.logger ?? createLogger(config.logLevel, config.logFormat);
  const trustedProxies = parseTrustedProxies(config.trustProxy);
  const tls = loadTls(config);
  const configuredPublicUrl = config.publicUrl === undefined ? undefined : checkPublicUrl(config.publicUrl);
  // Known once the server listens (the port may be picked by the system).
  let publicUrl = configuredPublicUrl ?? '';
  const { dataDir, db, secrets, store, boot } = await prepareStore(config);
  const mfaStore = new MfaStore(db);
  const sessions = new SessionStore(db);
  const credentials = createCredentialResolver({ store, sessions, secrets });
  const authorize = createAuthorizer({ store });
  // The continuous audit (issue 11): the same checks as `gatehouse audit`, through this endpoint, in process.
  const monitoring = createMonitoring({ db, store, accountId: boot.accountId, config, logger });

  // Last-used dates (GetAccessKeyLastUsed, the credential report) are recorded in memory and written in batches
  // (src/iam/key-usage.ts): never a write on the request path. Only long-term keys have a last-used record
  // (temporary ASIA keys have none), so only they are recorded.
  const keyUsage = createKeyUsageLog(store, logger);
  function onAuthenticated(auth: SigV4Auth, principal: Principal, service: ServiceName): void {
    if (principal.session || monitoring.selfAudit.owns(auth.accessKeyId)) return;
    keyUsage.record(auth.accessKeyId, Date.now(), service, auth.region);
  }

  // The event history (issue 13): every answered call, sign-in and lock, recorded off the request's path.
  const history = await createEventHistory({ db, store, config, logger });
  const events = history.recorder;

  async function makeContext(principal: Principal, requestId: string, credential: ResolvedCredential): Promise<OperationContext> {
    const account = credential.account ?? await store.getAccount(principal.accountId);
    // A credential always comes with its account; without one the request cannot run (an internal failure).
    if (!account) throw new Error(`account ${principal.accountId} of access key ${principal.accessKeyId} not found`);
    return {
      db, store, mfaStore, sessions, secrets, account, principal, config, logger, events,
      now: new Date(),
      requestId,
      onCredentialChange: (id: string) => credentials.forget(id),
      keyUsage,
    };
  }

  const endpoint = createAwsEndpoint({
    resolveCredential: (id, auth) => (monitoring.selfAudit.owns(id) ? monitoring.selfAudit.credential() : credentials.resolve(id, auth)),
    authorize,
    handlers: { iam: monitoring.watch(iamHandlers), sts: stsHandlers },
    onAuthenticated,
    // The server's own audit (src/server/self-audit.ts) is not a principal's call: recording it as root's would trip
    // "root used" detections, so its in-process requests stay out of the history.
    onCompleted: (call, req) => { if (!monitoring.selfAudit.owns(call.auth.accessKeyId)) history.onApiCall(call, req); },
    logger,
    makeContext: (principal, request, credential) => makeContext(principal, request.requestId, credential),
  });
  // CloudTrail LookupEvents (JSON protocol) over the event history, authorised by the same authoriser.
  const cloudtrailEndpoint = createCloudTrailEndpoint({
    resolveCredential: (id, auth) => credentials.resolve(id, auth),
    authorize,
    makeContext,
    lookupEvents: (ctx, input) => history.lookup(ctx, input),
    onCompleted: (call, req) => history.onCloudTrailCall(call, req),
    logger,
  });

  // The web console at /console (issue 9): the same stores, credential resolver and authoriser as the API.
  // Emailed sign-in codes (the account's MFA settings, docs/sign-in.md) go through --smtp-url; none without it.
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.smtpFrom ?? DEFAULT_SMTP_FROM) : null;
  const consoleApp = createConsole({ db, store, mfaStore, sessions, secrets, credentials, authorize, keyUsage, config, logger, publicUrl: () => publicUrl,
    audit: { store: monitoring.auditStore, monitor: monitoring.monitor, changed: monitoring.changed }, history, mailer });

  /** The one log line per request (info) and its metrics: names, codes and timings only, nothing secret. */
  function requestDone(started: bigint, service: ServiceLabel, action: string | undefined, status: number, extra: Omit<Partial<RequestOutcome>, 'service'> & { path?: string }): void {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    countRequest(service, action, status, ms / 1000);
    logger.info({ service, action, principal: extra.principalArn, status, errorCode: extra.errorCode, ms: Math.round(ms * 1000) / 1000, requestId: extra.requestId, path: extra.path }, 'request');
  }

  let inFlight = 0;
  let drained: (() => void) | null = null;
  const listener: http.RequestListener = async (req, res) => {
    inFlight++;
    const started = process.hrtime.bigint();
    try {
      const url = new URL(req.url ?? '/', 'http://localhost'); // always set on a server's request
      if (url.pathname === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status":"ok"}');
        return;
      }
      // This request's reads see every commit made before it arrived (the stores' read cache, db.ts beginRequest).
      const fresh = db.beginRequest();
      const body = await readBody(req);
      await fresh;
      const { sourceIp, secure } = requestSource({
        peer: req.socket.remoteAddress,
        forwardedFor: req.headers['x-forwarded-for'],
        forwardedProto: req.headers['x-forwarded-proto'],
        encrypted: 'encrypted' in req.socket && Boolean(req.socket.encrypted), // a TLSSocket has it
      }, trustedProxies);
      if (consoleApp.owns(url.pathname)) {
        const page = await consoleApp.handle({ method: req.method, url, headers: req.headers, body, sourceIp, secure });
        res.writeHead(page.status, page.headers);
        res.end(req.method === 'HEAD' ? undefined : page.body);
        requestDone(started, 'console', undefined, page.status, { path: url.pathname.slice(0, 200) });
        return;
      }
      const wire = body === null ? null : {
        method: req.method ?? '', // always set on a server's request
        path: url.pathname,
        query: [...url.searchParams],
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body,
        sourceIp,
        secure,
      };
      const cloudtrail = wire !== null && isCloudTrailRequest(req.headers);
      const result: Reply = wire === null
        ? tooLarge()
        : cloudtrail ? await cloudtrailEndpoint.handle(wire) : await endpoint.handle(wire);
      const outcome = result.outcome;
      res.writeHead(result.status, result.headers);
      if (result.stream) await writeStreamed(res, result.body, result.stream);
      else res.end(result.body);
      requestDone(started, outcome?.service ?? 'unknown', outcome?.action, result.status,
        outcome ?? { errorCode: 'RequestEntityTooLarge' });
    } catch (e) {
      logger.error({ err: messageOf(e) }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/xml' });
      res.end();
      requestDone(started, 'unknown', undefined, 500, {});
    } finally {
      inFlight--;
      if (inFlight === 0 && drained) drained();
    }
  };
  // HTTPS directly (--tls-cert/--tls-key), else plain HTTP (or HTTPS ended by a trusted proxy, --trust-proxy).
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, listener) : http.createServer(listener);
  server.keepAliveTimeout = 5000;

  // Expired STS sessions are refused on use; their rows are dropped a day after expiry, hourly, by any node.
  const purge = (): Promise<unknown> => sessions.purgeExpired(Date.now()).catch((e: unknown) => logger.warn({ err: messageOf(e) }, 'could not purge expired sessions'));
  const purgeTimer = setInterval(purge, 3600_000);
  purgeTimer.unref();

  const port = config.port ?? 4555;
  const host = config.host ?? '127.0.0.1';
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, host, ok);
    });
  } catch (e) {
    // Nothing may keep the process alive after a failed start (a PostgreSQL pool would): it exits with the reason.
    clearInterval(purgeTimer);
    await monitoring.stop();
    await history.close();
    await keyUsage.close();
    await db.close().catch(() => {});
    throw listenError(e as NodeJS.ErrnoException, host, port); // listen fails with a system error
  }
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server is not listening on a TCP port'); // never: it listens on host:port
  const scheme = tls ? 'https' : 'http';
  const endpointUrl = `${scheme}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  publicUrl = configuredPublicUrl ?? `${scheme}://localhost:${address.port}`;
  const bootstrapFile = recordBootstrap(dataDir, boot, endpointUrl);
  monitoring.start(async (req) => { await db.beginRequest(); return endpoint.handle(req); }); // the server's own audit: a request too

  // Metrics on their own address only (never the public port); a cluster worker's are served by its primary.
  enableMetrics();
  // The event history's backlog and losses, read from its recorder every few seconds.
  let eventsLostSeen = 0;
  const eventStatsTimer = setInterval(() => {
    const st = events.stats();
    reportEventBacklog(st.backlog);
    if (st.lost > eventsLostSeen) { countEventsLost(st.lost - eventsLostSeen); eventsLostSeen = st.lost; }
  }, 5000);
  eventStatsTimer.unref();
  let metrics: MetricsServer | undefined;
  if (config.metricsAddress && !config.metricsByPrimary) {
    try {
      metrics = await startMetricsServer(config.metricsAddress);
    } catch (e) {
      await new Promise<void>((ok) => server.close(() => ok()));
      clearInterval(purgeTimer);
      await db.close().catch(() => {});
      throw e;
    }
  }

  async function stop(): Promise<void> {
    clearInterval(purgeTimer);
    await monitoring.stop();
    clearInterval(eventStatsTimer);
    await metrics?.close();
    // In-flight requests finish; idle keep-alive connections are closed as they become idle.
    await new Promise<void>((ok) => {
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.close(() => { clearInterval(sweep); ok(); });
      server.closeIdleConnections();
      drained = () => server.closeIdleConnections();
    });
    await history.close();
    await keyUsage.close();
    mailer?.close();
    await db.close();
  }

  return { server, endpoint: endpointUrl, publicUrl, accountId: boot.accountId, created: boot.created, bootstrapFile, dataDir, db, logger, events, metricsUrl: metrics?.url, stop };
}

const LISTEN_ERRORS: Readonly<Record<string, string>> = { EADDRINUSE: 'the address is already in use', EACCES: 'permission denied', EADDRNOTAVAIL: 'the address is not available on this machine' };

/** A listen failure in words: which address, and why. */
export function listenError(e: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const why = LISTEN_ERRORS[e.code ?? '']; // any other code: its message
  return new Error(`cannot listen on ${where}: ${why ?? e.message}${why ? ` (${e.code})` : ''}`);
}

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => ok(size > MAX_BODY ? null : Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

function tooLarge(): Reply {
  const e = new AwsError('RequestEntityTooLarge', `Request body larger than ${MAX_BODY} bytes.`, 413);
  return { status: 413, headers: { 'content-type': 'text/xml' }, body: serializeError(services.iam.xmlNamespace, e, 'none') };
}

/** What a rejection or a thrown value says, for the log. */
function messageOf(e: unknown): unknown {
  return (e as { message?: unknown } | null | undefined)?.message; // anything may be thrown: only its message is read
}
