// The live channel's protocol (seed 002, WebSocket frames, with SPEC.md's additions): the frames a
// client may send and how they are read, the frames the server sends, close codes and limits.
// Nothing here touches a socket or the store.
import type { ChatEvents } from '../domain/events';
import { parseMessageId } from '../domain/ids';
import { typeFromDialect, typeToDialect, type MessageType } from '../domain/message-types';
import type { Message } from '../domain/messages';
import { parseJson, stringifyJson } from '../lib/json';

export const CLOSE_CODES = {
  /** The server is stopping: reconnect. */
  GOING_AWAY: 1001,
  /** The socket sent faster than the stated rate. */
  POLICY_VIOLATION: 1008,
  /** No valid Auth (seed 002), or the session behind it ended. */
  AUTH_FAILED: 4001,
} as const;

export const LIMITS = {
  /** A frame larger than this gets an Error frame and is dropped; the socket stays open. */
  maxFrameBytes: 64 * 1024,
  /** A frame larger than this is not even read: the socket is closed with 1009 (ws's maxPayload). */
  hardMaxFrameBytes: 512 * 1024,
  authTimeoutMs: 10_000,
  /** Each socket may send this many frames a second on average, in bursts of up to `burstFrames`. */
  framesPerSecond: 500,
  burstFrames: 1_000,
} as const;

/** A frame the server could not take; `srcId` names the message it was about, when known. */
export class FrameError extends Error {
  constructor(
    message: string,
    readonly code = 400,
    readonly srcId?: bigint,
  ) {
    super(message);
  }
}

export type ClientFrame =
  | {
      kind: 'auth';
      token: string | null;
      fromUserId: number | null;
      /**
       * An addition: `"receipts": true` asks for Delivered frames. Seed 002 has none, so its
       * clients are not sent a frame type they do not know (and the message path saves a write).
       */
      receipts: boolean;
    }
  | {
      kind: 'send';
      id: bigint | null;
      fromUserId: number | null;
      toUserId: number | null;
      /** The conversation, when the client names it (an addition: shop chats need it). */
      conversationId: number | null;
      type: MessageType;
      content: string;
    }
  | { kind: 'ack'; messageId: bigint }
  | { kind: 'read'; conversationId: number; uptoSeq: number | null }
  | { kind: 'typing'; conversationId: number | null; toUserId: number | null }
  | { kind: 'ping' }
  | { kind: 'pong' };

type Fields = Record<string, unknown>;

