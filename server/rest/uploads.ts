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

/**
 * The file name of a download path: its last segment, percent-decoded. Next's own params would
 * throw (a 500) on bad percent-encoding such as `%c0%ae`; here that is a name we never generated.
 */
export function downloadName(url: string): string {
  const segment = new URL(url).pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

/** Downloads need a signed-in user (cookie or Bearer) who may read the file (server/domain/files.ts). */
export function download(req: Request): Promise<Response> {
  return restRoute(() => serveStoredFile(downloadName(req.url), requestUser(req)));
}
