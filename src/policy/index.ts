// Gatehouse IAM policy evaluator: parse → compile → evaluate. Pure: no I/O, no imports from the rest
// of src/. See docs/policy-evaluator.md.

export { PolicyError } from './errors.js'
export type { PolicyErrorCode, PolicyErrorExtra } from './errors.js'
export { parsePolicyDocument, policySize, POLICY_SIZE_LIMITS } from './parse.js'
export type {
  ActionElement, ConditionEntry, Effect, ParseOptions, ParsedPolicy, ParsedStatement, PolicyKind, PolicyVersion,
  PrincipalElement, PrincipalSpec, PrincipalType, ResourceElement
} from './parse.js'
export { compilePolicy, getContextKeys } from './compile.js'
export type { CompileOptions, CompiledPolicy, CompiledStatement, RequestPrincipal, SourcePolicyType, StatementRef } from './compile.js'
export { evaluate, createRequestContext, normalizePrincipal, RequestContext } from './evaluate.js'
export type { Decision, EvaluateOptions, EvaluationRequest, EvaluationResult, PolicySet, PrincipalInput } from './evaluate.js'
export { arnMatches, splitArn, compileResourcePattern, isValidResourcePattern } from './arn.js'
export type { ArnParts, ResourceMatcher } from './arn.js'
export { parseOperator, BASE_OPERATORS, parseDate, parseNumber } from './conditions.js'
export type { BaseOperator, BaseOperatorName, Family, ParsedOperator, SetOperator } from './conditions.js'
export { compileWildcard, matchUnits, DEFAULT_WORK_LIMIT, lastWorkUsed } from './wildcard.js'
export type { MatchResult, StringTest, Unit } from './wildcard.js'
export { parseCidr, parseIp, cidrContains } from './ip.js'
export type { Cidr, IpAddress } from './ip.js'
export type { ContextLike, ContextValue, TestResult } from './variables.js'
