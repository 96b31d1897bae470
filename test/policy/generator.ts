// Deterministic generator of random policies and requests for the differential test and the benchmark.
// It stays inside the area where @cloud-copilot/iam-simulate is known to be faithful (reference §4.1.3,
// docs/policy-evaluator.md "Known disagreements"): Version 2012-10-17 only, AWS-known IAM/STS actions,
// request resources of the action's resource type, no wildcard in the resource "product" prefix, no
// epoch dates, no empty strings, no short resource ARN without a trailing *, no key of the wrong type,
// set operators on the multivalued key only.

export const ACCT = '123456789012'
const U = (n: string): string => `arn:aws:iam::${ACCT}:user/${n}`

/** A condition value as a policy document holds it. */
export type Scalar = string | number | boolean
export type GenCondition = Record<string, Record<string, Scalar | Scalar[]>>
export interface GenStatement {
  Sid: string
  Effect: 'Allow' | 'Deny'
  Action?: string[]
  NotAction?: string[]
  Resource?: string[]
  NotResource?: string[]
  Condition?: GenCondition
}
export interface GenPolicy {
  Version: '2012-10-17'
  Statement: GenStatement[]
}
/** One generated case: identity policies, maybe a boundary, and the request. */
export interface GenCase {
  identity: GenPolicy[]
  boundary: GenPolicy | undefined
  action: string
  resource: string
  context: Record<string, string | string[]>
  principal: string
}

export interface Rng {
  next(): number
  int(n: number): number
  pick<T>(arr: readonly T[]): T
  chance(p: number): boolean
  some<T>(arr: readonly T[], min: number, max: number): T[]
}

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): Rng {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number): number => Math.floor(next() * n)
  const pick = <T>(arr: readonly T[]): T => {
    const x = arr[int(arr.length)]
    if (x === undefined) throw new RangeError('pick from an empty list')
    return x
  }
  const chance = (p: number): boolean => next() < p
  const some = <T>(arr: readonly T[], min: number, max: number): T[] => {
    const n = min + int(max - min + 1)
    const out: T[] = []
    for (let i = 0; i < n; i++) out.push(pick(arr))
    return [...new Set(out)]
  }
  return { next, int, pick, chance, some }
}

type ResourceKind = 'user' | 'mfa' | 'role' | '*'

// Actions with the resource type iam-data gives them ('*' = wildcard-only action).
export const ACTIONS: Readonly<Record<string, ResourceKind>> = {
  'iam:GetUser': 'user',
  'iam:CreateAccessKey': 'user',
  'iam:EnableMFADevice': 'user',
  'iam:DeactivateMFADevice': 'user',
  'iam:ChangePassword': 'user',
  'iam:ListMFADevices': 'user',
  'iam:CreateVirtualMFADevice': 'mfa',
  'iam:DeleteVirtualMFADevice': 'mfa',
  'iam:GetRole': 'role',
  'iam:ListUsers': '*',
  'iam:GetAccountSummary': '*',
  'iam:ListVirtualMFADevices': '*',
  'sts:GetSessionToken': '*'
}

const ACTION_ENTRIES = Object.entries(ACTIONS)

const REQUEST_RESOURCES: Readonly<Record<ResourceKind, readonly string[]>> = {
  user: [U('alice'), U('bob'), U('ALICE'), `arn:aws:iam::${ACCT}:user/ops/alice`],
  mfa: [`arn:aws:iam::${ACCT}:mfa/alice`, `arn:aws:iam::${ACCT}:mfa/bob`],
  role: [`arn:aws:iam::${ACCT}:role/admin`, `arn:aws:iam::${ACCT}:role/ops/deploy`],
  '*': ['*']
}

const ACTION_PATTERNS = [
  ...Object.keys(ACTIONS),
  'iam:*', 'iam:Get*', 'iam:*MFA*', 'iam:List?sers', 'iam:*VirtualMFADevice', 'sts:*', '*', 'iam:Create*', 'IAM:getuser', 'iam:LISTUSERS'
]

const RESOURCE_PATTERNS = [
  '*', '*',
  'arn:aws:iam::*:user/${aws:username}',
  'arn:aws:iam::*:mfa/${aws:username}',
  U('alice'), U('bob'),
  'arn:aws:iam::*:user/*',
  'arn:aws:iam::*:user/a*',
  'arn:aws:iam::*:user/al?ce',
  'arn:aws:iam::*:*',
  'arn:aws:iam::*',
  'arn:aws:iam::*:role/*',
  `arn:aws:iam::${ACCT}:role/ops/*`,
  'arn:aws:iam::999999999999:user/*',
  'arn:aws:iam::*:user/${aws:PrincipalTag/team}',
  "arn:aws:iam::*:user/${aws:username, 'alice'}",
  'arn:aws:iam::*:user/ops/${aws:username}',
  'arn:aws:iam::*:user/${*}'
]

// Text between the resource type and an unresolvable variable decides differently (disagreement 15).
const NOT_RESOURCE_PATTERNS = RESOURCE_PATTERNS.filter((p) => !p.includes('/ops/${'))

interface KeySpec {
  /** Operators that suit the key's type. */
  ops: string[]
  /** Values for policies, and for the request context. */
  policy: Scalar[]
  context: string[]
  /** A multivalued key. */
  multi?: boolean
}

