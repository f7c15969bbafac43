import { chatRecordChatList } from '@/server/compat/seed003/records';

// GET /chat-records/chat-list: the shops a member has talked to, latest first (seed 003)
export const GET = chatRecordChatList;
