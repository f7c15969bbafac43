'use client';
// Chinese or English: follows the browser until the person picks one here (kept in a cookie).
import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'use-intl';
import { LOCALE_COOKIE } from '../_i18n/locale';

export function LanguageSwitch() {
  const locale = useLocale();
  const router = useRouter();
  const t = useTranslations('app');
  return (
    <label className="inline-flex items-center gap-1 text-sm text-muted">
      <span className="sr-only">{t('language')}</span>
      <select
        className="rounded-md border border-line bg-surface px-2 py-1 text-sm text-ink"
        value={locale}
        onChange={(event) => {
          document.cookie = `${LOCALE_COOKIE}=${event.target.value}; path=/; max-age=31536000; samesite=lax`;
          router.refresh();
        }}
      >
        <option value="en" lang="en">
          English
        </option>
        <option value="zh" lang="zh-CN">
          中文
        </option>
      </select>
    </label>
  );
}
