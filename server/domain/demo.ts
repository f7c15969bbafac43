// Demo data for an empty store (CHAT_DEMO=1): members, two sellers with shops, and conversations
// in Chinese and English with an image. The README lists the accounts.
import { count } from 'drizzle-orm';
import { db } from '../db/client';
import { users } from '../db/schema';
import { openDirectConversation, openShopConversation } from './conversations';
import { sendMessage } from './messages';
import { createShop } from './shops';
import { createUser, publicUser, type Role } from './users';

export const DEMO_PASSWORD = 'demo-pass-1';

const DEMO_USERS: { username: string; nickname: string; role: Role }[] = [
  { username: 'alice', nickname: 'Alice', role: 'member' },
  { username: 'bob', nickname: 'Bob', role: 'member' },
  { username: 'lilei', nickname: '李雷', role: 'member' },
  { username: 'teahouse', nickname: '清风茶舍店长', role: 'seller' },
  { username: 'booknook', nickname: 'Book Nook Staff', role: 'seller' },
];

/** Fills an empty store; a store that has any user is left alone. */
export async function seedDemoData(): Promise<boolean> {
  if (db().select({ n: count() }).from(users).get()!.n > 0) return false;

  const byName: Record<string, ReturnType<typeof publicUser>> = {};
  for (const user of DEMO_USERS) {
    byName[user.username] = publicUser(await createUser({ ...user, password: DEMO_PASSWORD }));
  }
  const { alice, bob, lilei, teahouse, booknook } = byName;
  createShop(teahouse, { id: 's1001', name: '清风茶舍 Breeze Tea', logo: '/demo/tea.svg' });
  createShop(booknook, { id: 's1002', name: 'Book Nook 书角', logo: '/demo/books.svg' });

  const say = (from: { id: number }, conversationId: number, content: string, type = 'text') =>
    sendMessage({ senderId: from.id, conversationId, type, content });

  const aliceBob = openDirectConversation(alice.id, bob.id);
  say(alice, aliceBob, 'Hi Bob! Are we still on for lunch tomorrow?');
  say(bob, aliceBob, 'Yes! 12:30 at the noodle place 🍜');
  say(alice, aliceBob, '好的，明天见！');
  say(bob, aliceBob, 'Bring the book you mentioned, please.');

  const aliceTea = openShopConversation(alice.id, 's1001');
  say(alice, aliceTea, '您好，请问今年的明前龙井还有货吗？');
  say(teahouse, aliceTea, '有的，新茶刚到，这是今早茶园的照片。');
  say(teahouse, aliceTea, '/demo/tea-field.png', 'image');
  say(alice, aliceTea, 'Lovely! I will take two boxes, please.');

  const lileiBooks = openShopConversation(lilei.id, 's1002');
  say(lilei, lileiBooks, 'Do you ship to Shanghai?');
  say(booknook, lileiBooks, 'Yes, 2–3 days, free shipping. 包邮。');

  const bobLilei = openDirectConversation(bob.id, lilei.id);
  say(bob, bobLilei, '周末一起打球吗？');
  return true;
}
