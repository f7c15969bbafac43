import { clearUnread } from '@/server/compat/seed002/http';

// POST /im/user/chat/clear/unread: the caller's unread count of a chat becomes 0 (seed 002)
export const POST = clearUnread;
