import type { Metadata } from 'next';
import { NoChatChosen } from './no-chat-chosen';

export const metadata: Metadata = { title: 'Chats' };

export default function ChatsPage() {
  return <NoChatChosen />;
}
