import { freshMessageId } from '@/server/compat/seed002/http';

// POST /im/message/get/id: a fresh 64-bit message id (seed 002)
export const POST = freshMessageId;
