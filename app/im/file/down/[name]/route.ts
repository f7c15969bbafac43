import { download } from '@/server/rest/uploads';

// GET /im/file/down/<name>: seed 002's download path for the same stored uploads
export const GET = async (req: Request, { params }: { params: Promise<{ name: string }> }) =>
  download(req, (await params).name);
