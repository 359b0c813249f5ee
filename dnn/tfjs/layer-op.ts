import * as tf from '@tensorflow/tfjs';
import type { LayerSpec, Padding } from '../spec/layer-spec.ts';
import { applyActivation, fusable, LEAKY_RELU_ALPHA } from './activations.ts';
import type { LayerTensors } from './layer-tensors.ts';

/** Keras BatchNormalization's default epsilon (TF.js layers and Keras both use 1e-3). */
export const BN_EPSILON = 1e-3;

/**
 * One layer's forward computation on batched NHWC tensors ([N, features] after
 * flatten / gap). The caller wraps it in tf.tidy; it returns a new tensor, never
 * one of its inputs (identity layers clone), so the caller may free inputs freely.
 */
export function runLayer(layer: LayerSpec, inputs: tf.Tensor[], w: LayerTensors): tf.Tensor {
  const x = inputs[0];
  switch (layer.type) {
    case 'conv':
      return conv(layer, x as tf.Tensor4D, w);
    case 'depthwise': {
      const activation = layer.activation ?? 'linear';
      const y = tf.fused.depthwiseConv2d({
        x: x as tf.Tensor4D, filter: w.kernel as tf.Tensor4D, strides: layer.stride ?? 1, pad: tfPad(layer.padding),
        ...biasAndActivation(w, activation),
      });
      return fusable(activation) ? y : applyActivation(y, activation);
    }
    case 'fc': {
      const activation = layer.activation ?? 'linear';
      const y = tf.fused.matMul({ a: x as tf.Tensor2D, b: w.kernel as tf.Tensor2D, ...biasAndActivation(w, activation) });
      return fusable(activation) ? y : applyActivation(y, activation);
    }
    case 'maxpool':
    case 'avgpool': {
      const k = layer.kernel ?? 1;
      const s = layer.stride ?? k;
      // Numeric padding: max ignores padded pixels, average divides by the pixels inside the image (as TF's SAME does).
      const pool = layer.type === 'maxpool' ? tf.maxPool : tf.avgPool;
      return pool(x as tf.Tensor4D, [k, k], [s, s], layer.padding === 'same' ? 'same' : (layer.padding ?? 0));
    }
    case 'gap':
      return tf.mean(x, [1, 2]);
    case 'bn':
      return tf.batchNorm(x, w.movingMean as tf.Tensor1D, w.movingVariance as tf.Tensor1D, w.beta, w.gamma, BN_EPSILON);
    case 'activation': {
      const y = applyActivation(x, layer.activation ?? 'linear');
      return y === x ? x.clone() : y;
    }
    case 'flatten':
      return tf.reshape(x, [x.shape[0], -1]);
    case 'dropout':
      return x.clone(); // inference: identity
    case 'add':
      return tf.addN(inputs);
    case 'concat':
      return tf.concat(inputs, -1);
  }
}

function conv(layer: LayerSpec, x: tf.Tensor4D, w: LayerTensors): tf.Tensor {
  const activation = layer.activation ?? 'linear';
  const strides = layer.stride ?? 1;
  const pad = tfPad(layer.padding);
  if (w.kernelGroups === undefined) {
    const y = tf.fused.conv2d({ x, filter: w.kernel as tf.Tensor4D, strides, pad, ...biasAndActivation(w, activation) });
    return fusable(activation) ? y : applyActivation(y, activation);
  }
  // Groups: each slice of input channels meets its own slice of filters, outputs side by side.
  const parts = tf.split(x, w.kernelGroups.length, 3).map((xs, g) => tf.conv2d(xs as tf.Tensor4D, (w.kernelGroups as tf.Tensor4D[])[g], strides, pad));
  let y: tf.Tensor = tf.concat(parts, 3);
  if (w.bias) y = tf.add(y, w.bias);
  return applyActivation(y, activation);
}

type FusedActivationArgs = { bias?: tf.Tensor1D; activation?: 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu'; leakyreluAlpha?: number };

/** The bias, and the activation when the fused kernel can apply it. */
function biasAndActivation(w: LayerTensors, activation: NonNullable<LayerSpec['activation']>): FusedActivationArgs {
  const args: FusedActivationArgs = w.bias ? { bias: w.bias } : {};
  if (fusable(activation) && activation !== 'linear') {
    args.activation = activation;
    if (activation === 'leakyrelu') args.leakyreluAlpha = LEAKY_RELU_ALPHA;
  }
  return args;
}

/** Padding as tf's conv ops take it: 'same', 'valid', or p zero pixels on every side. */
function tfPad(padding: Padding | undefined): 'same' | 'valid' | number {
  if (padding === 'same') return 'same';
  return padding === undefined || padding === 0 ? 'valid' : padding;
}
