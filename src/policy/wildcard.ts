// Wildcard (`*`, `?`) matching without regular expressions, in time linear in pattern plus subject.
// Patterns are compiled into arrays of "units": a char code (>= 0) for a literal, STAR or QMARK for a
// wildcard. Literal text that came from a policy variable is pushed as char codes, so a `*` inside a user
// name stays literal.
//
// Matching splits the pattern at its stars: the first and last pieces are anchored at the ends of the
// subject, and each middle piece is found at its leftmost position after the previous one (leftmost is
// always right: it leaves the most room for what follows). A piece without `?` is found with
// Knuth–Morris–Pratt, a short piece with `?` (up to 31 units) with the bit-parallel shift-and algorithm;
// both are linear. A long piece with `?` has no known linear algorithm; it is found by its longest
// literal run, and the rest of the piece is checked around each place the run occurs: linear when the
// run is most of the piece, but slow on adversarial input (`a?a?a?…` against `aaaa…`), so every step is
// charged to a work meter and a match that would exceed the budget returns UNKNOWN (the caller then
// decides fail-closed: a Deny applies, an Allow does not).
//
// The matching loops index arrays only inside their bounds (loop conditions, KMP tables as long as their
// piece); where TypeScript cannot see that, `!` says so rather than a check on the hot path.

export const STAR = -1
export const QMARK = -2

/** A pattern unit: a char code (>= 0) for a literal character, STAR or QMARK for a wildcard. */
export type Unit = number

/** Match results: MATCH, NO_MATCH, or UNKNOWN when the work budget ran out. */
export const MATCH = 1
export const NO_MATCH = 0
export const UNKNOWN = -2

/** The outcome of one match: MATCH, NO_MATCH or UNKNOWN. */
export type MatchResult = typeof MATCH | typeof NO_MATCH | typeof UNKNOWN

/**
 * Budget of one evaluation, in steps (a step is one character compared, scanned or rendered, or one value
 * tested: a few nanoseconds each). Real requests use a few thousand (ARNs, names and tags are short); only
 * the simulator's inputs can come near it (a 131,072-character pattern against a 500,000-character context
 * value is about 1.3 M steps). Spending it costs some tens of milliseconds of CPU.
 */
export const DEFAULT_WORK_LIMIT = 3_000_000

/** The work meter: steps spent, and the budget of the evaluation in progress. */
export interface WorkMeter {
  used: number
  limit: number
}

/**
 * The work meter of the evaluation in progress. evaluate() resets it on entry; everything it calls
 * (matching, rendering variables, parsing context values) charges it. Evaluation is synchronous, so one
 * meter serves every call.
 */
export const work: WorkMeter = { used: 0, limit: DEFAULT_WORK_LIMIT }

/** Start a new budget. */
export function resetWork(limit: number = DEFAULT_WORK_LIMIT): void {
  work.used = 0
  work.limit = limit
}

/** Steps the last (or current) evaluation spent, so a caller making many (the simulator) can bound their sum. */
export function lastWorkUsed(): number {
  return work.used
}

/** Charge `n` steps; false once the budget is spent. */
export function charge(n: number): boolean {
  work.used += n
  return work.used <= work.limit
}

/**
 * Append the units of raw policy text (where `*` and `?` are wildcards) to `out`.
 * @param lower lower-case literals (for case-insensitive matching)
 */
export function pushPatternUnits(text: string, out: Unit[], lower = false): Unit[] {
  const t = lower ? text.toLowerCase() : text
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i)
    out.push(c === 42 ? STAR : c === 63 ? QMARK : c)
  }
  return out
}

/** Append literal text (no wildcards) to `out`. */
export function pushLiteralUnits(text: string, out: Unit[]): Unit[] {
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i))
  return out
}

const LIT = 0 // no `?`: Knuth–Morris–Pratt
const BITS = 1 // `?` and at most 31 units: shift-and
const GAPPED = 2 // `?` and longer: longest literal run, then check in place
const ANY = 3 // only `?`: any `len` characters

