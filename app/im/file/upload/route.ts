import { uploadFile } from '@/server/compat/seed002/http';

// POST /im/file/upload: one image or audio file → {url} (seed 002)
export const POST = uploadFile;
