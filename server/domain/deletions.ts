// "Delete for me" as a query condition, shared by message and conversation queries (a module of its
// own so that neither has to import the other at load time).
import { sql, type SQL } from 'drizzle-orm';

/** SQL: the message `messageId` is not deleted by `userId`. */
export const notDeletedBy = (userId: SQL | number, messageId: SQL) =>
  sql`NOT EXISTS (SELECT 1 FROM message_deletions d WHERE d.user_id = ${userId} AND d.message_id = ${messageId})`;
