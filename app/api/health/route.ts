import { health } from '@/server/rest/health';

// GET /api/health: 200 when the store answers
export const dynamic = 'force-dynamic';
export const GET = health;
