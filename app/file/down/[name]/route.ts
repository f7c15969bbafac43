import { download } from '@/server/rest/uploads';

// GET /file/down/<name>: a stored upload, with its true content type
export const GET = download;
