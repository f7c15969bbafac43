import assert from 'node:assert/strict';
import { test } from 'node:test';
import superjson from 'superjson';
import { serialize } from './transformer';

const id = 1268242042090295297n;

// What the browser receives must not change: the same JSON text superjson would have sent.
const samples: Record<string, unknown> = {
  'a chat list': [
    { id: 1, peer: { id: 2, nickname: '李雷' }, lastMessage: { id, content: 'hi' }, shop: null, pinned: true, unread: 0 },
    { id: 3, peer: { id: 4, nickname: 'Bob' }, lastMessage: null, shop: { id: 's1001' }, pinned: false, unread: 2 },
  ],
  'a history page': { messages: [{ id, seq: 1 }, { id: id + 1n, seq: 2 }], hasMore: false },
  'no bigint at all': { ok: true, list: [], nested: { a: [1, 'two', null] } },
  'a bare bigint': id,
  'a null-prototype object': Object.assign(Object.create(null), { id }),
  'undefined fields': { a: undefined, b: [undefined], id },
  'a date': { at: new Date(0), id },
  'NaN, Infinity and -0': [NaN, Infinity, -0, id],
  'an object reached twice': (() => {
    const peer = { id: 2 };
    return [{ peer, id }, { peer }];
  })(),
  'keys superjson escapes': { 'a.b': id, 'c\\d': { id } },
  'a map and a set': { m: new Map([[1, id]]), s: new Set([id]) },
  'nothing': undefined,
};

for (const [name, value] of Object.entries(samples)) {
  test(`tRPC answers ${name} exactly as superjson writes it, and superjson reads it back`, () => {
    const ours = serialize(value);
    const theirs = superjson.serialize(value);
    assert.equal(JSON.stringify(ours), JSON.stringify(theirs));
    const read = (payload: unknown) => superjson.deserialize(JSON.parse(JSON.stringify(payload)));
    assert.deepEqual(read(ours), read(theirs));
  });
}

test('the prototype-pollution keys superjson refuses are still refused', () => {
  const value = JSON.parse('{"__proto__": {"x": 1}}');
  assert.throws(() => superjson.serialize(value));
  assert.throws(() => serialize(value));
});
