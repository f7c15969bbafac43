// Starts the process: the store (migrated, demo data when empty), then one HTTP server for the
// pages, tRPC, every route handler and the /ws upgrade, then a clean stop on SIGTERM or SIGINT.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { closeStore, openStore, useStore } from './db/client';
import { seedDemoData } from './domain/demo';
import { settings } from './env';
import { answerRoute, loadRoutes, type Route } from './http/routes';
import { CLIENT_IP_HEADER } from './rest/http';
import { createSocketServer } from './ws/socket-server';

const config = settings();
const dev = process.env.NODE_ENV !== 'production';

useStore(openStore(config.dbPath));
if (config.demo) await seedDemoData();

const app = next({ dev, hostname: config.host, port: config.port });
await app.prepare();
const handleRequest = app.getRequestHandler();
const handleNextUpgrade = app.getUpgradeHandler();
/** app/'s route handlers, called here directly: Next's pipeline cost several times their own work. */
const routes = await loadRoutes(fileURLToPath(new URL('../app', import.meta.url)));

/** Route handlers learn the caller's address from the socket, never from what the client claims. */
function stampClientIp(req: IncomingMessage): void {
  req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? '';
}

const liveChannel = createSocketServer({ allowedOrigins: config.allowedOrigins, heartbeatMs: config.wsHeartbeatMs });

/**
 * Paths Next would answer badly: one it cannot percent-decode (`/file/down/%c0%ae`) with a 500, one
 * with a raw backslash, an empty segment (`//`) or a `.` or `..` segment (browsers resolve dot
 * segments before sending) with a redirect to a rewritten path.
 */
function malformedPath(url: string | undefined): boolean {
  const path = (url ?? '/').split('?', 1)[0];
  if (path.includes('\\') || path.includes('//') || /\/\.\.?(\/|$)/.test(path)) return true;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** Set by SIGTERM or SIGINT: the process is stopping. */
let stopping = false;
/** Requests still running this long after the signal are cut off; the store is closed either way. */
const STOP_GRACE_MS = 10_000;
/** Requests being answered, with their connection: a stop closes each connection once its answer is out. */
const inFlight = new Map<ServerResponse, Socket>();

/** The route file serving this request's path, if one does (else Next answers: pages, assets, 404s). */
function routeOf(url: string | undefined): Route | undefined {
  return url?.startsWith('/') ? routes.match(url.split('?', 1)[0]) : undefined;
}

const server = createServer((req, res) => {
  stampClientIp(req);
  if (malformedPath(req.url)) {
    res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: { code: 'BAD_REQUEST', message: 'the path is malformed (bad percent-encoding, a backslash, an empty or a dot segment)' } }));
    return;
  }
  // While stopping, every answer closes its connection: a keep-alive client that keeps its
  // connection busy would otherwise hold the stop until the grace runs out.
  if (stopping) res.setHeader('connection', 'close');
  else {
    inFlight.set(res, req.socket);
    res.once('close', () => inFlight.delete(res));
  }
  const route = routeOf(req.url);
  (route ? answerRoute(route, req, res) : handleRequest(req, res)).catch((error: unknown) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('internal error');
  });
});

server.on('upgrade', (req, socket, head) => {
  stampClientIp(req);
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/ws') liveChannel.handleUpgrade(req, socket, head);
  else handleNextUpgrade(req, socket, head);
});

server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`chat: listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port} (${dev ? 'dev' : 'production'})`);
});

function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`chat: ${signal}, stopping`);
  const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Answers already under way may have promised keep-alive: end their connections once they are
  // out (end, not destroy, so the answer is flushed first), or an idle keep-alive client would hold
  // the stop until its connection times out.
  for (const [res, socket] of inFlight) res.once('finish', () => socket.end());
  // Pending sends are committed and Acked before the sockets close with 1001.
  void Promise.all([httpClosed, liveChannel.shutdown()]).then(() => {
    closeStore();
    process.exit(0);
  });
  setTimeout(() => {
    console.log(`chat: cut off the HTTP requests still running after ${STOP_GRACE_MS / 1000} s`);
    server.closeAllConnections();
  }, STOP_GRACE_MS).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
