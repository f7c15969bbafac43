// How list rows put a message and a time into a few words.
import type { ConversationSummary } from './types';

type LastMessage = NonNullable<ConversationSummary['lastMessage']>;

const NON_TEXT_PREVIEWS: Record<string, string> = {
  image: '[Image]',
  voice: '[Voice]',
  imgtext: '[Card]',
  location: '[Location]',
  contact: '[Contact]',
};

/** Text as written; every other type as a bracketed word, since its content is a URL or data. */
export function messagePreview(message: LastMessage): string {
  if (message.type === 'text') return message.content;
  return NON_TEXT_PREVIEWS[message.type] ?? '[Notice]';
}

const ONE_DAY_MS = 24 * 3600 * 1000;

/** Today: the time; this week: the weekday; this year: the date; before: the date with the year. */
export function formatListTime(epochMs: number, now = new Date()): string {
  const date = new Date(epochMs);
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  if (epochMs >= startOfToday) return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (epochMs >= startOfToday - 6 * ONE_DAY_MS) return date.toLocaleDateString(undefined, { weekday: 'short' });
  if (date.getFullYear() === now.getFullYear()) {
    return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  }
  return date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}
