// ARN matching. An ARN is `arn:partition:service:region:account:resource`; the resource part may itself
// contain `:` and `/`. Wildcards match within a segment; in the resource part `*` also crosses `:` and `/`.
// A pattern with fewer than six segments whose last segment ends in `*` lets that `*` run across the
// remaining segments (AWS: "a * at the end of a segment can expand across colons").
//
// Matching loops index arrays inside their bounds; `!` marks those reads where TypeScript cannot see it.

import { MATCH, NO_MATCH, STAR, UNKNOWN, compileGlob, compileWildcard, globMatch, pushPatternUnits, work } from './wildcard.js'
import type { Glob, MatchResult, StringTest, Unit } from './wildcard.js'
import { UNDECIDABLE, parseTemplate, relaxedUnits, renderString, renderUnits, staticString, staticUnits } from './variables.js'
import type { ContextLike, Template, TestResult } from './variables.js'

/** The six segments of an ARN: `arn`, partition, service, region, account, resource (colons kept). */
export type ArnParts = readonly [arn: string, partition: string, service: string, region: string, account: string, resource: string]

/** Six pattern segments: a full ARN pattern, the sixth with its colons. */
type SixSegments = readonly [string, string, string, string, string, string]

const hasSix = (segs: readonly string[]): segs is SixSegments => segs.length === 6

/** Split an ARN into its six segments, or null when the string is not an ARN. */
export function splitArn(s: string): ArnParts | null {
  if (typeof s !== 'string' || !s.startsWith('arn:')) return null
  const c1 = s.indexOf(':', 4)
  if (c1 === -1) return null
  const c2 = s.indexOf(':', c1 + 1)
  if (c2 === -1) return null
  const c3 = s.indexOf(':', c2 + 1)
  if (c3 === -1) return null
  const c4 = s.indexOf(':', c3 + 1)
  if (c4 === -1) return null
  return ['arn', s.slice(4, c1), s.slice(c1 + 1, c2), s.slice(c2 + 1, c3), s.slice(c3 + 1, c4), s.slice(c4 + 1)]
}

/** Split a pattern into up to six segments (the sixth keeps its colons). */
function splitPattern(s: string): string[] {
  const out: string[] = []
  let start = 0
  for (let i = 0; i < 5; i++) {
    const c = s.indexOf(':', start)
    if (c === -1) break
    out.push(s.slice(start, c))
    start = c + 1
  }
  out.push(s.slice(start))
  return out
}

/**
 * Split a pattern into up to six segments like splitPattern, but never inside a policy variable: the
 * colon of `${aws:PrincipalAccount}` does not end a segment.
 */
export function splitPatternVars(s: string): string[] {
  const out: string[] = []
  let start = 0
  let i = 0
  while (out.length < 5 && i < s.length) {
    const c = s.charCodeAt(i)
    if (c === 36 && s.charCodeAt(i + 1) === 123) {
      const close = s.indexOf('}', i + 2)
      if (close === -1) break
      i = close + 1
    } else if (c === 58) {
      out.push(s.slice(start, i))
      start = ++i
    } else i++
  }
  // Any further colon outside a variable (not reached when five were found) is in the resource part.
  if (out.length < 5) {
    for (let j = i; j < s.length; j++) {
      if (s.charCodeAt(j) === 58) {
        out.push(s.slice(start, j))
        start = j + 1
        if (out.length === 5) break
      }
    }
  }
  out.push(s.slice(start))
  return out
}

/**
 * Split rendered units at their first five colons (from the policy text or from a variable's value:
 * variables are substituted before the pattern is split). Returns up to six unit arrays.
 */
function splitUnits(units: readonly Unit[]): Unit[][] {
  const out: Unit[][] = []
  let start = 0
  for (let i = 0; i < units.length && out.length < 5; i++) {
    if (units[i] === 58) {
      out.push(units.slice(start, i))
      start = i + 1
    }
  }
  out.push(units.slice(start))
  return out
}

/**
 * The request's resource, scanned once for its five separating colons (no allocation) and split
 * into an array only when a short pattern needs it.
 */
export class RequestResource {
  readonly raw: string
  /** 0 = not scanned, 1 = ARN, 2 = not an ARN */
  state = 0
  // Positions of the five separating colons, once scanned (state 1).
  c0 = 0
  c1 = 0
  c2 = 0
  c3 = 0
  c4 = 0
  private _parts: ArnParts | null | undefined = undefined
  private _rest: string[] | undefined = undefined

