// The load client for seed 002's protocol: N sender → recipient pairs over /ws, driven in an open
// loop (message k is due at start + k / rate, whatever happened to the ones before it), so a
// stalled server shows as latency instead of slowing the load. Cheap by design, to offer 20k
// messages/s from one core: each pair's frame tail is built once, ids carry their index in their
// last digits, and Acks and deliveries are read with a regex instead of a JSON parse.
import WebSocket from 'ws';
import { Histogram, type LatencySummary } from './histogram';

export type Account = { userId: number; token: string };

export type PointOptions = {
  rate: number;
  seconds: number;
  warmup: number;
  /** How long to wait after the last send for the rest of the Acks and deliveries. */
  drainSeconds?: number;
};

export type PointResult = {
  offered: number;
  seconds: number;
  sent: number;
  acked: number;
  delivered: number;
  /** Acks and deliveries that arrived in the measured window, per second. */
  ackedPerSecond: number;
  deliveredPerSecond: number;
  /** From each measured message's intended send time to its Ack, and to its delivery. */
  ack: LatencySummary;
  delivery: LatencySummary;
  errors: number;
  duplicateAcks: number;
  duplicateDeliveries: number;
  /** The load client's CPU over the sending time, in cores: near 1 means the client, not the server, may be the limit. */
  clientCores: number;
  /** The measured window in epoch milliseconds (for counting the store's timestamps). */
  windowMs: { from: number; to: number };
  ids: { first: bigint; last: bigint };
};

/** Message k of a point has the id prefix · 10^9 + k. */
export const INDEX_DIGITS = 9;
const ACK_SRC_ID = /srcId\\?"\s*:\s*(\d+)/;
const FIRST_ID = /"id":(\d+)/;

/** One point of an open-loop run: which messages were Acked and delivered, and their latencies. Shared with the XMPP client. */
export class LoadPoint {
  readonly acked: Uint8Array;
  readonly delivered: Uint8Array;
  readonly ackLatency = new Histogram();
  readonly deliveryLatency = new Histogram();
  ackCount = 0;
  deliveryCount = 0;
  ackedInWindow = 0;
  deliveredInWindow = 0;
  duplicateAcks = 0;
  duplicateDeliveries = 0;
  errors = 0;
  readonly interval: number;
  readonly measureFrom: number;
  readonly measureTo: number;

  constructor(
    readonly prefix: string,
    readonly total: number,
    readonly start: number,
    options: PointOptions,
  ) {
    this.acked = new Uint8Array(total);
    this.delivered = new Uint8Array(total);
    this.interval = 1000 / options.rate;
    this.measureFrom = start + options.warmup * 1000;
    this.measureTo = this.measureFrom + options.seconds * 1000;
  }

  /** The id of message k of this point. */
  id(k: number): string {
    return this.prefix + String(k).padStart(INDEX_DIGITS, '0');
  }

