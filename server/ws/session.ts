// One socket of the live channel, from its first frame to its close: Auth, then sends, Acks,
// reads and typing; the push of what was not delivered while it was away; limits on what it sends.
import { authenticate, hashToken } from '../domain/accounts';
import { findDirectConversationId, markConversationRead } from '../domain/conversations';
import { DomainError, ERROR_TABLE, toDomainError } from '../domain/errors';
import { nextMessageId } from '../domain/ids';
import { undeliveredCursorAfter, undeliveredMessages, type UndeliveredCursor } from '../domain/messages';
import { peerOf, requireParticipant } from '../domain/participants';
import type { PublicUser } from '../domain/users';
import type { Gateway } from './gateway';
import {
  ackFrameText,
  authOkFrame,
  CLOSE_CODES,
  errorFrame,
  FrameError,
  LIMITS,
  messageFrameText,
  parseClientFrame,
  pongFrame,
  stringifyFrame,
  typingFrame,
  type ClientFrame,
  type ServerFrame,
} from './protocol';

/** What a session needs of its socket (the ws binding supplies it). */
export interface Peer {
  send(text: string, written?: (error?: Error | null) => void): void;
  close(code: number, reason: string): void;
  /** Drops the connection at once, without a closing handshake. */
  terminate(): void;
  /** Bytes queued for the socket and not yet handed to the network. */
  readonly bufferedAmount: number;
  /** False once either side has started closing: nothing sent now would arrive. */
  readonly isOpen: boolean;
}

/** Undelivered messages are read from the store this many at a time. */
const BACKLOG_PAGE = 500;
/** Above this many queued bytes, the backlog push waits for the socket to drain. */
const PUSH_HIGH_WATER_BYTES = 1024 * 1024;
/** A socket that lets this much pile up unread is dropped: it resumes from the store when it reconnects. */
const SLOW_CONSUMER_BYTES = 8 * 1024 * 1024;

type State =
  | 'awaiting-auth'
  /** Pushing the backlog from the store; live messages to this user wait there for the push to reach them. */
  | 'pushing-backlog'
  | 'live'
  | 'closed';

