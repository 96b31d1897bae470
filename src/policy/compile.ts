// @ts-nocheck -- renamed from .js in this commit only (so that history follows the file); typed in the next
// Compile a parsed policy once into closures: lower-cased action sets, pre-split ARN patterns,
// condition closures. Evaluation then does no parsing and builds no regular expressions.

import { compileCondition, conditionVariableKeys, parseOperator } from './conditions.js'
import { compileResourcePattern } from './arn.js'
import { MATCH, NO_MATCH, UNKNOWN, compileWildcard, work } from './wildcard.js'
import { parseTemplate } from './variables.js'

/**
 * @typedef {import('./parse.js').ParsedPolicy} ParsedPolicy
 * @typedef {import('./parse.js').PrincipalSpec} PrincipalSpec
 * @typedef {'user' | 'group' | 'role' | 'aws-managed' | 'user-managed' | 'resource' | 'none'} SourcePolicyType
 * @typedef {{ sourcePolicyId: string, sourcePolicyType: SourcePolicyType, sid: string | null, statementIndex: number }} StatementRef
 * @typedef {{ type: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | 'Anonymous', id: string, account: string | null, roleArn: string | null }} RequestPrincipal
 * @typedef {import('./arn.js').RequestResource} RequestResource
 * @typedef {{
 *   ref: StatementRef, isDeny: boolean,
 *   matchAction: (actionLower: string) => boolean,
 *   matchResource: (res: RequestResource, ctx: import('./variables.js').ContextLike) => boolean,
 *   matchPrincipal: ((p: RequestPrincipal | null) => boolean) | null,
 *   conditions: import('./conditions.js').CompiledCondition[],
 *   conditionKeys: { key: string, lower: string }[]
 * }} CompiledStatement
 * @typedef {{ id: string, type: SourcePolicyType, kind: import('./parse.js').PolicyKind, version: string, statements: CompiledStatement[] }} CompiledPolicy
 */

const SOURCE_TYPES = new Set(['user', 'group', 'role', 'aws-managed', 'user-managed', 'resource', 'none'])

/**
 * Action/NotAction matcher over the lower-cased request action. An unknown outcome (work budget spent)
 * is decided fail-closed: the element matches in a Deny statement and not in an Allow statement.
 * @param {string[]} patterns
 * @param {boolean} negate NotAction
 * @param {boolean} deny
 */
function compileActions(patterns, negate, deny) {
  const exact = new Set()
  const wild = []
  let all = false
  for (const p of patterns) {
    const l = p.toLowerCase()
    if (l === '*') all = true
    else if (l.includes('*') || l.includes('?')) wild.push(compileWildcard(l))
    else exact.add(l)
  }
  const n = wild.length
  /** @param {string} a @returns {1 | 0 | -2} */
  const hit = (a) => {
    if (all || exact.has(a)) return MATCH
    let unknown = false
    for (let i = 0; i < n; i++) {
      const r = wild[i](a)
      if (r === MATCH) return MATCH
      if (r === UNKNOWN) unknown = true
    }
    return unknown ? UNKNOWN : NO_MATCH
  }
  if (negate) {
    return (/** @type {string} */ a) => {
      const r = hit(a)
      return r === UNKNOWN ? deny : r === NO_MATCH
    }
  }
  if (all) return () => true
  if (n === 0 && exact.size === 1) {
    const only = exact.values().next().value
    return (/** @type {string} */ a) => a === only
  }
  return (/** @type {string} */ a) => {
    work.used += 1
    const r = hit(a)
    return r === UNKNOWN ? deny : r === MATCH
  }
}

/**
 * Resource/NotResource matcher. An unresolvable variable matches nothing; in NotResource it makes the
 * element fail too, so the statement does not apply (AWS: the statement is invalid for the request). An
 * unknown outcome (work budget spent) is decided fail-closed by the statement's effect.
 * @param {string[] | undefined} resource
 * @param {string[] | undefined} notResource
 * @param {boolean} vars
 * @param {boolean} deny
 */
