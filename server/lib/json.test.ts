import assert from 'node:assert/strict';
import { test } from 'node:test';
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
