// The browser's end of /ws (seed 002's frames): one socket that reconnects with backoff, and an
// outbox that keeps every message until the server has it. A message gets its id here, so a
// resend after a lost Ack, a reload or a reconnect is stored once. While the socket is down,
// sends go over tRPC; with no network at all they wait, pending, for the socket to come back.
import { typeToDialect } from '@/server/domain/message-types';
import { parseJson, stringifyJson } from '@/server/lib/json';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';
export type OutboxState = 'pending' | 'sent' | 'failed';

export type OutboxEntry = {
  /** The message id, decimal (64-bit ids do not fit a JS number). */
  id: string;
  conversationId: number;
  type: string;
  content: string;
  createdAt: number;
  state: OutboxState;
  error?: string;
};

export type Frame = Record<string, any>;

type LiveEvents = {
  /** A message to this user, or from them on another device. */
  message: Frame;
  read: { conversationId: number; readerId: number; seq: number };
  delivered: { conversationId: number; ids: bigint[] };
  typing: { conversationId: number; userId: number };
  /** An own message is durable on the server. */
  acked: OutboxEntry;
  /** The socket (re)connected: anything may have happened meanwhile. */
  reconnected: null;
  /** The server ended this session (signed out elsewhere, banned). */
  sessionEnded: null;
};

/** How a send over HTTP ended: stored, refused for good (with the reason), or no network. */
export type HttpSendResult = { outcome: 'sent' } | { outcome: 'refused'; reason: string } | { outcome: 'offline' };

type Options = {
  userId: number;
  url: string;
  sendOverHttp: (entry: OutboxEntry) => Promise<HttpSendResult>;
  storage?: Storage;
};

const ACK_TIMEOUT_MS = 8_000;
const SOCKET_ATTEMPTS_BEFORE_HTTP = 2;
const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
const MAX_BACKOFF_MS = 15_000;

/** A fresh message id: 62 random bits above 2^62, far from the server's time-based ids. */
export function newMessageId(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let id = 0n;
  for (const byte of bytes) id = (id << 8n) | BigInt(byte);
  return (id & ((1n << 62n) - 1n)) | (1n << 62n);
}

export class LiveChannel {
  status: ConnectionStatus = 'connecting';
  private socket: WebSocket | null = null;
  private readonly outbox = new Map<string, OutboxEntry>();
  private readonly attempts = new Map<string, number>();
  private readonly ackTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly listeners = new Map<keyof LiveEvents, Set<(event: any) => void>>();
  private readonly watchers = new Set<() => void>();
  private version = 0;
  private backoffMs = 500;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly storageKey: string;

  constructor(private readonly options: Options) {
    this.storageKey = `chat_outbox:${options.userId}`;
    for (const entry of this.loadOutbox()) this.outbox.set(entry.id, entry);
  }

  start(): void {
    this.stopped = false;
    this.connect();
    window.addEventListener('online', this.reconnectNow);
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    this.socket?.close(1000, 'leaving');
    this.socket = null;
    for (const timer of this.ackTimers.values()) clearTimeout(timer);
  }

  // For useSyncExternalStore: a number that changes whenever status or outbox change.
  subscribe = (watcher: () => void): (() => void) => {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  };

  getVersion = (): number => this.version;

