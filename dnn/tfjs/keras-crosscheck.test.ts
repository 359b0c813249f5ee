import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../engine/tfjs-backend.ts';
import { builtinModel } from '../models/builtin.ts';
import type { LayerSpec } from '../spec/layer-spec.ts';
import { SpecExecutor } from './spec-executor.ts';
import { initWeights } from './init-weights.ts';
import type { LayerWeights, WeightSet } from './layer-weights.ts';
import { SeededRandom } from './seeded-random.ts';

before(async () => {
  const info = await initTfjsBackend();
  console.log(`backend: ${info.description}`);
  assert.equal(info.name, 'wasm');
});

/** The Keras layer for a vgg11 spec layer, with the same weights set on it. */
function kerasLayer(layer: LayerSpec, w: LayerWeights | undefined, first: boolean, inputShape: readonly number[]): tf.layers.Layer {
  const shape = first ? { inputShape: [...inputShape] } : {};
  switch (layer.type) {
    case 'conv':
      // vgg11's 3x3 stride-1 padding-1 convs are Keras 'same'.
      assert.equal(layer.padding, 1);
      return tf.layers.conv2d({ ...shape, filters: layer.outChannels as number, kernelSize: layer.kernel as number, strides: 1, padding: 'same' });
    case 'bn':
      return tf.layers.batchNormalization({ ...shape, epsilon: 1e-3 });
    case 'activation':
      return tf.layers.activation({ ...shape, activation: 'relu' });
    case 'maxpool':
      return tf.layers.maxPooling2d({ ...shape, poolSize: layer.kernel as number, strides: layer.stride as number, padding: 'valid' });
    case 'flatten':
      return tf.layers.flatten(shape);
    case 'fc':
      return tf.layers.dense({ ...shape, units: layer.outChannels as number });
    default:
      throw new Error(`vgg11 has no ${layer.type} layer ${layer.id}: ${JSON.stringify(w)}`);
  }
}

test('vgg11-cifar10 logits equal a tf.sequential of real Keras-style layers with the same weights (within 1e-4)', () => {
  const spec = builtinModel('vgg11', 'cifar10');
  const weights: WeightSet = initWeights(spec, 11);
  // Non-trivial biases and bn statistics, so a mix-up of gamma/beta/mean/variance shows.
  const random = new SeededRandom(99);
  for (const [, w] of weights) {
    if (w.bias) w.bias = w.bias.map(() => 0.05 * random.normal());
    if (w.gamma) {
      w.gamma = w.gamma.map(() => 0.5 + random.uniform());
      w.beta = w.gamma.map(() => 0.1 * random.normal());
      w.movingMean = w.gamma.map(() => 0.1 * random.normal());
      w.movingVariance = w.gamma.map(() => 0.5 + random.uniform());
    }
  }

  const model = tf.sequential();
  spec.layers.forEach((layer, i) => model.add(kerasLayer(layer, weights.get(layer.id), i === 0, spec.inputShape)));
  spec.layers.forEach((layer, i) => {
    const w = weights.get(layer.id);
    if (w === undefined) return;
    const keras = model.layers[i];
    const arrays = layer.type === 'bn' ? [w.gamma, w.beta, w.movingMean, w.movingVariance] : [w.kernel, w.bias];
    const tensors = arrays.map((a, j) => tf.tensor(a as Float32Array, keras.getWeights()[j].shape));
    keras.setWeights(tensors);
    tensors.forEach((t) => t.dispose());
  });

  const executor = new SpecExecutor(spec, weights);
  const x = tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
  const ours = executor.predict(x);
  const theirs = model.predict(x) as tf.Tensor;
  assert.deepEqual(ours.shape, [4, 10]);
  assert.deepEqual(theirs.shape, [4, 10]);
  const a = ours.dataSync();
  const b = theirs.dataSync();
  let maxDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < a.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    maxAbs = Math.max(maxAbs, Math.abs(b[i]));
  }
  console.log(`logits up to ${maxAbs.toFixed(3)} in size; largest difference ${maxDiff.toExponential(2)}`);
  assert.ok(maxAbs > 0.1, 'logits are not all near zero');
  assert.ok(maxDiff <= 1e-4 * Math.max(1, maxAbs), `largest difference ${maxDiff}`);
  // Different images give different logits: the comparison is not between constants.
  assert.ok(Math.abs(a[0] - a[10]) > 1e-3);
  [ours, theirs, x].forEach((t) => t.dispose());
  executor.dispose();
  model.dispose();
});
