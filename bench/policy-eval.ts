// @ts-nocheck -- renamed from .js in this commit only (so that history follows the file); typed in the next
// Benchmark: Gatehouse's compiled evaluator vs @cloud-copilot/iam-simulate (AGPL, dev-only; imported
// here and in test/ only) on the same policies and requests, in one process.
//
//   taskset -c 1 node bench/policy-eval.js            (pin to one core; plain `node …` works too)
//   node bench/policy-eval.js --seconds 0.5           (shorter run)
//
// Each (evaluator, workload) pair runs for a fixed wall time after a warm-up; the whole run is bounded
// (~40 s at the default 1.5 s per measurement). Decisions are cross-checked before timing.

import os from 'node:os'
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate'
import { compilePolicy, createRequestContext, evaluate, parsePolicyDocument } from '../src/policy/index.js'
import { AWS_SELF_MANAGE, SEED } from '../test/policy/helpers.js'
import { genCase, rng } from '../test/policy/generator.js'

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name)
  return i === -1 ? dflt : Number(process.argv[i + 1])
}
const SECONDS = arg('--seconds', 1.5)
const ACCT = '123456789012'
const alice = `arn:aws:iam::${ACCT}:user/alice`
const MAP = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' }

/** A workload: identity policies (+ optional boundary) and a list of requests, evaluated round-robin. */
function workload(name, identity, boundary, requests) {
  return { name, identity, boundary, requests }
}

const mfaBase = { 'aws:username': 'alice', 'aws:userid': 'AIDAEXAMPLE' }
const workloads = [
  workload('seed §3.2: ListUsers, no MFA key (explicit deny)', [SEED], undefined, [{ action: 'iam:ListUsers', resource: '*', context: { ...mfaBase } }]),
  workload('seed §3.2: ListUsers, MFA true (allow)', [SEED], undefined, [{ action: 'iam:ListUsers', resource: '*', context: { ...mfaBase, 'aws:MultiFactorAuthPresent': 'true' } }]),
  workload('seed §3.2: EnableMFADevice own user, MFA false (allow)', [SEED], undefined, [{ action: 'iam:EnableMFADevice', resource: alice, context: { ...mfaBase, 'aws:MultiFactorAuthPresent': 'false' } }]),
  workload('AWS §3.1 self-manage: 6 mixed requests', [AWS_SELF_MANAGE], undefined, [
    { action: 'iam:CreateAccessKey', resource: alice, context: { ...mfaBase } },
    { action: 'iam:CreateAccessKey', resource: alice, context: { ...mfaBase, 'aws:MultiFactorAuthPresent': 'true' } },
    { action: 'iam:GetUser', resource: alice, context: { ...mfaBase } },
    { action: 'iam:ChangePassword', resource: alice, context: { ...mfaBase, 'aws:MultiFactorAuthPresent': 'false' } },
    { action: 'iam:ListUsers', resource: '*', context: { ...mfaBase, 'aws:MultiFactorAuthPresent': 'true' } },
    { action: 'iam:CreateVirtualMFADevice', resource: `arn:aws:iam::${ACCT}:mfa/alice`, context: { ...mfaBase, 'aws:MultiFactorAuthPresent': 'false' } }
  ])
]
// 200 generated cases (differential-test generator, seed 42): random operators, variables, boundaries.
{
  const r = rng(42)
  const cases = Array.from({ length: 200 }, () => genCase(r))
  workloads.push({ name: '200 generated cases (all operators, boundaries)', cases })
}

function prepareOurs(w) {
  const compile = (doc, id, kind) => compilePolicy(parsePolicyDocument(JSON.stringify(doc), { kind }), { id, type: 'user-managed' })
  if (w.cases) {
    return w.cases.map((c) => ({
      request: { action: c.action, resource: c.resource, context: createRequestContext(c.context) },
      set: { identity: c.identity.map((d, i) => compile(d, `p${i}`, 'identity')), boundary: c.boundary ? [compile(c.boundary, 'pb', 'boundary')] : undefined }
    }))
  }
  const set = { identity: w.identity.map((d, i) => compile(d, `p${i}`, 'identity')), boundary: w.boundary ? [compile(w.boundary, 'pb', 'boundary')] : undefined }
  // The context stays a plain object: evaluate() normalises it on every call, as the server will.
  return w.requests.map((rq) => ({ request: rq, set }))
}

