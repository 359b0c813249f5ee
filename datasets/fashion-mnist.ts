/**
 * Fashion-MNIST from its four gzipped IDX files (Debian's `dataset-fashion-mnist`, or
 * any folder holding the same names, gzipped or not). Images are 28x28 grey, zero-padded
 * by 2 pixels on each side to 32x32, the input the studio's models take.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from '../dnn/data/dataset-error.ts';
import { parseIdx } from '../dnn/data/idx.ts';
import type { IdxArray } from '../dnn/data/idx.ts';
import { padImages } from '../dnn/data/pad-images.ts';

export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];
export const FASHION_MNIST_PAD = 2;
const SIDE = 28;

const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

export interface FashionMnistSet {
  /** Images in the official set (60,000 or 10,000). */
  count: number;
  /** The 28x28 images, NHWC with C = 1, unpadded. */
  images: Uint8Array;
  labels: Uint8Array;
}

/** The official `train` (60,000) or `test` (10,000) set, images unpadded; checked for matching counts and 28x28 size. */
export function readFashionMnist(dir: string, official: 'train' | 'test'): FashionMnistSet {
  if (!existsSync(dir)) {
    throw new DatasetError(dir, 'Fashion-MNIST folder not found: install it with `apt-get install dataset-fashion-mnist` (Debian), or pass --data DIR holding its four IDX files');
  }
  const imagesFile = findFile(dir, FILES[official].images);
  const labelsFile = findFile(dir, FILES[official].labels);
  const images = readIdx(imagesFile);
  const labels = readIdx(labelsFile);
  if (images.dims.length !== 3 || images.dims[1] !== SIDE || images.dims[2] !== SIDE) {
    throw new DatasetError(imagesFile, `expected 28x28 images (dimensions N x 28 x 28), got ${images.dims.join(' x ')}`);
  }
  if (labels.dims.length !== 1) throw new DatasetError(labelsFile, `expected one dimension of labels, got ${labels.dims.join(' x ')}`);
  if (labels.dims[0] !== images.dims[0]) {
    throw new DatasetError(labelsFile, `holds ${labels.dims[0]} labels but ${imagesFile} holds ${images.dims[0]} images`);
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i] > 9) throw new DatasetError(labelsFile, `label ${i} is ${labels.data[i]}; Fashion-MNIST labels are 0..9`);
  }
  return { count: images.dims[0], images: images.data, labels: labels.data };
}

/** Zero-pads 28x28 images to 32x32 (padding pixels are 0, i.e. black). */
export function padFashionMnist(images: Uint8Array, count: number): Uint8Array {
  return padImages(images, count, SIDE, SIDE, 1, FASHION_MNIST_PAD);
}

/** Counts of the official sets from the small label files alone (for `datasets show`). */
export function fashionMnistCounts(dir: string): { train: number; test: number } {
  if (!existsSync(dir)) readFashionMnist(dir, 'test'); // throws the install hint
  return {
    train: readIdx(findFile(dir, FILES.train.labels)).dims[0],
    test: readIdx(findFile(dir, FILES.test.labels)).dims[0],
  };
}

function findFile(dir: string, base: string): string {
  for (const name of [`${base}.gz`, base]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new DatasetError(join(dir, `${base}.gz`), 'Fashion-MNIST file not found: install it with `apt-get install dataset-fashion-mnist` (Debian), or pass --data DIR holding this file');
}

function readIdx(path: string): IdxArray {
  let bytes: Uint8Array = readFileSync(path);
  if (path.endsWith('.gz')) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new DatasetError(path, `not a readable gzip file (truncated or corrupt): ${why}`);
    }
  }
  return parseIdx(bytes, path);
}
