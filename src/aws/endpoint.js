// The AWS Query endpoint, generic over services: parse → authenticate (SigV4) → resolve the operation →
// validate input against the model → authorise → call the domain handler → serialise. Every failure leaves as
// an AWS error envelope with its status; only a bug in Gatehouse itself becomes a 500.
import { randomUUID } from 'node:crypto';
import { AwsError, toAwsError } from './errors.js';
import { ServiceError } from '../errors.js';
import { resolveService, services } from './model.js';
import { parseForm, parseInput } from './query.js';
import { serializeError, serializeResult } from './xml.js';
import { checkScope, checkTime, parseAuthorization, verifySignature } from './sigv4.js';

/**
 * @param {object} deps
 * @param {(accessKeyId:string, auth:object) => Promise<{secret:string, principal:object, account:object}|null>} deps.resolveCredential
 * @param {(request:object) => Promise<void>} deps.authorize  throws AccessDenied
 * @param {Record<string, Record<string, Function>>} deps.handlers  by service name, then operation name
 * @param {(principal:object, request:object, credential:object) => Promise<object>} deps.makeContext
 * @param {(auth:object, principal:object, service:string) => void} [deps.onAuthenticated]
 * @param {object} deps.logger
 * @param {() => number} [deps.clock]
 */
export function createAwsEndpoint(deps) {
  const clock = deps.clock ?? Date.now;

  /**
   * A stored secret that does not open (a damaged or moved value; a wrong master key is stopped at start) makes
   * the key unusable, not the service: the caller gets InvalidClientTokenId, the log says why.
   */
  async function resolveCredential(auth) {
    try {
      return await deps.resolveCredential(auth.accessKeyId, auth);
    } catch (e) {
      if (e?.code !== 'SECRET_UNREADABLE') throw e;
      deps.logger.error({ accessKeyId: auth.accessKeyId }, 'the secret of this access key does not open under the master key: the key cannot be used');
      throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
    }
  }

  async function handle(req) {
    const requestId = randomUUID();
    let namespace = services.iam.xmlNamespace;
    try {
      refuseRepeatedHeaders(req.rawHeaders);
      const params = collectParams(req);
      const action = params.get('Action');
      const version = params.get('Version');
      const auth = parseAuthorization(req);
      const guess = resolveService(action, version, auth?.service);
      if (guess) namespace = guess.xmlNamespace;
      if (!auth) throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token');
      checkScope(auth, expectedScopeService(guess, version, auth.service));

      const credential = await resolveCredential(auth);
      if (!credential) throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
      checkTime(auth, clock());
      verifySignature(req, auth, credential.secret);

      if (!action) throw new AwsError('MissingAction', 'Missing Action');
      const service = guess;
      if (!service || (version && version !== service.version)) {
        throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`);
      }
      const handler = deps.handlers[service.name]?.[action];
      if (!handler) {
        throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service (${service.name} ${service.version} as served by Gatehouse).`);
      }
      const input = parseInput(service, service.operations[action], params);
      const principal = credential.principal;
      deps.onAuthenticated?.(auth, principal, service.name);
      const request = { service: service.name, action, input, principal, auth, sourceIp: req.sourceIp, secure: req.secure, requestId };
      const ctx = await deps.makeContext(principal, request, credential);
      // The authoriser may hand back a decider (AssumeRole decides against the role it reads): the handler gets
      // a context that carries it; the context itself is never changed.
      const authz = await deps.authorize(ctx, request);
      const output = await handler(authz ? { ...ctx, authz } : ctx, input, request);
      return respond(200, serializeResult(service, action, output, requestId), requestId);
    } catch (e) {
      if (e instanceof ServiceError) e = toAwsError(e);
      else {
        deps.logger.error({ err: { message: e?.message, stack: e?.stack }, requestId }, 'internal error');
        e = new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
      }
      return respond(e.status, serializeError(namespace, e, requestId), requestId);
    }
  }

  return { handle };
}

function respond(status, body, requestId) {
  return { status, headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId }, body };
}

/**
 * The service the credential scope must name: the one that owns the operation. When the operation is unknown
 * (an InvalidAction follows) a scope for IAM or STS passes here; any other service is refused, named by Version.
 */
function expectedScopeService(service, version, scopeService) {
  if (service) return service.name;
  if (scopeService === 'iam' || scopeService === 'sts') return null;
  return version === services.sts.version ? 'sts' : 'iam';
}

// No IAM or STS request needs more: a large SimulatePrincipalPolicy, with 1,000 ActionNames, 1,000 ResourceArns and
// a few dozen ContextEntries, has about 2,100. Each parameter costs a few microseconds, so this bounds the work of
// any request (bench/worst-case.js).
export const MAX_PARAMETERS = 5_000;

// Headers that carry one value. Node keeps the first of repeated Host, Authorization or Content-Type lines and
// drops the rest silently, so what was signed and what is read could differ: refuse the request instead.
const SINGLE_HEADERS = new Set(['host', 'authorization', 'content-type', 'content-length', 'date', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']);

/** @param {string[]} [rawHeaders]  name, value, name, value… as received (http.IncomingMessage.rawHeaders) */
function refuseRepeatedHeaders(rawHeaders) {
  if (!rawHeaders) return;
  const seen = new Set();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (!SINGLE_HEADERS.has(name)) continue;
    if (seen.has(name)) throw new AwsError('InvalidRequest', `The request has more than one ${rawHeaders[i]} header; send exactly one.`, 400);
    seen.add(name);
  }
}

/**
 * Query-string parameters plus, for a form POST, the body's. A parameter may appear once: twice in one place, or
 * in both, is refused rather than resolved one way or the other. At most MAX_PARAMETERS in all, counted as the
 * body is split, so an oversized request is refused before the rest of it is decoded.
 */
function collectParams(req) {
  const params = new Map();
  const inQuery = new Set();
  const add = (k, v, inBody) => {
    const before = params.size;
    params.set(k, v);
    if (params.size === before) {
      const where = !inBody ? 'in the query string' : inQuery.has(k) ? 'in the query string and in the body' : 'in the body';
      const name = k.length > 128 ? `${k.slice(0, 128)}…` : k;
      throw new AwsError('InvalidQueryParameter', `The parameter '${name}' appears more than once (${where}); send each parameter once.`);
    }
    if (params.size > MAX_PARAMETERS) {
      throw new AwsError('InvalidQueryParameter', `The request has more than ${MAX_PARAMETERS} parameters.`);
    }
  };
  for (const [k, v] of req.query) { add(k, v, false); inQuery.add(k); }
  if (req.method === 'POST' && req.body && req.body.length) {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (type && !type.startsWith('application/x-www-form-urlencoded')) {
      throw new AwsError('InvalidParameterValue', `Unsupported Content-Type '${type}': send application/x-www-form-urlencoded.`);
    }
    parseForm(req.body.toString('utf8'), (k, v) => add(k, v, true));
  }
  return params;
}
