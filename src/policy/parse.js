// Write-time validation of policy documents, the way IAM validates CreatePolicy, PutUserPolicy,
// UpdateAssumeRolePolicy and friends. A document that passes is normalised (arrays everywhere,
// conditions flattened) so that compile.js never meets an unexpected shape.

import { PolicyError, malformed } from './errors.js'
import { parseOperator } from './conditions.js'
import { isValidResourcePattern, splitArn } from './arn.js'

/** @typedef {'identity' | 'trust' | 'resource' | 'boundary' | 'session'} PolicyKind */

/**
 * @typedef {{ any: boolean, AWS: string[], Service: string[], Federated: string[], CanonicalUser: string[] }} PrincipalSpec
 * @typedef {{ operator: string, key: string, values: string[] }} ConditionEntry
 * @typedef {{
 *   index: number, sid: string | undefined, effect: 'Allow' | 'Deny',
 *   action?: string[], notAction?: string[], resource?: string[], notResource?: string[],
 *   principal?: PrincipalSpec, notPrincipal?: PrincipalSpec, condition: ConditionEntry[]
 * }} ParsedStatement
 * @typedef {{
 *   version: '2012-10-17' | '2008-10-17', versionSpecified: boolean, id: string | undefined,
 *   kind: PolicyKind, size: number, statements: ParsedStatement[]
 * }} ParsedPolicy
 */

/** AWS quotas (characters, white space not counted). Pass one as `maxSize`. */
export const POLICY_SIZE_LIMITS = Object.freeze({
  managedPolicy: 6144,
  userInlineAggregate: 2048,
  groupInlineAggregate: 5120,
  roleInlineAggregate: 10240,
  roleTrustPolicy: 2048,
  roleTrustPolicyMax: 4096,
  sessionPolicy: 2048
})

const KINDS = new Set(['identity', 'trust', 'resource', 'boundary', 'session'])
const TOP_KEYS = new Set(['Version', 'Id', 'Statement'])
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition'])
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser'])
const SID_RE = /^[0-9A-Za-z]*$/
const VENDOR_RE = /^[a-zA-Z0-9-]+$/
const ACTION_NAME_RE = /^[a-zA-Z0-9_*?-]+$/
const ALLOWED_CHARS_RE = /^[\t\n\r\x20-\xFF]*$/
const ACCOUNT_RE = /^\d{12}$/
const SYNTAX = 'Syntax errors in policy.'
// The grammar nests at most six deep: document { Statement [ statement { Condition { operator { key [ values.
// Anything deeper is a syntax error, found by one linear scan before JSON.parse builds it.
const MAX_DEPTH = 6

/**
 * Does the JSON text nest arrays/objects deeper than `limit`? Linear, no recursion; brackets inside
 * strings do not count. (Invalid JSON is left for JSON.parse to report.)
 * @param {string} text
 * @param {number} limit
 */
export function jsonDepthExceeds(text, limit) {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 91 || c === 123) {
      if (++depth > limit) return true
    } else if (c === 93 || c === 125) depth--
  }
  return false
}

/**
 * Characters counted by IAM's size quota: everything but white space.
 * @param {string} text
 */
export function policySize(text) {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) n++
  }
  return n
}

/**
 * @param {unknown} v
 * @param {string} field
 * @param {number} index
 * @returns {string[]}
 */
function stringList(v, field, index) {
  const list = Array.isArray(v) ? v : [v]
  for (const x of list) {
    if (typeof x !== 'string') malformed(SYNTAX, { detail: `${field} in statement ${index} must be a string or an array of strings`, statementIndex: index })
  }
  return /** @type {string[]} */ (list)
}

/** @param {string} a @param {number} index */
function checkAction(a, index) {
  if (a === '*') return
  const parts = a.split(':')
  if (parts.length < 2) malformed('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.', { detail: `Action "${a}" in statement ${index} has no service prefix`, statementIndex: index })
  if (parts.length > 2) malformed('Actions/Condition can contain only one colon.', { detail: `Action "${a}" in statement ${index} has more than one colon`, statementIndex: index })
  if (!VENDOR_RE.test(parts[0]) || !ACTION_NAME_RE.test(parts[1])) {
    malformed(`Action "${a}" is not a valid action.`, { detail: `Action "${a}" in statement ${index}: expected service:ActionName with * or ? wildcards`, statementIndex: index })
  }
}

/** @param {string} r @param {number} index */
function checkResource(r, index) {
  if (!isValidResourcePattern(r)) malformed(`Resource ${r} must be in ARN format or "*".`, { statementIndex: index })
}

/**
 * @param {unknown} p
 * @param {string} field
 * @param {number} index
 * @returns {PrincipalSpec}
 */
