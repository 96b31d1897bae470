// The AWS Query endpoint, generic over services: parse → authenticate (SigV4) → resolve the operation →
// validate input against the model → authorise → call the domain handler → serialise. Every failure leaves as
// an AWS error envelope with its status; only a bug in Gatehouse itself becomes a 500.
import { StreamedBlob, streamedBlobOf } from './streamed-blob.js';
import { randomUUID } from 'node:crypto';
import { AwsError, toAwsError } from './errors.js';
import { ServiceError } from '../errors.js';
import { operationOf, resolveService, services } from './model.js';
import { parseForm, parseInput } from './query.js';
import { serializeError, serializeResult } from './xml.js';
import { checkScope, checkTime, parseAuthorization, verifySignature } from './sigv4.js';
import type { ServiceDescriptor, ServiceName } from './model.js';
import type { SignedRequest, SigV4Auth } from './sigv4.js';
import type { OperationInput, ServiceHandlers, StsHandler, StsOperations } from './handlers.js';
import type { Authorize, AuthzRequest } from '../authz/authorizer.js';
import type { ActionInput } from '../authz/request-context.js';
import type { IamHandlerMap, OperationContext, Principal } from '../iam/context.js';
import type { ResolvedCredential } from '../iam/principals.js';

/** A request as the server hands it over: what SigV4 reads, plus its raw header lines and where it came from. */
export interface WireRequest extends SignedRequest {
  /** name, value, name, value… as received (http.IncomingMessage.rawHeaders) */
  readonly rawHeaders?: readonly string[] | undefined;
  readonly sourceIp: string | undefined;
  readonly secure: boolean;
}

/** What goes back: always an XML body, with its length and the request id. */
export interface WireResponse {
  readonly status: number;
  readonly headers: { readonly 'content-type': string; readonly 'content-length': number; readonly 'x-amzn-requestid': string };
  readonly body: string;
  /** A streamed blob's base64 (streamed-blob.ts): sent after body, then tail; content-length counts all three. */
  readonly stream?: { readonly chunks: AsyncIterable<string>; readonly tail: string } | undefined;
  /** How it ended, for the request log and the metrics (not sent). */
  readonly outcome: RequestOutcome;
}

/**
 * An operation's input as parsed. The authoriser reads the members it knows by name (Tags, PolicyArn, …), which
 * have the same type in every operation that has them.
 */
export type RequestInput = OperationInput & ActionInput;

/** A request once authenticated and parsed: what the authoriser, the context and the handler are given. */
export interface EndpointRequest extends AuthzRequest {
  readonly service: ServiceName;
  readonly input: RequestInput;
  readonly principal: Principal;
  readonly auth: SigV4Auth;
}

/** An answered call of an authenticated principal: its input as parsed (empty when it did not parse), and its output or error. */
export interface CompletedCall {
  readonly service: ServiceName;
  readonly action: string;
  readonly principal: Principal;
  readonly auth: SigV4Auth;
  readonly requestId: string;
  readonly input: object;
  readonly output?: object | undefined;
  readonly error?: { readonly code: string; readonly message: string } | undefined;
}

export type StsHandlerMap = { [K in keyof StsOperations]: StsHandler<K, OperationContext> };

export interface EndpointDeps {
  /** The secret and principal of an access key; null when there is none (or it is not active). */
  readonly resolveCredential: (accessKeyId: string, auth: SigV4Auth) => Promise<ResolvedCredential | null>;
  /** Throws AccessDenied; may hand back a decider for the handler that decides for itself. */
  readonly authorize: Authorize;
  /** By service, then operation name: the operations each service serves. */
  readonly handlers: { readonly iam: Partial<IamHandlerMap>; readonly sts: Partial<StsHandlerMap> };
  readonly makeContext: (principal: Principal, request: EndpointRequest, credential: ResolvedCredential) => Promise<OperationContext>;
  readonly onAuthenticated?: ((auth: SigV4Auth, principal: Principal, service: ServiceName) => void) | undefined;
  /** Every call by an authenticated principal, allowed or not, once answered (the event history records it). */
  readonly onCompleted?: ((call: CompletedCall, req: WireRequest) => void) | undefined;
  readonly logger: Pick<OperationContext['logger'], 'error'>;
  /** Milliseconds since the epoch (tests pass a controlled clock). */
  readonly clock?: (() => number) | undefined;
}

