// Action, Resource and Principal matching: wildcards, case rules, Not* elements, variables in ARNs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { arnMatches, evaluate, isValidResourcePattern, splitArn } from '../../src/policy/index.js'
import type { CompiledPolicy, PrincipalInput } from '../../src/policy/index.js'
import { ACCT, compile, decide, userArn } from './helpers.js'

const A = 'allowed'
const D = 'implicitDeny'
const allow = (extra: object) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...extra }] })

test('Action: case-insensitive, * and ? wildcards', () => {
  const p = allow({ Action: ['iam:Get*', 'iam:List?ser?', 's3:GetObject'], Resource: '*' })
  assert.equal(decide(p, 'iam:GetUser', '*'), A)
  assert.equal(decide(p, 'IAM:getuser', '*'), A)
  assert.equal(decide(p, 'iam:ListUsers', '*'), A)
  assert.equal(decide(p, 'iam:ListUser', '*'), D)
  assert.equal(decide(p, 'S3:GETOBJECT', '*'), A)
  assert.equal(decide(p, 's3:GetObjectAcl', '*'), D)
  assert.equal(decide(p, 'iam:CreateUser', '*'), D)
  assert.equal(decide(allow({ Action: '*', Resource: '*' }), 'anything:AtAll', '*'), A)
  assert.equal(decide(allow({ Action: 'IAM:*', Resource: '*' }), 'iam:DeleteUser', '*'), A)
  assert.equal(decide(allow({ Action: 'iam:*', Resource: '*' }), 'sts:GetCallerIdentity', '*'), D)
})

test('NotAction with Allow grants everything except the listed actions', () => {
  const p = allow({ NotAction: ['iam:*'], Resource: '*' })
  assert.equal(decide(p, 's3:GetObject', '*'), A)
  assert.equal(decide(p, 'iam:GetUser', '*'), D)
  assert.equal(decide(p, 'IAM:GetUser', '*'), D)
})

test('Resource: case-sensitive ARN segments, wildcards, * crossing / and : in the resource part', () => {
  const u = userArn('alice')
  assert.equal(decide(allow({ Action: 'iam:*', Resource: u }), 'iam:GetUser', u), A)
  assert.equal(decide(allow({ Action: 'iam:*', Resource: u }), 'iam:GetUser', userArn('ALICE')), D)
  assert.equal(decide(allow({ Action: 'iam:*', Resource: 'arn:aws:iam::*:user/*' }), 'iam:GetUser', `arn:aws:iam::${ACCT}:user/div/alice`), A)
  assert.equal(decide(allow({ Action: 'iam:*', Resource: 'arn:aws:iam::*:user/al?ce' }), 'iam:GetUser', u), A)
  assert.equal(decide(allow({ Action: 'iam:*', Resource: 'arn:aws:iam::*:user/al?e' }), 'iam:GetUser', u), D)
  assert.equal(decide(allow({ Action: 'iam:*', Resource: 'arn:aws:iam::9*:user/alice' }), 'iam:GetUser', u), D)
  assert.equal(decide(allow({ Action: 'iam:*', Resource: 'arn:aws:iam::1*:user/alice' }), 'iam:GetUser', u), A)
  assert.equal(decide(allow({ Action: 'iam:*', Resource: 'arn:aws:iam::*:user/alice' }), 'iam:GetUser', `arn:aws:sts::${ACCT}:user/alice`), D)
  assert.equal(decide(allow({ Action: 'iam:*', Resource: 'arn:aws:iam::*:*' }), 'iam:GetUser', u), A)
  assert.equal(decide(allow({ Action: 'iam:*', Resource: 'arn:aws:iam::*:*/alice' }), 'iam:GetUser', u), A)
  assert.equal(decide(allow({ Action: 'iam:*', Resource: 'arn:aws:iam:*:*:user/alice' }), 'iam:GetUser', u), A)
  assert.equal(decide(allow({ Action: 'iam:*', Resource: 'arn:aws:iam::*:user/a*' }), 'iam:GetUser', `arn:aws:iam::${ACCT}:user/a:b`), A)
})

