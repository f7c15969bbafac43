// Messages: sending (durable once the transaction commits), history, delivery, delete-for-me.
import { and, asc, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { conversations, messageDeletions, messages } from '../db/schema';
import { badRequest, DomainError, notFound } from './errors';
import { events } from './events';
import { nextMessageId } from './ids';
import { isMessageType, type MessageType } from './message-types';
import { peerOf, requireParticipant } from './conversations';

export type Message = {
  id: bigint;
  conversationId: number;
  /** Position in its conversation: 1, 2, 3, … */
  seq: number;
  senderId: number;
  recipientId: number;
  type: MessageType;
  content: string;
  createdAt: number;
  /** When the recipient's client Acked it, or null. */
  deliveredAt: number | null;
};

export const MAX_CONTENT_LENGTH = 16_000;

export function toMessage(row: typeof messages.$inferSelect): Message {
  return { ...row, type: row.type as MessageType };
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
    return { message: toMessage(row), duplicate: false, shopId: conversation.shopId };
  });
  if (!result.duplicate) events().emit('message', { message: result.message, shopId: result.shopId ?? null });
  return { message: result.message, duplicate: result.duplicate };
}

export type HistoryQuery = {
  /** Older than this seq (scrolling up). */
  beforeSeq?: number;
  /** Newer than this seq (catching up). */
  afterSeq?: number;
  limit?: number;
};

export type HistoryPage = { messages: Message[]; hasMore: boolean };

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
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        cursor,
        sql`NOT EXISTS (SELECT 1 FROM message_deletions d WHERE d.user_id = ${userId} AND d.message_id = ${messages.id})`,
      ),
    )
    .orderBy(forward ? asc(messages.seq) : desc(messages.seq))
    .limit(limit + 1)
    .all();
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit).map(toMessage);
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
        sql`(${messages.senderId} = ${userId} OR ${messages.recipientId} = ${userId})`,
        sql`NOT EXISTS (SELECT 1 FROM message_deletions d WHERE d.user_id = ${userId} AND d.message_id = ${messages.id})`,
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