  constructor(raw: string) {
    this.raw = raw
  }

  isArn(): boolean {
    if (this.state === 0) {
      const s = this.raw
      let ok = s.startsWith('arn:')
      if (ok) {
        this.c0 = 3
        this.c1 = s.indexOf(':', 4)
        this.c2 = this.c1 === -1 ? -1 : s.indexOf(':', this.c1 + 1)
        this.c3 = this.c2 === -1 ? -1 : s.indexOf(':', this.c2 + 1)
        this.c4 = this.c3 === -1 ? -1 : s.indexOf(':', this.c3 + 1)
        ok = this.c4 !== -1
      }
      this.state = ok ? 1 : 2
    }
    return this.state === 1
  }

  /** The six segments, or null when the resource is not an ARN. */
  get parts(): ArnParts | null {
    if (this._parts === undefined) this._parts = splitArn(this.raw)
    return this._parts
  }

  /**
   * Segments k…5 joined with their colons (what the trailing `*` of a short pattern runs over); built
   * once per request and k, however many short patterns ask. Only for an ARN (`parts` not null).
   */
  restFrom(k: number): string {
    this._rest ??= []
    let r = this._rest[k]
    if (r === undefined) {
      const p = this.parts
      if (p === null) throw new TypeError('restFrom: the resource is not an ARN')
      r = p.slice(k).join(':')
      this._rest[k] = r
    }
    return r
  }
}

/**
 * One Resource entry against the request's resource: MATCH, NO_MATCH, UNDECIDABLE (the match depends on a
 * policy variable that cannot be resolved: such an entry matches nothing in Resource, and makes a
 * NotResource fail (the statement is invalid for the request), unless the rest of the pattern already rules
 * the resource out, which gives NO_MATCH), or UNKNOWN (the work budget ran out: decided fail-closed by the
 * statement's effect).
 */
export type ResourceMatcher = (res: RequestResource, ctx: ContextLike) => TestResult

export function toRequestResource(s: string): RequestResource {
  return new RequestResource(s)
}

/** Does a Resource entry have a valid shape (`*`, six segments, or a short pattern ending in `*`)? */
export function isValidResourcePattern(s: string): boolean {
  if (s === '*') return true
  if (!s.startsWith('arn:')) return false
  const segs = splitPattern(s)
  if (hasSix(segs)) return segs[2] !== ''
  return (segs[segs.length - 1] ?? '').endsWith('*')
}

/** A test of one ARN segment `raw.slice(from, to)`. */
type SegmentTest = (raw: string, from: number, to: number) => MatchResult

/** Test for one ARN segment `raw.slice(from, to)` (no wildcard crosses a colon here). */
function compileSegment(pat: string): SegmentTest {
  if (pat === '*') return () => MATCH
  if (!pat.includes('*') && !pat.includes('?')) {
    const n = pat.length
    return (raw, from, to) => {
      work.used += 1 + n
      return to - from === n && raw.startsWith(pat, from) ? MATCH : NO_MATCH
    }
  }
  const g = compileGlob(pushPatternUnits(pat, []))
  return (raw, from, to) => globMatch(g, raw, from, to)
}

/**
 * Compile one Resource/NotResource entry.
 * @param varsEnabled Version 2012-10-17
 */
