// PhalApi's envelope: `{ret, data, msg}`, always with HTTP 200 (PhalApi leaves the status alone
// unless a project opts in; its clients read `ret`). Errors keep the seed's codes in `ret` and
// answer `data: {}` (PhalApi turns an empty array into an object).
import { ERROR_TABLE, toDomainError } from '../../domain/errors';
import { jsonResponse } from '../../rest/http';

/** An answer PhalApi itself gives, with a `ret` the domain's codes do not carry (404: no such service). */
export class PhalApiException extends Error {
  constructor(
    readonly ret: number,
    message: string,
  ) {
    super(message);
  }
}

export function okResponse(data: unknown): Response {
  return jsonResponse({ ret: 200, data, msg: '' });
}

export function errorResponse(error: unknown): Response {
  if (error instanceof PhalApiException) return jsonResponse({ ret: error.ret, data: {}, msg: error.message });
  const domainError = toDomainError(error);
  const ret = ERROR_TABLE[domainError.code].seed004;
  // PhalApi's BadRequestException prefixes its message so; a fault's own text is never shown.
  const msg = ret === 500 ? 'Internal Server Error' : ret === 400 ? `Bad Request: ${domainError.message}` : domainError.message;
  return jsonResponse({ ret, data: {}, msg });
}
