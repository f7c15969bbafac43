import { chatRecordCreate } from '@/server/compat/seed003/records';

// POST /chat-records/create: a member writes to a shop, or its seller answers (seed 003)
export const POST = chatRecordCreate;
