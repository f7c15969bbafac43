'use client';
// The end of the sign-in and sign-up forms: the server's refusal, if any, and the submit button.
import { useErrorMessage } from '../_lib/error-message';

export function AuthSubmit({ action, label, pendingLabel }: { action: { isPending: boolean; isError: boolean; error: unknown }; label: string; pendingLabel: string }) {
  const errorMessage = useErrorMessage();
  return (
    <>
      {action.isError && (
        <p className="text-sm text-danger" role="alert">
          {errorMessage(action.error)}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={action.isPending}>
        {action.isPending ? pendingLabel : label}
      </button>
    </>
  );
}
