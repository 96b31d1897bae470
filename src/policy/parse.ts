// @ts-nocheck -- renamed from .js in this commit only (so that history follows the file); typed in the next
// Validation of policy documents the way IAM validates CreatePolicy, PutUserPolicy, UpdateAssumeRolePolicy
// and friends, reporting the error IAM reports first, in IAM's words. A document that passes is normalised
// (arrays everywhere, conditions flattened) so that compile.js never meets an unexpected shape.
//
// IAM checks in phases, each with its own message (recorded from AWS by LocalStack's
// tests/aws/services/iam/test_iam_policies.py snapshots; the order reverse-engineered by moto's
// moto/iam/policy_validation.py and confirmed by those recordings):
//   1. JSON and grammar (shapes, element names, Effect, operator names) → "Syntax errors in policy."
//      (a trust policy that is not JSON: "This policy contains invalid Json");
//   2. managed policies only: Version 2012-10-17 → "Policy document must be version 2012-10-17 or greater.";
//   3. "legacy parsing": Effect spelled exactly, Date (and Numeric, IP) values, short ARNs with an empty
//      segment → "The policy failed legacy parsing";
//   4. Sid uniqueness; 5. an Action/NotAction; 6. a Resource/NotResource (not in trust policies);
//   7. the first Resource format error (partition, vendor, region for IAM/S3, IAM resource type);
//   8. action vendors; then principals and the rules of trust policies.
// Checks that can reject what older Gatehouse versions stored (values, ARN formats, trust actions) run
// only with `writeTime: true`, so stored documents always load; see docs/policy-evaluator.md.

import { PolicyError, malformed } from './errors.js'
import { parseDate, parseNumber, parseOperator } from './conditions.js'
import { parseCidr } from './ip.js'
import { splitArn, splitPatternVars } from './arn.js'

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
const VERSIONS = new Set(['2012-10-17', '2008-10-17'])
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition'])
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser'])
const SID_RE = /^[0-9A-Za-z]*$/
const BAD_VENDOR_RE = /[^a-zA-Z0-9.-]/
const ALLOWED_CHARS_RE = /^[\t\n\r\x20-\xFF]*$/
const ACCOUNT_RE = /^\d{12}$/
const SYNTAX = 'Syntax errors in policy.'
const INVALID_JSON = 'This policy contains invalid Json'
const LEGACY = 'The policy failed legacy parsing'
const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'])
const IAM_RESOURCE_TYPES = ['user/', 'federated-user/', 'role/', 'group/', 'instance-profile/', 'mfa/', 'server-certificate/', 'policy/', 'sms-mfa/', 'saml-provider/', 'oidc-provider/', 'report/', 'access-report/']
const IAM_PATH_MESSAGE = `IAM resource path must either be "*", root, or start with ${IAM_RESOURCE_TYPES.join(', ')}.`
// Trust policies name only the STS actions that assume a role or go with it (AWS: "AssumeRole policy may
// only specify STS AssumeRole actions.").
const TRUST_ACTIONS = new Set(['sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithwebidentity', 'sts:tagsession', 'sts:setsourceidentity', 'sts:setcontext'])
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

// Values checked when a document is written (IAM answers "The policy failed legacy parsing" for a Date it
// cannot read: recorded; the same answer for Numeric and IP values is Gatehouse's inference). These
// operators take no policy variables, so the text is final. String, Arn, Bool and Binary values are not
// checked: what cannot be read at evaluation is decided fail-closed.
/** @type {Record<string, (s: string) => boolean>} */
const VALUE_READERS = {
  date: (s) => !Number.isNaN(parseDate(s)),
  numeric: (s) => !Number.isNaN(parseNumber(s)),
  ip: (s) => parseCidr(s) !== null
}

/** @param {unknown} v */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

/** @param {unknown} v a string or an array of strings */
const isStringList = (v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))

/** @param {unknown} v a condition value: string, boolean or number */
const isScalar = (v) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))

