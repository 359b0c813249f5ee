/**
 * DepthwiseConv2dNativeBackpropInput for the WASM backend, which ships none: each
 * dy value scattered back through its filter taps onto the input pixels, a direct
 * loop over the heap arrays (memory-bound like the forward, see depthwise-backprop-filter.ts).
 */
import { backend_util } from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeBackpropInputAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapFloats } from './wasm-heap.ts';
import { depthwiseInfo } from './depthwise-info.ts';

function depthwiseBackpropInput(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } = args.attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const info = depthwiseInfo('DepthwiseConv2dNativeBackpropInput', inputShape, filter.shape, strides, dilations, pad, dimRoundingMode);
  const dx = backend.makeOutput(info.inShape as number[], 'float32');
  scatter(heapFloats(backend, dx), heapFloats(backend, dy), heapFloats(backend, filter), info);
  return dx;
}

function scatter(dx: Float32Array, dys: Float32Array, w: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const mul = outChannels / inChannels;
  dx.fill(0);
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
            const wBase = (kh * filterWidth + kw) * outChannels;
            for (let c = 0; c < inChannels; c++) {
              let sum = 0;
              for (let m = 0; m < mul; m++) sum += dys[dyBase + c * mul + m] * w[wBase + c * mul + m];
              dx[xBase + c] += sum;
            }
          }
        }
      }
    }
  }
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as KernelFunc,
};
