import type { Metadata, Viewport } from 'next';
import { cookies, headers } from 'next/headers';
import type { ReactNode } from 'react';
import './globals.css';
import { CATALOGUES, LOCALE_COOKIE, pickLocale } from './_i18n/locale';
import { Providers } from './providers';

export const metadata: Metadata = {
  title: { default: 'Chat', template: '%s · Chat' },
  description: 'Chat one-to-one with people and shops.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#0f766e',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = pickLocale((await cookies()).get(LOCALE_COOKIE)?.value, (await headers()).get('accept-language'));
  return (
    <html lang={locale === 'zh' ? 'zh-CN' : 'en'}>
      <body>
        <Providers locale={locale} messages={CATALOGUES[locale]}>
          {children}
        </Providers>
      </body>
    </html>
  );
}
