// Test support: the device half of a split run, as the request a device would send.
import * as tf from '@tensorflow/tfjs';
import type { SpecExecutor } from '../../dnn/tfjs/spec-executor.ts';
import { cutCrossings } from '../../dnn/spec/cut-crossings.ts';
import type { OffloadRequest } from '../../api/offload/offload-request.ts';

/** Runs layers [0, cut) locally and packs the crossing tensors for `model`. */
export function splitRequest(executor: SpecExecutor, model: string, cut: number, input: tf.Tensor4D): OffloadRequest {
  const crossing = executor.predictUntil(input, cut);
  const ids = cutCrossings(executor.analysis, cut).map((t) => t.producerId);
  const tensors = crossing.map((t, k) => ({ producerId: ids[k], shape: t.shape, data: t.dataSync() as Float32Array }));
  tf.dispose(crossing);
  return { model, cut, tensors };
}

/** The local full forward's output values. */
export function localLogits(executor: SpecExecutor, input: tf.Tensor4D): Float32Array {
  const y = executor.predict(input);
  const values = y.dataSync() as Float32Array;
  y.dispose();
  return values;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
