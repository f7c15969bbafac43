// What every HTTP face shares: exact-id JSON bodies and answers, the caller's token and address.
import { authenticate } from '../domain/accounts';
import { badRequest, DomainError } from '../domain/errors';
import type { PublicUser } from '../domain/users';
import { parseJson, stringifyJson } from '../lib/json';

export const SESSION_COOKIE = 'chat_session';
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
/** Set by server/main.ts from the socket, replacing whatever a client sent under that name. */
export const CLIENT_IP_HEADER = 'x-chat-client-ip';

export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(stringifyJson(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** The body as text, refusing one larger than `maxBytes` without reading all of it. */
export async function readBodyText(req: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new DomainError('PAYLOAD_TOO_LARGE', `the body must be at most ${maxBytes} bytes`);
  if (!req.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new DomainError('PAYLOAD_TOO_LARGE', `the body must be at most ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A request body's JSON text parsed without losing 64-bit integers; BAD_REQUEST when it is not JSON. */
export function parseJsonBody(text: string): unknown {
  try {
    return parseJson(text);
  } catch {
    throw badRequest('the body is not valid JSON');
  }
}

/** A JSON body parsed without losing 64-bit integers. An empty body is `{}`. */
export async function readJsonBody(req: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const text = await readBodyText(req, maxBytes);
  return text.trim() === '' ? {} : parseJsonBody(text);
}

export function cookieValue(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The caller's token: `Authorization: Bearer …`, else the session cookie. */
export function requestToken(headers: Headers): string | undefined {
  const authorization = headers.get('authorization');
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer ?? cookieValue(headers.get('cookie'), SESSION_COOKIE);
}

export function requestUser(req: Request): PublicUser {
  return authenticate(requestToken(req.headers));
}

export function clientIp(headers: Headers): string | undefined {
  return headers.get(CLIENT_IP_HEADER) ?? undefined;
}

export function sessionCookie(token: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}

export const clearedSessionCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
