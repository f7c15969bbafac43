// Uploads (multipart, one `file` field) and downloads of stored files.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { badRequest, DomainError } from '../domain/errors';
import { findStoredFile, MAX_UPLOAD_BYTES, saveUpload, type StoredFile } from '../domain/files';
import type { PublicUser } from '../domain/users';

/**
 * Streams the request's `file` part into the store. Fails early on a declared length over the
 * limit; otherwise the limit is enforced while the bytes arrive.
 */
export function receiveUpload(req: Request, uploader: PublicUser): Promise<StoredFile> {
  const contentType = req.headers.get('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    return Promise.reject(badRequest('send the file as multipart/form-data in a field named "file"'));
  }
  // Room for the multipart framing around a file of the largest size.
  if (Number(req.headers.get('content-length') ?? 0) > MAX_UPLOAD_BYTES + 64 * 1024) {
    return Promise.reject(new DomainError('PAYLOAD_TOO_LARGE', `files must be at most ${MAX_UPLOAD_BYTES} bytes`));
  }
  if (!req.body) return Promise.reject(badRequest('the request has no body'));

  return new Promise<StoredFile>((resolvePromise, reject) => {
    let parser: busboy.Busboy;
    try {
      // Browsers write a file name's UTF-8 bytes as they are; busboy would read them as Latin-1.
      parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8', limits: { files: 1, fields: 20, parts: 25 } });
    } catch {
      reject(badRequest('the multipart body is malformed'));
      return;
    }
    let saving: Promise<StoredFile> | null = null;
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || saving) {
        stream.resume();
        return;
      }
      // Answer as soon as the file is stored or refused: after a refusal mid-stream (too large)
      // busboy stops reading and would never emit 'close'.
      saving = saveUpload(stream, { originalName: info.filename ?? '', uploaderId: uploader.id });
      saving.then(resolvePromise, reject);
    });
    parser.on('error', () => reject(badRequest('the multipart body is malformed')));
    parser.on('close', () => {
      if (!saving) reject(badRequest('send the file in a field named "file"'));
    });
    Readable.fromWeb(req.body as unknown as WebReadableStream).on('error', reject).pipe(parser);
  });
}

/** A stored file `viewer` may read, with its true type; nothing else on disk can be named here. */
export function serveStoredFile(name: string, viewer: PublicUser): Response {
  const file = findStoredFile(name, viewer.id);
  const body = Readable.toWeb(createReadStream(file.path)) as unknown as ReadableStream;
  return new Response(body, {
    headers: {
      'content-type': file.mime,
      'content-length': String(file.size),
      'x-content-type-options': 'nosniff',
      'content-disposition': `inline; filename="${name}"`,
      // Even if a browser opened it as a document, it could run nothing and load nothing.
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, max-age=31536000, immutable',
    },
  });
}
