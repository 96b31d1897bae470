// @ts-nocheck -- renamed from .js in this commit only (so that history follows the file); typed in the next
// Decision logic for one account (AWS "policy evaluation logic"):
//   1. an explicit Deny in any policy (identity, resource, boundary, session) → explicitDeny;
//   2. the root user is allowed (no identity policies, boundaries or session policies apply to it);
//   3. an Allow from an identity policy or the same-account resource policy → candidate allow;
//   4. a permissions boundary, if given, must also Allow; session policies, if given, must also Allow;
//   5. otherwise implicitDeny.

import { RequestResource, splitArn } from './arn.js'
import { DEFAULT_WORK_LIMIT, resetWork } from './wildcard.js'

/**
 * @typedef {import('./compile.js').CompiledPolicy} CompiledPolicy
 * @typedef {import('./compile.js').CompiledStatement} CompiledStatement
 * @typedef {import('./compile.js').StatementRef} StatementRef
 * @typedef {import('./compile.js').RequestPrincipal} RequestPrincipal
 * @typedef {string | { type?: RequestPrincipal['type'], id: string, roleArn?: string }} PrincipalInput
 * @typedef {{ action: string, resource?: string, context?: Record<string, unknown> | RequestContext, principal?: PrincipalInput }} EvaluationRequest
 * @typedef {{ identity?: CompiledPolicy[], boundary?: CompiledPolicy[], session?: CompiledPolicy[], resource?: CompiledPolicy, isRoot?: boolean }} PolicySet
 * @typedef {{ decision: 'allowed' | 'explicitDeny' | 'implicitDeny', matchedStatements: StatementRef[], missingContextValues: string[], allowedByPermissionsBoundary?: boolean }} EvaluationResult
 */

/** A request context with lower-cased keys; build one with createRequestContext to reuse it. */
export class RequestContext extends Map {}

/**
 * Normalise a request context: keys lower-cased (key names are case-insensitive), values strings or
 * arrays of strings (multivalued keys); null/undefined values are dropped (the key is absent).
 * @param {Record<string, unknown> | Map<string, unknown> | undefined} context
 * @returns {RequestContext}
 */
export function createRequestContext(context) {
  if (context instanceof RequestContext) return context
  const out = new RequestContext()
  if (!context) return out
  if (context instanceof Map) {
    for (const [k, v] of context) put(out, k, v)
    return out
  }
  for (const k in context) if (Object.hasOwn(context, k)) put(out, k, context[k])
  return out
}

/** @param {RequestContext} out @param {string} k @param {unknown} v */
function put(out, k, v) {
  if (v === undefined || v === null) return
  out.set(k.toLowerCase(), typeof v === 'string' ? v : Array.isArray(v) ? v.map(String) : String(v))
}

/**
 * @param {PrincipalInput | undefined} p
 * @returns {RequestPrincipal | null}
 */
export function normalizePrincipal(p) {
  if (p === undefined || p === null) return null
  const obj = typeof p === 'string' ? { type: /** @type {const} */ ('AWS'), id: p } : p
  const type = obj.type ?? 'AWS'
  let account = null
  let roleArn = obj.roleArn ?? null
  if (type === 'AWS') {
    const parts = splitArn(obj.id)
    if (parts) {
      account = parts[4]
      // A role session (sts assumed-role ARN) is also matched by its role's ARN.
      if (roleArn === null && parts[2] === 'sts' && parts[5].startsWith('assumed-role/')) {
        const role = parts[5].split('/')[1]
        roleArn = `arn:${parts[1]}:iam::${parts[4]}:role/${role}`
      }
    } else if (/^\d{12}$/.test(obj.id)) account = obj.id
  }
  return { type, id: obj.id, account, roleArn }
}

/**
 * The caller's plain-object context, looked up first under the key as the policy spells it (one
 * property read, the common case), and normalised into a RequestContext only on a miss, so that a
 * differently-cased key is still found.
 */
class LazyContext {
  /** @param {Record<string, unknown>} obj */
  constructor(obj) {
    this.obj = obj
    /** @type {RequestContext | null} */
    this.map = null
  }
  /** @param {string} lowerKey @param {string} [spelledKey] */
  get(lowerKey, spelledKey) {
    if (this.map === null) {
      if (spelledKey !== undefined) {
        const v = this.obj[spelledKey]
        if (typeof v === 'string' && Object.hasOwn(this.obj, spelledKey)) return v
      }
      this.map = createRequestContext(this.obj)
    }
    return this.map.get(lowerKey)
  }
  /** @param {string} lowerKey @param {string} [spelledKey] */
  has(lowerKey, spelledKey) {
    return this.get(lowerKey, spelledKey) !== undefined
  }
}

/** Per-call accumulator; arrays are created only when something lands in them. */
class Scan {
  constructor() {
    /** @type {StatementRef[] | null} */ this.denies = null
    /** @type {StatementRef[] | null} */ this.allows = null
    /** @type {StatementRef[] | null} */ this.boundaryAllows = null
    /** @type {StatementRef[] | null} */ this.sessionAllows = null
    /** @type {CompiledStatement[] | null} */ this.evaluated = null
  }
}