/** A token bucket: `perSecond` frames on average, bursts of up to `burst`. */
class FrameBudget {
  private tokens: number;
  private last = performance.now();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class GatewaySession {
  user: PublicUser | null = null;
  tokenHash: string | null = null;
  /** Its Auth asked for Delivered frames. */
  wantsReceipts = false;
  private state: State = 'awaiting-auth';
  /** The sender's own messages from other devices, held while the backlog is pushed so each chat stays in order. */
  private heldEchoes: string[] = [];
  /** toUserId → one-to-one chat id, learnt from the first message sent to them. */
  private readonly directChats = new Map<number, number>();
  private readonly budget = new FrameBudget(LIMITS.framesPerSecond, LIMITS.burstFrames);
  /** Message frames sent to this socket and not yet Acked by it: each may be Acked outside the budget. */
  private unansweredMessages = 0;
  private readonly authTimer: NodeJS.Timeout;
  /** Resumes a backlog push that waits for the socket to drain (called on close too). */
  private wakeBacklogPush: (() => void) | null = null;

  constructor(
    private readonly gateway: Gateway,
    private readonly peer: Peer,
    /** The session cookie of the upgrade request (the web app's), used when Auth carries no token. */
    private readonly cookieToken: string | null,
    authTimeoutMs: number,
  ) {
    this.authTimer = setTimeout(() => this.refuseAuth(`no Auth frame within ${authTimeoutMs / 1000} s`), authTimeoutMs);
  }

  receive(data: Buffer, isBinary: boolean): void {
    if (this.state === 'closed') return;
    let frame: ClientFrame | undefined;
    let refusal: FrameError | undefined;
    try {
      if (isBinary) throw new FrameError('frames must be JSON text');
      if (data.length > LIMITS.maxFrameBytes) throw new FrameError(`the frame is ${data.length} bytes; at most ${LIMITS.maxFrameBytes} are read`);
      frame = parseClientFrame(data.toString('utf8'));
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      refusal = error;
    }
    // An Ack answers a message this socket was sent, so each message frame earns one Ack outside
    // the budget: a client that Acks every frame of a big backlog push is not taken for a flood,
    // and Acks of messages never sent still count against it.
    const earnedAck = frame?.kind === 'ack' && this.unansweredMessages > 0;
    if (earnedAck) this.unansweredMessages -= 1;
    else if (!this.budget.take()) return this.tooManyFrames();
    if (refusal) {
      if (this.state === 'awaiting-auth') this.refuseAuth(`the first frame must be Auth: ${refusal.message}`);
      else this.sendFrame(errorFrame(refusal.message, refusal.code, refusal.srcId));
      return;
    }
    if (this.state === 'awaiting-auth') {
      if (frame!.kind === 'auth') this.authenticate(frame as Extract<ClientFrame, { kind: 'auth' }>);
      else this.refuseAuth('the first frame must be Auth');
      return;
    }
    try {
      this.handle(frame!);
    } catch (error) {
      this.sendError(error);
    }
  }

  private tooManyFrames(): void {
    this.sendFrame(errorFrame(`too many frames: at most ${LIMITS.framesPerSecond} a second (bursts of ${LIMITS.burstFrames})`, ERROR_TABLE.TOO_MANY_REQUESTS.seed002));
    this.end(CLOSE_CODES.POLICY_VIOLATION, 'too many frames');
  }

  /** The socket closed (either side). */
  closed(): void {
    this.state = 'closed';
    clearTimeout(this.authTimer);
    this.gateway.forget(this);
    this.wakeBacklogPush?.();
  }

  /** Closes the socket with `code`, saying why; nothing more is read from it. */
  end(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.closed();
    this.peer.close(code, reason);
  }

  /** A message to this user, stored just now by any face. */
  deliver(text: string): void {
    // While the backlog is pushed, the push reads this message from the store in its turn.
    if (this.state === 'live') this.sendMessageText(text);
  }

  /** This user's own message, sent from another device. */
  echo(text: string): void {
    if (this.state === 'live') this.sendMessageText(text);
    else if (this.state === 'pushing-backlog') this.heldEchoes.push(text);
  }

  /** A notice (read, delivered, typing): no order to keep with messages, so it goes out at once. */
  notify(text: string): void {
    if (this.state === 'live' || this.state === 'pushing-backlog') this.sendText(text);
  }

  sendFrame(frame: ServerFrame): void {
    this.sendText(stringifyFrame(frame));
  }

  /** A message frame: the client may Ack it. */
  private sendMessageText(text: string): void {
    this.unansweredMessages += 1;
    this.sendText(text);
  }

  private sendText(text: string): void {
    if (this.state === 'closed') return;
    if (this.peer.bufferedAmount > SLOW_CONSUMER_BYTES) {
      this.closed();
      this.peer.terminate();
      return;
    }
    this.peer.send(text);
  }

  /** An Error frame for a refusal (a FrameError or a DomainError); faults are logged, their text kept in. */
  private sendError(error: unknown, srcId?: bigint): void {
    if (error instanceof FrameError) {
      this.sendFrame(errorFrame(error.message, error.code, error.srcId ?? srcId));
      return;
    }
    const domainError = toDomainError(error);
    this.sendFrame(errorFrame(domainError.message, ERROR_TABLE[domainError.code].seed002, srcId));
  }

  private refuseAuth(reason: string): void {
    this.sendFrame(errorFrame(reason, 401));
    this.end(CLOSE_CODES.AUTH_FAILED, 'authentication failed');
  }

  private authenticate(frame: Extract<ClientFrame, { kind: 'auth' }>): void {
    const token = frame.token ?? this.cookieToken;
    let user: PublicUser;
    try {
      user = authenticate(token);
    } catch (error) {
      this.refuseAuth(error instanceof DomainError ? error.message : 'authentication failed');
      return;
    }
    if (frame.fromUserId !== null && frame.fromUserId !== user.id) {
      this.refuseAuth('fromUserId is not the token’s user');
      return;
    }
    clearTimeout(this.authTimer);
    this.user = user;
    this.tokenHash = hashToken(token!);
    this.wantsReceipts = frame.receipts;
    this.state = 'pushing-backlog';
    this.gateway.register(this);
    this.sendFrame(authOkFrame());
    void this.pushBacklog();
  }

  /**
   * Pushes every message to this user that no client of theirs has Acked, oldest first, a page at
   * a time and no faster than the socket takes them. Live messages that arrive meanwhile are in
   * the store, so the push reaches them too; when it finds nothing more, the socket goes live in
   * the same turn, so nothing falls between the two.
   */
  private async pushBacklog(): Promise<void> {
    // Acks that arrived (on any socket) before this Auth are honoured: those messages are not pushed again.
    this.gateway.commits.flush();
    let cursor: UndeliveredCursor | undefined;
    for (;;) {
      const page = undeliveredMessages(this.user!.id, BACKLOG_PAGE, cursor);
      if (page.length === 0) break;
      for (const message of page) {
        const text = messageFrameText(message);
        this.unansweredMessages += 1;
        if (this.peer.bufferedAmount < PUSH_HIGH_WATER_BYTES) {
          this.peer.send(text);
          continue;
        }
        await this.sendAndDrain(text);
        if (this.state !== 'pushing-backlog' || !this.peer.isOpen) return;
      }
      cursor = undeliveredCursorAfter(page, cursor);
      // Let the socket's reads (Acks, sends) run between pages.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.state !== 'pushing-backlog' || !this.peer.isOpen) return;
    }
    this.state = 'live';
    const held = this.heldEchoes;
    this.heldEchoes = [];
    for (const text of held) this.sendMessageText(text);
  }

  /** Sends `text` and resolves once everything queued before it has gone out (or the socket closed). */
  private sendAndDrain(text: string): Promise<void> {
    return new Promise((resolve) => {
      this.wakeBacklogPush = () => {
        this.wakeBacklogPush = null;
        resolve();
      };
      this.peer.send(text, () => this.wakeBacklogPush?.());
    });
  }

  private handle(frame: ClientFrame): void {
    const user = this.user!;
    switch (frame.kind) {
      case 'auth':
        throw new FrameError('already authenticated');
      case 'send':
        return this.send(frame);
      case 'ack':
        return this.gateway.commits.delivered(user.id, frame.messageId);
      case 'read':
        return markConversationRead(user.id, frame.conversationId, frame.uptoSeq ?? undefined);
      case 'typing':
        return this.relayTyping(frame);
      case 'ping':
        return this.sendFrame(pongFrame());
      case 'pong':
        return;
    }
  }

  private send(frame: Extract<ClientFrame, { kind: 'send' }>): void {
    const user = this.user!;
    const srcId = frame.id ?? undefined;
    if (frame.fromUserId !== null && frame.fromUserId !== user.id) {
      this.sendFrame(errorFrame('fromUserId is not yours', ERROR_TABLE.FORBIDDEN.seed002, srcId));
      return;
    }
    // Without a cId the frame names the peer (parseClientFrame requires one of the two). A pair's
    // chat never changes: after its first message, sends name it instead of opening it.
    const toUserId = frame.toUserId!;
    const conversationId = frame.conversationId ?? this.directChats.get(toUserId);
    this.gateway.commits.send(
      {
        senderId: user.id,
        ...(conversationId !== undefined ? { conversationId } : { opens: { directWith: toUserId } }),
        recipientId: frame.conversationId !== null ? (frame.toUserId ?? undefined) : undefined,
        type: frame.type,
        content: frame.content,
        id: frame.id ?? undefined,
        origin: this,
      },
      (outcome) => {
        if (!outcome.ok) return this.sendError(outcome.error, srcId);
        if (frame.conversationId === null) this.directChats.set(toUserId, outcome.message.conversationId);
        this.sendText(ackFrameText(nextMessageId(), outcome.message.id));
      },
    );
  }

  /** Typing is relayed to the other participant's sockets and never stored. */
  private relayTyping(frame: Extract<ClientFrame, { kind: 'typing' }>): void {
    const user = this.user!;
    const conversationId = frame.conversationId ?? findDirectConversationId(user.id, frame.toUserId!);
    if (conversationId === null) throw new DomainError('NOT_FOUND', 'no such conversation');
    const peerId = peerOf(requireParticipant(user.id, conversationId), user.id);
    if (frame.toUserId !== null && frame.toUserId !== peerId) throw new DomainError('NOT_FOUND', 'no such conversation');
    this.gateway.sendToUser(peerId, stringifyFrame(typingFrame(user.id, peerId, conversationId)));
  }
}
