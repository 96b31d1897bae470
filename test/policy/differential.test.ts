// Differential test against @cloud-copilot/iam-simulate (AGPL: imported from test/ and bench/ only,
// never from src/). A seeded generator produces policies and requests inside the area where the
// oracle is faithful; both evaluators must agree on every case.
//
// Known, documented disagreements (kept out of the generator; each pinned by a test below that asks
// both evaluators, so a change on either side shows up; listed in docs/policy-evaluator.md):
//  1. Version 2008-10-17 / no Version: the oracle substitutes ${aws:username}; AWS and we treat it as
//     literal text.
//  2. Unknown condition operators: the oracle accepts them and never matches; we reject the document.
//  3. Duplicate or non-alphanumeric Sids, ForAnyValue:Null, NullIfExists: accepted by the oracle,
//     rejected by us (as IAM does).
//  4. Date values given as epoch numbers: the oracle reads them as milliseconds, we (AWS) as seconds.
//  5. Resource patterns with a wildcard before the first `/` of the resource part (e.g.
//     `arn:aws:iam::*:*/alice`): the oracle requires that "product" prefix literally; we apply the
//     wildcard as AWS documents.
//  6. Short resource ARNs without a trailing * (`arn:aws:iam::123456789012`): the oracle pads them with
//     `*` for identity policies; we reject them at write time ("must be in ARN format") and never match.
//  7. Partition/service/region/account segments: the oracle matches them case-insensitively; we match
//     the whole ARN case-sensitively.
//  8. An empty-string context value used as a variable: the oracle treats it as missing; we substitute
//     the empty string.
//  9. Variable defaults without the space (`${k,'d'}`): the oracle ignores the default; we accept it.
// 10. Request resource `*` for an action that has resource types: the oracle's "wildcard request"
//     mode lets a specific ARN match it; we compare the literal string `*`.
// 11. A single-valued key given an array in the context: the oracle uses the first element (by key
//     type); we treat any array as multivalued (a bare operator never matches it).
// 12. NotResource against the request resource `*` of a wildcard-only action (iam:ListUsers): the
//     oracle treats `*` as "all resources" (Allow+NotResource applies only sometimes, Deny+NotResource
//     never); we compare the literal `*`, which no ARN pattern matches, so NotResource applies.
// 13. IpAddress `0.0.0.0/0`: the oracle matches only 0.0.0.0 (its /0 mask is all ones); we match
//     every IPv4 address.
// 14. NotIpAddress with a bare IPv4 address (no /n) and an IPv6 caller: the oracle counts it as an
//     error (false); we say the address is not in the block (true), as it does for a CIDR block.
// 15. NotResource whose variable cannot be resolved: both of us call the entry undecidable (the
//     NotResource fails) only when the variable could make it match. The oracle checks that with the
//     resource-type prefix alone, we with the whole pattern (variable widened to *), so for
//     `user/ops/${aws:username}` against `user/ALICE` the oracle says undecidable, we say "not listed".
// 16. Escapes `${*}`, `${?}`, `${$}` in StringEquals-family values: the oracle leaves them unexpanded
//     (never equal), we expand them to the literal character as in every other place.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runSimulation } from '@cloud-copilot/iam-simulate'
import { compilePolicy, evaluate, parsePolicyDocument } from '../../src/policy/index.js'
import type { Decision, PolicyKind } from '../../src/policy/index.js'
import { ACCT, genCase, rng } from './generator.js'

const CASES = 4000
const SEED = 20261124
const MAP = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' } as const satisfies Record<string, Decision>

/** A case for both evaluators: a generated one, or a hand-written one (any policy document). */
interface Case {
  identity: readonly object[]
  boundary?: object | undefined
  action: string
  resource: string
  context: Record<string, string | string[]>
  principal: string
}

/** The oracle's decision, or why it gave none. */
interface OracleAnswer {
  decision?: Decision
  error?: string
}

/** The oracle's decision; `wildcard` also accepts its "wildcard request" mode (disagreement 10). */
async function oracle(c: Case, { wildcard = false } = {}): Promise<OracleAnswer> {
  const res = await runSimulation(
    {
      identityPolicies: c.identity.map((policy, i) => ({ name: `p${i}`, policy })),
      ...(c.boundary ? { permissionBoundaryPolicies: [{ name: 'pb', policy: c.boundary }] } : {}),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: { principal: c.principal, action: c.action, resource: { resource: c.resource, accountId: ACCT }, contextVariables: c.context }
    },
    {}
  )
  if (res.resultType !== 'single' && !(wildcard && res.resultType === 'wildcard')) return { error: JSON.stringify(res.resultType === 'error' ? res.errors : res.resultType) }
  return { decision: MAP[res.overallResult] }
}

