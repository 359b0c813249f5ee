import { backend_util } from '@tensorflow/tfjs';
import { WasmKernelError } from './wasm-kernel-error.ts';

type Pair = number | [number, number];

/** The depthwise conv geometry of a backprop kernel; NHWC and dilation 1 only, as TF.js's own gradients require. */
export function depthwiseInfo(
  kernelName: string, xShape: number[], filterShape: number[], strides: Pair, dilations: Pair,
  pad: backend_util.ExplicitPadding | 'valid' | 'same' | number, dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
): backend_util.Conv2DInfo {
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, true,
  );
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    throw new WasmKernelError(kernelName, `dilations ${String(dilations)} are not supported (1 only)`);
  }
  return info;
}