function parsePrincipal(p, field, index) {
  /** @type {PrincipalSpec} */
  const spec = { any: false, AWS: [], Service: [], Federated: [], CanonicalUser: [] }
  if (p === '*') {
    spec.any = true
    return spec
  }
  if (p === null || typeof p !== 'object' || Array.isArray(p)) {
    malformed(`Invalid principal in policy: ${JSON.stringify(p)}`, { detail: `${field} in statement ${index} must be "*" or an object`, statementIndex: index })
  }
  const entries = Object.entries(/** @type {object} */ (p))
  if (entries.length === 0) malformed(`Invalid principal in policy: ${JSON.stringify(p)}`, { statementIndex: index })
  for (const [type, value] of entries) {
    if (!PRINCIPAL_TYPES.has(type)) malformed(`Invalid principal in policy: ${JSON.stringify({ [type]: value })}`, { detail: `unknown principal type ${type} in statement ${index}`, statementIndex: index })
    const list = stringList(value, `${field}.${type}`, index)
    if (list.length === 0) malformed(`Invalid principal in policy: ${JSON.stringify({ [type]: value })}`, { statementIndex: index })
    for (const v of list) {
      const bad = () => malformed(`Invalid principal in policy: "${type}":"${v}"`, { statementIndex: index })
      if (v === '*') {
        if (type !== 'AWS') bad()
        spec.any = true
        continue
      }
      if (v.includes('*') || v.includes('?') || v === '') bad()
      if (type === 'AWS' && !ACCOUNT_RE.test(v)) {
        const parts = splitArn(v)
        if (parts === null || (parts[2] !== 'iam' && parts[2] !== 'sts') || !ACCOUNT_RE.test(parts[4]) || parts[5] === '') bad()
      }
      /** @type {string[]} */ (spec[/** @type {'AWS'} */ (type)]).push(v)
    }
  }
  return spec
}

/**
 * @param {unknown} cond
 * @param {number} index
 * @returns {ConditionEntry[]}
 */
function parseCondition(cond, index) {
  if (cond === null || typeof cond !== 'object' || Array.isArray(cond)) {
    malformed(SYNTAX, { detail: `Condition in statement ${index} must be an object`, statementIndex: index })
  }
  /** @type {ConditionEntry[]} */
  const out = []
  for (const [operator, block] of Object.entries(/** @type {object} */ (cond))) {
    const parsed = parseOperator(operator)
    if (parsed === null) malformed(SYNTAX, { detail: `Unknown condition operator "${operator}" in statement ${index}`, statementIndex: index })
    if (block === null || typeof block !== 'object' || Array.isArray(block) || Object.keys(block).length === 0) {
      malformed(SYNTAX, { detail: `Condition operator ${operator} in statement ${index} must map condition keys to values`, statementIndex: index })
    }
    for (const [key, raw] of Object.entries(block)) {
      if (!key.includes(':')) malformed('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.', { detail: `Condition key "${key}" in statement ${index} has no service prefix`, statementIndex: index })
      const list = Array.isArray(raw) ? raw : [raw]
      if (list.length === 0) malformed(SYNTAX, { detail: `Condition ${operator} ${key} in statement ${index} has no values`, statementIndex: index })
      const values = list.map((v) => {
        if (typeof v === 'string') return v
        if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return String(v)
        return malformed(SYNTAX, { detail: `Condition ${operator} ${key} in statement ${index}: values must be strings, numbers or booleans`, statementIndex: index })
      })
      if (parsed.op.family === 'null') {
        for (const v of values) {
          if (v.toLowerCase() !== 'true' && v.toLowerCase() !== 'false') {
            malformed(SYNTAX, { detail: `Null condition on ${key} in statement ${index} takes "true" or "false", not "${v}"`, statementIndex: index })
          }
        }
      }
      out.push({ operator, key, values })
    }
  }
  return out
}

/**
 * Parse and validate a policy document.
 * @param {string | object} text JSON text (or an already-decoded object)
 * @param {{ kind?: PolicyKind, maxSize?: number }} [options]
 * @returns {ParsedPolicy}
 * @throws {PolicyError} code MalformedPolicyDocument, or LimitExceeded when maxSize is exceeded
 */
