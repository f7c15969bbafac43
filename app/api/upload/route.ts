import { upload } from '@/server/rest/uploads';

// POST /api/upload: one image or audio file (multipart `file`) → {url}
export const POST = upload;
