// A test client for /ws: connects over real TCP, keeps every frame it receives (parsed without
// losing 64-bit ids), and waits for the frames a test expects.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { parseJson, stringifyJson } from '@/server/lib/json';
import { createSocketServer, type SocketServer, type SocketServerOptions } from '@/server/ws/socket-server';

export type Frame = Record<string, any>;

export class SocketClient {
  readonly frames: Frame[] = [];
  closeCode: number | null = null;
  closeReason = '';
  private waiters: (() => void)[] = [];
  readonly opened: Promise<void>;
  readonly closedPromise: Promise<number>;

  constructor(
    url: string,
    readonly ws: WebSocket = new WebSocket(url),
  ) {
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    this.closedPromise = new Promise((resolve) =>
      ws.once('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve(code);
        this.wake();
      }),
    );
    ws.on('message', (data) => {
      this.frames.push(parseJson(data.toString()) as Frame);
      this.wake();
    });
    ws.on('error', () => {});
  }

  send(frame: Frame | string): void {
    this.ws.send(typeof frame === 'string' ? frame : stringifyJson(frame));
  }

  /** Resolves with the first frame (from `from` on) that `match` accepts. */
  async next(match: (frame: Frame) => boolean, timeoutMs = 5_000, from = 0): Promise<Frame> {
    await this.waitFor(() => this.frames.slice(from).some(match), timeoutMs, 'a matching frame');
    return this.frames.slice(from).find(match)!;
  }

  /** Waits until `condition` holds (checked after every frame, on close, and every 25 ms for conditions on the store). */
  async waitFor(condition: () => boolean, timeoutMs = 5_000, what = 'a condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; last frames: ${stringifyJson(this.frames.slice(-3))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 25));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  ofType(msgType: string): Frame[] {
    return this.frames.filter((frame) => frame.msgType === msgType);
  }

  async closed(timeoutMs = 5_000): Promise<number> {
    await this.waitFor(() => this.closeCode !== null, timeoutMs, 'the socket to close');
    return this.closeCode!;
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Connects and authenticates; resolves once the server said `Auth ok`. */
/** `extra` fields go into the Auth frame (e.g. `receipts: true`). */
export async function signedInClient(url: string, userId: number, token: string, extra: Record<string, unknown> = {}): Promise<SocketClient> {
  const client = new SocketClient(url);
  await client.opened;
  client.send({ msgType: 'Auth', fromUserId: userId, content: token, ...extra });
  await client.next((frame) => frame.msgType === 'Auth' && frame.content === 'ok');
  return client;
}

/** /ws on a plain HTTP server on 127.0.0.1 (no Next), over the store the test set up. */
export async function startGateway(options: Partial<SocketServerOptions> = {}): Promise<{
  url: string;
  sockets: SocketServer;
  http: Server;
  stop: () => Promise<void>;
}> {
  const sockets = createSocketServer({ allowedOrigins: undefined, heartbeatMs: 30_000, ...options });
  const http = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => sockets.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    sockets,
    http,
    stop: async () => {
      await sockets.shutdown();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
