'use client';
// One message in the pane, shown by its type: text with safe links, images with a full view,
// voice, location, cards and notices; own messages carry their state (sending … read, or failed
// with a retry). Everything a sender wrote is rendered as text: React escapes it, and links and
// sources are only ever http(s) or this site's own paths.
import { useRef, type ReactNode } from 'react';
import { useFormatter, useTranslations } from 'use-intl';

export type MessageState = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export type BubbleMessage = {
  key: string;
  type: string;
  content: string;
  createdAt: number;
  mine: boolean;
  /** Own messages only. */
  state?: MessageState;
  error?: string;
};

/** A URL safe to link or load: http(s) anywhere, or a path on this site. Anything else (javascript:, data:) is not. */
export function safeUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text.startsWith('/') && !text.startsWith('//')) return text;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

const LINK = /https?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:!?)\]}，。！？）]/g;

/** Text with its http(s) links made clickable; every character else stays text. */
function Linkified({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const href = safeUrl(match[0]);
    if (!href) continue;
    parts.push(text.slice(last, match.index));
    parts.push(
      <a key={match.index} href={href} target="_blank" rel="noopener noreferrer nofollow" className="break-all">
        {match[0]}
      </a>,
    );
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

function parseObject(content: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(content) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

function ImageMessage({ src, onOpen }: { src: string | null; onOpen: (src: string) => void }) {
  const t = useTranslations('message');
  if (!src) return <span>[{t('image')}]</span>;
  return (
    <button type="button" className="block cursor-zoom-in overflow-hidden rounded-lg" onClick={() => onOpen(src)} aria-label={t('openImage')}>
      <img src={src} alt={t('image')} loading="lazy" className="max-h-60 max-w-[min(15rem,60vw)] object-cover" />
    </button>
  );
}

function LocationMessage({ content }: { content: string }) {
  const t = useTranslations('message');
  const data = parseObject(content);
  const lat = Number(data?.lat ?? data?.latitude ?? content.split(',')[0]);
  const lng = Number(data?.lng ?? data?.lon ?? data?.longitude ?? content.split(',')[1]);
  const name = text(data?.name ?? data?.poi ?? data?.address ?? data?.title);
  const hasPoint = Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180;
  return (
    <span className="flex flex-col gap-1">
      <span>
        <span aria-hidden="true">📍 </span>
        <span className="sr-only">{t('location')}: </span>
        {name || (hasPoint ? `${lat.toFixed(5)}, ${lng.toFixed(5)}` : content)}
      </span>
      {hasPoint && (
        <a href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=16/${lat}/${lng}`} target="_blank" rel="noopener noreferrer nofollow" className="text-sm">
          {t('openMap')}
        </a>
      )}
    </span>
  );
}

function CardMessage({ content, onOpen }: { content: string; onOpen: (src: string) => void }) {
  const t = useTranslations('message');
  const data = parseObject(content);
  if (!data) return <Linkified text={content} />;
  const image = safeUrl(data.image ?? data.imageUri ?? data.imageUrl);
  const link = safeUrl(data.url ?? data.link);
  const title = text(data.title) || t('card');
  return (
    <span className="flex max-w-64 flex-col gap-1">
      {image && <ImageMessage src={image} onOpen={onOpen} />}
      <span className="font-semibold">{link ? <a href={link} target="_blank" rel="noopener noreferrer nofollow">{title}</a> : title}</span>
      {text(data.content ?? data.description ?? data.desc) && <span className="text-sm text-muted">{text(data.content ?? data.description ?? data.desc)}</span>}
    </span>
  );
}

const NOTICES = new Set(['contact', 'info', 'profile', 'command', 'handshake', 'hangup']);

export function isNotice(type: string): boolean {
  return NOTICES.has(type);
}

/** Notices are not chat lines: a quiet centred line with their message. */
export function NoticeLine({ content }: { content: string }) {
  const t = useTranslations('message');
  const data = parseObject(content);
  const message = text(data?.message ?? data?.content ?? data?.name) || content;
  return (
    <p className="mx-auto my-1 max-w-[80%] rounded-full bg-line/60 px-3 py-1 text-center text-xs text-muted">
      <span className="sr-only">{t('notice')}: </span>
      {message}
    </p>
  );
}

function StateMark({ state, error, onRetry }: { state: MessageState; error?: string; onRetry: () => void }) {
  const t = useTranslations('status');
  const icons: Record<MessageState, string> = { pending: '🕓', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '!' };
  return (
    <span className={`inline-flex items-center gap-1 ${state === 'read' ? 'text-read' : state === 'failed' ? 'text-danger' : ''}`} data-state={state}>
      <span aria-hidden="true">{icons[state]}</span>
      <span>{t(state)}</span>
      {state === 'failed' && (
        <>
          {error && <span className="sr-only">: {error}</span>}
          <button type="button" className="ml-1 font-semibold text-accent underline" onClick={onRetry}>
            {t('retry')}
          </button>
        </>
      )}
    </span>
  );
}

export function MessageBubble({ message, onOpenImage, onRetry }: { message: BubbleMessage; onOpenImage: (src: string) => void; onRetry: () => void }) {
  const format = useFormatter();
  const t = useTranslations('message');
  const audio = useRef<HTMLAudioElement>(null);
  if (isNotice(message.type)) return <NoticeLine content={message.content} />;

  let body: ReactNode;
  switch (message.type) {
    case 'image':
      body = <ImageMessage src={safeUrl(message.content)} onOpen={onOpenImage} />;
      break;
    case 'voice': {
      const src = safeUrl(message.content);
      body = src ? <audio ref={audio} controls preload="none" src={src} aria-label={t('voice')} className="max-w-60" /> : <span>[{t('voice')}]</span>;
      break;
    }
    case 'location':
      body = <LocationMessage content={message.content} />;
      break;
    case 'imgtext':
      body = <CardMessage content={message.content} onOpen={onOpenImage} />;
      break;
    default:
      body = <Linkified text={message.content} />;
  }

  return (
    <div className={`flex flex-col px-3 py-1 ${message.mine ? 'items-end' : 'items-start'}`}>
      <div
        className={`max-w-[85%] rounded-2xl px-3 py-2 break-words whitespace-pre-wrap shadow-sm sm:max-w-[70%] ${message.mine ? 'rounded-br-sm bg-mine' : 'rounded-bl-sm bg-surface'}`}
      >
        {message.mine && <span className="sr-only">{t('you')}: </span>}
        {body}
      </div>
      <p className="mt-0.5 flex gap-2 px-1 text-xs text-muted">
        <time dateTime={new Date(message.createdAt).toISOString()}>{format.dateTime(message.createdAt, { hour: '2-digit', minute: '2-digit' })}</time>
        {message.mine && message.state && <StateMark state={message.state} error={message.error} onRetry={onRetry} />}
      </p>
    </div>
  );
}
