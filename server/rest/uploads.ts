// POST /api/upload and GET /file/down/<name>: the own API's file routes.
import { restRoute } from './errors';
import { receiveUpload, serveStoredFile } from './files';
import { jsonResponse, requestUser } from './http';

export function upload(req: Request): Promise<Response> {
  return restRoute(async () => {
    const file = await receiveUpload(req, requestUser(req));
    return jsonResponse({ url: file.url }, 201);
  });
}

/** Downloads need a signed-in user (cookie or Bearer) who may read the file (server/domain/files.ts). */
export function download(req: Request, name: string): Promise<Response> {
  return restRoute(() => serveStoredFile(name, requestUser(req)));
}
