// Wildcard matching: the same answers as a plain dynamic-programming matcher, and work (steps charged to the
// meter, each a constant amount of CPU) linear in pattern plus subject, including on the inputs that made the
// old backtracking matcher quadratic. No timings: the work counter is what is asserted.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DEFAULT_WORK_LIMIT, MATCH, NO_MATCH, UNKNOWN, compileGlob, globMatch, pushPatternUnits, resetWork, work } from '../../src/policy/wildcard.js'
import { evaluate } from '../../src/policy/index.js'
import { compile } from './helpers.js'
import { rng } from './generator.js'

/** Reference: O(n·m) dynamic programming over pattern and subject (`*` any run, `?` one character). */
function reference(p: string, s: string): boolean {
  let prev = new Array<boolean>(s.length + 1).fill(false)
  prev[0] = true
  for (let i = 0; i < p.length; i++) {
    const cur = new Array<boolean>(s.length + 1).fill(false)
    if (p[i] === '*') {
      cur[0] = prev[0] === true
      for (let j = 1; j <= s.length; j++) cur[j] = prev[j] === true || cur[j - 1] === true
    } else {
      for (let j = 1; j <= s.length; j++) cur[j] = prev[j - 1] === true && (p[i] === '?' || p[i] === s[j - 1])
    }
    prev = cur
  }
  return prev[s.length] === true
}

/** Match a pattern string against a subject with a fresh (unlimited unless given) budget; returns { r, work }. */
function run(pattern: string, subject: string, limit = Infinity) {
  const g = compileGlob(pushPatternUnits(pattern, []))
  resetWork(limit)
  const r = globMatch(g, subject, 0, subject.length)
  return { r, work: work.used }
}

test('agrees with the dynamic-programming reference on 20,000 random patterns (short, long, with ? and *)', () => {
  const r = rng(424242)
  const alpha = ['a', 'b', 'c']
  let matches = 0
  for (let n = 0; n < 20000; n++) {
    // Pieces between stars: literal, with ?, long (over 31 units, so the gapped search runs), or only ?.
    const pieces = []
    const count = r.int(5)
    for (let k = 0; k <= count; k++) {
      const len = r.chance(0.15) ? 32 + r.int(12) : r.int(5)
      let piece = ''
      for (let i = 0; i < len; i++) piece += r.chance(0.25) ? '?' : r.pick(alpha)
      pieces.push(piece)
    }
    const pattern = pieces.join(r.chance(0.2) ? '**' : '*')
    let subject = ''
    // Often derived from the pattern, so that matches happen.
    if (r.chance(0.5)) {
      for (const ch of pattern) {
        if (ch === '*') for (let i = r.int(4); i > 0; i--) subject += r.pick(alpha)
        else subject += ch === '?' ? r.pick(alpha) : ch
      }
      if (r.chance(0.3) && subject.length) subject = subject.slice(0, r.int(subject.length)) + r.pick(alpha) + subject.slice(r.int(subject.length))
    } else {
      for (let i = r.int(60); i > 0; i--) subject += r.pick(alpha)
    }
    const want = reference(pattern, subject)
    const got = run(pattern, subject).r
    assert.equal(got, want ? MATCH : NO_MATCH, `${JSON.stringify(pattern)} vs ${JSON.stringify(subject)}`)
    if (want) matches++
  }
  assert.ok(matches > 4000, `too few matching cases to mean much: ${matches}`)
})

test('work is linear in pattern + subject on the inputs that made backtracking quadratic', () => {
  const n = 300000
  const a = 'a'.repeat(n)
  const cases: [pattern: string, subject: string][] = [
    // The shape: a 60k-character pattern against a 300k-character value.
    ['*' + 'a'.repeat(60000) + 'b*', a],
    ['*' + 'a'.repeat(29999) + 'b' + '*' + 'a'.repeat(29999) + '*', a],
    [('*' + 'a'.repeat(999) + 'b').repeat(60) + '*', a],
    ['*a'.repeat(30000) + 'b', a],
    ['*' + 'ab'.repeat(30000) + 'c*', 'ab'.repeat(n / 2)],
    // Short pieces with ? (shift-and).
    ['*' + 'a?'.repeat(15) + 'b*', a],
    ['*' + 'a?a'.repeat(10) + 'b*' + '?'.repeat(500) + '*', a],
    // Only ?: the piece is "any n characters".
    ['*' + '?'.repeat(60000) + '*' + 'b', a],
    // Long pieces with a few ?: the longest literal run is found, only the rest is checked around it.
    ['*' + 'a'.repeat(60000) + '?b*', a],
    ['*' + 'x?' + 'a'.repeat(60000) + '*', a],
    // Anchored ends only.
    ['a'.repeat(30000) + '*' + 'a'.repeat(30000) + 'b', a]
  ]
  for (const [p, s] of cases) {
    const { r, work: used } = run(p, s)
    assert.equal(r, NO_MATCH, p.slice(0, 40))
    assert.ok(used <= 6 * (p.length + s.length), `${p.slice(0, 40)}…: ${used} steps for ${p.length} + ${s.length} characters`)
  }
  // And when it matches.
  const hit = run('*' + 'a'.repeat(60000) + '*', a)
  assert.equal(hit.r, MATCH)
  assert.ok(hit.work <= 6 * (60002 + n))
})

