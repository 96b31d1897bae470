// Condition operators. Each (operator, key, values) triple compiles to a closure over the request
// context (a Map with lower-cased keys). Semantics (AWS, reference §1.5–1.6):
//   - values of one key: OR; negated operators: NOR; keys of one operator and operators: AND;
//   - absent key: positive false, negated true, …IfExists true, ForAllValues true, ForAnyValue false;
//   - a multivalued (array) context value needs a set operator: a bare operator on it never matches;
//   - a policy value holding an unresolvable variable matches nothing, and makes a negated operator
//     false too (the statement is "invalid" for that request, as AWS documents);
//   - a test whose outcome is unknown is decided fail-closed, so that a Deny never gets weaker and an
//     Allow never stronger: a policy value that cannot be read (a Numeric value that is no number, a Date
//     that is no date, an IP block that is none, a Bool that is neither true nor false, an Arn value
//     that is no ARN once its variables are substituted), a request value the operator cannot read, or a
//     test cut off by the work budget. In a Deny statement the unknown value counts as matching for a
//     positive operator and as not matching for a negated one (the condition leans to true); in an
//     Allow statement the other way round (the condition leans to false).
//
// The evaluation loops index arrays inside their bounds; `!` marks those reads.

import { splitArn, compileArnConditionValue } from './arn.js'
import type { ArnParts } from './arn.js'
import { cidrContains, parseCidr, parseIp } from './ip.js'
import type { IpAddress } from './ip.js'
import { UNDECIDABLE, parseTemplate, renderString, renderUnits, staticString, staticUnits } from './variables.js'
import type { ContextLike, TestResult } from './variables.js'
import { MATCH, NO_MATCH, UNKNOWN, compileGlob, globMatch, work } from './wildcard.js'

export type Family = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null'

// What one operator tests, by family: the family decides how policy and request values are read.
export interface StringOperator {
  readonly family: 'string'
  readonly test: 'eq' | 'eqi' | 'like'
  readonly negated: boolean
}
export interface OrderedOperator {
  readonly family: 'numeric' | 'date'
  readonly test: 'eq' | 'lt' | 'lte' | 'gt' | 'gte'
  readonly negated: boolean
}
export interface EqualityOperator {
  readonly family: 'bool' | 'binary' | 'ip'
  readonly test: 'eq'
  readonly negated: boolean
}
export interface ArnOperator {
  readonly family: 'arn'
  readonly test: 'like'
  readonly negated: boolean
}
export interface NullOperator {
  readonly family: 'null'
  readonly test: 'eq'
  readonly negated: false
}
/** An operator that compares request values with policy values (every family but Null). */
export type ValueOperator = StringOperator | OrderedOperator | EqualityOperator | ArnOperator
export type BaseOperator = ValueOperator | NullOperator

export const BASE_OPERATORS = {
  StringEquals: { family: 'string', test: 'eq', negated: false },
  StringNotEquals: { family: 'string', test: 'eq', negated: true },
  StringEqualsIgnoreCase: { family: 'string', test: 'eqi', negated: false },
  StringNotEqualsIgnoreCase: { family: 'string', test: 'eqi', negated: true },
  StringLike: { family: 'string', test: 'like', negated: false },
  StringNotLike: { family: 'string', test: 'like', negated: true },
  NumericEquals: { family: 'numeric', test: 'eq', negated: false },
  NumericNotEquals: { family: 'numeric', test: 'eq', negated: true },
  NumericLessThan: { family: 'numeric', test: 'lt', negated: false },
  NumericLessThanEquals: { family: 'numeric', test: 'lte', negated: false },
  NumericGreaterThan: { family: 'numeric', test: 'gt', negated: false },
  NumericGreaterThanEquals: { family: 'numeric', test: 'gte', negated: false },
  DateEquals: { family: 'date', test: 'eq', negated: false },
  DateNotEquals: { family: 'date', test: 'eq', negated: true },
  DateLessThan: { family: 'date', test: 'lt', negated: false },
  DateLessThanEquals: { family: 'date', test: 'lte', negated: false },
  DateGreaterThan: { family: 'date', test: 'gt', negated: false },
  DateGreaterThanEquals: { family: 'date', test: 'gte', negated: false },
  Bool: { family: 'bool', test: 'eq', negated: false },
  BinaryEquals: { family: 'binary', test: 'eq', negated: false },
  IpAddress: { family: 'ip', test: 'eq', negated: false },
  NotIpAddress: { family: 'ip', test: 'eq', negated: true },
  ArnEquals: { family: 'arn', test: 'like', negated: false },
  ArnLike: { family: 'arn', test: 'like', negated: false },
  ArnNotEquals: { family: 'arn', test: 'like', negated: true },
  ArnNotLike: { family: 'arn', test: 'like', negated: true },
  Null: { family: 'null', test: 'eq', negated: false }
} as const satisfies Record<string, BaseOperator>

