/**
 * Top-1 accuracy of a model on a data set split, in batches on the current
 * TF.js backend (the caller picks it with engine/tfjs-backend.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../dnn/data/image-dataset.ts';
import { batchPixels } from '../dnn/data/batch.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { SpecExecutor } from '../dnn/tfjs/spec-executor.ts';

export interface EvaluateOptions {
  /** Images per forward (default 100). */
  batch?: number;
  /** The first N images of the split (default all). */
  limit?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface AccuracyResult {
  accuracy: number;
  correct: number;
  images: number;
  ms: number;
}

export function evaluateAccuracy(spec: ModelSpec, weights: WeightSet, ds: ImageDataset, opts: EvaluateOptions = {}): AccuracyResult {
  const executor = new SpecExecutor(spec, weights);
  try {
    return evaluateWith((x) => executor.predict(x), ds, opts);
  } finally {
    executor.dispose();
  }
}

/** Accuracy of any batch function (logits [N, classes] from NHWC images). */
export function evaluateWith(predict: (x: tf.Tensor4D) => tf.Tensor, ds: ImageDataset, opts: EvaluateOptions = {}): AccuracyResult {
  const images = Math.min(opts.limit ?? ds.count, ds.count);
  const batch = opts.batch ?? 100;
  const start = performance.now();
  let correct = 0;
  for (let from = 0; from < images; from += batch) {
    const n = Math.min(batch, images - from);
    const indices = Array.from({ length: n }, (_, i) => from + i);
    const predicted = tf.tidy(() => {
      const x = tf.tensor4d(batchPixels(ds, indices), [n, ds.height, ds.width, ds.channels]);
      return predict(x).argMax(-1).dataSync();
    });
    for (let i = 0; i < n; i++) if (predicted[i] === ds.labels[from + i]) correct += 1;
    opts.onProgress?.(from + n, images);
  }
  return { accuracy: images === 0 ? 0 : correct / images, correct, images, ms: performance.now() - start };
}
