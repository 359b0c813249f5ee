/**
 * A ModelSpec's weights as tf.Variables and a forward through the studio's own
 * layer ops (dnn/tfjs/layer-op.ts), so tf.variableGrads / optimizer.minimize can
 * train it: what the gradient tests and the training benchmark run. Batch norm
 * uses its moving statistics (constants), as the executor does.
 */
import * as tf from '@tensorflow/tfjs';
import { analyzeModel, MODEL_INPUT_ID } from '../dnn/spec/analyze.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { initWeights } from '../dnn/tfjs/init-weights.ts';
import { runLayer } from '../dnn/tfjs/layer-op.ts';
import type { LayerTensors } from '../dnn/tfjs/layer-tensors.ts';
import { weightShapes } from '../dnn/tfjs/layer-weights.ts';

export interface SpecVariables {
  spec: ModelSpec;
  /** Per layer, in spec order; weights are variables named `${layerId}/${weight}`. */
  layers: LayerTensors[];
  /** The trainable ones. */
  variables: tf.Variable[];
}

/** Seeded He-normal weights (initWeights) as variables. */
export function makeSpecVariables(spec: ModelSpec, seed: number): SpecVariables {
  const weights = initWeights(spec, seed);
  const variables: tf.Variable[] = [];
  const variable = <R extends tf.Rank>(values: Float32Array, shape: number[], name: string): tf.Variable<R> => {
    const v = tf.variable(tf.tensor(values, shape) as tf.Tensor, true, name) as unknown as tf.Variable<R>;
    variables.push(v);
    return v;
  };
  const layers = analyzeModel(spec).layers.map((a): LayerTensors => {
    const w = weights.get(a.layer.id);
    const shapes = weightShapes(a);
    const t: LayerTensors = {};
    if (w === undefined) return t;
    const id = a.layer.id;
    if (w.kernel && shapes.kernel) t.kernel = variable(w.kernel, shapes.kernel, `${id}/kernel`);
    if (w.bias) t.bias = variable<tf.Rank.R1>(w.bias, [w.bias.length], `${id}/bias`);
    if (w.gamma && w.beta && w.movingMean && w.movingVariance) {
      t.gamma = variable<tf.Rank.R1>(w.gamma, [w.gamma.length], `${id}/gamma`);
      t.beta = variable<tf.Rank.R1>(w.beta, [w.beta.length], `${id}/beta`);
      t.movingMean = tf.tensor1d(w.movingMean);
      t.movingVariance = tf.tensor1d(w.movingVariance);
    }
    return t;
  });
  return { spec, layers, variables };
}

/** The model's output for a batch; call inside tf.tidy or a gradient function. */
export function forwardSpec(model: SpecVariables, x: tf.Tensor): tf.Tensor {
  const outputs = new Map<string, tf.Tensor>([[MODEL_INPUT_ID, x]]);
  let last = x;
  for (const [i, a] of analyzeModel(model.spec).layers.entries()) {
    last = runLayer(a.layer, a.inputIds.map((id) => outputs.get(id) as tf.Tensor), model.layers[i]);
    outputs.set(a.layer.id, last);
  }
  return last;
}

export function disposeSpecVariables(model: SpecVariables): void {
  tf.dispose(model.variables);
  for (const t of model.layers) tf.dispose([t.movingMean, t.movingVariance].filter((m): m is tf.Tensor1D => m !== undefined));
}
