/**
 * The cache of decoded image folders: one file per decoded file list, named by a SHA-256
 * of the list (each file's path, size and mtime, its label, the class names and the asked
 * size), so a folder whose files change is decoded again and an unchanged one is read
 * back in a fraction of the time. File layout: "ETDSC001", a uint32 LE header length, the
 * JSON header, then the labels, then the NHWC pixels.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FolderFile } from './image-folder-listing.ts';

const MAGIC = 'ETDSC001';

export interface DecodedImages {
  classes: string[];
  count: number;
  height: number;
  width: number;
  channels: number;
  pixels: Uint8Array;
  labels: Uint8Array;
}

export function decodeCacheKey(files: readonly FolderFile[], classes: readonly string[], size: { height?: number; width?: number }): string {
  const hash = createHash('sha256');
  hash.update(`${MAGIC}\n${JSON.stringify(classes)}\n${size.height ?? '-'}x${size.width ?? '-'}\n`);
  for (const f of files) hash.update(`${f.path}\t${f.size}\t${f.mtimeMs}\t${f.label}\n`);
  return hash.digest('hex');
}

export function cacheFilePath(cacheDir: string, key: string): string {
  return join(cacheDir, `${key}.etds`);
}

/** The cached decode, or null when there is none or it does not read back whole (then it is decoded again). */
export function readDecodeCache(file: string): DecodedImages | null {
  if (!existsSync(file)) return null;
  try {
    const buf = readFileSync(file);
    if (buf.toString('latin1', 0, 8) !== MAGIC) return null;
    const headerLength = buf.readUInt32LE(8);
    const header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength)) as Omit<DecodedImages, 'pixels' | 'labels'>;
    const start = 12 + headerLength;
    const pixelBytes = header.count * header.height * header.width * header.channels;
    if (buf.length !== start + header.count + pixelBytes) return null;
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    return { ...header, labels: bytes.subarray(start, start + header.count), pixels: bytes.subarray(start + header.count) };
  } catch {
    return null;
  }
}

/** Writes through a temporary file and a rename, so a reader never sees half a cache file. */
export function writeDecodeCache(file: string, cacheDir: string, d: DecodedImages): void {
  mkdirSync(cacheDir, { recursive: true });
  const header = Buffer.from(JSON.stringify({ classes: d.classes, count: d.count, height: d.height, width: d.width, channels: d.channels }), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(header.length, 8);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([prefix, header, d.labels, d.pixels]));
  renameSync(tmp, file);
}
