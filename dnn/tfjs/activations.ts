import * as tf from '@tensorflow/tfjs';
import type { ActivationKind } from '../spec/layer-spec.ts';

/**
 * Leaky ReLU's negative slope: 0.2 as tf.leakyRelu and keras.activations.leaky_relu
 * (the Keras LeakyReLU layer defaults to 0.3; the spec carries no slope).
 */
export const LEAKY_RELU_ALPHA = 0.2;

/** Applies an activation; softmax over the last axis, swish = x * sigmoid(x). */
export function applyActivation(x: tf.Tensor, kind: ActivationKind): tf.Tensor {
  switch (kind) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'softmax':
      return tf.softmax(x);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'softplus':
      return tf.softplus(x);
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
    case 'leakyrelu':
      return tf.leakyRelu(x, LEAKY_RELU_ALPHA);
  }
}

/** Activations tf.fused ops apply inside the conv / matMul kernel. */
export type FusableActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu';

export function fusable(kind: ActivationKind): kind is FusableActivation {
  return kind === 'linear' || kind === 'relu' || kind === 'relu6' || kind === 'elu' || kind === 'sigmoid' || kind === 'leakyrelu';
}
