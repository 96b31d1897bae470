// CloudTrail 2013-11-01 over AWS's JSON protocol: POST with X-Amz-Target
// com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation> and an application/x-amz-json-1.1 body,
// SigV4-signed for the service `cloudtrail`. The same pipeline as the Query endpoint (endpoint.ts): authenticate,
// resolve the operation from the vendored model, validate the input against it, authorise (cloudtrail:<Operation>
// through the one authoriser), run the handler, serialise by the model. Only LookupEvents is served.
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../errors.js';
import { AwsError } from './errors.js';
import { cloudtrailModel } from './model.js';
import { JSON_CONTENT_TYPE, MAX_JSON_BODY, parseJsonBody, parseJsonInput, serializeJsonError, serializeJsonOutput } from './json-protocol.js';
import type { JsonViolation } from './json-protocol.js';
import { checkScope, checkTime, parseAuthorization, verifySignature } from './sigv4.js';
import type { SigV4Auth } from './sigv4.js';
import type { CompletedCall, RequestOutcome, WireRequest } from './endpoint.js';
import type { Authorize, AuthzRequest } from '../authz/authorizer.js';
import type { OperationContext, Principal } from '../iam/context.js';
import type { ResolvedCredential } from '../iam/principals.js';
import type { LookupEventsRequest, LookupEventsResponse } from './models/cloudtrail.generated.js';

export const CLOUDTRAIL_TARGET_PREFIX = `${cloudtrailModel.metadata['targetPrefix'] as string}.`; // the model's metadata names it

/** What the endpoint answers: a JSON body, its status and the request id. */
export interface JsonResponse {
  readonly status: number;
  readonly headers: { readonly 'content-type': string; readonly 'content-length': number; readonly 'x-amzn-requestid': string };
  readonly body: string;
  /** How it ended, for the request log and the metrics (not sent). */
  readonly outcome: RequestOutcome;
}

/** A request as authorised: enough for the event history to record it. */
export type CloudTrailCall = Omit<CompletedCall, 'service'>;

export interface CloudTrailDeps {
  readonly resolveCredential: (accessKeyId: string, auth: SigV4Auth) => Promise<ResolvedCredential | null>;
  readonly authorize: Authorize;
  readonly makeContext: (principal: Principal, requestId: string, credential: ResolvedCredential) => Promise<OperationContext>;
  readonly lookupEvents: (ctx: OperationContext, input: LookupEventsRequest) => Promise<LookupEventsResponse>;
  readonly onCompleted?: ((call: CloudTrailCall, req: WireRequest) => void) | undefined;
  readonly logger: Pick<OperationContext['logger'], 'error'>;
  readonly clock?: (() => number) | undefined;
}

/** Whether a request is for this endpoint: it names a CloudTrail operation in X-Amz-Target. */
export const isCloudTrailRequest = (headers: WireRequest['headers']): boolean => {
  const target = headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(CLOUDTRAIL_TARGET_PREFIX);
};

// The JSON protocol's names for the common errors the Query protocol spells otherwise.
const JSON_CODES: Readonly<Record<string, { code: string; status: number }>> = {
  AccessDenied: { code: 'AccessDeniedException', status: 400 },
  InvalidClientTokenId: { code: 'UnrecognizedClientException', status: 403 },
  SignatureDoesNotMatch: { code: 'InvalidSignatureException', status: 403 },
  MissingAuthenticationToken: { code: 'MissingAuthenticationTokenException', status: 403 },
  IncompleteSignature: { code: 'IncompleteSignatureException', status: 403 },
  ExpiredToken: { code: 'ExpiredTokenException', status: 403 },
  RequestExpired: { code: 'InvalidSignatureException', status: 403 },
};

// Which modeled exception a violation under each LookupEvents member is reported as.
const MEMBER_ERRORS: Readonly<Record<string, string>> = {
  LookupAttributes: 'InvalidLookupAttributesException',
  MaxResults: 'InvalidMaxResultsException',
  NextToken: 'InvalidNextTokenException',
  EventCategory: 'InvalidEventCategoryException',
  StartTime: 'InvalidTimeRangeException',
  EndTime: 'InvalidTimeRangeException',
};

function validationError(violations: readonly JsonViolation[]): ServiceError {
  const first = violations[0];
  const code = (first && MEMBER_ERRORS[first.topMember]) ?? 'ValidationException';
  const n = violations.length;
  return new ServiceError(code, `${n} validation error${n > 1 ? 's' : ''} detected: ${violations.map((v) => v.text).join('; ')}`);
}

