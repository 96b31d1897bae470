// Decision order: explicit deny, root, identity/resource allows, boundary and session intersection.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequestContext, evaluate, getContextKeys, parsePolicyDocument } from '../../src/policy/index.js'
import type { CompiledPolicy, EvaluationRequest, PrincipalInput } from '../../src/policy/index.js'
import { ACCT, SEED, AWS_SELF_MANAGE, compile, userArn } from './helpers.js'
import type { Context } from './helpers.js'

const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement })
const allowAll = compile(doc({ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' }), { id: 'admin', type: 'aws-managed' })
const allowIam = compile(doc({ Sid: 'Iam', Effect: 'Allow', Action: 'iam:*', Resource: '*' }), { id: 'iam', type: 'user' })
const denyDelete = compile(doc({ Sid: 'NoDelete', Effect: 'Deny', Action: 'iam:Delete*', Resource: '*' }), { id: 'deny', type: 'group' })
const req = (action: string, resource = '*', context: Context = {}): EvaluationRequest => ({ action, resource, context })

test('no policies: implicit deny', () => {
  const r = evaluate(req('iam:GetUser'), { identity: [] })
  assert.deepEqual(r, { decision: 'implicitDeny', matchedStatements: [], missingContextValues: [] })
})

test('an explicit deny in any identity policy beats any allow, and names the deny', () => {
  const r = evaluate(req('iam:DeleteUser'), { identity: [allowAll, allowIam, denyDelete] })
  assert.equal(r.decision, 'explicitDeny')
  assert.deepEqual(r.matchedStatements, [{ sourcePolicyId: 'deny', sourcePolicyType: 'group', sid: 'NoDelete', statementIndex: 0 }])
  const ok = evaluate(req('iam:GetUser'), { identity: [allowAll, allowIam, denyDelete] })
  assert.equal(ok.decision, 'allowed')
  assert.deepEqual(ok.matchedStatements.map((s) => s.sourcePolicyId), ['admin', 'iam'])
})

test('permissions boundary: both must allow; a deny in the boundary is explicit', () => {
  const boundary = compile(doc({ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }), { id: 'pb', type: 'user-managed' })
  let r = evaluate(req('iam:GetUser'), { identity: [allowAll], boundary: [boundary] })
  assert.equal(r.decision, 'allowed')
  assert.equal(r.allowedByPermissionsBoundary, true)
  r = evaluate(req('iam:CreateUser'), { identity: [allowAll], boundary: [boundary] })
  assert.equal(r.decision, 'implicitDeny')
  assert.equal(r.allowedByPermissionsBoundary, false)
  // The boundary alone grants nothing.
  r = evaluate(req('iam:GetUser'), { identity: [], boundary: [boundary] })
  assert.equal(r.decision, 'implicitDeny')
  assert.equal(r.allowedByPermissionsBoundary, true)
  const denyingBoundary = compile(doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'PbDeny', Effect: 'Deny', Action: 'iam:GetUser', Resource: '*' }), { id: 'pb2', type: 'user-managed' })
  r = evaluate(req('iam:GetUser'), { identity: [allowAll], boundary: [denyingBoundary] })
  assert.equal(r.decision, 'explicitDeny')
  assert.equal(r.matchedStatements[0]?.sid, 'PbDeny')
  assert.equal(r.allowedByPermissionsBoundary, false)
  // No boundary given: the field is absent.
  assert.equal('allowedByPermissionsBoundary' in evaluate(req('iam:GetUser'), { identity: [allowAll] }), false)
  // An empty boundary list is a boundary that allows nothing.
  assert.equal(evaluate(req('iam:GetUser'), { identity: [allowAll], boundary: [] }).decision, 'implicitDeny')
})

test('session policies intersect like a boundary', () => {
  const session = compile(doc({ Effect: 'Allow', Action: 'iam:List*', Resource: '*' }), { id: 'session', type: 'none', kind: 'session' })
  assert.equal(evaluate(req('iam:ListUsers'), { identity: [allowAll], session: [session] }).decision, 'allowed')
  assert.equal(evaluate(req('iam:GetUser'), { identity: [allowAll], session: [session] }).decision, 'implicitDeny')
  assert.equal(evaluate(req('iam:ListUsers'), { identity: [], session: [session] }).decision, 'implicitDeny')
})

test('same-account resource policy: either it or the identity policy may allow; its deny is explicit', () => {
  const rp = compile(
    doc(
      { Sid: 'AllowAlice', Effect: 'Allow', Principal: { AWS: userArn('alice') }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
      { Sid: 'DenyBob', Effect: 'Deny', Principal: { AWS: userArn('bob') }, Action: 's3:*', Resource: '*' }
    ),
    { id: 'bucket', type: 'resource', kind: 'resource' }
  )
  const run = (principal: PrincipalInput, identity: CompiledPolicy[] = []) => evaluate({ action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', principal }, { identity, resource: rp })
  const a = run(userArn('alice'))
  assert.equal(a.decision, 'allowed')
  assert.deepEqual(a.matchedStatements, [{ sourcePolicyId: 'bucket', sourcePolicyType: 'resource', sid: 'AllowAlice', statementIndex: 0 }])
  assert.equal(run(userArn('carol')).decision, 'implicitDeny')
  assert.equal(run(userArn('carol'), [allowAll]).decision, 'allowed')
  assert.equal(run(userArn('bob'), [allowAll]).decision, 'explicitDeny')
})

test('root: allowed everything, identity-side policies ignored, a resource-policy deny still applies', () => {
  assert.equal(evaluate(req('iam:DeleteUser'), { identity: [], isRoot: true }).decision, 'allowed')
  assert.equal(evaluate(req('iam:DeleteUser'), { identity: [denyDelete], isRoot: true }).decision, 'allowed')
  const rp = compile(doc({ Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: '*' }), { id: 'b', type: 'resource', kind: 'resource' })
  const r = evaluate({ action: 's3:DeleteBucket', resource: 'arn:aws:s3:::b', principal: `arn:aws:iam::${ACCT}:root` }, { identity: [], resource: rp, isRoot: true })
  assert.equal(r.decision, 'explicitDeny')
})

test('missingContextValues lists absent keys of the conditions that were evaluated, once each, sorted', () => {
  const p = compile(
    doc(
      { Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': '${aws:username}' }, Bool: { 'AWS:SecureTransport': 'true' } } },
      { Effect: 'Deny', Action: 'iam:GetUser', Resource: '*', Condition: { NumericGreaterThan: { 'aws:MultiFactorAuthAge': '60' }, BoolIfExists: { 'aws:securetransport': 'false' } } },
      { Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*', Condition: { Null: { 'aws:NotEvaluated': 'true' } } }
    )
  )
  const r = evaluate(req('iam:GetUser', '*', { 'aws:username': 'x' }), { identity: [p] })
  assert.equal(r.decision, 'implicitDeny')
  assert.deepEqual(r.missingContextValues, ['AWS:SecureTransport', 'aws:MultiFactorAuthAge', 'aws:PrincipalTag/team'])
})

test('createRequestContext normalises once; evaluate accepts it and plain objects alike', () => {
  const ctx = createRequestContext({ 'AWS:MultiFactorAuthPresent': true, 'aws:username': 'alice', 'aws:Gone': undefined, 'aws:CalledVia': ['a', 1] })
  assert.equal(ctx.get('aws:multifactorauthpresent'), 'true')
  assert.deepEqual(ctx.get('aws:calledvia'), ['a', '1'])
  assert.equal(ctx.has('aws:gone'), false)
  const p = compile(SEED)
  assert.equal(evaluate({ action: 'iam:ListUsers', resource: '*', context: ctx }, { identity: [p] }).decision, 'allowed')
})

test('getContextKeys: condition keys and variable keys, sorted, unique', () => {
  const docs = [
    parsePolicyDocument(JSON.stringify(AWS_SELF_MANAGE)),
    parsePolicyDocument(JSON.stringify(doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': '${aws:PrincipalTag/dept}' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, Bool: { 'AWS:MULTIFACTORAUTHPRESENT': 'true' } } })))
  ]
  assert.deepEqual(getContextKeys(docs), ['aws:MultiFactorAuthPresent', 'aws:PrincipalTag/dept', 'aws:PrincipalTag/team', 'aws:SourceIp', 'aws:username'])
  const old = parsePolicyDocument(JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::*:user/${aws:username}' }] }))
  assert.deepEqual(getContextKeys([old]), [])
  // Variables before the fifth colon of a Resource, and in ARN condition values, count too.
  const acct = parsePolicyDocument(JSON.stringify(doc({ Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::${aws:PrincipalAccount}:role/Admin', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalTag/acct}:role/*' } } })))
  assert.deepEqual(getContextKeys([acct]), ['aws:PrincipalAccount', 'aws:PrincipalArn', 'aws:PrincipalTag/acct'])
})

test('evaluate rejects a request without an action', () => {
  // @ts-expect-error: the type requires an action, and at run time evaluate refuses a request without one.
  assert.throws(() => evaluate({ resource: '*' }, { identity: [] }), TypeError)
})

test('plain-object contexts: other spellings and non-string values are still found', () => {
  const p = compile(SEED)
  const run = (context: Context | Map<string, unknown>) => evaluate({ action: 'iam:ListUsers', resource: '*', context }, { identity: [p] }).decision
  assert.equal(run({ 'aws:MultiFactorAuthPresent': 'true' }), 'allowed')
  assert.equal(run({ 'AWS:MULTIFACTORAUTHPRESENT': 'true' }), 'allowed')
  assert.equal(run({ 'aws:MultiFactorAuthPresent': true }), 'allowed')
  assert.equal(run({ 'aws:MultiFactorAuthPresent': false }), 'explicitDeny')
  assert.equal(run({ 'aws:MultiFactorAuthPresent': null }), 'explicitDeny', 'null is absent, and BoolIfExists denies')
  assert.equal(run(new Map([['Aws:MultiFactorAuthPresent', 'true']])), 'allowed', 'a plain Map is normalised too')
})
