// Node's IncomingMessage as a Web Request, and a Web Response written to a ServerResponse: what the
// route handlers need, and no more. Bodies stream both ways (uploads, downloads); an answer that
// comes in one piece goes out with its length in one write.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

/** A Host header that is a host name or address with an optional port: nothing that could change the path. */
const HOST = /^([\w.-]+|\[[\d.:a-fA-F]+\])(:\d{1,5})?$/;

/** The request's absolute URL on the host it was sent to; `undefined` when Host is not a host. */
export function requestUrl(req: IncomingMessage): string | undefined {
  const host = req.headers.host ?? '';
  return HOST.test(host) ? `http://${host}${req.url ?? '/'}` : undefined;
}

/**
 * The request body as a Web stream, read from the socket only as the handler reads it (so a
 * handler that refuses a body early does not buffer it). `release` stops it once the answer is
 * known: the bytes still to come are discarded, so the connection stays usable for the next request.
 */
function requestBody(req: IncomingMessage): { body: ReadableStream<Uint8Array>; release: () => void } {
  let controller: ReadableStreamDefaultController<Uint8Array>;
  const onData = (chunk: Buffer) => {
    controller.enqueue(chunk);
    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };
  const onEnd = () => controller.close();
  const onError = (error: Error) => controller.error(error);
  let listening = false;
  const release = () => {
    req.off('data', onData).off('end', onEnd).off('error', onError);
    if (!req.complete) req.resume();
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        if (!listening) {
          listening = true;
          req.on('data', onData).on('end', onEnd).on('error', onError);
        }
        req.resume();
      },
      cancel: release,
    },
    { highWaterMark: 0 },
  );
  return { body, release };
}

/** `req` as the Web Request a route handler takes, and the function that lets go of its body. */
export function webRequest(req: IncomingMessage, url: string): { request: Request; release: () => void } {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.append(name, value);
    else if (value) for (const item of value) headers.append(name, item);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && (req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0);
  if (!hasBody) return { request: new Request(url, { method, headers }), release: () => {} };
  const { body, release } = requestBody(req);
  return { request: new Request(url, { method, headers, body, duplex: 'half' } as RequestInit), release };
}

/** An answer whose body is one string. */
export type TextAnswer = { status: number; headers: Headers; text: string };
/** What a route function with a text form answers: text where it can, else a Response. */
export type RouteAnswer = Response | TextAnswer;
/** A route function that can also answer as text: `answer` is the whole of it, `handler` its Response form. */
export type WithTextForm = ((req: Request) => Promise<Response>) & { answer: (req: Request) => Promise<RouteAnswer> };

/** `answer` as a Response. */
export function asResponse(answer: RouteAnswer): Response {
  return answer instanceof Response ? answer : new Response(answer.text, { status: answer.status, headers: answer.headers });
}

/**
 * A route function from `answer`, which may answer as text for the custom server to write
 * (sendText): a Web Response carries its body as a stream, which costs more than a small
 * answer's own work (an encoded copy, the stream and its reader: ~20 KB per answer). Next and
 * tests call the function and get a Response.
 */
export function withTextForm(answer: (req: Request) => Promise<RouteAnswer>): WithTextForm {
  return Object.assign(async (req: Request) => asResponse(await answer(req)), { answer });
}

/** The head of an answer: `extraHead` (name, value, ...), then each header, each cookie on its own. */
function answerHead(headers: Headers, extraHead: string[]): string[] {
  const head: string[] = [...extraHead];
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') head.push(name, value);
  });
  for (const cookie of headers.getSetCookie()) head.push('set-cookie', cookie);
  return head;
}

/** Writes `answer` to `res` (Node encodes the text into the socket's buffer); without its body when `withBody` is false (HEAD). */
export function sendText(answer: TextAnswer, res: ServerResponse, withBody: boolean, extraHead: string[] = []): void {
  const head = answerHead(answer.headers, extraHead);
  head.push('content-length', String(Buffer.byteLength(answer.text)));
  res.writeHead(answer.status, head).end(withBody ? answer.text : undefined);
}

/** Writes `response` to `res`, with `extraHead` (name, value, ...) added; without its body when `withBody` is false (HEAD). */
export async function sendResponse(response: Response, res: ServerResponse, withBody: boolean, extraHead: string[] = []): Promise<void> {
  const head = answerHead(response.headers, extraHead);
  if (!response.body && response.status !== 204 && response.status !== 304) head.push('content-length', '0');
  if (!response.body || !withBody) {
    void response.body?.cancel();
    res.writeHead(response.status, head).end();
    return;
  }
  const reader = response.body.getReader();
  const first = await reader.read();
  const second = first.done ? first : await reader.read();
  if (second.done) {
    const bytes = first.value ?? new Uint8Array();
    if (!response.headers.has('content-length')) head.push('content-length', String(bytes.byteLength));
    res.writeHead(response.status, head).end(bytes);
    return;
  }
  res.writeHead(response.status, head);
  // pipeline stops reading (and cancels the body, closing e.g. a file) when the client goes away.
  await pipeline(async function* () {
    try {
      yield first.value!;
      yield second.value;
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) yield chunk.value;
    } finally {
      void reader.cancel().catch(() => {});
    }
  }, res).catch((error: unknown) => {
    // A client that leaves mid-body is no fault; a body that fails (a file read) is, and the
    // answer is cut off as it must be once its head is out.
    if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') console.error(error);
  });
}
