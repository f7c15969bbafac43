// Messages: sending (durable once the transaction commits), history, delivery, delete-for-me.
import { hash } from 'node:crypto';
import { and, asc, count, desc, eq, gte, isNull, lte, or, sql } from 'drizzle-orm';
import { db, inTransaction, preparedStatements } from '../db/client';
import { messageDeletions, messages } from '../db/schema';
import { openChat, type ChatToOpen } from './conversations';
import { badRequest, DomainError, notFound, toDomainError } from './errors';
import { requireUnicodeText } from './text';
import { events } from './events';
import { notDeletedBy } from './deletions';
import { nextMessageId } from './ids';
import { isMessageType, type MessageType } from './message-types';
import { toMessage, type Message } from './message-row';
import { requireParticipant } from './participants';

/** A message in a listing, with whether its recipient has read it. */
export type ListedMessage = Message & { read: boolean };

export type { Message };

export const MAX_CONTENT_LENGTH = 16_000;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE62_CODES = Buffer.from(BASE62, 'latin1');
/** messageUuid's working space, reused: it runs start to end without yielding. */
const uuidLimbs = new Uint16Array(16);
const uuidDigits = Buffer.alloc(32);

/**
 * A message's 32-character [A-Za-z0-9] id (seed 004's `uuid`), derived from its numeric id so every
 * face agrees: the low 32 base-62 digits, least significant first, of the SHA-256 of
 * `message:<id>` read as a big-endian number. The number is divided by 62 as sixteen 16-bit limbs
 * in small integers and the digits are written into one buffer: with BigInts and a string grown
 * digit by digit, this was half of all that seed 004's message list allocated. The one-shot
 * `hash` makes no Hash object: each of those holds a native handle that every scavenge must
 * visit (scavenges of 3.5 ms under seed 004's list; 1.3 ms without them).
 */
export function messageUuid(id: bigint): string {
  // The digest as a 'binary' (latin1) string, one character per byte: no Buffer (and its ArrayBuffer) per uuid.
  const digest = hash('sha256', `message:${id}`, 'binary');
  for (let i = 0; i < 16; i++) uuidLimbs[i] = (digest.charCodeAt(2 * i) << 8) | digest.charCodeAt(2 * i + 1);
  for (let digit = 0; digit < 32; digit++) {
    let remainder = 0;
    for (let i = 0; i < 16; i++) {
      const value = (remainder << 16) | uuidLimbs[i]; // < 62 * 2^16: an exact small integer
      const quotient = (value / 62) | 0;
      uuidLimbs[i] = quotient;
      remainder = value - quotient * 62;
    }
    uuidDigits[digit] = BASE62_CODES[remainder];
  }
  return uuidDigits.toString('latin1');
}


/**
 * SQL: the recipient's read point has reached the message. The outer columns are named with their
 * table: drizzle leaves them bare in a one-table query, and a bare `conversation_id` inside this
 * subquery would be the member row's own (any chat of the recipient's would do).
 */
const READ_BY_RECIPIENT = `coalesce((
  SELECT cm.read_seq >= messages.seq FROM conversation_members cm
  WHERE cm.conversation_id = messages.conversation_id AND cm.user_id = messages.recipient_id
), 0)`;

const readByRecipient = sql<boolean>`${sql.raw(READ_BY_RECIPIENT)}`.mapWith((value) => Number(value) === 1);

const listedColumns = { message: messages, read: readByRecipient };

function toListed(row: { message: typeof messages.$inferSelect; read: boolean }): ListedMessage {
  return { ...toMessage(row.message), read: row.read };
}

export type SendInput = {
  senderId: number;
  type: string;
  content: string;
  /** A client-chosen id (seed 002); the server picks one when absent. */
  id?: bigint;
  /** The recipient the sender expects (seed 002's toUserId beside a chat id): refused when it is not the other participant. */
  recipientId?: number;
  /** Who sent it, as the face that took it knows (a gateway socket): passed on in the event. */
  origin?: object;
} & (
  | { conversationId: number }
  /** A first message: its chat is opened in the message's own transaction, so a refused message opens none. */
  | { opens: ChatToOpen }
);

export type SendResult = { message: Message; duplicate: boolean };

