import { chatRecordList } from '@/server/compat/seed003/records';

// GET /chat-records/list: a member's chat records with one shop, newest first (seed 003)
export const GET = chatRecordList;
