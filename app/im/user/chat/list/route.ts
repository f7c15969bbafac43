import { chatList } from '@/server/compat/seed002/http';

// POST /im/user/chat/list: the caller's chats with unReadCount and lastMsgId (seed 002)
export const POST = chatList;
