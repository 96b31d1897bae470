// Validation of policy documents the way IAM validates CreatePolicy, PutUserPolicy, UpdateAssumeRolePolicy
// and friends, reporting the error IAM reports first, in IAM's words. A document that passes is normalised
// (arrays everywhere, conditions flattened) so that compile.ts never meets an unexpected shape.
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
//
// The parsed JSON is the one untyped value of the evaluator: checkSyntax reads it (as `unknown`) into typed
// statements, and every later phase, compile and evaluate work on those types.

import { PolicyError, malformed } from './errors.js'
import { parseDate, parseNumber, parseOperator } from './conditions.js'
import type { Family, ParsedOperator } from './conditions.js'
import { parseCidr } from './ip.js'
import { splitArn, splitPatternVars } from './arn.js'

export type PolicyKind = 'identity' | 'trust' | 'resource' | 'boundary' | 'session'
export type PolicyVersion = '2012-10-17' | '2008-10-17'
export type Effect = 'Allow' | 'Deny'
export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser'

/** A Principal or NotPrincipal element: `*` (or `{"AWS": "*"}`) sets `any`; the named principals by type. */
export interface PrincipalSpec {
  readonly any: boolean
  readonly AWS: readonly string[]
  readonly Service: readonly string[]
  readonly Federated: readonly string[]
  readonly CanonicalUser: readonly string[]
}

/** One condition: operator (as written, and read), key (as written), values as strings. */
export interface ConditionEntry {
  readonly operator: string
  readonly key: string
  readonly values: readonly string[]
  readonly parsed: ParsedOperator
}

interface StatementHead {
  /** Position in the document, from 0. */
  readonly index: number
  /** The Sid; undefined when absent or empty. */
  readonly sid: string | undefined
  readonly effect: Effect
  readonly condition: readonly ConditionEntry[]
}
// Each element comes in one of its forms: Action or NotAction (always one), Resource or NotResource (none in
// trust policies), Principal or NotPrincipal (only in trust and resource policies).
export type ActionElement =
  | { readonly action: readonly string[]; readonly notAction?: never }
  | { readonly notAction: readonly string[]; readonly action?: never }
export type ResourceElement =
  | { readonly resource: readonly string[]; readonly notResource?: never }
  | { readonly notResource: readonly string[]; readonly resource?: never }
  | { readonly resource?: never; readonly notResource?: never }
export type PrincipalElement =
  | { readonly principal: PrincipalSpec; readonly notPrincipal?: never }
  | { readonly notPrincipal: PrincipalSpec; readonly principal?: never }
  | { readonly principal?: never; readonly notPrincipal?: never }
export type ParsedStatement = StatementHead & ActionElement & ResourceElement & PrincipalElement

export interface ParsedPolicy {
  readonly version: PolicyVersion
  /** False when the document has no Version (it is then read as 2008-10-17). */
  readonly versionSpecified: boolean
  readonly id: string | undefined
  readonly kind: PolicyKind
  /** Characters counted by IAM's size quota. */
  readonly size: number
  readonly statements: readonly ParsedStatement[]
}

export interface ParseOptions {
  readonly kind?: PolicyKind | undefined
  readonly maxSize?: number | undefined
  /** A managed policy (CreatePolicy, CreatePolicyVersion): Version must be 2012-10-17. */
  readonly managed?: boolean | undefined
  /**
   * Apply every check IAM makes when a document is written (Date values, ARN formats, the actions of trust
   * policies). Without it only the grammar is enforced, so documents stored by earlier versions still load;
   * values that cannot be read are then decided fail-closed at evaluation.
   */
  readonly writeTime?: boolean | undefined
}

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

