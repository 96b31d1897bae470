// Write-time validation: each rejected document with the message IAM would send.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PolicyError, parsePolicyDocument, POLICY_SIZE_LIMITS, policySize } from '../../src/policy/index.js'
import { AWS_SELF_MANAGE, SEED, EC2_MFA_AGE } from './helpers.js'

const st = (s) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', ...s }] })

/** Assert that parsing fails with MalformedPolicyDocument and this message (string or RegExp). */
function rejects(text, message, kind = 'identity', code = 'MalformedPolicyDocument') {
  assert.throws(
    () => parsePolicyDocument(text, { kind }),
    (err) => {
      assert.ok(err instanceof PolicyError, `expected PolicyError, got ${err}`)
      assert.equal(err.code, code)
      if (message instanceof RegExp) assert.match(err.message, message)
      else assert.equal(err.message, message)
      assert.equal(typeof err.detail, 'string')
      return true
    }
  )
}

test('AWS example policies parse', () => {
  for (const d of [AWS_SELF_MANAGE, SEED, EC2_MFA_AGE]) {
    const p = parsePolicyDocument(JSON.stringify(d))
    assert.equal(p.version, '2012-10-17')
    assert.equal(p.statements.length, d.Statement.length)
  }
})

test('normalised shape: arrays everywhere, flattened conditions, missing Version means 2008-10-17', () => {
  const p = parsePolicyDocument(JSON.stringify({ Statement: { Sid: 'One', Effect: 'Deny', NotAction: 'iam:*', NotResource: 'arn:aws:iam::*:user/x', Condition: { Bool: { 'aws:SecureTransport': false }, StringLike: { 'aws:username': ['a*', 'b*'] } } } }))
  assert.equal(p.version, '2008-10-17')
  assert.equal(p.versionSpecified, false)
  assert.deepEqual(p.statements[0], {
    index: 0, sid: 'One', effect: 'Deny', notAction: ['iam:*'], notResource: ['arn:aws:iam::*:user/x'],
    condition: [{ operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] }, { operator: 'StringLike', key: 'aws:username', values: ['a*', 'b*'] }]
  })
  assert.equal(parsePolicyDocument({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }).statements.length, 1, 'objects are accepted too')
})

test('JSON and top-level shape', () => {
  rejects('{"Version": "2012-10-17", "Statement": [', 'Syntax errors in policy.')
  rejects('[]', 'Syntax errors in policy.')
  rejects('"x"', 'Syntax errors in policy.')
  rejects(JSON.stringify({ Version: '2012-10-17', Statement: [], Extra: 1 }), 'Syntax errors in policy.')
  rejects(JSON.stringify({ Version: '2012-10-17' }), 'Missing required field Statement')
  rejects(JSON.stringify({ Version: '2012-10-17', Statement: [] }), 'Syntax errors in policy.')
  rejects(JSON.stringify({ Version: '2012-10-17', Statement: ['x'] }), 'Syntax errors in policy.')
  rejects(JSON.stringify({ Version: '2012-10-17', Id: 5, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }), 'Syntax errors in policy.')
})

test('Version must be 2012-10-17 or 2008-10-17', () => {
  rejects(JSON.stringify({ Version: '2012-10-18', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }), 'The policy failed legacy parsing')
  rejects(JSON.stringify({ Version: 2012, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }), 'The policy failed legacy parsing')
  assert.equal(parsePolicyDocument(JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })).version, '2008-10-17')
})

test('Effect', () => {
  rejects(JSON.stringify({ Statement: [{ Action: '*', Resource: '*' }] }), 'Missing required field Effect')
  rejects(st({ Effect: 'allow' }), 'Invalid effect: allow')
  rejects(st({ Effect: 'Permit' }), 'Invalid effect: Permit')
})