// A piece between two stars, by the algorithm that finds it. Every kind has every field, in the same order,
// so that findPiece meets one object shape whatever the kind.
interface PieceFields {
  readonly u: readonly Unit[]
  readonly len: number
}
interface LitPiece extends PieceFields {
  readonly kind: typeof LIT
  readonly fail: Int32Array
  readonly other: null
  readonly qmask: 0
  readonly anchorOff: 0
  readonly anchor: null
  readonly anchorFail: null
}
interface BitsPiece extends PieceFields {
  readonly kind: typeof BITS
  readonly fail: null
  /** Per character the piece names, the positions it may take (`?` positions included). */
  readonly other: Map<number, number>
  /** The `?` positions: where any other character may stand. */
  readonly qmask: number
  readonly anchorOff: 0
  readonly anchor: null
  readonly anchorFail: null
}
interface GappedPiece extends PieceFields {
  readonly kind: typeof GAPPED
  readonly fail: null
  readonly other: null
  readonly qmask: 0
  /** Where the longest literal run starts in the piece, the run, and its KMP table. */
  readonly anchorOff: number
  readonly anchor: readonly Unit[]
  readonly anchorFail: Int32Array
}
interface AnyPiece extends PieceFields {
  readonly kind: typeof ANY
  readonly fail: null
  readonly other: null
  readonly qmask: 0
  readonly anchorOff: 0
  readonly anchor: null
  readonly anchorFail: null
}
type Piece = LitPiece | BitsPiece | GappedPiece | AnyPiece

/** A compiled pattern: its units, and when it has stars, the anchored head and tail and the pieces between. */
export interface Glob {
  readonly star: boolean
  readonly units: readonly Unit[]
  /** The shortest subject it can match. */
  readonly min: number
  readonly head: readonly Unit[]
  readonly tail: readonly Unit[]
  readonly mids: readonly Piece[]
}

/** KMP failure table. */
function failTable(u: readonly Unit[]): Int32Array {
  const f = new Int32Array(u.length)
  let k = 0
  for (let i = 1; i < u.length; i++) {
    while (k > 0 && u[i] !== u[k]) k = f[k - 1]!
    if (u[i] === u[k]) k++
    f[i] = k
  }
  work.used += 2 * u.length
  return f
}

