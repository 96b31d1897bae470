// Decision logic for one account (AWS "policy evaluation logic"):
//   1. an explicit Deny in any policy (identity, resource, boundary, session) → explicitDeny;
//   2. the root user is allowed (no identity policies, boundaries or session policies apply to it);
//   3. an Allow from an identity policy or the same-account resource policy → candidate allow;
//   4. a permissions boundary, if given, must also Allow; session policies, if given, must also Allow;
//   5. otherwise implicitDeny.
//
// The scanning loops index arrays inside their bounds; `!` marks those reads.

import { RequestResource, splitArn } from './arn.js'
import { DEFAULT_WORK_LIMIT, resetWork } from './wildcard.js'
import type { CompiledPolicy, CompiledStatement, RequestPrincipal, StatementRef } from './compile.js'
import type { ContextLike, ContextValue } from './variables.js'

/**
 * The caller, for resource and trust policies: an ARN (or account id) string, or a typed principal. For an
 * `arn:aws:sts::A:assumed-role/R/S` session the role ARN is derived; pass `roleArn` when the role has a path.
 */
export type PrincipalInput = string | { readonly type?: RequestPrincipal['type'] | undefined; readonly id: string; readonly roleArn?: string | undefined }

/** A request: the action, the resource (`*` when none), the context keys and, for resource policies, the caller. */
export interface EvaluationRequest {
  readonly action: string
  readonly resource?: string | undefined
  /** Values are strings or arrays of strings; booleans and numbers are stringified, null/undefined mean absent. */
  readonly context?: Readonly<Record<string, unknown>> | Map<string, unknown> | undefined
  readonly principal?: PrincipalInput | null | undefined
}

/**
 * The policies that apply to one request. An absent `boundary`/`session` means none; an empty list is a
 * boundary (or session) that allows nothing.
 */
export interface PolicySet {
  readonly identity?: readonly CompiledPolicy[] | undefined
  readonly boundary?: readonly CompiledPolicy[] | undefined
  readonly session?: readonly CompiledPolicy[] | undefined
  readonly resource?: CompiledPolicy | undefined
  readonly isRoot?: boolean | undefined
}

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny'

export interface EvaluationResult {
  decision: Decision
  /** Every matching Deny for explicitDeny, every matching identity/resource Allow for allowed, none otherwise. */
  matchedStatements: StatementRef[]
  /** Keys (as the policy spells them) of the conditions that were evaluated, absent from the context. */
  missingContextValues: string[]
  /** Present only when a boundary was given. */
  allowedByPermissionsBoundary?: boolean
}

export interface EvaluateOptions {
  /** Steps allowed for this call (tests). */
  readonly workLimit?: number | undefined
}

/** A request context with lower-cased keys; build one with createRequestContext to reuse it. */
export class RequestContext extends Map<string, string | string[]> {}

/**
 * Normalise a request context: keys lower-cased (key names are case-insensitive), values strings or
 * arrays of strings (multivalued keys); null/undefined values are dropped (the key is absent).
 */
export function createRequestContext(context: Readonly<Record<string, unknown>> | Map<string, unknown> | undefined): RequestContext {
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

function put(out: RequestContext, k: string, v: unknown): void {
  if (v === undefined || v === null) return
  out.set(k.toLowerCase(), typeof v === 'string' ? v : Array.isArray(v) ? v.map(String) : String(v))
}

export function normalizePrincipal(p: PrincipalInput | null | undefined): RequestPrincipal | null {
  if (p === undefined || p === null) return null
  const obj = typeof p === 'string' ? { type: 'AWS' as const, id: p, roleArn: undefined } : p
  const type = obj.type ?? 'AWS'
  let account: string | null = null
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
class LazyContext implements ContextLike {
  readonly obj: Readonly<Record<string, unknown>>
  map: RequestContext | null = null

  constructor(obj: Readonly<Record<string, unknown>>) {
    this.obj = obj
  }

  get(lowerKey: string, spelledKey?: string): ContextValue | undefined {
    if (this.map === null) {
      if (spelledKey !== undefined) {
        const v = this.obj[spelledKey]
        if (typeof v === 'string' && Object.hasOwn(this.obj, spelledKey)) return v
      }
      this.map = createRequestContext(this.obj)
    }
    return this.map.get(lowerKey)
  }

  has(lowerKey: string, spelledKey?: string): boolean {
    return this.get(lowerKey, spelledKey) !== undefined
  }
}

/** Per-call accumulator; arrays are created only when something lands in them. */
class Scan {
  denies: StatementRef[] | null = null
  allows: StatementRef[] | null = null
  boundaryAllows: StatementRef[] | null = null
  sessionAllows: StatementRef[] | null = null
  evaluated: CompiledStatement[] | null = null
}

const ALLOWS = 0
const BOUNDARY = 1
const SESSION = 2
/** Where the Allows of a policy list go. */
type Bucket = typeof ALLOWS | typeof BOUNDARY | typeof SESSION

/**
 * Scan one policy list; record matching statements in `acc`.
 * @param action lower-cased
 */
function scan(policies: readonly CompiledPolicy[] | undefined, action: string, res: RequestResource, ctx: ContextLike, principal: RequestPrincipal | null, acc: Scan, bucket: Bucket): void {
  if (!policies) return
  for (let p = 0; p < policies.length; p++) {
    const sts = policies[p]!.statements
    for (let s = 0; s < sts.length; s++) {
      const st = sts[s]!
      if (!st.matchAction(action)) continue
      if (st.matchPrincipal !== null && !st.matchPrincipal(principal)) continue
      if (!st.matchResource(res, ctx)) continue
      const conds = st.conditions
      if (conds.length !== 0) {
        ;(acc.evaluated ??= []).push(st)
        let ok = true
        for (let c = 0; c < conds.length; c++) {
          if (!conds[c]!(ctx)) {
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
 * wildcard.ts): whatever the sizes of the documents and the context, a test that would exceed the budget
 * is decided fail-closed (a Deny applies, an Allow does not) instead of running on.
 */
export function evaluate(request: EvaluationRequest, policySet: PolicySet, options?: EvaluateOptions): EvaluationResult {
  // Checked at run time too: a request built from untyped input must not be decided without an action.
  if (!request || typeof request.action !== 'string') throw new TypeError('evaluate: request.action must be a string')
  resetWork(options?.workLimit ?? DEFAULT_WORK_LIMIT)
  const raw = request.context
  const ctx: ContextLike = raw instanceof RequestContext ? raw : raw instanceof Map ? createRequestContext(raw) : new LazyContext(raw ?? {})
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

  let decision: Decision
  let matchedStatements: StatementRef[]
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

  const result: EvaluationResult = { decision, matchedStatements, missingContextValues: acc.evaluated === null ? [] : missingKeys(acc.evaluated, ctx) }
  if (boundary && !isRoot) result.allowedByPermissionsBoundary = acc.denies === null && acc.boundaryAllows !== null
  return result
}

/** Keys referenced by the conditions that were evaluated but absent from the context. */
function missingKeys(evaluated: readonly CompiledStatement[], ctx: ContextLike): string[] {
  const out: string[] = []
  let seen: Set<string> | null = null
  for (let i = 0; i < evaluated.length; i++) {
    const keys = evaluated[i]!.conditionKeys
    for (let k = 0; k < keys.length; k++) {
      const { key, lower } = keys[k]!
      if (ctx.has(lower, key)) continue
      if (seen === null) seen = new Set()
      if (seen.has(lower)) continue
      seen.add(lower)
      out.push(key)
    }
  }
  return out.length > 1 ? out.sort() : out
}
