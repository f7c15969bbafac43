// Which language a request gets: the one the person chose (a cookie), else the browser's first
// preference between the two we have.
import { en, type Messages } from './en';
import { zh } from './zh';

export const LOCALES = ['en', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_COOKIE = 'chat_locale';

export const CATALOGUES: Record<Locale, Messages> = { en, zh };

export function pickLocale(cookie: string | undefined, acceptLanguage: string | null): Locale {
  if (cookie === 'en' || cookie === 'zh') return cookie;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0].trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
