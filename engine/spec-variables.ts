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
import type { LayerWeights, WeightSet } from '../dnn/tfjs/layer-weights.ts';

export interface SpecVariables {
  spec: ModelSpec;
  /** Per layer, in spec order; weights are variables named `${layerId}/${weight}`. */
  layers: LayerTensors[];
  /** The trainable ones. */
  variables: tf.Variable[];
  /** Weights of layers not trained (specVariablesFrom with `trainable`). */
  frozen?: tf.Tensor[];
}

/** Seeded He-normal weights (initWeights) as variables. */
export function makeSpecVariables(spec: ModelSpec, seed: number): SpecVariables {
  return specVariablesFrom(spec, initWeights(spec, seed));
}

/**
 * Given weights as variables; only layers listed in `trainable` (default all)
 * get variables, the rest constant tensors (a distilled block inside a frozen model).
 */
export function specVariablesFrom(spec: ModelSpec, weights: WeightSet, trainable?: ReadonlySet<string>): SpecVariables {
  const variables: tf.Variable[] = [];
  const frozen: tf.Tensor[] = [];
  let layerId = '';
  const variable = <R extends tf.Rank>(values: Float32Array, shape: number[], name: string): tf.Variable<R> => {
    if (trainable !== undefined && !trainable.has(layerId)) {
      const t = tf.tensor(values, shape);
      frozen.push(t);
      return t as unknown as tf.Variable<R>;
    }
    // tf.variable shares the initial tensor's data (counted); the initial tensor itself must go.
    const initial = tf.tensor(values, shape);
    const v = tf.variable(initial as tf.Tensor, true, name) as unknown as tf.Variable<R>;
    initial.dispose();
    variables.push(v);
    return v;
  };
  const layers = analyzeModel(spec).layers.map((a): LayerTensors => {
    const w = weights.get(a.layer.id);
    const shapes = weightShapes(a);
    const t: LayerTensors = {};
    if (w === undefined) return t;
    const id = a.layer.id;
    layerId = id;
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
  return { spec, layers, variables, frozen };
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
  tf.dispose(model.frozen ?? []);
  for (const t of model.layers) tf.dispose([t.movingMean, t.movingVariance].filter((m): m is tf.Tensor1D => m !== undefined));
}

/**
 * Layers [from, to] of the model only, reading what they need from outside the
 * range in `known` (layer id or MODEL_INPUT_ID → tensor): a block trained on
 * cached input features. Returns layer `to`'s output; call inside a tidy.
 */
export function forwardRange(model: SpecVariables, from: number, to: number, known: ReadonlyMap<string, tf.Tensor>): tf.Tensor {
  const outputs = new Map<string, tf.Tensor>(known);
  const layers = analyzeModel(model.spec).layers;
  let last: tf.Tensor | undefined;
  for (let i = from; i <= to; i++) {
    const a = layers[i];
    const inputs = a.inputIds.map((id) => {
      const t = outputs.get(id);
      if (t === undefined) throw new Error(`forwardRange: layer ${a.layer.id} reads ${id}, which is neither in [${from}, ${to}] nor given`);
      return t;
    });
    last = runLayer(a.layer, inputs, model.layers[i]);
    outputs.set(a.layer.id, last);
  }
  if (last === undefined) throw new Error(`forwardRange: empty range [${from}, ${to}]`);
  return last;
}

/** One layer's current weight values (variables or frozen tensors) as plain arrays. */
export function readLayerWeights(t: LayerTensors): LayerWeights {
  const w: LayerWeights = {};
  for (const name of ['kernel', 'bias', 'gamma', 'beta', 'movingMean', 'movingVariance'] as const) {
    const x = t[name];
    if (x !== undefined) w[name] = (x.dataSync() as Float32Array).slice();
  }
  return w;
}
