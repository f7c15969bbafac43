// Messages: sending (durable once the transaction commits), history, delivery, delete-for-me.
import { createHash } from 'node:crypto';
import { and, asc, count, desc, eq, gt, gte, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { db } from '../db/client';
import { conversationMembers, conversations, messageDeletions, messages } from '../db/schema';
import { badRequest, DomainError, notFound } from './errors';
import { events } from './events';
import { notDeletedBy } from './deletions';
import { nextMessageId } from './ids';
import { isMessageType, type MessageType } from './message-types';
import { toMessage, type Message } from './message-row';
import { peerOf, requireParticipant } from './participants';

/** A message in a listing, with whether its recipient has read it. */
export type ListedMessage = Message & { read: boolean };

export type { Message };

export const MAX_CONTENT_LENGTH = 16_000;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A message's 32-character [A-Za-z0-9] id (seed 004's `uuid`), derived from its numeric id so every face agrees. */
export function messageUuid(id: bigint): string {
  let n = BigInt(`0x${createHash('sha256').update(`message:${id}`).digest('hex')}`);
  let out = '';
  for (let i = 0; i < 32; i++) {
    out += BASE62[Number(n % 62n)];
    n /= 62n;
  }
  return out;
}


/** SQL: the recipient's read point has reached the message. */
const readByRecipient = sql<boolean>`coalesce((
  SELECT cm.read_seq >= ${messages.seq} FROM conversation_members cm
  WHERE cm.conversation_id = ${messages.conversationId} AND cm.user_id = ${messages.recipientId}
), 0)`.mapWith((value) => Number(value) === 1);

const listedColumns = { message: messages, read: readByRecipient };

function toListed(row: { message: typeof messages.$inferSelect; read: boolean }): ListedMessage {
  return { ...toMessage(row.message), read: row.read };
}

export type SendInput = {
  senderId: number;
  conversationId: number;
  type: string;
  content: string;
  /** A client-chosen id (seed 002); the server picks one when absent. */
  id?: bigint;
};

export type SendResult = { message: Message; duplicate: boolean };

/**
 * Stores a message; once this returns, it is committed. Sending the same id again from the same
 * sender returns the stored message (duplicate: true) and stores nothing; an id another sender
 * used is a CONFLICT.
 */
export function sendMessage(input: SendInput): SendResult {
  if (!isMessageType(input.type)) throw badRequest(`unknown message type: ${String(input.type).slice(0, 40)}`);
  if (typeof input.content !== 'string' || input.content.length === 0) throw badRequest('content must not be empty');
  if (input.content.length > MAX_CONTENT_LENGTH) {
    throw badRequest(`content must be at most ${MAX_CONTENT_LENGTH} characters`);
  }
  const result = db().transaction((tx) => {
    const conversation = requireParticipant(input.senderId, input.conversationId);
    if (input.id !== undefined) {
      const existing = tx.select().from(messages).where(eq(messages.id, input.id)).get();
      if (existing) {
        if (existing.senderId !== input.senderId) throw new DomainError('CONFLICT', 'this message id is already used');
        return { message: toMessage(existing), duplicate: true };
      }
    }
    const now = Date.now();
    const seq = conversation.lastSeq + 1;
    const row = tx
      .insert(messages)
      .values({
        id: input.id ?? nextMessageId(),
        conversationId: conversation.id,
        seq,
        senderId: input.senderId,
        recipientId: peerOf(conversation, input.senderId),
        type: input.type,
        content: input.content,
        createdAt: now,
      })
      .returning()
      .get();
    tx.update(conversations).set({ lastSeq: seq, updatedAt: now }).where(eq(conversations.id, conversation.id)).run();
    // Replying reads what came before, as in the chat apps people know.
    const sender = and(eq(conversationMembers.conversationId, conversation.id), eq(conversationMembers.userId, input.senderId));
    const before = tx.select({ readSeq: conversationMembers.readSeq }).from(conversationMembers).where(sender).get();
    tx.update(conversationMembers).set({ readSeq: seq, readAt: now }).where(sender).run();
    return { message: toMessage(row), duplicate: false, shopId: conversation.shopId, readPassedOthers: (before?.readSeq ?? 0) < seq - 1 };
  });
  if (result.duplicate) return { message: result.message, duplicate: true };
  const { message } = result;
  events().emit('message', { message, shopId: result.shopId ?? null });
  if (result.readPassedOthers) {
    events().emit('read', {
      conversationId: message.conversationId,
      readerId: message.senderId,
      peerId: message.recipientId,
      readSeq: message.seq,
      readAt: message.createdAt,
    });
  }
  return { message, duplicate: false };
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
  const cursor = forward
    ? gt(messages.seq, query.afterSeq!)
    : query.beforeSeq !== undefined
      ? lt(messages.seq, query.beforeSeq)
      : undefined;
  const rows = db()
    .select(listedColumns)
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), cursor, notDeletedBy(userId, sql`${messages.id}`)))
    .orderBy(forward ? asc(messages.seq) : desc(messages.seq))
    .limit(limit + 1)
    .all();
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit).map(toListed);
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

