// @ts-nocheck -- renamed from .js in this commit only (so that history follows the file); typed in the next
/**
 * The one error type of the policy module. `code` is the AWS error code the API layer returns
 * (MalformedPolicyDocument for grammar errors, LimitExceeded for size quotas); `message` mirrors the
 * text AWS sends; `detail` says precisely what is wrong, for logs and the console.
 */
export class PolicyError extends Error {
  /**
   * @param {'MalformedPolicyDocument' | 'LimitExceeded'} code
   * @param {string} message AWS-style message
   * @param {{ detail?: string, statementIndex?: number }} [extra]
   */
  constructor(code, message, extra = {}) {
    super(message)
    this.name = 'PolicyError'
    this.code = code
    this.httpStatus = code === 'LimitExceeded' ? 409 : 400
    this.detail = extra.detail ?? message
    if (extra.statementIndex !== undefined) this.statementIndex = extra.statementIndex
  }
}

/**
 * @param {string} message
 * @param {{ detail?: string, statementIndex?: number }} [extra]
 * @returns {never}
 */
export function malformed(message, extra) {
  throw new PolicyError('MalformedPolicyDocument', message, extra)
}
