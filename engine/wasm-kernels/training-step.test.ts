import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../tfjs-backend.ts';
import { requireTrainingBackend } from '../training-backend.ts';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { disposeSpecVariables, forwardSpec, makeSpecVariables } from '../spec-variables.ts';
import { liveData, relativeError, seededValues } from './cpu-reference.ts';

/** A small net with every kind of layer the studio's models and compressed variants train. */
const SMALL_NET: ModelSpec = {
  name: 'small',
  inputShape: [9, 9, 3],
  layers: [
    { id: 'c1', type: 'conv', outChannels: 6, kernel: 3, padding: 'same', activation: 'relu' },
    { id: 'c2', type: 'conv', outChannels: 8, kernel: 3, stride: 2, padding: 'same', useBias: false },
    { id: 'bn', type: 'bn' },
    { id: 'r2', type: 'activation', activation: 'relu' },
    { id: 'dw', type: 'depthwise', kernel: 3, padding: 'same', activation: 'relu6' },
    { id: 'pw', type: 'conv', outChannels: 8, kernel: 1 },
    { id: 'add', type: 'add', inputs: ['pw', 'r2'] },
    { id: 'c3', type: 'conv', outChannels: 4, kernel: 3, padding: 1, inputs: ['add'] },
    { id: 'cat', type: 'concat', inputs: ['c3', 'add'] },
    { id: 'pool', type: 'maxpool', kernel: 2, padding: 'same' },
    { id: 'flatten', type: 'flatten' },
    { id: 'fc1', type: 'fc', outChannels: 16, activation: 'relu' },
    { id: 'fc2', type: 'fc', outChannels: 5 },
  ],
};

/** Gradients of softmax cross-entropy for a batch of 4, by variable name. */
async function gradientsOn(backend: 'cpu' | 'wasm'): Promise<Map<string, Float32Array>> {
  assert.ok(await tf.setBackend(backend));
  const model = makeSpecVariables(SMALL_NET, 7);
  const x = tf.tensor4d(seededValues(4 * 9 * 9 * 3, 21), [4, 9, 9, 3]);
  const labels = tf.oneHot(tf.tensor1d([0, 3, 1, 4], 'int32'), 5);
  const before = liveData();
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, forwardSpec(model, x)) as tf.Scalar);
  const out = new Map(Object.entries(grads).map(([name, g]) => [name, g.dataSync() as Float32Array]));
  tf.dispose([value, ...Object.values(grads)]);
  assert.deepEqual(liveData(), before, `${backend}: a training step leaked tensors`);
  tf.dispose([x, labels]);
  disposeSpecVariables(model);
  return out;
}

before(async () => {
  await initTfjsBackend({ prefer: 'wasm' });
});

test('a training step of a small conv net gives the same gradients on wasm as on cpu', async () => {
  const reference = await gradientsOn('cpu');
  const actual = await gradientsOn('wasm');
  // conv, fused conv + relu, strided conv, bn, depthwise + relu6, 1x1 conv, add, concat, max pool, fc.
  assert.equal(reference.size, 15); // c1 2, c2 1 (no bias), bn 2, dw 2, pw 2, c3 2, fc1 2, fc2 2
  assert.deepEqual([...actual.keys()].sort(), [...reference.keys()].sort());
  for (const [name, ref] of reference) {
    const err = relativeError(actual.get(name) as Float32Array, ref);
    assert.ok(err <= 1e-4, `${name}: wasm gradient differs from cpu by ${err.toExponential(2)} relative`);
    assert.ok(ref.some((g) => g !== 0), `${name}: the reference gradient is not all zero`);
  }
});

test('a few adam steps on wasm learn a tiny problem (bright half left or right) without leaking', async () => {
  assert.ok(await tf.setBackend('wasm'));
  assert.equal((await requireTrainingBackend()).name, 'wasm');
  const spec: ModelSpec = {
    name: 'halves',
    inputShape: [8, 8, 1],
    layers: [
      { id: 'c1', type: 'conv', outChannels: 4, kernel: 3, padding: 'same', activation: 'relu' },
      { id: 'pool', type: 'maxpool', kernel: 2 },
      { id: 'c2', type: 'conv', outChannels: 4, kernel: 3, stride: 2, padding: 'same', activation: 'relu' },
      { id: 'flatten', type: 'flatten' },
      { id: 'fc', type: 'fc', outChannels: 2 },
    ],
  };
  const model = makeSpecVariables(spec, 3);
  const n = 16;
  const pixels = new Float32Array(n * 64);
  const classes: number[] = [];
  const noise = seededValues(n * 64, 5);
  for (let i = 0; i < n; i++) {
    const side = i % 2;
    classes.push(side);
    for (let p = 0; p < 64; p++) pixels[i * 64 + p] = 0.2 * noise[i * 64 + p] + ((p % 8 < 4) === (side === 0) ? 1 : 0);
  }
  const x = tf.tensor4d(pixels, [n, 8, 8, 1]);
  const labels = tf.oneHot(tf.tensor1d(classes, 'int32'), 2);
  const optimizer = tf.train.adam(0.02);
  const before = liveData();
  const losses: number[] = [];
  for (let step = 0; step < 20; step++) {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, forwardSpec(model, x)) as tf.Scalar, true) as tf.Scalar;
    losses.push(loss.dataSync()[0]);
    loss.dispose();
  }
  // Adam keeps two moment tensors per variable; nothing else may stay.
  assert.deepEqual(liveData().tensors, before.tensors + 2 * model.variables.length);
  assert.ok(losses[19] < 0.5 * losses[0], `loss went from ${losses[0].toFixed(3)} to ${losses[19].toFixed(3)}`);
  optimizer.dispose();
  tf.dispose([x, labels]);
  disposeSpecVariables(model);
});
