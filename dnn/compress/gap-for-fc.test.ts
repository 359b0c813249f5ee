import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModel } from '../models/builtin.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import { initWeights } from '../tfjs/init-weights.ts';
import { CompressionError } from './compression-error.ts';
import { applyGapForFc } from './gap-for-fc.ts';
import { useWasmWithoutLeaks } from '../../test/wasm-suite.ts';
import { forward, maxAbsDiff } from './testing/forward.ts';

useWasmWithoutLeaks();

describe('F3 global average pooling in place of the FC layers', () => {
  test('vgg11 on cifar10: flatten, fc1, fc2, fc3 (512*512 + 512*512 + 512*10 MACCs) become gap and one 512 -> 10 FC', () => {
    const spec = builtinModel('vgg11', 'cifar10');
    const weights = initWeights(spec, 1);
    const result = applyGapForFc(spec, weights, 'fc2');
    assert.equal(result.maccBefore - result.maccAfter, 512 * 512 + 512 * 512 + 512 * 10 - 512 * 10);
    assert.deepEqual(result.spec.layers.slice(-3).map((l) => [l.id, l.type]), [['pool5', 'maxpool'], ['flatten_gap', 'gap'], ['fc3_gap', 'fc']]);
    assert.deepEqual(result.replacedLayerIds, ['flatten', 'fc1', 'fc1_relu', 'fc2', 'fc2_relu', 'fc3']);
    assert.equal(result.weights.get('fc3_gap')?.kernel?.length, 512 * 10);
    for (const id of result.replacedLayerIds) assert.equal(result.weights.has(id), false, id);
  });

  test('alexnet on fashion-mnist: the 8x8x64 flatten (4096 inputs) becomes a 64-channel gap; FC MACCs 4096*384 + 384*192 + 192*10 -> 64*10', () => {
    const spec = builtinModel('alexnet', 'fashion-mnist');
    const result = applyGapForFc(spec, initWeights(spec, 2), 'flatten');
    assert.equal(result.maccBefore - result.maccAfter, 4096 * 384 + 384 * 192 + 192 * 10 - 64 * 10);
    assert.equal(result.details.channels, 64);
  });

  test('channels equal to the classes: gap alone, the output is each channel\'s mean (then the softmax kept after the classifier)', () => {
    const spec: ModelSpec = {
      name: 'head',
      inputShape: [2, 2, 3],
      layers: [
        { id: 'flatten', type: 'flatten' },
        { id: 'fc1', type: 'fc', outChannels: 5, activation: 'relu' },
        { id: 'fc2', type: 'fc', outChannels: 3 },
        { id: 'softmax', type: 'activation', activation: 'softmax' },
      ],
    };
    const result = applyGapForFc(spec, initWeights(spec, 3), 'fc1');
    assert.deepEqual(result.spec.layers.map((l) => l.id), ['flatten_gap', 'softmax']);
    assert.equal(result.maccAfter, 0);
    // Pixels (c0, c1, c2): (1, 0, 2), (3, 0, 2), (5, 1, 2), (7, 3, 2): means 4, 1, 2.
    const image = Float32Array.from([1, 0, 2, 3, 0, 2, 5, 1, 2, 7, 3, 2]);
    const e = [Math.exp(4), Math.exp(1), Math.exp(2)];
    const sum = e[0] + e[1] + e[2];
    assert.ok(maxAbsDiff(forward(result.spec, result.weights, image), e.map((v) => v / sum)) < 1e-6);
  });

  test('errors: no flatten before the FC, a conv, a branch in the head', () => {
    const pooled: ModelSpec = {
      name: 'pooled',
      inputShape: [4, 4, 2],
      layers: [
        { id: 'conv', type: 'conv', kernel: 3, padding: 1, outChannels: 4 },
        { id: 'gap', type: 'gap' },
        { id: 'fc', type: 'fc', outChannels: 3 },
      ],
    };
    const weights = initWeights(pooled, 1);
    assert.throws(() => applyGapForFc(pooled, weights, 'fc'), (e: unknown) => e instanceof CompressionError && e.message === 'F3 (global average pooling) on model "pooled", layer 2 "fc" (fc): there is no flatten + FC run to replace: the FC layers read "gap" (gap), not a flatten');
    assert.throws(() => applyGapForFc(pooled, weights, 'conv'), /applies to flatten or fc layers only, this is a conv layer/);
    const branched: ModelSpec = {
      name: 'branched',
      inputShape: [2, 2, 2],
      layers: [
        { id: 'flatten', type: 'flatten' },
        { id: 'fc1', type: 'fc', outChannels: 4 },
        { id: 'fc2', type: 'fc', outChannels: 4, inputs: ['flatten'] },
        { id: 'sum', type: 'add', inputs: ['fc1', 'fc2'] },
      ],
    };
    assert.throws(() => applyGapForFc(branched, initWeights(branched, 1), 'flatten'), /there is no plain FC run to replace: "fc2" \(fc\) after the flatten is not a chain/);
    const noFc: ModelSpec = { name: 'nofc', inputShape: [2, 2, 2], layers: [{ id: 'flatten', type: 'flatten' }, { id: 'act', type: 'activation', activation: 'relu' }] };
    assert.throws(() => applyGapForFc(noFc, new Map(), 'flatten'), /no FC layer follows the flatten "flatten"/);
  });
});
