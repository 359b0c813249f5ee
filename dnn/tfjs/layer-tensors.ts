import * as tf from '@tensorflow/tfjs';
import type { LayerAnalysis } from '../spec/analyze.ts';
import { WeightSetError } from './executor-errors.ts';
import type { LayerWeights, WeightName, WeightSet } from './layer-weights.ts';
import { shapeSize, weightShapes } from './layer-weights.ts';

/** One layer's weights as tensors, made once when the executor is built. */
export interface LayerTensors {
  kernel?: tf.Tensor;
  /** Grouped conv: the kernel cut along its output axis, one [k, k, C_in/g, C_out/g] per group. */
  kernelGroups?: tf.Tensor4D[];
  bias?: tf.Tensor1D;
  gamma?: tf.Tensor1D;
  beta?: tf.Tensor1D;
  movingMean?: tf.Tensor1D;
  movingVariance?: tf.Tensor1D;
}

/** Checks a layer's arrays against the shapes its spec implies and makes tensors of them. */
export function makeLayerTensors(modelName: string, analysis: LayerAnalysis, weights: WeightSet): LayerTensors {
  const shapes = weightShapes(analysis);
  const names = Object.keys(shapes) as WeightName[];
  if (names.length === 0) return {};
  const id = analysis.layer.id;
  const given: LayerWeights | undefined = weights.get(id);
  if (given === undefined) throw new WeightSetError(modelName, id, `no entry (a ${analysis.layer.type} layer needs ${names.join(', ')})`);
  const tensors: LayerTensors = {};
  for (const name of names) {
    const shape = shapes[name] as number[];
    const array = given[name];
    if (!(array instanceof Float32Array)) throw new WeightSetError(modelName, id, `missing ${name} (a Float32Array of shape [${shape.join(', ')}])`);
    if (array.length !== shapeSize(shape)) {
      throw new WeightSetError(modelName, id, `${name} has ${array.length} values, the spec needs [${shape.join(', ')}] = ${shapeSize(shape)}`);
    }
    if (name === 'kernel') tensors.kernel = tf.tensor(array, shape);
    else tensors[name] = tf.tensor1d(array);
  }
  const groups = analysis.layer.type === 'conv' ? (analysis.layer.groups ?? 1) : 1;
  if (groups > 1 && tensors.kernel) {
    tensors.kernelGroups = tf.split(tensors.kernel as tf.Tensor4D, groups, 3);
  }
  return tensors;
}

export function disposeLayerTensors(t: LayerTensors): void {
  for (const tensor of [t.kernel, t.bias, t.gamma, t.beta, t.movingMean, t.movingVariance, ...(t.kernelGroups ?? [])]) tensor?.dispose();
}