  on<K extends keyof LiveEvents>(name: K, listener: (event: LiveEvents[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  outboxOf(conversationId: number): OutboxEntry[] {
    return [...this.outbox.values()].filter((entry) => entry.conversationId === conversationId).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Queues a message; it is sent at once if it can be, and kept until the server has it. */
  send(conversationId: number, type: string, content: string): OutboxEntry {
    const entry: OutboxEntry = { id: newMessageId().toString(), conversationId, type, content, createdAt: Date.now(), state: 'pending' };
    this.outbox.set(entry.id, entry);
    this.changed();
    void this.dispatch(entry);
    return entry;
  }

  /** Sends a failed message again, with the same id (so it can never be stored twice). */
  retry(id: string): void {
    const entry = this.outbox.get(id);
    if (!entry) return;
    this.update(entry, { state: 'pending', error: undefined });
    this.attempts.delete(id);
    void this.dispatch(entry);
  }

  /** The server's history now shows this message: the outbox can let it go. */
  forget(id: string): void {
    if (!this.outbox.delete(id)) return;
    this.attempts.delete(id);
    this.changed();
  }

  /** Tells the server (and so the peer) this chat is read up to `seq`; false when the socket is down. */
  markRead(conversationId: number, seq: number): boolean {
    return this.sendFrame({ msgType: 'Read', content: stringifyJson({ cId: conversationId, seq }) });
  }

  typing(conversationId: number): void {
    this.sendFrame({ msgType: 'Typing', content: stringifyJson({ cId: conversationId }) });
  }

  private reconnectNow = (): void => {
    if (this.status === 'online' || this.stopped) return;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.backoffMs = 500;
    this.connect();
  };

  private connect(): void {
    if (this.stopped) return;
    this.setStatus('connecting');
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    socket.onopen = () => socket.send(stringifyJson({ msgType: 'Auth', fromUserId: this.options.userId, receipts: true }));
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      let frame: Frame;
      try {
        frame = parseJson(String(event.data)) as Frame;
      } catch {
        return;
      }
      this.receive(frame);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopHeartbeat();
      this.setStatus('offline');
      if (event.code === 4001) {
        this.stopped = true;
        this.emit('sessionEnded', null);
        return;
      }
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = Math.min(this.backoffMs, MAX_BACKOFF_MS) * (0.75 + Math.random() / 2);
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private receive(frame: Frame): void {
    switch (frame.msgType) {
      case 'Auth':
        if (frame.content !== 'ok') return;
        this.backoffMs = 500;
        this.setStatus('online');
        this.startHeartbeat();
        this.emit('reconnected', null);
        for (const entry of this.outbox.values()) if (entry.state === 'pending') void this.dispatch(entry);
        return;
      case 'Ack': {
        const srcId = String((parseJson(frame.content) as { srcId: bigint | number }).srcId);
        const entry = this.outbox.get(srcId);
        if (!entry) return;
        this.clearAckTimer(srcId);
        this.update(entry, { state: 'sent' });
        this.emit('acked', entry);
        return;
      }
      case 'Error': {
        const entry = frame.srcId !== undefined ? this.outbox.get(String(frame.srcId)) : undefined;
        if (!entry) return;
        this.clearAckTimer(entry.id);
        this.update(entry, { state: 'failed', error: String(frame.content) });
        return;
      }
      case 'Read': {
        const content = parseJson(frame.content) as { cId: number; readerId: number; seq: number };
        this.emit('read', { conversationId: content.cId, readerId: content.readerId, seq: content.seq });
        return;
      }
      case 'Delivered': {
        const content = parseJson(frame.content) as { cId: number; ids: (bigint | number)[] };
        this.emit('delivered', { conversationId: content.cId, ids: content.ids.map((id) => BigInt(id)) });
        return;
      }
      case 'Typing': {
        const content = parseJson(frame.content) as { cId: number };
        this.emit('typing', { conversationId: content.cId, userId: frame.fromUserId });
        return;
      }
      case 'Pong':
        if (this.pongTimer) clearTimeout(this.pongTimer);
        this.pongTimer = null;
        return;
      default:
        if (typeof frame.cId === 'number') {
          this.emit('message', frame);
          // Only the recipient's Ack marks delivery; the server ignores the sender's own.
          if (frame.toUserId === this.options.userId) this.sendFrame({ msgType: 'Ack', content: `{"srcId":${frame.id}}` });
        }
    }
  }

  private async dispatch(entry: OutboxEntry): Promise<void> {
    if (entry.state !== 'pending') return;
    const tries = (this.attempts.get(entry.id) ?? 0) + 1;
    this.attempts.set(entry.id, tries);
    if (tries <= SOCKET_ATTEMPTS_BEFORE_HTTP && this.status === 'online') {
      const frame = `{"id":${entry.id},"fromUserId":${this.options.userId},"cId":${entry.conversationId},"chatType":"Single","msgType":${JSON.stringify(typeToDialect('seed002', entry.type))},"content":${JSON.stringify(entry.content)}}`;
      if (this.sendRaw(frame)) {
        this.clearAckTimer(entry.id);
        this.ackTimers.set(entry.id, setTimeout(() => void this.dispatch(entry), ACK_TIMEOUT_MS));
        return;
      }
    }
    const result = await this.options.sendOverHttp(entry);
    if (entry.state !== 'pending' || !this.outbox.has(entry.id)) return;
    if (result.outcome === 'sent') {
      this.update(entry, { state: 'sent' });
      this.emit('acked', entry);
    } else if (result.outcome === 'refused') {
      this.update(entry, { state: 'failed', error: result.reason });
    } else {
      // No network: it stays pending and goes out when the socket is back.
      this.attempts.set(entry.id, 0);
    }
  }

  private sendFrame(frame: Frame): boolean {
    return this.sendRaw(stringifyJson(frame));
  }

  private sendRaw(text: string): boolean {
    if (!this.socket || this.status !== 'online' || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(text);
    return true;
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.pingTimer = setInterval(() => {
      if (!this.sendFrame({ msgType: 'Ping' })) return;
      // No Pong in time: the connection is dead even if the browser has not noticed.
      this.pongTimer ??= setTimeout(() => this.socket?.close(4000, 'no pong'), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  private stopHeartbeat(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.pingTimer = null;
    this.pongTimer = null;
  }

  private clearAckTimer(id: string): void {
    const timer = this.ackTimers.get(id);
    if (timer) clearTimeout(timer);
    this.ackTimers.delete(id);
  }

  private update(entry: OutboxEntry, change: Partial<OutboxEntry>): void {
    Object.assign(entry, change);
    this.changed();
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.changed();
  }

  private changed(): void {
    this.version += 1;
    this.saveOutbox();
    for (const watcher of this.watchers) watcher();
  }

  private emit<K extends keyof LiveEvents>(name: K, event: LiveEvents[K]): void {
    for (const listener of this.listeners.get(name) ?? []) listener(event);
  }

  /** Unsent messages survive a reload: they are kept in the browser until the server has them. */
  private saveOutbox(): void {
    const storage = this.options.storage ?? window.localStorage;
    const unsent = [...this.outbox.values()].filter((entry) => entry.state !== 'sent');
    try {
      if (unsent.length) storage.setItem(this.storageKey, JSON.stringify(unsent));
      else storage.removeItem(this.storageKey);
    } catch {
      // Storage full or blocked: the outbox still works for this page's life.
    }
  }

  private loadOutbox(): OutboxEntry[] {
    try {
      const stored = JSON.parse((this.options.storage ?? window.localStorage).getItem(this.storageKey) ?? '[]') as OutboxEntry[];
      return stored.map((entry) => ({ ...entry, state: entry.state === 'failed' ? 'failed' : 'pending' }));
    } catch {
      return [];
    }
  }
}