/**
 * Records that `recipientId`'s client Acked these messages. Ids that are not theirs, or already
 * delivered, are skipped. Returns the ids newly marked.
 */
export function markDelivered(recipientId: number, messageIds: bigint[]): bigint[] {
  if (messageIds.length === 0) return [];
  const now = Date.now();
  const marked = db()
    .update(messages)
    .set({ deliveredAt: now })
    .where(and(inArray(messages.id, messageIds), eq(messages.recipientId, recipientId), isNull(messages.deliveredAt)))
    .returning({ id: messages.id, conversationId: messages.conversationId, senderId: messages.senderId })
    .all();
  const byConversation = new Map<number, { senderId: number; ids: bigint[] }>();
  for (const row of marked) {
    const entry = byConversation.get(row.conversationId) ?? { senderId: row.senderId, ids: [] };
    entry.ids.push(row.id);
    byConversation.set(row.conversationId, entry);
  }
  for (const [conversationId, { senderId, ids }] of byConversation) {
    events().emit('delivered', { messageIds: ids, conversationId, senderId, recipientId });
  }
  return marked.map((row) => row.id);
}

/** Messages to `userId` that no client of theirs has Acked, in the order they were stored. */
export function undeliveredMessages(userId: number, limit = 500): Message[] {
  return db()
    .select()
    .from(messages)
    .where(and(eq(messages.recipientId, userId), isNull(messages.deliveredAt)))
    .orderBy(asc(messages.createdAt), asc(messages.conversationId), asc(messages.seq))
    .limit(limit)
    .all()
    .map(toMessage);
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
  const shared = db()
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      or(
        and(eq(conversations.fromId, userId), eq(conversations.toId, otherUserId)),
        and(eq(conversations.fromId, otherUserId), eq(conversations.toId, userId)),
      ),
    )
    .all()
    .map((row) => row.id);
  let anchor: { conversationId: number; createdAt: number; seq: number } | undefined;
  if (cursor.lastId !== 0n) {
    anchor = shared.length
      ? db()
          .select({ conversationId: messages.conversationId, createdAt: messages.createdAt, seq: messages.seq })
          .from(messages)
          .where(and(eq(messages.id, cursor.lastId), inArray(messages.conversationId, shared)))
          .get()
      : undefined;
    if (!anchor) throw badRequest('last_id is not a message of this conversation');
  }
  const up = cursor.direction === 'up';
  /** In conversation `c`, the messages before (up) or after (down) the anchor in (time, conversation, seq) order. */
  const beyondAnchor = (c: number): SQL | undefined => {
    if (!anchor) return undefined;
    const key = sql`(${messages.createdAt}, ${c}, ${messages.seq})`;
    const at = sql`(${anchor.createdAt}, ${anchor.conversationId}, ${anchor.seq})`;
    return up ? sql`${key} < ${at}` : sql`${key} > ${at}`;
  };
  // One indexed range per conversation, then merged: a query over all of them at once would sort
  // every older message of every conversation before taking a page.
  const rows = shared.flatMap((conversationId) =>
    db()
      .select(listedColumns)
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), beyondAnchor(conversationId), notDeletedBy(userId, sql`${messages.id}`)))
      .orderBy(...(up ? [desc(messages.createdAt), desc(messages.seq)] : [asc(messages.createdAt), asc(messages.seq)]))
      .limit(cursor.limit)
      .all(),
  );
  const order = (a: Message, b: Message) => a.createdAt - b.createdAt || a.conversationId - b.conversationId || a.seq - b.seq;
  rows.sort((a, b) => (up ? -1 : 1) * order(a.message as Message, b.message as Message));
  return rows.slice(0, cursor.limit).map(toListed);
}

/** Every message `userId` sent or received (not deleted by them), newest first, paged by offset. */
export function userMessages(userId: number, page: { limit: number; offset: number }): ListedMessage[] {
  return db()
    .select(listedColumns)
    .from(messages)
    .where(and(or(eq(messages.senderId, userId), eq(messages.recipientId, userId)), notDeletedBy(userId, sql`${messages.id}`)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(page.limit)
    .offset(page.offset)
    .all()
    .map(toListed);
}
