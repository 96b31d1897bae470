// Wires the pieces together and serves HTTP: the AWS endpoint on every path but /healthz.
import http from 'node:http';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
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
import { parseTrustedProxies, requestSource } from './trust-proxy.js';
import { AwsError } from '../aws/errors.js';
import { serializeError } from '../aws/xml.js';
import { services } from '../aws/model.js';
import { createConsole } from '../console/index.js';

const MAX_BODY = 1024 * 1024;
const LAST_USED_INTERVAL_MS = 60_000;

/** Open (and migrate) the store, load and check the master key, and create the account on first start. */
export async function prepareStore(config) {
  const dataDir = resolve(config.dataDir);
  ensurePrivateDir(dataDir);
  const db = await openDatabase({ dataDir, databaseUrl: config.databaseUrl });
  try {
    const secrets = await openMasterKey(db, dataDir, config.masterKey);
    const store = new IamStore(db);
    const boot = await bootstrap({ db, store, secrets, accountId: config.accountId, rootEmail: config.rootEmail });
    return { dataDir, db, secrets, store, boot };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}

/** bootstrap.json: written once with the credentials (0600); later starts only follow the endpoint. */
export function recordBootstrap(dataDir, boot, endpointUrl) {
  const file = join(dataDir, 'bootstrap.json');
  if (boot.created) {
    const doc = { accountId: boot.accountId, endpoint: endpointUrl, root: boot.root, admin: boot.admin };
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  } else if (existsSync(file)) {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    if (doc.endpoint !== endpointUrl) writeFileSync(file, `${JSON.stringify({ ...doc, endpoint: endpointUrl }, null, 2)}\n`, { mode: 0o600 });
  }
  return file;
}

export async function startServer(config) {
  const logger = config.logger ?? pino({ level: config.logLevel ?? 'info' });
  const trustedProxies = parseTrustedProxies(config.trustProxy);
  const { dataDir, db, secrets, store, boot } = await prepareStore(config);
  const mfaStore = new MfaStore(db);
  const sessions = new SessionStore(db);
  const credentials = createCredentialResolver({ store, sessions, secrets });
  const authorize = createAuthorizer({ store });

  // Last-used dates are written at most once a minute per key, off the request's critical path.
  // Only long-term keys have a last-used record (temporary ASIA keys have none), so only they are tracked, and the
  // map is bounded: the oldest entry goes past 10,000 keys.
  const lastUsedWritten = new Map();
  function onAuthenticated(auth, principal, service) {
    if (principal.session) return;
    const now = Date.now();
    const prev = lastUsedWritten.get(auth.accessKeyId);
    if (prev && now - prev.at < LAST_USED_INTERVAL_MS && prev.service === service) return;
    lastUsedWritten.delete(auth.accessKeyId);
    if (lastUsedWritten.size >= 10_000) lastUsedWritten.delete(lastUsedWritten.keys().next().value);
    lastUsedWritten.set(auth.accessKeyId, { at: now, service });
    store.markAccessKeyUsed(auth.accessKeyId, new Date(now).toISOString(), service, auth.region)
      .catch((e) => logger.warn({ err: e.message }, 'could not record access key use'));
  }

  const endpoint = createAwsEndpoint({
    resolveCredential: (id, auth) => credentials.resolve(id, auth),
    authorize,
    handlers: { iam: iamHandlers, sts: stsHandlers },
    onAuthenticated,
    logger,
    async makeContext(principal, request, credential) {
      const account = credential.account ?? await store.getAccount(principal.accountId);
      return {
        db, store, mfaStore, sessions, secrets, account, principal, config,
        now: new Date(),
        requestId: request.requestId,
        onCredentialChange: (id) => credentials.forget(id),
      };
    },
  });

  // The web console at /console (issue 9): the same stores, credential resolver and authoriser as the API.
  const consoleApp = createConsole({ db, store, mfaStore, sessions, secrets, credentials, authorize, config, logger });

  let inFlight = 0;
  let drained = null;
  const server = http.createServer(async (req, res) => {
    inFlight++;
    const started = process.hrtime.bigint();
    try {
      const url = new URL(req.url, 'http://localhost');
      if (url.pathname === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status":"ok"}');
        return;
      }
      const body = await readBody(req);
      const { sourceIp, secure } = requestSource({
        peer: req.socket.remoteAddress,
        forwardedFor: req.headers['x-forwarded-for'],
        forwardedProto: req.headers['x-forwarded-proto'],
        encrypted: Boolean(req.socket.encrypted),
      }, trustedProxies);
      if (consoleApp.owns(url.pathname)) {
        const page = await consoleApp.handle({ method: req.method, url, headers: req.headers, body, sourceIp, secure });
        res.writeHead(page.status, page.headers);
        res.end(req.method === 'HEAD' ? undefined : page.body);
        return;
      }
      const result = body === null
        ? tooLarge()
        : await endpoint.handle({
          method: req.method,
          path: url.pathname,
          query: [...url.searchParams],
          headers: req.headers,
          rawHeaders: req.rawHeaders,
          body,
          sourceIp,
          secure,
        });
      res.writeHead(result.status, result.headers);
      res.end(result.body);
      if (logger.isLevelEnabled('debug')) {
        logger.debug({ status: result.status, ms: Number(process.hrtime.bigint() - started) / 1e6, requestId: result.headers['x-amzn-requestid'] }, 'request');
      }
    } catch (e) {
      logger.error({ err: e.message }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/xml' });
      res.end();
    } finally {
      inFlight--;
      if (inFlight === 0 && drained) drained();
    }
  });
  server.keepAliveTimeout = 5000;

  // Expired STS sessions are refused on use; their rows are dropped a day after expiry, hourly, by any node.
  const purge = () => sessions.purgeExpired(Date.now()).catch((e) => logger.warn({ err: e.message }, 'could not purge expired sessions'));
  const purgeTimer = setInterval(purge, 3600_000);
  purgeTimer.unref();

  const port = config.port ?? 4555;
  const host = config.host ?? '127.0.0.1';
  try {
    await new Promise((ok, fail) => {
      server.once('error', fail);
      server.listen(port, host, ok);
    });
  } catch (e) {
    // Nothing may keep the process alive after a failed start (a PostgreSQL pool would): it exits with the reason.
    clearInterval(purgeTimer);
    await db.close().catch(() => {});
    throw listenError(e, host, port);
  }
  const address = server.address();
  const endpointUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  const bootstrapFile = recordBootstrap(dataDir, boot, endpointUrl);

  async function stop() {
    clearInterval(purgeTimer);
    // In-flight requests finish; idle keep-alive connections are closed as they become idle.
    await new Promise((ok) => {
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.close(() => { clearInterval(sweep); ok(); });
      server.closeIdleConnections();
      drained = () => server.closeIdleConnections();
    });
    await db.close();
  }

  return { server, endpoint: endpointUrl, accountId: boot.accountId, created: boot.created, bootstrapFile, dataDir, db, logger, stop };
}

/** A listen failure in words: which address, and why. */
export function listenError(e, host, port) {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const why = { EADDRINUSE: 'the address is already in use', EACCES: 'permission denied', EADDRNOTAVAIL: 'the address is not available on this machine' }[e.code];
  return new Error(`cannot listen on ${where}: ${why ?? e.message}${why ? ` (${e.code})` : ''}`);
}

function readBody(req) {
  return new Promise((ok, fail) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => ok(size > MAX_BODY ? null : Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

function tooLarge() {
  const e = new AwsError('RequestEntityTooLarge', `Request body larger than ${MAX_BODY} bytes.`, 413);
  return { status: 413, headers: { 'content-type': 'text/xml' }, body: serializeError(services.iam.xmlNamespace, e, 'none') };
}