function ours(c: Case): Decision {
  const compile = (doc: object, id: string, kind: PolicyKind) => compilePolicy(parsePolicyDocument(JSON.stringify(doc), { kind }), { id, type: 'user-managed' })
  const identity = c.identity.map((d, i) => compile(d, `p${i}`, 'identity'))
  const boundary = c.boundary ? [compile(c.boundary, 'pb', 'boundary')] : undefined
  return evaluate({ action: c.action, resource: c.resource, context: c.context, principal: c.principal }, { identity, boundary }).decision
}

test(`differential: ${CASES} seeded random cases agree with iam-simulate`, async () => {
  const r = rng(SEED)
  const counts = { allowed: 0, explicitDeny: 0, implicitDeny: 0 }
  /** A case the two evaluators decide differently, or the oracle cannot decide. */
  interface Finding {
    i: number
    error?: string
    ours?: Decision
    oracle?: Decision | undefined
    case?: Case
    c?: Case
  }
  const disagreements: Finding[] = []
  const errors: Finding[] = []
  for (let i = 0; i < CASES; i++) {
    const c = genCase(r)
    const o = await oracle(c)
    if (o.error) {
      errors.push({ i, error: o.error, c })
      continue
    }
    const d = ours(c)
    counts[d]++
    if (d !== o.decision) disagreements.push({ i, ours: d, oracle: o.decision, case: c })
  }
  const show = (x: Finding[]) => JSON.stringify(x.slice(0, 2), null, 1) + (x.length ? ` kinds: ${JSON.stringify([...new Set(x.map((e) => e.error ?? `${e.ours}/${e.oracle}`))])}` : "")
  assert.equal(errors.length, 0, `oracle rejected generated cases: ${show(errors)}`)
  assert.equal(disagreements.length, 0, `${disagreements.length} disagreements, first: ${show(disagreements)}`)
  // The generator must exercise every outcome, or agreement means little.
  for (const [k, v] of Object.entries(counts)) assert.ok(v > CASES * 0.05, `too few ${k} cases: ${JSON.stringify(counts)}`)
})

