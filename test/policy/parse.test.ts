// Write-time validation: each rejected document with the message IAM sends, IAM's first error first (recorded
// answers of AWS in test/fixtures/aws-policy-validity.js), and what a stored document needs to load.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PolicyError, parseOperator, parsePolicyDocument, POLICY_SIZE_LIMITS, policySize } from '../../src/policy/index.js'
import type { ParseOptions, PolicyErrorCode, PolicyKind } from '../../src/policy/index.js'
import { AWS_SELF_MANAGE, SEED, EC2_MFA_AGE } from './helpers.js'
import { AWS_INVALID_POLICY_DOCUMENTS, AWS_VALID_POLICY_DOCUMENTS } from '../fixtures/aws-policy-validity.js'
import type { JsonValue } from '../fixtures/aws-policy-validity.js'

const st = (s: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', ...s }] })

/** Assert that parsing (with IAM's write-time checks) fails with MalformedPolicyDocument and this message (string or RegExp). */
function rejects(text: string | object, message: string | RegExp, kind: PolicyKind = 'identity', code: PolicyErrorCode = 'MalformedPolicyDocument', extra: ParseOptions = {}) {
  assert.throws(
    () => parsePolicyDocument(text, { kind, writeTime: true, ...extra }),
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
    condition: [{ operator: 'Bool', key: 'aws:SecureTransport', values: ['false'], parsed: parseOperator('Bool') }, { operator: 'StringLike', key: 'aws:username', values: ['a*', 'b*'], parsed: parseOperator('StringLike') }]
  })
  assert.equal(parsePolicyDocument({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }).statements.length, 1, 'objects are accepted too')
})

test('JSON and top-level shape', () => {
  rejects('{"Version": "2012-10-17", "Statement": [', 'Syntax errors in policy.')
  rejects('[]', 'Syntax errors in policy.')
  rejects('"x"', 'Syntax errors in policy.')
  rejects(JSON.stringify({ Version: '2012-10-17', Statement: [], Extra: 1 }), 'Syntax errors in policy.')
  rejects(JSON.stringify({ Version: '2012-10-17' }), 'Syntax errors in policy.')
  rejects(JSON.stringify({ Version: '2012-10-17', Statement: [] }), 'Syntax errors in policy.')
  rejects(JSON.stringify({ Version: '2012-10-17', Statement: ['x'] }), 'Syntax errors in policy.')
  rejects(JSON.stringify({ Version: '2012-10-17', Id: 5, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }), 'Syntax errors in policy.')
  // Not JSON at all: a trust policy says so in other words (CreateRole, UpdateAssumeRolePolicy).
  rejects('{"Version": "2012-10-17", "Statement": [', 'This policy contains invalid Json', 'trust')
  rejects('not valid json', 'This policy contains invalid Json', 'trust')
})

test('Version: 2012-10-17 or 2008-10-17 (or none); managed policies need 2012-10-17', () => {
  const body = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }
  rejects(JSON.stringify({ Version: '2012-10-18', ...body }), 'Syntax errors in policy.')
  rejects(JSON.stringify({ Version: 2012, ...body }), 'Syntax errors in policy.')
  assert.equal(parsePolicyDocument(JSON.stringify({ Version: '2008-10-17', ...body })).version, '2008-10-17')
  for (const doc of [{ Version: '2008-10-17', ...body }, body]) {
    rejects(JSON.stringify(doc), 'Policy document must be version 2012-10-17 or greater.', 'identity', 'MalformedPolicyDocument', { managed: true })
    // Inline and trust policies keep accepting the old language and a missing Version.
    assert.doesNotThrow(() => parsePolicyDocument(JSON.stringify(doc), { writeTime: true }))
    assert.doesNotThrow(() => parsePolicyDocument(JSON.stringify({ ...doc, Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }), { kind: 'trust', writeTime: true }))
  }
  // The version check comes after the grammar and before everything else.
  rejects(JSON.stringify({ Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] }), 'Policy document must be version 2012-10-17 or greater.', 'identity', 'MalformedPolicyDocument', { managed: true })
  rejects(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Extra: 1 }] }), 'Syntax errors in policy.', 'identity', 'MalformedPolicyDocument', { managed: true })
})