function compilePiece(u: readonly Unit[]): Piece {
  const len = u.length
  let q = 0
  for (let i = 0; i < len; i++) if (u[i] === QMARK) q++
  if (q === 0) {
    return { kind: LIT, u, len, fail: failTable(u), other: null, qmask: 0, anchorOff: 0, anchor: null, anchorFail: null }
  }
  if (q === len) {
    return { kind: ANY, u, len, fail: null, other: null, qmask: 0, anchorOff: 0, anchor: null, anchorFail: null }
  }
  if (len <= 31) {
    let qmask = 0
    for (let i = 0; i < len; i++) if (u[i] === QMARK) qmask |= 1 << i
    // One mask per character the piece names (so a compiled pattern stays the size of its text); any
    // other character matches only the `?` positions.
    const other = new Map<number, number>()
    for (let i = 0; i < len; i++) {
      const c = u[i]!
      if (c !== QMARK) other.set(c, (other.get(c) ?? qmask) | (1 << i))
    }
    work.used += len
    return { kind: BITS, u, len, fail: null, other, qmask, anchorOff: 0, anchor: null, anchorFail: null }
  }
  let best = 0
  let bestLen = 0
  for (let i = 0; i < len;) {
    if (u[i] === QMARK) {
      i++
      continue
    }
    let j = i
    while (j < len && u[j] !== QMARK) j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  const anchor = u.slice(best, best + bestLen)
  return { kind: GAPPED, u, len, fail: null, other: null, qmask: 0, anchorOff: best, anchor, anchorFail: failTable(anchor) }
}

/** Compile units into a matcher structure (linear in the pattern). */
export function compileGlob(units: readonly Unit[]): Glob {
  work.used += units.length
  let stars = 0
  for (let i = 0; i < units.length; i++) if (units[i] === STAR) stars++
  if (stars === 0) return { star: false, units, min: units.length, head: units, tail: [], mids: [] }
  const head: Unit[] = []
  const parts = [head]
  let tail = head
  for (let i = 0; i < units.length; i++) {
    const x = units[i]!
    if (x === STAR) parts.push((tail = []))
    else tail.push(x)
  }
  const mids = parts.slice(1, -1).filter((x) => x.length > 0).map(compilePiece)
  return { star: true, units, min: units.length - stars, head, tail, mids }
}

/** Does `u` match `s` at `at` (no star in `u`)? The caller has checked the length. */
function equalAt(u: readonly Unit[], s: string, at: number): boolean {
  const n = u.length
  work.used += n
  for (let i = 0; i < n; i++) {
    const x = u[i]
    if (x !== QMARK && x !== s.charCodeAt(at + i)) return false
  }
  return true
}

/** Does `u[a, b)` match `s` at `at + a`? */
function equalRange(u: readonly Unit[], a: number, b: number, s: string, at: number): boolean {
  work.used += b - a
  for (let i = a; i < b; i++) {
    const x = u[i]
    if (x !== QMARK && x !== s.charCodeAt(at + i)) return false
  }
  return true
}

/** Leftmost start of `p` in `s[from, to)`, -1 if none, UNKNOWN if the budget ran out. */
function findPiece(p: Piece, s: string, from: number, to: number): number {
  const len = p.len
  if (to - from < len) return -1
  switch (p.kind) {
    case ANY:
      return from
    case LIT: {
      const u = p.u
      const f = p.fail
      let k = 0
      let steps = 0
      for (let i = from; i < to; i++) {
        const c = s.charCodeAt(i)
        while (k > 0 && u[k] !== c) {
          k = f[k - 1]!
          steps++
        }
        if (u[k] === c) k++
        if (k === len) {
          work.used += steps + (i - from + 1)
          return i - len + 1
        }
      }
      work.used += steps + (to - from)
      return -1
    }
    case BITS: {
      const other = p.other
      const qmask = p.qmask
      const hit = 1 << (len - 1)
      let d = 0
      for (let i = from; i < to; i++) {
        const mask = other.get(s.charCodeAt(i)) ?? qmask
        d = ((d << 1) | 1) & mask
        if (d & hit) {
          work.used += 2 * (i - from + 1)
          return i - len + 1
        }
      }
      // Two steps a character: a map lookup costs about twice a KMP step.
      work.used += 2 * (to - from)
      return -1
    }
    default: {
      // GAPPED: KMP for the longest literal run, then the whole piece checked where the run occurs.
      const a = p.anchor
      const f = p.anchorFail
      const al = a.length
      const off = p.anchorOff
      const last = to - len + off + al // the run can end no later than this
      let k = 0
      let steps = 0
      for (let i = from + off; i < last; i++) {
        const c = s.charCodeAt(i)
        while (k > 0 && a[k] !== c) {
          k = f[k - 1]!
          steps++
        }
        if (a[k] === c) k++
        steps++
        if (k === al) {
          const start = i - al + 1 - off
          work.used += steps
          steps = 0
          if (work.used > work.limit) return UNKNOWN
          // The run itself is known to match: check only what lies around it.
          if (equalRange(p.u, 0, off, s, start) && equalRange(p.u, off + al, len, s, start)) return start
          k = f[al - 1]!
        }
      }
      work.used += steps
      return -1
    }
  }
}

/** Match compiled units against `s.slice(from, to)` (without slicing). */
export function globMatch(g: Glob, s: string, from: number, to: number): MatchResult {
  work.used += 1
  if (work.used > work.limit) return UNKNOWN
  const n = to - from
  if (!g.star) return n === g.min && equalAt(g.units, s, from) ? MATCH : NO_MATCH
  if (n < g.min) return NO_MATCH
  const head = g.head
  const tail = g.tail
  if (!equalAt(head, s, from) || !equalAt(tail, s, to - tail.length)) return NO_MATCH
  let pos = from + head.length
  const end = to - tail.length
  const mids = g.mids
  for (let i = 0; i < mids.length; i++) {
    const piece = mids[i]!
    const at = findPiece(piece, s, pos, end)
    if (at === UNKNOWN) return UNKNOWN
    if (at < 0) return NO_MATCH
    pos = at + piece.len
    if (work.used > work.limit) return UNKNOWN
  }
  return MATCH
}

/** Match `s` entirely against units (compiles them first; for one-off patterns such as rendered variables). */
export function matchUnits(p: readonly Unit[], s: string): MatchResult {
  return globMatch(compileGlob(p), s, 0, s.length)
}

/** matchUnits over `s.slice(from, to)` without slicing. */
export function matchUnitsRange(p: readonly Unit[], s: string, from: number, to: number): MatchResult {
  return globMatch(compileGlob(p), s, from, to)
}

/** A compiled test of one subject string. */
export type StringTest = (s: string) => MatchResult

/**
 * Compile a pattern into the fastest test for it: constant MATCH for `*`, string equality when there is no
 * wildcard, prefix test for `abc*`, otherwise the linear matcher.
 * @param opts lower: lower-case the pattern (caller lower-cases the subject)
 */
export function compileWildcard(pattern: string, opts: { readonly lower?: boolean } = {}): StringTest {
  const pat = opts.lower ? pattern.toLowerCase() : pattern
  const star = pat.indexOf('*')
  const q = pat.indexOf('?')
  if (pat === '*') return () => MATCH
  if (star === -1 && q === -1) {
    const cost = 1 + pat.length
    return (s) => {
      work.used += cost
      return s === pat ? MATCH : NO_MATCH
    }
  }
  if (q === -1 && star === pat.length - 1) {
    const prefix = pat.slice(0, -1)
    const cost = 1 + prefix.length
    return (s) => {
      work.used += cost
      return s.startsWith(prefix) ? MATCH : NO_MATCH
    }
  }
  const g = compileGlob(pushPatternUnits(pat, []))
  return (s) => globMatch(g, s, 0, s.length)
}

export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?')
}
