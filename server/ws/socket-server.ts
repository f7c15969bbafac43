// The `ws` binding of the live channel: takes /ws upgrades (refusing foreign browser origins),
// feeds each socket's frames to its session, pings to find dead peers, and stops cleanly.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { cookieValue, SESSION_COOKIE } from '../rest/http';
import { Gateway } from './gateway';
import { LIMITS } from './protocol';

export type SocketServerOptions = {
  /** Browser origins allowed to connect; undefined: the origin of the host the request names. */
  allowedOrigins: string[] | undefined;
  /** The server pings every socket this often; one that has not answered the previous ping is dropped. */
  heartbeatMs: number;
  /** A socket that has not authenticated by then is closed with 4001 (tests shorten it). */
  authTimeoutMs?: number;
};

export type SocketServer = {
  gateway: Gateway;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Commits and Acks what is pending, closes every socket with 1001, and resolves when they are gone. */
  shutdown(): Promise<void>;
};

/** Clients that send no Origin (programs, not browsers) are allowed; browsers only from the allowed origins. */
export function originAllowed(req: IncomingMessage, allowedOrigins: string[] | undefined): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowedOrigins) return allowedOrigins.includes(origin);
  const host = req.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

/**
 * `text` as one unmasked, final text frame (RFC 6455 section 5.2), written to the socket by the
 * session's peer. ws.send writes the header and the text as two writes under a cork, which Node
 * buffers and hands to writev: more objects and work per frame on the message path than one
 * buffer written at once. Only the send of text frames is taken over (the server negotiates no
 * compression, so ws never queues frames of its own); ws still reads, pings and closes.
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const headLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headLength + length);
  frame[0] = 0x81;
  if (headLength === 2) frame[1] = length;
  else if (headLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, headLength);
  return frame;
}

/** A heartbeat pings this many slices of the sockets, one after the other. */
const HEARTBEAT_SLICES = 20;

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`);
}

export function createSocketServer(options: SocketServerOptions): SocketServer {
  const gateway = new Gateway({ authTimeoutMs: options.authTimeoutMs ?? LIMITS.authTimeoutMs });
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.hardMaxFrameBytes, perMessageDeflate: false });
  const answeredPing = new WeakMap<WebSocket, boolean>();
  let stopping = false;

  // Each socket is pinged once per heartbeat, but a slice of them at a time: pinging 10,000 sockets
  // in one turn (and reading their 10,000 pongs) would stall every message for a few hundred ms.
  let round: WebSocket[] = [];
  let slice = 0;
  const heartbeat = setInterval(() => {
    if (slice === 0) round = [...wss.clients];
    const from = Math.floor((round.length * slice) / HEARTBEAT_SLICES);
    const to = Math.floor((round.length * (slice + 1)) / HEARTBEAT_SLICES);
    for (let i = from; i < to; i++) {
      const ws = round[i];
      if (ws.readyState !== ws.OPEN) continue;
      if (answeredPing.get(ws) === false) {
        ws.terminate();
        continue;
      }
      answeredPing.set(ws, false);
      ws.ping();
    }
    slice = (slice + 1) % HEARTBEAT_SLICES;
  }, options.heartbeatMs / HEARTBEAT_SLICES);
  heartbeat.unref();

  // The same text often goes to several sockets in a row (a user's devices, both sides of a read):
  // it is framed once. Node never changes a buffer it was given to write, so sockets can share it.
  let lastText = '';
  let lastFrame = textFrame('');
  const framed = (text: string) => (text === lastText ? lastFrame : ((lastText = text), (lastFrame = textFrame(text))));

  function accept(ws: WebSocket, req: IncomingMessage, socket: Duplex): void {
    const session = gateway.connect(
      {
        send: (text, written) => {
          // After a close frame (either side's) nothing more may be sent; ws.send drops it the same way.
          if (ws.readyState !== ws.OPEN) return void (written && process.nextTick(written, new Error('the socket is closing')));
          socket.write(framed(text), written);
        },
        close: (code, reason) => ws.close(code, reason),
        terminate: () => ws.terminate(),
        get bufferedAmount() {
          return ws.bufferedAmount;
        },
        get isOpen() {
          return ws.readyState === ws.OPEN;
        },
      },
      cookieValue(req.headers.cookie ?? null, SESSION_COOKIE) ?? null,
    );
    answeredPing.set(ws, true);
    ws.on('pong', () => answeredPing.set(ws, true));
    ws.on('message', (data, isBinary) => session.receive(data as Buffer, isBinary));
    ws.on('close', () => session.closed());
    // Protocol errors (a frame over maxPayload, bad UTF-8) close the socket with their code; nothing to add.
    ws.on('error', () => {});
  }

  return {
    gateway,
    handleUpgrade(req, socket, head) {
      if (stopping) return refuse(socket, 503, 'Service Unavailable');
      if (!originAllowed(req, options.allowedOrigins)) return refuse(socket, 403, 'Forbidden: origin not allowed');
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req, socket));
    },
    async shutdown() {
      stopping = true;
      clearInterval(heartbeat);
      gateway.shutdown();
      // Clients answer the close frame at once; one that does not is cut off after 2 s.
      const deadline = Date.now() + 2_000;
      while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
