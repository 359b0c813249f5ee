import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModel } from '../models/builtin.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import { initWeights } from './init-weights.ts';

test('the same seed gives the same weights; another seed gives others', () => {
  const spec = builtinModel('alexnet', 'cifar10');
  const a = initWeights(spec, 42);
  const b = initWeights(spec, 42);
  const c = initWeights(spec, 43);
  assert.deepEqual([...a.keys()], ['conv1', 'conv2', 'fc1', 'fc2', 'fc3']);
  assert.deepEqual(a.get('conv1')?.kernel, b.get('conv1')?.kernel);
  assert.notDeepEqual(a.get('conv1')?.kernel, c.get('conv1')?.kernel);
});

test('shapes follow the documented layouts and He-normal spread is sqrt(2 / fan_in); bn starts as identity', () => {
  const spec: ModelSpec = {
    name: 'layouts', inputShape: [8, 8, 16], layers: [
      { id: 'conv', type: 'conv', kernel: 3, outChannels: 64, groups: 4 },
      { id: 'dw', type: 'depthwise', kernel: 5, depthMultiplier: 2, useBias: false },
      { id: 'bn', type: 'bn' },
      { id: 'gap', type: 'gap' },
      { id: 'fc', type: 'fc', outChannels: 500 },
    ],
  };
  const w = initWeights(spec, 1);
  // conv HWIO [3, 3, 16/4, 64]; depthwise [5, 5, 64, 2]; fc [128, 500]
  assert.equal(w.get('conv')?.kernel?.length, 3 * 3 * 4 * 64);
  assert.deepEqual(w.get('conv')?.bias, new Float32Array(64));
  assert.equal(w.get('dw')?.kernel?.length, 5 * 5 * 64 * 2);
  assert.equal(w.get('dw')?.bias, undefined);
  assert.equal(w.get('fc')?.kernel?.length, 128 * 500);
  assert.deepEqual(w.get('bn'), {
    gamma: new Float32Array(128).fill(1), beta: new Float32Array(128), movingMean: new Float32Array(128), movingVariance: new Float32Array(128).fill(1),
  });
  const std = (xs: Float32Array): number => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
  // fan_in: 3*3*4 = 36, 5*5 = 25, 128
  const expected: [string, number][] = [['conv', Math.sqrt(2 / 36)], ['dw', Math.sqrt(2 / 25)], ['fc', Math.sqrt(2 / 128)]];
  for (const [id, s] of expected) {
    const measured = std(w.get(id)?.kernel as Float32Array);
    assert.ok(Math.abs(measured - s) / s < 0.05, `${id}: spread ${measured} vs ${s}`);
  }
});
