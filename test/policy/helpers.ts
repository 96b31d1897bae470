// Shared fixtures for the policy tests (not a test file itself; node --test runs it and finds none).
import { compilePolicy, evaluate, parsePolicyDocument } from '../../src/policy/index.js'
import type { CompiledPolicy, Decision, EvaluationRequest, PolicyKind, PolicySet, SourcePolicyType } from '../../src/policy/index.js'

export const ACCT = '123456789012'
export const userArn = (name: string): string => `arn:aws:iam::${ACCT}:user/${name}`

/** A request context as tests write it (evaluate stringifies booleans and numbers). */
export type Context = Record<string, unknown>

/** Parse + compile a document given as an object. */
export function compile(doc: object, { id = 'p', type = 'user-managed', kind = 'identity' }: { id?: string; type?: SourcePolicyType; kind?: PolicyKind } = {}): CompiledPolicy {
  return compilePolicy(parsePolicyDocument(JSON.stringify(doc), { kind }), { id, type })
}

/** Decision for one identity policy (or several). */
export function decide(docs: object | object[], action: string, resource: string, context: Context = {}, extra: { request?: Partial<EvaluationRequest>; set?: PolicySet } = {}): Decision {
  const list = [docs].flat().map((d, i) => compile(d, { id: `p${i}` }))
  return evaluate({ action, resource, context, ...extra.request }, { identity: list, ...extra.set }).decision
}

/** One Allow statement on iam:GetUser/* with the given Condition; returns the decision. */
export function cond(condition: object, context: Context, resource = '*'): Decision {
  return decide(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: resource, Condition: condition }] },
    'iam:GetUser',
    userArn('alice'),
    context
  )
}

export { AWS_SELF_MANAGE } from '../fixtures/aws-policies.js'

// §3.2 seed-style enforcement policy.
export const SEED = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AllowViewAccountInfo', Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices', 'iam:ListUsers'], Resource: '*' },
    { Sid: 'AllowManageOwnMFA', Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice', 'iam:DeactivateMFADevice', 'iam:GetUser', 'iam:ChangePassword'], Resource: ['arn:aws:iam::*:mfa/${aws:username}', 'arn:aws:iam::*:user/${aws:username}'] },
    { Sid: 'DenyEverythingElseWithoutMFA', Effect: 'Deny', NotAction: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'], Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }
  ]
}

// §3.3 Example 3: EC2 stop/terminate only with MFA in the last hour (note the JSON boolean).
export const EC2_MFA_AGE = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AllowAllActionsForEC2', Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
    { Sid: 'DenyStopAndTerminateWhenMFAIsNotPresent', Effect: 'Deny', Action: ['ec2:StopInstances', 'ec2:TerminateInstances'], Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': false } } },
    { Sid: 'DenyStopAndTerminateWhenMFAIsOlderThanOneHour', Effect: 'Deny', Action: ['ec2:StopInstances', 'ec2:TerminateInstances'], Resource: '*', Condition: { NumericGreaterThanIfExists: { 'aws:MultiFactorAuthAge': '3600' } } }
  ]
}

// §3.3 Example 1: allow EC2 only within an hour of MFA.
export const EC2_WITHIN_HOUR = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['ec2:*'], Resource: ['*'], Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } }]
}
