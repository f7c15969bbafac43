// Who takes part in a conversation: the check every read and write of a conversation starts with.
import { eq, sql } from 'drizzle-orm';
import { preparedStatements } from '../db/client';
import { conversations } from '../db/schema';
import { notFound } from './errors';

export type ConversationRow = typeof conversations.$inferSelect;

const statements = preparedStatements((db) => ({
  conversationById: db.select().from(conversations).where(eq(conversations.id, sql.placeholder('id'))).prepare(),
}));

/**
 * The conversation row, if `userId` takes part in it. A conversation that exists but is not
 * theirs gets the same answer as one that does not exist, so ids reveal nothing.
 */
export function requireParticipant(userId: number, conversationId: number): ConversationRow {
  const row = statements().conversationById.get({ id: conversationId });
  if (!row || (row.fromId !== userId && row.toId !== userId)) throw notFound('no such conversation');
  return row;
}

export function peerOf(conversation: ConversationRow, userId: number): number {
  return conversation.fromId === userId ? conversation.toId : conversation.fromId;
}
