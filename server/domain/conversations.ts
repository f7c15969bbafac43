// Conversations and each participant's view of one: unread, read point, pinned, hidden.
// Unread is counted from sequence numbers and read points, never kept as a counter, so it cannot drift.
import { and, asc, desc, eq, gt, isNotNull, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { db } from '../db/client';
import { conversationMembers, conversations, messages, shops, users } from '../db/schema';
import { badRequest, forbidden, notFound } from './errors';
import { events } from './events';
import { notDeletedBy } from './deletions';
import { toMessage, type Message } from './message-row';
import { peerOf, requireParticipant } from './participants';
import { getShop, type Shop } from './shops';
import { findUserById, publicUser, type PublicUser } from './users';

/** One conversation as one of its participants sees it. */
export type ConversationSummary = {
  id: number;
  /** The user who started it (seeds' fromId / sender_user_id) and the other (toId / recipient_user_id). */
  fromId: number;
  toId: number;
  shop: Shop | null;
  peer: PublicUser;
  /** The newest message this user has not deleted. */
  lastMessage: Message | null;
  lastSeq: number;
  unread: number;
  pinned: boolean;
  readSeq: number;
  readAt: number | null;
  /** How far the other participant has read: own messages with seq <= this are read. */
  peerReadSeq: number;
  peerReadAt: number | null;
  createdAt: number;
  updatedAt: number;
};

export type ConversationOrder =
  /** The chat list: pinned first, then latest activity. */
  | 'pinnedThenRecent'
  | 'recent'
  | 'createdAsc'
  | 'createdDesc'
  | 'lastMessageAsc'
  | 'lastMessageDesc';

export type ListOptions = {
  limit?: number;
  offset?: number;
  unreadOnly?: boolean;
  /** Only conversations with a shop. */
  shopsOnly?: boolean;
  order?: ConversationOrder;
};

const me = alias(conversationMembers, 'me');
const peerState = alias(conversationMembers, 'peer_state');
const peerUser = alias(users, 'peer_user');
const lastMessage = alias(messages, 'last_message');

const unreadCount = sql<number>`(
  SELECT count(*) FROM messages m
  WHERE m.conversation_id = ${conversations.id} AND m.seq > ${me.readSeq} AND m.sender_id <> ${me.userId}
    AND ${notDeletedBy(sql`${me.userId}`, sql`m.id`)}
)`.mapWith(Number);

const lastVisibleMessageId = sql`(
  SELECT m.id FROM messages m
  WHERE m.conversation_id = ${conversations.id} AND ${notDeletedBy(sql`${me.userId}`, sql`m.id`)}
  ORDER BY m.seq DESC LIMIT 1
)`;

const ORDER_BY: Record<ConversationOrder, SQL[]> = {
  pinnedThenRecent: [desc(me.pinned), desc(conversations.updatedAt), desc(conversations.id)],
  recent: [desc(conversations.updatedAt), desc(conversations.id)],
  createdAsc: [asc(conversations.createdAt), asc(conversations.id)],
  createdDesc: [desc(conversations.createdAt), desc(conversations.id)],
  lastMessageAsc: [sql`coalesce(${lastMessage.id}, 0) ASC`, asc(conversations.id)],
  lastMessageDesc: [sql`coalesce(${lastMessage.id}, 0) DESC`, desc(conversations.id)],
};

function summaries(userId: number, where: SQL | undefined, options: ListOptions = {}) {
  return db()
    .select({
      conversation: conversations,
      me,
      peerState,
      peer: peerUser,
      shop: shops,
      lastMessage,
      unread: unreadCount,
    })
    .from(conversations)
    .innerJoin(me, and(eq(me.conversationId, conversations.id), eq(me.userId, userId)))
    .innerJoin(peerState, and(eq(peerState.conversationId, conversations.id), ne(peerState.userId, userId)))
    .innerJoin(peerUser, eq(peerUser.id, peerState.userId))
    .leftJoin(shops, eq(shops.id, conversations.shopId))
    .leftJoin(lastMessage, eq(lastMessage.id, lastVisibleMessageId))
    .where(where)
    .orderBy(...ORDER_BY[options.order ?? 'pinnedThenRecent'])
    .limit(options.limit ?? -1)
    .offset(options.offset ?? 0)
    .all()
    .map(
      (row): ConversationSummary => ({
        id: row.conversation.id,
        fromId: row.conversation.fromId,
        toId: row.conversation.toId,
        shop: row.shop && { id: row.shop.id, name: row.shop.name, logo: row.shop.logo, sellerId: row.shop.sellerId },
        peer: publicUser(row.peer),
        lastMessage: row.lastMessage && toMessage(row.lastMessage),
        lastSeq: row.conversation.lastSeq,
        unread: row.unread,
        pinned: row.me.pinned,
        readSeq: row.me.readSeq,
        readAt: row.me.readAt,
        peerReadSeq: row.peerState.readSeq,
        peerReadAt: row.peerState.readAt,
        createdAt: row.conversation.createdAt,
        updatedAt: row.conversation.updatedAt,
      }),
    );
}

/**
 * The conversations in a user's list: not hidden (or hidden before their newest message), and
 * either holding a message or started by this user (an empty chat shows only to its opener).
 */
function listedBy(userId: number, options: Pick<ListOptions, 'unreadOnly' | 'shopsOnly'>): SQL {
  return and(
    or(isNull(me.hiddenAtSeq), gt(conversations.lastSeq, me.hiddenAtSeq)),
    or(gt(conversations.lastSeq, 0), eq(conversations.fromId, userId)),
    options.unreadOnly ? gt(unreadCount, 0) : undefined,
    options.shopsOnly ? isNotNull(conversations.shopId) : undefined,
  )!;
}

export function listConversations(userId: number, options: ListOptions = {}): ConversationSummary[] {
  return summaries(userId, listedBy(userId, options), options);
}

export function countConversations(userId: number, options: Pick<ListOptions, 'unreadOnly' | 'shopsOnly'> = {}): number {
  const row = db()
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(conversations)
    .innerJoin(me, and(eq(me.conversationId, conversations.id), eq(me.userId, userId)))
    .where(listedBy(userId, options))
    .get();
  return row?.count ?? 0;
}

/** One conversation as `userId` sees it; NOT_FOUND when it does not exist or is not theirs. */
export function getConversation(userId: number, conversationId: number): ConversationSummary {
  const [summary] = summaries(userId, eq(conversations.id, conversationId));
  if (!summary) throw notFound('no such conversation');
  return summary;
}

function findOrCreate(pairKey: string, fromId: number, toId: number, shopId: string | null): number {
  return db().transaction((tx) => {
    const existing = tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.pairKey, pairKey)).get();
    if (existing) return existing.id;
    const now = Date.now();
    const created = tx
      .insert(conversations)
      .values({ pairKey, fromId, toId, shopId, createdAt: now, updatedAt: now })
      .returning({ id: conversations.id })
      .get();
    tx.insert(conversationMembers)
      .values([
        { conversationId: created.id, userId: fromId },
        { conversationId: created.id, userId: toId },
      ])
      .run();
    return created.id;
  });
}

