/**
 * The studio's fixed splits. `test` is a data set's own test set. The validation split
 * is VAL_SIZE images of the official training set, chosen as the first VAL_SIZE of a
 * Fisher-Yates permutation of 0..n-1 drawn with SeededRandom(VAL_SPLIT_SEED); `train` is
 * the rest. Both list original indices in ascending order, so every run, on every
 * machine, trains and validates on the same images: Fashion-MNIST 55,000 / 5,000,
 * CIFAR-10 45,000 / 5,000. A small training set (a user's folder) gives a tenth to
 * validation instead, when that is smaller than VAL_SIZE.
 */
import { SeededRandom } from '../tfjs/seeded-random.ts';

export const VAL_SPLIT_SEED = 0x5eed_0004;
export const VAL_SIZE = 5000;

/** How many of `trainCount` official training images go to the validation split. */
export function valCount(trainCount: number): number {
  return Math.min(VAL_SIZE, Math.floor(trainCount / 10));
}

/** Original indices (ascending) of the `train` or `val` split of an official training set of `trainCount` images. */
export function splitIndices(trainCount: number, split: 'train' | 'val'): Uint32Array {
  const order = new Uint32Array(trainCount);
  for (let i = 0; i < trainCount; i++) order[i] = i;
  const rng = new SeededRandom(VAL_SPLIT_SEED);
  for (let i = trainCount - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const nVal = valCount(trainCount);
  const inVal = new Uint8Array(trainCount);
  for (let k = 0; k < nVal; k++) inVal[order[k]] = 1;
  const want = split === 'val' ? 1 : 0;
  const out = new Uint32Array(split === 'val' ? nVal : trainCount - nVal);
  let o = 0;
  for (let i = 0; i < trainCount; i++) if (inVal[i] === want) out[o++] = i;
  return out;
}

/** The images at `indices` (NHWC, `imageBytes` each) and their labels, copied out in that order. */
export function selectImages(pixels: Uint8Array, labels: Uint8Array, imageBytes: number, indices: ArrayLike<number>): { pixels: Uint8Array; labels: Uint8Array } {
  const outPixels = new Uint8Array(indices.length * imageBytes);
  const outLabels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    outPixels.set(pixels.subarray(i * imageBytes, (i + 1) * imageBytes), k * imageBytes);
    outLabels[k] = labels[i];
  }
  return { pixels: outPixels, labels: outLabels };
}
