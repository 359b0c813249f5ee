/**
 * Conv2DBackpropFilter (the conv weights' gradient) for the WASM backend, which
 * ships none. dW[kh,kw,ci,co] = sum over n,oh,ow of x[n, oh*s+kh-top, ow*s+kw-left, ci]
 * * dy[n,oh,ow,co]: an im2col of x, written already transposed as cols[K, rows]
 * (K = kh*kw*ci, rows = n*oh*ow), times dy as [rows, co] in the backend's BatchMatMul.
 * Why this shape: only the plain (untransposed) BatchMatMul reaches XNNPACK; with
 * transposeA it falls back to a scalar loop about 10x slower (measured here: 1.1 vs
 * 10.6 GMACC/s on [576 x 8192] x [8192 x 128]). The im2col pass is linear in
 * the gradient's input, the product is where the MACs are.
 */
import { backend_util } from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { disposeAll, heapFloats, runWasmKernel } from './wasm-heap.ts';
import { WasmKernelError } from './wasm-kernel-error.ts';

/** Most floats one im2col chunk may hold (32 MiB); bigger batches are split by image. */
const MAX_COLS_FLOATS = 8 * 1024 * 1024;

function conv2DBackpropFilter(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new WasmKernelError('Conv2DBackpropFilter', `dataFormat ${dataFormat} is not supported (NHWC only)`);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const k = filterHeight * filterWidth * inChannels;
  const perImage = outHeight * outWidth;
  const imagesPerChunk = Math.max(1, Math.min(batchSize, Math.floor(MAX_COLS_FLOATS / (k * perImage))));
  const geometry = { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, top, left };

  let total: TensorInfo | null = null;
  for (let n0 = 0; n0 < batchSize; n0 += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, batchSize - n0);
    const rows = images * perImage;
    const cols = backend.makeOutput([k, rows], 'float32');
    const dyRows = backend.makeOutput([rows, outChannels], 'float32');
    fillColumns(heapFloats(backend, cols), heapFloats(backend, x), n0, images, geometry);
    heapFloats(backend, dyRows).set(heapFloats(backend, dy).subarray(n0 * perImage * outChannels, (n0 + images) * perImage * outChannels));
    const part = runWasmKernel('BatchMatMul', { a: cols, b: dyRows }, backend, { transposeA: false, transposeB: false });
    disposeAll(backend, [cols, dyRows]);
    if (total === null) {
      total = part;
    } else {
      const sum = runWasmKernel('Add', { a: total, b: part }, backend);
      disposeAll(backend, [total, part]);
      total = sum;
    }
  }
  const result = runWasmKernel('Reshape', { x: total as TensorInfo }, backend, { shape: filterShape });
  disposeAll(backend, [total as TensorInfo]);
  return result;
}

interface Geometry {
  inHeight: number; inWidth: number; inChannels: number;
  outHeight: number; outWidth: number;
  filterHeight: number; filterWidth: number;
  strideHeight: number; strideWidth: number;
  top: number; left: number;
}

/** cols[(kh*fw + kw)*ci + c][row] = the x pixel that filter tap meets at output row, 0 in the padding. */
function fillColumns(cols: Float32Array, xs: Float32Array, n0: number, images: number, g: Geometry): void {
  const rows = images * g.outHeight * g.outWidth;
  const xRow = g.inWidth * g.inChannels;
  const xImage = g.inHeight * xRow;
  for (let kh = 0; kh < g.filterHeight; kh++) {
    for (let kw = 0; kw < g.filterWidth; kw++) {
      for (let c = 0; c < g.inChannels; c++) {
        let o = ((kh * g.filterWidth + kw) * g.inChannels + c) * rows;
        for (let n = n0; n < n0 + images; n++) {
          for (let oh = 0; oh < g.outHeight; oh++) {
            const ih = oh * g.strideHeight + kh - g.top;
            if (ih < 0 || ih >= g.inHeight) {
              cols.fill(0, o, o + g.outWidth);
              o += g.outWidth;
              continue;
            }
            const base = n * xImage + ih * xRow + c;
            for (let ow = 0; ow < g.outWidth; ow++) {
              const iw = ow * g.strideWidth + kw - g.left;
              cols[o++] = iw >= 0 && iw < g.inWidth ? xs[base + iw * g.inChannels] : 0;
            }
          }
        }
      }
    }
  }
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as KernelFunc,
};
