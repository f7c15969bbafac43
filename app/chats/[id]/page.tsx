import type { Metadata } from 'next';
import { OpenConversation } from './open-conversation';

export const metadata: Metadata = { title: 'Chats' };

export default async function ConversationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <OpenConversation id={id} />;
}
