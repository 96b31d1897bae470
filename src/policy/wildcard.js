// Wildcard (`*`, `?`) matching without regular expressions. Patterns are compiled once into
// arrays of "units": a char code (>= 0) for a literal, STAR or QMARK for a wildcard. Literal text that
// came from a policy variable is pushed as char codes, so a `*` inside a user name stays literal.

export const STAR = -1
export const QMARK = -2

/**
 * Append the units of raw policy text (where `*` and `?` are wildcards) to `out`.
 * @param {string} text
 * @param {number[]} out
 * @param {boolean} [lower] lower-case literals (for case-insensitive matching)
 */
export function pushPatternUnits(text, out, lower = false) {
  const t = lower ? text.toLowerCase() : text
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i)
    out.push(c === 42 ? STAR : c === 63 ? QMARK : c)
  }
  return out
}

/**
 * Append literal text (no wildcards) to `out`.
 * @param {string} text
 * @param {number[]} out
 */
export function pushLiteralUnits(text, out) {
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i))
  return out
}

/**
 * Match `s` against compiled units, `s` entirely. Linear-backtracking glob algorithm:
 * O(len(p) * len(s)) worst case, no allocation.
 * @param {number[]} p
 * @param {string} s
 * @returns {boolean}
 */
export function matchUnits(p, s) {
  return matchUnitsRange(p, s, 0, s.length)
}

/**
 * matchUnits over `s.slice(from, to)` without slicing.
 * @param {number[]} p
 * @param {string} s
 * @param {number} from
 * @param {number} to
 * @returns {boolean}
 */
export function matchUnitsRange(p, s, from, to) {
  const pl = p.length
  const sl = to
  let pi = 0
  let si = from
  let starP = -1
  let starS = 0
  while (si < sl) {
    if (pi < pl) {
      const u = p[pi]
      if (u === STAR) {
        starP = pi++
        starS = si
        continue
      }
      if (u === QMARK || u === s.charCodeAt(si)) {
        pi++
        si++
        continue
      }
    }
    if (starP === -1) return false
    pi = starP + 1
    si = ++starS
  }
  while (pi < pl && p[pi] === STAR) pi++
  return pi === pl
}

/**
 * Compile a pattern into the fastest predicate for it: constant true for `*`, string equality when
 * there is no wildcard, prefix test for `abc*`, otherwise the unit matcher.
 * @param {string} pattern
 * @param {{ lower?: boolean }} [opts] lower: lower-case the pattern (caller lower-cases the subject)
 * @returns {(s: string) => boolean}
 */
export function compileWildcard(pattern, opts = {}) {
  const pat = opts.lower ? pattern.toLowerCase() : pattern
  const star = pat.indexOf('*')
  const q = pat.indexOf('?')
  if (pat === '*') return () => true
  if (star === -1 && q === -1) return (s) => s === pat
  if (q === -1 && star === pat.length - 1) {
    const prefix = pat.slice(0, -1)
    return (s) => s.startsWith(prefix)
  }
  const units = pushPatternUnits(pat, [])
  return (s) => matchUnits(units, s)
}

/** @param {string} s */
export function hasWildcard(s) {
  return s.includes('*') || s.includes('?')
}
