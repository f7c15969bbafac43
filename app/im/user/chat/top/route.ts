import { pinChat } from '@/server/compat/seed002/http';

// POST /im/user/chat/top: pins or unpins a chat (seed 002)
export const POST = pinChat;
