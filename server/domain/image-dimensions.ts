// The width and height an uploaded image declares in its header, read without decoding it: a tiny
// file may declare a billion pixels, which every viewer that opens it tries to allocate.
import type { FileHandle } from 'node:fs/promises';

export type Dimensions = { width: number; height: number };

async function bytesAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** JPEG: walk the segments to the first start-of-frame (its EXIF block may be far bigger than a header). */
async function jpegDimensions(file: FileHandle): Promise<Dimensions | null> {
  let position = 2;
  for (let segments = 0; segments < 1000; segments++) {
    const head = await bytesAt(file, position, 9);
    if (head.length < 4 || head[0] !== 0xff) return null;
    const marker = head[1];
    if (marker === 0xff) {
      position += 1; // fill byte
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return head.length < 9 ? null : { height: head.readUInt16BE(5), width: head.readUInt16BE(7) };
    position += 2 + head.readUInt16BE(2);
  }
  return null;
}

/** The dimensions of a PNG, GIF, JPEG or WebP; null when the header does not say them. */
export async function imageDimensions(file: FileHandle, mime: string): Promise<Dimensions | null> {
  const head = await bytesAt(file, 0, 32);
  switch (mime) {
    case 'image/png':
      return head.length < 24 ? null : { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
    case 'image/gif':
      return head.length < 10 ? null : { width: head.readUInt16LE(6), height: head.readUInt16LE(8) };
    case 'image/jpeg':
      return jpegDimensions(file);
    case 'image/webp': {
      const chunk = head.toString('latin1', 12, 16);
      if (chunk === 'VP8 ' && head.length >= 30) return { width: head.readUInt16LE(26) & 0x3fff, height: head.readUInt16LE(28) & 0x3fff };
      if (chunk === 'VP8L' && head.length >= 25) {
        const bits = head.readUInt32LE(21);
        return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
      }
      if (chunk === 'VP8X' && head.length >= 30) return { width: head.readUIntLE(24, 3) + 1, height: head.readUIntLE(27, 3) + 1 };
      return null;
    }
    default:
      return null;
  }
}
