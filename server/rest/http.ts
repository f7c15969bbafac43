// What every HTTP face shares: exact-id JSON bodies and answers, the caller's token and address.
import { authenticate } from '../domain/accounts';
import { badRequest, DomainError, forbidden } from '../domain/errors';
import type { PublicUser } from '../domain/users';
import { settings } from '../env';
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

/** Whether a request's body is declared JSON (`application/json`, any parameters). */
export function isJsonContentType(headers: Headers): boolean {
  return (headers.get('content-type') ?? '').split(';', 1)[0].trim().toLowerCase() === 'application/json';
}

/**
 * A JSON body parsed without losing 64-bit integers. An empty body is `{}`. Only a body declared
 * `application/json` is read: text/plain and forms are what another site's page can send without
 * asking (no CORS preflight), so a JSON route refuses them.
 */
export async function readJsonBody(req: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  if (req.headers.has('content-type') && !isJsonContentType(req.headers)) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  }
  const text = await readBodyText(req, maxBytes);
  return text.trim() === '' ? {} : parseJsonBody(text);
}

export function cookieValue(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined; // bad percent-encoding: no token, rather than a 500
      }
    }
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** An origin the app trusts: its own (the Host the request came to) or one CHAT_ALLOWED_ORIGINS names. */
function trustedOrigin(origin: string, headers: Headers): boolean {
  if (settings().allowedOrigins?.includes(origin)) return true;
  try {
    return new URL(origin).host === headers.get('host');
  } catch {
    return false; // "null" (sandboxed frames, file: pages) and anything unparsable
  }
}

/**
 * Whether a browser made this request for a page of another origin. Fetch Metadata says so where
 * browsers send it; else Origin, which every browser sends on a POST. "same-site" is foreign too:
 * another port or subdomain of this host gets SameSite=Lax cookies sent along. A request with
 * neither header comes from a program, which sends no cookie it was not given.
 */
export function fromForeignPage(headers: Headers): boolean {
  const site = headers.get('sec-fetch-site');
  if (site === 'same-origin' || site === 'none') return false;
  const origin = headers.get('origin');
  if (origin === null) return site !== null;
  return !trustedOrigin(origin, headers);
}

/**
 * The caller's token: `Authorization: Bearer …`, else the session cookie. A write that would be
 * authenticated by the cookie alone is refused when another site's page sent it (CSRF); a Bearer
 * token is never added by a browser on its own, so it needs no such check.
 */
export function requestToken(req: { method: string; headers: Headers }): string | undefined {
  const bearer = req.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return bearer;
  const cookie = cookieValue(req.headers.get('cookie'), SESSION_COOKIE);
  if (cookie !== undefined && !SAFE_METHODS.has(req.method.toUpperCase()) && fromForeignPage(req.headers)) {
    throw forbidden('requests from other sites cannot use the session cookie');
  }
  return cookie;
}

export function requestUser(req: Request): PublicUser {
  return authenticate(requestToken(req));
}

export function clientIp(headers: Headers): string | undefined {
  return headers.get(CLIENT_IP_HEADER) ?? undefined;
}

export function sessionCookie(token: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}

export const clearedSessionCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
