import { userMessagePage } from '@/server/compat/seed002/http';

// POST /im/message/user/get/page: the caller's messages, newest first (seed 002)
export const POST = userMessagePage;
