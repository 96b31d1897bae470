// The domain's one error type. The code is AWS's (it is part of IAM's and STS's semantics: NoSuchEntity,
// DeleteConflict, …); what it becomes on the wire (HTTP status, Sender/Receiver, XML envelope) is decided in
// src/aws/ alone, from the service models and the common codes listed there.

export class ServiceError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'ServiceError';
  }
}

// Shorthands for the codes the domain throws most; the message wording follows AWS's.
export const noSuchEntity = (message: string): ServiceError => new ServiceError('NoSuchEntity', message);
export const entityAlreadyExists = (message: string): ServiceError => new ServiceError('EntityAlreadyExists', message);
export const deleteConflict = (message: string): ServiceError => new ServiceError('DeleteConflict', message);
export const limitExceeded = (message: string): ServiceError => new ServiceError('LimitExceeded', message);
export const invalidInput = (message: string): ServiceError => new ServiceError('InvalidInput', message);
export const accessDenied = (message: string): ServiceError => new ServiceError('AccessDenied', message);
export const validationError = (message: string): ServiceError => new ServiceError('ValidationError', message);
