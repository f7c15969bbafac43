import { login } from '@/server/rest/auth';

// POST /api/auth/login: {username, password} → {user, token}
export const POST = login;
