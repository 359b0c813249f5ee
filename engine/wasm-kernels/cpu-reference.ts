/**
 * Test helper: runs the same computation on the plain cpu backend (the reference)
 * and on wasm, from the same input arrays, and reports how far apart they are.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export interface Input {
  values: Float32Array | Int32Array;
  shape: number[];
}

/** Deterministic values in [-1, 1) (a small LCG), so a failing case reruns the same. */
export function seededValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Runs `f` on fresh tensors of `inputs` on one backend; returns each output's values and shape. */
export async function runOn(backend: 'cpu' | 'wasm', inputs: Input[], f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<Input[]> {
  if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend did not start`);
  const xs = inputs.map((i) => tf.tensor(i.values, i.shape, i.values instanceof Int32Array ? 'int32' : 'float32'));
  const ys = f(...xs);
  const list = Array.isArray(ys) ? ys : [ys];
  const out = list.map((y) => ({ values: y.dataSync() as Float32Array, shape: y.shape }));
  tf.dispose([...xs, ...list]);
  return out;
}

/** max |a - b| over max |reference|: the relative error of a whole tensor. */
export function relativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - reference[i]));
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Tensors the engine tracks plus data the wasm backend holds (a kernel's leaked intermediates show only there). */
export function liveData(): { tensors: number; wasmData: number } {
  const backend = tf.findBackend('wasm') as BackendWasm | null;
  return { tensors: tf.memory().numTensors, wasmData: backend === null ? 0 : backend.dataIdMap.numDataIds() };
}
