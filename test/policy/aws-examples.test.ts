// AWS's documented example policies (reference §3) with the expected results of §3.4.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compilePolicy, evaluate, parsePolicyDocument } from '../../src/policy/index.js'
import type { Decision } from '../../src/policy/index.js'
import { ACCT, AWS_SELF_MANAGE, EC2_MFA_AGE, EC2_WITHIN_HOUR, SEED, compile, userArn } from './helpers.js'
import type { Context } from './helpers.js'

const alice = { 'aws:username': 'alice' }
const mfa = (v: string, extra: Context = {}): Context => ({ ...alice, 'aws:MultiFactorAuthPresent': v, ...extra })
const instance = `arn:aws:ec2:us-east-1:${ACCT}:instance/i-0123456789abcdef0`

/** [policy name, policy, action, resource, context, expected decision, expected deciding Sids] */
const TABLE: [name: string, doc: object, action: string, resource: string, context: Context, expected: Decision, sids: string[]][] = [
  ['seed', SEED, 'iam:ListUsers', '*', mfa('true', { 'aws:MultiFactorAuthAge': '60' }), 'allowed', ['AllowViewAccountInfo']],
  ['seed', SEED, 'iam:ListUsers', '*', mfa('false'), 'explicitDeny', ['DenyEverythingElseWithoutMFA']],
  ['seed', SEED, 'iam:ListUsers', '*', alice, 'explicitDeny', ['DenyEverythingElseWithoutMFA']],
  ['seed', SEED, 'iam:EnableMFADevice', userArn('alice'), mfa('false'), 'allowed', ['AllowManageOwnMFA']],
  ['seed', SEED, 'iam:EnableMFADevice', userArn('alice'), alice, 'allowed', ['AllowManageOwnMFA']],
  ['seed', SEED, 'iam:EnableMFADevice', userArn('bob'), mfa('false'), 'implicitDeny', []],
  ['seed', SEED, 'iam:EnableMFADevice', userArn('alice'), { 'aws:MultiFactorAuthPresent': 'true' }, 'implicitDeny', []],
  ['seed', SEED, 'iam:DeactivateMFADevice', userArn('alice'), mfa('false'), 'explicitDeny', ['DenyEverythingElseWithoutMFA']],
  ['seed', SEED, 'iam:DeactivateMFADevice', userArn('alice'), mfa('true'), 'allowed', ['AllowManageOwnMFA']],
  ['seed', SEED, 'iam:CreateVirtualMFADevice', `arn:aws:iam::${ACCT}:mfa/alice`, mfa('false'), 'allowed', ['AllowManageOwnMFA']],
  ['seed', SEED, 'IAM:listusers', '*', mfa('true'), 'allowed', ['AllowViewAccountInfo']],
  ['seed', SEED, 'iam:GetUser', userArn('ALICE'), mfa('true'), 'implicitDeny', []],
  ['aws 3.1', AWS_SELF_MANAGE, 'iam:ListUsers', '*', mfa('true'), 'implicitDeny', []],
  ['aws 3.1', AWS_SELF_MANAGE, 'iam:GetUser', userArn('alice'), alice, 'allowed', ['AllowManageOwnPasswords']],
  ['aws 3.1', AWS_SELF_MANAGE, 'iam:CreateAccessKey', userArn('alice'), alice, 'explicitDeny', ['DenyAllExceptListedIfNoMFA']],
  ['aws 3.1', AWS_SELF_MANAGE, 'iam:CreateAccessKey', userArn('alice'), mfa('true'), 'allowed', ['AllowManageOwnAccessKeys']],
  ['aws 3.1', AWS_SELF_MANAGE, 'iam:CreateAccessKey', userArn('bob'), mfa('true'), 'implicitDeny', []],
  ['aws 3.1', AWS_SELF_MANAGE, 'iam:ChangePassword', userArn('alice'), mfa('false'), 'explicitDeny', ['DenyAllExceptListedIfNoMFA']],
  ['ec2 ex3', EC2_MFA_AGE, 'ec2:StopInstances', instance, {}, 'explicitDeny', ['DenyStopAndTerminateWhenMFAIsNotPresent', 'DenyStopAndTerminateWhenMFAIsOlderThanOneHour']],
  ['ec2 ex3', EC2_MFA_AGE, 'ec2:StopInstances', instance, { 'aws:MultiFactorAuthPresent': 'false' }, 'explicitDeny', ['DenyStopAndTerminateWhenMFAIsNotPresent', 'DenyStopAndTerminateWhenMFAIsOlderThanOneHour']],
  ['ec2 ex3', EC2_MFA_AGE, 'ec2:StopInstances', instance, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '120' }, 'allowed', ['AllowAllActionsForEC2']],
  ['ec2 ex3', EC2_MFA_AGE, 'ec2:StopInstances', instance, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '7200' }, 'explicitDeny', ['DenyStopAndTerminateWhenMFAIsOlderThanOneHour']],
  ['ec2 ex3', EC2_MFA_AGE, 'ec2:StartInstances', instance, {}, 'allowed', ['AllowAllActionsForEC2']]
]