  /** Offers message k at start + k / rate (open loop) through `send`, until all are sent. */
  async offer(send: (k: number) => void): Promise<{ sendingMs: number; cpu: NodeJS.CpuUsage }> {
    const cpuBefore = process.cpuUsage();
    let next = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (next < this.total && this.start + next * this.interval <= now) send(next++);
        if (next < this.total) setTimeout(tick, 1);
        else resolve();
      };
      tick();
    });
    return { sendingMs: performance.now() - this.start, cpu: process.cpuUsage(cpuBefore) };
  }

  /** Waits for the rest of the Acks and deliveries, at most `seconds`. */
  async drain(seconds: number): Promise<void> {
    const until = performance.now() + seconds * 1000;
    while ((this.ackCount < this.total || this.deliveryCount < this.total) && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  result(options: PointOptions, sending: { sendingMs: number; cpu: NodeJS.CpuUsage }): PointResult {
    const toEpoch = Date.now() - performance.now();
    const base = BigInt(this.prefix) * 10n ** BigInt(INDEX_DIGITS);
    return {
      offered: options.rate,
      seconds: options.seconds,
      sent: this.total,
      acked: this.ackCount,
      delivered: this.deliveryCount,
      ackedPerSecond: this.ackedInWindow / options.seconds,
      deliveredPerSecond: this.deliveredInWindow / options.seconds,
      ack: this.ackLatency.summary(),
      delivery: this.deliveryLatency.summary(),
      errors: this.errors,
      duplicateAcks: this.duplicateAcks,
      duplicateDeliveries: this.duplicateDeliveries,
      clientCores: (sending.cpu.user + sending.cpu.system) / 1000 / sending.sendingMs,
      windowMs: { from: Math.round(toEpoch + this.measureFrom), to: Math.round(toEpoch + this.measureTo) },
      ids: { first: base, last: base + BigInt(this.total - 1) },
    };
  }

  /** The message index of an id of this point, or -1 for a stray one (an earlier point's). */
  private index(id: string): number {
    if (id.length !== this.prefix.length + INDEX_DIGITS || !id.startsWith(this.prefix)) return -1;
    const k = Number(id.slice(-INDEX_DIGITS));
    return k < this.total ? k : -1;
  }

  onAck(id: string): void {
    const arrival = this.arrive(id, this.acked, this.ackLatency);
    if (arrival === 'duplicate') this.duplicateAcks += 1;
    else if (arrival !== 'stray') {
      this.ackCount += 1;
      if (arrival === 'in-window') this.ackedInWindow += 1;
    }
  }

  onDelivery(id: string): void {
    const arrival = this.arrive(id, this.delivered, this.deliveryLatency);
    if (arrival === 'duplicate') this.duplicateDeliveries += 1;
    else if (arrival !== 'stray') {
      this.deliveryCount += 1;
      if (arrival === 'in-window') this.deliveredInWindow += 1;
    }
  }

  /** Marks message `id` as arrived in `seen`, recording its latency when it was due in the window. */
  private arrive(id: string, seen: Uint8Array, latency: Histogram): 'stray' | 'duplicate' | 'in-window' | 'outside-window' {
    const k = this.index(id);
    if (k < 0) return 'stray';
    if (seen[k]) return 'duplicate';
    seen[k] = 1;
    const now = performance.now();
    const intended = this.start + k * this.interval;
    if (intended >= this.measureFrom && intended < this.measureTo) latency.record(now - intended);
    return now >= this.measureFrom && now < this.measureTo ? 'in-window' : 'outside-window';
  }
}

/** A point that starts sending in 20 ms. */
export function newPoint(prefix: string, options: PointOptions): LoadPoint {
  const total = Math.round(options.rate * (options.warmup + options.seconds));
  if (total >= 10 ** INDEX_DIGITS) throw new Error('too many messages for one point');
  return new LoadPoint(prefix, total, performance.now() + 20, options);
}

type Pair = { sender: WebSocket; recipient: WebSocket; from: number; to: number; tail: string };

export class LoadClient {
  private point: LoadPoint | null = null;
  private points = 0;
  private readonly pairs: Pair[] = [];

  private constructor(private readonly idBase: number) {}

  /** Opens and authenticates a sender and a recipient socket per pair of accounts (even index sends to the next). */
  static async connect(wsUrl: string, accounts: Account[], { concurrency = 50, idBase = 7_000_000_000 } = {}): Promise<LoadClient> {
    const client = new LoadClient(idBase);
    const pairCount = accounts.length >> 1;
    let nextPair = 0;
    const worker = async () => {
      while (nextPair < pairCount) {
        const i = nextPair++;
        const [from, to] = [accounts[2 * i], accounts[2 * i + 1]];
        const sender = await client.open(wsUrl, from, 'sender');
        const recipient = await client.open(wsUrl, to, 'recipient');
        // Everything after the id is the same for every message of the pair but its number.
        const tail = `,"fromUserId":${from.userId},"toUserId":${to.userId},"chatType":"Single","msgType":"Text","content":"bench message `;
        client.pairs[i] = { sender, recipient, from: from.userId, to: to.userId, tail };
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, pairCount) }, worker));
    return client;
  }

  private open(wsUrl: string, account: Account, role: 'sender' | 'recipient'): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { perMessageDeflate: false, skipUTF8Validation: true });
      let authed = false;
      ws.once('error', reject);
      ws.once('close', (code) => {
        if (!authed) reject(new Error(`socket of user ${account.userId} closed with ${code} before Auth`));
      });
      ws.on('open', () => ws.send(JSON.stringify({ msgType: 'Auth', fromUserId: account.userId, content: account.token })));
      ws.on('message', (data: Buffer) => {
        const text = data.toString('latin1');
        if (!authed) {
          if (text.includes('"msgType":"Auth"')) {
            authed = true;
            resolve(ws);
          } else if (text.includes('"msgType":"Error"')) reject(new Error(`Auth refused: ${text}`));
          return;
        }
        if (role === 'sender') this.onSenderFrame(text);
        else this.onRecipientFrame(ws, text);
      });
    });
  }

  private onSenderFrame(text: string): void {
    const point = this.point;
    if (!point) return;
    if (text.includes('"msgType":"Ack"')) {
      const match = ACK_SRC_ID.exec(text);
      if (match) point.onAck(match[1]);
    } else if (text.includes('"msgType":"Error"')) point.errors += 1;
  }

  private onRecipientFrame(ws: WebSocket, text: string): void {
    if (!text.includes('"msgType":"Text"')) return;
    const match = FIRST_ID.exec(text);
    if (!match) return;
    // The recipient's Ack, as a real client sends it: the message is then marked delivered.
    ws.send(`{"msgType":"Ack","content":"{\\"srcId\\":${match[1]}}"}`);
    this.point?.onDelivery(match[1]);
  }

  /** Offers `rate` messages/s for warmup + seconds, then waits for the Acks and deliveries. */
  async run(options: PointOptions): Promise<PointResult> {
    const point = newPoint(String(this.idBase + ++this.points), options);
    this.point = point;
    const pairs = this.pairs;
    const sending = await point.offer((k) => {
      const pair = pairs[k % pairs.length];
      pair.sender.send(`{"id":${point.id(k)}${pair.tail}${k}"}`);
    });
    await point.drain(options.drainSeconds ?? 30);
    this.point = null;
    return point.result(options, sending);
  }

  close(): void {
    for (const pair of this.pairs) {
      pair.sender.terminate();
      pair.recipient.terminate();
    }
  }
}
