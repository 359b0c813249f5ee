/**
 * UnsortedSegmentSum for the WASM backend, which ships none; it is the gradient of
 * tf.gather (embedding-style lookups, gathered logits). out[s, ...] = sum of the
 * x[i, ...] whose segment id is s; ids outside [0, numSegments) are dropped, as in TF.
 */
import type { KernelConfig, KernelFunc, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { WasmKernelError } from './wasm-kernel-error.ts';

function unsortedSegmentSum(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = args.attrs as unknown as UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new WasmKernelError('UnsortedSegmentSum', `x has dtype ${x.dtype}, expected float32 or int32`);
  const idRank = segmentIds.shape.length;
  if (segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new WasmKernelError('UnsortedSegmentSum', `segmentIds shape [${segmentIds.shape.join(', ')}] is not a prefix of x shape [${x.shape.join(', ')}]`);
  }
  const inner = x.shape.slice(idRank).reduce((p, d) => p * d, 1);
  const ids = backend.readSync(segmentIds.dataId);
  const xs = backend.readSync(x.dataId) as Float32Array | Int32Array;
  const out = backend.makeOutput([numSegments, ...x.shape.slice(idRank)], x.dtype);
  const values = backend.typedArrayFromHeap(out);
  values.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = Number(ids[i]);
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) values[dst + j] += xs[src + j];
  }
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as KernelFunc,
};
