/**
 * Fixed normalisation constants per data set, per channel in 0..1 units; training,
 * distillation and evaluation all use these (batchPixels). Fashion-MNIST's are the
 * mean and std of the 60,000 training images at 28x28: the zero padding to 32x32 adds
 * pixels of value 0 and does not change them. CIFAR-10's are the usual ones of its
 * 50,000 training images (R, G, B).
 */
import type { DatasetName } from '../models/datasets.ts';

export interface ChannelStats {
  mean: readonly number[];
  std: readonly number[];
}

export const DATASET_STATS: Readonly<Record<DatasetName, ChannelStats>> = {
  'fashion-mnist': { mean: [0.2860], std: [0.3530] },
  cifar10: { mean: [0.4914, 0.4822, 0.4465], std: [0.2470, 0.2435, 0.2616] },
};

/** Per-channel mean and std (0..1 units) of NHWC bytes: the constants of a user's own folder, from its training images. */
export function computeChannelStats(pixels: Uint8Array, channels: number): ChannelStats {
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i] / 255;
    sum[i % channels] += v;
    sq[i % channels] += v * v;
  }
  const n = pixels.length / channels;
  const mean = Array.from(sum, (s) => (n > 0 ? s / n : 0));
  // A constant channel would divide by zero; std 1 leaves it merely centred.
  const std = Array.from(sq, (s, c) => {
    const variance = n > 0 ? s / n - mean[c] * mean[c] : 0;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { mean, std };
}
