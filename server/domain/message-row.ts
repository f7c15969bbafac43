// A stored message as the domain hands it out (its own module so that conversation and message
// queries can both build it without importing each other).
import type { messages } from '../db/schema';
import type { MessageType } from './message-types';

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

export function toMessage(row: typeof messages.$inferSelect): Message {
  return { ...row, type: row.type as MessageType };
}
