import type { Metadata } from 'next';
import { ChatsScreen } from './chats-screen';

export const metadata: Metadata = { title: 'Chats' };

export default function ChatsPage() {
  return <ChatsScreen />;
}
