'use client';
// The chat list: pinned first, then the latest activity; filter by name (and by shop, for a
// seller); pin and hide. The live channel refreshes it, so new messages move chats to the top.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useTranslations } from 'use-intl';
import { Avatar } from '../_components/avatar';
import { QueryState } from '../_components/query-state';
import { displayedParty, useListTime, useMessagePreview } from '../_lib/format';
import type { ConversationSummary, SignedInUser } from '../_lib/types';
import { useTRPC } from '../providers';

export function ChatList({ user, openId }: { user: SignedInUser; openId: number | null }) {
  const trpc = useTRPC();
  const t = useTranslations();
  const [query, setQuery] = useState('');
  const [shopId, setShopId] = useState<string | null>(null);
  const conversations = useQuery(trpc.conversations.list.queryOptions());
  const myShops = useQuery({ ...trpc.shops.mine.queryOptions(), enabled: user.role === 'seller' });

  const needle = query.trim().toLowerCase();
  const shown = (conversations.data ?? []).filter((conversation) => {
    if (shopId && conversation.shop?.id !== shopId) return false;
    if (!needle) return true;
    const { name, viaShop } = displayedParty(conversation, user.id);
    return `${name} ${viaShop ?? ''} ${conversation.peer.username}`.toLowerCase().includes(needle);
  });

  return (
    <>
      <div className="flex flex-col gap-2 border-b border-line p-3">
        <div className="flex items-center justify-between gap-2">
          <h1 className="text-lg font-semibold">{t('list.title')}</h1>
          <NotificationToggle />
        </div>
        <label className="block">
          <span className="sr-only">{t('list.search')}</span>
          <input className="field-input" type="search" placeholder={t('list.search')} value={query} onChange={(event) => setQuery(event.target.value)} />
        </label>
        {myShops.data && myShops.data.length > 0 && (
          <div role="group" aria-label={t('list.shopFilter')} className="flex flex-wrap gap-1">
            {[{ id: null, name: t('list.allShops') }, ...myShops.data].map((shop) => (
              <button
                key={shop.id ?? 'all'}
                type="button"
                aria-pressed={shopId === shop.id}
                onClick={() => setShopId(shop.id)}
                className={`rounded-full border px-3 py-1 text-sm ${shopId === shop.id ? 'border-accent bg-accent-soft text-accent-strong' : 'border-line text-muted hover:text-ink'}`}
              >
                {shop.name}
              </button>
            ))}
          </div>
        )}
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {!conversations.data ? (
          <QueryState query={conversations} loading={t('list.loading')} />
        ) : conversations.data.length === 0 ? (
          <div className="state">
            <p className="font-semibold text-ink">{t('list.emptyTitle')}</p>
            <p>{t('list.emptyHint')}</p>
            <Link className="btn" href="/shops">
              {t('list.findShops')}
            </Link>
          </div>
        ) : shown.length === 0 ? (
          <p className="state">{t('list.noMatch', { query })}</p>
        ) : (
          <ul aria-label={t('list.label')}>
            {shown.map((conversation) => (
              <ConversationRow key={conversation.id} conversation={conversation} myId={user.id} open={conversation.id === openId} />
            ))}
          </ul>
        )}
      </div>
    </>
  );
}

function ConversationRow({ conversation, myId, open }: { conversation: ConversationSummary; myId: number; open: boolean }) {
  const t = useTranslations('list');
  const preview = useMessagePreview();
  const listTime = useListTime();
  const { name, picture, viaShop } = displayedParty(conversation, myId);
  const { lastMessage, unread, pinned } = conversation;
  const time = lastMessage?.createdAt ?? conversation.updatedAt;

  return (
    <li className={`group relative border-b border-line/60 ${open ? 'bg-accent-soft' : 'hover:bg-canvas'}`}>
      <Link
        href={`/chats/${conversation.id}`}
        aria-current={open ? 'page' : undefined}
        className="flex items-center gap-3 py-3 pr-12 pl-3 text-ink no-underline"
      >
        <Avatar name={name} src={picture} />
        <span className="min-w-0 flex-1">
          <span className="flex items-baseline gap-2">
            <span className="min-w-0 flex-1 truncate font-medium">
              {name}
              {viaShop && <span className="ml-2 rounded bg-canvas px-1.5 py-0.5 text-xs text-muted">{viaShop}</span>}
            </span>
            <time className="shrink-0 text-xs text-muted" dateTime={new Date(time).toISOString()}>
              {listTime(time)}
            </time>
          </span>
          <span className="mt-0.5 flex items-center gap-2">
            <span className="min-w-0 flex-1 truncate text-sm text-muted">
              {lastMessage ? (
                <>
                  {lastMessage.senderId === myId && t('you')}
                  {preview(lastMessage)}
                </>
              ) : (
                t('noMessages')
              )}
            </span>
            {pinned && (
              <span className="text-xs text-muted" title={t('pinned')}>
                <span aria-hidden="true">📌</span>
                <span className="sr-only">{t('pinned')}</span>
              </span>
            )}
            {unread > 0 && (
              <span className="min-w-5 rounded-full bg-badge px-1.5 text-center text-xs font-semibold text-white">
                <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
                <span className="sr-only">{t('unread', { count: unread })}</span>
              </span>
            )}
          </span>
        </span>
      </Link>
      <RowActions conversation={conversation} name={name} />
    </li>
  );
}

/** Pin or hide, behind a small menu button at the row's end. */
function RowActions({ conversation, name }: { conversation: ConversationSummary; name: string }) {
  const trpc = useTRPC();
  const t = useTranslations('list');
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.conversations.list.queryKey() });
  const pin = useMutation(trpc.conversations.setPinned.mutationOptions({ onSuccess: refresh }));
  const hide = useMutation(trpc.conversations.hide.mutationOptions({ onSuccess: refresh }));
  const menuId = `chat-actions-${conversation.id}`;

  return (
    <div className="absolute top-2 right-1" onBlur={(event) => !event.currentTarget.contains(event.relatedTarget) && setOpen(false)}>
      <button type="button" className="btn-icon" aria-label={t('actions', { name })} aria-expanded={open} aria-controls={menuId} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">⋯</span>
      </button>
      {open && (
        <div id={menuId} className="absolute right-0 z-10 flex w-36 flex-col rounded-lg border border-line bg-surface py-1 shadow-lg">
          <button
            type="button"
            className="px-3 py-2 text-left text-sm hover:bg-canvas"
            onClick={() => {
              setOpen(false);
              pin.mutate({ conversationId: conversation.id, pinned: !conversation.pinned });
            }}
          >
            {conversation.pinned ? t('unpin') : t('pin')}
          </button>
          <button
            type="button"
            className="px-3 py-2 text-left text-sm hover:bg-canvas"
            onClick={() => {
              setOpen(false);
              hide.mutate({ conversationId: conversation.id });
            }}
          >
            {t('hide')}
          </button>
        </div>
      )}
    </div>
  );
}

/** Asks once, on a click, whether new messages may show as browser notifications while the tab is hidden. */
function NotificationToggle() {
  const t = useTranslations('notify');
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>('unsupported');
  useEffect(() => setPermission(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission), []);
  if (permission === 'unsupported' || permission === 'denied') return null;
  if (permission === 'granted') return <span className="text-xs text-muted">{t('enabled')}</span>;
  return (
    <button type="button" className="btn min-h-8 px-3 py-1" onClick={() => void Notification.requestPermission().then(setPermission)}>
      {t('enable')}
    </button>
  );
}