/** Reads one text frame. Throws FrameError saying what is wrong. */
export function parseClientFrame(text: string): ClientFrame {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch {
    throw new FrameError('the frame is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FrameError('the frame must be a JSON object');
  const frame = value as Fields;
  const msgType = frame.msgType;
  if (typeof msgType !== 'string') throw new FrameError('msgType is missing');
  switch (msgType) {
    case 'Auth':
      return { kind: 'auth', token: authToken(frame.content), fromUserId: optionalId(frame, 'fromUserId'), receipts: frame.receipts === true };
    case 'Ack': {
      const srcId = parseMessageId(contentObject(frame.content, 'Ack').srcId);
      if (srcId === null) throw new FrameError('Ack content needs srcId, a message id');
      return { kind: 'ack', messageId: srcId };
    }
    case 'Read': {
      const content = contentObject(frame.content, 'Read');
      const conversationId = positiveInteger(content.cId);
      if (conversationId === null) throw new FrameError('Read content needs cId, a chat id');
      const uptoSeq = content.seq === undefined ? null : positiveInteger(content.seq);
      if (content.seq !== undefined && uptoSeq === null) throw new FrameError('Read seq must be a positive integer');
      return { kind: 'read', conversationId, uptoSeq };
    }
    case 'Typing': {
      const content = frame.content === undefined || frame.content === '' ? {} : contentObject(frame.content, 'Typing');
      const conversationId = content.cId === undefined ? null : positiveInteger(content.cId);
      if (content.cId !== undefined && conversationId === null) throw new FrameError('Typing cId must be a chat id');
      const toUserId = optionalId(frame, 'toUserId');
      if (conversationId === null && toUserId === null) throw new FrameError('Typing needs toUserId or a cId in its content');
      return { kind: 'typing', conversationId, toUserId };
    }
    case 'Ping':
      return { kind: 'ping' };
    case 'Pong':
      return { kind: 'pong' };
    default:
      return parseSend(frame, msgType);
  }
}

function parseSend(frame: Fields, msgType: string): ClientFrame {
  let id: bigint | null = null;
  if (frame.id !== undefined && frame.id !== null) {
    id = parseMessageId(frame.id);
    if (id === null) throw new FrameError('id must be a positive 64-bit integer');
  }
  const fail = (reason: string): never => {
    throw new FrameError(reason, 400, id ?? undefined);
  };
  const type = typeFromDialect('seed002', msgType);
  if (type === null) fail(`unknown msgType: ${msgType.slice(0, 40)}`);
  if (frame.chatType !== undefined && frame.chatType !== 'Single') fail('only chatType "Single" is served');
  if (typeof frame.content !== 'string') fail('content must be a string');
  if (frame.content === '') fail('content must not be empty');
  let conversationId: number | null = null;
  if (frame.cId !== undefined) {
    conversationId = positiveInteger(frame.cId);
    if (conversationId === null) fail('cId must be a chat id');
  }
  let toUserId: number | null = null;
  let fromUserId: number | null = null;
  try {
    toUserId = optionalId(frame, 'toUserId');
    fromUserId = optionalId(frame, 'fromUserId');
  } catch (error) {
    fail((error as Error).message);
  }
  if (toUserId === null && conversationId === null) fail('toUserId is missing');
  return { kind: 'send', id, fromUserId, toUserId, conversationId, type: type!, content: frame.content as string };
}

/** A positive safe integer from a number or a string of digits, else null. */
function positiveInteger(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

function optionalId(frame: Fields, name: string): number | null {
  const value = frame[name];
  if (value === undefined || value === null) return null;
  const id = positiveInteger(value);
  if (id === null) throw new FrameError(`${name} must be a user id`);
  return id;
}

/**
 * A frame's `content` as an object. Seed 002 writes it as a JSON string, and its own examples use
 * single quotes (`"{'srcId': 1268242042090295296}"`), so clients copied from it are read too.
 */
function contentObject(content: unknown, msgType: string): Fields {
  if (typeof content === 'object' && content !== null && !Array.isArray(content)) return content as Fields;
  if (typeof content === 'string') {
    // The single-quoted reading only when the content is not JSON as it stands: every Ack reads this.
    const value = jsonObject(content) ?? (content.includes("'") ? jsonObject(content.replaceAll("'", '"')) : null);
    if (value) return value;
  }
  throw new FrameError(`${msgType} content must be a JSON object`);
}

/** `text` parsed, when it is a JSON object; else null. */
function jsonObject(text: string): Fields | null {
  try {
    const value = parseJson(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : null;
  } catch {
    return null;
  }
}

/** The token of an Auth frame: raw, `{"token": …}` (object or JSON string), or the seed's `{'…'}`. Null when absent. */
function authToken(content: unknown): string | null {
  if (content === undefined || content === null || content === '') return null;
  if (typeof content === 'string') {
    const trimmed = content.trim();
    if (!trimmed.startsWith('{')) return trimmed;
    const bare = trimmed.match(/^\{\s*['"]([^'"]+)['"]\s*\}$/);
    if (bare) return bare[1];
  }
  const token = contentObject(content, 'Auth').token;
  if (typeof token !== 'string' || token === '') throw new FrameError('Auth content needs a token');
  return token;
}

// The frames the server sends. Ids are BigInts and print digit for digit.

export type ServerFrame = Record<string, unknown>;

export function stringifyFrame(frame: ServerFrame): string {
  return stringifyJson(frame);
}

export const authOkFrame = (): ServerFrame => ({ msgType: 'Auth', content: 'ok' });

// The two frames every message costs (its Ack, and the message to each socket that sees it) are
// written as text directly: the same JSON stringifyFrame would print, at a fraction of the cost.

/** Tells the sender its message is durable. `id` is the Ack's own id, `srcId` the message's. */
export const ackFrameText = (ackId: bigint, srcId: bigint): string =>
  `{"id":${ackId},"chatType":"Single","msgType":"Ack","content":"{\\"srcId\\":${srcId}}"}`;

/** A message as its recipient (and the sender's other devices) receive it. `cId` and `seq` are additions. */
export const messageFrameText = (message: Message): string =>
  `{"id":${message.id},"fromUserId":${message.senderId},"toUserId":${message.recipientId},"chatType":"Single",` +
  `"msgType":${JSON.stringify(typeToDialect('seed002', message.type))},"content":${JSON.stringify(message.content)},` +
  `"timestamp":${message.createdAt},"cId":${message.conversationId},"seq":${message.seq}}`;

export const readFrame = (event: ChatEvents['read']): ServerFrame => ({
  msgType: 'Read',
  chatType: 'Single',
  fromUserId: event.readerId,
  toUserId: event.peerId,
  content: stringifyJson({ cId: event.conversationId, readerId: event.readerId, seq: event.readSeq, readAt: event.readAt }),
  timestamp: event.readAt,
});

/** Tells a sender that the recipient's client Acked these messages. */
export const deliveredFrame = (event: ChatEvents['delivered']): ServerFrame => ({
  msgType: 'Delivered',
  chatType: 'Single',
  fromUserId: event.recipientId,
  toUserId: event.senderId,
  content: stringifyJson({ cId: event.conversationId, ids: event.messageIds }),
});

export const typingFrame = (fromUserId: number, toUserId: number, conversationId: number): ServerFrame => ({
  msgType: 'Typing',
  chatType: 'Single',
  fromUserId,
  toUserId,
  content: stringifyJson({ cId: conversationId }),
});

export const pongFrame = (): ServerFrame => ({ msgType: 'Pong' });

/** `code` is the case, as seed 002's HTTP errors tell it (400, 401, 403, 404, 500). */
export const errorFrame = (reason: string, code: number, srcId?: bigint): ServerFrame => ({
  msgType: 'Error',
  code,
  content: reason,
  ...(srcId === undefined ? {} : { srcId }),
});
