// Seed 000's error envelope: the HTTP status doubles as `code`, and `data` is null.
import { ERROR_TABLE, toDomainError } from '../../domain/errors';
import { jsonResponse } from '../../rest/http';

export function seed000Error(error: unknown): Response {
  const domainError = toDomainError(error);
  const status = ERROR_TABLE[domainError.code].http;
  return jsonResponse({ code: status, msg: domainError.message, data: null }, status);
}

/** Runs a handler and answers any error in seed 000's envelope. */
export async function seed000Route(handler: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    return seed000Error(error);
  }
}
