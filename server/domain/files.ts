// Uploaded files: checked by their bytes (never their name or declared type), size-limited while
// they stream in, kept under generated names in CHAT_UPLOAD_DIR and served back only from there.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { eq, sql } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import { db } from '../db/client';
import { files, messages } from '../db/schema';
import { settings } from '../env';
import { badRequest, DomainError, notFound } from './errors';
import { imageDimensions } from './image-dimensions';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Larger than any phone camera's photo; beyond it a small file can make viewers allocate gigabytes. */
export const MAX_IMAGE_SIDE = 16_384;
export const MAX_IMAGE_PIXELS = 50_000_000;

/** What may be uploaded: images and audio, by the type their bytes show. */
export const ALLOWED_UPLOAD_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'audio/mpeg',
  'audio/mp4',
  'audio/x-m4a',
  'audio/aac',
  'audio/ogg',
  'audio/opus',
  'audio/wav',
  'audio/x-wav',
  'audio/amr',
]);

/** Generated names only: 32 hex digits and a short extension. Anything else is not ours. */
const STORED_NAME = /^[0-9a-f]{32}\.[a-z0-9]{1,5}$/;

export type StoredFile = { name: string; url: string; mime: string; size: number };

function uploadDir(): string {
  return resolve(settings().uploadDir);
}

export function fileUrl(name: string): string {
  return `/file/down/${name}`;
}

/** Counts bytes as they pass and fails the stream past the limit, so nothing larger is kept. */
function byteLimit(maxBytes: number): Transform & { bytes: number } {
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      limiter.bytes += chunk.length;
      if (limiter.bytes > maxBytes) done(new DomainError('PAYLOAD_TOO_LARGE', `files must be at most ${maxBytes} bytes`));
      else done(null, chunk);
    },
  }) as Transform & { bytes: number };
  limiter.bytes = 0;
  return limiter;
}

/** The type the bytes show, and for images the dimensions their header declares (checked). */
async function checkContent(path: string): Promise<{ mime: string; ext: string }> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4100);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const detected = await fileTypeFromBuffer(head.subarray(0, bytesRead));
    if (!detected || !ALLOWED_UPLOAD_TYPES.has(detected.mime)) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'only images (PNG, JPEG, GIF, WebP) and audio files are accepted');
    }
    if (detected.mime.startsWith('image/')) {
      const size = await imageDimensions(handle, detected.mime);
      if (!size || size.width === 0 || size.height === 0) throw badRequest('the image does not say its size');
      if (size.width > MAX_IMAGE_SIDE || size.height > MAX_IMAGE_SIDE || size.width * size.height > MAX_IMAGE_PIXELS) {
        throw badRequest(`images may be at most ${MAX_IMAGE_SIDE} pixels a side and ${MAX_IMAGE_PIXELS} pixels in all`);
      }
    }
    return detected;
  } finally {
    await handle.close();
  }
}

/** The uploaded name, kept for the record only (never a path): no control characters, whole characters, at most 255. */
function cleanName(name: string): string {
  return Array.from(name.replace(/[\u0000-\u001f\u007f]/g, '')).slice(0, 255).join('').replace(/\p{Cs}/gu, '\ufffd');
}

export async function saveUpload(
  content: Readable,
  meta: { originalName: string; uploaderId: number | null },
  maxBytes = MAX_UPLOAD_BYTES,
): Promise<StoredFile> {
  const dir = uploadDir();
  await mkdir(dir, { recursive: true });
  const tempPath = join(dir, `.upload-${randomBytes(12).toString('hex')}`);
  try {
    const limiter = byteLimit(maxBytes);
    await pipeline(content, limiter, createWriteStream(tempPath, { flags: 'wx' }));
    if (limiter.bytes === 0) throw badRequest('the file is empty');
    const detected = await checkContent(tempPath);
    const name = `${randomBytes(16).toString('hex')}.${detected.ext}`;
    // Runtime data, not a build asset: tell Next's file tracer not to follow it.
    await rename(tempPath, join(/* turbopackIgnore: true */ dir, name));
    db()
      .insert(files)
      .values({
        name,
        mime: detected.mime,
        size: limiter.bytes,
        originalName: cleanName(meta.originalName),
        uploaderId: meta.uploaderId,
        createdAt: Date.now(),
      })
      .run();
    return { name, url: fileUrl(name), mime: detected.mime, size: limiter.bytes };
  } finally {
    await rm(tempPath, { force: true });
  }
}

/**
 * Who may read a file: its uploader, and the two people of any message that names it, as long as
 * that message was sent by the uploader or by someone the uploader sent it to (a forward). A
 * message anyone else sent does not count, so knowing a name is not enough to gain access to it.
 */
function mayRead(viewerId: number, name: string, uploaderId: number | null): boolean {
  if (uploaderId === viewerId) return true;
  if (uploaderId === null) return false;
  // Both scans go through the sender and recipient indexes: only the viewer's and the uploader's messages are read.
  const row = db().get<{ ok: number }>(sql`
    SELECT 1 AS ok FROM ${messages} AS m
    WHERE (m.sender_id = ${viewerId} OR m.recipient_id = ${viewerId})
      AND instr(m.content, ${name}) > 0
      AND (m.sender_id = ${uploaderId} OR m.sender_id IN (
        SELECT f.recipient_id FROM ${messages} AS f WHERE f.sender_id = ${uploaderId} AND instr(f.content, ${name}) > 0))
    LIMIT 1`);
  return row !== undefined;
}

/**
 * Where a stored file is on disk and its type. NOT_FOUND for any name we did not generate and for
 * a file `viewerId` may not read, with the same words, so a name reveals nothing.
 */
export function findStoredFile(name: string, viewerId: number): { path: string; mime: string; size: number } {
  if (!STORED_NAME.test(name)) throw notFound('no such file');
  const row = db().select().from(files).where(eq(files.name, name)).get();
  if (!row || !mayRead(viewerId, name, row.uploaderId)) throw notFound('no such file');
  return { path: join(uploadDir(), row.name), mime: row.mime, size: row.size };
}
