// The AWS Query endpoint, generic over services: parse → authenticate (SigV4) → resolve the operation →
// validate input against the model → authorise → call the domain handler → serialise. Every failure leaves as
// an AWS error envelope with its status; only a bug in Gatehouse itself becomes a 500.
import { randomUUID } from 'node:crypto';
import { AwsError } from './errors.js';
import { resolveService, services } from './model.js';
import { parseInput } from './query.js';
import { serializeError, serializeResult } from './xml.js';
import { checkTime, parseAuthorization, verifySignature } from './sigv4.js';

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

  async function handle(req) {
    const requestId = randomUUID();
    let namespace = services.iam.xmlNamespace;
    try {
      const params = collectParams(req);
      const action = params.get('Action');
      const version = params.get('Version');
      const auth = parseAuthorization(req);
      const guess = resolveService(action, version, auth?.service);
      if (guess) namespace = guess.xmlNamespace;
      if (!auth) throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token');

      const credential = await deps.resolveCredential(auth.accessKeyId, auth);
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
      await deps.authorize(ctx, request);
      const output = await handler(ctx, input, request);
      return respond(200, serializeResult(service, action, output, requestId), requestId);
    } catch (e) {
      if (!(e instanceof AwsError)) {
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

/** Query-string parameters plus, for a form POST, the body's; the body wins on a clash. */
function collectParams(req) {
  const params = new Map(req.query);
  if (req.method === 'POST' && req.body && req.body.length) {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (type && !type.startsWith('application/x-www-form-urlencoded')) {
      throw new AwsError('InvalidParameterValue', `Unsupported Content-Type '${type}': send application/x-www-form-urlencoded.`);
    }
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.set(k, v);
  }
  return params;
}
