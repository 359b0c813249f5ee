/**
 * MaxPoolGrad for the WASM backend, replacing the built-in one, which gives wrong
 * gradients when a window's values are negative (measured: 0.67-1.0 relative error
 * against the cpu backend on random values in [-1, 1), exact only on non-negative
 * ones), as they are after a conv without relu or a bn. Each window's gradient goes to its first
 * largest input, as in the cpu backend and TensorFlow. A JavaScript loop over the
 * heap arrays: pooling is memory-bound, one pass over x and one over dy.
 */
import { backend_util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapFloats } from './wasm-heap.ts';

function maxPoolGrad(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const dx = backend.makeOutput(input.shape, 'float32');
  route(heapFloats(backend, dx), heapFloats(backend, input), heapFloats(backend, dy), info);
  return dx;
}

function route(dx: Float32Array, xs: Float32Array, dys: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  dx.fill(0);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = Math.max(0, oh * strideHeight - top);
      const h1 = Math.min(inHeight, oh * strideHeight - top + filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = Math.max(0, ow * strideWidth - left);
        const w1 = Math.min(inWidth, ow * strideWidth - left + filterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        at.fill(-1);
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) {
            const base = ((b * inHeight + ih) * inWidth + iw) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = xs[base + ch];
              if (v > best[ch]) {
                best[ch] = v;
                at[ch] = base + ch;
              }
            }
          }
        }
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * c;
        for (let ch = 0; ch < c; ch++) if (at[ch] >= 0) dx[at[ch]] += dys[dyBase + ch];
      }
    }
  }
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as KernelFunc,
};
