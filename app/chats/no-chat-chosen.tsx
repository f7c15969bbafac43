'use client';
import Link from 'next/link';
import { useTranslations } from 'use-intl';

export function NoChatChosen() {
  const t = useTranslations();
  return (
    <div className="state h-full">
      <p className="text-lg font-semibold text-ink">{t('pane.choose')}</p>
      <p>{t('pane.chooseHint')}</p>
      <Link className="btn" href="/shops">
        {t('list.findShops')}
      </Link>
    </div>
  );
}
