/** The AWS error codes of the policy module: grammar errors, and size quotas. */
export type PolicyErrorCode = 'MalformedPolicyDocument' | 'LimitExceeded'

/** What an error can say beyond AWS's message. */
export interface PolicyErrorExtra {
  /** Precisely what is wrong, for logs and the console (defaults to the message). */
  readonly detail?: string | undefined
  /** The statement at fault, counted from 0. */
  readonly statementIndex?: number | undefined
}

/**
 * The one error type of the policy module. `code` is the AWS error code the API layer returns
 * (MalformedPolicyDocument for grammar errors, LimitExceeded for size quotas); `message` mirrors the
 * text AWS sends; `detail` says precisely what is wrong, for logs and the console.
 */
export class PolicyError extends Error {
  readonly code: PolicyErrorCode
  readonly httpStatus: 400 | 409
  readonly detail: string
  // Declared, not defined: the property exists only when a statement is at fault.
  declare readonly statementIndex?: number

  constructor(code: PolicyErrorCode, message: string, extra: PolicyErrorExtra = {}) {
    super(message)
    this.name = 'PolicyError'
    this.code = code
    this.httpStatus = code === 'LimitExceeded' ? 409 : 400
    this.detail = extra.detail ?? message
    if (extra.statementIndex !== undefined) this.statementIndex = extra.statementIndex
  }
}

export function malformed(message: string, extra?: PolicyErrorExtra): never {
  throw new PolicyError('MalformedPolicyDocument', message, extra)
}
