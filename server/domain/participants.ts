// Who takes part in a conversation: the check every read and write of a conversation starts with.
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { conversations } from '../db/schema';
import { notFound } from './errors';

export type ConversationRow = typeof conversations.$inferSelect;

/**
 * The conversation row, if `userId` takes part in it. A conversation that exists but is not
 * theirs gets the same answer as one that does not exist, so ids reveal nothing.
 */
export function requireParticipant(userId: number, conversationId: number): ConversationRow {
  const row = db().select().from(conversations).where(eq(conversations.id, conversationId)).get();
  if (!row || (row.fromId !== userId && row.toId !== userId)) throw notFound('no such conversation');
  return row;
}

export function peerOf(conversation: ConversationRow, userId: number): number {
  return conversation.fromId === userId ? conversation.toId : conversation.fromId;
}