/** Condition keys with the operators that suit their type and value pools. */
const KEYS: Readonly<Record<string, KeySpec>> = {
  'aws:MultiFactorAuthPresent': {
    ops: ['Bool'],
    policy: ['true', 'false', true, false, 'True'],
    context: ['true', 'false']
  },
  'aws:SecureTransport': { ops: ['Bool'], policy: ['true', 'false'], context: ['true', 'false'] },
  'aws:MultiFactorAuthAge': {
    ops: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
    policy: ['0', '60', '3600', '7200', 3600, '30.5'],
    context: ['0', '30', '60', '3600', '5000', '10000']
  },
  'aws:username': {
    ops: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
    policy: ['alice', 'bob', 'ALICE', 'a*', 'b?b', '*', '${aws:PrincipalTag/team}', "${aws:PrincipalTag/team, 'alice'}", 'al?ce'],
    context: ['alice', 'bob', 'Alice', 'al*', 'carol']
  },
  'aws:PrincipalTag/team': {
    ops: ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIgnoreCase'],
    policy: ['red', 'blue', 'r*', '${aws:username}', 'al*'],
    context: ['red', 'blue', 'Red', 'alice', 'al*']
  },
  'aws:SourceIp': {
    ops: ['IpAddress', 'NotIpAddress'],
    // IPv4 only: the oracle errs on a bare IPv4 address against an IPv6 caller (disagreement 14).
    policy: ['10.0.0.0/8', '10.1.2.3', '192.168.0.0/16', '128.0.0.0/1', '10.1.2.0/24'],
    context: ['10.1.2.3', '10.9.9.9', '192.168.5.5', '8.8.8.8']
  },
  'aws:CurrentTime': {
    ops: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
    policy: ['2020-01-01T00:00:00Z', '2024-06-01T12:00:00Z', '2030-01-01T00:00:00Z'],
    context: ['2019-12-31T23:59:59Z', '2020-01-01T00:00:00Z', '2024-06-01T12:00:00Z', '2026-11-24T00:00:00Z']
  },
  'aws:PrincipalArn': {
    ops: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
    policy: [U('alice'), 'arn:aws:iam::*:user/*', 'arn:aws:iam::*:role/*', 'arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::12345678901?:*', 'arn:aws:iam::*:user/${aws:PrincipalTag/team}'],
    context: [U('alice'), U('bob'), `arn:aws:iam::${ACCT}:role/admin`, 'arn:aws:iam::999999999999:user/alice']
  },
  'aws:CalledVia': {
    ops: ['ForAnyValue:StringEquals', 'ForAllValues:StringEquals', 'ForAnyValue:StringLike', 'ForAllValues:StringNotLike', 'ForAnyValue:StringNotEquals', 'ForAllValues:StringNotEquals', 'StringEquals'],
    policy: ['athena.amazonaws.com', 'cloudformation.amazonaws.com', '*.amazonaws.com', 'dynamodb.amazonaws.com'],
    context: ['athena.amazonaws.com', 'cloudformation.amazonaws.com', 'dynamodb.amazonaws.com'],
    multi: true
  }
}
const KEY_SPECS = Object.entries(KEYS)

function genCondition(r: Rng): GenCondition {
  const cond: GenCondition = {}
  const n = 1 + r.int(2)
  for (let i = 0; i < n; i++) {
    const [key, spec] = r.pick(KEY_SPECS)
    let op: string
    if (r.chance(0.12)) op = 'Null'
    else {
      op = r.pick(spec.ops)
      if (r.chance(0.3)) op += 'IfExists'
    }
    const values: Scalar[] = op === 'Null' ? [r.pick(['true', 'false', true])] : r.some(spec.policy, 1, 3)
    // Key spelling varies in case: key names are case-insensitive.
    const spelled = r.chance(0.15) ? key.toUpperCase() : key
    const block = (cond[op] ??= {})
    const [only] = values
    block[spelled] = only !== undefined && values.length === 1 && r.chance(0.5) ? only : values
  }
  return cond
}

function genStatement(r: Rng, sid: string, wildcardOnly: boolean): GenStatement {
  const st: GenStatement = { Sid: sid, Effect: r.chance(0.7) ? 'Allow' : 'Deny' }
  st[r.chance(0.85) ? 'Action' : 'NotAction'] = r.some(ACTION_PATTERNS, 1, 3)
  // NotResource against a wildcard-only action's `*`: known disagreement 12.
  const notResource = r.chance(0.15) && !wildcardOnly
  st[notResource ? 'NotResource' : 'Resource'] = r.some(notResource ? NOT_RESOURCE_PATTERNS : RESOURCE_PATTERNS, 1, 2)
  if (r.chance(0.6)) st.Condition = genCondition(r)
  return st
}

export function genPolicy(r: Rng, wildcardOnly = false): GenPolicy {
  const n = 1 + r.int(4)
  const Statement: GenStatement[] = []
  for (let i = 0; i < n; i++) Statement.push(genStatement(r, `S${i}`, wildcardOnly))
  return { Version: '2012-10-17', Statement }
}

export function genContext(r: Rng): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {}
  for (const [key, spec] of KEY_SPECS) {
    if (!r.chance(0.55)) continue
    ctx[key] = spec.multi ? r.some(spec.context, 0, 3).slice(0, r.int(4)) : r.pick(spec.context)
  }
  return ctx
}

/** One random case: identity policies, maybe a permissions boundary, and a request. */
export function genCase(r: Rng): GenCase {
  const [action, kind] = r.pick(ACTION_ENTRIES)
  const wildcardOnly = kind === '*'
  const identity: GenPolicy[] = []
  const np = 1 + r.int(2)
  for (let i = 0; i < np; i++) identity.push(genPolicy(r, wildcardOnly))
  const boundary = r.chance(0.2) ? genPolicy(r, wildcardOnly) : undefined
  const resource = r.pick(REQUEST_RESOURCES[kind])
  return { identity, boundary, action, resource, context: genContext(r), principal: U('alice') }
}
