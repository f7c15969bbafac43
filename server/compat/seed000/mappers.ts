// Domain conversations and messages in seed 000's names and types.
import type { ConversationSummary } from '../../domain/conversations';
import type { ListedMessage } from '../../domain/messages';
import type { PublicUser } from '../../domain/users';
import { isoUtc } from '../time';
import { absoluteUrl } from '../urls';

export type WindowMessage = {
  /** 64-bit: written as bare digits, never rounded (SPEC.md, Ids). */
  id: bigint;
  message: string;
  /** Whether the recipient has read it. */
  status: boolean;
  fromId: number;
  toId: number;
  /** The sender's id: the seed's clients put a bubble on the left or right by comparing it with their own id. */
  belong: number;
  cId: number;
  created_at: string;
};

export type WindowUser = { id: number; userName: string; nickname: string; image: string };

export type ChatWindow = {
  id: number;
  /** The last message's text; null in a window with no message (the seed's first window). */
  afterMessage: string | null;
  fromId: number;
  toId: number;
  /** When the last message was sent or received; the window's creation time while it has none. */
  created_at: string;
  messages: WindowMessage[];
  user: WindowUser;
};

export function toWindowMessage(message: ListedMessage): WindowMessage {
  return {
    id: message.id,
    message: message.content,
    status: message.read,
    fromId: message.senderId,
    toId: message.recipientId,
    belong: message.senderId,
    cId: message.conversationId,
    created_at: isoUtc(message.createdAt),
  };
}

/** The other party. `image` is always a string (clients bind it straight to an <img>): "" without an avatar. */
export function toWindowUser(peer: PublicUser, requestUrl: string): WindowUser {
  return { id: peer.id, userName: peer.username, nickname: peer.nickname, image: absoluteUrl(peer.avatar, requestUrl) };
}

export function toChatWindow(window: ConversationSummary, latest: ListedMessage[], requestUrl: string): ChatWindow {
  return {
    id: window.id,
    afterMessage: window.lastMessage?.content ?? null,
    fromId: window.fromId,
    toId: window.toId,
    created_at: isoUtc(window.lastMessage?.createdAt ?? window.createdAt),
    messages: latest.map(toWindowMessage),
    user: toWindowUser(window.peer, requestUrl),
  };
}
