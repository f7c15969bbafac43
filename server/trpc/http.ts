// tRPC over HTTP at /api/trpc. Bodies are JSON only and at most MAX_TRPC_BODY_BYTES; refusals are
// answered by tRPC itself (createContext throws), so they come in its error shape. Well-formed GET
// queries (the web app's reads) are answered without tRPC's fetch adapter, as it would answer them
// (see answerQueriesAsText); everything else goes through the adapter.
import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, transformTRPCResponse, TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { getHTTPStatusCode } from '@trpc/server/http';
import { DomainError, ERROR_TABLE } from '../domain/errors';
import { withTextForm, type TextAnswer } from '../http/web-bridge';
import { isJsonContentType, MAX_JSON_BODY_BYTES, readBodyText } from '../rest/http';
import { createContext, type Context } from './context';
import { appRouter } from './root';
import { transformer } from './transformer';

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

const ENDPOINT = '/api/trpc';

type QueryCall = { path: string; input: unknown };
type ProcedureEntry = { _def: { type: 'query' | 'mutation' | 'subscription' } };
const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureEntry | undefined>;

/** A request for tRPC's streamed answer: `trpc-accept` set, or `application/jsonl` among what `accept` lists (as tRPC reads it). */
const asksForStream = (headers: Headers) =>
  headers.has('trpc-accept') || (headers.get('accept') ?? '').split(',').some((type) => type.trim() === 'application/jsonl');

/**
 * The procedures and inputs of a GET request naming only queries, with inputs that parse, read as
 * tRPC's adapter reads them (`batch=1` with `input={"0":…}`, else one `input`); `undefined` for
 * anything else (a mutation, a subscription or an unknown path, bad JSON, a streamed answer, too
 * large a batch), which the adapter then answers with its own refusal.
 */
function queryCalls(req: Request): { calls: QueryCall[]; isBatch: boolean } | undefined {
  if (req.method !== 'GET' || asksForStream(req.headers)) return undefined;
  if (req.headers.has('content-type') && !isJsonContentType(req.headers)) return undefined;
  const url = new URL(req.url);
  if (!url.pathname.startsWith(`${ENDPOINT}/`)) return undefined;
  try {
    const isBatch = url.searchParams.get('batch') === '1';
    const path = decodeURIComponent(url.pathname.slice(ENDPOINT.length + 1));
    const paths = isBatch ? path.split(',') : [path];
    if (paths.length > MAX_TRPC_BATCH || paths.some((path) => procedures[path]?._def.type !== 'query')) return undefined;
    const query = url.searchParams.get('input');
    const inputs: unknown = query ? JSON.parse(query) : undefined;
    if (isBatch && inputs !== undefined && (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))) return undefined;
    const calls = paths.map((path, index) => {
      const raw = isBatch ? (inputs as Record<string, unknown> | undefined)?.[index] : inputs;
      return { path, input: raw === undefined ? undefined : transformer.input.deserialize(raw as never) };
    });
    return { calls, isBatch };
  } catch {
    return undefined;
  }
}

/**
 * Answers a GET request for queries by calling the procedures with the pieces tRPC's adapters are
 * built from (callTRPCProcedure, getErrorShape, transformTRPCResponse, getHTTPStatusCode): the same
 * body, status and headers as the fetch adapter (server/trpc/http.test.ts compares them). Why not
 * the adapter: it makes five AbortSignals per request, and on Node 20 signals tied together by
 * AbortSignal.any outlive young-generation collections, so each scavenge (which runs between two
 * requests) moved ~260 KB of them to the old generation and took 1.6 ms instead of 1.2; history
 * p99 was 2.6-3.0 ms, now 2.2-2.3 (5 s runs over HTTP on bench/depth.ts's store).
 * `undefined` when the request is not one it answers (see queryCalls). The answer comes as text,
 * which the custom server writes to the socket itself (server/http/routes.ts).
 */
export async function answerQueriesAsText(req: Request): Promise<TextAnswer | undefined> {
  const parsed = queryCalls(req);
  if (!parsed) return undefined;
  const headers = new Headers([['vary', 'trpc-accept, accept'], ['content-type', 'application/json']]);
  let ctx: Context;
  try {
    ctx = createContext({ req, resHeaders: headers });
  } catch {
    return undefined; // the adapter answers the refusal in its shape
  }
  const config = appRouter._def._config;
  const answers = await Promise.all(
    parsed.calls.map(async ({ path, input }, batchIndex) => {
      try {
        const data: unknown = await callTRPCProcedure({ router: appRouter, path, getRawInput: async () => input, ctx, type: 'query', signal: undefined, batchIndex });
        return { result: { data } };
      } catch (cause) {
        return { error: getErrorShape({ config, ctx, error: getTRPCErrorFromUnknown(cause), input, path, type: 'query' }) };
      }
    }),
  );
  const body = parsed.isBatch ? answers : answers[0];
  return { status: getHTTPStatusCode(body as never), headers, text: JSON.stringify(transformTRPCResponse(config, body as never)) };
}

/** /api/trpc: GET queries answered as text, everything else by tRPC's adapter. */
export const handleTrpcRequest = withTextForm(async (req) => (await answerQueriesAsText(req)) ?? answerWithAdapter(req));

/** The request answered by tRPC's fetch adapter. */
export async function answerWithAdapter(req: Request): Promise<Response> {
  const { request, refusal } = await checkedRequest(req);
  return fetchRequestHandler({
    endpoint: ENDPOINT,
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
