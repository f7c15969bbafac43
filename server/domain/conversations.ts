// Conversations and each participant's view of one: unread, read point, pinned, hidden.
// Unread is counted from sequence numbers and read points, never kept as a counter, so it cannot drift.
import type Database from 'better-sqlite3';
import { and, eq, sql } from 'drizzle-orm';
import { db, inTransaction, preparedStatements, store } from '../db/client';
import { conversationMembers, conversations } from '../db/schema';
import { badRequest, forbidden, notFound } from './errors';
import { events } from './events';
import type { Message } from './message-row';
import type { MessageType } from './message-types';
import { peerOf, requireParticipant } from './participants';
import { getShop, type Shop } from './shops';
import { findUserById, type PublicUser } from './users';

/** One conversation as one of its participants sees it, without the other party's details. */
export type ConversationHead = {
  id: number;
  /** The user who started it (seeds' fromId / sender_user_id) and the other (toId / recipient_user_id). */
  fromId: number;
  toId: number;
  /** The newest message this user has not deleted. */
  lastMessage: Message | null;
  lastSeq: number;
  unread: number;
  pinned: boolean;
  readSeq: number;
  readAt: number | null;
  createdAt: number;
  updatedAt: number;
};

/** A conversation's head with the other party: the peer, the shop, how far the peer has read. */
export type ConversationSummary = ConversationHead & {
  shop: Shop | null;
  peer: PublicUser;
  /** How far the other participant has read: own messages with seq <= this are read. */
  peerReadSeq: number;
  peerReadAt: number | null;
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

// The chat list runs on every open of the app and on every page of three dialects, for users with
// a thousand chats: it is plain SQL over the connection (drizzle's mapping of each row's forty
// columns cost ten times SQLite's work), and it picks its page before it joins each chat's peer,
// shop and last message.

/**
 * SQL (over the given columns, named with their table): the peer's messages after the reader's
 * read point, less those the reader deleted. Sending reads
 * (storeMessage moves the sender's read point to their message), so every message after a read
 * point is the peer's: the count is arithmetic on seqs plus an index range over the reader's
 * deletions, whatever the number of unread messages.
 */
const unread = (conversationId: string, userId: string, lastSeq: string, readSeq: string) => `max(0, ${lastSeq} - ${readSeq} - (
  SELECT count(*) FROM message_deletions d WHERE d.user_id = ${userId} AND d.conversation_id = ${conversationId} AND d.seq > ${readSeq}
))`;

/** SQL (over the given columns, named with their table): the newest message the user has not deleted. */
const lastVisibleId = (conversationId: string, userId: string) => `(
  SELECT m.id FROM messages m
  WHERE m.conversation_id = ${conversationId} AND NOT EXISTS (SELECT 1 FROM message_deletions d WHERE d.user_id = ${userId} AND d.message_id = m.id)
  ORDER BY m.seq DESC LIMIT 1
)`;

/**
 * The conversations in a user's list: not hidden (or hidden before their newest message), and
 * either holding a message or started by this user (an empty chat shows only to its opener).
 */
const LISTED = '(me.hidden_at_seq IS NULL OR c.last_seq > me.hidden_at_seq) AND (c.last_seq > 0 OR c.from_id = me.user_id)';

/** In terms of the page's columns, so the page and the final rows sort alike. */
const ORDER_BY: Record<ConversationOrder, string> = {
  pinnedThenRecent: 'pinned DESC, updated_at DESC, conversation_id DESC',
  recent: 'updated_at DESC, conversation_id DESC',
  createdAsc: 'created_at ASC, conversation_id ASC',
  createdDesc: 'created_at DESC, conversation_id DESC',
  lastMessageAsc: 'coalesce(last_id, 0) ASC, conversation_id ASC',
  lastMessageDesc: 'coalesce(last_id, 0) DESC, conversation_id DESC',
};

function conditions(options: Pick<ListOptions, 'unreadOnly' | 'shopsOnly'>): string {
  return [
    LISTED,
    options.unreadOnly ? `${unread('c.id', 'me.user_id', 'c.last_seq', 'me.read_seq')} > 0` : '',
    options.shopsOnly ? 'c.shop_id IS NOT NULL' : '',
  ]
    .filter(Boolean)
    .join(' AND ');
}

/**
 * The columns of a head, then those of the other party, in the order the statement selects them,
 * by their names in the statement (ORDER_BY sorts by these names). Rows come back as arrays:
 * better-sqlite3 building an object of thirty keys for each row cost a third of a 1,000-chat list,
 * and each value it returns costs ~0.1 µs, so a list that needs no party (seed 002's) selects none.
 */
const HEAD_COLUMNS = {
  conversation_id: 'page.conversation_id',
  from_id: 'page.from_id',
  to_id: 'page.to_id',
  shop_id: 'page.shop_id',
  last_seq: 'page.last_seq',
  created_at: 'page.created_at',
  updated_at: 'page.updated_at',
  read_seq: 'page.read_seq',
  read_at: 'page.read_at',
  pinned: 'page.pinned',
  unread: unread('page.conversation_id', 'page.me_id', 'page.last_seq', 'page.read_seq'),
  last_id: 'lm.id',
  lm_seq: 'lm.seq',
  lm_sender_id: 'lm.sender_id',
  lm_recipient_id: 'lm.recipient_id',
  lm_type: 'lm.type',
  lm_content: 'lm.content',
  lm_created_at: 'lm.created_at',
  lm_delivered_at: 'lm.delivered_at',
};
const PARTY_COLUMNS = {
  peer_read_seq: 'peer.read_seq',
  peer_read_at: 'peer.read_at',
  peer_id: 'u.id',
  peer_uuid: 'u.uuid',
  peer_username: 'u.username',
  peer_nickname: 'u.nickname',
  peer_avatar: 'u.avatar',
  peer_role: 'u.role',
  shop_name: 's.name',
  shop_logo: 's.logo',
  shop_seller_id: 's.seller_id',
};
// The other party: the member who is not the reader (no one chats with themselves), found by the
// full key rather than by scanning the chat's members.
const PARTY_JOINS = `JOIN conversation_members peer ON peer.conversation_id = page.conversation_id
    AND peer.user_id = (CASE WHEN page.from_id = page.me_id THEN page.to_id ELSE page.from_id END)
  JOIN users u ON u.id = peer.user_id
  LEFT JOIN shops s ON s.id = page.shop_id`;

const SUMMARY_COLUMNS = { ...HEAD_COLUMNS, ...PARTY_COLUMNS };
type SummaryColumn = keyof typeof SUMMARY_COLUMNS;
type SummaryRow = (bigint | string | null)[];
const COLUMN_INDEX = Object.fromEntries(Object.keys(SUMMARY_COLUMNS).map((name, i) => [name, i])) as Record<SummaryColumn, number>;
const selected = (columns: Record<string, string>) =>
  Object.entries(columns)
    .map(([name, expression]) => `${expression} AS ${name}`)
    .join(',\n    ');

/**
 * `where` picks the page's rows among the user's conversations; the statement takes userId, then
 * (when `paged`) limit and offset. Only an order by last message needs each chat's last message to pick the page;
 * the rest is looked up for the page's rows alone, once each (the last message is found by the
 * join itself, not by a column the join then reads again: SQLite ran that subquery twice).
 * `withParty` adds the other party's columns after the head's. Without `paged` the statement takes
 * no limit and offset: SQLite then folds the page into the outer query (15 % of a 1,000-chat list).
 */
function summarySql(where: string, order: ConversationOrder, withParty: boolean, paged: boolean): string {
  const lastIdPicksPage = order === 'lastMessageAsc' || order === 'lastMessageDesc';
  return `WITH page AS (
    SELECT c.id AS conversation_id, c.from_id, c.to_id, c.shop_id, c.last_seq, c.created_at, c.updated_at,
      me.user_id AS me_id, me.read_seq, me.read_at, me.pinned${lastIdPicksPage ? `, ${lastVisibleId('c.id', 'me.user_id')} AS last_id` : ''}
    FROM conversation_members me JOIN conversations c ON c.id = me.conversation_id
    WHERE me.user_id = ? AND ${where}
    ORDER BY ${ORDER_BY[order]}${paged ? ' LIMIT ? OFFSET ?' : ''}
  )
  SELECT ${selected(withParty ? SUMMARY_COLUMNS : HEAD_COLUMNS)}
  FROM page
  ${withParty ? PARTY_JOINS : ''}
  LEFT JOIN messages lm ON lm.id = ${lastIdPicksPage ? 'page.last_id' : lastVisibleId('page.conversation_id', 'page.me_id')}
  ORDER BY ${ORDER_BY[order]}`;
}

// One statement per shape of query (order, filters), prepared on first use for each store.
const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function cachedStatement<Row>(key: string, build: () => string): Database.Statement<unknown[], Row> {
  const { sqlite } = store();
  let cache = statementCache.get(sqlite);
  if (!cache) statementCache.set(sqlite, (cache = new Map()));
  let statement = cache.get(key);
  if (!statement) cache.set(key, (statement = sqlite.prepare(build())));
  return statement as Database.Statement<unknown[], Row>;
}

/** The summary (or, without the party, head) statement for `key`, answering rows as arrays in COLUMN_INDEX order. */
function summaryStatement(
  key: string,
  where: () => string,
  order: ConversationOrder,
  { withParty = true, paged = true }: { withParty?: boolean; paged?: boolean } = {},
): Database.Statement<unknown[], SummaryRow> {
  return cachedStatement<SummaryRow>(`${key}:${withParty}:${paged}`, () => summarySql(where(), order, withParty, paged)).raw(true);
}

// Module-level rather than closures per row: a list maps thousands of rows.
const int = (row: SummaryRow, column: SummaryColumn) => Number(row[COLUMN_INDEX[column]]);
const intOrNull = (row: SummaryRow, column: SummaryColumn) => (row[COLUMN_INDEX[column]] === null ? null : int(row, column));
const text = (row: SummaryRow, column: SummaryColumn) => row[COLUMN_INDEX[column]] as string;

function toHead(row: SummaryRow): ConversationHead {
  const id = int(row, 'conversation_id');
  const lastId = row[COLUMN_INDEX.last_id] as bigint | null;
  return {
    id,
    fromId: int(row, 'from_id'),
    toId: int(row, 'to_id'),
    lastMessage:
      lastId === null
        ? null
        : {
            id: lastId,
            conversationId: id,
            seq: int(row, 'lm_seq'),
            senderId: int(row, 'lm_sender_id'),
            recipientId: int(row, 'lm_recipient_id'),
            type: text(row, 'lm_type') as MessageType,
            content: text(row, 'lm_content'),
            createdAt: int(row, 'lm_created_at'),
            deliveredAt: intOrNull(row, 'lm_delivered_at'),
          },
    lastSeq: int(row, 'last_seq'),
    unread: int(row, 'unread'),
    pinned: row[COLUMN_INDEX.pinned] !== 0n,
    readSeq: int(row, 'read_seq'),
    readAt: intOrNull(row, 'read_at'),
    createdAt: int(row, 'created_at'),
    updatedAt: int(row, 'updated_at'),
  };
}

function toSummary(row: SummaryRow): ConversationSummary {
  const shopId = row[COLUMN_INDEX.shop_id] as string | null;
  // Added to the head rather than spread into a new object: spreading a thousand rows cost more than reading them.
  return Object.assign(toHead(row), {
    shop: shopId === null ? null : { id: shopId, name: text(row, 'shop_name'), logo: text(row, 'shop_logo'), sellerId: int(row, 'shop_seller_id') },
    peer: {
      id: int(row, 'peer_id'),
      uuid: text(row, 'peer_uuid'),
      username: text(row, 'peer_username'),
      nickname: text(row, 'peer_nickname'),
      avatar: text(row, 'peer_avatar'),
      role: text(row, 'peer_role') as PublicUser['role'],
    },
    peerReadSeq: int(row, 'peer_read_seq'),
    peerReadAt: intOrNull(row, 'peer_read_at'),
  });
}

/** The rows of a user's list, with or without the other party. */
function listRows(userId: number, options: ListOptions, withParty: boolean): SummaryRow[] {
  const order = options.order ?? 'pinnedThenRecent';
  const paged = options.limit !== undefined || !!options.offset;
  const statement = summaryStatement(`list:${order}:${!!options.unreadOnly}:${!!options.shopsOnly}`, () => conditions(options), order, { withParty, paged });
  return paged ? statement.all(userId, options.limit ?? -1, options.offset ?? 0) : statement.all(userId);
}

export function listConversations(userId: number, options: ListOptions = {}): ConversationSummary[] {
  return listRows(userId, options, true).map(toSummary);
}

/** As listConversations, without the other party: for lists that show only the chat itself. */
export function listConversationHeads(userId: number, options: ListOptions = {}): ConversationHead[] {
  return listRows(userId, options, false).map(toHead);
}

export function countConversations(userId: number, options: Pick<ListOptions, 'unreadOnly' | 'shopsOnly'> = {}): number {
  const statement = cachedStatement<{ n: bigint }>(
    `count:${!!options.unreadOnly}:${!!options.shopsOnly}`,
    () => `SELECT count(*) AS n FROM conversation_members me JOIN conversations c ON c.id = me.conversation_id WHERE me.user_id = ? AND ${conditions(options)}`,
  );
  return Number(statement.get(userId)!.n);
}

/** One conversation as `userId` sees it; NOT_FOUND when it does not exist or is not theirs. */
export function getConversation(userId: number, conversationId: number): ConversationSummary {
  const statement = summaryStatement('one', () => 'c.id = ?', 'recent');
  const [summary] = statement.all(userId, conversationId, 1, 0).map(toSummary);
  if (!summary) throw notFound('no such conversation');
  return summary;
}

// Opening a chat runs for the first message of every new pair (a thousand pairs starting at once
// on the socket): plain prepared SQL, in the caller's transaction when there is one.
const openStatements = preparedStatements((_db, sqlite) => ({
  conversationByPair: sqlite.prepare<[string], number>('SELECT id FROM conversations WHERE pair_key = ?').pluck().safeIntegers(false),
  insertConversation: sqlite
    .prepare<[string, number, number, string | null, number, number], number>(
      'INSERT INTO conversations (pair_key, from_id, to_id, shop_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
    )
    .pluck()
    .safeIntegers(false),
  insertMember: sqlite.prepare<[number, number]>('INSERT INTO conversation_members (conversation_id, user_id) VALUES (?, ?)'),
  // Opening a chat one had hidden brings it back to the list.
  showAgain: sqlite.prepare<[number, number]>(
    'UPDATE conversation_members SET hidden_at_seq = NULL WHERE conversation_id = ? AND user_id = ? AND hidden_at_seq IS NOT NULL',
  ),
}));

/** The key naming two users' one-to-one chat, whoever opened it. */
function directPairKey(userId: number, otherUserId: number): string {
  return userId < otherUserId ? `u:${userId}:${otherUserId}` : `u:${otherUserId}:${userId}`;
}

/** The key naming a member's chat with a shop. */
const shopPairKey = (shopId: string, memberId: number) => `s:${shopId}:${memberId}`;

/** The chat `pairKey` names, created on first use; shown again to `openerId` if they had hidden it. */
function findOrCreate(pairKey: string, openerId: number, fromId: number, toId: number, shopId: string | null): number {
  const statements = openStatements();
  return inTransaction(() => {
    let id = statements.conversationByPair.get(pairKey);
    if (id === undefined) {
      const now = Date.now();
      id = statements.insertConversation.get(pairKey, fromId, toId, shopId, now, now)!;
      statements.insertMember.run(id, fromId);
      statements.insertMember.run(id, toId);
    } else statements.showAgain.run(id, openerId);
    return id;
  });
}

/** The id of two users' one-to-one conversation, created on first use. */
export function openDirectConversation(userId: number, otherUserId: number): number {
  if (userId === otherUserId) throw badRequest('you cannot start a chat with yourself');
  if (!findUserById(otherUserId)) throw notFound('no such user');
  return findOrCreate(directPairKey(userId, otherUserId), userId, userId, otherUserId, null);
}

/** The id of a member's conversation with a shop (its seller answers), created on first use. */
export function openShopConversation(userId: number, shopId: string): number {
  const shop = getShop(shopId);
  if (shop.sellerId === userId) throw badRequest('you cannot start a chat with your own shop');
  return findOrCreate(shopPairKey(shop.id, userId), userId, userId, shop.sellerId, shop.id);
}

/** The id of a seller's conversation with a member about one of their shops (to answer, or to write first). */
export function openShopConversationAsSeller(sellerId: number, shopId: string, memberId: number): number {
  const shop = getShop(shopId);
  if (shop.sellerId !== sellerId) throw forbidden('this is not your shop');
  if (memberId === sellerId) throw badRequest('you cannot start a chat with your own shop');
  if (!findUserById(memberId)) throw notFound('no such user');
  return findOrCreate(shopPairKey(shop.id, memberId), sellerId, memberId, sellerId, shop.id);
}

/** A chat a first message opens: one with another user, or with a shop (as its seller, with `memberId`). */
export type ChatToOpen = { directWith: number } | { shopId: string; memberId?: number };

/** Opens (or finds) the chat `userId` writes to; every refusal comes before anything is written. */
export function openChat(userId: number, chat: ChatToOpen): number {
  if ('directWith' in chat) return openDirectConversation(userId, chat.directWith);
  return chat.memberId === undefined ? openShopConversation(userId, chat.shopId) : openShopConversationAsSeller(userId, chat.shopId, chat.memberId);
}

/** The id of two users' one-to-one conversation, without creating it. */
export function findDirectConversationId(userId: number, otherUserId: number): number | null {
  return openStatements().conversationByPair.get(directPairKey(userId, otherUserId)) ?? null;
}

/** The id of a member's conversation with a shop, without creating it (listings must not open chats). */
export function findShopConversationId(shopId: string, memberId: number): number | null {
  return openStatements().conversationByPair.get(shopPairKey(shopId, memberId)) ?? null;
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