function prepareOracle(w) {
  const sim = (identity, boundary, rq) => ({
    identityPolicies: identity.map((policy, i) => ({ name: `p${i}`, policy })),
    permissionBoundaryPolicies: boundary ? [{ name: 'pb', policy: boundary }] : undefined,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: { principal: alice, action: rq.action, resource: { resource: rq.resource, accountId: ACCT }, contextVariables: rq.context }
  })
  if (w.cases) return w.cases.map((c) => sim(c.identity, c.boundary, c))
  return w.requests.map((rq) => sim(w.identity, w.boundary, rq))
}

/** Run fn round-robin over items for SECONDS after a warm-up; returns calls per second. */
async function measure(items, fn, isAsync) {
  const n = items.length
  const warmEnd = performance.now() + Math.min(300, SECONDS * 200)
  let i = 0
  while (performance.now() < warmEnd) {
    if (isAsync) await fn(items[i++ % n])
    else fn(items[i++ % n])
  }
  let calls = 0
  const t0 = performance.now()
  const end = t0 + SECONDS * 1000
  let now = t0
  while (now < end) {
    // Check the clock every batch so timing does not dominate the fast path.
    for (let b = 0; b < 64; b++) {
      if (isAsync) await fn(items[i++ % n])
      else fn(items[i++ % n])
    }
    calls += 64
    now = performance.now()
  }
  return calls / ((now - t0) / 1000)
}

const fmt = (x) => Math.round(x).toLocaleString('en-US')
console.log(`policy evaluator benchmark — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, ${SECONDS}s per measurement`)
console.log(`reproduce: taskset -c 1 node bench/policy-eval.js${SECONDS !== 1.5 ? ` --seconds ${SECONDS}` : ''}`)
console.log('')
const rows = []
for (const w of workloads) {
  const ours = prepareOurs(w)
  const sims = prepareOracle(w)
  // Cross-check decisions before timing.
  let checked = 0
  for (let k = 0; k < ours.length; k++) {
    const a = evaluate(ours[k].request, ours[k].set).decision
    const res = await runSimulation(sims[k], {})
    if (res.resultType !== 'single') continue
    if (MAP[res.overallResult] !== a) throw new Error(`decision mismatch in "${w.name}" #${k}: ours ${a}, oracle ${res.overallResult}`)
    checked++
  }
  const oursRate = await measure(ours, (x) => evaluate(x.request, x.set), false)
  const unsafeRate = await measure(sims, (s) => runUnsafeSimulation(s, {}), false)
  const safeRate = await measure(sims, (s) => runSimulation(s, {}), true)
  rows.push({ name: w.name, oursRate, unsafeRate, safeRate, checked })
  console.log(`${w.name}  (${checked} decisions cross-checked)`)
  console.log(`  gatehouse evaluate (compiled)     ${fmt(oursRate).padStart(12)} decisions/s`)
  console.log(`  iam-simulate runUnsafeSimulation  ${fmt(unsafeRate).padStart(12)} decisions/s   ratio ${(oursRate / unsafeRate).toFixed(0)}x`)
  console.log(`  iam-simulate runSimulation        ${fmt(safeRate).padStart(12)} decisions/s   ratio ${(oursRate / safeRate).toFixed(0)}x`)
}
const minUnsafe = Math.min(...rows.map((r) => r.oursRate / r.unsafeRate))
const minSafe = Math.min(...rows.map((r) => r.oursRate / r.safeRate))
console.log('')
console.log(`lowest ratio over workloads: ${minUnsafe.toFixed(0)}x vs runUnsafeSimulation, ${minSafe.toFixed(0)}x vs runSimulation (target: ≥100x)`)
