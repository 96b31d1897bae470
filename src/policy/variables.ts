// Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, `${key, 'default'}` and the
// escapes `${*}`, `${?}`, `${$}`. Only documents with Version 2012-10-17 have variables; elsewhere the
// text is literal. Substituted values are literal: a `*` in a tag value never acts as a wildcard.
//
// The evaluation loops index arrays inside their bounds; `!` marks those reads.

import { STAR, pushLiteralUnits, pushPatternUnits, work } from './wildcard.js'
import type { MatchResult, Unit } from './wildcard.js'

/**
 * The outcome of a test whose policy value holds a variable that cannot be resolved: such a value matches
 * nothing, and makes a negated test (NotResource, a negated operator) fail too, unless the rest of the
 * value already rules the request value out (AWS: the statement is invalid for the request).
 */
export const UNDECIDABLE = -1

/** MATCH, NO_MATCH, UNKNOWN (work budget spent) or UNDECIDABLE (an unresolvable variable). */
export type TestResult = MatchResult | typeof UNDECIDABLE

/** Policy text; `*`/`?` are wildcards where the operator has them. */
export interface TextPart {
  readonly t: 'text'
  readonly v: string
}
/** A literal from an escape (`${*}` → `*`). */
export interface LitPart {
  readonly t: 'lit'
  readonly v: string
}
/** A variable: its key as written and lower-cased, and its default (`${key, 'default'}`), if any. */
export interface VarPart {
  readonly t: 'var'
  readonly key: string
  readonly lower: string
  readonly def: string | undefined
}
export type TemplatePart = TextPart | LitPart | VarPart
export interface Template {
  readonly parts: readonly TemplatePart[]
  readonly vars: readonly VarPart[]
}

/** A request-context value: a string, or the strings of a multivalued key. */
export type ContextValue = string | readonly string[]

/**
 * The request context: looked up by lower-cased key; `spelledKey` (the key as the policy writes it) lets
 * evaluate's lazy wrapper try the caller's object directly before normalising it.
 */
export interface ContextLike {
  get(lowerKey: string, spelledKey?: string): ContextValue | undefined
  has(lowerKey: string, spelledKey?: string): boolean
}

const DEFAULT_RE = /^'(.*)'$/s

/**
 * Split text into literal and variable parts.
 * @param enabled false for Version 2008-10-17 (then the whole text is one TextPart)
 */
export function parseTemplate(text: string, enabled: boolean): Template {
  const parts: TemplatePart[] = []
  const vars: VarPart[] = []
  if (!enabled || !text.includes('${')) {
    if (text !== '') parts.push({ t: 'text', v: text })
    return { parts, vars }
  }
  let i = 0
  let buf = ''
  while (i < text.length) {
    const open = text.indexOf('${', i)
    const close = open === -1 ? -1 : text.indexOf('}', open + 2)
    if (open === -1 || close === -1) {
      buf += text.slice(i)
      break
    }
    buf += text.slice(i, open)
    const inner = text.slice(open + 2, close).trim()
    if (inner === '*' || inner === '?' || inner === '$') {
      if (buf) parts.push({ t: 'text', v: buf })
      buf = ''
      parts.push({ t: 'lit', v: inner })
    } else {
      let key = inner
      let def: string | undefined
      const comma = inner.indexOf(',')
      if (comma !== -1) {
        const m = DEFAULT_RE.exec(inner.slice(comma + 1).trim())
        key = inner.slice(0, comma).trim()
        // A malformed default (no quotes) leaves the variable without one: it then resolves or fails.
        if (m) def = m[1]
      }
      if (buf) parts.push({ t: 'text', v: buf })
      buf = ''
      const part: VarPart = { t: 'var', key, lower: key.toLowerCase(), def }
      parts.push(part)
      vars.push(part)
    }
    i = close + 1
  }
  if (buf) parts.push({ t: 'text', v: buf })
  return { parts, vars }
}

/**
 * Value of a variable in the request context, or undefined when unresolvable
 * (absent, or multivalued: AWS does not allow multivalued keys as variables).
 */
export function resolveVar(part: VarPart, ctx: ContextLike): string | undefined {
  const v = ctx.get(part.lower, part.key)
  if (typeof v === 'string') return v
  return part.def
}

/**
 * Render a template to a plain string (operators without wildcards). The rendered length is charged to the
 * work meter: a short policy repeating a variable whose value is long costs what it produces.
 * @returns undefined when a variable cannot be resolved, null when the work budget is spent
 */
export function renderString(tpl: Template, ctx: ContextLike): string | undefined | null {
  let s = ''
  const parts = tpl.parts
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!
    if (p.t === 'var') {
      const v = resolveVar(p, ctx)
      if (v === undefined) return undefined
      if (work.used + s.length + v.length > work.limit) return null
      s += v
    } else s += p.v
  }
  work.used += s.length + 1
  return work.used > work.limit ? null : s
}

/**
 * Render a template to wildcard units: policy text keeps its wildcards, variable values and escapes
 * become literal characters. Charged to the work meter like renderString.
 * @returns undefined when a variable cannot be resolved, null when the work budget is spent
 */
export function renderUnits(tpl: Template, ctx: ContextLike): Unit[] | undefined | null {
  const out: Unit[] = []
  const parts = tpl.parts
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!
    if (p.t === 'text') pushPatternUnits(p.v, out)
    else if (p.t === 'lit') pushLiteralUnits(p.v, out)
    else {
      const v = resolveVar(p, ctx)
      if (v === undefined) return undefined
      // Checked before copying, so a huge value is never copied many times over.
      if (work.used + v.length > work.limit) return null
      pushLiteralUnits(v, out)
    }
  }
  work.used += out.length + 1
  return work.used > work.limit ? null : out
}

/**
 * Units with every variable replaced by `*`: what the pattern could match whatever the variables'
 * values. Used to tell "cannot match anyway" from "depends on a variable we cannot resolve".
 */
export function relaxedUnits(tpl: Template): Unit[] {
  const out: Unit[] = []
  for (const p of tpl.parts) {
    if (p.t === 'text') pushPatternUnits(p.v, out)
    else if (p.t === 'lit') pushLiteralUnits(p.v, out)
    else out.push(STAR)
  }
  return out
}

/** Units for a template that has no variables (escapes allowed). */
export function staticUnits(tpl: Template): Unit[] {
  const out: Unit[] = []
  for (const p of tpl.parts) {
    if (p.t === 'text') pushPatternUnits(p.v, out)
    else if (p.t === 'lit') pushLiteralUnits(p.v, out)
  }
  return out
}

/** Plain string of a template that has no variables (escapes expanded). */
export function staticString(tpl: Template): string {
  let s = ''
  for (const p of tpl.parts) if (p.t !== 'var') s += p.v
  return s
}
