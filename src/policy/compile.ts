// Compile a parsed policy once into closures: lower-cased action sets, pre-split ARN patterns,
// condition closures. Evaluation then does no parsing and builds no regular expressions.
//
// The evaluation loops index arrays inside their bounds; `!` marks those reads.

import { compileCondition, conditionVariableKeys } from './conditions.js'
import type { CompiledCondition } from './conditions.js'
import { compileResourcePattern } from './arn.js'
import type { RequestResource, ResourceMatcher } from './arn.js'
import { MATCH, NO_MATCH, UNKNOWN, compileWildcard, work } from './wildcard.js'
import type { MatchResult, StringTest } from './wildcard.js'
import { UNDECIDABLE, parseTemplate } from './variables.js'
import type { ContextLike } from './variables.js'
import type { ParsedPolicy, PolicyKind, PolicyVersion, PrincipalSpec, PrincipalType } from './parse.js'

/** AWS's SourcePolicyType: where a matched statement comes from. */
export type SourcePolicyType = 'user' | 'group' | 'role' | 'aws-managed' | 'user-managed' | 'resource' | 'none'

/** A statement that decided a request: the policy it is in (as compilePolicy was told), its Sid and position. */
export interface StatementRef {
  readonly sourcePolicyId: string
  readonly sourcePolicyType: SourcePolicyType
  readonly sid: string | null
  readonly statementIndex: number
}

/**
 * The caller as a resource or trust policy sees it. `account` is the account of an AWS principal (from its
 * ARN or account id); `roleArn` the role of a role session, which a Principal naming the role also matches.
 */
export interface RequestPrincipal {
  readonly type: PrincipalType | 'Anonymous'
  readonly id: string
  readonly account: string | null
  readonly roleArn: string | null
}

export interface CompiledStatement {
  readonly ref: StatementRef
  readonly isDeny: boolean
  /** Action/NotAction, over the lower-cased request action. */
  readonly matchAction: (actionLower: string) => boolean
  readonly matchResource: (res: RequestResource, ctx: ContextLike) => boolean
  /** Principal/NotPrincipal; null in identity-side policies, which have none. */
  readonly matchPrincipal: ((p: RequestPrincipal | null) => boolean) | null
  readonly conditions: readonly CompiledCondition[]
  /** The keys the conditions read (condition keys and variables), for missingContextValues. */
  readonly conditionKeys: readonly { readonly key: string; readonly lower: string }[]
}

export interface CompiledPolicy {
  readonly id: string
  readonly type: SourcePolicyType
  readonly kind: PolicyKind
  readonly version: PolicyVersion
  readonly statements: readonly CompiledStatement[]
}

/** What compilePolicy needs to know: the id that names the policy in matchedStatements, and its type. */
export interface CompileOptions {
  readonly id: string
  readonly type: SourcePolicyType
}

const SOURCE_TYPES: ReadonlySet<unknown> = new Set<SourcePolicyType>(['user', 'group', 'role', 'aws-managed', 'user-managed', 'resource', 'none'])

const isSourcePolicyType = (t: unknown): t is SourcePolicyType => SOURCE_TYPES.has(t)

/**
 * Action/NotAction matcher over the lower-cased request action. An unknown outcome (work budget spent)
 * is decided fail-closed: the element matches in a Deny statement and not in an Allow statement.
 * @param negate NotAction
 */
function compileActions(patterns: readonly string[], negate: boolean, deny: boolean): (actionLower: string) => boolean {
  const exact = new Set<string>()
  const wild: StringTest[] = []
  let all = false
  for (const p of patterns) {
    const l = p.toLowerCase()
    if (l === '*') all = true
    else if (l.includes('*') || l.includes('?')) wild.push(compileWildcard(l))
    else exact.add(l)
  }
  const n = wild.length
  const hit = (a: string): MatchResult => {
    if (all || exact.has(a)) return MATCH
    let unknown = false
    for (let i = 0; i < n; i++) {
      const r = wild[i]!(a)
      if (r === MATCH) return MATCH
      if (r === UNKNOWN) unknown = true
    }
    return unknown ? UNKNOWN : NO_MATCH
  }
  if (negate) {
    return (a) => {
      const r = hit(a)
      return r === UNKNOWN ? deny : r === NO_MATCH
    }
  }
  if (all) return () => true
  if (n === 0 && exact.size === 1) {
    const only = exact.values().next().value
    return (a) => a === only
  }
  return (a) => {
    work.used += 1
    const r = hit(a)
    return r === UNKNOWN ? deny : r === MATCH
  }
}

/**
 * Resource/NotResource matcher. An unresolvable variable matches nothing; in NotResource it makes the
 * element fail too, so the statement does not apply (AWS: the statement is invalid for the request). An
 * unknown outcome (work budget spent) is decided fail-closed by the statement's effect.
 * @param negate NotResource
 */