export function compileResourcePattern(pattern: string, varsEnabled: boolean): ResourceMatcher {
  if (pattern === '*') return () => MATCH
  if (!pattern.startsWith('arn:')) return (res) => (res.raw === pattern ? MATCH : NO_MATCH)
  const whole = parseTemplate(pattern, varsEnabled)
  const segs = whole.vars.length === 0 ? splitPattern(pattern) : splitPatternVars(pattern)
  if (whole.vars.length === 0 && varsEnabled && pattern.includes('${')) {
    // Only escapes (`${*}`, `${?}`, `${$}`): literal characters, wherever they are.
    const m = unitsResourceMatcher(staticUnits(whole))
    return (res) => m(res)
  }
  // A variable before the fifth colon (`arn:aws:iam::${aws:PrincipalAccount}:role/x`), or in a short
  // pattern: substitute first, then split (renderedResourceMatcher). Variables only in the resource part
  // keep the faster path below.
  if (whole.vars.length !== 0 && (segs.length < 6 || segs.slice(0, 5).some((x) => x.includes('${')))) {
    return renderedResourceMatcher(whole)
  }
  if (!hasSix(segs)) {
    const k = segs.length - 1
    const last = segs[k] ?? '' // splitPattern returns at least one segment
    if (!last.endsWith('*')) return () => NO_MATCH
    const heads: StringTest[] = segs.slice(0, k).map((s) => compileWildcard(s))
    const tail = compileWildcard(last)
    return (res) => {
      const p = res.parts
      if (p === null) return NO_MATCH
      let unknown = false
      for (let i = 0; i < k; i++) {
        const r = heads[i]!(p[i]!)
        if (r === NO_MATCH) return NO_MATCH
        if (r === UNKNOWN) unknown = true
      }
      const rest = res.restFrom(k)
      const r = tail(rest)
      return r === NO_MATCH ? NO_MATCH : unknown ? UNKNOWN : r
    }
  }
  // Segment 0 is "arn" on both sides.
  const h1 = compileSegment(segs[1])
  const h2 = compileSegment(segs[2])
  const h3 = compileSegment(segs[3])
  const h4 = compileSegment(segs[4])
  const heads = (r: RequestResource): MatchResult => {
    if (!r.isArn()) return NO_MATCH
    const raw = r.raw
    const a = h1(raw, r.c0 + 1, r.c1)
    if (a === NO_MATCH) return NO_MATCH
    const b = h2(raw, r.c1 + 1, r.c2)
    if (b === NO_MATCH) return NO_MATCH
    const c = h3(raw, r.c2 + 1, r.c3)
    if (c === NO_MATCH) return NO_MATCH
    const d = h4(raw, r.c3 + 1, r.c4)
    if (d === NO_MATCH) return NO_MATCH
    return a === UNKNOWN || b === UNKNOWN || c === UNKNOWN || d === UNKNOWN ? UNKNOWN : MATCH
  }
  const tpl = parseTemplate(segs[5], varsEnabled)
  if (tpl.vars.length === 0) {
    const tail = staticUnits(tpl)
    if (tail.every((u) => u >= 0)) {
      const literal = staticString(tpl)
      const n = literal.length
      return (res) => {
        const h = heads(res)
        if (h === NO_MATCH) return NO_MATCH
        work.used += 1 + n
        return res.raw.length - res.c4 - 1 === n && res.raw.startsWith(literal, res.c4 + 1) ? h : NO_MATCH
      }
    }
    const g = compileGlob(tail)
    return (res) => {
      const h = heads(res)
      if (h === NO_MATCH) return NO_MATCH
      const r = globMatch(g, res.raw, res.c4 + 1, res.raw.length)
      return r === NO_MATCH || h === MATCH ? r : UNKNOWN
    }
  }
  const relaxed = compileGlob(relaxedUnits(tpl))
  /** Unresolvable variable: undecidable if the entry could match whatever its value, else NO_MATCH. */
  const undecided = (res: RequestResource): TestResult => {
    const r = globMatch(relaxed, res.raw, res.c4 + 1, res.raw.length)
    return r === MATCH ? UNDECIDABLE : r
  }
  if (!tpl.parts.some((x) => x.t === 'text' && (x.v.includes('*') || x.v.includes('?')))) {
    // No wildcard outside the variables (`user/${aws:username}`): plain string comparison.
    return (res, ctx) => {
      const h = heads(res)
      if (h === NO_MATCH) return NO_MATCH
      const from = res.c4 + 1
      const want = renderString(tpl, ctx)
      if (want === null) return UNKNOWN
      const r = want === undefined ? undecided(res) : res.raw.length - from === want.length && res.raw.startsWith(want, from) ? MATCH : NO_MATCH
      return r === NO_MATCH || h === MATCH ? r : UNKNOWN
    }
  }
  return (res, ctx) => {
    const h = heads(res)
    if (h === NO_MATCH) return NO_MATCH
    const units = renderUnits(tpl, ctx)
    if (units === null) return UNKNOWN
    const r = units === undefined ? undecided(res) : globMatch(compileGlob(units), res.raw, res.c4 + 1, res.raw.length)
    return r === NO_MATCH || h === MATCH ? r : UNKNOWN
  }
}

/**
 * Matcher for a pattern given as units (wildcards as STAR/QMARK, literals as codes), split at its first
 * five colons: six segments matched one by one (the sixth against the whole resource part), or fewer
 * whose last ends in a wildcard `*` that runs over the remaining segments.
 */