/** @param {unknown} v @returns {string[]} */
const asList = (v) => /** @type {string[]} */ (Array.isArray(v) ? v : [v])

/**
 * Phase 1: the grammar. Every failure is "Syntax errors in policy."; `detail` says what.
 * @param {any} doc
 * @returns {any[]} the raw statements
 */
function checkSyntax(doc) {
  const bad = (/** @type {string} */ detail, /** @type {number} */ [statementIndex] = []) => malformed(SYNTAX, { detail, statementIndex })
  if (!isObject(doc)) bad('Policy document must be a JSON object')
  for (const k of Object.keys(doc)) if (!TOP_KEYS.has(k)) bad(`Unknown policy element ${k}`)
  if (Object.hasOwn(doc, 'Version') && !VERSIONS.has(doc.Version)) bad(`Version must be "2012-10-17" or "2008-10-17", not ${JSON.stringify(doc.Version)}`)
  if (Object.hasOwn(doc, 'Id') && typeof doc.Id !== 'string') bad('Id must be a string')
  if (!Object.hasOwn(doc, 'Statement')) bad('Statement is missing')
  if (!isObject(doc.Statement) && !Array.isArray(doc.Statement)) bad('Statement must be an object or an array')
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]
  if (statements.length === 0) bad('Statement must contain at least one statement')
  statements.forEach((st, i) => {
    const at = `in statement ${i}`
    if (!isObject(st)) bad(`Statement ${i} must be an object`, [i])
    for (const k of Object.keys(st)) if (!STATEMENT_KEYS.has(k)) bad(`Unknown element ${k} ${at}`, [i])
    if (Object.hasOwn(st, 'Action') && Object.hasOwn(st, 'NotAction')) bad(`Both Action and NotAction ${at}`, [i])
    if (Object.hasOwn(st, 'Resource') && Object.hasOwn(st, 'NotResource')) bad(`Both Resource and NotResource ${at}`, [i])
    if (Object.hasOwn(st, 'Principal') && Object.hasOwn(st, 'NotPrincipal')) bad(`Both Principal and NotPrincipal ${at}`, [i])
    if (!Object.hasOwn(st, 'Effect')) bad(`Effect is missing ${at}`, [i])
    if (typeof st.Effect !== 'string' || (st.Effect.toLowerCase() !== 'allow' && st.Effect.toLowerCase() !== 'deny')) bad(`Effect ${at} must be "Allow" or "Deny"`, [i])
    for (const k of ['Action', 'NotAction', 'Resource', 'NotResource']) {
      if (Object.hasOwn(st, k) && !isStringList(st[k])) bad(`${k} ${at} must be a string or an array of strings`, [i])
    }
    if (Object.hasOwn(st, 'Sid') && typeof st.Sid !== 'string') bad(`Sid ${at} must be a string`, [i])
    if (Object.hasOwn(st, 'Condition')) {
      if (!isObject(st.Condition)) bad(`Condition ${at} must be an object`, [i])
      for (const [operator, block] of Object.entries(st.Condition)) {
        if (!isObject(block)) bad(`Condition operator ${operator} ${at} must map condition keys to values`, [i])
        const parsed = parseOperator(operator)
        // IAM accepts an operator it does not know only with nothing under it.
        if (parsed === null) {
          if (Object.keys(block).length !== 0) bad(`Unknown condition operator "${operator}" ${at}`, [i])
          continue
        }
        for (const [key, v] of Object.entries(block)) {
          if (!isScalar(v) && !(Array.isArray(v) && v.every(isScalar))) bad(`Condition ${operator} ${key} ${at}: values must be strings, numbers or booleans`, [i])
          if (parsed.op.family === 'null') {
            for (const x of Array.isArray(v) ? v : [v]) {
              const l = String(x).toLowerCase()
              if (l !== 'true' && l !== 'false') bad(`Null condition on ${key} ${at} takes "true" or "false", not "${x}"`, [i])
            }
          }
        }
      }
    }
  })
  return statements
}

