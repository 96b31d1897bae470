// Benchmark: Gatehouse's compiled evaluator vs @cloud-copilot/iam-simulate (AGPL, dev-only; imported
// here and in test/ only) on the same policies and requests, in one process.
//
//   npm run build && taskset -c 1 node dist/bench/policy-eval.js   (pin to one core; plain `node …` works too)
//   node dist/bench/policy-eval.js --seconds 0.5                   (shorter run)
//   node dist/bench/policy-eval.js --baseline /tmp/policy-js/src/policy/index.js
//       (also runs another build of the evaluator, e.g. an older commit's src/policy, on the same workloads,
//       alternating with this one in short rounds, and reports this build's speed relative to it)
//
// Each (evaluator, workload) pair runs for a fixed wall time after a warm-up; the whole run is bounded
// (~40 s at the default 1.5 s per measurement, twice that with --baseline). Decisions are cross-checked
// before timing.

import os from 'node:os'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate'
import type { Simulation } from '@cloud-copilot/iam-simulate'
import * as Ours from '../src/policy/index.js'
import type { Decision, EvaluationRequest, PolicyKind, PolicySet } from '../src/policy/index.js'
import { AWS_SELF_MANAGE, SEED } from '../test/policy/helpers.js'
import { genCase, rng } from '../test/policy/generator.js'
import type { GenCase } from '../test/policy/generator.js'

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name)
  return i === -1 ? undefined : process.argv[i + 1]
}
const SECONDS = Number(arg('--seconds') ?? 1.5)
const BASELINE = arg('--baseline')
const ROUNDS = Number(arg('--rounds') ?? 21)
const ACCT = '123456789012'
const alice = `arn:aws:iam::${ACCT}:user/alice`
const MAP = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' } as const satisfies Record<string, Decision>

/** What the benchmark uses of an evaluator build: this one, or the baseline's. */
type Evaluator = Pick<typeof Ours, 'compilePolicy' | 'createRequestContext' | 'evaluate' | 'parsePolicyDocument'>

const isEvaluator = (m: unknown): m is Evaluator =>
  typeof m === 'object' && m !== null &&
  'compilePolicy' in m && typeof m.compilePolicy === 'function' &&
  'createRequestContext' in m && typeof m.createRequestContext === 'function' &&
  'evaluate' in m && typeof m.evaluate === 'function' &&
  'parsePolicyDocument' in m && typeof m.parsePolicyDocument === 'function'

/** A request of a fixed workload; the context stays a plain object, as the server passes it. */
interface FixedRequest {
  action: string
  resource: string
  context: Record<string, string | string[]>
}

/** A workload: identity policies (+ optional boundary) and requests, or generated cases; evaluated round-robin. */
type Workload =
  | { name: string; identity: object[]; boundary: object | undefined; requests: FixedRequest[] }
  | { name: string; cases: GenCase[] }

function workload(name: string, identity: object[], boundary: object | undefined, requests: FixedRequest[]): Workload {
  return { name, identity, boundary, requests }
}

