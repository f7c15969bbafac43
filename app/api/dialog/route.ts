import { dialogList } from '@/server/compat/seed001/dialogs';

// GET /api/dialog: dialog list, JSON:API (seed 001)
export const GET = dialogList;