export function parsePolicyDocument(text, options = {}) {
  const kind = options.kind ?? 'identity'
  if (!KINDS.has(kind)) throw new TypeError(`unknown policy kind ${kind}`)
  let source
  try {
    source = typeof text === 'string' ? text : JSON.stringify(text)
  } catch {
    // A cyclic or absurdly deep object: never a policy.
    malformed(SYNTAX, { detail: 'Policy document cannot be serialised as JSON' })
  }
  if (typeof source !== 'string') malformed(SYNTAX, { detail: 'Policy document is empty' })
  if (!ALLOWED_CHARS_RE.test(source)) {
    malformed(SYNTAX, { detail: 'Policy documents may contain only tab, line feed, carriage return and characters U+0020 to U+00FF' })
  }
  const size = policySize(source)
  if (options.maxSize !== undefined && size > options.maxSize) {
    throw new PolicyError('LimitExceeded', `Cannot exceed quota for PolicySize: ${options.maxSize}`, { detail: `Policy has ${size} non-white-space characters` })
  }
  if (jsonDepthExceeds(source, MAX_DEPTH)) malformed(SYNTAX, { detail: `Policy document nests arrays or objects more than ${MAX_DEPTH} deep` })
  let doc
  try {
    doc = JSON.parse(source)
  } catch {
    malformed(SYNTAX, { detail: 'Policy document is not valid JSON' })
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) malformed(SYNTAX, { detail: 'Policy document must be a JSON object' })
  for (const k of Object.keys(doc)) if (!TOP_KEYS.has(k)) malformed(SYNTAX, { detail: `Unknown policy element ${k}` })

  let version = /** @type {'2012-10-17' | '2008-10-17'} */ ('2008-10-17')
  const versionSpecified = Object.hasOwn(doc, 'Version')
  if (versionSpecified) {
    if (doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') {
      malformed('The policy failed legacy parsing', { detail: `Version must be "2012-10-17" or "2008-10-17", not ${JSON.stringify(doc.Version)}` })
    }
    version = doc.Version
  }
  if (doc.Id !== undefined && typeof doc.Id !== 'string') malformed(SYNTAX, { detail: 'Id must be a string' })
  if (!Object.hasOwn(doc, 'Statement')) malformed('Missing required field Statement')
  const rawStatements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]
  if (rawStatements.length === 0) malformed(SYNTAX, { detail: 'Statement must contain at least one statement' })

  const sids = new Set()
  /** @type {ParsedStatement[]} */
  const statements = rawStatements.map((st, index) => {
    if (st === null || typeof st !== 'object' || Array.isArray(st)) malformed(SYNTAX, { detail: `Statement ${index} must be an object`, statementIndex: index })
    for (const k of Object.keys(st)) if (!STATEMENT_KEYS.has(k)) malformed(SYNTAX, { detail: `Unknown element ${k} in statement ${index}`, statementIndex: index })

    let sid
    if (st.Sid !== undefined) {
      if (typeof st.Sid !== 'string' || !SID_RE.test(st.Sid)) {
        malformed('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*', { statementIndex: index })
      }
      if (st.Sid !== '') {
        if (sids.has(st.Sid)) malformed('Statement IDs (SID) in a single policy must be unique.', { detail: `Sid ${st.Sid} appears more than once`, statementIndex: index })
        sids.add(st.Sid)
        sid = st.Sid
      }
    }

    if (st.Effect === undefined) malformed('Missing required field Effect', { statementIndex: index })
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') malformed(`Invalid effect: ${typeof st.Effect === 'string' ? st.Effect : JSON.stringify(st.Effect)}`, { detail: `Effect in statement ${index} must be "Allow" or "Deny"`, statementIndex: index })

    /** @type {ParsedStatement} */
    const out = { index, sid, effect: st.Effect, condition: [] }

    const hasAction = st.Action !== undefined
    const hasNotAction = st.NotAction !== undefined
    if (hasAction && hasNotAction) malformed(SYNTAX, { detail: `Statement ${index} has both Action and NotAction`, statementIndex: index })
    if (!hasAction && !hasNotAction) malformed('Policy statement must contain actions.', { statementIndex: index })
    const actions = stringList(hasAction ? st.Action : st.NotAction, hasAction ? 'Action' : 'NotAction', index)
    if (actions.length === 0) malformed('Policy statement must contain actions.', { statementIndex: index })
    actions.forEach((a) => checkAction(a, index))
    if (hasAction) out.action = actions
    else out.notAction = actions

    const hasPrincipal = st.Principal !== undefined
    const hasNotPrincipal = st.NotPrincipal !== undefined
    const hasResource = st.Resource !== undefined
    const hasNotResource = st.NotResource !== undefined
    if (hasPrincipal && hasNotPrincipal) malformed(SYNTAX, { detail: `Statement ${index} has both Principal and NotPrincipal`, statementIndex: index })
    if (kind === 'trust' || kind === 'resource') {
      if (!hasPrincipal && !hasNotPrincipal) malformed('Missing required field Principal', { statementIndex: index })
      if (hasPrincipal) out.principal = parsePrincipal(st.Principal, 'Principal', index)
      else out.notPrincipal = parsePrincipal(st.NotPrincipal, 'NotPrincipal', index)
    } else if (hasPrincipal || hasNotPrincipal) {
      malformed('Policy document should not specify a principal.', { statementIndex: index })
    }

    if (hasResource && hasNotResource) malformed(SYNTAX, { detail: `Statement ${index} has both Resource and NotResource`, statementIndex: index })
    if (kind === 'trust') {
      if (hasResource) malformed('Has prohibited field Resource', { statementIndex: index })
      if (hasNotResource) malformed('Has prohibited field NotResource', { statementIndex: index })
    } else {
      if (!hasResource && !hasNotResource) malformed('Policy statement must contain resources.', { statementIndex: index })
      const resources = stringList(hasResource ? st.Resource : st.NotResource, hasResource ? 'Resource' : 'NotResource', index)
      if (resources.length === 0) malformed('Policy statement must contain resources.', { statementIndex: index })
      resources.forEach((r) => checkResource(r, index))
      if (hasResource) out.resource = resources
      else out.notResource = resources
    }

    if (st.Condition !== undefined) out.condition = parseCondition(st.Condition, index)
    return out
  })

  return { version, versionSpecified, id: doc.Id, kind, size, statements }
}
