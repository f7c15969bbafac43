import { chatWindows } from '@/server/compat/seed000/chat';

// GET /api/chat: chat windows with their latest messages (seed 000)
export const GET = chatWindows;
