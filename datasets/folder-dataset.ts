/**
 * A data set kept as image folders: `DIR/train/<class>/...` (the official training set,
 * split into train and val) and `DIR/test/<class>/...` (the test set), as CIFAR-10's JPEG
 * copy and most users' own data sets. A folder with class sub-folders but no `train/`
 * is one official training set (no test split).
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatasetError } from '../dnn/data/dataset-error.ts';
import type { DatasetSplit, ImageDataset } from '../dnn/data/image-dataset.ts';
import { computeChannelStats } from '../dnn/data/dataset-stats.ts';
import type { ChannelStats } from '../dnn/data/dataset-stats.ts';
import { selectImages } from '../dnn/data/splits.ts';
import { decodeFolderFiles } from './image-folder.ts';
import type { DecodeOptions } from './image-folder.ts';
import { listImageFolder } from './image-folder-listing.ts';
import type { FolderListing } from './image-folder-listing.ts';
import { officialIndices, officialSet } from './official-indices.ts';

export interface FolderDatasetOptions extends DecodeOptions {
  /** The first N images of the split. */
  limit?: number;
  /** Fixed constants (named data sets); without, the per-channel mean and std of the official training folder. */
  stats?: ChannelStats;
  /** Class names the folder must have (named data sets), checked before decoding. */
  expectClasses?: readonly string[];
  name?: string;
}

/** The folder of an official set: `DIR/train` / `DIR/test`, or DIR itself when it has no `train/`. */
export function officialFolder(dir: string, official: 'train' | 'test'): string {
  if (!existsSync(dir)) throw new DatasetError(dir, 'data set folder not found');
  const sub = join(dir, official);
  if (existsSync(sub)) return sub;
  if (official === 'train' && !existsSync(join(dir, 'test'))) return dir;
  throw new DatasetError(sub, `folder not found: an image data set holds train/<class>/ and test/<class>/ sub-folders`);
}

export function listOfficial(dir: string, official: 'train' | 'test', expectClasses?: readonly string[]): FolderListing {
  const listing = listImageFolder(officialFolder(dir, official));
  if (expectClasses && listing.classes.join('\n') !== expectClasses.join('\n')) {
    throw new DatasetError(listing.dir, `holds classes ${listing.classes.join(', ')}; expected ${expectClasses.join(', ')}`);
  }
  return listing;
}

export async function loadFolderDataset(dir: string, split: DatasetSplit, opts: FolderDatasetOptions = {}): Promise<ImageDataset> {
  const listing = listOfficial(dir, officialSet(split), opts.expectClasses);
  const idx = officialIndices(split, listing.files.length, opts.limit);
  const decode = { ...opts };
  delete decode.limit;
  // The whole official folder is decoded (and cached once) unless a limit asks for a few images.
  const whole = opts.limit === undefined;
  const images = await decodeFolderFiles(whole ? listing.files : Array.from(idx, (i) => listing.files[i]), listing.classes, decode);
  const imageBytes = images.height * images.width * images.channels;
  const chosen = whole ? selectImages(images.pixels, images.labels, imageBytes, idx) : images;
  const stats = opts.stats ?? (await trainingStats(dir, split, images.pixels, whole, decode));
  return {
    name: opts.name ?? basename(dir),
    split,
    height: images.height,
    width: images.width,
    channels: images.channels,
    classes: listing.classes,
    count: idx.length,
    pixels: chosen.pixels,
    labels: chosen.labels,
    mean: stats.mean,
    std: stats.std,
    fromCache: images.fromCache,
  };
}

async function trainingStats(dir: string, split: DatasetSplit, decoded: Uint8Array, whole: boolean, decode: DecodeOptions): Promise<ChannelStats> {
  if (whole && split !== 'test') return computeChannelStats(decoded, 3);
  const train = listOfficial(dir, 'train');
  return computeChannelStats((await decodeFolderFiles(train.files, train.classes, decode)).pixels, 3);
}