const mfaBase = { 'aws:username': 'alice', 'aws:userid': 'AIDAEXAMPLE' }
const workloads: Workload[] = [
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

/** One evaluation to time: the request and the compiled policies it runs against. */
interface Prepared {
  request: EvaluationRequest
  set: PolicySet
}

function prepare(M: Evaluator, w: Workload): Prepared[] {
  const compile = (doc: object, id: string, kind: PolicyKind) => M.compilePolicy(M.parsePolicyDocument(JSON.stringify(doc), { kind }), { id, type: 'user-managed' })
  if ('cases' in w) {
    return w.cases.map((c) => ({
      request: { action: c.action, resource: c.resource, context: M.createRequestContext(c.context) },
      set: { identity: c.identity.map((d, i) => compile(d, `p${i}`, 'identity')), boundary: c.boundary ? [compile(c.boundary, 'pb', 'boundary')] : undefined }
    }))
  }
  const set = { identity: w.identity.map((d, i) => compile(d, `p${i}`, 'identity')), boundary: w.boundary ? [compile(w.boundary, 'pb', 'boundary')] : undefined }
  // The context stays a plain object: evaluate() normalises it on every call, as the server will.
  return w.requests.map((rq) => ({ request: rq, set }))
}

function prepareOracle(w: Workload): Simulation[] {
  const sim = (identity: object[], boundary: object | undefined, rq: FixedRequest): Simulation => ({
    identityPolicies: identity.map((policy, i) => ({ name: `p${i}`, policy })),
    ...(boundary ? { permissionBoundaryPolicies: [{ name: 'pb', policy: boundary }] } : {}),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: { principal: alice, action: rq.action, resource: { resource: rq.resource, accountId: ACCT }, contextVariables: rq.context }
  })
  if ('cases' in w) return w.cases.map((c) => sim(c.identity, c.boundary, c))
  return w.requests.map((rq) => sim(w.identity, w.boundary, rq))
}

/** Run fn round-robin over items for SECONDS after a warm-up; returns calls per second. */
async function measure<T>(items: readonly T[], fn: (x: T) => unknown, isAsync: boolean): Promise<number> {
  const n = items.length
  const at = (i: number): T => items[i % n]!
  const warmEnd = performance.now() + Math.min(300, SECONDS * 200)
  let i = 0
  while (performance.now() < warmEnd) {
    if (isAsync) await fn(at(i++))
    else fn(at(i++))
  }
  let calls = 0
  const t0 = performance.now()
  const end = t0 + SECONDS * 1000
  let now = t0
  while (now < end) {
    // Check the clock every batch so timing does not dominate the fast path.
    for (let b = 0; b < 64; b++) {
      if (isAsync) await fn(at(i++))
      else fn(at(i++))
    }
    calls += 64
    now = performance.now()
  }
  return calls / ((now - t0) / 1000)
}

/** `calls` evaluations round-robin over items; evaluations per second of process CPU time. */
function cpuRate(M: Evaluator, items: readonly Prepared[], calls: number): number {
  const n = items.length
  const c0 = process.cpuUsage()
  for (let i = 0; i < calls; i++) {
    const x = items[i % n]!
    M.evaluate(x.request, x.set)
  }
  const c = process.cpuUsage(c0)
  return calls / ((c.user + c.system) / 1e6)
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/**
 * This build against the baseline, in short alternating rounds (the order flips every round) so that both
 * meet the same machine: on a shared, noisy machine the per-round ratio is steadier than either rate.
 * Rates are per CPU second of the process, not per wall second.
 */
function compareRounds(base: Evaluator, baseItems: readonly Prepared[], ourItems: readonly Prepared[]): { ours: number; base: number; ratio: number; low: number; high: number } {
  // Calibrate one round to about SECONDS / 10 of CPU time (after a warm-up of both): many short rounds, so
  // that the median sees past the bursts of other work on the machine.
  let calls = 256
  cpuRate(Ours, ourItems, calls)
  cpuRate(base, baseItems, calls)
  while (calls / cpuRate(base, baseItems, calls) < SECONDS / 10 && calls < 1 << 26) calls *= 2
  const oursRates: number[] = []
  const baseRates: number[] = []
  const ratios: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    let o: number
    let b: number
    if (r % 2 === 0) {
      o = cpuRate(Ours, ourItems, calls)
      b = cpuRate(base, baseItems, calls)
    } else {
      b = cpuRate(base, baseItems, calls)
      o = cpuRate(Ours, ourItems, calls)
    }
    oursRates.push(o)
    baseRates.push(b)
    ratios.push(o / b)
  }
  return { ours: median(oursRates), base: median(baseRates), ratio: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) }
}