/** An operator name without its set prefix and IfExists: `StringLike`, `Null`, … */
export type BaseOperatorName = keyof typeof BASE_OPERATORS

const isBaseOperatorName = (s: string): s is BaseOperatorName => Object.hasOwn(BASE_OPERATORS, s)

/** ForAnyValue (`any`), ForAllValues (`all`), or a bare operator (null). */
export type SetOperator = 'any' | 'all' | null

/** An operator name read: `ForAnyValue:StringLikeIfExists` → base StringLike, setOp any, ifExists. */
export interface ParsedOperator {
  /** As written. */
  readonly name: string
  readonly base: BaseOperatorName
  readonly op: BaseOperator
  readonly setOp: SetOperator
  readonly ifExists: boolean
}

/**
 * Parse an operator name such as `ForAnyValue:StringLikeIfExists`. Null takes neither a set prefix
 * nor IfExists. Names are case-sensitive.
 */
export function parseOperator(name: string): ParsedOperator | null {
  let rest = name
  let setOp: SetOperator = null
  if (rest.startsWith('ForAnyValue:')) {
    setOp = 'any'
    rest = rest.slice(12)
  } else if (rest.startsWith('ForAllValues:')) {
    setOp = 'all'
    rest = rest.slice(13)
  }
  let ifExists = false
  if (rest.endsWith('IfExists')) {
    ifExists = true
    rest = rest.slice(0, -8)
  }
  if (!isBaseOperatorName(rest)) return null
  const op: BaseOperator = BASE_OPERATORS[rest]
  if (op.family === 'null' && (setOp !== null || ifExists)) return null
  return { name, base: rest, op, setOp, ifExists }
}

// Families whose values take policy variables (String and ARN; AWS: not Numeric, Date, Binary, IP, Null).
const VARIABLE_FAMILIES: ReadonlySet<Family> = new Set<Family>(['string', 'arn'])

const NUM_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/

/** A Numeric-operator value as a number; NaN when not a number. */
export function parseNumber(s: string): number {
  return NUM_RE.test(s) ? Number(s) : NaN
}

// Dates as IAM reads them (it rejects the others when a policy is written: "The policy failed legacy
// parsing"). Epoch seconds when the value has neither `t` nor `-` (a Java long, so at most
// 9223372036854775807); otherwise ISO 8601 as Joda-Time's ISODateTimeFormat.dateTimeParser reads it:
// [-]year[-month[-day]] then optionally T[hour[:minute[:second[.fraction]]]][Z | ±hh[[:]mm]], case-insensitive,
// years -292275054 to 292278993 (Joda's bounds, which IAM's recorded answers show), real calendar days
// (2020-02-30 is no date). Fractions are up to nine digits; offset hours are two digits.
const DATE_RE = /^(-?)(\d{1,9})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/
const TIME_RE = /^(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?)?(z|[+-]\d{2}(?::?\d{2})?)?$/
const LONG_MAX = '9223372036854775807'
const MIN_YEAR = -292275054
const MAX_YEAR = 292278993

function isLeap(y: number): boolean {
  return (((y % 4) + 4) % 4 === 0 && y % 100 !== 0) || (((y % 400) + 400) % 400 === 0)
}

