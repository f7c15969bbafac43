// The fast writer of superjson's format: the browser's superjson reads back exactly what was sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import superjson from 'superjson';
import { serializeOutput } from './transformer';

/** What the adapter sends: the writer's result as JSON text. */
const wire = (value: unknown) => JSON.stringify(serializeOutput(value));
const readBack = (value: unknown) => superjson.deserialize(JSON.parse(wire(value)));

// What procedures answer (rows with bigint ids, dates, optional fields), and things only superjson writes.
const leaf = fc.oneof(
  fc.string(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.date({ noInvalidDate: true }),
  fc.constant(new Map([[1, 2]])),
  fc.constant(new Set(['a'])),
);
// superjson refuses these keys (prototype pollution); so does this writer, by handing them to it.
// Keys a path escapes, and keys JavaScript orders before the others (array indices, not "01").
const key = fc
  .oneof(fc.string(), fc.constantFrom('a.b', 'a\\b', '"q"', 'line\nbreak', '0', '7', '01', '4294967294', '4294967295'))
  .filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node')), fc.dictionary(key, tie('node'), { noNullPrototype: true })),
})).node;

test('any answer reads back as it was, and is superjson’s own text where no bigint repeats', () => {
  fc.assert(
    fc.property(tree, (value) => {
      assert.deepEqual(readBack(value), value);
      const bigints = JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))?.match(/-?\d+n/g) ?? [];
      // The same text, keys in the same order.
      if (new Set(bigints).size === bigints.length) assert.equal(wire(value), JSON.stringify(superjson.serialize(value)));
    }),
    { numRuns: 500 },
  );
});

test('a 64-bit id stays exact, and an object met twice keeps its shared identity', () => {
  const page = { messages: [{ id: 2128453612685230082n, at: new Date(0), clientId: undefined }], 'a.b': [1n, 1n] };
  assert.deepEqual(readBack(page), page);
  const shared = { name: 'Bob' };
  const back = readBack([shared, shared]) as object[];
  assert.equal(back[0], back[1]);
});

test('paths are listed in superjson’s order and escaping: integer keys first at every level, dots and quotes escaped', () => {
  const cases: unknown[] = [
    [{ sentAt: undefined }, 1n, { at: new Date(0) }, 2n],
    { later: 1n, 7: 2n, '01': 3n, nested: { 0: undefined } },
    { 'a.b': 1n, 'a\\b': { 'c"d': 2n }, 'line\nbreak': undefined },
    // Below the root, an annotated value under an index key comes before the paths into the
    // objects beside it (superjson gathers them in an object per level, integer keys first).
    [[[{ '': undefined }, 0n]]],
    { chat: { 1: { at: new Date(0) }, 2: 2n, later: 3n } },
  ];
  for (const value of cases) assert.equal(wire(value), JSON.stringify(superjson.serialize(value)));
});
