'use client';
import { useQuery } from '@tanstack/react-query';
import { useTranslations } from 'use-intl';
import { useTRPC } from '../../providers';
import { ConversationPane } from './conversation-pane';

/** The pane for the chat in the address, once the signed-in user is known (the shell waits for it). */
export function OpenConversation({ id }: { id: string }) {
  const trpc = useTRPC();
  const t = useTranslations('pane');
  const me = useQuery(trpc.auth.me.queryOptions());
  const conversationId = Number(id);
  if (!Number.isSafeInteger(conversationId) || conversationId <= 0) {
    return (
      <p role="alert" className="state h-full">
        {t('notFound')}
      </p>
    );
  }
  if (!me.data) return null;
  return <ConversationPane key={conversationId} conversationId={conversationId} user={me.data} />;
}