for (const [name, doc, action, resource, context, expected, sids] of TABLE) {
  test(`${name}: ${action} on ${resource} with ${JSON.stringify(context)} → ${expected}`, () => {
    const policy = compile(doc, { id: name })
    const r = evaluate({ action, resource, context }, { identity: [policy] })
    assert.equal(r.decision, expected)
    assert.deepEqual(r.matchedStatements.map((s) => s.sid), sids)
    for (const s of r.matchedStatements) {
      assert.equal(s.sourcePolicyId, name)
      assert.equal(s.sourcePolicyType, 'user-managed')
    }
  })
}

test('MultiFactorAuthAge Example 1: allowed within the hour, denied when older or with long-term keys', () => {
  const p = compile(EC2_WITHIN_HOUR)
  const run = (ctx: Context) => evaluate({ action: 'ec2:RunInstances', resource: '*', context: ctx }, { identity: [p] })
  assert.equal(run({ 'aws:MultiFactorAuthAge': '3599' }).decision, 'allowed')
  assert.equal(run({ 'aws:MultiFactorAuthAge': '3600' }).decision, 'implicitDeny')
  const longTerm = run({})
  assert.equal(longTerm.decision, 'implicitDeny')
  assert.deepEqual(longTerm.missingContextValues, ['aws:MultiFactorAuthAge'])
})

test('the deny with BoolIfExists reports aws:MultiFactorAuthPresent as missing for long-term keys', () => {
  const r = evaluate({ action: 'iam:ListUsers', resource: '*', context: alice }, { identity: [compile(SEED)] })
  assert.deepEqual(r.missingContextValues, ['aws:MultiFactorAuthPresent'])
})

test('a plain Bool deny (the Knowledge Center variant) does not deny long-term keys', () => {
  const doc = { ...SEED, Statement: SEED.Statement.map((st, i) => (i === 2 ? { ...st, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } } : st)) }
  const p = compile(doc)
  assert.equal(evaluate({ action: 'iam:ListUsers', resource: '*', context: alice }, { identity: [p] }).decision, 'allowed')
  assert.equal(evaluate({ action: 'iam:ListUsers', resource: '*', context: mfa('false') }, { identity: [p] }).decision, 'explicitDeny')
})

test('under Version 2008-10-17 ${aws:username} is a literal, so the self-manage statements never match a user', () => {
  const doc = { ...SEED, Version: '2008-10-17' }
  const p = compilePolicy(parsePolicyDocument(JSON.stringify(doc)), { id: 'old', type: 'user' })
  assert.equal(evaluate({ action: 'iam:EnableMFADevice', resource: userArn('alice'), context: mfa('true') }, { identity: [p] }).decision, 'implicitDeny')
  // …but the literal resource text itself matches.
  assert.equal(evaluate({ action: 'iam:EnableMFADevice', resource: `arn:aws:iam::${ACCT}:user/\${aws:username}`, context: mfa('true') }, { identity: [p] }).decision, 'allowed')
  const noVersion = { Statement: SEED.Statement }
  const q = compilePolicy(parsePolicyDocument(JSON.stringify(noVersion)), { id: 'nov', type: 'user' })
  assert.equal(evaluate({ action: 'iam:EnableMFADevice', resource: userArn('alice'), context: mfa('true') }, { identity: [q] }).decision, 'implicitDeny')
})
