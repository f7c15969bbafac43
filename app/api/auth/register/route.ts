import { register } from '@/server/rest/auth';

// POST /api/auth/register: a new member or seller, answered with {user, token}
export const POST = register;
