'use client';
// The shop list: every shop with its logo and name; "Chat" starts the member's chat with the shop
// (or resumes it: there is one per member and shop) and opens it.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'use-intl';
import { Avatar } from '../_components/avatar';
import { QueryState } from '../_components/query-state';
import { AppHeader, SignedIn } from '../_components/signed-in';
import { useErrorMessage } from '../_lib/error-message';
import type { Shop, SignedInUser } from '../_lib/types';
import { useTRPC } from '../providers';

export function ShopsScreen() {
  return (
    <SignedIn>
      {(user) => (
        <div className="flex min-h-dvh flex-col">
          <AppHeader user={user} />
          <main className="mx-auto w-full max-w-2xl flex-1 p-3">
            <ShopList user={user} />
          </main>
        </div>
      )}
    </SignedIn>
  );
}

function ShopList({ user }: { user: SignedInUser }) {
  const trpc = useTRPC();
  const t = useTranslations();
  const shops = useQuery(trpc.shops.list.queryOptions());
  return (
    <section className="rounded-xl border border-line bg-surface">
      <h1 className="border-b border-line px-4 py-3 text-lg font-semibold">{t('shops.title')}</h1>
      {!shops.data ? (
        <QueryState query={shops} loading={t('shops.loading')} />
      ) : shops.data.length === 0 ? (
        <p className="state">{t('shops.empty')}</p>
      ) : (
        <ul aria-label={t('shops.label')}>
          {shops.data.map((shop) => (
            <ShopRow key={shop.id} shop={shop} mine={shop.sellerId === user.id} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ShopRow({ shop, mine }: { shop: Shop; mine: boolean }) {
  const trpc = useTRPC();
  const t = useTranslations('shops');
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const open = useMutation(trpc.conversations.openWithShop.mutationOptions({ onSuccess: (chat) => router.push(`/chats/${chat.id}`) }));
  return (
    <li className="flex items-center gap-3 border-b border-line/60 px-4 py-3 last:border-b-0">
      <Avatar name={shop.name} src={shop.logo} />
      <span className="min-w-0 flex-1">
        <span className="block truncate font-medium">{shop.name}</span>
        {open.isError && (
          <span role="alert" className="block text-sm text-danger">
            {errorMessage(open.error)}
          </span>
        )}
      </span>
      {mine ? (
        <span className="text-sm text-muted">{t('yours')}</span>
      ) : (
        <button type="button" className="btn btn-primary" disabled={open.isPending} onClick={() => open.mutate({ shopId: shop.id })} aria-label={`${t('chat')}: ${shop.name}`}>
          {open.isPending ? t('opening') : t('chat')}
        </button>
      )}
    </li>
  );
}
