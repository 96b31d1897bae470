// @ts-nocheck -- renamed from .js in this commit only (so that history follows the file); typed in the next
// Gatehouse IAM policy evaluator: parse → compile → evaluate. Pure: no I/O, no imports from the rest
// of src/. See docs/policy-evaluator.md.

export { PolicyError } from './errors.js'
export { parsePolicyDocument, policySize, POLICY_SIZE_LIMITS } from './parse.js'
export { compilePolicy, getContextKeys } from './compile.js'
export { evaluate, createRequestContext, normalizePrincipal, RequestContext } from './evaluate.js'
export { arnMatches, splitArn, compileResourcePattern, isValidResourcePattern } from './arn.js'
export { parseOperator, BASE_OPERATORS, parseDate, parseNumber } from './conditions.js'
export { compileWildcard, matchUnits, DEFAULT_WORK_LIMIT, lastWorkUsed } from './wildcard.js'
export { parseCidr, parseIp, cidrContains } from './ip.js'
