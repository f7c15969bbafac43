'use client';
// Turns a failed tRPC call into one sentence a person can act on, in their language.
import { TRPCClientError } from '@trpc/client';
import { useTranslations } from 'use-intl';

type InputIssue = { code: string; path: string[]; minimum?: number; maximum?: number; message: string };

const FIELD_KEYS = { username: 'username', password: 'password', nickname: 'nickname' } as const;

function sentence(text: string): string {
  const trimmed = text.trim();
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?。！？]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

export function useErrorMessage(): (error: unknown) => string {
  const t = useTranslations('errors');
  const fields = useTranslations('auth');
  return (error) => {
    if (!(error instanceof TRPCClientError)) return t('generic');
    // No data means no answer from the server at all.
    if (!error.data) return t('network');
    const issues = (error.data as { inputIssues?: InputIssue[] | null }).inputIssues;
    if (!issues?.length) return sentence(error.message);
    return issues
      .map((issue) => {
        const key = FIELD_KEYS[issue.path[0] as keyof typeof FIELD_KEYS];
        const field = key ? fields(key).replace(/[（(].*[)）]/, '').trim() : issue.path.join('.') || 'Input';
        if (issue.code === 'too_small' && issue.minimum !== undefined) {
          return issue.minimum <= 1 ? t('required', { field }) : t('tooShort', { field, minimum: issue.minimum });
        }
        if (issue.code === 'too_big' && issue.maximum !== undefined) return t('tooLong', { field, maximum: issue.maximum });
        return `${field}: ${sentence(issue.message)}`;
      })
      .join(' ');
  };
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED';
}
