/**
 * What a data set holds, without decoding its images (for `edgetree datasets show`):
 * per split the image count, the classes and the image size.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DATASET_SPLITS } from '../dnn/data/image-dataset.ts';
import type { DatasetSplit } from '../dnn/data/image-dataset.ts';
import { DATASET_STATS } from '../dnn/data/dataset-stats.ts';
import { valCount } from '../dnn/data/splits.ts';
import { isDatasetName } from '../dnn/models/datasets.ts';
import { DatasetError } from '../dnn/data/dataset-error.ts';
import { FASHION_MNIST_CLASSES, fashionMnistCounts } from './fashion-mnist.ts';
import { CIFAR10_CLASSES, cifarBinaryClasses, cifarBinaryCount, findCifarBinaryDir } from './cifar-binary-files.ts';
import { listOfficial } from './folder-dataset.ts';
import { decodeImage } from './decode-image.ts';
import { FASHION_MNIST_DIR, defaultCifar10Dir } from './data-locations.ts';

export type DatasetFormat = 'idx' | 'cifar-binary' | 'image-folder';

export interface DatasetSummary {
  name: string;
  format: DatasetFormat;
  /** The folder read. */
  source: string;
  classes: readonly string[];
  height: number;
  width: number;
  channels: number;
  /** Fixed constants of a named data set; null for a folder (computed from its training images when loaded). */
  mean: readonly number[] | null;
  std: readonly number[] | null;
  splits: { split: DatasetSplit; count: number }[];
}

/** `target` is 'fashion-mnist', 'cifar10' (files in `dataDir` or the default place) or an image folder. */
export function describeDataset(target: string, dataDir?: string): DatasetSummary {
  if (target === 'fashion-mnist') {
    const dir = dataDir ?? FASHION_MNIST_DIR;
    const n = fashionMnistCounts(dir);
    return named('fashion-mnist', 'idx', dir, FASHION_MNIST_CLASSES, [32, 32, 1], n.train, n.test);
  }
  if (target === 'cifar10') {
    const dir = dataDir ?? defaultCifar10Dir();
    if (!existsSync(dir)) throw new DatasetError(dir, 'CIFAR-10 folder not found: pass --data DIR');
    const binDir = findCifarBinaryDir(dir);
    if (binDir !== null) {
      return named('cifar10', 'cifar-binary', binDir, cifarBinaryClasses(binDir), [32, 32, 3], cifarBinaryCount(binDir, 'train'), cifarBinaryCount(binDir, 'test'));
    }
    const train = listOfficial(dir, 'train', CIFAR10_CLASSES).files.length;
    const test = listOfficial(dir, 'test', CIFAR10_CLASSES).files.length;
    return named('cifar10', 'image-folder', dir, CIFAR10_CLASSES, [32, 32, 3], train, test);
  }
  if (isDatasetName(target)) throw new DatasetError(target, 'no description for this data set');
  return describeFolder(resolve(target));
}

function named(name: 'fashion-mnist' | 'cifar10', format: DatasetFormat, source: string, classes: readonly string[], shape: [number, number, number], train: number, test: number): DatasetSummary {
  return {
    name, format, source, classes, height: shape[0], width: shape[1], channels: shape[2],
    ...DATASET_STATS[name],
    splits: splitCounts(train, test),
  };
}

function splitCounts(train: number, test: number | null): { split: DatasetSplit; count: number }[] {
  const counts: Record<DatasetSplit, number | null> = { train: train - valCount(train), val: valCount(train), test };
  return DATASET_SPLITS.filter((s) => counts[s] !== null).map((split) => ({ split, count: counts[split] ?? 0 }));
}

function describeFolder(dir: string): DatasetSummary {
  const train = listOfficial(dir, 'train');
  const hasTest = existsSync(join(dir, 'train')) && existsSync(join(dir, 'test'));
  const test = hasTest ? listOfficial(dir, 'test') : null;
  if (test && test.classes.join('\n') !== train.classes.join('\n')) {
    throw new DatasetError(test.dir, `holds classes ${test.classes.join(', ')} but ${train.dir} holds ${train.classes.join(', ')}`);
  }
  // The size of the first image; loading checks that the others share it.
  const first = train.files[0].path;
  const img = decodeImage(readFileSync(first), first);
  return {
    name: basename(dir), format: 'image-folder', source: dir, classes: train.classes,
    height: img.height, width: img.width, channels: 3, mean: null, std: null,
    splits: splitCounts(train.files.length, test ? test.files.length : null),
  };
}
