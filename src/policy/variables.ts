// @ts-nocheck -- renamed from .js in this commit only (so that history follows the file); typed in the next
// Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, `${key, 'default'}` and the
// escapes `${*}`, `${?}`, `${$}`. Only documents with Version 2012-10-17 have variables; elsewhere the
// text is literal. Substituted values are literal: a `*` in a tag value never acts as a wildcard.

import { STAR, pushLiteralUnits, pushPatternUnits, work } from './wildcard.js'

/**
 * @typedef {{ t: 'text', v: string }} TextPart   policy text; `*`/`?` are wildcards where the operator has them
 * @typedef {{ t: 'lit', v: string }} LitPart     literal from an escape (`${*}` → `*`)
 * @typedef {{ t: 'var', key: string, lower: string, def: string | undefined }} VarPart
 * @typedef {TextPart | LitPart | VarPart} TemplatePart
 * @typedef {{ parts: TemplatePart[], vars: VarPart[] }} Template
 * @typedef {{ get(lowerKey: string, spelledKey?: string): string | string[] | undefined, has(lowerKey: string, spelledKey?: string): boolean }} ContextLike
 *   the request context: looked up by lower-cased key; `spelledKey` (the key as the policy writes it)
 *   lets evaluate's lazy wrapper try the caller's object directly before normalising it
 */

const DEFAULT_RE = /^'(.*)'$/s

/**
 * Split text into literal and variable parts.
 * @param {string} text
 * @param {boolean} enabled false for Version 2008-10-17 (then the whole text is one TextPart)
 * @returns {Template}
 */
export function parseTemplate(text, enabled) {
  /** @type {TemplatePart[]} */
  const parts = []
  /** @type {VarPart[]} */
  const vars = []
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
      let def
      const comma = inner.indexOf(',')
      if (comma !== -1) {
        const m = DEFAULT_RE.exec(inner.slice(comma + 1).trim())
        key = inner.slice(0, comma).trim()
        // A malformed default (no quotes) leaves the variable without one: it then resolves or fails.
        if (m) def = m[1]
      }
      if (buf) parts.push({ t: 'text', v: buf })
      buf = ''
      const part = /** @type {VarPart} */ ({ t: 'var', key, lower: key.toLowerCase(), def })
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
 * @param {VarPart} part
 * @param {ContextLike} ctx
 * @returns {string | undefined}
 */
export function resolveVar(part, ctx) {
  const v = ctx.get(part.lower, part.key)
  if (typeof v === 'string') return v
  return part.def
}

/**
 * Render a template to a plain string (operators without wildcards). The rendered length is charged to the
 * work meter: a short policy repeating a variable whose value is long costs what it produces.
 * @param {Template} tpl
 * @param {ContextLike} ctx
 * @returns {string | undefined | null} undefined when a variable cannot be resolved, null when the work
 *   budget is spent
 */
export function renderString(tpl, ctx) {
  let s = ''
  const parts = tpl.parts
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]
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
 * @param {Template} tpl
 * @param {ContextLike} ctx
 * @returns {number[] | undefined | null} undefined when a variable cannot be resolved, null when the work
 *   budget is spent
 */
export function renderUnits(tpl, ctx) {
  /** @type {number[]} */
  const out = []
  const parts = tpl.parts
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]
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
 * @param {Template} tpl
 * @returns {number[]}
 */
export function relaxedUnits(tpl) {
  /** @type {number[]} */
  const out = []
  for (const p of tpl.parts) {
    if (p.t === 'text') pushPatternUnits(p.v, out)
    else if (p.t === 'lit') pushLiteralUnits(p.v, out)
    else out.push(STAR)
  }
  return out
}

/**
 * Units for a template that has no variables (escapes allowed).
 * @param {Template} tpl
 * @returns {number[]}
 */
export function staticUnits(tpl) {
  /** @type {number[]} */
  const out = []
  for (const p of tpl.parts) {
    if (p.t === 'text') pushPatternUnits(p.v, out)
    else if (p.t === 'lit') pushLiteralUnits(p.v, out)
  }
  return out
}

/**
 * Plain string of a template that has no variables (escapes expanded).
 * @param {Template} tpl
 * @returns {string}
 */
export function staticString(tpl) {
  let s = ''
  for (const p of tpl.parts) if (p.t !== 'var') s += p.v
  return s
}
