'use client';
// How the app puts a message and a time into a few words, in the reader's language.
import { useFormatter, useTranslations } from 'use-intl';
import type { ConversationSummary } from './types';

const PREVIEW_KEYS = ['image', 'voice', 'imgtext', 'location', 'contact'] as const;

/** Text as written; every other type as a bracketed word ("[图片]" / "[Image]"), since its content is a URL or data. */
export function useMessagePreview(): (message: { type: string; content: string }) => string {
  const t = useTranslations('preview');
  return (message) => {
    if (message.type === 'text') return message.content;
    const key = PREVIEW_KEYS.find((type) => type === message.type);
    return key ? t(key) : t('notice');
  };
}

const ONE_DAY_MS = 24 * 3600 * 1000;

function startOfDay(epochMs: number): number {
  const date = new Date(epochMs);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Today: the time; yesterday: "Yesterday"; this week: the weekday; before: the date. */
export function useListTime(): (epochMs: number) => string {
  const format = useFormatter();
  const t = useTranslations('pane');
  return (epochMs) => {
    const today = startOfDay(Date.now());
    if (epochMs >= today) return format.dateTime(epochMs, { hour: '2-digit', minute: '2-digit' });
    if (epochMs >= today - ONE_DAY_MS) return t('yesterday');
    if (epochMs >= today - 6 * ONE_DAY_MS) return format.dateTime(epochMs, { weekday: 'short' });
    if (new Date(epochMs).getFullYear() === new Date().getFullYear()) return format.dateTime(epochMs, { month: 'short', day: 'numeric' });
    return format.dateTime(epochMs, { year: 'numeric', month: 'short', day: 'numeric' });
  };
}

/** The label of a day separator in a conversation. */
export function useDayLabel(): (epochMs: number) => string {
  const format = useFormatter();
  const t = useTranslations('pane');
  return (epochMs) => {
    const today = startOfDay(Date.now());
    const day = startOfDay(epochMs);
    if (day === today) return t('today');
    if (day === today - ONE_DAY_MS) return t('yesterday');
    return format.dateTime(epochMs, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
  };
}

export function sameDay(a: number, b: number): boolean {
  return startOfDay(a) === startOfDay(b);
}

/**
 * Who a chat is with, as this user sees it: a member sees a shop chat under the shop's name and
 * logo; the seller sees the member, with the shop named beside (they may run several).
 */
export function displayedParty(conversation: ConversationSummary, myId: number) {
  const { shop, peer } = conversation;
  if (shop && shop.sellerId !== myId) return { name: shop.name, picture: shop.logo, viaShop: null };
  return { name: peer.nickname, picture: peer.avatar, viaShop: shop?.name ?? null };
}