test('Effect: a syntax error unless it is allow/deny in some case; then spelled exactly', () => {
  rejects(JSON.stringify({ Statement: [{ Action: '*', Resource: '*' }] }), 'Syntax errors in policy.')
  rejects(st({ Effect: 'Permit' }), 'Syntax errors in policy.')
  rejects(st({ Effect: true }), 'Syntax errors in policy.')
  rejects(st({ Effect: 'allow' }), 'The policy failed legacy parsing')
  rejects(st({ Effect: 'DENY' }), 'The policy failed legacy parsing')
})

test('Action / NotAction: exactly one, with a valid vendor and one colon; the name is free text', () => {
  rejects(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }), 'Policy statement must contain actions.')
  rejects(st({ Action: [] }), 'Policy statement must contain actions.')
  rejects(st({ NotAction: 'iam:ListUsers' }), 'Syntax errors in policy.')
  rejects(st({ Action: 'GetUser' }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.')
  rejects(st({ Action: '' }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.')
  rejects(st({ Action: 'iam:Get:User' }), 'Actions/Condition can contain only one colon.')
  rejects(st({ Action: 'i m:GetUser' }), 'Vendor i m is not valid')
  rejects(st({ Action: ['iam:GetUser', 5] }), 'Syntax errors in policy.')
  rejects(st({ Action: { a: 1 } }), 'Syntax errors in policy.')
  rejects(st({ Action: [[]] }), 'Syntax errors in policy.')
  // IAM accepts odd but well-formed actions (they simply match no request).
  assert.doesNotThrow(() => parsePolicyDocument(st({ Action: ['*', 'iam:*', 'iam:Get?ser', 'IAM:getuser', 'iam: asdf safdsf af ', 's3.s:ListBucket', 's3-s:List', 'fsx:ListBucket'] }), { writeTime: true }))
})

test('Resource / NotResource: exactly one for identity policies; partition, vendor, region and IAM type checked', () => {
  rejects(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*' }] }), 'Policy statement must contain resources.')
  rejects(st({ Resource: [] }), 'Policy statement must contain resources.')
  rejects(st({ NotResource: '*' }), 'Syntax errors in policy.')
  rejects(st({ Resource: 'bucket' }), 'Resource bucket must be in ARN format or "*".')
  // Every colon inside a policy variable: no segment separator either (this threw a TypeError before).
  rejects(st({ Resource: '${aws:username}' }), 'Resource ${aws:username} must be in ARN format or "*".')
  rejects(st({ NotResource: 'x${a:b}', Resource: undefined }), 'Resource x${a:b} must be in ARN format or "*".')
  rejects(st({ Resource: 'arn:aws' }), 'Resource vendor must be fully qualified and cannot contain regexes.')
  rejects(st({ Resource: 'arn:aws:iam::123456789012' }), 'The policy failed legacy parsing')
  rejects(st({ Resource: 'arn:aws::::x' }), 'The policy failed legacy parsing')
  rejects(st({ Resource: 'arn:error:s3:::b' }), 'Partition "error" is not valid for resource "arn:error:s3:::b".')
  rejects(st({ Resource: 'arn:aws:iam:us-east-1:123456789012:user/x' }), 'IAM resource arn:aws:iam:us-east-1:123456789012:user/x cannot contain region information.')
  rejects(st({ Resource: 'arn:aws:s3:us-east-1::b' }), 'Resource arn:aws:s3:us-east-1::b can not contain region information.')
  rejects(st({ Resource: 'arn:aws:iam::123456789012:robot/x' }), 'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.')
  assert.doesNotThrow(() => parsePolicyDocument(st({ Resource: [
    'arn:aws:iam::*', 'arn:aws:s3:::b/*', 'arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::${aws:PrincipalAccount}:role/Admin',
    'arn:aws:iam::123456789012:root', 'arn:aws:iam::*:*', 'arn:aws:iam::*:*/alice', 'arn:aws:fdsasf', 'arn:aws:ec2:us-east-1::x',
    'arn:aws:s3:us-west-2:123456789012:accesspoint/ap', 'arn:aws-cn:iam::*:role/*', 'arn:*:iam::*:user/x'
  ] }), { writeTime: true }))
  for (const kind of ['boundary', 'session', 'resource'] as const) {
    rejects(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', ...(kind === 'resource' ? { Principal: '*' } : {}) }] }), 'Policy statement must contain resources.', kind)
  }
})

test('Principal: forbidden in identity, boundary and session policies; required in trust and resource policies', () => {
  for (const kind of ['identity', 'boundary', 'session'] as const) {
    rejects(st({ Principal: { AWS: '123456789012' } }), 'Policy document should not specify a principal.', kind)
    rejects(st({ NotPrincipal: { AWS: '123456789012' } }), 'Policy document should not specify a principal.', kind)
  }
  const trust = (s: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', ...s }] })
  rejects(trust({}), 'Missing required field Principal', 'trust')
  rejects(trust({ Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:InvalidAction' }), 'AssumeRole policy may only specify STS AssumeRole actions.', 'trust')
  rejects(trust({ Principal: { Service: 'ec2.amazonaws.com' }, Action: 'iam:GetUser' }), 'AssumeRole policy may only specify STS AssumeRole actions.', 'trust')
  assert.doesNotThrow(() => parsePolicyDocument(trust({ Principal: '*', Action: ['sts:AssumeRole', 'sts:TagSession', 'STS:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity', 'sts:SetSourceIdentity', 'sts:*', 'sts:AssumeRole*'] }), { kind: 'trust', writeTime: true }))
  rejects(trust({ Principal: '*', Resource: '*' }), 'Has prohibited field Resource', 'trust')
  rejects(trust({ Principal: '*', NotResource: '*' }), 'Has prohibited field NotResource', 'trust')
  rejects(trust({ Principal: { AWS: 'arn:aws:iam::123456789012:user/*' } }), 'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:user/*"', 'trust')
  rejects(trust({ Principal: { AWS: 'alice' } }), 'Invalid principal in policy: "AWS":"alice"', 'trust')
  rejects(trust({ Principal: { Service: '*' } }), 'Invalid principal in policy: "Service":"*"', 'trust')
  rejects(trust({ Principal: { Robot: 'r2' } }), /^Invalid principal in policy/, 'trust')
  rejects(trust({ Principal: 'someone' }), /^Invalid principal in policy/, 'trust')
  rejects(trust({ Principal: '*', NotPrincipal: '*' }), 'Syntax errors in policy.', 'trust')
  const ok = parsePolicyDocument(trust({ Principal: { AWS: ['123456789012', 'arn:aws:iam::123456789012:role/r', 'arn:aws:sts::123456789012:assumed-role/r/s'], Service: 'ec2.amazonaws.com' } }), { kind: 'trust' })
  assert.deepEqual(ok.statements[0]?.principal, { any: false, AWS: ['123456789012', 'arn:aws:iam::123456789012:role/r', 'arn:aws:sts::123456789012:assumed-role/r/s'], Service: ['ec2.amazonaws.com'], Federated: [], CanonicalUser: [] })
})

test('Sid: a string; unique within the policy, then alphanumeric', () => {
  rejects(st({ Sid: 'a-b' }), 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*')
  rejects(st({ Sid: 'has space' }), /^Statement IDs \(SID\) must be alpha-numeric/)
  rejects(st({ Sid: 7 }), 'Syntax errors in policy.')
  rejects(st({ Sid: [] }), 'Syntax errors in policy.')
  const dup = JSON.stringify({ Statement: [{ Sid: 'X', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'X', Effect: 'Deny', Action: '*', Resource: '*' }] })
  rejects(dup, 'Statement IDs (SID) in a single policy must be unique.')
  const empties = JSON.stringify({ Statement: [{ Sid: '', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: '', Effect: 'Deny', Action: '*', Resource: '*' }] })
  assert.doesNotThrow(() => parsePolicyDocument(empties))
})

test('Condition: known operators (all, with IfExists and set prefixes); unknown ones only when empty; any key', () => {
  rejects(st({ Condition: { StringEqualz: { 'aws:username': 'a' } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { 'ForSomeValues:StringEquals': { 'aws:username': 'a' } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { NullIfExists: { 'aws:username': 'true' } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { 'ForAnyValue:Null': { 'aws:username': 'true' } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { stringequals: { 'aws:username': 'a' } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { Null: { 'aws:username': 'yes' } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { StringEquals: { 'aws:username': { a: 1 } } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { StringEquals: { 'aws:username': [['a']] } } }), 'Syntax errors in policy.')
  rejects(st({ Condition: { StringEquals: 'a' } }), 'Syntax errors in policy.')
  rejects(st({ Condition: [] }), 'Syntax errors in policy.')
  // What IAM accepts: keys without a vendor, empty blocks (also under unknown names), empty value lists.
  const ok = parsePolicyDocument(st({ Condition: { StringEquals: { username: 'a', 'aws:k': [] }, DateGreaterThan: {}, x: {}, ForAnyValue__Nope: {} } }), { writeTime: true })
  const stringEquals = parseOperator('StringEquals')
  assert.deepEqual(ok.statements[0]?.condition, [{ operator: 'StringEquals', key: 'username', values: ['a'], parsed: stringEquals }, { operator: 'StringEquals', key: 'aws:k', values: [], parsed: stringEquals }])
  assert.deepEqual(parsePolicyDocument(st({ Condition: {} })).statements[0]?.condition, [])
  const ops = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike', 'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals', 'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals', 'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike']
  const all: Record<string, Record<string, string | boolean>> = {}
  for (const op of ops) {
    all[op] = { 'aws:k': '1' }
    all[op + 'IfExists'] = { 'aws:k': '1' }
    all['ForAnyValue:' + op] = { 'aws:k': '1' }
    all['ForAllValues:' + op + 'IfExists'] = { 'aws:k': '1' }
  }
  all.Null = { 'aws:k': true }
  assert.equal(parsePolicyDocument(st({ Condition: all })).statements[0]?.condition.length, ops.length * 4 + 1)
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
  assert.throws(() => parsePolicyDocument(text), (e) => e instanceof PolicyError && e.statementIndex === 1 && e.httpStatus === 400)
})

test('deep nesting is a syntax error, not a stack overflow, wherever it hides', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)
  const docs = [
    deep(20000),
    '['.repeat(20000),
    `{"Version":${deep(20000)},"Statement":[]}`,
    `{"Version":"2012-10-17","Statement":[{"Effect":${deep(20000)},"Action":"*","Resource":"*"}]}`,
    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:k":${deep(20000)}}}}]}`,
    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":${deep(20000)}}}]}`
  ]
  for (const text of docs) {
    for (const kind of ['identity', 'trust'] as const) {
      assert.throws(() => parsePolicyDocument(text, { kind }), (e) => e instanceof PolicyError && e.code === 'MalformedPolicyDocument' && e.message === 'Syntax errors in policy.', text.slice(0, 60))
    }
  }
  // The grammar's own depth (six) parses; one more is rejected before JSON.parse builds it.
  const six = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:k': ['[[[[{{{{'] } } }] }
  assert.equal(parsePolicyDocument(JSON.stringify(six)).statements[0]?.condition[0]?.values[0], '[[[[{{{{')
  const seven = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:k': [['x']] } } }] }
  rejects(JSON.stringify(seven), 'Syntax errors in policy.')
  // An object argument that cannot be serialised is a syntax error too.
  const cyclic: Record<string, unknown> = { Version: '2012-10-17' }
  cyclic.Statement = cyclic
  rejects(cyclic, 'Syntax errors in policy.')
})

test("IAM's recorded answers: 78 invalid documents rejected with IAM's first error, 51 valid ones accepted", () => {
  const text = (d: JsonValue) => (typeof d === 'string' ? d : JSON.stringify(d))
  for (const c of AWS_INVALID_POLICY_DOCUMENTS) {
    assert.throws(
      () => parsePolicyDocument(text(c.doc), { kind: 'identity', writeTime: true, managed: true, maxSize: POLICY_SIZE_LIMITS.managedPolicy }),
      (e) => e instanceof PolicyError && e.code === 'MalformedPolicyDocument' && e.httpStatus === 400 && e.message === c.message,
      `${c.id}: expected "${c.message}"`
    )
  }
  for (const c of AWS_VALID_POLICY_DOCUMENTS) {
    assert.doesNotThrow(() => parsePolicyDocument(text(c.doc), { kind: 'identity', writeTime: true, managed: true, maxSize: POLICY_SIZE_LIMITS.managedPolicy }), c.id)
  }
  assert.equal(AWS_INVALID_POLICY_DOCUMENTS.length, 78)
  assert.equal(AWS_VALID_POLICY_DOCUMENTS.length, 51)
})

test('without writeTime (documents already stored) only the grammar is enforced', () => {
  // Accepted by earlier versions, or written before a check existed: they must still load.
  for (const doc of [
    st({ Resource: 'arn:aws:iam:us-east-1:123456789012:user/x' }),
    st({ Resource: 'arn:aws:iam::123456789012' }),
    st({ Resource: 'bucket' }),
    st({ Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-02-30' } } })
  ]) {
    assert.doesNotThrow(() => parsePolicyDocument(doc), doc)
    assert.throws(() => parsePolicyDocument(doc, { writeTime: true }), PolicyError, doc)
  }
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:InvalidAction' }] })
  assert.doesNotThrow(() => parsePolicyDocument(trust, { kind: 'trust' }))
  // The grammar is the same in both modes.
  assert.throws(() => parsePolicyDocument(st({ Effect: 'allow' })), (e) => e instanceof PolicyError && e.message === 'The policy failed legacy parsing')
  assert.throws(() => parsePolicyDocument(st({ Condition: { StringEqualz: { k: 'v' } } })), (e) => e instanceof PolicyError && e.message === 'Syntax errors in policy.')
})

test('condition values IAM cannot read are rejected when written: Date, Numeric, IP (with IfExists, set prefixes, in lists)', () => {
  const LEGACY = 'The policy failed legacy parsing'
  for (const c of [
    { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8x' } },
    { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '300.1.1.1'] } },
    { 'ForAnyValue:IpAddressIfExists': { 'aws:SourceIp': '2001:db8::g/32' } },
    { DateLessThan: { 'aws:CurrentTime': '2020-02-30' } },
    { DateGreaterThanIfExists: { 'aws:CurrentTime': '2021-02-29T00:00:00Z' } },
    { DateEquals: { 'aws:CurrentTime': 'tomorrow' } },
    { NumericLessThan: { 'aws:MultiFactorAuthAge': 'abc' } },
    { NumericNotEqualsIfExists: { 'aws:MultiFactorAuthAge': ['1', '1,5'] } },
    // Numeric, Date and IP values take no policy variables: the text is final.
    { NumericLessThan: { 'aws:MultiFactorAuthAge': '${aws:PrincipalTag/maxAge}' } }
  ]) {
    rejects(st({ Condition: c }), LEGACY)
  }
  for (const c of [
    { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32', '10.1.2.3'] } },
    { DateLessThan: { 'aws:CurrentTime': ['2020-02-29', '1577836800', '2020-01-01T00:00:00-05:00'] } },
    { NumericLessThan: { 'aws:MultiFactorAuthAge': ['3600', 3600, '-1.5', '.5'] } },
    // Not checked when written (decided fail-closed at evaluation): String, Arn, Bool, Binary.
    { ArnLike: { 'aws:PrincipalArn': 'not-an-arn' } },
    { Bool: { 'aws:SecureTransport': 'yes' } }
  ]) {
    assert.doesNotThrow(() => parsePolicyDocument(st({ Condition: c }), { writeTime: true }), JSON.stringify(c))
  }
})
