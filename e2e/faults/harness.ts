// What the fault tests share: their scale (short in `npm test`, long with CHAT_FAULTS_LONG=1), a
// seeded random source, users registered over seed 002, a socket client that survives its server
// (reconnects, re-Auths, resends what was not Acked with the same id, Acks what it receives), and
// read-only checks of the store and of the server process.
import { readdirSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { parseJson, stringifyJson } from '@/server/lib/json';

export const LONG = process.env.CHAT_FAULTS_LONG === '1';

/** The seed of this run: CHAT_FAULTS_SEED replays one; printed so a failure can be replayed. */
export function runSeed(name: string): number {
  const seed = process.env.CHAT_FAULTS_SEED ? Number(process.env.CHAT_FAULTS_SEED) : Math.floor(Math.random() * 2 ** 31);
  console.log(`# ${name}: seed ${seed} (replay with CHAT_FAULTS_SEED=${seed})`);
  return seed;
}

/** mulberry32: a small seeded generator, so a run's timings of kills can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, checking every 25 ms; fails with `what` after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await sleep(25);
  }
}

export type Account = { userId: number; token: string };

/** Users as an app's backend registers them (seed 002: no password, so no slow hash). */
export async function registerUsers(baseUrl: string, count: number, tag: string): Promise<Account[]> {
  const accounts: Account[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${baseUrl}/im/user/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ company: 'faults', app: tag, thirdUserId: `u${i}` }),
    });
    if (!response.ok) throw new Error(`register: ${response.status} ${await response.text()}`);
    accounts.push((await response.json()) as Account);
  }
  return accounts;
}

/** Client-chosen message ids, far above the server's time-based ones (as the web app does). */
export function messageId(userIndex: number, n: number): bigint {
  return (1n << 62n) + BigInt(userIndex) * 1_000_000_000n + BigInt(n);
}

export type Planned = { id: bigint; toUserId: number; content: string };

/** A message frame as a recipient got it, and on which of its connections. */
export type Receipt = { id: bigint; conversationId: number; seq: number; fromUserId: number; content: string; connection: number };

const srcIdOf = (content: string): bigint => BigInt((parseJson(content) as { srcId: bigint | number }).srcId);

/**
 * One user's device. It sends `next()`'s messages, at most `window` of them un-Acked at a time,
 * without waiting for each Ack (pipelining). When the socket drops it reconnects to `url()`,
 * re-Auths and sends every message not yet Acked again, in order and with the same id. Every
 * message frame it receives is Acked at once.
 */
export class ResilientClient {
  /** Sent (maybe on an earlier connection) and not Acked yet, in sending order. */
  readonly unacked: Planned[] = [];
  /** Every message this client got an Ack for, in the order of their first Ack. */
  readonly acked = new Map<bigint, Planned>();
  readonly receipts: Receipt[] = [];
  /** Error frames and other surprises: a test expects none. */
  readonly problems: string[] = [];
  readonly closeCodes: number[] = [];
  /** Authenticated connections so far (receipts name theirs). */
  connection = 0;
  live = false;
  private ws: WebSocket | null = null;
  private stopped = false;
  private pumpTimer: NodeJS.Timeout | null = null;
  private idsThisConnection = new Set<bigint>();

  constructor(
    readonly account: Account,
    private readonly url: () => string,
    /** The next message to send, or null when there is nothing more for now. */
    private readonly next: () => Planned | null,
    private readonly options: { window: number; perTick: number; tickMs: number },
  ) {}

  start(): void {
    this.connect();
  }

  /** Closes for good (no reconnect). */
  stop(): void {
    this.stopped = true;
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.ws?.terminate();
  }

  /** Drops the connection without a closing handshake; the client reconnects as after a crash. */
  drop(): void {
    this.live = false;
    this.ws?.terminate();
  }