function compileResources(list: readonly string[] | undefined, negate: boolean, vars: boolean, deny: boolean): (res: RequestResource, ctx: ContextLike) => boolean {
  if (list === undefined) return () => true
  if (!negate && list.includes('*')) return () => true
  const matchers: ResourceMatcher[] = list.map((r) => compileResourcePattern(r, vars))
  const n = matchers.length
  if (!negate) {
    return (res, ctx) => {
      let unknown = false
      for (let i = 0; i < n; i++) {
        const r = matchers[i]!(res, ctx)
        if (r === MATCH) return true
        if (r === UNKNOWN) unknown = true
      }
      return unknown && deny
    }
  }
  return (res, ctx) => {
    let unknown = false
    for (let i = 0; i < n; i++) {
      const r = matchers[i]!(res, ctx)
      if (r === MATCH || r === UNDECIDABLE) return false
      if (r === UNKNOWN) unknown = true
    }
    return !unknown || deny
  }
}

function compilePrincipalSpec(spec: PrincipalSpec): (p: RequestPrincipal | null) => boolean {
  if (spec.any) return () => true
  const accounts = new Set<string>()
  const arns = new Set<string>()
  for (const v of spec.AWS) {
    if (/^\d{12}$/.test(v)) accounts.add(v)
    else {
      const m = /^arn:[^:]+:iam::(\d{12}):root$/.exec(v)
      if (m?.[1] !== undefined) accounts.add(m[1])
      else arns.add(v)
    }
  }
  const services = new Set(spec.Service.map((s) => s.toLowerCase()))
  const federated = new Set(spec.Federated)
  const canonical = new Set(spec.CanonicalUser)
  return (p) => {
    if (p === null) return false
    switch (p.type) {
      case 'AWS':
        return (p.account !== null && accounts.has(p.account)) || arns.has(p.id) || (p.roleArn !== null && arns.has(p.roleArn))
      case 'Service':
        return services.has(p.id.toLowerCase())
      case 'Federated':
        return federated.has(p.id)
      case 'CanonicalUser':
        return canonical.has(p.id)
      default:
        return false
    }
  }
}

/**
 * Compile a parsed policy for repeated evaluation.
 * @param parsed from parsePolicyDocument
 * @param options id names the policy in matchedStatements
 */
export function compilePolicy(parsed: ParsedPolicy, options: CompileOptions): CompiledPolicy {
  // Checked at run time too: the options often come from stored rows.
  const id: unknown = options?.id
  const type: unknown = options?.type
  if (typeof id !== 'string') throw new TypeError('compilePolicy: options.id must be a string')
  if (!isSourcePolicyType(type)) throw new TypeError(`compilePolicy: unknown SourcePolicyType ${String(type)}`)
  const vars = parsed.version === '2012-10-17'
  const statements = parsed.statements.map((st): CompiledStatement => {
    const deny = st.effect === 'Deny'
    const conditions: CompiledCondition[] = []
    const keys = new Map<string, string>()
    for (const c of st.condition) {
      conditions.push(compileCondition(c.parsed, c.key, c.values, vars, deny))
      for (const k of [c.key, ...conditionVariableKeys(c.parsed, c.values, vars)]) {
        if (!keys.has(k.toLowerCase())) keys.set(k.toLowerCase(), k)
      }
    }
    return {
      ref: Object.freeze({ sourcePolicyId: id, sourcePolicyType: type, sid: st.sid ?? null, statementIndex: st.index }),
      isDeny: deny,
      matchAction: st.action !== undefined ? compileActions(st.action, false, deny) : compileActions(st.notAction, true, deny),
      matchResource: st.resource !== undefined ? compileResources(st.resource, false, vars, deny) : compileResources(st.notResource, true, vars, deny),
      matchPrincipal: st.principal ? compilePrincipalSpec(st.principal) : st.notPrincipal ? negate(compilePrincipalSpec(st.notPrincipal)) : null,
      conditions,
      conditionKeys: [...keys].map(([lower, key]) => ({ key, lower }))
    }
  })
  return Object.freeze({ id, type, kind: parsed.kind, version: parsed.version, statements })
}

function negate(f: (p: RequestPrincipal | null) => boolean): (p: RequestPrincipal | null) => boolean {
  return (p) => !f(p)
}

/**
 * Condition keys referenced by policies, for GetContextKeysForPrincipalPolicy: keys in Condition
 * blocks and keys used as policy variables (2012-10-17 documents only). Sorted, unique
 * (case-insensitively; the first spelling met is kept).
 */
export function getContextKeys(parsedDocs: readonly ParsedPolicy[]): string[] {
  const seen = new Map<string, string>()
  const add = (k: string): void => {
    if (!seen.has(k.toLowerCase())) seen.set(k.toLowerCase(), k)
  }
  for (const doc of parsedDocs) {
    const vars = doc.version === '2012-10-17'
    for (const st of doc.statements) {
      for (const c of st.condition) {
        add(c.key)
        for (const k of conditionVariableKeys(c.parsed, c.values, vars)) add(k)
      }
      if (vars) {
        // Variables count in any segment of an ARN pattern, as in evaluation.
        for (const r of st.resource ?? st.notResource ?? []) {
          if (r.startsWith('arn:')) for (const v of parseTemplate(r, true).vars) add(v.key)
        }
      }
    }
  }
  return [...seen.values()].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0))
}
