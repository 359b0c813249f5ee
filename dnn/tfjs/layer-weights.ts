/**
 * Weights of a ModelSpec's layers as flat float32 arrays, in the layouts TF.js and
 * Keras use, so a set can be handed to tf.layers or saved next to a spec.
 * Pure: no I/O, no tensors.
 */
import type { LayerAnalysis } from '../spec/analyze.ts';

export interface LayerWeights {
  /**
   * conv: HWIO [k, k, C_in / groups, C_out] (Keras Conv2D, tf.conv2d filter);
   * depthwise: [k, k, C_in, multiplier] (Keras DepthwiseConv2D, tf.depthwiseConv2d);
   * fc: [in, out] (Keras Dense).
   */
  kernel?: Float32Array;
  /** conv / depthwise / fc: [C_out]; absent when the layer has useBias: false. */
  bias?: Float32Array;
  /** bn, each [C] for the C channels of the last axis. */
  gamma?: Float32Array;
  beta?: Float32Array;
  movingMean?: Float32Array;
  movingVariance?: Float32Array;
}

/** Weights by layer id; layers without weights (pooling, activations, add, ...) have no entry. */
export type WeightSet = Map<string, LayerWeights>;

export type WeightName = keyof LayerWeights;

/** The weight arrays a layer needs and their shapes, from the analysed model. */
export function weightShapes(analysis: LayerAnalysis): Partial<Record<WeightName, number[]>> {
  const { layer, inputShapes, outputShape } = analysis;
  const input = inputShapes[0];
  const cIn = input[input.length - 1];
  const cOut = outputShape[outputShape.length - 1];
  const bias = layer.useBias === false ? {} : { bias: [cOut] };
  switch (layer.type) {
    case 'conv': {
      const k = layer.kernel ?? 1;
      return { kernel: [k, k, cIn / (layer.groups ?? 1), cOut], ...bias };
    }
    case 'depthwise': {
      const k = layer.kernel ?? 1;
      return { kernel: [k, k, cIn, layer.depthMultiplier ?? 1], ...bias };
    }
    case 'fc':
      return { kernel: [cIn, cOut], ...bias };
    case 'bn':
      return { gamma: [cIn], beta: [cIn], movingMean: [cIn], movingVariance: [cIn] };
    default:
      return {};
  }
}

export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}
