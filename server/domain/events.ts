// The process's one event bus: every face that changes a conversation announces it here, and the
// live channel pushes it. Kept on globalThis so Next's bundle and the custom server share it.
import { EventEmitter } from 'node:events';
import type { Message } from './messages';

export type ChatEvents = {
  /** A message was stored (by any face). */
  message: { message: Message; shopId: string | null; origin?: object };
  /** `readerId` has read the conversation up to `readSeq`. */
  read: { conversationId: number; readerId: number; peerId: number; readSeq: number; readAt: number };
  /** The recipient's client Acked these messages. */
  delivered: { messageIds: bigint[]; conversationId: number; senderId: number; recipientId: number };
  /** `userId` deleted a message for themselves. */
  deleted: { userId: number; messageId: bigint; conversationId: number };
  /** A user's sessions ended (sign-out, revocation, ban): their live sockets must close. */
  sessionsEnded: { userId: number; tokenHash: string | null };
};

type Listener<K extends keyof ChatEvents> = (event: ChatEvents[K]) => void;

export class ChatEventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  on<K extends keyof ChatEvents>(name: K, listener: Listener<K>): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  emit<K extends keyof ChatEvents>(name: K, event: ChatEvents[K]): void {
    this.emitter.emit(name, event);
  }
}

const holder = globalThis as unknown as { __chatEvents?: ChatEventBus };

export function events(): ChatEventBus {
  return (holder.__chatEvents ??= new ChatEventBus());
}
