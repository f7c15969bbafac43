'use client';
// The signed-in chat screen: header, the chat list and the open conversation side by side on a
// desktop, one at a time on a phone. The live channel lives here, for both.
import { useParams } from 'next/navigation';
import type { ReactNode } from 'react';
import { useTranslations } from 'use-intl';
import { AppHeader, SignedIn } from '../_components/signed-in';
import { LiveProvider, useConnectionStatus } from '../_lib/live/live-provider';
import { ChatList } from './chat-list';
import { UnreadInTitle } from './unread-in-title';

export function ChatsShell({ children }: { children: ReactNode }) {
  const params = useParams<{ id?: string }>();
  const openId = params.id ? Number(params.id) : null;
  return (
    <SignedIn>
      {(user) => (
        <LiveProvider userId={user.id}>
          <div className="flex h-dvh flex-col">
            <AppHeader user={user} status={<ConnectionBadge />} />
            <div className="flex min-h-0 flex-1">
              <aside className={`min-h-0 w-full flex-col border-line bg-surface md:flex md:w-80 md:border-r lg:w-96 ${openId ? 'hidden' : 'flex'}`}>
                <ChatList user={user} openId={openId} />
              </aside>
              <main className={`min-h-0 min-w-0 flex-1 flex-col bg-canvas md:flex ${openId ? 'flex' : 'hidden'}`}>{children}</main>
            </div>
          </div>
          <UnreadInTitle />
        </LiveProvider>
      )}
    </SignedIn>
  );
}

function ConnectionBadge() {
  const status = useConnectionStatus();
  const t = useTranslations('app');
  if (status === 'online') return null;
  return (
    <span role="status" className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
      {status === 'connecting' ? t('connecting') : t('offline')}
    </span>
  );
}