export function createCloudTrailEndpoint(deps: CloudTrailDeps): { handle(req: WireRequest): Promise<JsonResponse> } {
  const clock = deps.clock ?? Date.now;

  async function handle(req: WireRequest): Promise<JsonResponse> {
    const requestId = randomUUID();
    let call: { action: string; principal: Principal; auth: SigV4Auth; input: object } | null = null;
    let action: string | undefined;
    const done = (status: number, body: string, errorCode?: string): JsonResponse => ({
      ...respond(status, body, requestId),
      outcome: { service: 'cloudtrail', action, status, errorCode, principalArn: call?.principal.arn, requestId },
    });
    try {
      if (req.method !== 'POST') throw new ServiceError('UnknownOperationException', 'CloudTrail operations are POST requests.');
      if ((req.body?.length ?? 0) > MAX_JSON_BODY) throw new AwsError('RequestEntityTooLarge', `Request body larger than ${MAX_JSON_BODY} bytes.`, 413);
      const target = String(req.headers['x-amz-target']);
      action = target.slice(CLOUDTRAIL_TARGET_PREFIX.length);
      const auth = parseAuthorization(req);
      if (!auth) throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token');
      checkScope(auth, 'cloudtrail');
      let credential: ResolvedCredential | null;
      try {
        credential = await deps.resolveCredential(auth.accessKeyId, auth);
      } catch (e) {
        if (!(typeof e === 'object' && e !== null && 'code' in e && e.code === 'SECRET_UNREADABLE')) throw e;
        credential = null;
      }
      if (!credential) throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
      checkTime(auth, clock());
      verifySignature(req, auth, credential.secret);
      call = { action, principal: credential.principal, auth, input: {} };

      const operation = Object.hasOwn(cloudtrailModel.operations, action) ? cloudtrailModel.operations[action] : undefined;
      if (!operation) throw new ServiceError('UnknownOperationException', `Unknown operation ${action}.`);
      if (action !== 'LookupEvents') throw new ServiceError('UnsupportedOperationException', `${action} is not served by Gatehouse: only LookupEvents is.`);
      const type = String(req.headers['content-type'] ?? '').toLowerCase();
      if (type && !type.startsWith('application/x-amz-json-')) throw new ServiceError('SerializationException', `Unsupported Content-Type '${type}': send ${JSON_CONTENT_TYPE}.`);
      const body = parseJsonBody(req.body);
      if (body === null) throw new ServiceError('SerializationException', 'The request body is not valid JSON.');
      const { input, violations } = parseJsonInput(cloudtrailModel, operation, body);
      if (violations.length) throw validationError(violations);
      const principal = credential.principal;
      call = { ...call, input };
      const request: AuthzRequest = { service: 'cloudtrail', action, requestId, sourceIp: req.sourceIp, secure: req.secure, auth };
      const ctx = await deps.makeContext(principal, requestId, credential);
      await deps.authorize(ctx, request);
      // The parser followed LookupEvents' input shape, which is what the generated LookupEventsRequest describes.
      const output = await deps.lookupEvents(ctx, input as LookupEventsRequest);
      deps.onCompleted?.({ ...call, requestId, output }, req);
      return done(200, serializeJsonOutput(cloudtrailModel, operation, output));
    } catch (thrown) {
      let code: string;
      let message: string;
      let status: number;
      if (thrown instanceof ServiceError) {
        const mapped = JSON_CODES[thrown.code];
        code = mapped?.code ?? thrown.code;
        status = mapped?.status ?? (thrown instanceof AwsError ? thrown.status : 400);
        message = thrown.message;
      } else {
        const err = thrown as { message?: unknown; stack?: unknown } | null | undefined; // anything thrown: logged as it is
        deps.logger.error({ err: { message: err?.message, stack: err?.stack }, requestId }, 'internal error');
        code = 'InternalFailure';
        message = 'The request processing has failed because of an unknown error, exception or failure.';
        status = 500;
      }
      if (call) deps.onCompleted?.({ ...call, requestId, error: { code, message } }, req);
      return done(status, serializeJsonError(code, message), code);
    }
  }
  return { handle };
}

function respond(status: number, body: string, requestId: string): Omit<JsonResponse, 'outcome'> {
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE, 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId }, body };
}