const MONTH_DAYS: readonly number[] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** A Date-operator value → milliseconds since the epoch; NaN when IAM would not read it as a date. */
export function parseDate(s: string): number {
  if (typeof s !== 'string' || s.length === 0 || s.length > 64) return NaN
  const l = s.toLowerCase()
  const t = l.indexOf('t')
  if (t === -1 && !l.includes('-')) {
    if (!/^\d+$/.test(l)) return NaN
    const digits = l.replace(/^0+(?=\d)/, '')
    if (digits.length > LONG_MAX.length || (digits.length === LONG_MAX.length && digits > LONG_MAX)) return NaN
    return Number(digits) * 1000
  }
  const dm = DATE_RE.exec(t === -1 ? l : l.slice(0, t))
  if (dm === null) return NaN
  const year = (dm[1] ? -1 : 1) * Number(dm[2])
  const month = dm[3] === undefined ? 1 : Number(dm[3])
  const day = dm[4] === undefined ? 1 : Number(dm[4])
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return NaN
  if (day < 1 || day > (month === 2 && isLeap(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0))) return NaN
  let ms = 0
  const time = t === -1 ? '' : l.slice(t + 1)
  if (time !== '') {
    const tm = TIME_RE.exec(time)
    if (tm === null) return NaN
    const h = Number(tm[1])
    const mi = tm[2] === undefined ? 0 : Number(tm[2])
    const se = tm[3] === undefined ? 0 : Number(tm[3])
    if (h > 23 || mi > 59 || se > 59) return NaN
    ms = ((h * 60 + mi) * 60 + se) * 1000 + (tm[4] === undefined ? 0 : Math.floor(Number('0.' + tm[4]) * 1000))
    const off = tm[5]
    if (off !== undefined && off !== 'z') {
      const oh = Number(off.slice(1, 3))
      const om = off.length > 3 ? Number(off.slice(-2)) : 0
      if (oh > 23 || om > 59) return NaN
      ms -= (off[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60000
    }
  }
  return daysFromCivil(year, month, day) * 86400000 + ms
}

/**
 * Compares one prepared context value with one policy value: MATCH, NO_MATCH, UNDECIDABLE (the policy
 * value holds a variable that cannot be resolved), UNKNOWN (work budget spent).
 */
type ValueTest<T> = (c: T, ctx: ContextLike) => TestResult

/** One request value against all the policy values of an operator/key pair. */
type SingleTest = (raw: string, ctx: ContextLike) => boolean

function same(c: string, want: string): typeof MATCH | typeof NO_MATCH {
  // Equal strings of equal length cost their length to compare; different lengths are settled at once.
  work.used += c.length === want.length ? 1 + want.length : 1
  return c === want ? MATCH : NO_MATCH
}

/**
 * One request value against all policy values: OR for positive operators, NOR for negated ones.
 * @param prep reads the request value as the family does; undefined when it cannot
 * @param failClosed what an unknown outcome counts as (true in a Deny statement)
 */
function singleTest<T>(prep: (s: string) => T | undefined, tests: readonly ValueTest<T>[], negated: boolean, failClosed: boolean): SingleTest {
  const n = tests.length
  return (raw, ctx) => {
    work.used += 1 + n
    if (work.used > work.limit) return failClosed
    const c = prep(raw)
    // A request value the operator cannot read (not a number, date, address or ARN): unknown.
    if (c === undefined) return failClosed
    let unknown = false
    if (negated) {
      for (let i = 0; i < n; i++) {
        const r = tests[i]!(c, ctx)
        if (r === MATCH || r === UNDECIDABLE) return false
        if (r === UNKNOWN) unknown = true
      }
      return unknown ? failClosed : true
    }
    for (let i = 0; i < n; i++) {
      const r = tests[i]!(c, ctx)
      if (r === MATCH) return true
      if (r === UNKNOWN) unknown = true
    }
    return unknown ? failClosed : false
  }
}

/**
 * Build the per-value tests and the context-value preparation for one operator family, and the test of
 * one request value against them.
 */
function buildSingle(op: ValueOperator, values: readonly string[], varsEnabled: boolean, failClosed: boolean): SingleTest {
  const vars = varsEnabled && VARIABLE_FAMILIES.has(op.family)
  const negated = op.negated
  switch (op.family) {
    case 'string': {
      const lower = op.test === 'eqi'
      const tests = values.map((raw): ValueTest<string> => {
        const tpl = parseTemplate(raw, vars)
        if (op.test === 'like') {
          if (tpl.vars.length === 0) {
            const g = compileGlob(staticUnits(tpl))
            return (c) => globMatch(g, c, 0, c.length)
          }
          return (c, ctx) => {
            const u = renderUnits(tpl, ctx)
            return u === undefined ? UNDECIDABLE : u === null ? UNKNOWN : globMatch(compileGlob(u), c, 0, c.length)
          }
        }
        if (tpl.vars.length === 0) {
          const lit = staticString(tpl)
          const want = lower ? lit.toLowerCase() : lit
          return (c) => same(c, want)
        }
        return (c, ctx) => {
          const s = renderString(tpl, ctx)
          if (s === undefined) return UNDECIDABLE
          if (s === null) return UNKNOWN
          return same(c, lower ? s.toLowerCase() : s)
        }
      })
      const prep = lower
        ? (s: string) => {
            work.used += s.length
            return s.toLowerCase()
          }
        : (s: string) => s
      return singleTest(prep, tests, negated, failClosed)
    }
    case 'numeric':
    case 'date': {
      const parse = op.family === 'numeric' ? parseNumber : parseDate
      const tests = values.map((raw): ValueTest<number> => {
        const want = parse(raw)
        if (Number.isNaN(want)) return () => UNKNOWN
        switch (op.test) {
          case 'eq': return (c) => (c === want ? 1 : 0)
          case 'lt': return (c) => (c < want ? 1 : 0)
          case 'lte': return (c) => (c <= want ? 1 : 0)
          case 'gt': return (c) => (c > want ? 1 : 0)
          default: return (c) => (c >= want ? 1 : 0)
        }
      })
      const prep = (s: string) => {
        work.used += s.length
        const n = parse(s)
        return Number.isNaN(n) ? undefined : n
      }
      return singleTest(prep, tests, negated, failClosed)
    }
    case 'bool': {
      const tests = values.map((raw): ValueTest<string> => {
        const want = raw.toLowerCase()
        if (want !== 'true' && want !== 'false') return () => UNKNOWN
        return (c) => (c === want ? 1 : 0)
      })
      const prep = (s: string) => {
        if (s.length > 5) return undefined
        const l = s.toLowerCase()
        return l === 'true' || l === 'false' ? l : undefined
      }
      return singleTest(prep, tests, negated, failClosed)
    }
    case 'binary': {
      const tests = values.map((raw): ValueTest<string> => (c) => same(c, raw))
      return singleTest((s: string) => s, tests, negated, failClosed)
    }
    case 'ip': {
      const tests = values.map((raw): ValueTest<IpAddress> => {
        const cidr = parseCidr(raw)
        if (cidr === null) return () => UNKNOWN
        return (c) => (cidrContains(cidr, c) ? 1 : 0)
      })
      const prep = (s: string) => {
        work.used += s.length
        return parseIp(s) ?? undefined
      }
      return singleTest(prep, tests, negated, failClosed)
    }
    case 'arn': {
      const tests = values.map((raw): ValueTest<ArnParts> => compileArnConditionValue(raw, vars))
      const prep = (s: string) => {
        work.used += s.length
        return splitArn(s) ?? undefined
      }
      return singleTest(prep, tests, negated, failClosed)
    }
    default: {
      const unknownFamily: never = op
      throw new Error(`no value tests for family ${JSON.stringify(unknownFamily)}`)
    }
  }
}

/** A compiled condition (one operator/key pair with its values) over the request context. */
export type CompiledCondition = (ctx: ContextLike) => boolean

/**
 * Compile one operator/key pair with its values (already normalised to strings).
 * @param key condition key as written
 * @param deny the statement is a Deny: an unknown outcome makes the condition true (else false)
 */
export function compileCondition(parsed: ParsedOperator, key: string, values: readonly string[], varsEnabled: boolean, deny = false): CompiledCondition {
  const lowerKey = key.toLowerCase()
  const { op, setOp, ifExists } = parsed

  if (op.family === 'null') {
    const wantAbsent = values.some((v) => v.toLowerCase() === 'true')
    const wantPresent = values.some((v) => v.toLowerCase() === 'false')
    return (ctx) => {
      const present = ctx.get(lowerKey, key) !== undefined
      return present ? wantPresent : wantAbsent
    }
  }

  const negated = op.negated
  // What an unknown outcome counts as, for this statement: a Deny must not get weaker, an Allow not stronger.
  const failClosed = deny
  const single = buildSingle(op, values, varsEnabled, failClosed)
  // ForAnyValue is false on an absent key even with IfExists (observed on AWS: re:Post
  // QU9HFmDzP0QGuU-fd7rS6B7w); otherwise IfExists and ForAllValues are true, bare operators per negation.
  const absent = setOp === 'any' ? false : ifExists || setOp === 'all' ? true : negated

  if (setOp === null) {
    return (ctx) => {
      const c = ctx.get(lowerKey, key)
      if (c === undefined) return absent
      if (typeof c !== 'string') return false
      return single(c, ctx)
    }
  }
  if (setOp === 'any') {
    return (ctx) => {
      const c = ctx.get(lowerKey, key)
      if (c === undefined) return absent
      if (typeof c === 'string') return single(c, ctx)
      for (let i = 0; i < c.length; i++) {
        if (single(c[i]!, ctx)) return true
        if (work.used > work.limit) return failClosed
      }
      return false
    }
  }
  return (ctx) => {
    const c = ctx.get(lowerKey, key)
    if (c === undefined) return absent
    if (typeof c === 'string') return single(c, ctx)
    for (let i = 0; i < c.length; i++) {
      if (!single(c[i]!, ctx)) return false
      if (work.used > work.limit) return failClosed
    }
    return true
  }
}

/** Keys of the policy variables used in a condition's values (only where the family takes variables). */
export function conditionVariableKeys(parsed: ParsedOperator, values: readonly string[], varsEnabled: boolean): string[] {
  if (!varsEnabled || !VARIABLE_FAMILIES.has(parsed.op.family)) return []
  const out: string[] = []
  for (const v of values) for (const p of parseTemplate(v, true).vars) out.push(p.key)
  return out
}
