import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModel } from '../models/builtin.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import { initWeights } from '../tfjs/init-weights.ts';
import type { LayerWeights, WeightSet } from '../tfjs/layer-weights.ts';
import { SeededRandom } from '../tfjs/seeded-random.ts';
import { CompressionError } from './compression-error.ts';
import { applyFilterPruning } from './filter-pruning.ts';
import { useWasmWithoutLeaks } from '../../test/wasm-suite.ts';
import { forward, maxAbsDiff, randomBatch } from './testing/forward.ts';

useWasmWithoutLeaks();

/** Scales output channels `small` of a layer's kernel (last axis of size cOut) by 0.01: they have the smallest L1 norms. */
function shrinkFilters(weights: WeightSet, id: string, cOut: number, small: number[]): void {
  const w = weights.get(id) as LayerWeights;
  const kernel = Float32Array.from(w.kernel as Float32Array);
  for (let i = 0; i < kernel.length; i++) if (small.includes(i % cOut)) kernel[i] *= 0.01;
  weights.set(id, { ...w, kernel });
}

/** A copy where the rows `rows` of axis `axis` (size `size`) of a kernel are zero: the reading layer ignores those inputs. */
function zeroInputs(weights: WeightSet, id: string, shape: number[], axis: number, rows: number[]): WeightSet {
  const out = new Map(weights);
  const w = weights.get(id) as LayerWeights;
  const kernel = Float32Array.from(w.kernel as Float32Array);
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const size = shape[axis];
  for (let i = 0; i < kernel.length; i++) if (rows.includes(Math.floor(i / inner) % size)) kernel[i] = 0;
  out.set(id, { ...w, kernel });
  return out;
}

function randomBn(weights: WeightSet, id: string, c: number, seed: number): void {
  const r = new SeededRandom(seed);
  const v = (f: () => number): Float32Array => Float32Array.from({ length: c }, f);
  weights.set(id, { gamma: v(() => 0.5 + r.uniform()), beta: v(() => r.normal()), movingMean: v(() => r.normal()), movingVariance: v(() => 0.5 + r.uniform()) });
}

