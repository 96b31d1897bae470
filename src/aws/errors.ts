// One error type for everything that goes back on the wire: the AWS code, the HTTP status and the fault side.
// Modeled codes take their status from the service models; the common (unmodeled) ones are listed here.
import { modeledErrorStatus } from './model.js';
import { ServiceError } from '../errors.js';

const COMMON: Record<string, number> = {
  ValidationError: 400,
  InvalidAction: 400,
  MissingParameter: 400,
  MissingAction: 400,
  InvalidParameterValue: 400,
  InvalidParameterCombination: 400,
  IncompleteSignature: 400,
  InvalidQueryParameter: 400,
  InvalidRequest: 400,
  MalformedQueryString: 400,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  MissingAuthenticationToken: 403,
  AccessDenied: 403,
  ExpiredToken: 403,
  RequestExpired: 400,
  Throttling: 400,
  OptInRequired: 403,
  NotFound: 404,
  RequestEntityTooLarge: 413,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

/** The HTTP status of an AWS error code: the common codes above, then the service models, else 400. */
export const statusOf = (code: string): number => COMMON[code] ?? modeledErrorStatus(code) ?? 400;

/** A wire error: a ServiceError with its HTTP status and fault side. */
export class AwsError extends ServiceError {
  readonly status: number;
  readonly type: 'Receiver' | 'Sender';
  constructor(code: string, message: string, status?: number) {
    super(code, message);
    this.name = 'AwsError';
    this.status = status ?? statusOf(code);
    this.type = this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** The wire form of any ServiceError the domain threw. */
export const toAwsError = (e: ServiceError): AwsError => (e instanceof AwsError ? e : new AwsError(e.code, e.message));
