// Condition operators, one family at a time, with the absent-key rules of reference §0 item 4.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cond } from './helpers.js'
import type { Context } from './helpers.js'

const A = 'allowed'
const D = 'implicitDeny'
const tag = (v: string) => ({ 'aws:PrincipalTag/team': v })

test('StringEquals: exact and case-sensitive; values OR', () => {
  assert.equal(cond({ StringEquals: { 'aws:PrincipalTag/team': 'red' } }, tag('red')), A)
  assert.equal(cond({ StringEquals: { 'aws:PrincipalTag/team': 'red' } }, tag('Red')), D)
  assert.equal(cond({ StringEquals: { 'aws:PrincipalTag/team': ['blue', 'red'] } }, tag('red')), A)
  assert.equal(cond({ StringEquals: { 'aws:PrincipalTag/team': ['blue', 'green'] } }, tag('red')), D)
})

test('StringNotEquals: NOR over values; absent key is true', () => {
  assert.equal(cond({ StringNotEquals: { 'aws:PrincipalTag/team': ['blue', 'green'] } }, tag('red')), A)
  assert.equal(cond({ StringNotEquals: { 'aws:PrincipalTag/team': ['blue', 'red'] } }, tag('red')), D)
  assert.equal(cond({ StringNotEquals: { 'aws:PrincipalTag/team': 'red' } }, {}), A)
})

test('StringEqualsIgnoreCase / StringNotEqualsIgnoreCase', () => {
  assert.equal(cond({ StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'RED' } }, tag('red')), A)
  assert.equal(cond({ StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'RED' } }, tag('blue')), D)
  assert.equal(cond({ StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'RED' } }, tag('Red')), D)
  assert.equal(cond({ StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'RED' } }, tag('blue')), A)
})

