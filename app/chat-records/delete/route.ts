import { chatRecordDelete } from '@/server/compat/seed003/records';

// POST /chat-records/delete: deletes one record for the member only (seed 003)
export const POST = chatRecordDelete;