/** How a request ended, as the request log and the metrics see it: names and codes only, nothing secret. */
export interface RequestOutcome {
  /** The service the request was for, when it could be told (CloudTrail's JSON endpoint reports 'cloudtrail'). */
  readonly service: ServiceName | 'cloudtrail' | undefined;
  /** The Action parameter as sent (checked against the model before it becomes a metric label). */
  readonly action: string | undefined;
  readonly status: number;
  /** The AWS error code, when the request failed. */
  readonly errorCode: string | undefined;
  /** The caller's ARN, once the signature was verified. */
  readonly principalArn: string | undefined;
  readonly requestId: string;
}

export function createAwsEndpoint(deps: EndpointDeps): { handle(req: WireRequest): Promise<WireResponse> } {
  const clock = deps.clock ?? Date.now;
  // Looked up by name: each typed handler is a WireHandler (see src/aws/handlers.ts).
  const handlers: Readonly<Record<ServiceName, ServiceHandlers<OperationContext>>> = deps.handlers;

  /**
   * A stored secret that does not open (a damaged or moved value; a wrong master key is stopped at start) makes
   * the key unusable, not the service: the caller gets InvalidClientTokenId, the log says why.
   */
  async function resolveCredential(auth: SigV4Auth): Promise<ResolvedCredential | null> {
    try {
      return await deps.resolveCredential(auth.accessKeyId, auth);
    } catch (e) {
      if (!(typeof e === 'object' && e !== null && 'code' in e && e.code === 'SECRET_UNREADABLE')) throw e;
      deps.logger.error({ accessKeyId: auth.accessKeyId }, 'the secret of this access key does not open under the master key: the key cannot be used');
      throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
    }
  }

  async function handle(req: WireRequest): Promise<WireResponse> {
    const requestId = randomUUID();
    let namespace = services.iam.xmlNamespace;
    let call: Omit<CompletedCall, 'requestId'> | null = null;
    let outcomeService: ServiceName | undefined;
    let outcomeAction: string | undefined;
    let principalArn: string | undefined;
    const done = (response: Omit<WireResponse, 'outcome'>, errorCode?: string): WireResponse =>
      ({ ...response, outcome: { service: outcomeService, action: outcomeAction, status: response.status, errorCode, principalArn, requestId } });
    try {
      refuseRepeatedHeaders(req.rawHeaders);
      const params = collectParams(req);
      const action = params.get('Action');
      outcomeAction = action;
      const version = params.get('Version');
      const auth = parseAuthorization(req);
      const guess = resolveService(action, version, auth?.service);
      if (guess) { namespace = guess.xmlNamespace; outcomeService = guess.name; }
      if (!auth) throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token');
      checkScope(auth, expectedScopeService(guess, version, auth.service));

      const credential = await resolveCredential(auth);
      if (!credential) throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
      checkTime(auth, clock());
      verifySignature(req, auth, credential.secret);
      principalArn = credential.principal.arn;

      if (!action) throw new AwsError('MissingAction', 'Missing Action');
      const service = guess;
      if (!service || (version && version !== service.version)) {
        throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`);
      }
      call = { service: service.name, action, principal: credential.principal, auth, input: {} };
      const handler = handlers[service.name]?.[action];
      if (!handler) {
        throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service (${service.name} ${service.version} as served by Gatehouse).`);
      }
      // The one cast between the wire and the domain: the parser follows this operation's model, which is what the
      // generated input type of its handler describes.
      const input = parseInput(service, operationOf(service, action)!, params) as RequestInput; // resolveService found the operation
      const principal = credential.principal;
      call = { ...call, input };
      deps.onAuthenticated?.(auth, principal, service.name);
      const request: EndpointRequest = { service: service.name, action, input, principal, auth, sourceIp: req.sourceIp, secure: req.secure, requestId };
      const ctx = await deps.makeContext(principal, request, credential);
      // The authoriser may hand back a decider (AssumeRole decides against the role it reads): the handler gets
      // a context that carries it; the context itself is never changed.
      const authz = await deps.authorize(ctx, request);
      const output = await handler(authz ? { ...ctx, authz } : ctx, input, request);
      deps.onCompleted?.({ ...call, requestId, output }, req);
      const xml = serializeResult(service, action, output, requestId);
      const blob = streamedBlobOf(output);
      return done(blob ? respondStreamed(xml, blob, requestId) : respond(200, xml, requestId));
    } catch (thrown) {
      let e: AwsError;
      if (thrown instanceof ServiceError) e = toAwsError(thrown);
      else {
        const err = thrown as { message?: unknown; stack?: unknown } | null | undefined; // anything thrown: logged as it is
        deps.logger.error({ err: { message: err?.message, stack: err?.stack }, requestId }, 'internal error');
        e = new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
      }
      if (call) deps.onCompleted?.({ ...call, requestId, error: { code: e.code, message: e.message } }, req);
      return done(respond(e.status, serializeError(namespace, e, requestId), requestId), e.code);
    }
  }

  return { handle };
}

