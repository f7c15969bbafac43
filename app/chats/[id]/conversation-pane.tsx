'use client';
// The open conversation: who it is with (and whether they are typing), the virtualized history
// with day separators, own messages' states, the outbox, and the composer. What is on screen is
// marked read while the tab is visible.
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import { useTranslations } from 'use-intl';
import { Avatar } from '../../_components/avatar';
import { useErrorMessage } from '../../_lib/error-message';
import { displayedParty, sameDay, useDayLabel } from '../../_lib/format';
import { useLiveChannel, useLiveVersion } from '../../_lib/live/live-provider';
import type { SignedInUser } from '../../_lib/types';
import { useTRPCClient } from '../../providers';
import { Composer, useImageSender } from './composer';
import { MessageBubble, type BubbleMessage, type MessageState } from './message-bubble';
import { useConversation } from './use-conversation';

const TYPING_SHOWN_MS = 5_000;

type Item = BubbleMessage & { seq: number | null; retryId: string | null };

export function ConversationPane({ conversationId, user }: { conversationId: number; user: SignedInUser }) {
  const t = useTranslations();
  const errorMessage = useErrorMessage();
  const channel = useLiveChannel();
  useLiveVersion(); // re-render as the outbox changes
  const trpcClient = useTRPCClient();
  const dayLabel = useDayLabel();
  const { state, summary, firstPage, loadOlder } = useConversation(conversationId, user.id);
  const { sendImage, progress, error: uploadError } = useImageSender(conversationId);
  const list = useRef<VirtuosoHandle>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [viewing, setViewing] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const typingUntil = useTypingUntil(conversationId, user.id);

  const items: Item[] = [
    ...state.messages.map((message): Item => {
      const mine = message.senderId === user.id;
      const messageState: MessageState | undefined = mine
        ? message.read || message.seq <= state.peerReadSeq
          ? 'read'
          : message.deliveredAt !== null
            ? 'delivered'
            : 'sent'
        : undefined;
      return { key: message.id.toString(), seq: message.seq, type: message.type, content: message.content, createdAt: message.createdAt, mine, state: messageState, retryId: null };
    }),
    ...channel
      .outboxOf(conversationId)
      .filter((entry) => !state.messages.some((message) => message.id.toString() === entry.id))
      .map((entry): Item => ({ key: entry.id, seq: null, type: entry.type, content: entry.content, createdAt: entry.createdAt, mine: true, state: entry.state, error: entry.error, retryId: entry.id })),
  ];

  useMarkRead(conversationId, user.id, state.messages, atBottom, (seq) => {
    if (!channel.markRead(conversationId, seq)) void trpcClient.conversations.markRead.mutate({ conversationId, uptoSeq: seq }).catch(() => {});
  });

  if (summary.isError || firstPage.isError) {
    const failure = summary.error ?? firstPage.error;
    const missing = (failure as { data?: { code?: string } } | null)?.data?.code === 'NOT_FOUND';
    return (
      <div className="state h-full">
        <p role="alert">{missing ? t('pane.notFound') : errorMessage(failure)}</p>
        <Link className="btn" href="/chats">
          {t('nav.back')}
        </Link>
      </div>
    );
  }

  const party = summary.data ? displayedParty(summary.data, user.id) : null;
  const typing = typingUntil > Date.now();

  return (
    <section
      className="relative flex h-full min-h-0 flex-col"
      aria-label={party?.name ?? t('pane.messages')}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => !event.currentTarget.contains(event.relatedTarget as Node) && setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        const file = Array.from(event.dataTransfer.files)[0];
        if (file) sendImage(file);
      }}
    >
      <header className="flex items-center gap-3 border-b border-line bg-surface px-3 py-2">
        <Link href="/chats" className="btn-icon md:hidden" aria-label={t('nav.back')}>
          <span aria-hidden="true">←</span>
        </Link>
        {party && <Avatar name={party.name} src={party.picture} size={36} />}
        <div className="min-w-0">
          <h2 className="truncate font-semibold">{party?.name ?? t('app.loading')}</h2>
          <p className="truncate text-xs text-muted" aria-live="polite">
            {typing ? t('pane.typing') : party?.viaShop ? t('pane.viaShop', { shop: party.viaShop }) : ''}
          </p>
        </div>
      </header>

      <div role="log" aria-label={t('pane.messages')} className="min-h-0 flex-1">
        {!state.loaded ? (
          <p role="status" className="state h-full">
            {t('pane.loading')}
          </p>
        ) : items.length === 0 ? (
          <p className="state h-full">{t('pane.empty')}</p>
        ) : (
          <Virtuoso
            key={conversationId}
            ref={list}
            className="h-full"
            data={items}
            firstItemIndex={state.firstItemIndex}
            initialTopMostItemIndex={items.length - 1}
            computeItemKey={(_, item) => item.key}
            startReached={() => void loadOlder()}
            followOutput={(bottom) => (bottom ? 'auto' : false)}
            atBottomStateChange={setAtBottom}
            atBottomThreshold={80}
            increaseViewportBy={{ top: 400, bottom: 200 }}
            components={{
              Header: () => (
                // One fixed height whatever it says, so the list below never shifts when it changes.
                <p className="flex h-10 items-center justify-center text-xs text-muted">
                  {state.loadingOlder ? t('pane.loadingOlder') : state.hasOlder ? '' : t('pane.start')}
                </p>
              ),
            }}
            itemContent={(index, item) => {
              const previous = items[index - state.firstItemIndex - 1];
              return (
                <div data-seq={item.seq ?? undefined}>
                  {/* The first loaded message gets a date only at the start of the chat: above a page still to
                      load it would vanish when that page arrives, shifting the view. */}
                  {(previous ? !sameDay(previous.createdAt, item.createdAt) : !state.hasOlder) && (
                    <p className="py-2 text-center text-xs font-medium text-muted" role="separator">
                      {dayLabel(item.createdAt)}
                    </p>
                  )}
                  <MessageBubble message={item} onOpenImage={setViewing} onRetry={() => item.retryId && channel.retry(item.retryId)} />
                </div>
              );
            }}
          />
        )}
      </div>

      {progress !== null && (
        <p role="status" className="border-t border-line bg-surface px-3 py-1 text-sm text-muted">
          {t('composer.uploading', { percent: progress })}
        </p>
      )}
      {uploadError && (
        <p role="alert" className="border-t border-line bg-surface px-3 py-1 text-sm text-danger">
          {uploadError}
        </p>
      )}
      <Composer conversationId={conversationId} userId={user.id} sendImage={sendImage} onSent={() => list.current?.scrollToIndex({ index: 'LAST', behavior: 'auto' })} />

      {dragging && (
        <div className="pointer-events-none absolute inset-0 flex items-center justify-center border-4 border-dashed border-accent bg-accent-soft/80 text-lg font-semibold text-accent-strong">
          {t('composer.dropHere')}
        </div>
      )}
      {viewing && <ImageViewer src={viewing} onClose={() => setViewing(null)} />}
    </section>
  );
}

