import { offlineMessages } from '@/server/compat/seed002/http';

// POST /im/message/offline: undelivered messages to the caller, oldest first (seed 002)
export const POST = offlineMessages;