function compileResources(resource, notResource, vars, deny) {
  if (resource === undefined && notResource === undefined) return () => true
  const list = /** @type {string[]} */ (resource ?? notResource)
  if (resource !== undefined && list.includes('*')) return () => true
  const matchers = list.map((r) => compileResourcePattern(r, vars))
  const n = matchers.length
  if (resource !== undefined) {
    return (/** @type {RequestResource} */ res, /** @type {import('./variables.js').ContextLike} */ ctx) => {
      let unknown = false
      for (let i = 0; i < n; i++) {
        const r = matchers[i](res, ctx)
        if (r === MATCH) return true
        if (r === UNKNOWN) unknown = true
      }
      return unknown && deny
    }
  }
  return (/** @type {RequestResource} */ res, /** @type {import('./variables.js').ContextLike} */ ctx) => {
    let unknown = false
    for (let i = 0; i < n; i++) {
      const r = matchers[i](res, ctx)
      if (r === MATCH || r === -1) return false
      if (r === UNKNOWN) unknown = true
    }
    return !unknown || deny
  }
}

/**
 * @param {PrincipalSpec} spec
 * @returns {(p: RequestPrincipal | null) => boolean}
 */
function compilePrincipalSpec(spec) {
  if (spec.any) return () => true
  const accounts = new Set()
  const arns = new Set()
  for (const v of spec.AWS) {
    if (/^\d{12}$/.test(v)) accounts.add(v)
    else {
      const m = /^arn:[^:]+:iam::(\d{12}):root$/.exec(v)
      if (m) accounts.add(m[1])
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
 * @param {ParsedPolicy} parsed from parsePolicyDocument
 * @param {{ id: string, type: SourcePolicyType }} options id names the policy in matchedStatements
 * @returns {CompiledPolicy}
 */
export function compilePolicy(parsed, options) {
  const { id, type } = options ?? {}
  if (typeof id !== 'string') throw new TypeError('compilePolicy: options.id must be a string')
  if (!SOURCE_TYPES.has(type)) throw new TypeError(`compilePolicy: unknown SourcePolicyType ${type}`)
  const vars = parsed.version === '2012-10-17'
  const statements = parsed.statements.map((st) => {
    const conditions = []
    const keys = new Map()
    for (const c of st.condition) {
      const op = /** @type {import('./conditions.js').ParsedOperator} */ (parseOperator(c.operator))
      conditions.push(compileCondition(op, c.key, c.values, vars, st.effect === 'Deny'))
      for (const k of [c.key, ...conditionVariableKeys(op, c.values, vars)]) {
        if (!keys.has(k.toLowerCase())) keys.set(k.toLowerCase(), k)
      }
    }
    /** @type {CompiledStatement} */
    const out = {
      ref: Object.freeze({ sourcePolicyId: id, sourcePolicyType: type, sid: st.sid ?? null, statementIndex: st.index }),
      isDeny: st.effect === 'Deny',
      matchAction: compileActions(/** @type {string[]} */ (st.action ?? st.notAction), st.action === undefined, st.effect === 'Deny'),
      matchResource: compileResources(st.resource, st.notResource, vars, st.effect === 'Deny'),
      matchPrincipal: st.principal ? compilePrincipalSpec(st.principal) : st.notPrincipal ? negate(compilePrincipalSpec(st.notPrincipal)) : null,
      conditions,
      conditionKeys: [...keys].map(([lower, key]) => ({ key, lower }))
    }
    return out
  })
  return Object.freeze({ id, type, kind: parsed.kind, version: parsed.version, statements })
}

/** @param {(p: RequestPrincipal | null) => boolean} f */
function negate(f) {
  return (/** @type {RequestPrincipal | null} */ p) => !f(p)
}

/**
 * Condition keys referenced by policies, for GetContextKeysForPrincipalPolicy: keys in Condition
 * blocks and keys used as policy variables (2012-10-17 documents only). Sorted, unique
 * (case-insensitively; the first spelling met is kept).
 * @param {ParsedPolicy[]} parsedDocs
 * @returns {string[]}
 */
export function getContextKeys(parsedDocs) {
  const seen = new Map()
  const add = (/** @type {string} */ k) => {
    if (!seen.has(k.toLowerCase())) seen.set(k.toLowerCase(), k)
  }
  for (const doc of parsedDocs) {
    const vars = doc.version === '2012-10-17'
    for (const st of doc.statements) {
      for (const c of st.condition) {
        add(c.key)
        for (const k of conditionVariableKeys(/** @type {any} */ (parseOperator(c.operator)), c.values, vars)) add(k)
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
