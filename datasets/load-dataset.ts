/**
 * The studio's named data sets and their fixed splits (dnn/data/splits.ts):
 * - `fashion-mnist`: the gzipped IDX files of Debian's `dataset-fashion-mnist` (or
 *   `dataDir`), 28x28 grey zero-padded to 32x32x1; train 55,000, val 5,000, test 10,000.
 * - `cifar10`: 32x32x3, from JPEG class folders (`dataDir`, default ../shared/data/cifar10
 *   beside the checkout; train 45,000, val 5,000, test 10,000) or, where `dataDir` holds
 *   them, the binary release's data_batch_1..5.bin and test_batch.bin.
 * mean / std are the fixed constants of dnn/data/dataset-stats.ts.
 */
import { existsSync } from 'node:fs';
import type { DatasetName } from '../dnn/models/datasets.ts';
import type { DatasetSplit, ImageDataset } from '../dnn/data/image-dataset.ts';
import { DATASET_STATS } from '../dnn/data/dataset-stats.ts';
import { selectImages } from '../dnn/data/splits.ts';
import { DatasetError } from '../dnn/data/dataset-error.ts';
import { FASHION_MNIST_CLASSES, padFashionMnist, readFashionMnist } from './fashion-mnist.ts';
import { CIFAR10_CLASSES, cifarBinaryClasses, cifarBinaryCount, findCifarBinaryDir, readCifarBinary } from './cifar-binary-files.ts';
import { loadFolderDataset } from './folder-dataset.ts';
import type { ProgressCallback } from './image-folder.ts';
import { officialIndices, officialSet } from './official-indices.ts';
import { FASHION_MNIST_DIR, defaultCifar10Dir } from './data-locations.ts';

export interface LoadDatasetOptions {
  /** Where the data set's files are (default: FASHION_MNIST_DIR, or ../shared/data/cifar10). */
  dataDir?: string;
  /** Where decoded image folders are cached (default `$EDGETREE_HOME/cache/datasets`). */
  cacheDir?: string;
  /** The first N images of the split, for tests. */
  limit?: number;
  /** Called while decoding JPEG images. */
  onProgress?: ProgressCallback;
}

export async function loadDataset(name: DatasetName, split: DatasetSplit, opts: LoadDatasetOptions = {}): Promise<ImageDataset> {
  if (name === 'fashion-mnist') return loadFashionMnist(split, opts);
  if (name === 'cifar10') return loadCifar10(split, opts);
  throw new DatasetError(String(name), 'unknown data set; the studio knows fashion-mnist and cifar10 (or give an image folder)');
}

function loadFashionMnist(split: DatasetSplit, opts: LoadDatasetOptions): ImageDataset {
  const set = readFashionMnist(opts.dataDir ?? FASHION_MNIST_DIR, officialSet(split));
  const idx = officialIndices(split, set.count, opts.limit);
  const chosen = selectImages(set.images, set.labels, 28 * 28, idx);
  return {
    name: 'fashion-mnist',
    split,
    height: 32,
    width: 32,
    channels: 1,
    classes: FASHION_MNIST_CLASSES,
    count: idx.length,
    pixels: padFashionMnist(chosen.pixels, idx.length),
    labels: chosen.labels,
    ...DATASET_STATS['fashion-mnist'],
  };
}

async function loadCifar10(split: DatasetSplit, opts: LoadDatasetOptions): Promise<ImageDataset> {
  const dir = opts.dataDir ?? defaultCifar10Dir();
  if (!existsSync(dir)) {
    throw new DatasetError(dir, 'CIFAR-10 folder not found: pass --data DIR holding train/<class>/*.jpg and test/<class>/*.jpg, or the binary data_batch_1..5.bin and test_batch.bin');
  }
  const binDir = findCifarBinaryDir(dir);
  if (binDir !== null) {
    const official = officialSet(split);
    const idx = officialIndices(split, cifarBinaryCount(binDir, official), opts.limit);
    // The test split's first N are the file's first N; train and val need the whole set to pick from.
    const set = readCifarBinary(binDir, official, split === 'test' ? idx.length : undefined);
    const chosen = selectImages(set.pixels, set.labels, 32 * 32 * 3, idx);
    return {
      name: 'cifar10', split, height: 32, width: 32, channels: 3, classes: cifarBinaryClasses(binDir),
      count: idx.length, pixels: chosen.pixels, labels: chosen.labels, ...DATASET_STATS.cifar10,
    };
  }
  return loadFolderDataset(dir, split, {
    name: 'cifar10',
    height: 32,
    width: 32,
    stats: DATASET_STATS.cifar10,
    expectClasses: CIFAR10_CLASSES,
    ...(opts.cacheDir !== undefined && { cacheDir: opts.cacheDir }),
    ...(opts.limit !== undefined && { limit: opts.limit }),
    ...(opts.onProgress !== undefined && { onProgress: opts.onProgress }),
  });
}
