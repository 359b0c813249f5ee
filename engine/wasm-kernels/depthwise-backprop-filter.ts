/**
 * DepthwiseConv2dNativeBackpropFilter for the WASM backend, which ships none.
 * A depthwise conv does k*k MACs per output value, so its gradient is memory-bound:
 * a direct JavaScript loop over the heap arrays (the cpu backend's math, with flat
 * indexing instead of TensorBuffer.get) is as fast as reshaping it into matmuls.
 */
import { backend_util } from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapFloats } from './wasm-heap.ts';
import { depthwiseInfo } from './depthwise-info.ts';

function depthwiseBackpropFilter(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } = args.attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = depthwiseInfo('DepthwiseConv2dNativeBackpropFilter', x.shape, filterShape, strides, dilations, pad, dimRoundingMode);
  const dw = backend.makeOutput(info.filterShape as number[], 'float32');
  const out = heapFloats(backend, dw);
  accumulate(out, heapFloats(backend, x), heapFloats(backend, dy), info);
  return dw;
}

function accumulate(dw: Float32Array, xs: Float32Array, dys: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const mul = outChannels / inChannels;
  dw.fill(0);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let kh = 0; kh < filterHeight; kh++) {
        const ih = oh * strideHeight + kh - top;
        if (ih < 0 || ih >= inHeight) continue;
        for (let ow = 0; ow < outWidth; ow++) {
          const dyBase = ((b * outHeight + oh) * outWidth + ow) * outChannels;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth + kw - left;
            if (iw < 0 || iw >= inWidth) continue;
            const xBase = ((b * inHeight + ih) * inWidth + iw) * inChannels;
            // filter [kh, kw, c, m] flattened is (kh*fw + kw)*outChannels + c*mul + m, the same index as dy's channel.
            const wBase = (kh * filterWidth + kw) * outChannels;
            for (let c = 0; c < inChannels; c++) {
              const xv = xs[xBase + c];
              for (let m = 0; m < mul; m++) dw[wBase + c * mul + m] += xv * dys[dyBase + c * mul + m];
            }
          }
        }
      }
    }
  }
}

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as KernelFunc,
};
