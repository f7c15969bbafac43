// The live channel's hub: which sockets belong to whom, and the fan-out of what the domain
// announces on its event bus (messages stored by any face, reads, deliveries, ended sessions).
import { events, type ChatEvents } from '../domain/events';
import { CommitQueue } from './commit-queue';
import { CLOSE_CODES, deliveredFrame, errorFrame, messageFrameText, readFrame, stringifyFrame } from './protocol';
import { GatewaySession, type Peer } from './session';

export class Gateway {
  readonly commits = new CommitQueue();
  private readonly sessions = new Set<GatewaySession>();
  private readonly sessionsByUser = new Map<number, Set<GatewaySession>>();
  private readonly unsubscribe: (() => void)[];

  constructor(private readonly options: { authTimeoutMs: number }) {
    const bus = events();
    this.unsubscribe = [
      bus.on('message', (event) => this.fanOutMessage(event)),
      bus.on('read', (event) => {
        const text = stringifyFrame(readFrame(event));
        // The peer sees its messages read; the reader's other devices clear their unread.
        this.sendToUser(event.peerId, text);
        this.sendToUser(event.readerId, text);
      }),
      bus.on('delivered', (event) => {
        // One event per Ack on the message path: no frame is built unless a socket asked for receipts.
        let text: string | undefined;
        for (const session of this.sessionsByUser.get(event.senderId) ?? []) {
          if (!session.wantsReceipts) continue;
          text ??= stringifyFrame(deliveredFrame(event));
          session.notify(text);
        }
      }),
      bus.on('sessionsEnded', ({ userId, tokenHash }) => {
        for (const session of this.sessionsOf(userId)) {
          if (tokenHash !== null && session.tokenHash !== tokenHash) continue;
          session.sendFrame(errorFrame('the session has ended: sign in again', 401));
          session.end(CLOSE_CODES.AUTH_FAILED, 'session ended');
        }
      }),
    ];
  }

  /** A new socket: it must send Auth first. */
  connect(peer: Peer, cookieToken: string | null): GatewaySession {
    const session = new GatewaySession(this, peer, cookieToken, this.options.authTimeoutMs);
    this.sessions.add(session);
    return session;
  }

  /** The session authenticated: messages to its user reach it from now on. */
  register(session: GatewaySession): void {
    const userId = session.user!.id;
    let mine = this.sessionsByUser.get(userId);
    if (!mine) this.sessionsByUser.set(userId, (mine = new Set()));
    mine.add(session);
  }

  forget(session: GatewaySession): void {
    this.sessions.delete(session);
    if (!session.user) return;
    const mine = this.sessionsByUser.get(session.user.id);
    mine?.delete(session);
    if (mine?.size === 0) this.sessionsByUser.delete(session.user.id);
  }

  /** A notice (read, delivered, typing) to every authenticated socket of `userId`. */
  sendToUser(userId: number, text: string): void {
    for (const session of this.sessionsOf(userId)) session.notify(text);
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  /**
   * Stopping: commits what is pending and sends its Acks, then closes every socket with 1001 so
   * clients reconnect (to this process's successor).
   */
  shutdown(): void {
    this.commits.flush();
    for (const session of [...this.sessions]) session.end(CLOSE_CODES.GOING_AWAY, 'server shutting down');
    for (const off of this.unsubscribe) off();
  }

  private sessionsOf(userId: number): GatewaySession[] {
    const mine = this.sessionsByUser.get(userId);
    return mine ? [...mine] : [];
  }

  private fanOutMessage({ message, origin }: ChatEvents['message']): void {
    const recipients = this.sessionsByUser.get(message.recipientId);
    const senders = this.sessionsByUser.get(message.senderId);
    // On the message path: no frame is built for a message nobody is connected to see.
    if (!recipients && !(senders && (senders.size > 1 || !senders.has(origin as GatewaySession)))) return;
    const text = messageFrameText(message);
    for (const session of recipients ?? []) session.deliver(text);
    // The sender's other devices show what was sent; the socket it came from has its Ack.
    for (const session of senders ?? []) if (session !== origin) session.echo(text);
  }
}