/** The id of two users' one-to-one conversation, created on first use. */
export function openDirectConversation(userId: number, otherUserId: number): number {
  if (userId === otherUserId) throw badRequest('you cannot start a chat with yourself');
  const other = findUserById(otherUserId);
  if (!other) throw notFound('no such user');
  const [low, high] = userId < otherUserId ? [userId, otherUserId] : [otherUserId, userId];
  const id = findOrCreate(`u:${low}:${high}`, userId, otherUserId, null);
  showAgain(userId, id);
  return id;
}

/** The id of a member's conversation with a shop (its seller answers), created on first use. */
export function openShopConversation(userId: number, shopId: string): number {
  const shop = getShop(shopId);
  if (shop.sellerId === userId) throw badRequest('you cannot start a chat with your own shop');
  const id = findOrCreate(`s:${shop.id}:${userId}`, userId, shop.sellerId, shop.id);
  showAgain(userId, id);
  return id;
}

/** The id of a seller's conversation with a member about one of their shops (to answer, or to write first). */
export function openShopConversationAsSeller(sellerId: number, shopId: string, memberId: number): number {
  const shop = getShop(shopId);
  if (shop.sellerId !== sellerId) throw forbidden('this is not your shop');
  if (memberId === sellerId) throw badRequest('you cannot start a chat with your own shop');
  if (!findUserById(memberId)) throw notFound('no such user');
  const id = findOrCreate(`s:${shop.id}:${memberId}`, memberId, sellerId, shop.id);
  showAgain(sellerId, id);
  return id;
}

/** The id of two users' one-to-one conversation, without creating it. */
export function findDirectConversationId(userId: number, otherUserId: number): number | null {
  const [low, high] = userId < otherUserId ? [userId, otherUserId] : [otherUserId, userId];
  const row = db().select({ id: conversations.id }).from(conversations).where(eq(conversations.pairKey, `u:${low}:${high}`)).get();
  return row?.id ?? null;
}

/** The id of a member's conversation with a shop, without creating it (listings must not open chats). */
export function findShopConversationId(shopId: string, memberId: number): number | null {
  const row = db().select({ id: conversations.id }).from(conversations).where(eq(conversations.pairKey, `s:${shopId}:${memberId}`)).get();
  return row?.id ?? null;
}

/** Opening a chat one had hidden brings it back to the list. */
function showAgain(userId: number, conversationId: number): void {
  db()
    .update(conversationMembers)
    .set({ hiddenAtSeq: null })
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)))
    .run();
}

/**
 * Marks the conversation read by `userId` up to `uptoSeq` (default: everything). The read point
 * only moves forward; the other participant is told through the event bus.
 */
export function markConversationRead(userId: number, conversationId: number, uptoSeq?: number): void {
  const conversation = requireParticipant(userId, conversationId);
  const target = Math.min(uptoSeq ?? conversation.lastSeq, conversation.lastSeq);
  const readAt = Date.now();
  const moved = db()
    .update(conversationMembers)
    .set({ readSeq: target, readAt })
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        eq(conversationMembers.userId, userId),
        sql`${conversationMembers.readSeq} < ${target}`,
      ),
    )
    .returning({ readSeq: conversationMembers.readSeq })
    .get();
  if (moved) {
    events().emit('read', {
      conversationId,
      readerId: userId,
      peerId: peerOf(conversation, userId),
      readSeq: moved.readSeq,
      readAt,
    });
  }
}

export function setConversationPinned(userId: number, conversationId: number, pinned: boolean): void {
  requireParticipant(userId, conversationId);
  db()
    .update(conversationMembers)
    .set({ pinned })
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)))
    .run();
}

/** Removes the conversation from this user's list until a newer message arrives. */
export function hideConversation(userId: number, conversationId: number): void {
  const conversation = requireParticipant(userId, conversationId);
  db()
    .update(conversationMembers)
    .set({ hiddenAtSeq: conversation.lastSeq })
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)))
    .run();
}
