/**
 * Access to the WASM backend's tensors from JavaScript kernels: float views on the
 * heap and calls into the backend's own (XNNPACK) kernels.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { WasmKernelError } from './wasm-kernel-error.ts';

/**
 * A live view of a tensor's values in the WASM heap. Any allocation (makeOutput,
 * another kernel) may grow the heap and detach it, so take views after allocating.
 */
export function heapFloats(backend: BackendWasm, t: TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(t);
  if (!(view instanceof Float32Array)) throw new WasmKernelError('heap access', `expected a float32 tensor, got ${t.dtype}`);
  return view;
}

/** Runs one of the wasm backend's registered kernels on tensors already in its heap. */
export function runWasmKernel(kernelName: string, inputs: NamedTensorInfoMap, backend: BackendWasm, attrs: NamedAttrMap = {}): TensorInfo {
  const config = tf.getKernel(kernelName, 'wasm');
  if (config === undefined) throw new WasmKernelError(kernelName, 'the kernel is not registered for wasm');
  const out = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new WasmKernelError(kernelName, 'expected one output tensor');
  return out;
}

/** Frees intermediate tensors a kernel made and does not return. */
export function disposeAll(backend: BackendWasm, ts: TensorInfo[]): void {
  for (const t of ts) backend.disposeData(t.dataId);
}
