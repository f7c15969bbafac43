// Turns a failed tRPC call into one sentence a person can act on.
import { TRPCClientError } from '@trpc/client';

const FIELD_LABELS: Record<string, string> = {
  username: 'Username',
  password: 'Password',
  nickname: 'Nickname',
};

type InputIssue = { code: string; path: string[]; minimum?: number; maximum?: number; message: string };

/** Input the server's schema refused, one sentence per issue: "Password must be at least 8 characters." */
function describeInputIssues(issues: InputIssue[]): string {
  return issues
    .map((issue) => {
      const field = issue.path[0] ?? '';
      const label = FIELD_LABELS[field] ?? (field || 'Input');
      if (issue.code === 'too_small' && issue.minimum !== undefined) {
        return issue.minimum <= 1 ? `${label} is required.` : `${label} must be at least ${issue.minimum} characters.`;
      }
      if (issue.code === 'too_big' && issue.maximum !== undefined) {
        return `${label} must be at most ${issue.maximum} characters.`;
      }
      return `${label}: ${issue.message}.`;
    })
    .join(' ');
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    // No data means no answer from the server at all.
    if (!error.data) return 'Could not reach the server. Check your connection and try again.';
    const issues = (error.data as { inputIssues?: InputIssue[] | null }).inputIssues;
    return issues?.length ? describeInputIssues(issues) : sentence(error.message);
  }
  return 'Something went wrong. Please try again.';
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED';
}