test('Action / NotAction: exactly one, with a vendor prefix and one colon', () => {
  rejects(JSON.stringify({ Statement: [{ Effect: 'Allow', Resource: '*' }] }), 'Policy statement must contain actions.')
  rejects(st({ Action: [] }), 'Policy statement must contain actions.')
  rejects(st({ NotAction: 'iam:ListUsers' }), 'Syntax errors in policy.')
  rejects(st({ Action: 'GetUser' }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.')
  rejects(st({ Action: 'iam:Get:User' }), 'Actions/Condition can contain only one colon.')
  rejects(st({ Action: 'iam:Get User' }), 'Action "iam:Get User" is not a valid action.')
  rejects(st({ Action: ['iam:GetUser', 5] }), 'Syntax errors in policy.')
  rejects(st({ Action: { a: 1 } }), 'Syntax errors in policy.')
  assert.doesNotThrow(() => parsePolicyDocument(st({ Action: ['*', 'iam:*', 'iam:Get?ser', 'IAM:getuser'] })))
})

test('Resource / NotResource: exactly one for identity policies, ARN or *', () => {
  rejects(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*' }] }), 'Policy statement must contain resources.')
  rejects(st({ Resource: [] }), 'Policy statement must contain resources.')
  rejects(st({ NotResource: '*' }), 'Syntax errors in policy.')
  rejects(st({ Resource: 'bucket' }), 'Resource bucket must be in ARN format or "*".')
  rejects(st({ Resource: 'arn:aws:iam::123456789012' }), 'Resource arn:aws:iam::123456789012 must be in ARN format or "*".')
  rejects(st({ Resource: 'arn:aws::::x' }), 'Resource arn:aws::::x must be in ARN format or "*".')
  assert.doesNotThrow(() => parsePolicyDocument(st({ Resource: ['arn:aws:iam::*', 'arn:aws:s3:::b/*', 'arn:aws:iam::*:user/${aws:username}'] })))
  for (const kind of ['boundary', 'session', 'resource']) {
    rejects(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', ...(kind === 'resource' ? { Principal: '*' } : {}) }] }), 'Policy statement must contain resources.', kind)
  }
})

test('Principal: forbidden in identity, boundary and session policies; required in trust and resource policies', () => {
  for (const kind of ['identity', 'boundary', 'session']) {
    rejects(st({ Principal: { AWS: '123456789012' } }), 'Policy document should not specify a principal.', kind)
    rejects(st({ NotPrincipal: { AWS: '123456789012' } }), 'Policy document should not specify a principal.', kind)
  }
  const trust = (s) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', ...s }] })
  rejects(trust({}), 'Missing required field Principal', 'trust')
  rejects(trust({ Principal: '*', Resource: '*' }), 'Has prohibited field Resource', 'trust')
  rejects(trust({ Principal: '*', NotResource: '*' }), 'Has prohibited field NotResource', 'trust')
  rejects(trust({ Principal: { AWS: 'arn:aws:iam::123456789012:user/*' } }), 'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:user/*"', 'trust')
  rejects(trust({ Principal: { AWS: 'alice' } }), 'Invalid principal in policy: "AWS":"alice"', 'trust')
  rejects(trust({ Principal: { Service: '*' } }), 'Invalid principal in policy: "Service":"*"', 'trust')
  rejects(trust({ Principal: { Robot: 'r2' } }), /^Invalid principal in policy/, 'trust')
  rejects(trust({ Principal: 'someone' }), /^Invalid principal in policy/, 'trust')
  rejects(trust({ Principal: '*', NotPrincipal: '*' }), 'Syntax errors in policy.', 'trust')
  const ok = parsePolicyDocument(trust({ Principal: { AWS: ['123456789012', 'arn:aws:iam::123456789012:role/r', 'arn:aws:sts::123456789012:assumed-role/r/s'], Service: 'ec2.amazonaws.com' } }), { kind: 'trust' })
  assert.deepEqual(ok.statements[0].principal, { any: false, AWS: ['123456789012', 'arn:aws:iam::123456789012:role/r', 'arn:aws:sts::123456789012:assumed-role/r/s'], Service: ['ec2.amazonaws.com'], Federated: [], CanonicalUser: [] })
})

test('Sid: alphanumeric and unique within the policy', () => {
  rejects(st({ Sid: 'a-b' }), 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*')
  rejects(st({ Sid: 'has space' }), /^Statement IDs \(SID\) must be alpha-numeric/)
  rejects(st({ Sid: 7 }), /^Statement IDs \(SID\) must be alpha-numeric/)
  const dup = JSON.stringify({ Statement: [{ Sid: 'X', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'X', Effect: 'Deny', Action: '*', Resource: '*' }] })
  rejects(dup, 'Statement IDs (SID) in a single policy must be unique.')
  const empties = JSON.stringify({ Statement: [{ Sid: '', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: '', Effect: 'Deny', Action: '*', Resource: '*' }] })
  assert.doesNotThrow(() => parsePolicyDocument(empties))
})

test('Condition: known operators only (all of them, with IfExists and set prefixes), keys with a vendor', () => {
  rejects(st({ Condition: { StringEqualz: { 'aws:username': 'a' } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { 'ForSomeValues:StringEquals': { 'aws:username': 'a' } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { NullIfExists: { 'aws:username': 'true' } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { 'ForAnyValue:Null': { 'aws:username': 'true' } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { stringequals: { 'aws:username': 'a' } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { Null: { 'aws:username': 'yes' } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { StringEquals: { username: 'a' } } }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.')
  rejects(st({ Condition: { StringEquals: { 'aws:username': [] } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { StringEquals: { 'aws:username': { a: 1 } } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { StringEquals: {} } }), 'Syntax errors in policy.')
  rejects(st({ Condition: [] }), 'Syntax errors in policy.')
  const ops = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike', 'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals', 'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals', 'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike']
  const all = {}
  for (const op of ops) {
    all[op] = { 'aws:k': '1' }
    all[op + 'IfExists'] = { 'aws:k': '1' }
    all['ForAnyValue:' + op] = { 'aws:k': '1' }
    all['ForAllValues:' + op + 'IfExists'] = { 'aws:k': '1' }
  }
  all.Null = { 'aws:k': true }
  assert.equal(parsePolicyDocument(st({ Condition: all })).statements[0].condition.length, ops.length * 4 + 1)
})

test('unknown statement elements and allowed characters', () => {
  rejects(st({ Effects: 'Allow' }), 'Syntax errors in policy.')
  rejects(st({ Sid: 'caf\u00e9' }), /^Statement IDs/)
  rejects(st({ Condition: { StringEquals: { 'aws:username': '\u2603' } } }), 'Syntax errors in policy.')
  assert.doesNotThrow(() => parsePolicyDocument(st({ Condition: { StringEquals: { 'aws:username': 'caf\u00e9' } } })))
})

test('size quota counts characters except white space; LimitExceeded when over maxSize', () => {
  assert.equal(policySize('{ "a" :\n\t"b c" }'), 10)
  const text = JSON.stringify(SEED, null, 2)
  const size = policySize(text)
  assert.doesNotThrow(() => parsePolicyDocument(text, { maxSize: size }))
  assert.throws(() => parsePolicyDocument(text, { maxSize: size - 1 }), (e) => e instanceof PolicyError && e.code === 'LimitExceeded' && e.message === `Cannot exceed quota for PolicySize: ${size - 1}`)
  assert.equal(POLICY_SIZE_LIMITS.managedPolicy, 6144)
})

test('errors carry the statement index', () => {
  const text = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Allow', Action: 'x', Resource: '*' }] })
  assert.throws(() => parsePolicyDocument(text), (e) => e.statementIndex === 1 && e.httpStatus === 400)
})

test('deep nesting is a syntax error, not a stack overflow, wherever it hides', () => {
  const deep = (n) => '['.repeat(n) + ']'.repeat(n)
  const docs = [
    deep(20000),
    '['.repeat(20000),
    `{"Version":${deep(20000)},"Statement":[]}`,
    `{"Version":"2012-10-17","Statement":[{"Effect":${deep(20000)},"Action":"*","Resource":"*"}]}`,
    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:k":${deep(20000)}}}}]}`,
    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":${deep(20000)}}}]}`
  ]
  for (const text of docs) {
    for (const kind of ['identity', 'trust']) {
      assert.throws(() => parsePolicyDocument(text, { kind }), (e) => e instanceof PolicyError && e.code === 'MalformedPolicyDocument' && e.message === 'Syntax errors in policy.', text.slice(0, 60))
    }
  }
  // The grammar's own depth (six) parses; one more is rejected before JSON.parse builds it.
  const six = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:k': ['[[[[{{{{'] } } }] }
  assert.equal(parsePolicyDocument(JSON.stringify(six)).statements[0].condition[0].values[0], '[[[[{{{{')
  const seven = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:k': [['x']] } } }] }
  rejects(JSON.stringify(seven), 'Syntax errors in policy.')
  // An object argument that cannot be serialised is a syntax error too.
  const cyclic = { Version: '2012-10-17' }
  cyclic.Statement = cyclic
  rejects(cyclic, 'Syntax errors in policy.')
})
