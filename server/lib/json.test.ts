import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseJson, stringifyJson } from './json';

test('integers beyond 2^53 parse to exact BigInts; safe numbers stay numbers', () => {
  const parsed = parseJson('{"id":1268242042090295297,"max":9223372036854775807,"n":12,"f":1.5,"s":"1268242042090295297"}');
  assert.deepEqual(parsed, { id: 1268242042090295297n, max: 9223372036854775807n, n: 12, f: 1.5, s: '1268242042090295297' });
});

test('BigInts print as bare digits, never quoted or rounded', () => {
  assert.equal(stringifyJson({ id: 1268242042090295297n, list: [2n ** 63n - 1n] }), '{"id":1268242042090295297,"list":[9223372036854775807]}');
});

test('a JSON round trip keeps every digit', () => {
  const text = '{"content":"{\\"srcId\\":1268242042090295297}","id":1268242042090295299}';
  assert.equal(stringifyJson(parseJson(text)), text);
});

test('malformed JSON is an error, not a guess', () => {
  assert.throws(() => parseJson('{"id": 1268242042090295297,'));
  assert.throws(() => parseJson('{"id": }'));
});

test('digits inside strings stay strings, escaped quotes included, and no string can pass for an integer', () => {
  const text = '{"a":"say \\"1268242042090295297\\" twice","b":"\\u0000int:00:1268242042090295297","c":[1268242042090295297,-9223372036854775808,1e300,0.5]}';
  assert.deepEqual(parseJson(text), {
    a: 'say "1268242042090295297" twice',
    b: '\u0000int:00:1268242042090295297',
    c: [1268242042090295297n, -9223372036854775808n, 1e300, 0.5],
  });
});

test('undefined fields are left out and toJSON is honoured, as JSON.stringify does', () => {
  assert.equal(stringifyJson({ a: undefined, b: [undefined], d: new Date(0), s: 'é"\n' }), '{"b":[null],"d":"1970-01-01T00:00:00.000Z","s":"é\\"\\n"}');
});

test('only well-formed integer tokens outside strings become BigInts', () => {
  // Backslashes before a quote: an even run ends the string, an odd run escapes the quote.
  assert.deepEqual(parseJson('["\\\\",1268242042090295297,"\\\\\\"1268242042090295297"]'), ['\\', 1268242042090295297n, '\\"1268242042090295297']);
  // Floats and exponents with many digits stay numbers.
  assert.deepEqual(parseJson('[1.2345678901234567890,12345678901234567e3,-1268242042090295297]'), [1.2345678901234568, 1.2345678901234567e19, -1268242042090295297n]);
  assert.deepEqual(parseJson('{"a":{"b":[{"c":9223372036854775807}]},"1":"x"}'), { a: { b: [{ c: 9223372036854775807n }] }, 1: 'x' });
});

test('JSON that only marking could make valid is still refused', () => {
  assert.throws(() => parseJson('{1268242042090295297:1}'));
  assert.throws(() => parseJson('{"a":1,1268242042090295297 \n:1}'));
  assert.throws(() => parseJson('[01268242042090295297]'));
  assert.throws(() => parseJson('[-01268242042090295297]'));
  assert.throws(() => parseJson('["1268242042090295297]'));
});

/** A parsed value with its BigInts rounded to numbers: what JSON.parse reads from the same text. */
const rounded = (value: unknown): unknown =>
  typeof value === 'bigint'
    ? Number(value)
    : Array.isArray(value)
      ? value.map(rounded)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rounded(item)]))
        : value;

const bigInts = (value: unknown): bigint[] =>
  typeof value === 'bigint' ? [value] : typeof value === 'object' && value !== null ? Object.values(value).flatMap(bigInts) : [];

test('any text parses where JSON.parse parses it, to the same value with exact integers, and is refused where it is refused', () => {
  const piece = fc.constantFrom('{', '}', '[', ']', ':', ',', ' ', '\n', '"', '\\', '"k"', 'a', '1268242042090295297', '-9223372036854775808', '01268242042090295297', '12345678901234567e3', '1.5', '7', 'true', 'null');
  // Valid JSON with long integers (printed by stringifyJson), with a piece sometimes put in it.
  const longInteger = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n });
  const valid = fc
    .jsonValue()
    .chain((value) => fc.tuple(fc.constant(value), fc.array(longInteger, { maxLength: 3 })))
    .map(([value, integers]) => stringifyJson({ value, integers, nested: [{ id: integers[0] }] }));
  const text = fc.oneof(
    fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('')),
    valid,
    fc.tuple(valid, piece, fc.nat()).map(([json, inserted, at]) => json.slice(0, at % (json.length + 1)) + inserted + json.slice(at % (json.length + 1))),
  );
  fc.assert(
    fc.property(text, (candidate) => {
      let expected: unknown;
      try {
        expected = JSON.parse(candidate);
      } catch {
        assert.throws(() => parseJson(candidate), `accepted ${candidate}`);
        return;
      }
      const parsed = parseJson(candidate);
      assert.deepEqual(rounded(parsed), expected);
      // Exact: every BigInt read is an integer token of the text, digit for digit.
      for (const integer of bigInts(parsed)) assert.ok(new RegExp(`(^|[^\\d])${integer}($|[^\\d.eE])`).test(candidate), `${integer} is not in ${candidate}`);
    }),
    { numRuns: 3000 },
  );
});

test('printing matches JSON.stringify wherever no BigInt is involved', () => {
  const value = { 'a b': 1, 'é': [true, false, null, NaN, Infinity, -0, 1e21, 0.1], nested: { '"q"': '\u2028\u0000' }, f: () => 1, [Symbol('s')]: 1 };
  assert.equal(stringifyJson(value), JSON.stringify(value));
  // Keys recur in every element of a list (their written form is kept): the same text each time.
  const list = [value, value, JSON.parse('{"__proto__": {"a b": 2}}')];
  assert.equal(stringifyJson(list), JSON.stringify(list));
  assert.equal(stringifyJson(undefined), 'null');
});