function unitsResourceMatcher(units: readonly Unit[]): (res: RequestResource) => MatchResult {
  const segs = splitUnits(units)
  const k = segs.length - 1
  if (k < 5) {
    const last = segs[k] ?? [] // splitUnits returns at least one segment
    if (last.length === 0 || last[last.length - 1] !== STAR) return () => NO_MATCH
    const heads = segs.slice(0, k).map(compileGlob)
    const tail = compileGlob(last)
    return (res) => {
      const p = res.parts
      if (p === null) return NO_MATCH
      let unknown = false
      for (let i = 0; i < k; i++) {
        const s = p[i]!
        const r = globMatch(heads[i]!, s, 0, s.length)
        if (r === NO_MATCH) return NO_MATCH
        if (r === UNKNOWN) unknown = true
      }
      const rest = res.restFrom(k)
      const r = globMatch(tail, rest, 0, rest.length)
      return r === NO_MATCH ? NO_MATCH : unknown ? UNKNOWN : r
    }
  }
  const globs: Glob[] = segs.map(compileGlob)
  return (res) => {
    if (!res.isArn()) return NO_MATCH
    const raw = res.raw
    const bounds = [0, res.c0, res.c1, res.c2, res.c3, res.c4, raw.length]
    let unknown = false
    for (let i = 0; i < 6; i++) {
      const r = globMatch(globs[i]!, raw, i === 0 ? 0 : bounds[i]! + 1, bounds[i + 1]!)
      if (r === NO_MATCH) return NO_MATCH
      if (r === UNKNOWN) unknown = true
    }
    return unknown ? UNKNOWN : MATCH
  }
}

/**
 * A Resource entry with a policy variable before the fifth colon: rendered with the request's values,
 * then split and matched. An unresolvable variable makes the entry undecidable if it could match
 * whatever the value (the variable read as `*`), else it does not match.
 * @param tpl the whole pattern
 */
function renderedResourceMatcher(tpl: Template): ResourceMatcher {
  const relaxed = unitsResourceMatcher(relaxedUnits(tpl))
  return (res, ctx) => {
    const units = renderUnits(tpl, ctx)
    if (units === null) return UNKNOWN
    if (units === undefined) {
      const r = relaxed(res)
      return r === MATCH ? UNDECIDABLE : r
    }
    return unitsResourceMatcher(units)(res)
  }
}

/** A test of one ARN condition value against the six segments of a request value. */
export type ArnValueTest = (arnParts: ArnParts, ctx: ContextLike) => TestResult

/**
 * Compile an ARN condition value (ArnEquals/ArnLike and negations): each of the six segments is
 * matched separately, with variables allowed in any segment; a value with fewer than six segments
 * (after substitution) is no ARN: UNKNOWN, decided fail-closed.
 */
export function compileArnConditionValue(pattern: string, varsEnabled: boolean): ArnValueTest {
  const whole = parseTemplate(pattern, varsEnabled)
  if (whole.vars.length === 0) {
    const segs = splitPattern(pattern)
    // No ARN: unknown, decided fail-closed by the caller (a Deny's ArnLike applies, its ArnNotLike too).
    if (segs.length < 6) return () => UNKNOWN
    const globs = segs.map((x) => compileGlob(staticUnits(parseTemplate(x, varsEnabled))))
    return (p) => {
      let r: MatchResult = MATCH
      for (let i = 0; i < 6; i++) {
        const s = p[i]!
        const x = globMatch(globs[i]!, s, 0, s.length)
        if (x === NO_MATCH) return NO_MATCH
        if (x === UNKNOWN) r = UNKNOWN
      }
      return r
    }
  }
  // Substitute first, then split: the colon inside `${aws:PrincipalAccount}` is not a separator, and a
  // variable holding a whole ARN (`${aws:PrincipalArn}`) supplies its own segments.
  return (p, ctx) => {
    const u = renderUnits(whole, ctx)
    if (u === undefined) return UNDECIDABLE
    if (u === null) return UNKNOWN
    const segs = splitUnits(u)
    if (segs.length < 6) return UNKNOWN
    let r: MatchResult = MATCH
    for (let i = 0; i < 6; i++) {
      const s = p[i]!
      const x = globMatch(compileGlob(segs[i]!), s, 0, s.length)
      if (x === NO_MATCH) return NO_MATCH
      if (x === UNKNOWN) r = UNKNOWN
    }
    return r
  }
}

/**
 * Convenience: does `arn` match the Resource-element pattern `pattern`? (No variables.)
 * Compiles on every call; use compileResourcePattern for repeated use.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  return compileResourcePattern(pattern, false)(toRequestResource(arn), new Map<string, string>()) === MATCH
}
