// tRPC over HTTP at /api/trpc. Bodies are JSON only and at most MAX_TRPC_BODY_BYTES; refusals are
// answered by tRPC itself (createContext throws), so they come in its error shape.
import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { DomainError, ERROR_TABLE } from '../domain/errors';
import { isJsonContentType, MAX_JSON_BODY_BYTES, readBodyText } from '../rest/http';
import { createContext } from './context';
import { appRouter } from './root';

export const MAX_TRPC_BODY_BYTES = MAX_JSON_BODY_BYTES;
/** The web app batches the few queries of one screen; thousands in one request only multiply the work. */
export const MAX_TRPC_BATCH = 50;

/**
 * The request as tRPC should see it: a POST must be JSON (tRPC would also take multipart and
 * octet-stream, which another site's form can send) and its body is read here under a limit, since
 * the fetch adapter reads any size.
 */
async function checkedRequest(req: Request): Promise<{ request: Request; refusal: TRPCError | null }> {
  if (req.method !== 'POST') return { request: req, refusal: null };
  if (!isJsonContentType(req.headers)) {
    // tRPC refuses text/plain and forms itself; multipart and octet-stream it would take.
    const refusal = new TRPCError({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the body as application/json' });
    return { request: new Request(req.url, { method: 'POST', headers: { 'content-type': 'application/json' } }), refusal };
  }
  try {
    const body = await readBodyText(req, MAX_TRPC_BODY_BYTES);
    const headers = new Headers(req.headers);
    headers.delete('content-length');
    headers.delete('transfer-encoding');
    return { request: new Request(req.url, { method: 'POST', headers, body }), refusal: null };
  } catch (error) {
    return { request: new Request(req.url, { method: 'POST', headers: { 'content-type': 'application/json' } }), refusal: asTrpcError(error) };
  }
}

function asTrpcError(error: unknown): TRPCError {
  if (!(error instanceof DomainError)) throw error;
  return new TRPCError({ code: ERROR_TABLE[error.code].trpc, message: error.message });
}

export async function handleTrpcRequest(req: Request): Promise<Response> {
  const { request, refusal } = await checkedRequest(req);
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    maxBatchSize: MAX_TRPC_BATCH,
    createContext: ({ resHeaders }) => {
      if (refusal) throw refusal;
      try {
        return createContext({ req, resHeaders });
      } catch (error) {
        throw asTrpcError(error); // a cookie sent by another site's page (server/rest/http.ts requestToken)
      }
    },
  });
}
