// One message, every face: written through seed 003, it is announced on the event bus (what the
// live channel pushes) and listed by seeds 000, 001, 002 and 004 and by tRPC; a read made through
// one face shows in the others.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { chatWindows } from '@/server/compat/seed000/chat';
import { dialogList } from '@/server/compat/seed001/dialogs';
import { chatList, clearUnread } from '@/server/compat/seed002/http';
import { chatRecordCreate, chatRecordList } from '@/server/compat/seed003/records';
import { platform } from '@/server/compat/seed004/platform';
import { conversationHistory } from '@/server/domain/messages';
import { events, type ChatEvents } from '@/server/domain/events';
import { createShop } from '@/server/domain/shops';
import { parseJson } from '@/server/lib/json';
import { makeUserWithToken, useFreshStore } from '@/server/test-support';

beforeEach(() => {
  useFreshStore();
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function read(response: Response | Promise<Response>): Promise<any> {
  const r = await response;
  const text = await r.text();
  assert.ok(r.status < 300 || text.includes('"ret":200'), `${r.status} ${text}`);
  return parseJson(text);
}

test('a record written through seed 003 reaches the seller live and is listed by every other face', async () => {
  const member = await makeUserWithToken('member', 'Mei');
  const seller = await makeUserWithToken('seller', 'Tea shop owner');
  createShop(seller.user, { id: 's1001', name: 'Breeze Tea' });

  const announced: ChatEvents['message'][] = [];
  const off = events().on('message', (event) => announced.push(event));
  const form = new URLSearchParams({ memberId: String(member.user.id), sellerId: 's1001', messageType: 'RC:TxtMsg', cnt: '请问有龙井吗？' });
  try {
    const created = await read(
      chatRecordCreate(new Request('http://t/chat-records/create', { method: 'POST', headers: { ...auth(member.token), 'content-type': 'application/x-www-form-urlencoded' }, body: form })),
    );
    assert.equal(created.result, 'success');
  } finally {
    off();
  }
  assert.equal(announced.length, 1, 'the live channel is told once');
  const message = announced[0].message;
  assert.equal(message.recipientId, seller.user.id, 'it is addressed to the shop’s seller');
  assert.equal(announced[0].shopId, 's1001');
  const id = message.id;

  const records = await read(chatRecordList(new Request(`http://t/chat-records/list?memberId=${member.user.id}&sellerId=s1001`, { headers: auth(seller.token) })));
  assert.deepEqual(records.items.map((item: any) => [item.id, item.cnt, item.messageType]), [[id, '请问有龙井吗？', 'RC:TxtMsg']]);

  const windows = await read(chatWindows(new Request('http://t/api/chat?type=unread', { headers: auth(seller.token) })));
  assert.equal(windows.data.list.length, 1);
  assert.deepEqual(windows.data.list[0].messages.map((m: any) => [m.id, m.message, m.fromId]), [[id, '请问有龙井吗？', member.user.id]]);

  const dialogs = await read(dialogList(new Request('http://t/api/dialog?include=dialogMessage', { headers: auth(seller.token) })));
  assert.equal(dialogs.data[0].attributes.dialog_message_id, id);
  assert.equal(dialogs.included.find((r: any) => r.type === 'dialog_message').attributes.message_text, '请问有龙井吗？');

  const chats = await read(chatList(new Request('http://t/im/user/chat/list', { method: 'POST', headers: { ...auth(seller.token), 'content-type': 'application/json' }, body: JSON.stringify({ userId: seller.user.id }) })));
  assert.deepEqual([chats[0].lastMsgId.id, chats[0].unReadCount, chats[0].fromUserId], [id, 1, member.user.id]);

  const platformAnswer = await read(
    platform(new Request(`http://t/api/platform?s=Platform.ChatMessage.GetMessageList&access_token=${seller.token}&chat_message_to_uuid=${member.user.uuid}`)),
  );
  assert.deepEqual(platformAnswer.data.items.map((item: any) => [item.id, item.chat_message_data, item.chat_message_io]), [[id, '请问有龙井吗？', 'out']]);

  assert.deepEqual(conversationHistory(seller.user.id, message.conversationId).messages.map((m) => m.id), [id], 'and the web app’s history');

  // The seller reads it through seed 002: every face shows it read, and the member is told.
  const reads: ChatEvents['read'][] = [];
  const offRead = events().on('read', (event) => reads.push(event));
  try {
    await clearUnread(new Request('http://t/im/user/chat/clear/unread', { method: 'POST', headers: { ...auth(seller.token), 'content-type': 'application/json' }, body: JSON.stringify({ id: message.conversationId }) }));
  } finally {
    offRead();
  }
  assert.deepEqual(reads.map((r) => [r.readerId, r.peerId]), [[seller.user.id, member.user.id]]);
  const afterRead = await read(chatWindows(new Request('http://t/api/chat?type=all', { headers: auth(member.token) })));
  assert.equal(afterRead.data.list[0].messages[0].status, true);
  const unreadNow = await read(chatWindows(new Request('http://t/api/chat?type=unread', { headers: auth(seller.token) })));
  assert.equal(unreadNow.data.total, 0);
  const platformRead = await read(
    platform(new Request(`http://t/api/platform?s=Platform.ChatMessage.GetMessageList&access_token=${member.token}&chat_message_to_uuid=${seller.user.uuid}`)),
  );
  assert.equal(platformRead.data.items[0].chat_message_is_read, 1);
  assert.equal(platformRead.data.items[0].chat_message_io, 'in');
});
