// The route handlers of app/ (every app/**/route.ts), found and matched without Next: the custom
// server answers their paths itself, since Next's request pipeline cost more per request than the
// handlers' own work. The route files stay the one place that says which path runs which function.
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { settings } from '../env';
import { jsonResponse } from '../rest/http';
import { requestUrl, sendResponse, sendText, webRequest, type RouteAnswer, type WithTextForm } from './web-bridge';

export type RouteHandler = (req: Request) => Response | Promise<Response>;

/** The methods a route file may export, as Next reads them. */
const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];
export type RouteModule = Partial<Record<HttpMethod, RouteHandler>>;

/** One route: its path segments (`null` where a `[name]` segment takes any one segment) and its handlers. */
export type Route = { file: string; segments: (string | null)[]; handlers: RouteModule };

/**
 * The path segments a route file serves, from its folder names: `(group)` folders add nothing,
 * `[name]` takes one segment. `undefined` for what is left to Next: catch-alls (`[...name]`,
 * `[[...name]]`), private `_folders` and anything else not plain.
 */
export function routeSegments(file: string): (string | null)[] | undefined {
  const folders = file.split(/[\\/]/).slice(0, -1);
  const segments: (string | null)[] = [];
  for (const folder of folders) {
    if (/^\(.+\)$/.test(folder)) continue;
    if (/^\[[A-Za-z_$][\w$]*\]$/.test(folder)) segments.push(null);
    else if (/^[\w.~-]+$/.test(folder) && !folder.startsWith('_')) segments.push(folder);
    else return undefined;
  }
  return segments;
}

/**
 * Finds the route for a path (its part before `?`, not decoded, as Next matches it). A named
 * segment is preferred to a `[name]` one at the first place they differ, as in Next.
 */
export class RouteTable {
  private readonly exact = new Map<string, Route>();
  private readonly dynamic: Route[] = [];

  constructor(routes: Route[]) {
    for (const route of routes) {
      if (route.segments.includes(null)) this.dynamic.push(route);
      else this.exact.set(`/${route.segments.join('/')}`, route);
    }
    const rank = (route: Route) => route.segments.map((segment) => (segment === null ? '1' : '0')).join('');
    this.dynamic.sort((a, b) => rank(a).localeCompare(rank(b)));
  }

  match(path: string): Route | undefined {
    const exact = this.exact.get(path);
    if (exact) return exact;
    const parts = path.split('/').slice(1);
    return this.dynamic.find(
      (route) => route.segments.length === parts.length && route.segments.every((segment, i) => (segment === null ? parts[i] !== '' : segment === parts[i])),
    );
  }
}

/** Imports every route file under `appDir` (Next's `app/`). */
export async function loadRoutes(appDir: string): Promise<RouteTable> {
  const files = readdirSync(appDir, { recursive: true, encoding: 'utf8' }).filter((file) => /(^|[\\/])route\.tsx?$/.test(file));
  const routes: Route[] = [];
  for (const file of files) {
    const segments = routeSegments(file);
    if (!segments) continue;
    const exports = (await import(pathToFileURL(join(appDir, file)).href)) as Record<string, unknown>;
    const handlers: RouteModule = {};
    for (const method of HTTP_METHODS) {
      if (typeof exports[method] === 'function') handlers[method] = exports[method] as RouteHandler;
    }
    routes.push({ file: file.split(sep).join('/'), segments, handlers });
  }
  return new RouteTable(routes);
}

/** The methods a route answers, as Next lists them in `Allow`: HEAD wherever GET is, OPTIONS always. */
export function allowedMethods(handlers: RouteModule): string {
  const allowed = new Set<string>(['OPTIONS', ...HTTP_METHODS.filter((method) => handlers[method])]);
  if (handlers.GET) allowed.add('HEAD');
  return [...allowed].sort().join(', ');
}

/** The route's function for `method`: its own, or GET for HEAD (the body is dropped when sent). */
export function methodHandler(handlers: RouteModule, method: string): RouteHandler | undefined {
  return handlers[method as HttpMethod] ?? (method === 'HEAD' ? handlers.GET : undefined);
}

/** The answer to a method the route has no function for: the `Allow` list for OPTIONS, else 405 with it. */
export function unhandledMethod(handlers: RouteModule, method: string): Response {
  return new Response(null, { status: method === 'OPTIONS' ? 204 : 405, headers: { allow: allowedMethods(handlers) } });
}

/** Answers `req` with `route`'s function for its method, as Next would (throws what the function throws). */
export async function answerRoute(route: Route, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const method = req.method ?? 'GET';
  const handler = methodHandler(route.handlers, method);
  if (!handler) return sendResponse(unhandledMethod(route.handlers, method), res, true);
  const url = requestUrl(req);
  if (!url) return sendResponse(jsonResponse({ error: { code: 'BAD_REQUEST', message: 'the Host header is malformed' } }, 400), res, true);
  const { request, release } = webRequest(req, url);
  let answer: RouteAnswer;
  try {
    const { answer: answerWithText } = handler as Partial<WithTextForm>;
    answer = await (answerWithText ?? handler)(request);
  } finally {
    release();
  }
  // The handler's time, to tell the server's share of a latency from the network's and the client's.
  const timing = settings().serverTiming ? ['server-timing', `app;dur=${(performance.now() - started).toFixed(3)}`] : [];
  if (!(answer instanceof Response)) return sendText(answer, res, method !== 'HEAD', timing);
  await sendResponse(answer, res, method !== 'HEAD', timing);
}
