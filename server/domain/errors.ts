// The domain throws DomainError with a code; every transport maps the code through ERROR_TABLE,
// so a rule broken anywhere gets the same status in every face.
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

export type ErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'BANNED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL';

type ErrorMapping = {
  http: number;
  trpc: TRPC_ERROR_CODE_KEY;
  /** Seed 002: the `code` inside its `{msg, code}` body. */
  seed002: number;
  /** Seed 004 (PhalApi): the `ret` value. */
  seed004: number;
};

export const ERROR_TABLE: Record<ErrorCode, ErrorMapping> = {
  BAD_REQUEST: { http: 400, trpc: 'BAD_REQUEST', seed002: 400, seed004: 400 },
  UNAUTHORIZED: { http: 401, trpc: 'UNAUTHORIZED', seed002: 401, seed004: 406 },
  BANNED: { http: 403, trpc: 'FORBIDDEN', seed002: 403, seed004: 408 },
  FORBIDDEN: { http: 403, trpc: 'FORBIDDEN', seed002: 403, seed004: 400 },
  NOT_FOUND: { http: 404, trpc: 'NOT_FOUND', seed002: 404, seed004: 400 },
  CONFLICT: { http: 409, trpc: 'CONFLICT', seed002: 400, seed004: 400 },
  PAYLOAD_TOO_LARGE: { http: 413, trpc: 'PAYLOAD_TOO_LARGE', seed002: 400, seed004: 400 },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, trpc: 'UNSUPPORTED_MEDIA_TYPE', seed002: 400, seed004: 400 },
  TOO_MANY_REQUESTS: { http: 429, trpc: 'TOO_MANY_REQUESTS', seed002: 400, seed004: 400 },
  INTERNAL: { http: 500, trpc: 'INTERNAL_SERVER_ERROR', seed002: 500, seed004: 500 },
};

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badRequest = (message: string) => new DomainError('BAD_REQUEST', message);
export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);
export const notFound = (message: string) => new DomainError('NOT_FOUND', message);

/** Any thrown value as a DomainError; unknown faults become INTERNAL without leaking their text. */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  console.error(error);
  return new DomainError('INTERNAL', 'internal error');
}