/**
 * The format error IAM reports for a Resource/NotResource entry (after the other checks), or null.
 * @param {string} r
 * @returns {string | null}
 */
function resourceFormatError(r) {
  if (r === '*') return null
  const first = r.indexOf(':')
  if (first === -1) return `Resource ${r} must be in ARN format or "*".`
  const segs = splitPatternVars(r)
  const partition = segs[1]
  if (partition !== '*' && !PARTITIONS.has(partition)) {
    // IAM quotes the entry as an ARN, padding missing segments with *.
    const rest = r.slice(first + 1 + partition.length + 1)
    const parts = segs.length > 2 ? rest.split(':') : ['']
    const seg = (/** @type {number} */ i) => (i < parts.length ? parts[i] : '*')
    const a1 = parts[0] !== '' || parts.length > 1 ? parts[0] : '*'
    const a4 = parts.length > 3 ? parts.slice(3).join(':') : '*'
    return `Partition "${partition}" is not valid for resource "arn:${partition}:${a1}:${seg(1)}:${seg(2)}:${a4}".`
  }
  if (segs.length < 3) return 'Resource vendor must be fully qualified and cannot contain regexes.'
  if (segs[0] !== 'arn') return `Resource ${r} must be in ARN format or "*".`
  const service = segs[2]
  const region = segs.length > 3 ? segs[3] : ''
  const resource = segs.length > 5 ? segs[5] : ''
  if (region !== '') {
    if (service === 'iam') return `IAM resource ${r} cannot contain region information.`
    if (service === 's3' && !resource.startsWith('accesspoint/')) return `Resource ${r} can not contain region information.`
  }
  if (service === 'iam' && segs.length === 6 && resource !== '*' && resource !== 'root' && !IAM_RESOURCE_TYPES.some((t) => resource.startsWith(t))) {
    // Not verified against AWS: a wildcard or variable in the type (`*/alice`, `us*`) is accepted.
    const slash = resource.indexOf('/')
    const type = slash === -1 ? resource : resource.slice(0, slash)
    if (!/[*?]|\$\{/.test(type)) return IAM_PATH_MESSAGE
  }
  return null
}

/**
 * Legacy parsing of one Resource/NotResource entry: an ARN without its six segments, or with an empty
 * service, that IAM cannot read. (A short pattern ending in `*`, `arn:aws:iam::*`, is fine.)
 * @param {string} r
 */
function legacyResourceOk(r) {
  if (r === '*') return true
  const segs = splitPatternVars(r)
  if (segs.length > 2 && segs[2] === '') return false
  if (segs.length < 6 && !r.endsWith('*') && segs.slice(1).some((x) => x === '')) return false
  return true
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
  if (!isObject(p)) {
    malformed(`Invalid principal in policy: ${JSON.stringify(p)}`, { detail: `${field} in statement ${index} must be "*" or an object`, statementIndex: index })
  }
  const entries = Object.entries(/** @type {object} */ (p))
  if (entries.length === 0) malformed(`Invalid principal in policy: ${JSON.stringify(p)}`, { statementIndex: index })
  for (const [type, value] of entries) {
    if (!PRINCIPAL_TYPES.has(type)) malformed(`Invalid principal in policy: ${JSON.stringify({ [type]: value })}`, { detail: `unknown principal type ${type} in statement ${index}`, statementIndex: index })
    if (!isStringList(value) || asList(value).length === 0) malformed(`Invalid principal in policy: ${JSON.stringify({ [type]: value })}`, { statementIndex: index })
    for (const v of asList(value)) {
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
 * Parse and validate a policy document.
 * @param {string | object} text JSON text (or an already-decoded object)
 * @param {{ kind?: PolicyKind, maxSize?: number, managed?: boolean, writeTime?: boolean }} [options]
 *   managed: a managed policy (CreatePolicy, CreatePolicyVersion): Version must be 2012-10-17.
 *   writeTime: apply every check IAM makes when a document is written (Date values, ARN formats, the
 *   actions of trust policies). Without it only the grammar is enforced, so documents stored by earlier
 *   versions still load; values that cannot be read are then decided fail-closed at evaluation.
 * @returns {ParsedPolicy}
 * @throws {PolicyError} code MalformedPolicyDocument, or LimitExceeded when maxSize is exceeded
 */
export function parsePolicyDocument(text, options = {}) {
  const kind = options.kind ?? 'identity'
  if (!KINDS.has(kind)) throw new TypeError(`unknown policy kind ${kind}`)
  const strict = options.writeTime === true
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
    // IAM's words differ by document: "This policy contains invalid Json" for trust policies (CreateRole,
    // UpdateAssumeRolePolicy), "Syntax errors in policy." for permissions policies (CreatePolicy).
    malformed(kind === 'trust' ? INVALID_JSON : SYNTAX, { detail: 'Policy document is not valid JSON' })
  }

  // 1. Grammar.
  const raw = checkSyntax(doc)
  const versionSpecified = Object.hasOwn(doc, 'Version')
  const version = /** @type {'2012-10-17' | '2008-10-17'} */ (versionSpecified ? doc.Version : '2008-10-17')

  // 2. Managed policies need the current language version (inline and trust policies do not).
  if (options.managed && version !== '2012-10-17') {
    malformed('Policy document must be version 2012-10-17 or greater.', { detail: versionSpecified ? `Version is ${version}` : 'Version is missing' })
  }

  // 3. Legacy parsing: Effect spelled exactly, Date values, ARNs IAM cannot read. Resource format errors
  //    found on the way are reported later (step 7), and stop the legacy check of further resources.
  raw.forEach((st, i) => {
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') malformed(LEGACY, { detail: `Effect in statement ${i} must be spelled "Allow" or "Deny", not "${st.Effect}"`, statementIndex: i })
    if (!strict || !Object.hasOwn(st, 'Condition')) return
    for (const [operator, block] of Object.entries(st.Condition)) {
      const parsed = parseOperator(operator)
      const read = parsed === null ? undefined : VALUE_READERS[parsed.op.family]
      if (read === undefined) continue
      for (const [key, v] of Object.entries(block)) {
        for (const x of Array.isArray(v) ? v : [v]) {
          if (!read(String(x))) malformed(LEGACY, { detail: `${operator} ${key} in statement ${i}: "${x}" is not a valid ${parsed.op.family} value`, statementIndex: i })
        }
      }
    }
  })
  /** @type {{ message: string, index: number } | null} */
  let formatError = null
  if (strict) {
    for (const key of ['Resource', 'NotResource']) {
      raw.forEach((st, i) => {
        if (!Object.hasOwn(st, key)) return
        const entries = asList(st[key]).slice().sort()
        for (const r of entries) {
          const e = resourceFormatError(r)
          if (e !== null && formatError === null) formatError = { message: e, index: i }
        }
        if (formatError !== null) return
        for (const r of entries) if (!legacyResourceOk(r)) malformed(LEGACY, { detail: `${key} "${r}" in statement ${i} is not a readable ARN`, statementIndex: i })
      })
    }
  }

  // 4. Statement ids: unique, then alphanumeric.
  const sids = new Set()
  raw.forEach((st, i) => {
    if (typeof st.Sid !== 'string' || st.Sid === '') return
    if (sids.has(st.Sid)) malformed('Statement IDs (SID) in a single policy must be unique.', { detail: `Sid ${st.Sid} appears more than once`, statementIndex: i })
    sids.add(st.Sid)
  })
  raw.forEach((st, i) => {
    if (typeof st.Sid === 'string' && !SID_RE.test(st.Sid)) {
      malformed('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*', { statementIndex: i })
    }
  })

  // 5. Actions, 6. resources (identity-style policies; a trust policy has none).
  raw.forEach((st, i) => {
    const list = st.Action ?? st.NotAction
    if (list === undefined || (Array.isArray(list) && list.length === 0)) malformed('Policy statement must contain actions.', { statementIndex: i })
  })
  if (kind !== 'trust') {
    raw.forEach((st, i) => {
      const list = st.Resource ?? st.NotResource
      if (list === undefined || (Array.isArray(list) && list.length === 0)) malformed('Policy statement must contain resources.', { statementIndex: i })
    })
  }

  // 7. The first Resource format error.
  if (formatError !== null) malformed(formatError.message, { statementIndex: formatError.index })

  // 8. Action vendors.
  raw.forEach((st, i) => {
    for (const a of asList(st.Action ?? st.NotAction)) {
      if (a === '*') continue
      const parts = a.split(':')
      if (parts.length < 2) malformed('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.', { detail: `Action "${a}" in statement ${i} has no service prefix`, statementIndex: i })
      if (parts.length > 2) malformed('Actions/Condition can contain only one colon.', { detail: `Action "${a}" in statement ${i} has more than one colon`, statementIndex: i })
      if (parts[0] !== '*' && BAD_VENDOR_RE.test(parts[0])) malformed(`Vendor ${parts[0]} is not valid`, { statementIndex: i })
    }
  })

  // Principals, and the rules of trust policies.
  const principals = raw.map((st, i) => {
    const hasPrincipal = Object.hasOwn(st, 'Principal')
    const hasNotPrincipal = Object.hasOwn(st, 'NotPrincipal')
    if (kind === 'trust' || kind === 'resource') {
      if (!hasPrincipal && !hasNotPrincipal) malformed('Missing required field Principal', { statementIndex: i })
      return hasPrincipal ? { principal: parsePrincipal(st.Principal, 'Principal', i) } : { notPrincipal: parsePrincipal(st.NotPrincipal, 'NotPrincipal', i) }
    }
    if (hasPrincipal || hasNotPrincipal) malformed('Policy document should not specify a principal.', { statementIndex: i })
    return {}
  })
  if (kind === 'trust') {
    raw.forEach((st, i) => {
      if (strict && st.Action !== undefined) {
        for (const a of asList(st.Action)) {
          const l = a.toLowerCase()
          const wild = l.includes('*') || l.includes('?')
          if (!TRUST_ACTIONS.has(l) && !(wild && (l.startsWith('sts:') || l === '*'))) {
            malformed('AssumeRole policy may only specify STS AssumeRole actions.', { detail: `Action "${a}" in statement ${i}`, statementIndex: i })
          }
        }
      }
      if (Object.hasOwn(st, 'Resource')) malformed('Has prohibited field Resource', { statementIndex: i })
      if (Object.hasOwn(st, 'NotResource')) malformed('Has prohibited field NotResource', { statementIndex: i })
    })
  }

  /** @type {ParsedStatement[]} */
  const statements = raw.map((st, index) => {
    /** @type {ParsedStatement} */
    const out = { index, sid: typeof st.Sid === 'string' && st.Sid !== '' ? st.Sid : undefined, effect: st.Effect, condition: [], ...principals[index] }
    if (st.Action !== undefined) out.action = asList(st.Action)
    else out.notAction = asList(st.NotAction)
    if (st.Resource !== undefined) out.resource = asList(st.Resource)
    else if (st.NotResource !== undefined) out.notResource = asList(st.NotResource)
    if (st.Condition !== undefined) {
      for (const [operator, block] of Object.entries(st.Condition)) {
        if (parseOperator(operator) === null) continue // empty, checked above
        for (const [key, v] of Object.entries(block)) {
          const values = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : String(x)))
          out.condition.push({ operator, key, values })
        }
      }
    }
    return out
  })

  return { version, versionSpecified, id: doc.Id, kind, size, statements }
}
