import { registerUser } from '@/server/compat/seed002/http';

// POST /im/user/register: an app's backend registers its user → {userId, token} (seed 002)
export const POST = registerUser;