test('StringLike / StringNotLike: * and ? anywhere, case-sensitive, : is not special', () => {
  assert.equal(cond({ StringLike: { 'aws:PrincipalTag/team': 'r*d' } }, tag('rapid')), A)
  assert.equal(cond({ StringLike: { 'aws:PrincipalTag/team': 'r?d' } }, tag('red')), A)
  assert.equal(cond({ StringLike: { 'aws:PrincipalTag/team': 'r?d' } }, tag('reed')), D)
  assert.equal(cond({ StringLike: { 'aws:PrincipalTag/team': 'R*' } }, tag('red')), D)
  assert.equal(cond({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*' } }, { 'aws:PrincipalArn': 'arn:aws:iam::1:user/x' }), A)
  assert.equal(cond({ StringNotLike: { 'aws:PrincipalTag/team': ['b*', 'g*'] } }, tag('red')), A)
  assert.equal(cond({ StringNotLike: { 'aws:PrincipalTag/team': ['b*', 'r*'] } }, tag('red')), D)
  assert.equal(cond({ StringNotLike: { 'aws:PrincipalTag/team': 'r*' } }, {}), A)
})

test('Numeric operators compare numbers, not strings; unparsable values never match', () => {
  const age = (v: string) => ({ 'aws:MultiFactorAuthAge': v })
  const k = 'aws:MultiFactorAuthAge'
  assert.equal(cond({ NumericEquals: { [k]: '10' } }, age('10.0')), A)
  assert.equal(cond({ NumericEquals: { [k]: 10 } }, age('10')), A)
  assert.equal(cond({ NumericNotEquals: { [k]: '10' } }, age('11')), A)
  assert.equal(cond({ NumericNotEquals: { [k]: ['10', '11'] } }, age('11')), D)
  assert.equal(cond({ NumericLessThan: { [k]: '100' } }, age('99')), A)
  assert.equal(cond({ NumericLessThan: { [k]: '100' } }, age('100')), D)
  assert.equal(cond({ NumericLessThan: { [k]: '100' } }, age('9')), A, 'numeric, not lexicographic')
  assert.equal(cond({ NumericLessThanEquals: { [k]: '100' } }, age('100')), A)
  assert.equal(cond({ NumericGreaterThan: { [k]: '100' } }, age('100')), D)
  assert.equal(cond({ NumericGreaterThan: { [k]: '100' } }, age('100.5')), A)
  assert.equal(cond({ NumericGreaterThanEquals: { [k]: '100' } }, age('100')), A)
  assert.equal(cond({ NumericEquals: { [k]: 'abc' } }, age('10')), D)
  assert.equal(cond({ NumericNotEquals: { [k]: 'abc' } }, age('10')), D)
  assert.equal(cond({ NumericLessThan: { [k]: '100' } }, age('abc')), D)
  assert.equal(cond({ NumericNotEquals: { [k]: '100' } }, age('abc')), D)
  assert.equal(cond({ NumericLessThan: { [k]: '100' } }, {}), D)
  assert.equal(cond({ NumericNotEquals: { [k]: '100' } }, {}), A)
})

test('Date operators: ISO 8601 with offsets, date-only, and epoch seconds', () => {
  const now = (v: string) => ({ 'aws:CurrentTime': v })
  const k = 'aws:CurrentTime'
  assert.equal(cond({ DateEquals: { [k]: '2020-01-01T00:00:00Z' } }, now('1577836800')), A, 'epoch seconds')
  assert.equal(cond({ DateEquals: { [k]: '2020-01-01' } }, now('2020-01-01T00:00:00Z')), A)
  assert.equal(cond({ DateLessThan: { [k]: '2020-01-01T00:00:00+01:00' } }, now('2019-12-31T23:30:00Z')), D)
  assert.equal(cond({ DateLessThan: { [k]: '2020-01-01T00:00:00+01:00' } }, now('2019-12-31T22:59:59Z')), A)
  assert.equal(cond({ DateNotEquals: { [k]: '2020-01-01T00:00:00Z' } }, now('2020-01-02T00:00:00Z')), A)
  assert.equal(cond({ DateLessThanEquals: { [k]: '2020-01-01T00:00:00Z' } }, now('2020-01-01T00:00:00Z')), A)
  assert.equal(cond({ DateGreaterThan: { [k]: '2020-01-01T00:00:00Z' } }, now('2020-01-01T00:00:00Z')), D)
  assert.equal(cond({ DateGreaterThanEquals: { [k]: '2020-01-01T00:00:00Z' } }, now('2020-01-01T00:00:00.000Z')), A)
  assert.equal(cond({ DateGreaterThan: { [k]: '2020-01-01T00:00:00Z' } }, now('yesterday')), D)
  assert.equal(cond({ DateGreaterThan: { [k]: 'soon' } }, now('2030-01-01T00:00:00Z')), D)
})

test('Bool: true/false, JSON booleans, case-insensitive, anything else never matches', () => {
  const k = 'aws:SecureTransport'
  assert.equal(cond({ Bool: { [k]: 'true' } }, { [k]: 'true' }), A)
  assert.equal(cond({ Bool: { [k]: true } }, { [k]: 'true' }), A)
  assert.equal(cond({ Bool: { [k]: 'True' } }, { [k]: 'TRUE' }), A)
  assert.equal(cond({ Bool: { [k]: 'true' } }, { [k]: 'false' }), D)
  assert.equal(cond({ Bool: { [k]: 'true' } }, { [k]: 'yes' }), D)
  assert.equal(cond({ Bool: { [k]: 'true' } }, {}), D)
  assert.equal(cond({ Bool: { [k]: 'false' } }, { [k]: false }), A, 'a boolean in the context is stringified')
})

test('BinaryEquals compares the base64 text byte for byte', () => {
  assert.equal(cond({ BinaryEquals: { 'aws:PrincipalTag/blob': 'QmluYXJ5' } }, { 'aws:PrincipalTag/blob': 'QmluYXJ5' }), A)
  assert.equal(cond({ BinaryEquals: { 'aws:PrincipalTag/blob': 'QmluYXJ5' } }, { 'aws:PrincipalTag/blob': 'qmluyxj5' }), D)
})

test('IpAddress / NotIpAddress: IPv4 and IPv6 CIDR, bare address = /32, garbage never matches', () => {
  const ip = (v: string) => ({ 'aws:SourceIp': v })
  const k = 'aws:SourceIp'
  assert.equal(cond({ IpAddress: { [k]: '203.0.113.0/24' } }, ip('203.0.113.77')), A)
  assert.equal(cond({ IpAddress: { [k]: '203.0.113.0/24' } }, ip('203.0.114.1')), D)
  assert.equal(cond({ IpAddress: { [k]: '203.0.113.7' } }, ip('203.0.113.7')), A)
  assert.equal(cond({ IpAddress: { [k]: '203.0.113.7' } }, ip('203.0.113.8')), D)
  assert.equal(cond({ IpAddress: { [k]: '0.0.0.0/0' } }, ip('8.8.8.8')), A)
  assert.equal(cond({ IpAddress: { [k]: ['10.0.0.0/8', '2001:db8::/32'] } }, ip('2001:db8:1::5')), A)
  assert.equal(cond({ IpAddress: { [k]: '2001:db8::/32' } }, ip('2001:db9::1')), D)
  assert.equal(cond({ IpAddress: { [k]: '2001:db8:abcd:12::/63' } }, ip('2001:db8:abcd:13::1')), A)
  assert.equal(cond({ IpAddress: { [k]: '2001:db8:abcd:12::/64' } }, ip('2001:db8:abcd:13::1')), D)
  assert.equal(cond({ IpAddress: { [k]: '::ffff:10.0.0.0/104' } }, ip('10.1.2.3')), D, 'IPv4 never matches an IPv6 block')
  assert.equal(cond({ NotIpAddress: { [k]: '10.0.0.0/8' } }, ip('11.0.0.1')), A)
  assert.equal(cond({ NotIpAddress: { [k]: '10.0.0.0/8' } }, ip('10.0.0.1')), D)
  assert.equal(cond({ NotIpAddress: { [k]: '10.0.0.0/8' } }, ip('garbage')), D)
  assert.equal(cond({ NotIpAddress: { [k]: '10.0.0.0/8' } }, {}), A)
  assert.equal(cond({ IpAddress: { [k]: '10.0.0.0/8' } }, {}), D)
})

test('ArnEquals/ArnLike: per segment, wildcards, case-sensitive; Not variants; non-ARN values never match', () => {
  const k = 'aws:PrincipalArn'
  const arn = (v: string) => ({ [k]: v })
  const u = 'arn:aws:iam::123456789012:user/alice'
  assert.equal(cond({ ArnEquals: { [k]: u } }, arn(u)), A)
  assert.equal(cond({ ArnLike: { [k]: 'arn:aws:iam::*:user/*' } }, arn(u)), A)
  assert.equal(cond({ ArnEquals: { [k]: 'arn:aws:iam::*:user/*' } }, arn(u)), A, 'ArnEquals takes wildcards too')
  assert.equal(cond({ ArnLike: { [k]: 'arn:aws:iam::*:user/*' } }, arn('arn:aws:iam::123456789012:user/a:b')), A)
  assert.equal(cond({ ArnLike: { [k]: 'arn:aws:iam::12345678901?:user/alice' } }, arn(u)), A)
  assert.equal(cond({ ArnLike: { [k]: 'arn:aws:iam::123456789012:USER/alice' } }, arn(u)), D)
  assert.equal(cond({ ArnLike: { [k]: 'arn:aws:iam::*' } }, arn(u)), D, 'fewer than six segments never matches')
  assert.equal(cond({ ArnLike: { [k]: 'arn:aws:*:*:*:*' } }, arn(u)), A)
  assert.equal(cond({ ArnLike: { [k]: 'arn:aws:iam:*:user/alice' } }, arn(u)), D)
  assert.equal(cond({ ArnNotLike: { [k]: 'arn:aws:iam::*:role/*' } }, arn(u)), A)
  assert.equal(cond({ ArnNotEquals: { [k]: u } }, arn(u)), D)
  assert.equal(cond({ ArnNotLike: { [k]: 'arn:aws:iam::*:role/*' } }, arn('not-an-arn')), D)
  assert.equal(cond({ ArnLike: { [k]: 'arn:*:*:*:*:*' } }, arn('not-an-arn')), D)
  assert.equal(cond({ ArnNotLike: { [k]: 'arn:aws:iam::*:role/*' } }, {}), A)
  // StringLike does not split segments: one * spans several.
  assert.equal(cond({ StringLike: { [k]: 'arn:aws:*/alice' } }, arn(u)), A)
  assert.equal(cond({ ArnLike: { [k]: 'arn:aws:*/alice' } }, arn(u)), D)
})

test('Null: true means absent, false means present (empty string and empty list are present)', () => {
  const k = 'aws:TokenIssueTime'
  assert.equal(cond({ Null: { [k]: 'true' } }, {}), A)
  assert.equal(cond({ Null: { [k]: true } }, { [k]: '2020-01-01T00:00:00Z' }), D)
  assert.equal(cond({ Null: { [k]: 'false' } }, { [k]: '2020-01-01T00:00:00Z' }), A)
  assert.equal(cond({ Null: { [k]: 'false' } }, {}), D)
  assert.equal(cond({ Null: { [k]: 'true' } }, { [k]: '' }), D)
  assert.equal(cond({ Null: { 'aws:CalledVia': 'true' } }, { 'aws:CalledVia': [] }), D)
  assert.equal(cond({ Null: { [k]: 'true' } }, { [k]: null }), A, 'null/undefined context values are absent')
})

test('…IfExists: absent key is true for every operator, present key evaluates normally', () => {
  const k = 'aws:MultiFactorAuthAge'
  for (const op of ['StringEqualsIfExists', 'NumericLessThanIfExists', 'DateEqualsIfExists', 'BoolIfExists', 'IpAddressIfExists', 'ArnLikeIfExists', 'BinaryEqualsIfExists', 'StringNotEqualsIfExists']) {
    assert.equal(cond({ [op]: { [k]: 'zzz' } }, {}), A, op)
  }
  assert.equal(cond({ NumericLessThanIfExists: { [k]: '100' } }, { [k]: '50' }), A)
  assert.equal(cond({ NumericLessThanIfExists: { [k]: '100' } }, { [k]: '500' }), D)
  assert.equal(cond({ StringNotEqualsIfExists: { 'aws:PrincipalTag/team': 'red' } }, tag('red')), D)
})

test('several keys under one operator and several operators: AND', () => {
  const c = { StringEquals: { 'aws:PrincipalTag/team': 'red', 'aws:username': 'alice' }, Bool: { 'aws:SecureTransport': 'true' } }
  assert.equal(cond(c, { 'aws:PrincipalTag/team': 'red', 'aws:username': 'alice', 'aws:SecureTransport': 'true' }), A)
  assert.equal(cond(c, { 'aws:PrincipalTag/team': 'red', 'aws:username': 'bob', 'aws:SecureTransport': 'true' }), D)
  assert.equal(cond(c, { 'aws:PrincipalTag/team': 'red', 'aws:username': 'alice', 'aws:SecureTransport': 'false' }), D)
  assert.equal(cond(c, { 'aws:PrincipalTag/team': 'red', 'aws:username': 'alice' }), D)
})

test('ForAnyValue / ForAllValues on multivalued keys (AWS doc tables)', () => {
  const k = 'aws:TagKeys'
  const keys = (...v: string[]) => ({ [k]: v })
  // ForAllValues:StringNotLike {"aws:TagKeys":"key1*"}: [key1:legal] no, [key2:audit] yes, absent yes.
  assert.equal(cond({ 'ForAllValues:StringNotLike': { [k]: 'key1*' } }, keys('key1')), D)
  assert.equal(cond({ 'ForAllValues:StringNotLike': { [k]: 'key1*' } }, keys('key2')), A)
  assert.equal(cond({ 'ForAllValues:StringNotLike': { [k]: 'key1*' } }, {}), A)
  assert.equal(cond({ 'ForAllValues:StringEquals': { [k]: ['a', 'b'] } }, keys('a', 'b')), A)
  assert.equal(cond({ 'ForAllValues:StringEquals': { [k]: ['a', 'b'] } }, keys('a', 'c')), D)
  assert.equal(cond({ 'ForAllValues:StringEquals': { [k]: ['a', 'b'] } }, keys()), A, 'empty set: vacuously true')
  assert.equal(cond({ 'ForAnyValue:StringEquals': { [k]: ['a', 'b'] } }, keys('c', 'b')), A)
  assert.equal(cond({ 'ForAnyValue:StringEquals': { [k]: ['a', 'b'] } }, keys('c', 'd')), D)
  assert.equal(cond({ 'ForAnyValue:StringEquals': { [k]: 'a' } }, keys()), D)
  assert.equal(cond({ 'ForAnyValue:StringEquals': { [k]: 'a' } }, {}), D)
  assert.equal(cond({ 'ForAnyValue:StringNotEquals': { [k]: 'a' } }, keys('a', 'b')), A)
  assert.equal(cond({ 'ForAnyValue:StringNotEquals': { [k]: 'a' } }, keys('a')), D)
  // IfExists does not rescue ForAnyValue on an absent key (seen on AWS, re:Post QU9HFmDzP0QGuU-fd7rS6B7w).
  assert.equal(cond({ 'ForAnyValue:StringEqualsIfExists': { [k]: 'a' } }, {}), D)
  assert.equal(cond({ 'ForAllValues:StringNotEqualsIfExists': { [k]: 'a' } }, {}), A)
  // A single-valued key in the context is a one-element set.
  assert.equal(cond({ 'ForAnyValue:StringEquals': { 'aws:username': 'alice' } }, { 'aws:username': 'alice' }), A)
  assert.equal(cond({ 'ForAllValues:StringEquals': { 'aws:username': 'alice' } }, { 'aws:username': 'bob' }), D)
})

test('a bare operator on a multivalued context value never matches, negated or not', () => {
  const k = 'aws:CalledVia'
  assert.equal(cond({ StringEquals: { [k]: 'a' } }, { [k]: ['a'] }), D)
  assert.equal(cond({ StringNotEquals: { [k]: 'a' } }, { [k]: ['b'] }), D)
  assert.equal(cond({ StringEqualsIfExists: { [k]: 'a' } }, { [k]: ['a'] }), D)
})

test('condition key names are case-insensitive on both sides', () => {
  assert.equal(cond({ StringEquals: { 'AWS:USERNAME': 'alice' } }, { 'aws:username': 'alice' }), A)
  assert.equal(cond({ StringEquals: { 'aws:username': 'alice' } }, { 'Aws:UserName': 'alice' }), A)
  assert.equal(cond({ StringEquals: { 'aws:PrincipalTag/Team': 'x' } }, { 'aws:principaltag/team': 'x' }), A)
})

test('variables in condition values: substituted literally, unresolvable ones match nothing', () => {
  const k = 'aws:PrincipalTag/owner'
  assert.equal(cond({ StringEquals: { [k]: '${aws:username}' } }, { [k]: 'alice', 'aws:username': 'alice' }), A)
  assert.equal(cond({ StringEquals: { [k]: '${aws:username}' } }, { [k]: 'alice', 'aws:username': 'bob' }), D)
  assert.equal(cond({ StringLike: { [k]: 'team-${aws:username}-*' } }, { [k]: 'team-alice-1', 'aws:username': 'alice' }), A)
  // The substituted value is literal: a * in it is not a wildcard.
  assert.equal(cond({ StringLike: { [k]: 'a*${aws:userid}' } }, { [k]: 'axxID*', 'aws:userid': 'ID*' }), A)
  assert.equal(cond({ StringLike: { [k]: 'a*${aws:userid}' } }, { [k]: 'axxIDz', 'aws:userid': 'ID*' }), D)
  // Unresolvable: positive false, negated false too (the statement is invalid for the request).
  assert.equal(cond({ StringEquals: { [k]: '${aws:username}' } }, { [k]: 'alice' }), D)
  assert.equal(cond({ StringNotEquals: { [k]: '${aws:username}' } }, { [k]: 'q' }), D)
  assert.equal(cond({ StringNotEquals: { [k]: ['${aws:username}', 'z'] } }, { [k]: 'q' }), D)
  // Defaults.
  assert.equal(cond({ StringEquals: { [k]: "${aws:username, 'nobody'}" } }, { [k]: 'nobody' }), A)
  assert.equal(cond({ StringEquals: { [k]: "${aws:username, 'nobody'}" } }, { [k]: 'alice', 'aws:username': 'alice' }), A)
  // Escapes.
  assert.equal(cond({ StringEquals: { [k]: 'a${*}b${?}c${$}' } }, { [k]: 'a*b?c$' }), A)
  assert.equal(cond({ StringLike: { [k]: 'a${*}' } }, { [k]: 'abc' }), D)
  // ARN condition values take variables per segment.
  assert.equal(cond({ ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/${aws:username}' } }, { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/alice', 'aws:username': 'alice' }), A)
  // Multivalued keys cannot be variables.
  assert.equal(cond({ StringEquals: { [k]: '${aws:CalledVia}' } }, { [k]: 'x', 'aws:CalledVia': ['x'] }), D)
  // Numeric, Date, IP, Binary values do not take variables.
  assert.equal(cond({ NumericEquals: { 'aws:MultiFactorAuthAge': '${aws:PrincipalTag/n}' } }, { 'aws:MultiFactorAuthAge': '5', 'aws:PrincipalTag/n': '5' }), D)
})

test('variables are literal text under Version 2008-10-17', async () => {
  const { decide } = await import('./helpers.js')
  const doc = (v: string) => ({ Version: v, Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/owner': '${aws:username}' } } }] })
  const ctx = { 'aws:PrincipalTag/owner': 'alice', 'aws:username': 'alice' }
  assert.equal(decide(doc('2012-10-17'), 'iam:GetUser', '*', ctx), A)
  assert.equal(decide(doc('2008-10-17'), 'iam:GetUser', '*', ctx), D)
  assert.equal(decide(doc('2008-10-17'), 'iam:GetUser', '*', { 'aws:PrincipalTag/owner': '${aws:username}' }), A)
})

test('ArnLike/ArnNotLike with a variable before the fifth colon (${aws:PrincipalAccount})', async () => {
  const { decide } = await import('./helpers.js')
  const k = 'aws:PrincipalArn'
  const acct = '123456789012'
  const admin = `arn:aws:iam::${acct}:role/Admin`
  const ctx = (arn: string) => ({ [k]: arn, 'aws:PrincipalAccount': acct })
  const pattern = 'arn:aws:iam::${aws:PrincipalAccount}:role/Admin'
  for (const op of ['ArnLike', 'ArnEquals']) {
    assert.equal(cond({ [op]: { [k]: pattern } }, ctx(admin)), A, op)
    assert.equal(cond({ [op]: { [k]: pattern } }, ctx(`arn:aws:iam::${acct}:role/Other`)), D, op)
    assert.equal(cond({ [op]: { [k]: pattern } }, { [k]: 'arn:aws:iam::999999999999:role/Admin', 'aws:PrincipalAccount': acct }), D, op)
  }
  for (const op of ['ArnNotLike', 'ArnNotEquals']) {
    assert.equal(cond({ [op]: { [k]: pattern } }, ctx(admin)), D, op)
    assert.equal(cond({ [op]: { [k]: pattern } }, ctx(`arn:aws:iam::${acct}:role/Other`)), A, op)
  }
  // The case: a Deny for everyone but Admin, next to an Allow for everything.
  const policy = { Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { ArnNotLike: { [k]: pattern } } }
  ] }
  assert.equal(decide(policy, 'iam:CreateUser', '*', ctx(admin)), A)
  assert.equal(decide(policy, 'iam:CreateUser', '*', ctx(`arn:aws:iam::${acct}:role/Other`)), 'explicitDeny')
  // A variable holding a whole ARN supplies its own six segments.
  assert.equal(cond({ ArnEquals: { 'aws:SourceArn': '${aws:PrincipalArn}' } }, { 'aws:SourceArn': admin, [k]: admin }), A)
  assert.equal(cond({ ArnEquals: { 'aws:SourceArn': '${aws:PrincipalArn}' } }, { 'aws:SourceArn': admin, [k]: `arn:aws:iam::${acct}:role/B` }), D)
  // Wildcards outside the variable still work per segment.
  assert.equal(cond({ ArnLike: { [k]: 'arn:aws:iam::${aws:PrincipalAccount}:role/*' } }, ctx(admin)), A)
  assert.equal(cond({ ArnLike: { [k]: 'arn:aws:iam::${aws:PrincipalAccount}*:role/Admin' } }, ctx(admin)), A)
  // Unresolvable: the positive operator does not match and the negated one is false (statement invalid).
  assert.equal(cond({ ArnLike: { [k]: pattern } }, { [k]: admin }), D)
  assert.equal(cond({ ArnNotLike: { [k]: pattern } }, { [k]: admin }), D)
})

test('values that cannot be read are decided fail-closed: a Deny applies, an Allow does not', async () => {
  const { decide } = await import('./helpers.js')
  // Documents stored before write-time checks existed still load (no writeTime) and must not fail open.
  const run = (effect: 'Allow' | 'Deny', condition: object, context: Context) => {
    const statements = effect === 'Deny'
      ? [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: condition }]
      : [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition }]
    return decide({ Version: '2012-10-17', Statement: statements }, 'iam:GetUser', '*', context)
  }
  const X = 'explicitDeny'
  const ip = (v: string | string[]) => ({ 'aws:SourceIp': v })
  // The case: NotIpAddress with a value that is no block. A Deny meant for outsiders still denies them.
  assert.equal(run('Deny', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8x' } }, ip('11.0.0.1')), X)
  assert.equal(run('Deny', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8x' } }, ip('11.0.0.1')), X)
  assert.equal(run('Allow', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8x' } }, ip('10.0.0.1')), D)
  assert.equal(run('Allow', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8x' } }, ip('11.0.0.1')), D)
  // With a readable value next to it, a known answer wins.
  assert.equal(run('Deny', { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16x'] } }, ip('10.1.1.1')), A, 'inside a listed block: not denied')
  assert.equal(run('Deny', { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16x'] } }, ip('11.1.1.1')), X)
  assert.equal(run('Allow', { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', 'bad'] } }, ip('10.1.1.1')), A)
  assert.equal(run('Allow', { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', 'bad'] } }, ip('11.1.1.1')), D)
  // Impossible dates and numbers that are none.
  const now = { 'aws:CurrentTime': '2024-06-01T00:00:00Z' }
  assert.equal(run('Deny', { DateGreaterThan: { 'aws:CurrentTime': '2020-02-30' } }, now), X)
  assert.equal(run('Deny', { DateNotEquals: { 'aws:CurrentTime': '2020-02-30' } }, now), X)
  assert.equal(run('Allow', { DateLessThan: { 'aws:CurrentTime': '2099-02-30' } }, now), D)
  assert.equal(run('Deny', { NumericLessThan: { 'aws:MultiFactorAuthAge': 'abc' } }, { 'aws:MultiFactorAuthAge': '10' }), X)
  assert.equal(run('Allow', { NumericNotEquals: { 'aws:MultiFactorAuthAge': 'abc' } }, { 'aws:MultiFactorAuthAge': '10' }), D)
  // Bool that is neither true nor false (a typo in a Deny must not switch it off).
  assert.equal(run('Deny', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'flase' } }, { 'aws:MultiFactorAuthPresent': 'true' }), X)
  assert.equal(run('Allow', { Bool: { 'aws:MultiFactorAuthPresent': 'yes' } }, { 'aws:MultiFactorAuthPresent': 'true' }), D)
  // Arn values that are no ARN, as written or once their variables are substituted.
  const arn = { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/alice' }
  assert.equal(run('Deny', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*' } }, arn), X)
  assert.equal(run('Deny', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*' } }, arn), X)
  assert.equal(run('Allow', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*' } }, arn), D)
  assert.equal(run('Allow', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*' } }, arn), D)
  assert.equal(run('Deny', { ArnEquals: { 'aws:PrincipalArn': '${aws:PrincipalTag/x}' } }, { ...arn, 'aws:PrincipalTag/x': 'oops' }), X)
  assert.equal(run('Allow', { ArnNotEquals: { 'aws:PrincipalArn': '${aws:PrincipalTag/x}' } }, { ...arn, 'aws:PrincipalTag/x': 'oops' }), D)
  // Request values the operator cannot read count the same way.
  assert.equal(run('Deny', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, ip('garbage')), X)
  assert.equal(run('Deny', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } }, { 'aws:PrincipalArn': 'not-an-arn' }), X)
  assert.equal(run('Deny', { NumericGreaterThan: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:MultiFactorAuthAge': 'soon' }), X)
  assert.equal(run('Allow', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, ip('garbage')), D)
  // Absent keys follow the absent-key rules whatever the values.
  assert.equal(run('Deny', { NumericLessThanIfExists: { 'aws:MultiFactorAuthAge': 'abc' } }, {}), X)
  assert.equal(run('Deny', { NumericLessThan: { 'aws:MultiFactorAuthAge': 'abc' } }, {}), A)
  assert.equal(run('Deny', { NotIpAddress: { 'aws:SourceIp': 'bad' } }, {}), X)
  // Set operators over a multivalued key.
  assert.equal(run('Deny', { 'ForAnyValue:IpAddress': { 'aws:SourceIp': 'bad' } }, ip(['10.0.0.1', '10.0.0.2'])), X)
  assert.equal(run('Allow', { 'ForAllValues:IpAddress': { 'aws:SourceIp': 'bad' } }, ip(['10.0.0.1'])), D)
})