test('a long piece with ? on adversarial input stops at the budget and says UNKNOWN', () => {
  // Its longest literal run is one character, found everywhere, and each check fails only at its end: the one
  // shape without a linear algorithm. The budget bounds it.
  const p = '*' + 'a?'.repeat(30000) + 'b*'
  const s = 'a'.repeat(300000)
  const limit = 2_000_000
  const { r, work: used } = run(p, s, limit)
  assert.equal(r, UNKNOWN)
  assert.ok(used <= limit + 2 * (p.length + s.length), `${used} steps`)
  // With room for it, the same search is answered (and is correct).
  const small = run('*' + 'a?'.repeat(40) + 'b*', 'a'.repeat(2000))
  assert.equal(small.r, NO_MATCH)
  assert.equal(run('*' + 'a?'.repeat(40) + 'b*', 'a'.repeat(2000) + 'b').r, MATCH)
})

test('evaluate: an unknown outcome is fail-closed (a Deny applies, an Allow does not), within the budget', () => {
  const p = 'a?'.repeat(2000) + 'b'
  const context = { 'aws:PrincipalTag/t': 'a'.repeat(200000) }
  const deny = compile({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:PrincipalTag/t': '*' + p + '*' } } }
  ] })
  const limit = 1_000_000
  const res = evaluate({ action: 'iam:GetUser', resource: '*', context }, { identity: [deny] }, { workLimit: limit })
  assert.equal(res.decision, 'explicitDeny')
  assert.ok(work.used <= limit + 500000, `${work.used} steps`)
  const allow = compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:PrincipalTag/t': '*' + p + '*' } } }] })
  assert.equal(evaluate({ action: 'iam:GetUser', resource: '*', context }, { identity: [allow] }, { workLimit: limit }).decision, 'implicitDeny')
  // A negated operator flips it: in a Deny the unknown value counts as not matching (the Deny applies).
  const denyNot = compile({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotLike: { 'aws:PrincipalTag/t': '*' + p + '*' } } }
  ] })
  assert.equal(evaluate({ action: 'iam:GetUser', resource: '*', context }, { identity: [denyNot] }, { workLimit: limit }).decision, 'explicitDeny')
  const allowNot = compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringNotLike: { 'aws:PrincipalTag/t': '*' + p + '*' } } }] })
  assert.equal(evaluate({ action: 'iam:GetUser', resource: '*', context }, { identity: [allowNot] }, { workLimit: limit }).decision, 'implicitDeny')
  // With a value the default budget covers, the same policy is decided exactly (no b: no match).
  assert.equal(evaluate({ action: 'iam:GetUser', resource: '*', context: { 'aws:PrincipalTag/t': 'a'.repeat(500) } }, { identity: [deny] }).decision, 'allowed')
})

test('evaluate: many patterns against a long value, and a variable repeated many times, stay within the budget', () => {
  const long = 'x'.repeat(500000)
  // 5,000 patterns each scanning the whole value would be 2.5 G steps: the budget stops it, fail-closed.
  const values = Array.from({ length: 5000 }, (_, i) => `*y${i}*`)
  const deny = compile({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:PrincipalTag/t': values } } }
  ] })
  const res = evaluate({ action: 'iam:GetUser', resource: '*', context: { 'aws:PrincipalTag/t': long } }, { identity: [deny] })
  assert.equal(res.decision, 'explicitDeny')
  assert.ok(work.used <= DEFAULT_WORK_LIMIT + 1_000_000, `${work.used} steps`)
  // A short policy repeating a variable whose value is long costs what it renders.
  const rep = '${aws:PrincipalTag/big}'.repeat(200)
  const vdeny = compile({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/t': rep } } }
  ] })
  const v = evaluate({ action: 'iam:GetUser', resource: '*', context: { 'aws:PrincipalTag/t': 'z', 'aws:PrincipalTag/big': long } }, { identity: [vdeny] })
  assert.equal(v.decision, 'explicitDeny')
  assert.ok(work.used <= DEFAULT_WORK_LIMIT + 1_000_000, `${work.used} steps`)
  // A multivalued key with many values against many policy values: bounded too.
  const many = Array.from({ length: 20000 }, (_, i) => `v${i}`)
  const anyDeny = compile({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: '*', Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': many.map((x) => `*${x}q*`) } } }
  ] })
  const m = evaluate({ action: 'iam:GetUser', resource: '*', context: { 'aws:TagKeys': many } }, { identity: [anyDeny] })
  assert.equal(m.decision, 'explicitDeny')
  assert.ok(work.used <= DEFAULT_WORK_LIMIT + 1_000_000, `${work.used} steps`)
})

test('evaluate: work grows with the documents and the context, not with their product', () => {
  // 3,000 Resource entries (short patterns among them) against a 2,048-character resource ARN.
  const resource = `arn:aws:iam::123456789012:user/${'p/'.repeat(1000)}x`
  const entries = Array.from({ length: 3000 }, (_, i) => (i % 2 ? `arn:aws:iam::12345678901${i % 10}*` : `arn:aws:iam::*:user/${'p/'.repeat(i % 50)}q${i}*`))
  entries.push('arn:aws:iam::1234567890*') // the only one that matches, tried last
  const policy = compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: entries }] })
  const size = JSON.stringify(entries).length
  assert.equal(evaluate({ action: 'iam:GetUser', resource, context: {} }, { identity: [policy] }).decision, 'allowed')
  assert.ok(work.used <= 4 * (size + resource.length), `${work.used} steps for ${size} + ${resource.length} characters`)
  // IP blocks against a huge request value: not an address, read in constant time.
  const ipPolicy = compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': Array.from({ length: 500 }, (_, i) => `10.0.${i % 256}.0/24`) } } }] })
  assert.equal(evaluate({ action: 'iam:GetUser', resource: '*', context: { 'aws:SourceIp': '1'.repeat(500000) } }, { identity: [ipPolicy] }).decision, 'implicitDeny')
  assert.ok(work.used <= 500000 + 10000, `${work.used} steps`)
})
