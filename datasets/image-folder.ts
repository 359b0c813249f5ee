/**
 * A general image-folder loader (class = sub-folder name, see image-folder-listing.ts):
 * decodes JPEG / PNG files once, resizing bilinearly (half-pixel centres) only where a
 * size is asked and the image differs, and caches the result (decode-cache.ts).
 */
import { readFileSync } from 'node:fs';
import { DatasetError } from '../dnn/data/dataset-error.ts';
import { resizeBilinear } from '../dnn/data/resize-image.ts';
import { cacheFilePath, decodeCacheKey, readDecodeCache, writeDecodeCache } from './decode-cache.ts';
import type { DecodedImages } from './decode-cache.ts';
import { decodeImage } from './decode-image.ts';
import { listImageFolder } from './image-folder-listing.ts';
import type { FolderFile } from './image-folder-listing.ts';
import { defaultDatasetCacheDir } from './data-locations.ts';

export type ProgressCallback = (done: number, total: number) => void;

export interface DecodeOptions {
  /** Resize every image to this size (both or neither); without, all images must share the first one's size. */
  height?: number;
  width?: number;
  /** Where decoded folders are cached; default `$EDGETREE_HOME/cache/datasets`. */
  cacheDir?: string;
  /** Called while decoding (every 256 images and at the end); not called on a cache hit. */
  onProgress?: ProgressCallback;
}

export interface ImageFolderOptions extends DecodeOptions {
  /** The first N images in the folder's order (classes in turn). */
  limit?: number;
}

export interface LoadedImages extends DecodedImages {
  /** True when read back from the cache rather than decoded now. */
  fromCache: boolean;
  /** The cache file written or read. */
  cacheFile: string;
}

/** Decodes an image folder's classes and images (RGB, NHWC bytes), cached. */
export async function loadImageFolder(dir: string, opts: ImageFolderOptions = {}): Promise<LoadedImages> {
  const listing = listImageFolder(dir);
  const files = opts.limit === undefined ? listing.files : listing.files.slice(0, opts.limit);
  return decodeFolderFiles(files, listing.classes, opts);
}

/** Decodes the given files of a listing (labels from `classes`), through the cache. */
export async function decodeFolderFiles(files: readonly FolderFile[], classes: string[], opts: DecodeOptions = {}): Promise<LoadedImages> {
  if ((opts.height === undefined) !== (opts.width === undefined)) {
    throw new RangeError(`loadImageFolder: give both height and width or neither, got height ${opts.height} and width ${opts.width}`);
  }
  const cacheDir = opts.cacheDir ?? defaultDatasetCacheDir();
  const cacheFile = cacheFilePath(cacheDir, decodeCacheKey(files, classes, opts));
  const cached = readDecodeCache(cacheFile);
  if (cached) return { ...cached, fromCache: true, cacheFile };
  const decoded = await decodeFiles(files, classes, opts);
  writeDecodeCache(cacheFile, cacheDir, decoded);
  return { ...decoded, fromCache: false, cacheFile };
}

const PROGRESS_EVERY = 256;

async function decodeFiles(files: readonly FolderFile[], classes: string[], opts: DecodeOptions): Promise<DecodedImages> {
  const channels = 3;
  let height = opts.height ?? 0;
  let width = opts.width ?? 0;
  let pixels = new Uint8Array(0);
  const labels = new Uint8Array(files.length);
  for (let n = 0; n < files.length; n++) {
    const f = files[n];
    const img = decodeImage(readFileSync(f.path), f.path);
    if (n === 0) {
      if (opts.height === undefined) {
        height = img.height;
        width = img.width;
      }
      pixels = new Uint8Array(files.length * height * width * channels);
    }
    let data = img.data;
    if (img.height !== height || img.width !== width) {
      if (opts.height === undefined) {
        throw new DatasetError(f.path, `is ${img.width}x${img.height} but the folder's first image ${files[0].path} is ${width}x${height}; ask for a size (height and width) to resize them`);
      }
      data = resizeBilinear(img.data, img.height, img.width, channels, height, width);
    }
    pixels.set(data, n * height * width * channels);
    labels[n] = f.label;
    if ((n + 1) % PROGRESS_EVERY === 0 || n + 1 === files.length) {
      opts.onProgress?.(n + 1, files.length);
      // Lets timers and progress events run during a long decode.
      if ((n + 1) % (PROGRESS_EVERY * 8) === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return { classes, count: files.length, height, width, channels, pixels, labels };
}
