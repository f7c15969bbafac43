import { download } from '@/server/rest/uploads';

// GET /im/file/down/<name>: seed 002's download path for the same stored uploads
export const GET = download;