// Each documented disagreement, pinned: if the oracle or we change, these tell.
async function both(policy: object, action: string, resource: string, context: Record<string, string | string[]>, opts: { wildcard?: boolean } = {}) {
  const c = { identity: [policy], action, resource, context, principal: `arn:aws:iam::${ACCT}:user/alice` }
  const o = await oracle(c, opts)
  let d: string
  try {
    d = ours(c)
  } catch (e) {
    d = `rejected: ${e instanceof Error ? e.message : String(e)}`
  }
  return { oracle: o.decision ?? o.error, ours: d }
}
const one = (st: object, version = '2012-10-17') => ({ ...(version ? { Version: version } : {}), Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', ...st }] })
const alice = `arn:aws:iam::${ACCT}:user/alice`

test('disagreement 1: Version 2008-10-17 keeps ${aws:username} literal', async () => {
  assert.deepEqual(await both(one({ Resource: 'arn:aws:iam::*:user/${aws:username}' }, '2008-10-17'), 'iam:GetUser', alice, { 'aws:username': 'alice' }), { oracle: 'allowed', ours: 'implicitDeny' })
})

test('disagreement 2: unknown condition operator', async () => {
  assert.deepEqual(await both(one({ Resource: '*', Condition: { StringEqualz: { 'aws:username': 'alice' } } }), 'iam:GetUser', alice, { 'aws:username': 'alice' }), { oracle: 'implicitDeny', ours: 'rejected: Syntax errors in policy.' })
})

test('disagreement 3: duplicate and non-alphanumeric Sids, ForAnyValue:Null, NullIfExists', async () => {
  const twice = { Version: '2012-10-17', Statement: [{ Sid: 'Same', Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }, { Sid: 'Same', Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] }
  assert.deepEqual(await both(twice, 'iam:GetUser', alice, {}), { oracle: 'allowed', ours: 'rejected: Statement IDs (SID) in a single policy must be unique.' })
  assert.deepEqual(await both(one({ Sid: 'a-b', Resource: '*' }), 'iam:GetUser', alice, {}), { oracle: 'allowed', ours: 'rejected: Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*' })
  assert.deepEqual(await both(one({ Resource: '*', Condition: { 'ForAnyValue:Null': { 'aws:TagKeys': 'true' } } }), 'iam:GetUser', alice, {}), { oracle: 'allowed', ours: 'rejected: Syntax errors in policy.' })
  assert.deepEqual(await both(one({ Resource: '*', Condition: { NullIfExists: { 'aws:TagKeys': 'true' } } }), 'iam:GetUser', alice, {}), { oracle: 'allowed', ours: 'rejected: Syntax errors in policy.' })
})

test('disagreement 4: epoch dates are seconds', async () => {
  assert.deepEqual(await both(one({ Resource: '*', Condition: { DateEquals: { 'aws:CurrentTime': '1577836800' } } }), 'iam:GetUser', alice, { 'aws:CurrentTime': '2020-01-01T00:00:00Z' }), { oracle: 'implicitDeny', ours: 'allowed' })
})

test('disagreement 5: wildcard in the resource-type prefix', async () => {
  assert.deepEqual(await both(one({ Resource: 'arn:aws:iam::*:*/alice' }), 'iam:GetUser', alice, {}), { oracle: 'implicitDeny', ours: 'allowed' })
})

test('disagreement 6: a short resource ARN without a trailing * matches nothing here', async () => {
  // (Rejected outright when written: test/policy/parse.test.js; a stored one still loads and matches nothing.)
  assert.deepEqual(await both(one({ Resource: `arn:aws:iam::${ACCT}` }), 'iam:GetUser', alice, {}), { oracle: 'allowed', ours: 'implicitDeny' })
})

test('disagreement 7: non-resource ARN segments are case-sensitive here', async () => {
  assert.deepEqual(await both(one({ Resource: 'arn:aws:IAM::*:user/alice' }), 'iam:GetUser', alice, {}), { oracle: 'allowed', ours: 'implicitDeny' })
})

test('disagreement 8: an empty-string variable value is substituted, not treated as missing', async () => {
  const p = one({ Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red${aws:PrincipalTag/suffix}' } } })
  assert.deepEqual(await both(p, 'iam:GetUser', alice, { 'aws:PrincipalTag/team': 'red', 'aws:PrincipalTag/suffix': '' }), { oracle: 'implicitDeny', ours: 'allowed' })
  // With a non-empty value both substitute it.
  assert.deepEqual(await both(p, 'iam:GetUser', alice, { 'aws:PrincipalTag/team': 'red1', 'aws:PrincipalTag/suffix': '1' }), { oracle: 'allowed', ours: 'allowed' })
})

test('disagreement 9: a default without the space after the comma', async () => {
  assert.deepEqual(await both(one({ Resource: "arn:aws:iam::*:user/${aws:username,'alice'}" }), 'iam:GetUser', alice, {}), { oracle: 'implicitDeny', ours: 'allowed' })
})

test('disagreement 10: the request resource * is the literal string, not "every resource"', async () => {
  const p = one({ Resource: `arn:aws:iam::${ACCT}:user/alice` })
  assert.deepEqual(await both(p, 'iam:GetUser', '*', {}, { wildcard: true }), { oracle: 'allowed', ours: 'implicitDeny' })
  // With the real ARN both allow.
  assert.deepEqual(await both(p, 'iam:GetUser', alice, {}), { oracle: 'allowed', ours: 'allowed' })
})

test('disagreement 11: an array for a single-valued key is multivalued here (a bare operator never matches it)', async () => {
  const p = one({ Resource: '*', Condition: { StringEquals: { 'aws:username': 'alice' } } })
  assert.deepEqual(await both(p, 'iam:GetUser', alice, { 'aws:username': ['alice', 'bob'] }), { oracle: 'allowed', ours: 'implicitDeny' })
})

test('disagreement 12: NotResource against the * of a wildcard-only action', async () => {
  const p = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', NotResource: 'arn:aws:iam::*' }] }
  assert.deepEqual(await both(p, 'iam:ListUsers', '*', {}), { oracle: 'implicitDeny', ours: 'allowed' })
})

test('disagreement 13: 0.0.0.0/0 covers every IPv4 address', async () => {
  assert.deepEqual(await both(one({ Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }), 'iam:GetUser', alice, { 'aws:SourceIp': '192.168.5.5' }), { oracle: 'implicitDeny', ours: 'allowed' })
})

test('disagreement 14: an IPv6 caller is not inside IPv4 blocks', async () => {
  assert.deepEqual(await both(one({ Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.1.2.3' } } }), 'iam:GetUser', alice, { 'aws:SourceIp': '2001:db8::1' }), { oracle: 'implicitDeny', ours: 'allowed' })
  // With a CIDR block (not a bare address) the oracle agrees.
  assert.deepEqual(await both(one({ Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), 'iam:GetUser', alice, { 'aws:SourceIp': '2001:db8::1' }), { oracle: 'allowed', ours: 'allowed' })
})

test('disagreement 15: NotResource with an unresolvable variable that cannot match anyway', async () => {
  const p = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', NotResource: 'arn:aws:iam::*:user/ops/${aws:username}' }] }
  assert.deepEqual(await both(p, 'iam:GetUser', alice, {}), { oracle: 'implicitDeny', ours: 'allowed' })
  // Where the variable decides, both call the statement invalid.
  const q = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', NotResource: 'arn:aws:iam::*:user/${aws:username}' }] }
  assert.deepEqual(await both(q, 'iam:GetUser', alice, {}), { oracle: 'implicitDeny', ours: 'implicitDeny' })
})

test('disagreement 16: ${*} in StringEquals is a literal *', async () => {
  assert.deepEqual(await both(one({ Resource: '*', Condition: { StringEquals: { 'aws:username': 'al${*}' } } }), 'iam:GetUser', alice, { 'aws:username': 'al*' }), { oracle: 'implicitDeny', ours: 'allowed' })
})