/** The envelope around a streamed blob's placeholder, the blob's base64 streamed in its place. */
function respondStreamed(xml: string, blob: StreamedBlob, requestId: string): Omit<WireResponse, 'outcome'> {
  const at = xml.indexOf(blob.placeholder);
  if (at < 0) throw new Error('streamed blob: its placeholder is not in the serialized output');
  const body = xml.slice(0, at);
  const tail = xml.slice(at + blob.placeholder.length);
  const length = Buffer.byteLength(body) + blob.base64Length + Buffer.byteLength(tail);
  return { status: 200, headers: { 'content-type': 'text/xml', 'content-length': length, 'x-amzn-requestid': requestId }, body, stream: { chunks: blob.base64(), tail } };
}

function respond(status: number, body: string, requestId: string): Omit<WireResponse, 'outcome'> {
  return { status, headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId }, body };
}

/**
 * The service the credential scope must name: the one that owns the operation. When the operation is unknown
 * (an InvalidAction follows) a scope for IAM or STS passes here; any other service is refused, named by Version.
 */
function expectedScopeService(service: ServiceDescriptor | null, version: string | undefined, scopeService: string): string | null {
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

function refuseRepeatedHeaders(rawHeaders: WireRequest['rawHeaders']): void {
  if (!rawHeaders) return;
  const seen = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const raw = rawHeaders[i]!; // i < length
    const name = raw.toLowerCase();
    if (!SINGLE_HEADERS.has(name)) continue;
    if (seen.has(name)) throw new AwsError('InvalidRequest', `The request has more than one ${raw} header; send exactly one.`, 400);
    seen.add(name);
  }
}

/**
 * Query-string parameters plus, for a form POST, the body's. A parameter may appear once: twice in one place, or
 * in both, is refused rather than resolved one way or the other. At most MAX_PARAMETERS in all, counted as the
 * body is split, so an oversized request is refused before the rest of it is decoded.
 */
function collectParams(req: WireRequest): Map<string, string> {
  const params = new Map<string, string>();
  const inQuery = new Set<string>();
  const add = (k: string, v: string, inBody: boolean): void => {
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
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    if (type && !type.startsWith('application/x-www-form-urlencoded')) {
      throw new AwsError('InvalidParameterValue', `Unsupported Content-Type '${type}': send application/x-www-form-urlencoded.`);
    }
    parseForm(req.body.toString('utf8'), (k, v) => add(k, v, true));
  }
  return params;
}