const KINDS: ReadonlySet<unknown> = new Set<PolicyKind>(['identity', 'trust', 'resource', 'boundary', 'session'])
const TOP_KEYS: ReadonlySet<string> = new Set(['Version', 'Id', 'Statement'])
const VERSIONS: ReadonlySet<unknown> = new Set<PolicyVersion>(['2012-10-17', '2008-10-17'])
const STATEMENT_KEYS: ReadonlySet<string> = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition'])
const PRINCIPAL_TYPES: ReadonlySet<string> = new Set<PrincipalType>(['AWS', 'Service', 'Federated', 'CanonicalUser'])
const SID_RE = /^[0-9A-Za-z]*$/
const BAD_VENDOR_RE = /[^a-zA-Z0-9.-]/
const ALLOWED_CHARS_RE = /^[\t\n\r\x20-\xFF]*$/
const ACCOUNT_RE = /^\d{12}$/
const SYNTAX = 'Syntax errors in policy.'
const INVALID_JSON = 'This policy contains invalid Json'
const LEGACY = 'The policy failed legacy parsing'
const PARTITIONS: ReadonlySet<string> = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'])
const IAM_RESOURCE_TYPES = ['user/', 'federated-user/', 'role/', 'group/', 'instance-profile/', 'mfa/', 'server-certificate/', 'policy/', 'sms-mfa/', 'saml-provider/', 'oidc-provider/', 'report/', 'access-report/']
const IAM_PATH_MESSAGE = `IAM resource path must either be "*", root, or start with ${IAM_RESOURCE_TYPES.join(', ')}.`
// Trust policies name only the STS actions that assume a role or go with it (AWS: "AssumeRole policy may
// only specify STS AssumeRole actions.").
const TRUST_ACTIONS: ReadonlySet<string> = new Set(['sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithwebidentity', 'sts:tagsession', 'sts:setsourceidentity', 'sts:setcontext'])
// The grammar nests at most six deep: document { Statement [ statement { Condition { operator { key [ values.
// Anything deeper is a syntax error, found by one linear scan before JSON.parse builds it.
const MAX_DEPTH = 6

const isKind = (k: unknown): k is PolicyKind => KINDS.has(k)
const isVersion = (v: unknown): v is PolicyVersion => VERSIONS.has(v)
const isPrincipalType = (t: string): t is PrincipalType => PRINCIPAL_TYPES.has(t)

/**
 * Does the JSON text nest arrays/objects deeper than `limit`? Linear, no recursion; brackets inside
 * strings do not count. (Invalid JSON is left for JSON.parse to report.)
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
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

/** Characters counted by IAM's size quota: everything but white space. */
export function policySize(text: string): number {
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
const VALUE_READERS: Partial<Record<Family, (s: string) => boolean>> = {
  date: (s) => !Number.isNaN(parseDate(s)),
  numeric: (s) => !Number.isNaN(parseNumber(s)),
  ip: (s) => parseCidr(s) !== null
}

/** A condition value as JSON gives it. */
type Scalar = string | number | boolean

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** A string or an array of strings. */
const isStringList = (v: unknown): v is string | string[] => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))

/** A condition value: string, boolean or number. */
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))

const isScalarList = (v: unknown): v is Scalar[] => Array.isArray(v) && v.every(isScalar)

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v])

// What the grammar check (phase 1) reads from the JSON: every element in its shape, values not yet checked.
/** An Action/Resource element: which form (`not`: NotAction, NotResource), and its entries. */
interface ElementList {
  readonly not: boolean
  readonly values: readonly string[]
}
interface CheckedCondition {
  readonly operator: string
  readonly parsed: ParsedOperator
  readonly key: string
  readonly values: readonly Scalar[]
}
interface CheckedStatement {
  /** As written ('' included). */
  readonly sid: string | undefined
  /** Allow or Deny in any case (spelling is checked in phase 3). */
  readonly effect: string
  readonly action: ElementList | undefined
  readonly resource: ElementList | undefined
  /** Principal or NotPrincipal, read in its own phase (its errors have their own messages). */
  readonly principal: { readonly not: boolean; readonly value: unknown } | undefined
  /** Known operators only (an unknown one is accepted only empty). */
  readonly condition: readonly CheckedCondition[]
}
/** After phase 3: Effect spelled exactly. */
type SpelledStatement = Omit<CheckedStatement, 'effect'> & { readonly effect: Effect }
/** After phase 5: an Action or NotAction with at least one entry. */
type ActedStatement = Omit<SpelledStatement, 'action'> & { readonly action: ElementList }
interface CheckedDocument {
  readonly version: PolicyVersion | undefined
  readonly id: string | undefined
  readonly statements: readonly CheckedStatement[]
}

