'use client';
// What a list shows while its query loads or after it failed: a status line, or the error with a
// way to try again. Renders nothing once there is data.
import { useTranslations } from 'use-intl';
import { useErrorMessage } from '../_lib/error-message';

type QueryLike = { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };

export function QueryState({ query, loading, className = 'state' }: { query: QueryLike; loading: string; className?: string }) {
  const t = useTranslations('app');
  const errorMessage = useErrorMessage();
  if (query.isError) {
    return (
      <div className={className}>
        <p role="alert">{errorMessage(query.error)}</p>
        <button type="button" className="btn" onClick={() => query.refetch()}>
          {t('retry')}
        </button>
      </div>
    );
  }
  if (query.isPending) {
    return (
      <p role="status" className={className}>
        {loading}
      </p>
    );
  }
  return null;
}