/** The full view of an image, in a modal dialog (Esc or the button closes it). */
function ImageViewer({ src, onClose }: { src: string; onClose: () => void }) {
  const t = useTranslations('message');
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} onClose={onClose} aria-label={t('image')} className="m-auto max-h-[95dvh] max-w-[95vw] rounded-xl bg-ink/95 p-2 backdrop:bg-ink/70">
      <img src={src} alt={t('image')} className="max-h-[85dvh] max-w-[90vw] object-contain" />
      <form method="dialog" className="mt-2 text-center">
        <button className="btn" autoFocus>
          {t('closeImage')}
        </button>
      </form>
    </dialog>
  );
}

/** Until when the peer is shown typing (each Typing frame extends it). */
function useTypingUntil(conversationId: number, myId: number): number {
  const channel = useLiveChannel();
  const [until, setUntil] = useState(0);
  useEffect(() => {
    setUntil(0);
    return channel.on('typing', (event) => {
      if (event.conversationId !== conversationId || event.userId === myId) return;
      setUntil(Date.now() + TYPING_SHOWN_MS);
    });
  }, [channel, conversationId, myId]);
  // A new message ends the typing; so does time.
  useEffect(() => channel.on('message', (frame) => frame.cId === conversationId && setUntil(0)), [channel, conversationId]);
  useEffect(() => {
    if (until <= Date.now()) return;
    const timer = setTimeout(() => setUntil(0), until - Date.now());
    return () => clearTimeout(timer);
  }, [until]);
  return until;
}

/** Marks the chat read up to its newest message while the reader is at the bottom of a visible tab. */
function useMarkRead(conversationId: number, myId: number, messages: { seq: number; senderId: number }[], atBottom: boolean, markRead: (seq: number) => void) {
  const marked = useRef(0);
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    update();
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  useEffect(() => {
    marked.current = 0;
  }, [conversationId]);
  const newestFromPeer = messages.reduce((seq, message) => (message.senderId !== myId && message.seq > seq ? message.seq : seq), 0);
  useEffect(() => {
    if (!visible || !atBottom || newestFromPeer <= marked.current) return;
    marked.current = newestFromPeer;
    markRead(newestFromPeer);
  }, [visible, atBottom, newestFromPeer, markRead]);
}