  /** Starts a closing handshake with `code` (the server answers with the same code); the client then reconnects. */
  closeCleanly(code: number): void {
    this.live = false;
    this.ws?.close(code);
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.url());
    this.ws = ws;
    ws.on('open', () => ws.send(stringifyJson({ msgType: 'Auth', fromUserId: this.account.userId, content: this.account.token })));
    ws.on('message', (data) => this.receive(ws, parseJson(data.toString()) as Record<string, any>));
    ws.on('error', () => {});
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      this.closeCodes.push(code);
      this.live = false;
      this.ws = null;
      if (this.pumpTimer) clearTimeout(this.pumpTimer);
      this.pumpTimer = null;
      if (!this.stopped) setTimeout(() => this.connect(), 50);
    });
  }

  private receive(ws: WebSocket, frame: Record<string, any>): void {
    if (this.ws !== ws) return;
    if (frame.msgType === 'Auth') {
      if (frame.content !== 'ok') return void this.problems.push(`Auth refused: ${stringifyJson(frame)}`);
      this.connection += 1;
      this.idsThisConnection = new Set();
      this.live = true;
      // What the previous connection sent without an Ack goes again, same ids, same order.
      for (const message of this.unacked) this.sendMessage(message);
      this.pump();
      return;
    }
    if (frame.msgType === 'Ack') {
      const id = srcIdOf(frame.content);
      const at = this.unacked.findIndex((message) => message.id === id);
      if (at >= 0) {
        this.acked.set(id, this.unacked[at]);
        this.unacked.splice(at, 1);
      } else if (!this.acked.has(id)) this.problems.push(`Ack of an id never sent: ${id}`);
      return;
    }
    if (frame.msgType === 'Error') return void this.problems.push(`Error frame: ${stringifyJson(frame)}`);
    if (frame.seq === undefined || frame.cId === undefined) return; // Delivered, Read, Typing, Pong
    const id = BigInt(frame.id);
    if (this.idsThisConnection.has(id)) this.problems.push(`message ${id} pushed twice on one connection`);
    this.idsThisConnection.add(id);
    this.receipts.push({ id, conversationId: Number(frame.cId), seq: Number(frame.seq), fromUserId: Number(frame.fromUserId), content: frame.content, connection: this.connection });
    ws.send(`{"msgType":"Ack","content":"{\\"srcId\\":${id}}"}`);
  }

  private sendMessage(message: Planned): void {
    this.ws!.send(
      stringifyJson({ id: message.id, fromUserId: this.account.userId, toUserId: message.toUserId, chatType: 'Single', msgType: 'Text', content: message.content }),
    );
  }

  /** Sends up to `perTick` new messages while the window allows, then again after `tickMs`. */
  private pump(): void {
    this.pumpTimer = null;
    if (!this.live || this.stopped) return;
    for (let i = 0; i < this.options.perTick && this.unacked.length < this.options.window; i++) {
      const message = this.next();
      if (!message) break;
      this.unacked.push(message);
      this.sendMessage(message);
    }
    this.pumpTimer = setTimeout(() => this.pump(), this.options.tickMs);
  }
}

export type StoredMessage = { id: bigint; conversationId: number; seq: number; senderId: number; recipientId: number; content: string; delivered: boolean };

/** Reads the store as it is on disk, read-only (the server may be dead or running). */
export function readStore(dbPath: string): { messages: StoredMessage[]; integrity: string } {
  const store = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    store.defaultSafeIntegers(true);
    const rows = store
      .prepare('SELECT id, conversation_id, seq, sender_id, recipient_id, content, delivered_at FROM messages ORDER BY conversation_id, seq')
      .all() as Record<string, bigint | string | null>[];
    return {
      messages: rows.map((row) => ({
        id: row.id as bigint,
        conversationId: Number(row.conversation_id),
        seq: Number(row.seq),
        senderId: Number(row.sender_id),
        recipientId: Number(row.recipient_id),
        content: row.content as string,
        delivered: row.delivered_at !== null,
      })),
      integrity: String(store.pragma('integrity_check', { simple: true })),
    };
  } finally {
    store.close();
  }
}

/** Each conversation's seqs, in order, are exactly 1..n; returns what is wrong, if anything. */
export function seqGaps(messages: StoredMessage[]): string[] {
  const byConversation = new Map<number, number[]>();
  for (const message of messages) {
    let seqs = byConversation.get(message.conversationId);
    if (!seqs) byConversation.set(message.conversationId, (seqs = []));
    seqs.push(message.seq);
  }
  const wrong: string[] = [];
  for (const [conversationId, seqs] of byConversation) {
    seqs.sort((a, b) => a - b);
    seqs.forEach((seq, i) => {
      if (seq !== i + 1) wrong.push(`conversation ${conversationId}: seq ${seq} at position ${i + 1}`);
    });
  }
  return wrong;
}

/** Open file descriptors of a process (Linux). */
export function openHandles(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Resident memory of a process in KiB (Linux). */
export function residentKiB(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  if (!match) throw new Error('no VmRSS');
  return Number(match[1]);
}
