// The Query input parser does work linear in its input, counted (not timed): each parameter is looked at a
// bounded number of times (the model's depth), and a list longer than its maximum is refused before any member
// is parsed. The inputs (15k ContextEntries, 10k tags) are the cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { services } from '../../src/aws/model.js';
import { parseInput, MAX_UNBOUNDED_LIST } from '../../src/aws/query.js';
import type { ServiceError } from '../../src/errors.js';

const { iam } = services;

function simulateParams(entries: number, valuesPerEntry = 2): Map<string, string> {
  const p = new Map([['Action', 'SimulateCustomPolicy'], ['Version', '2010-05-08'],
    ['PolicyInputList.member.1', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'],
    ['ActionNames.member.1', 'iam:ListUsers']]);
  for (let i = 1; i <= entries; i++) {
    p.set(`ContextEntries.member.${i}.ContextKeyName`, `aws:key${i}`);
    p.set(`ContextEntries.member.${i}.ContextKeyType`, 'string');
    for (let j = 1; j <= valuesPerEntry; j++) p.set(`ContextEntries.member.${i}.ContextKeyValues.member.${j}`, `v${j}`);
  }
  return p;
}

/** The parsed input, as the tests read it: members by name. */
type Input = Record<string, unknown>;

function parse(op: string, params: Map<string, string>) {
  const stats = { visits: 0 };
  let error: ServiceError | null = null;
  let input: Input | null = null;
  // parseInput's input is the operation's members by name; what it throws is the wire's ServiceError (AwsError)
  const operation = iam.operations[op];
  if (!operation) throw new Error(`no operation ${op} in the IAM model`);
  try { input = parseInput(iam, operation, params, stats) as Input; } catch (e) { error = e as ServiceError; }
  return { input, error, visits: stats.visits };
}

test('the parsed structure is what the flat parameters say, members in index order', () => {
  const params = simulateParams(2);
  params.set('ContextEntries.member.3.ContextKeyName', 'aws:third');
  params.set('ContextEntries.member.3.ContextKeyType', 'stringList');
  params.set('ContextEntries.member.3.ContextKeyValues.member.2', 'b');
  params.set('ContextEntries.member.3.ContextKeyValues.member.1', 'a');
  const { input, error } = parse('SimulateCustomPolicy', params);
  assert.equal(error, null);
  assert.deepEqual(input?.['ActionNames'], ['iam:ListUsers']);
  assert.deepEqual(input?.['ContextEntries'], [
    { ContextKeyName: 'aws:key1', ContextKeyType: 'string', ContextKeyValues: ['v1', 'v2'] },
    { ContextKeyName: 'aws:key2', ContextKeyType: 'string', ContextKeyValues: ['v1', 'v2'] },
    { ContextKeyName: 'aws:third', ContextKeyType: 'stringList', ContextKeyValues: ['a', 'b'] },
  ]);
});

test('work grows linearly with the input: equal steps of input add equal work, a few visits per parameter', () => {
  const v = (n: number) => parse('SimulateCustomPolicy', simulateParams(n)).visits;
  const [v0, v400, v800] = [v(0), v(400), v(800)];
  assert.equal(v800 - v400, v400 - v0, 'each 400 entries cost the same, wherever they are added');
  const params = simulateParams(800).size;
  // ContextEntries.member.N.ContextKeyValues.member.M is five levels deep: a parameter is looked at once per level
  // (a list's members are counted while they are grouped).
  assert.ok(v800 <= 5 * params, `${v800} visits for ${params} parameters`);
  assert.equal(parse('SimulateCustomPolicy', simulateParams(MAX_UNBOUNDED_LIST)).error, null, 'the cap itself is accepted');
});

test('15,000 ContextEntries (the issue\'s 818 KB request) are refused before any entry is parsed', () => {
  const params = simulateParams(15_000);
  const { error, visits } = parse('SimulateCustomPolicy', params);
  assert.equal(error?.code, 'ValidationError');
  assert.equal(error?.message, `1 validation error detected: Value '[15000 items]' at 'contextEntries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_UNBOUNDED_LIST}`);
  // Three passes over the parameters (all names; the names under ContextEntries; the full count for the message),
  // plus the names of the first 1,001 members, grouped until the maximum was passed. No entry's own members are
  // grouped or parsed: that would be a fourth pass.
  assert.ok(visits <= 3 * params.size + 4 * (MAX_UNBOUNDED_LIST + 1), `${visits} visits for ${params.size} parameters`);
});

test('CreateUser with 10,000 tags is refused at the model\'s 50 before any tag is parsed', () => {
  const params = new Map([['UserName', 'tagged']]);
  for (let i = 1; i <= 10_000; i++) { params.set(`Tags.member.${i}.Key`, `k${i}`); params.set(`Tags.member.${i}.Value`, 'v'); }
  const { error, visits } = parse('CreateUser', params);
  assert.equal(error?.code, 'ValidationError');
  assert.match(error?.message ?? '', /Value '\[10000 items\]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/);
  assert.ok(visits <= 3 * params.size + 2 * 51, `${visits} visits for ${params.size} parameters`);
});

test('a NUL (or another control character) in any string member is a ValidationError, pattern or not', () => {
  // policyDescriptionType has no pattern in the model; userNameType has one.
  const nul = parse('CreatePolicy', new Map([['PolicyName', 'p'], ['PolicyDocument', '{}'], ['Description', 'a\u0000b']]));
  assert.equal(nul.error?.code, 'ValidationError');
  assert.equal(nul.error?.message, "1 validation error detected: Value 'a\\u0000b' at 'description' failed to satisfy constraint: Member must not contain control characters other than tab, line feed and carriage return");
  const bell = parse('CreatePolicy', new Map([['PolicyName', 'p'], ['PolicyDocument', '{}'], ['Description', 'ring\u0007']]));
  assert.equal(bell.error?.code, 'ValidationError');
  const name = parse('CreateUser', new Map([['UserName', 'a\u0000']]));
  assert.match(name.error?.message ?? '', /Value 'a\\u0000' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  const ok = parse('CreatePolicy', new Map([['PolicyName', 'p'], ['PolicyDocument', '{}'], ['Description', 'tab\tnew\nline\r']]));
  assert.equal(ok.error, null);
});

test('string lengths count code points, as AWS does', () => {
  const astral = '\u{1F600}'.repeat(64); // 64 code points, 128 UTF-16 units
  const r = parse('CreatePolicy', new Map([['PolicyName', 'p'], ['PolicyDocument', '{}'], ['Description', astral.repeat(15) + '\u{1F600}'.repeat(40)]]));
  assert.equal(r.error, null, '1000 code points fit policyDescriptionType (max 1000)');
  const over = parse('CreatePolicy', new Map([['PolicyName', 'p'], ['PolicyDocument', '{}'], ['Description', `${astral.repeat(15)}${'\u{1F600}'.repeat(41)}`]]));
  assert.match(over.error?.message ?? '', /Member must have length less than or equal to 1000/);
});

test('parseForm lists exactly what URLSearchParams lists, in order', async () => {
  const { parseForm } = await import('../../src/aws/query.js');
  const samples = [
    'Action=ListUsers&Version=2010-05-08',
    'a=1&a=2&b=%E0%A4%A&c+d=e+f&&=x&__proto__=1&x=%2B%25&y=a=b&z&',
    '%%%', '\u0000\u0001binary', '&&&==', 'k=%F0%9F%98%80%20%zz', '=', '', 'a==&=&b',
    new URLSearchParams({ 'PolicyInputList.member.1': '{"Statement":[{"Action":"*","Resource":"arn:aws:iam::*:user/ü"}]}', Tag: 'x y+z&w=1' }).toString(),
  ];
  for (const s of samples) {
    const ours: [string, string][] = [];
    parseForm(s, (k: string, v: string) => ours.push([k, v]));
    assert.deepEqual(ours, [...new URLSearchParams(s)], JSON.stringify(s));
  }
});

test('parseForm scans each character a bounded number of times, whatever the mix of pairs with and without "="', async () => {
  const { parseForm } = await import('../../src/aws/query.js');
  for (const body of [`${'a&'.repeat(100_000)}z=1`, `${'a=1&'.repeat(50_000)}`, `${'=&'.repeat(100_000)}`, 'x'.repeat(200_000)]) {
    const stats = { scanned: 0 };
    let pairs = 0;
    parseForm(body, () => { pairs++; }, stats);
    assert.ok(stats.scanned <= 2 * body.length, `${stats.scanned} characters scanned for ${body.length}`);
    assert.ok(pairs > 0);
  }
});