/** One send of a batch: stored (or found stored already), or refused with a DomainError. */
export type SendOutcome = ({ ok: true } & SendResult) | { ok: false; error: DomainError };

type Stored = SendResult & { shopId: string | null; readPassedOthers: boolean; origin?: object };

/** The refusals that need no conversation. */
function checkSendInput(input: Pick<SendInput, 'type' | 'content'>): void {
  if (!isMessageType(input.type)) throw badRequest(`unknown message type: ${String(input.type).slice(0, 40)}`);
  if (typeof input.content !== 'string' || input.content.length === 0) throw badRequest('content must not be empty');
  if (input.content.length > MAX_CONTENT_LENGTH) {
    throw badRequest(`content must be at most ${MAX_CONTENT_LENGTH} characters`);
  }
  requireUnicodeText(input.content, 'content');
}

// The send path runs for every message: its statements are prepared once per store, in plain SQL
// over the connection (drizzle's mapping of each row cost more than SQLite's work here). They
// return plain numbers: every value they read is a small integer.
const sendStatements = preparedStatements((db, sqlite) => ({
  /** The conversation and the sender's read point, when the sender takes part in it. */
  conversationOfSender: sqlite
    .prepare<[number, number], SenderConversation>(
      `SELECT c.id, c.from_id AS fromId, c.to_id AS toId, c.shop_id AS shopId, c.last_seq AS lastSeq,
         c.updated_at AS updatedAt, m.read_seq AS readSeq
       FROM conversations c JOIN conversation_members m ON m.conversation_id = c.id AND m.user_id = ?
       WHERE c.id = ?`,
    )
    .safeIntegers(false),
  /** Stores nothing when the id is taken (a resend, or a clash with another sender's id). */
  insertMessage: sqlite.prepare<[bigint, number, number, number, number, string, string, number]>(
    `INSERT INTO messages (id, conversation_id, seq, sender_id, recipient_id, type, content, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  ),
  advanceConversation: sqlite.prepare<[number, number, number]>('UPDATE conversations SET last_seq = ?, updated_at = ? WHERE id = ?'),
  moveReadPoint: sqlite.prepare<[number, number, number, number]>(
    'UPDATE conversation_members SET read_seq = ?, read_at = ? WHERE conversation_id = ? AND user_id = ?',
  ),
  messageById: db.select().from(messages).where(eq(messages.id, sql.placeholder('id'))).prepare(),
}));

type SenderConversation = { id: number; fromId: number; toId: number; shopId: string | null; lastSeq: number; updatedAt: number; readSeq: number };

/** Stores one message inside the caller's transaction. Every refusal is thrown before anything is written. */
function storeMessage(input: SendInput): Stored {
  const statements = sendStatements();
  const conversationId = 'conversationId' in input ? input.conversationId : openChat(input.senderId, input.opens);
  // A conversation that exists but is not theirs gets the same answer as one that does not exist.
  const conversation = statements.conversationOfSender.get(input.senderId, conversationId);
  if (!conversation) throw notFound('no such conversation');
  const recipientId = conversation.fromId === input.senderId ? conversation.toId : conversation.fromId;
  if (input.recipientId !== undefined && input.recipientId !== recipientId) {
    throw badRequest('the recipient is not the other participant of this chat');
  }
  // Never earlier than the conversation's last activity: a clock stepping back must not put a
  // message before the one it answers (listings order by time, then seq).
  const now = Math.max(Date.now(), conversation.updatedAt);
  const message: Message = {
    id: input.id ?? nextMessageId(),
    conversationId: conversation.id,
    seq: conversation.lastSeq + 1,
    senderId: input.senderId,
    recipientId,
    type: input.type as MessageType,
    content: input.content,
    createdAt: now,
    deliveredAt: null,
  };
  const inserted = statements.insertMessage.run(message.id, message.conversationId, message.seq, message.senderId, recipientId, message.type, message.content, now);
  if (inserted.changes === 0) {
    // The id is stored already: the same sender sending again, or someone else's message.
    const existing = statements.messageById.get({ id: message.id })!;
    if (existing.senderId !== input.senderId) throw new DomainError('CONFLICT', 'this message id is already used');
    return { message: toMessage(existing), duplicate: true, shopId: conversation.shopId, readPassedOthers: false };
  }
  statements.advanceConversation.run(message.seq, now, conversation.id);
  // Replying reads what came before, as in the chat apps people know.
  statements.moveReadPoint.run(message.seq, now, conversation.id, input.senderId);
  return {
    message,
    duplicate: false,
    shopId: conversation.shopId,
    readPassedOthers: conversation.readSeq < message.seq - 1,
    origin: input.origin,
  };
}

function announce(stored: Stored): void {
  const { message } = stored;
  events().emit('message', { message, shopId: stored.shopId, origin: stored.origin });
  if (stored.readPassedOthers) {
    events().emit('read', {
      conversationId: message.conversationId,
      readerId: message.senderId,
      peerId: message.recipientId,
      readSeq: message.seq,
      readAt: message.createdAt,
    });
  }
}

/** Runs `storeMessage` over the inputs, collecting refusals instead of stopping at the first. */
function storeEach(inputs: SendInput[]): (Stored | DomainError)[] {
  return inputs.map((input) => {
    try {
      checkSendInput(input);
      // A message that opens its chat does so in a savepoint: refused after (its id taken), it leaves no empty chat.
      return 'opens' in input ? inTransaction(() => storeMessage(input)) : storeMessage(input);
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
  });
}

/**
 * Stores a message; once this returns, it is committed. Sending the same id again from the same
 * sender returns the stored message (duplicate: true) and stores nothing; an id another sender
 * used is a CONFLICT.
 */
export function sendMessage(input: SendInput): SendResult {
  const [outcome] = sendMessages([input]);
  if (!outcome.ok) throw outcome.error;
  return { message: outcome.message, duplicate: outcome.duplicate };
}

// History pages are read on every scroll and every chat list of seed 000: prepared once per store
// in plain SQL (building drizzle's query and mapping its rows cost several times SQLite's work).
/**
 * A listed message's row, as an array (better-sqlite3 building an object per row cost as much as
 * reading it). Integers come back as numbers, not a BigInt each: only the id can pass 2^53, and it
 * is read as text, exactly.
 */
type ListedRow = [
  id: string,
  conversationId: number,
  seq: number,
  senderId: number,
  recipientId: number,
  type: string,
  content: string,
  createdAt: number,
  deliveredAt: number | null,
  read: number,
];

/** A listed message's columns, in ListedRow's order; bound as @userId, the reader, whose deletions are left out. */
const LISTED = `SELECT CAST(id AS TEXT), conversation_id, seq, sender_id, recipient_id, type, content, created_at, delivered_at, ${READ_BY_RECIPIENT} AS read
  FROM messages`;
const NOT_DELETED = 'NOT EXISTS (SELECT 1 FROM message_deletions d WHERE d.user_id = @userId AND d.message_id = messages.id)';
/** In (time, conversation, seq) order, before or after the anchor @createdAt, @anchorConversationId, @seq. */
const BEYOND_ANCHOR = (comparison: '<' | '>') => `(created_at, @conversationId, seq) ${comparison} (@createdAt, @anchorConversationId, @seq)`;

const pageStatements = preparedStatements((_db, sqlite) => {
  const listed = (where: string, order: string) =>
    sqlite
      .prepare<[Record<string, unknown>], ListedRow>(
        `${LISTED} WHERE conversation_id = @conversationId${where ? ` AND ${where}` : ''} AND ${NOT_DELETED} ORDER BY ${order} LIMIT @limit`,
      )
      .raw(true)
      .safeIntegers(false);
  return {
    historyNewest: listed('', 'seq DESC'),
    historyBefore: listed('seq < @seq', 'seq DESC'),
    historyAfter: listed('seq > @seq', 'seq ASC'),
    betweenNewest: listed('', 'created_at DESC, seq DESC'),
    betweenOldest: listed('', 'created_at ASC, seq ASC'),
    betweenBefore: listed(BEYOND_ANCHOR('<'), 'created_at DESC, seq DESC'),
    betweenAfter: listed(BEYOND_ANCHOR('>'), 'created_at ASC, seq ASC'),
    sharedConversations: sqlite.prepare<[Record<string, unknown>], { id: bigint }>(
      `SELECT id FROM conversations WHERE (from_id = @userId AND to_id = @otherUserId) OR (from_id = @otherUserId AND to_id = @userId)`,
    ),
    anchor: sqlite.prepare<[Record<string, unknown>], { conversation_id: bigint; created_at: bigint; seq: bigint }>(
      'SELECT conversation_id, created_at, seq FROM messages WHERE id = @id',
    ),
  };
});

function toListedMessage([id, conversationId, seq, senderId, recipientId, type, content, createdAt, deliveredAt, read]: ListedRow): ListedMessage {
  return { id: BigInt(id), conversationId, seq, senderId, recipientId, type: type as MessageType, content, createdAt, deliveredAt, read: read === 1 };
}

export type HistoryQuery = {
  /** Older than this seq (scrolling up). */
  beforeSeq?: number;
  /** Newer than this seq (catching up). */
  afterSeq?: number;
  limit?: number;
};

export type HistoryPage = { messages: ListedMessage[]; hasMore: boolean };

/**
 * A page of a conversation's history as `userId` sees it (without what they deleted), oldest
 * first. With neither cursor: the newest page.
 */
export function conversationHistory(userId: number, conversationId: number, query: HistoryQuery = {}): HistoryPage {
  requireParticipant(userId, conversationId);
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const forward = query.afterSeq !== undefined;
  const statements = pageStatements();
  const statement = forward ? statements.historyAfter : query.beforeSeq !== undefined ? statements.historyBefore : statements.historyNewest;
  const rows = statement.all({ userId, conversationId, seq: query.afterSeq ?? query.beforeSeq ?? 0, limit: limit + 1 });
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit).map(toListedMessage);
  return { messages: forward ? page : page.reverse(), hasMore };
}

/** A message `userId` may see: sent or received by them and not deleted by them. */
export function getVisibleMessage(userId: number, messageId: bigint): Message {
  const row = db()
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.id, messageId),
        or(eq(messages.senderId, userId), eq(messages.recipientId, userId)),
        notDeletedBy(userId, sql`${messages.id}`),
      ),
    )
    .get();
  if (!row) throw notFound('no such message');
  return toMessage(row);
}

/** Deletes a message for `userId` only; the other participant keeps it. */
export function deleteMessageForMe(userId: number, messageId: bigint): void {
  const message = getVisibleMessage(userId, messageId);
  db()
    .insert(messageDeletions)
    .values({ userId, messageId, conversationId: message.conversationId, seq: message.seq })
    .onConflictDoNothing()
    .run();
  events().emit('deleted', { userId, messageId, conversationId: message.conversationId });
}

const deliveryStatements = preparedStatements((_db, sqlite) => ({
  /** Marks one message delivered, if it is to this recipient and not delivered yet. */
  markOne: sqlite
    .prepare<[number, bigint, number], { conversationId: number; senderId: number }>(
      `UPDATE messages SET delivered_at = ? WHERE id = ? AND recipient_id = ? AND delivered_at IS NULL
       RETURNING conversation_id AS conversationId, sender_id AS senderId`,
    )
    .safeIntegers(false),
}));

/** A recipient's client Acked a message. */
export type DeliveryAck = { recipientId: number; messageId: bigint };

type Marked = { id: bigint; conversationId: number; senderId: number; recipientId: number };

/** Marks the Acked messages delivered inside the caller's transaction; Acks of messages that are not the recipient's, or already delivered, change nothing. */
function markEach(acks: DeliveryAck[]): Marked[] {
  if (acks.length === 0) return [];
  const now = Date.now();
  const { markOne } = deliveryStatements();
  const marked: Marked[] = [];
  for (const ack of acks) {
    const row = markOne.get(now, ack.messageId, ack.recipientId);
    if (row) marked.push({ id: ack.messageId, conversationId: row.conversationId, senderId: row.senderId, recipientId: ack.recipientId });
  }
  return marked;
}

/** Tells each sender, once per conversation, which of their messages were delivered. */
function announceDeliveries(marked: Marked[]): void {
  if (marked.length === 0) return;
  const byConversation = new Map<string, { conversationId: number; senderId: number; recipientId: number; messageIds: bigint[] }>();
  for (const row of marked) {
    const key = `${row.conversationId}:${row.recipientId}`;
    let entry = byConversation.get(key);
    if (!entry) {
      entry = { conversationId: row.conversationId, senderId: row.senderId, recipientId: row.recipientId, messageIds: [] };
      byConversation.set(key, entry);
    }
    entry.messageIds.push(row.id);
  }
  for (const event of byConversation.values()) events().emit('delivered', event);
}

export type Batch = { sends: SendInput[]; deliveries: DeliveryAck[] };
export type BatchResult = { sends: SendOutcome[]; delivered: DeliveryAck[] };

/**
 * Group commit: stores the sends and records the delivery Acks of a batch in one transaction, so
 * many senders share one commit. When this returns everything is committed, and only then is it
 * announced. A refused send does not affect the others; should the transaction itself fail, each
 * send is retried in a transaction of its own so one bad message cannot sink the batch.
 */
export function commitBatch(batch: Batch): BatchResult {
  let stored: (Stored | DomainError)[];
  let marked: Marked[];
  try {
    [stored, marked] = inTransaction(() => [storeEach(batch.sends), markEach(batch.deliveries)] as const);
  } catch (batchError) {
    if (batch.sends.length + batch.deliveries.length === 1) throw batchError;
    stored = batch.sends.map((input) => {
      try {
        return inTransaction(() => storeEach([input])[0]);
      } catch (error) {
        return toDomainError(error);
      }
    });
    marked = inTransaction(() => markEach(batch.deliveries));
  }
  const sends = stored.map((result): SendOutcome => {
    if (result instanceof DomainError) return { ok: false, error: result };
    if (!result.duplicate) announce(result);
    return { ok: true, message: result.message, duplicate: result.duplicate };
  });
  announceDeliveries(marked);
  return { sends, delivered: marked.map((row) => ({ recipientId: row.recipientId, messageId: row.id })) };
}

/** Stores a batch of messages in one transaction (see commitBatch). */
export function sendMessages(inputs: SendInput[]): SendOutcome[] {
  return commitBatch({ sends: inputs, deliveries: [] }).sends;
}

/** Records that `recipientId`'s client Acked these messages; returns the ids newly marked. */
export function markDelivered(recipientId: number, messageIds: bigint[]): bigint[] {
  const deliveries = messageIds.map((messageId) => ({ recipientId, messageId }));
  return commitBatch({ sends: [], deliveries }).delivered.map((ack) => ack.messageId);
}

/**
 * Where a walk through a user's undelivered messages stands: the time of the last message handed
 * out, and every id handed out with that time. A message stored during the walk may share that
 * millisecond while sorting before the last one (another chat), so the walk resumes at the time
 * itself, not after the last message, and skips only what it has handed out.
 */
export type UndeliveredCursor = { createdAt: number; idsAtThatTime: bigint[] };

/**
 * Messages to `userId` that no client of theirs has Acked, in the order they were stored (time,
 * then conversation, then seq: each conversation's own order), after `cursor` when given.
 */
export function undeliveredMessages(userId: number, limit = 500, cursor?: UndeliveredCursor): Message[] {
  const handedOut = new Set(cursor?.idsAtThatTime);
  return db()
    .select()
    .from(messages)
    .where(and(eq(messages.recipientId, userId), isNull(messages.deliveredAt), cursor ? gte(messages.createdAt, cursor.createdAt) : undefined))
    .orderBy(asc(messages.createdAt), asc(messages.conversationId), asc(messages.seq))
    .limit(limit + handedOut.size)
    .all()
    .filter((row) => !handedOut.has(row.id))
    .slice(0, limit)
    .map(toMessage);
}

/** The cursor after handing out `page` (a non-empty answer of undeliveredMessages from `cursor`). */
export function undeliveredCursorAfter(page: Message[], cursor?: UndeliveredCursor): UndeliveredCursor {
  const createdAt = page[page.length - 1].createdAt;
  const earlier = cursor?.createdAt === createdAt ? cursor.idsAtThatTime : [];
  return { createdAt, idsAtThatTime: [...earlier, ...page.filter((message) => message.createdAt === createdAt).map((message) => message.id)] };
}

export type MessageFilter = {
  type?: MessageType;
  /** Sent at or after this time (ms). */
  fromMs?: number;
  /** Sent at or before this time (ms). */
  toMs?: number;
  messageId?: bigint;
};

/** A conversation's messages as `userId` sees them, filtered, newest first, paged by offset. */
export function conversationMessages(
  userId: number,
  conversationId: number,
  filter: MessageFilter,
  page: { limit: number; offset: number },
): { messages: ListedMessage[]; total: number } {
  requireParticipant(userId, conversationId);
  const where = and(
    eq(messages.conversationId, conversationId),
    filter.type ? eq(messages.type, filter.type) : undefined,
    filter.fromMs !== undefined ? gte(messages.createdAt, filter.fromMs) : undefined,
    filter.toMs !== undefined ? lte(messages.createdAt, filter.toMs) : undefined,
    filter.messageId !== undefined ? eq(messages.id, filter.messageId) : undefined,
    notDeletedBy(userId, sql`${messages.id}`),
  );
  const rows = db()
    .select(listedColumns)
    .from(messages)
    .where(where)
    .orderBy(desc(messages.seq))
    .limit(page.limit)
    .offset(page.offset)
    .all();
  const total = db().select({ n: count() }).from(messages).where(where).get()!.n;
  return { messages: rows.map(toListed), total };
}

/**
 * `userId`'s messages with `otherUserId` across every conversation the two share (one-to-one and
 * through shops), around the message `lastId` (seed 004's cursor): "up" is older, newest first
 * (the newest when lastId is 0); "down" is newer, oldest first. Messages are ordered by (time,
 * conversation, seq), which within one conversation is its own order, whatever ids clients chose.
 * A nonzero `lastId` must be one of these messages.
 */
export function messagesBetween(
  userId: number,
  otherUserId: number,
  cursor: { lastId: bigint; direction: 'up' | 'down'; limit: number },
): ListedMessage[] {
  const statements = pageStatements();
  const shared = statements.sharedConversations.all({ userId, otherUserId }).map((row) => Number(row.id));
  let anchor: { conversation_id: bigint; created_at: bigint; seq: bigint } | undefined;
  if (cursor.lastId !== 0n) {
    anchor = statements.anchor.get({ id: cursor.lastId });
    if (!anchor || !shared.includes(Number(anchor.conversation_id))) throw badRequest('last_id is not a message of this conversation');
  }
  const up = cursor.direction === 'up';
  const statement = anchor ? (up ? statements.betweenBefore : statements.betweenAfter) : up ? statements.betweenNewest : statements.betweenOldest;
  // One indexed range per conversation, then merged: a query over all of them at once would sort
  // every older message of every conversation before taking a page.
  const rows = shared.flatMap((conversationId) =>
    statement.all({
      userId,
      conversationId,
      limit: cursor.limit,
      createdAt: anchor?.created_at ?? 0,
      anchorConversationId: anchor?.conversation_id ?? 0,
      seq: anchor?.seq ?? 0,
    }),
  );
  const messages = rows.map(toListedMessage);
  const order = (a: Message, b: Message) => a.createdAt - b.createdAt || a.conversationId - b.conversationId || a.seq - b.seq;
  messages.sort((a, b) => (up ? -1 : 1) * order(a, b));
  return messages.slice(0, cursor.limit);
}

/** Every message `userId` sent or received (not deleted by them), newest first, paged by offset. */
export function userMessages(userId: number, page: { limit: number; offset: number }): ListedMessage[] {
  const upTo = page.offset + page.limit;
  // Time, then conversation, then seq: each conversation's own order, whatever ids clients chose.
  // One indexed range for the messages sent and one for those received, each taken in that order
  // as far as the page reaches, then merged: a query over both at once sorted all of them.
  const side = (party: typeof messages.senderId | typeof messages.recipientId) =>
    db()
      .select(listedColumns)
      .from(messages)
      .where(and(eq(party, userId), notDeletedBy(userId, sql`${messages.id}`)))
      .orderBy(desc(messages.createdAt), desc(messages.conversationId), desc(messages.seq))
      .limit(upTo)
      .all();
  const rows = [...side(messages.senderId), ...side(messages.recipientId)];
  rows.sort((a, b) => b.message.createdAt - a.message.createdAt || b.message.conversationId - a.message.conversationId || b.message.seq - a.message.seq);
  return rows.slice(page.offset, upTo).map(toListed);
}