/** Phase 1: the grammar. Every failure is "Syntax errors in policy."; `detail` says what. */
function checkSyntax(doc: unknown): CheckedDocument {
  function bad(detail: string, statementIndex?: number): never {
    return malformed(SYNTAX, { detail, statementIndex })
  }
  if (!isObject(doc)) bad('Policy document must be a JSON object')
  for (const k of Object.keys(doc)) if (!TOP_KEYS.has(k)) bad(`Unknown policy element ${k}`)
  const version = Object.hasOwn(doc, 'Version') ? doc['Version'] : undefined
  if (version !== undefined && !isVersion(version)) bad(`Version must be "2012-10-17" or "2008-10-17", not ${JSON.stringify(version)}`)
  const id = Object.hasOwn(doc, 'Id') ? doc['Id'] : undefined
  if (id !== undefined && typeof id !== 'string') bad('Id must be a string')
  if (!Object.hasOwn(doc, 'Statement')) bad('Statement is missing')
  const body = doc['Statement']
  if (!isObject(body) && !Array.isArray(body)) bad('Statement must be an object or an array')
  const raw: readonly unknown[] = Array.isArray(body) ? body : [body]
  if (raw.length === 0) bad('Statement must contain at least one statement')
  const statements = raw.map((st, i): CheckedStatement => {
    const at = `in statement ${i}`
    if (!isObject(st)) bad(`Statement ${i} must be an object`, i)
    const has = (k: string): boolean => Object.hasOwn(st, k)
    for (const k of Object.keys(st)) if (!STATEMENT_KEYS.has(k)) bad(`Unknown element ${k} ${at}`, i)
    if (has('Action') && has('NotAction')) bad(`Both Action and NotAction ${at}`, i)
    if (has('Resource') && has('NotResource')) bad(`Both Resource and NotResource ${at}`, i)
    if (has('Principal') && has('NotPrincipal')) bad(`Both Principal and NotPrincipal ${at}`, i)
    if (!has('Effect')) bad(`Effect is missing ${at}`, i)
    const effect = st['Effect']
    if (typeof effect !== 'string' || (effect.toLowerCase() !== 'allow' && effect.toLowerCase() !== 'deny')) bad(`Effect ${at} must be "Allow" or "Deny"`, i)
    const list = (k: string): readonly string[] | undefined => {
      if (!has(k)) return undefined
      const v = st[k]
      if (!isStringList(v)) bad(`${k} ${at} must be a string or an array of strings`, i)
      return asList(v)
    }
    const action = list('Action')
    const notAction = list('NotAction')
    const resource = list('Resource')
    const notResource = list('NotResource')
    const sid = has('Sid') ? st['Sid'] : undefined
    if (sid !== undefined && typeof sid !== 'string') bad(`Sid ${at} must be a string`, i)
    const condition: CheckedCondition[] = []
    if (has('Condition')) {
      const blocks = st['Condition']
      if (!isObject(blocks)) bad(`Condition ${at} must be an object`, i)
      for (const [operator, block] of Object.entries(blocks)) {
        if (!isObject(block)) bad(`Condition operator ${operator} ${at} must map condition keys to values`, i)
        const parsed = parseOperator(operator)
        // IAM accepts an operator it does not know only with nothing under it.
        if (parsed === null) {
          if (Object.keys(block).length !== 0) bad(`Unknown condition operator "${operator}" ${at}`, i)
          continue
        }
        for (const [key, v] of Object.entries(block)) {
          if (!isScalar(v) && !isScalarList(v)) bad(`Condition ${operator} ${key} ${at}: values must be strings, numbers or booleans`, i)
          const values = asList(v)
          if (parsed.op.family === 'null') {
            for (const x of values) {
              const l = String(x).toLowerCase()
              if (l !== 'true' && l !== 'false') bad(`Null condition on ${key} ${at} takes "true" or "false", not "${x}"`, i)
            }
          }
          condition.push({ operator, parsed, key, values })
        }
      }
    }
    return {
      sid,
      effect,
      action: action !== undefined ? { not: false, values: action } : notAction !== undefined ? { not: true, values: notAction } : undefined,
      resource: resource !== undefined ? { not: false, values: resource } : notResource !== undefined ? { not: true, values: notResource } : undefined,
      principal: has('Principal') ? { not: false, value: st['Principal'] } : has('NotPrincipal') ? { not: true, value: st['NotPrincipal'] } : undefined,
      condition
    }
  })
  return { version, id, statements }
}