test('a segment wildcard does not cross : except a trailing * of a short pattern', () => {
  assert.equal(arnMatches('arn:aws:iam::*', userArn('alice')), true)
  assert.equal(arnMatches('arn:aws:*', userArn('alice')), true)
  assert.equal(arnMatches('arn:aws:i*', userArn('alice')), true)
  assert.equal(arnMatches('arn:aws:s*', userArn('alice')), false)
  assert.equal(arnMatches('arn:aws:iam:*:user/alice', userArn('alice')), false, 'five segments without a trailing * never match')
  assert.equal(arnMatches('arn:aws:iam:*:123456789012:user/alice', userArn('alice')), true)
  assert.equal(arnMatches('arn:aws:iam::*3:user/alice', userArn('alice')), false, 'the * stays inside the account segment')
  assert.equal(arnMatches('arn:*:iam::123456789012:user/alice', userArn('alice')), true)
  assert.equal(arnMatches('arn:aws:iam::123456789012:user/alice', 'not-an-arn'), false)
  assert.equal(arnMatches('*', 'not-an-arn'), true)
  assert.deepEqual(splitArn('arn:aws:s3:::bucket/a:b/c'), ['arn', 'aws', 's3', '', '', 'bucket/a:b/c'])
  assert.equal(splitArn('arn:aws:s3'), null)
  assert.equal(isValidResourcePattern('arn:aws:iam::*'), true)
  assert.equal(isValidResourcePattern('arn:aws:iam::123456789012'), false)
  assert.equal(isValidResourcePattern('bucket'), false)
})

test('NotResource: everything except the listed resources', () => {
  const p = allow({ Action: 'iam:*', NotResource: ['arn:aws:iam::*:user/admin*'] })
  assert.equal(decide(p, 'iam:GetUser', userArn('alice')), A)
  assert.equal(decide(p, 'iam:GetUser', userArn('admin1')), D)
  assert.equal(decide(p, 'iam:ListUsers', '*'), A)
})

test('variables in Resource: substituted in the resource part only, literally, and only when resolvable', () => {
  const p = allow({ Action: 'iam:*', Resource: 'arn:aws:iam::*:user/${aws:username}' })
  assert.equal(decide(p, 'iam:GetUser', userArn('alice'), { 'aws:username': 'alice' }), A)
  assert.equal(decide(p, 'iam:GetUser', userArn('alice'), { 'AWS:UserName': 'alice' }), A)
  assert.equal(decide(p, 'iam:GetUser', userArn('bob'), { 'aws:username': 'alice' }), D)
  assert.equal(decide(p, 'iam:GetUser', userArn('alice'), {}), D)
  const tagged = allow({ Action: 'iam:*', Resource: 'arn:aws:iam::*:user/${aws:PrincipalTag/t}' })
  assert.equal(decide(tagged, 'iam:GetUser', userArn('alice'), { 'aws:PrincipalTag/t': 'al*' }), D, 'a * from a variable is literal')
  assert.equal(decide(tagged, 'iam:GetUser', userArn('al*'), { 'aws:PrincipalTag/t': 'al*' }), A)
  const dflt = allow({ Action: 'iam:*', Resource: "arn:aws:iam::*:user/${aws:username, 'alice'}" })
  assert.equal(decide(dflt, 'iam:GetUser', userArn('alice'), {}), A)
  const esc = allow({ Action: 'iam:*', Resource: 'arn:aws:iam::*:user/ali${?}e' })
  assert.equal(decide(esc, 'iam:GetUser', userArn('alice'), {}), D)
  assert.equal(decide(esc, 'iam:GetUser', userArn('ali?e'), {}), A)
})