describe('W1 filter pruning', () => {
  test('conv -> bn -> relu -> conv at ratio 0.5: equals the original with the dropped filters\' inputs zeroed in the next conv', () => {
    const spec: ModelSpec = {
      name: 'chain',
      inputShape: [5, 5, 2],
      layers: [
        { id: 'a', type: 'conv', kernel: 3, padding: 1, outChannels: 4 },
        { id: 'bn', type: 'bn' },
        { id: 'relu', type: 'activation', activation: 'relu' },
        { id: 'b', type: 'conv', kernel: 3, padding: 1, outChannels: 3 },
        { id: 'gap', type: 'gap' },
        { id: 'fc', type: 'fc', outChannels: 2 },
      ],
    };
    const weights = initWeights(spec, 1);
    randomBn(weights, 'bn', 4, 2);
    shrinkFilters(weights, 'a', 4, [1, 3]);
    const result = applyFilterPruning(spec, weights, 'a', { ratio: 0.5 });
    assert.deepEqual(result.details, { keptFilters: 2, droppedFilters: 2 });
    assert.match(result.description, /dropped \(1, 3\)/);
    assert.equal(result.spec.layers[0].outChannels, 2);
    assert.deepEqual(result.weights.get('bn')?.gamma, Float32Array.from([0, 2].map((c) => (weights.get('bn')?.gamma as Float32Array)[c])));
    // MACCs: a 9*2*4*25 = 1800 -> 900; b 9*4*3*25 = 2700 -> 1350.
    assert.equal(result.maccBefore - result.maccAfter, 900 + 1350);
    const reference = zeroInputs(weights, 'b', [3, 3, 4, 3], 2, [1, 3]);
    const batch = randomBatch(spec, 3, 4);
    assert.ok(maxAbsDiff(forward(result.spec, result.weights, batch), forward(spec, reference, batch)) < 1e-5);
  });

  test('conv -> relu -> maxpool -> flatten -> fc: the FC rows (h*W + w)*C + c of the dropped channels go', () => {
    const spec: ModelSpec = {
      name: 'head',
      inputShape: [4, 4, 3],
      layers: [
        { id: 'a', type: 'conv', kernel: 3, padding: 'same', outChannels: 6, activation: 'relu' },
        { id: 'pool', type: 'maxpool', kernel: 2 },
        { id: 'flatten', type: 'flatten' },
        { id: 'fc1', type: 'fc', outChannels: 5, activation: 'relu' },
        { id: 'fc2', type: 'fc', outChannels: 3 },
      ],
    };
    const weights = initWeights(spec, 5);
    shrinkFilters(weights, 'a', 6, [0, 4, 5]);
    const result = applyFilterPruning(spec, weights, 0, { ratio: 0.5 });
    assert.match(result.description, /dropped \(0, 4, 5\)/);
    // The 2x2x6 flatten (24 rows) keeps 2x2x3 = 12 rows.
    assert.equal(result.weights.get('fc1')?.kernel?.length, 12 * 5);
    const rows = [0, 1, 2, 3].flatMap((p) => [0, 4, 5].map((c) => p * 6 + c));
    const reference = zeroInputs(weights, 'fc1', [24, 5], 0, rows);
    const batch = randomBatch(spec, 3, 6);
    assert.ok(maxAbsDiff(forward(result.spec, result.weights, batch), forward(spec, reference, batch)) < 1e-5);
  });

  test('an FC\'s units, and a depthwise conv between two convs (its outputs c*m + j follow the input channel)', () => {
    const mlp: ModelSpec = {
      name: 'mlp',
      inputShape: [1, 1, 6],
      layers: [{ id: 'flatten', type: 'flatten' }, { id: 'fc1', type: 'fc', outChannels: 5, activation: 'relu' }, { id: 'fc2', type: 'fc', outChannels: 2 }],
    };
    const w1 = initWeights(mlp, 7);
    shrinkFilters(w1, 'fc1', 5, [2, 3]);
    const r1 = applyFilterPruning(mlp, w1, 'fc1', { ratio: 0.4 });
    const batch1 = randomBatch(mlp, 4, 8);
    assert.ok(maxAbsDiff(forward(r1.spec, r1.weights, batch1), forward(mlp, zeroInputs(w1, 'fc2', [5, 2], 0, [2, 3]), batch1)) < 1e-5);

    const dw: ModelSpec = {
      name: 'dw',
      inputShape: [4, 4, 2],
      layers: [
        { id: 'a', type: 'conv', kernel: 1, outChannels: 3 },
        { id: 'd', type: 'depthwise', kernel: 3, padding: 'same', depthMultiplier: 2 },
        { id: 'b', type: 'conv', kernel: 1, outChannels: 2 },
        { id: 'gap', type: 'gap' },
      ],
    };
    const w2 = initWeights(dw, 9);
    w2.set('d', { ...(w2.get('d') as LayerWeights), bias: Float32Array.from([1, 2, 3, 4, 5, 6]) });
    shrinkFilters(w2, 'a', 3, [1]);
    const r2 = applyFilterPruning(dw, w2, 'a', { ratio: 0.34 });
    assert.deepEqual(Array.from(r2.weights.get('d')?.bias ?? []), [1, 2, 5, 6]);
    const batch2 = randomBatch(dw, 2, 10);
    assert.ok(maxAbsDiff(forward(r2.spec, r2.weights, batch2), forward(dw, zeroInputs(w2, 'b', [1, 1, 6, 2], 2, [2, 3]), batch2)) < 1e-5);
  });

  test('vgg11 conv4 at ratio 0.25: 64 of 256 filters go; conv4 and conv5 lose a quarter of their MACCs', () => {
    const spec = builtinModel('vgg11', 'cifar10');
    const result = applyFilterPruning(spec, initWeights(spec, 1), 'conv4', { ratio: 0.25 });
    assert.equal(result.details.keptFilters, 192);
    assert.equal(result.maccBefore - result.maccAfter, 9 * 256 * 64 * 64 + 9 * 64 * 512 * 16);
    assert.deepEqual(result.replacedLayerIds, ['conv4', 'bn4', 'relu4', 'pool3', 'conv5']);
  });

  test('errors: the last layer, a residual add, a concat, output reached through an activation, ratio out of range or dropping none', () => {
    const spec = builtinModel('vgg11', 'cifar10');
    const weights = initWeights(spec, 1);
    assert.throws(() => applyFilterPruning(spec, weights, 'fc3'), (e: unknown) => e instanceof CompressionError && e.message === 'W1 (filter pruning) on model "vgg11", layer 34 "fc3" (fc): it is the last layer: pruning it would change the model\'s output');
    const res: ModelSpec = {
      name: 'res',
      inputShape: [4, 4, 4],
      layers: [
        { id: 'a', type: 'conv', kernel: 3, padding: 1, outChannels: 4 },
        { id: 'relu', type: 'activation', activation: 'relu' },
        { id: 'sum', type: 'add', inputs: ['relu', '@input'] },
        { id: 'b', type: 'conv', kernel: 3, padding: 1, outChannels: 4 },
        { id: 'cat', type: 'concat', inputs: ['b', 'sum'] },
        { id: 'c', type: 'conv', kernel: 1, outChannels: 2 },
        { id: 'out', type: 'activation', activation: 'relu' },
      ],
    };
    const rw = initWeights(res, 2);
    assert.throws(() => applyFilterPruning(res, rw, 'a'), /W1 \(filter pruning\) on model "res", layer 0 "a" \(conv\): the pruned channels feed the add "sum" \(a residual join\)/);
    assert.throws(() => applyFilterPruning(res, rw, 'b'), /feed the concat "cat"/);
    assert.throws(() => applyFilterPruning(res, rw, 'c'), /the pruned channels reach the model output through "out" \(activation\)/);
    assert.throws(() => applyFilterPruning(spec, weights, 'conv1', { ratio: 1 }), /parameter ratio must be in \(0, 1\), got 1/);
    assert.throws(() => applyFilterPruning(spec, weights, 'conv1', { ratio: 0 }), /ratio must be in \(0, 1\)/);
    assert.throws(() => applyFilterPruning(spec, weights, 'conv1', { ratio: 0.01 }), /ratio 0.01 of 64 filters drops none/);
    assert.throws(() => applyFilterPruning(spec, weights, 'bn1'), /applies to conv or fc layers only, this is a bn layer/);
  });
});
