/**
 * Conv2DBackpropInput (the gradient wrt a conv's input) for the WASM backend,
 * replacing its built-in scalar C++ loop (measured slower, see bench/training.bench.ts).
 * Stride 1: the transposed-conv identity, dx = conv2d(dy, W') with W' the filter
 * flipped in space and with in/out channels swapped, padded by (k - 1 - pad) on
 * each side, all in the backend's XNNPACK Conv2D. Stride > 1 (or a pad larger than
 * k - 1): dcols = dy[rows, co] x W^T[co, K] in the XNNPACK BatchMatMul, then col2im
 * adds each column back onto the input pixel it came from (no zero-stuffed dy,
 * whose conv would do s*s times the work).
 */
import { backend_util } from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { disposeAll, heapFloats, runWasmKernel } from './wasm-heap.ts';
import { WasmKernelError } from './wasm-kernel-error.ts';

/** Most floats one dcols chunk may hold (32 MiB); bigger batches are split by image. */
const MAX_COLS_FLOATS = 8 * 1024 * 1024;

type ConvInfo = backend_util.Conv2DInfo;

function conv2DBackpropInput(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as Conv2DBackpropInputAttrs;
  const info = backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new WasmKernelError('Conv2DBackpropInput', `dataFormat ${dataFormat} is not supported (NHWC only)`);
  const pads = transposedPads(info);
  if (info.strideHeight === 1 && info.strideWidth === 1 && pads.every((p) => p >= 0)) return viaConv(backend, dy, filter, pads);
  return viaCol2im(backend, dy, filter, info);
}

/** [top, bottom, left, right] padding of dy that makes a stride-1 conv with the flipped filter produce dx. */
function transposedPads(info: ConvInfo): [number, number, number, number] {
  const top = info.filterHeight - 1 - info.padInfo.top;
  const left = info.filterWidth - 1 - info.padInfo.left;
  // dx has inHeight rows: outHeight + top + bottom - (filterHeight - 1) = inHeight.
  const bottom = info.inHeight - info.outHeight - top + info.filterHeight - 1;
  const right = info.inWidth - info.outWidth - left + info.filterWidth - 1;
  return [top, bottom, left, right];
}

function viaConv(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, [top, bottom, left, right]: number[]): TensorInfo {
  const flipped = runWasmKernel('Reverse', { x: filter }, backend, { dims: [0, 1] });
  const swapped = runWasmKernel('Transpose', { x: flipped }, backend, { perm: [0, 1, 3, 2] });
  const dx = runWasmKernel('Conv2D', { x: dy, filter: swapped }, backend, {
    strides: [1, 1], pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined,
  } as unknown as Parameters<typeof runWasmKernel>[3]);
  disposeAll(backend, [flipped, swapped]);
  return dx;
}

function viaCol2im(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: ConvInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const k = filterHeight * filterWidth * inChannels;
  const perImage = outHeight * outWidth;
  const filter2d = runWasmKernel('Reshape', { x: filter }, backend, { shape: [k, outChannels] });
  const filterT = runWasmKernel('Transpose', { x: filter2d }, backend, { perm: [1, 0] });
  disposeAll(backend, [filter2d]);
  const dx = backend.makeOutput([batchSize, inHeight, inWidth, inChannels], 'float32');
  heapFloats(backend, dx).fill(0);
  const imagesPerChunk = Math.max(1, Math.min(batchSize, Math.floor(MAX_COLS_FLOATS / (k * perImage))));
  for (let n0 = 0; n0 < batchSize; n0 += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, batchSize - n0);
    const dyRows = backend.makeOutput([images * perImage, outChannels], 'float32');
    heapFloats(backend, dyRows).set(heapFloats(backend, dy).subarray(n0 * perImage * outChannels, (n0 + images) * perImage * outChannels));
    const dcols = runWasmKernel('BatchMatMul', { a: dyRows, b: filterT }, backend, { transposeA: false, transposeB: false });
    addColumns(heapFloats(backend, dx), heapFloats(backend, dcols), n0, images, info);
    disposeAll(backend, [dyRows, dcols]);
  }
  disposeAll(backend, [filterT]);
  return dx;
}

/** dx[n, oh*s+kh-top, ow*s+kw-left, c] += dcols[row][(kh*fw + kw)*ci + c] for every tap inside the image. */
function addColumns(dx: Float32Array, dcols: Float32Array, n0: number, images: number, info: ConvInfo): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const k = filterHeight * filterWidth * inChannels;
  let row = 0;
  for (let n = n0; n < n0 + images; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++, row++) {
        const colBase = row * k;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh - top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth + kw - left;
            if (iw < 0 || iw >= inWidth) continue;
            const src = colBase + (kh * filterWidth + kw) * inChannels;
            const dst = ((n * inHeight + ih) * inWidth + iw) * inChannels;
            for (let c = 0; c < inChannels; c++) dx[dst + c] += dcols[src + c];
          }
        }
      }
    }
  }
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as KernelFunc,
};