test('NotResource holding an unresolvable variable does not apply (the statement is invalid)', () => {
  const p = allow({ Action: 'iam:GetUser', NotResource: 'arn:aws:iam::*:user/${aws:username}' })
  assert.equal(decide(p, 'iam:GetUser', userArn('alice'), {}), D)
  assert.equal(decide(p, 'iam:GetUser', userArn('alice'), { 'aws:username': 'bob' }), A)
  assert.equal(decide(p, 'iam:GetUser', userArn('alice'), { 'aws:username': 'alice' }), D)
})

const trust = (principal: object, extra: object = {}) =>
  compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', ...principal, ...extra }] }, { kind: 'trust', type: 'resource', id: 'trust' })
const assume = (policy: CompiledPolicy, principal: PrincipalInput | undefined) => evaluate({ action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCT}:role/r`, principal }, { identity: [], resource: policy }).decision

test('Principal: *, account id, account root ARN, user and role ARNs, role sessions, services', () => {
  assert.equal(assume(trust({ Principal: '*' }), userArn('alice')), A)
  assert.equal(assume(trust({ Principal: { AWS: '*' } }), userArn('alice')), A)
  assert.equal(assume(trust({ Principal: { AWS: ACCT } }), userArn('alice')), A)
  assert.equal(assume(trust({ Principal: { AWS: `arn:aws:iam::${ACCT}:root` } }), userArn('alice')), A)
  assert.equal(assume(trust({ Principal: { AWS: '999999999999' } }), userArn('alice')), D)
  assert.equal(assume(trust({ Principal: { AWS: [userArn('bob'), userArn('alice')] } }), userArn('alice')), A)
  assert.equal(assume(trust({ Principal: { AWS: userArn('bob') } }), userArn('alice')), D)
  const role = `arn:aws:iam::${ACCT}:role/deployer`
  assert.equal(assume(trust({ Principal: { AWS: role } }), `arn:aws:sts::${ACCT}:assumed-role/deployer/session1`), A)
  assert.equal(assume(trust({ Principal: { AWS: role } }), { id: `arn:aws:sts::${ACCT}:assumed-role/deployer/s`, roleArn: `arn:aws:iam::${ACCT}:role/path/deployer` }), D)
  assert.equal(assume(trust({ Principal: { Service: 'ec2.amazonaws.com' } }), { type: 'Service', id: 'ec2.amazonaws.com' }), A)
  assert.equal(assume(trust({ Principal: { Service: 'ec2.amazonaws.com' } }), { type: 'Service', id: 'lambda.amazonaws.com' }), D)
  assert.equal(assume(trust({ Principal: { Service: 'ec2.amazonaws.com' } }), userArn('alice')), D)
  assert.equal(assume(trust({ Principal: { Federated: 'cognito-identity.amazonaws.com' } }), { type: 'Federated', id: 'cognito-identity.amazonaws.com' }), A)
  assert.equal(assume(trust({ Principal: { AWS: ACCT } }), undefined), D, 'no principal in the request')
})

test('NotPrincipal: everyone except the listed principals', () => {
  const p = compile(
    { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: userArn('admin') }, Action: 's3:*', Resource: '*' }] },
    { kind: 'resource', type: 'resource', id: 'bucket' }
  )
  const allowAll = compile({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })
  const run = (principal: PrincipalInput) => evaluate({ action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', principal }, { identity: [allowAll], resource: p }).decision
  assert.equal(run(userArn('alice')), 'explicitDeny')
  assert.equal(run(userArn('admin')), A)
})

test('a variable before the fifth colon: substituted first, then the ARN is split (Resource and NotResource)', () => {
  const own = { 'aws:PrincipalAccount': ACCT, 'aws:username': 'alice' }
  const admin = `arn:aws:iam::${ACCT}:role/Admin`
  const p = allow({ Action: 'iam:GetRole', Resource: 'arn:aws:iam::${aws:PrincipalAccount}:role/Admin' })
  assert.equal(decide(p, 'iam:GetRole', admin, own), A)
  assert.equal(decide(p, 'iam:GetRole', 'arn:aws:iam::999999999999:role/Admin', own), D)
  assert.equal(decide(p, 'iam:GetRole', `arn:aws:iam::${ACCT}:role/Other`, own), D)
  assert.equal(decide(p, 'iam:GetRole', admin, {}), D, 'unresolvable: matches nothing')
  // A Deny meant for one role denies that role only.
  const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:DeleteRole', Resource: 'arn:aws:iam::${aws:PrincipalAccount}:role/Admin' }] }
  assert.equal(decide(deny, 'iam:DeleteRole', admin, own), 'explicitDeny')
  assert.equal(decide(deny, 'iam:DeleteRole', `arn:aws:iam::${ACCT}:role/Other`, own), A)
  // NotResource: everything but the account's Admin role.
  const notRes = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:*', NotResource: 'arn:aws:iam::${aws:PrincipalAccount}:role/Admin' }] }
  assert.equal(decide(notRes, 'iam:GetRole', admin, own), A)
  assert.equal(decide(notRes, 'iam:GetRole', `arn:aws:iam::${ACCT}:role/Other`, own), 'explicitDeny')
  // Variables in several segments, with wildcards around them, and in short patterns.
  const multi = allow({ Action: '*', Resource: 'arn:aws:${aws:PrincipalTag/svc}:${aws:RequestedRegion}:${aws:PrincipalAccount}:thing/${aws:username}-*' })
  const ctx = { ...own, 'aws:PrincipalTag/svc': 'ec2', 'aws:RequestedRegion': 'eu-west-1' }
  assert.equal(decide(multi, 'ec2:Get', `arn:aws:ec2:eu-west-1:${ACCT}:thing/alice-1`, ctx), A)
  assert.equal(decide(multi, 'ec2:Get', `arn:aws:ec2:us-east-1:${ACCT}:thing/alice-1`, ctx), D)
  assert.equal(decide(multi, 'ec2:Get', `arn:aws:s3:eu-west-1:${ACCT}:thing/alice-1`, ctx), D)
  const short = allow({ Action: '*', Resource: 'arn:aws:iam::${aws:PrincipalAccount}*' })
  assert.equal(decide(short, 'iam:GetUser', userArn('x'), own), A)
  assert.equal(decide(short, 'iam:GetUser', 'arn:aws:iam::999999999999:user/x', own), D)
  // A value is literal: a * in it is no wildcard, and its colons are separators only where they fall.
  assert.equal(decide(p, 'iam:GetRole', admin, { 'aws:PrincipalAccount': '*' }), D)
  // Version 2008-10-17: literal text, never an account.
  assert.equal(decide({ ...p, Version: '2008-10-17' }, 'iam:GetRole', admin, own), D)
  // Escapes only, in a head segment: the literal character.
  assert.equal(decide(allow({ Action: '*', Resource: 'arn:aws:iam::${*}:user/x' }), 'iam:GetUser', userArn('x'), {}), D)
  assert.equal(decide(allow({ Action: '*', Resource: 'arn:aws:iam::${*}:user/x' }), 'iam:GetUser', 'arn:aws:iam::*:user/x', {}), A)
})

test('NotResource with an unresolvable variable before the fifth colon does not apply', () => {
  const p = allow({ Action: 'iam:GetRole', NotResource: 'arn:aws:iam::${aws:PrincipalAccount}:role/Admin' })
  assert.equal(decide(p, 'iam:GetRole', `arn:aws:iam::${ACCT}:role/Admin`, {}), D)
  // The rest of the entry already rules the resource out: not listed, so NotResource applies.
  assert.equal(decide(p, 'iam:GetUser', userArn('alice'), {}), D, 'action does not match anyway')
  const q = allow({ Action: '*', NotResource: 'arn:aws:iam::${aws:PrincipalAccount}:role/Admin' })
  assert.equal(decide(q, 'iam:GetUser', userArn('alice'), {}), A)
})
