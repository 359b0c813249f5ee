/** An image data set in memory: raw NHWC bytes and labels, with its normalisation constants. */

/**
 * `test` is the data set's own test set; `val` a fixed, seeded choice of images from its
 * official training set and `train` the rest of that training set (see splits.ts).
 */
export type DatasetSplit = 'train' | 'val' | 'test';
export const DATASET_SPLITS: readonly DatasetSplit[] = ['train', 'val', 'test'];

export function isDatasetSplit(value: unknown): value is DatasetSplit {
  return typeof value === 'string' && (DATASET_SPLITS as readonly string[]).includes(value);
}

export interface ImageDataset {
  /** 'fashion-mnist', 'cifar10', or the folder's name for a user's image folder. */
  name: string;
  split: DatasetSplit;
  height: number;
  width: number;
  channels: number;
  classes: readonly string[];
  count: number;
  /** count * height * width * channels bytes, NHWC, raw 0..255. */
  pixels: Uint8Array;
  /** count class indices into `classes`. */
  labels: Uint8Array;
  /** Per channel, in 0..1 units: batches are ((p / 255 - mean) / std). */
  mean: readonly number[];
  std: readonly number[];
  /** True when the decoded images came from the studio's cache rather than being decoded now. */
  fromCache?: boolean;
}
