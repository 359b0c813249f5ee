/** Test support: runs a spec on a batch and reads the output back, leaving no tensors behind. */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../spec/layer-spec.ts';
import type { WeightSet } from '../../tfjs/layer-weights.ts';
import { SpecExecutor } from '../../tfjs/spec-executor.ts';
import { SeededRandom } from '../../tfjs/seeded-random.ts';

/** A batch of `n` inputs for the spec, uniform in [low, high), the same for the same seed. */
export function randomBatch(spec: ModelSpec, n: number, seed: number, low = -1, high = 1): Float32Array {
  const random = new SeededRandom(seed);
  const size = n * spec.inputShape[0] * spec.inputShape[1] * spec.inputShape[2];
  return Float32Array.from({ length: size }, () => low + (high - low) * random.uniform());
}

/** The model's output values for the batch, flattened. */
export function forward(spec: ModelSpec, weights: WeightSet, batch: Float32Array): Float32Array {
  const executor = new SpecExecutor(spec, weights);
  const n = batch.length / (spec.inputShape[0] * spec.inputShape[1] * spec.inputShape[2]);
  const x = tf.tensor4d(batch, [n, ...spec.inputShape]);
  try {
    const y = executor.predict(x);
    const values = y.dataSync() as Float32Array;
    y.dispose();
    return Float32Array.from(values);
  } finally {
    x.dispose();
    executor.dispose();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`maxAbsDiff: lengths ${a.length} and ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

export function rmsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum / a.length);
}
