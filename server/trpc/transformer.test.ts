// The fast writer of superjson's format: the browser's superjson reads back exactly what was sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import superjson from 'superjson';
import { serializeOutput } from './transformer';

const readBack = (value: unknown) => superjson.deserialize(JSON.parse(JSON.stringify(serializeOutput(value))));

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
const key = fc.string().filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node')), fc.dictionary(key, tie('node'), { noNullPrototype: true })),
})).node;

test('any answer reads back as it was, and matches superjson’s own output where no bigint repeats', () => {
  fc.assert(
    fc.property(tree, (value) => {
      assert.deepEqual(readBack(value), value);
      const bigints = JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))?.match(/-?\d+n/g) ?? [];
      if (new Set(bigints).size === bigints.length) assert.deepEqual(serializeOutput(value), superjson.serialize(value));
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
