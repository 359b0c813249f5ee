/**
 * Registers the kernels a training step needs that the WASM backend lacks
 * (found by profiling vgg11, alexnet and a resnet-style block with bn, add,
 * depthwise and concat, trained with softmax cross-entropy under sgd and adam,
 * and tf.layers fit with training-mode batch norm and dropout):
 * Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter / Input and
 * UnsortedSegmentSum (tf.gather's gradient); replaces the built-in
 * Conv2DBackpropInput with a faster one and the built-in MaxPoolGrad, which is
 * wrong on negative inputs, with a correct one.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.ts';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.ts';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.ts';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.ts';
import { maxPoolGradConfig } from './max-pool-grad.ts';

export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
  maxPoolGradConfig,
];

/** The backend's own kernels this module replaced, by name, kept for comparisons. */
const replacedBuiltins = new Map<string, KernelConfig>();

/**
 * Makes the studio's kernels the wasm backend's (idempotent; a kernel the backend
 * already has, like Conv2DBackpropInput, is replaced). Returns their names.
 */
export function registerWasmTrainingKernels(): string[] {
  for (const config of WASM_TRAINING_KERNELS) {
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (existing?.kernelFunc === config.kernelFunc) continue;
    if (existing !== undefined) {
      if (!replacedBuiltins.has(config.kernelName)) replacedBuiltins.set(config.kernelName, existing);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel(config);
  }
  return WASM_TRAINING_KERNELS.map((c) => c.kernelName);
}

/**
 * Puts the backend's own version of a replaced kernel back (benchmarks compare
 * it with ours; registerWasmTrainingKernels() undoes it). False when the
 * backend had none of that name.
 */
export function useBuiltinWasmKernel(kernelName: string): boolean {
  const builtin = replacedBuiltins.get(kernelName);
  if (builtin === undefined) return false;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel(builtin);
  return true;
}
