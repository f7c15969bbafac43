'use client';
// While the tab is hidden: the unread count in its title, and (when the person allowed it) a
// browser notification for each new message.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslations } from 'use-intl';
import { useLiveChannel } from '../_lib/live/live-provider';
import { useTRPC } from '../providers';

export function UnreadInTitle() {
  const trpc = useTRPC();
  const channel = useLiveChannel();
  const t = useTranslations();
  const conversations = useQuery(trpc.conversations.list.queryOptions());
  const unread = (conversations.data ?? []).reduce((sum, conversation) => sum + conversation.unread, 0);
  const baseTitle = useRef<string | null>(null);

  useEffect(() => {
    const show = () => {
      baseTitle.current ??= document.title.replace(/^\(\d+\+?\) /, '');
      document.title = document.hidden && unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${baseTitle.current}` : baseTitle.current;
    };
    show();
    document.addEventListener('visibilitychange', show);
    return () => document.removeEventListener('visibilitychange', show);
  }, [unread]);

  useEffect(
    () =>
      channel.on('message', (frame) => {
        if (!document.hidden || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
        const chat = conversations.data?.find((conversation) => conversation.id === frame.cId);
        const name = chat?.shop?.name ?? chat?.peer.nickname ?? t('app.name');
        new Notification(t('notify.newMessage', { name }), { body: frame.msgType === 'Text' ? String(frame.content).slice(0, 120) : undefined, tag: `chat-${frame.cId}` });
      }),
    [channel, conversations.data, t],
  );
  return null;
}
