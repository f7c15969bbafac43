// Seed 001's errors: a JSON:API `errors` array, `status` as a string (JSON:API says so), the bad
// parameter named in `source.parameter`.
import { ERROR_TABLE, toDomainError } from '../../domain/errors';
import { jsonResponse } from '../../rest/http';
import { ParameterError } from '../paging';

export const JSON_API_MEDIA_TYPE = 'application/vnd.api+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export function jsonApiResponse(document: unknown, status = 200): Response {
  return jsonResponse(document, status, { 'content-type': JSON_API_MEDIA_TYPE });
}

export function jsonApiError(error: unknown): Response {
  const domainError = toDomainError(error);
  const status = ERROR_TABLE[domainError.code].http;
  const item = {
    status: String(status),
    title: TITLES[status] ?? 'Error',
    detail: domainError.message,
    ...(domainError instanceof ParameterError ? { source: { parameter: domainError.parameter } } : {}),
  };
  return jsonApiResponse({ errors: [item] }, status);
}

/** Runs a handler and answers any error as a JSON:API error document. */
export async function jsonApiRoute(handler: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    return jsonApiError(error);
  }
}