let baseline: Evaluator | null = null
if (BASELINE !== undefined) {
  const mod: unknown = await import(pathToFileURL(resolve(BASELINE)).href)
  if (!isEvaluator(mod)) throw new Error(`--baseline ${BASELINE}: not an evaluator build (needs compilePolicy, createRequestContext, evaluate, parsePolicyDocument)`)
  baseline = mod
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US')
console.log(`policy evaluator benchmark — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, ${SECONDS}s per measurement`)
console.log(`reproduce: taskset -c 1 node dist/bench/policy-eval.js${SECONDS !== 1.5 ? ` --seconds ${SECONDS}` : ''}${BASELINE !== undefined ? ` --baseline ${BASELINE}` : ''}`)
console.log('')
const rows: { name: string; oursRate: number; unsafeRate: number; safeRate: number; checked: number }[] = []
const baseRows: { name: string; ratio: number }[] = []
for (const w of workloads) {
  const ours = prepare(Ours, w)
  const sims = prepareOracle(w)
  // Cross-check decisions before timing.
  let checked = 0
  for (let k = 0; k < ours.length; k++) {
    const item = ours[k]!
    const a = Ours.evaluate(item.request, item.set).decision
    const res = await runSimulation(sims[k]!, {})
    if (res.resultType !== 'single') continue
    if (MAP[res.overallResult] !== a) throw new Error(`decision mismatch in "${w.name}" #${k}: ours ${a}, oracle ${res.overallResult}`)
    checked++
  }
  const oursRate = await measure(ours, (x) => Ours.evaluate(x.request, x.set), false)
  const unsafeRate = await measure(sims, (s) => runUnsafeSimulation(s, {}), false)
  const safeRate = await measure(sims, (s) => runSimulation(s, {}), true)
  rows.push({ name: w.name, oursRate, unsafeRate, safeRate, checked })
  console.log(`${w.name}  (${checked} decisions cross-checked)`)
  console.log(`  gatehouse evaluate (compiled)     ${fmt(oursRate).padStart(12)} decisions/s`)
  console.log(`  iam-simulate runUnsafeSimulation  ${fmt(unsafeRate).padStart(12)} decisions/s   ratio ${(oursRate / unsafeRate).toFixed(0)}x`)
  console.log(`  iam-simulate runSimulation        ${fmt(safeRate).padStart(12)} decisions/s   ratio ${(oursRate / safeRate).toFixed(0)}x`)
  if (baseline !== null) {
    const base = prepare(baseline, w)
    for (let k = 0; k < ours.length; k++) {
      const a = ours[k]!
      const b = base[k]!
      const da = Ours.evaluate(a.request, a.set).decision
      const db = baseline.evaluate(b.request, b.set).decision
      if (da !== db) throw new Error(`decision mismatch in "${w.name}" #${k}: this build ${da}, baseline ${db}`)
    }
    const c = compareRounds(baseline, base, ours)
    baseRows.push({ name: w.name, ratio: c.ratio })
    console.log(`  vs baseline (${ROUNDS} alternating rounds, per CPU second): this build ${fmt(c.ours)}/s, baseline ${fmt(c.base)}/s, median ratio ${c.ratio.toFixed(3)} (rounds ${c.low.toFixed(2)}–${c.high.toFixed(2)})`)
  }
}
const minUnsafe = Math.min(...rows.map((r) => r.oursRate / r.unsafeRate))
const minSafe = Math.min(...rows.map((r) => r.oursRate / r.safeRate))
console.log('')
console.log(`lowest ratio over workloads: ${minUnsafe.toFixed(0)}x vs runUnsafeSimulation, ${minSafe.toFixed(0)}x vs runSimulation (target: ≥100x)`)
if (baseRows.length !== 0) {
  const geo = Math.exp(baseRows.reduce((s, r) => s + Math.log(r.ratio), 0) / baseRows.length)
  console.log(`this build vs baseline: geometric mean of the median ratios ${geo.toFixed(3)} (1.000 = same speed; above 1 = this build faster)`)
}