const ALLOWS = 0
const BOUNDARY = 1
const SESSION = 2

/**
 * Scan one policy list; record matching statements in `acc`.
 * @param {CompiledPolicy[] | undefined} policies
 * @param {string} action lower-cased
 * @param {RequestResource} res
 * @param {any} ctx context-like ({ get, has } over lower-cased keys)
 * @param {RequestPrincipal | null} principal
 * @param {Scan} acc
 * @param {number} bucket where Allows go: ALLOWS, BOUNDARY or SESSION
 */
function scan(policies, action, res, ctx, principal, acc, bucket) {
  if (!policies) return
  for (let p = 0; p < policies.length; p++) {
    const sts = policies[p].statements
    for (let s = 0; s < sts.length; s++) {
      const st = sts[s]
      if (!st.matchAction(action)) continue
      if (st.matchPrincipal !== null && !st.matchPrincipal(principal)) continue
      if (!st.matchResource(res, ctx)) continue
      const conds = st.conditions
      if (conds.length !== 0) {
        ;(acc.evaluated ??= []).push(st)
        let ok = true
        for (let c = 0; c < conds.length; c++) {
          if (!conds[c](ctx)) {
            ok = false
            break
          }
        }
        if (!ok) continue
      }
      if (st.isDeny) (acc.denies ??= []).push(st.ref)
      else if (bucket === ALLOWS) (acc.allows ??= []).push(st.ref)
      else if (bucket === BOUNDARY) (acc.boundaryAllows ??= []).push(st.ref)
      else (acc.sessionAllows ??= []).push(st.ref)
    }
  }
}

/**
 * Decide a request against a principal's compiled policies. The work of one call is bounded (see
 * wildcard.js): whatever the sizes of the documents and the context, a test that would exceed the budget
 * is decided fail-closed (a Deny applies, an Allow does not) instead of running on.
 * @param {EvaluationRequest} request
 * @param {PolicySet} policySet
 * @param {{ workLimit?: number }} [options] workLimit: steps allowed for this call (tests)
 * @returns {EvaluationResult}
 */
export function evaluate(request, policySet, options) {
  if (!request || typeof request.action !== 'string') throw new TypeError('evaluate: request.action must be a string')
  resetWork(options?.workLimit ?? DEFAULT_WORK_LIMIT)
  const raw = request.context
  const ctx = raw instanceof RequestContext ? raw : raw instanceof Map ? createRequestContext(raw) : new LazyContext(/** @type {any} */ (raw ?? {}))
  const action = request.action.toLowerCase()
  const res = new RequestResource(request.resource ?? '*')
  const principal = policySet.resource ? normalizePrincipal(request.principal) : null
  const acc = new Scan()
  const isRoot = policySet.isRoot === true
  const boundary = policySet.boundary
  const session = policySet.session

  if (policySet.resource) scan([policySet.resource], action, res, ctx, principal, acc, ALLOWS)
  if (!isRoot) {
    scan(policySet.identity, action, res, ctx, null, acc, ALLOWS)
    if (boundary) scan(boundary, action, res, ctx, null, acc, BOUNDARY)
    if (session) scan(session, action, res, ctx, null, acc, SESSION)
  }

  /** @type {EvaluationResult['decision']} */
  let decision
  /** @type {StatementRef[]} */
  let matchedStatements
  if (acc.denies !== null) {
    decision = 'explicitDeny'
    matchedStatements = acc.denies
  } else if (isRoot) {
    decision = 'allowed'
    matchedStatements = acc.allows ?? []
  } else if (acc.allows !== null && (!boundary || acc.boundaryAllows !== null) && (!session || acc.sessionAllows !== null)) {
    decision = 'allowed'
    matchedStatements = acc.allows
  } else {
    decision = 'implicitDeny'
    matchedStatements = []
  }

  /** @type {EvaluationResult} */
  const result = { decision, matchedStatements, missingContextValues: acc.evaluated === null ? [] : missingKeys(acc.evaluated, ctx) }
  if (boundary && !isRoot) result.allowedByPermissionsBoundary = acc.denies === null && acc.boundaryAllows !== null
  return result
}

/**
 * Keys referenced by the conditions that were evaluated but absent from the context.
 * @param {CompiledStatement[]} evaluated
 * @param {import('./variables.js').ContextLike} ctx
 * @returns {string[]}
 */
function missingKeys(evaluated, ctx) {
  /** @type {string[]} */
  let out = []
  let seen = null
  for (let i = 0; i < evaluated.length; i++) {
    const keys = evaluated[i].conditionKeys
    for (let k = 0; k < keys.length; k++) {
      const { key, lower } = keys[k]
      if (ctx.has(lower, key)) continue
      if (seen === null) seen = new Set()
      if (seen.has(lower)) continue
      seen.add(lower)
      out.push(key)
    }
  }
  return out.length > 1 ? out.sort() : out
}
