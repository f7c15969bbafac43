import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJson, stringifyJson } from '../lib/json';
import { ackFrameText, messageFrameText } from './protocol';

test('the Ack and message frames written as text are the JSON a client parses back, ids digit for digit', () => {
  const ack = parseJson(ackFrameText(7000000000000000001n, 9223372036854775807n)) as Record<string, unknown>;
  assert.deepEqual(ack, { id: 7000000000000000001n, chatType: 'Single', msgType: 'Ack', content: '{"srcId":9223372036854775807}' });
  assert.deepEqual(parseJson(ack.content as string), { srcId: 9223372036854775807n });

  const content = 'say "hi"\\ \n\t\u2028 \u0000 </script> 你好 😀';
  const message = { id: 1268242042090295297n, conversationId: 7, seq: 42, senderId: 3, recipientId: 4, type: 'image' as const, content, createdAt: 1700000000123, deliveredAt: null };
  const text = messageFrameText(message);
  assert.deepEqual(parseJson(text), {
    id: 1268242042090295297n, fromUserId: 3, toUserId: 4, chatType: 'Single', msgType: 'Image', content, timestamp: 1700000000123, cId: 7, seq: 42,
  });
  assert.equal(text, stringifyJson(parseJson(text)));
});
