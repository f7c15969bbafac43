import { deleteChat } from '@/server/compat/seed002/http';

// POST /im/user/chat/delete: a chat leaves the caller's list (seed 002)
export const POST = deleteChat;
