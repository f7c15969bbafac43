// The own REST API's error envelope: `{ error: { code, message } }` with the status ERROR_TABLE gives.
import { ZodError } from 'zod';
import { ERROR_TABLE, toDomainError } from '../domain/errors';
import { jsonResponse } from './http';

export function restError(error: unknown): Response {
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const message = issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'bad request';
    return jsonResponse({ error: { code: 'BAD_REQUEST', message } }, 400);
  }
  const domainError = toDomainError(error);
  return jsonResponse(
    { error: { code: domainError.code, message: domainError.message } },
    ERROR_TABLE[domainError.code].http,
  );
}

/** Runs a handler and answers any error in the REST envelope. */
export async function restRoute(handler: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    return restError(error);
  }
}
