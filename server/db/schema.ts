// The store's tables. The connection returns every INTEGER as a BigInt (safe integers on,
// so 64-bit message ids stay exact); these column types say per column what the code gets.
import { customType, index, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

/** A 64-bit integer kept as a JavaScript bigint (message ids). */
const int64 = customType<{ data: bigint; driverData: bigint | number }>({
  dataType: () => 'integer',
  fromDriver: (value) => BigInt(value),
});

/** A small integer (row ids, counters, epoch milliseconds) kept as a number. */
const int = customType<{ data: number; driverData: bigint | number }>({
  dataType: () => 'integer',
  fromDriver: (value) => Number(value),
});

/** An INTEGER PRIMARY KEY (SQLite's rowid): an insert that gives none gets the next one. */
const rowId = (name: string) => int(name).primaryKey().$defaultFn(() => sql`NULL`);

const bool = customType<{ data: boolean; driverData: bigint | number }>({
  dataType: () => 'integer',
  fromDriver: (value) => Number(value) !== 0,
  toDriver: (value) => (value ? 1 : 0),
});

export const users = sqliteTable(
  'users',
  {
    id: rowId('id'),
    uuid: text('uuid').notNull().unique(),
    username: text('username').notNull().unique(),
    nickname: text('nickname').notNull(),
    avatar: text('avatar').notNull().default(''),
    role: text('role', { enum: ['member', 'seller', 'admin'] }).notNull(),
    status: text('status', { enum: ['normal', 'banned'] }).notNull().default('normal'),
    passwordHash: text('password_hash'),
    // Private fields: shown to nobody but the user.
    mobile: text('mobile').notNull().default(''),
    realName: text('real_name'),
    registerIp: text('register_ip').notNull().default(''),
    lastLoginIp: text('last_login_ip').notNull().default(''),
    // Set for users an app's backend created (seed 002's /user/register).
    company: text('company'),
    app: text('app'),
    thirdUserId: text('third_user_id'),
    createdAt: int('created_at').notNull(),
    updatedAt: int('updated_at').notNull(),
    lastLoginAt: int('last_login_at'),
  },
  (t) => [uniqueIndex('users_app_identity').on(t.company, t.app, t.thirdUserId)],
);

export const groups = sqliteTable('groups', {
  id: rowId('id'),
  name: text('name').notNull().unique(),
});

export const userGroups = sqliteTable(
  'user_groups',
  {
    userId: int('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    groupId: int('group_id').notNull().references(() => groups.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupId] })],
);

export const sessions = sqliteTable(
  'sessions',
  {
    id: rowId('id'),
    // SHA-256 of the opaque token: a leaked table cannot be replayed.
    tokenHash: text('token_hash').notNull().unique(),
    userId: int('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: int('created_at').notNull(),
    expiresAt: int('expires_at').notNull(),
    revokedAt: int('revoked_at'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const shops = sqliteTable(
  'shops',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    logo: text('logo').notNull().default(''),
    sellerId: int('seller_id').notNull().references(() => users.id),
    createdAt: int('created_at').notNull(),
  },
  (t) => [index('shops_seller').on(t.sellerId)],
);

export const conversations = sqliteTable(
  'conversations',
  {
    id: rowId('id'),
    // One conversation per pair of users, per shop where a shop is involved.
    pairKey: text('pair_key').notNull().unique(),
    fromId: int('from_id').notNull().references(() => users.id),
    toId: int('to_id').notNull().references(() => users.id),
    shopId: text('shop_id').references(() => shops.id),
    lastSeq: int('last_seq').notNull().default(0),
    createdAt: int('created_at').notNull(),
    updatedAt: int('updated_at').notNull(),
  },
  (t) => [
    // Two users' conversations, whichever started them (seed 004): one probe each way, where an
    // index on from_id alone left SQLite walking all of a seller's chats by to_id.
    index('conversations_pair').on(t.fromId, t.toId),
    index('conversations_to').on(t.toId),
  ],
);

export const conversationMembers = sqliteTable(
  'conversation_members',
  {
    conversationId: int('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: int('user_id').notNull().references(() => users.id),
    // Messages with seq <= readSeq are read by this user.
    readSeq: int('read_seq').notNull().default(0),
    readAt: int('read_at'),
    pinned: bool('pinned').notNull().default(false),
    // Hidden until a message with seq > hiddenAtSeq arrives; null when shown.
    hiddenAtSeq: int('hidden_at_seq'),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] }), index('members_user').on(t.userId)],
);

export const messages = sqliteTable(
  'messages',
  {
    id: int64('id').primaryKey(),
    conversationId: int('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    // Position in the conversation, assigned in the insert's transaction: 1, 2, 3, … without gaps.
    seq: int('seq').notNull(),
    senderId: int('sender_id').notNull().references(() => users.id),
    recipientId: int('recipient_id').notNull().references(() => users.id),
    type: text('type').notNull(),
    content: text('content').notNull(),
    createdAt: int('created_at').notNull(),
    // When the recipient's client Acked it; null until then.
    deliveredAt: int('delivered_at'),
  },
  (t) => [
    uniqueIndex('messages_conversation_seq').on(t.conversationId, t.seq),
    // Time-ordered pages of a conversation from a cursor message (seed 004's last_id).
    index('messages_conversation_time').on(t.conversationId, t.createdAt, t.seq),
    // A user's messages newest first (seed 002's get/page): one ordered range per side, merged.
    index('messages_sender_time').on(t.senderId, t.createdAt, t.conversationId, t.seq),
    index('messages_recipient_time').on(t.recipientId, t.createdAt, t.conversationId, t.seq),
    // Offline push: a recipient's undelivered messages in the order they were stored.
    index('messages_undelivered')
      .on(t.recipientId, t.createdAt, t.conversationId, t.seq)
      .where(sql`delivered_at IS NULL`),
  ],
);

/** "Delete for me": the message stays for the other party. */
export const messageDeletions = sqliteTable(
  'message_deletions',
  {
    userId: int('user_id').notNull().references(() => users.id),
    messageId: int64('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    conversationId: int('conversation_id').notNull(),
    seq: int('seq').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.messageId] }),
    index('deletions_user_conversation').on(t.userId, t.conversationId, t.seq),
  ],
);

export const files = sqliteTable('files', {
  name: text('name').primaryKey(),
  mime: text('mime').notNull(),
  size: int('size').notNull(),
  originalName: text('original_name').notNull().default(''),
  uploaderId: int('uploader_id').references(() => users.id),
  createdAt: int('created_at').notNull(),
});