/** The format error IAM reports for a Resource/NotResource entry (after the other checks), or null. */
function resourceFormatError(r: string): string | null {
  if (r === '*') return null
  const first = r.indexOf(':')
  if (first === -1) return `Resource ${r} must be in ARN format or "*".`
  const segs = splitPatternVars(r)
  const partition = segs[1]
  // Every colon inside a policy variable (`${aws:username}`): no segment at all.
  if (partition === undefined) return `Resource ${r} must be in ARN format or "*".`
  if (partition !== '*' && !PARTITIONS.has(partition)) {
    // IAM quotes the entry as an ARN, padding missing segments with *.
    const rest = r.slice(first + 1 + partition.length + 1)
    const parts = segs.length > 2 ? rest.split(':') : ['']
    const seg = (i: number): string => parts[i] ?? '*'
    const a1 = parts[0] !== '' || parts.length > 1 ? parts[0] : '*'
    const a4 = parts.length > 3 ? parts.slice(3).join(':') : '*'
    return `Partition "${partition}" is not valid for resource "arn:${partition}:${a1}:${seg(1)}:${seg(2)}:${a4}".`
  }
  if (segs.length < 3) return 'Resource vendor must be fully qualified and cannot contain regexes.'
  if (segs[0] !== 'arn') return `Resource ${r} must be in ARN format or "*".`
  const service = segs[2]
  const region = segs[3] ?? ''
  const resource = segs[5] ?? ''
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
 */
function legacyResourceOk(r: string): boolean {
  if (r === '*') return true
  const segs = splitPatternVars(r)
  if (segs.length > 2 && segs[2] === '') return false
  if (segs.length < 6 && !r.endsWith('*') && segs.slice(1).some((x) => x === '')) return false
  return true
}

function parsePrincipal(p: unknown, field: string, index: number): PrincipalSpec {
  const spec: { any: boolean } & Record<PrincipalType, string[]> = { any: false, AWS: [], Service: [], Federated: [], CanonicalUser: [] }
  if (p === '*') {
    spec.any = true
    return spec
  }
  if (!isObject(p)) {
    malformed(`Invalid principal in policy: ${JSON.stringify(p)}`, { detail: `${field} in statement ${index} must be "*" or an object`, statementIndex: index })
  }
  const entries = Object.entries(p)
  if (entries.length === 0) malformed(`Invalid principal in policy: ${JSON.stringify(p)}`, { statementIndex: index })
  for (const [type, value] of entries) {
    if (!isPrincipalType(type)) malformed(`Invalid principal in policy: ${JSON.stringify({ [type]: value })}`, { detail: `unknown principal type ${type} in statement ${index}`, statementIndex: index })
    if (!isStringList(value) || asList(value).length === 0) malformed(`Invalid principal in policy: ${JSON.stringify({ [type]: value })}`, { statementIndex: index })
    for (const v of asList(value)) {
      const bad = (): never => malformed(`Invalid principal in policy: "${type}":"${v}"`, { statementIndex: index })
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
      spec[type].push(v)
    }
  }
  return spec
}

/**
 * Parse and validate a policy document.
 * @param text JSON text (or an already-decoded object)
 * @throws {PolicyError} code MalformedPolicyDocument, or LimitExceeded when maxSize is exceeded
 */
export function parsePolicyDocument(text: string | object, options: ParseOptions = {}): ParsedPolicy {
  const kind = options.kind ?? 'identity'
  if (!isKind(kind)) throw new TypeError(`unknown policy kind ${String(kind)}`)
  const strict = options.writeTime === true
  let source: string | undefined
  try {
    // JSON.stringify gives undefined for undefined or a function, whatever its declared type says.
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
  let json: unknown
  try {
    json = JSON.parse(source)
  } catch {
    // IAM's words differ by document: "This policy contains invalid Json" for trust policies (CreateRole,
    // UpdateAssumeRolePolicy), "Syntax errors in policy." for permissions policies (CreatePolicy).
    malformed(kind === 'trust' ? INVALID_JSON : SYNTAX, { detail: 'Policy document is not valid JSON' })
  }

  // 1. Grammar.
  const doc = checkSyntax(json)
  const versionSpecified = doc.version !== undefined
  const version = doc.version ?? '2008-10-17'

  // 2. Managed policies need the current language version (inline and trust policies do not).
  if (options.managed && version !== '2012-10-17') {
    malformed('Policy document must be version 2012-10-17 or greater.', { detail: versionSpecified ? `Version is ${version}` : 'Version is missing' })
  }

  // 3. Legacy parsing: Effect spelled exactly, Date values, ARNs IAM cannot read. Resource format errors
  //    found on the way are reported later (step 7), and stop the legacy check of further resources.
  const legacy = doc.statements.map((st, i): SpelledStatement => {
    const effect = st.effect
    if (effect !== 'Allow' && effect !== 'Deny') malformed(LEGACY, { detail: `Effect in statement ${i} must be spelled "Allow" or "Deny", not "${effect}"`, statementIndex: i })
    if (strict) {
      for (const c of st.condition) {
        const read = VALUE_READERS[c.parsed.op.family]
        if (read === undefined) continue
        for (const x of c.values) {
          if (!read(String(x))) malformed(LEGACY, { detail: `${c.operator} ${c.key} in statement ${i}: "${x}" is not a valid ${c.parsed.op.family} value`, statementIndex: i })
        }
      }
    }
    return { ...st, effect }
  })
  let formatError: { message: string; index: number } | null = null
  if (strict) {
    for (const not of [false, true]) {
      const key = not ? 'NotResource' : 'Resource'
      for (const [i, st] of legacy.entries()) {
        if (st.resource === undefined || st.resource.not !== not) continue
        const entries = st.resource.values.slice().sort()
        for (const r of entries) {
          const e = resourceFormatError(r)
          if (e !== null && formatError === null) formatError = { message: e, index: i }
        }
        if (formatError !== null) continue
        for (const r of entries) if (!legacyResourceOk(r)) malformed(LEGACY, { detail: `${key} "${r}" in statement ${i} is not a readable ARN`, statementIndex: i })
      }
    }
  }

  // 4. Statement ids: unique, then alphanumeric.
  const sids = new Set<string>()
  for (const [i, st] of legacy.entries()) {
    if (st.sid === undefined || st.sid === '') continue
    if (sids.has(st.sid)) malformed('Statement IDs (SID) in a single policy must be unique.', { detail: `Sid ${st.sid} appears more than once`, statementIndex: i })
    sids.add(st.sid)
  }
  for (const [i, st] of legacy.entries()) {
    if (st.sid !== undefined && !SID_RE.test(st.sid)) {
      malformed('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*', { statementIndex: i })
    }
  }

  // 5. Actions, 6. resources (identity-style policies; a trust policy has none).
  const acted = legacy.map((st, i): ActedStatement => {
    const action = st.action
    if (action === undefined || action.values.length === 0) malformed('Policy statement must contain actions.', { statementIndex: i })
    return { ...st, action }
  })
  if (kind !== 'trust') {
    for (const [i, st] of acted.entries()) {
      if (st.resource === undefined || st.resource.values.length === 0) malformed('Policy statement must contain resources.', { statementIndex: i })
    }
  }

  // 7. The first Resource format error.
  if (formatError !== null) malformed(formatError.message, { statementIndex: formatError.index })

  // 8. Action vendors.
  for (const [i, st] of acted.entries()) {
    for (const a of st.action.values) {
      if (a === '*') continue
      const parts = a.split(':')
      if (parts.length < 2) malformed('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.', { detail: `Action "${a}" in statement ${i} has no service prefix`, statementIndex: i })
      if (parts.length > 2) malformed('Actions/Condition can contain only one colon.', { detail: `Action "${a}" in statement ${i} has more than one colon`, statementIndex: i })
      const vendor = a.slice(0, a.indexOf(':'))
      if (vendor !== '*' && BAD_VENDOR_RE.test(vendor)) malformed(`Vendor ${vendor} is not valid`, { statementIndex: i })
    }
  }

  // Principals, and the rules of trust policies.
  const principaled = acted.map((st, i): { st: ActedStatement; principal: PrincipalElement } => {
    const p = st.principal
    if (kind === 'trust' || kind === 'resource') {
      if (p === undefined) malformed('Missing required field Principal', { statementIndex: i })
      return { st, principal: p.not ? { notPrincipal: parsePrincipal(p.value, 'NotPrincipal', i) } : { principal: parsePrincipal(p.value, 'Principal', i) } }
    }
    if (p !== undefined) malformed('Policy document should not specify a principal.', { statementIndex: i })
    return { st, principal: {} }
  })
  if (kind === 'trust') {
    for (const [i, st] of acted.entries()) {
      if (strict && !st.action.not) {
        for (const a of st.action.values) {
          const l = a.toLowerCase()
          const wild = l.includes('*') || l.includes('?')
          if (!TRUST_ACTIONS.has(l) && !(wild && (l.startsWith('sts:') || l === '*'))) {
            malformed('AssumeRole policy may only specify STS AssumeRole actions.', { detail: `Action "${a}" in statement ${i}`, statementIndex: i })
          }
        }
      }
      if (st.resource !== undefined && !st.resource.not) malformed('Has prohibited field Resource', { statementIndex: i })
      if (st.resource !== undefined && st.resource.not) malformed('Has prohibited field NotResource', { statementIndex: i })
    }
  }

  const statements = principaled.map(({ st, principal }, index): ParsedStatement => {
    const condition = st.condition.map((c): ConditionEntry => ({
      operator: c.operator,
      key: c.key,
      values: c.values.map((x) => (typeof x === 'string' ? x : String(x))),
      parsed: c.parsed
    }))
    const { action, resource } = st
    return {
      index,
      sid: st.sid !== undefined && st.sid !== '' ? st.sid : undefined,
      effect: st.effect,
      condition,
      ...principal,
      ...(action.not ? { notAction: action.values } : { action: action.values }),
      ...(resource === undefined ? {} : resource.not ? { notResource: resource.values } : { resource: resource.values })
    }
  })

  return { version, versionSpecified, id: doc.id, kind, size, statements }
}
