import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelSpec } from '../spec/layer-spec.ts';
import { initWeights } from '../tfjs/init-weights.ts';
import { CompressionError } from './compression-error.ts';
import { applySvdFc } from './svd-fc.ts';
import { useWasmWithoutLeaks } from '../../test/wasm-suite.ts';
import { forward, maxAbsDiff, randomBatch } from './testing/forward.ts';

useWasmWithoutLeaks();

/** 4x4x2 image, conv 3 filters, flatten 48, fc 20 relu, fc 10 (logits). */
const SMALL: ModelSpec = {
  name: 'small',
  inputShape: [4, 4, 2],
  layers: [
    { id: 'conv1', type: 'conv', kernel: 3, padding: 1, outChannels: 3, activation: 'relu' },
    { id: 'flatten', type: 'flatten' },
    { id: 'fc1', type: 'fc', outChannels: 20, activation: 'relu' },
    { id: 'fc2', type: 'fc', outChannels: 10 },
  ],
};

describe('F1 SVD on an FC layer', () => {
  test('at full rank the model gives the same logits; fc1 (48 x 20) becomes 48 x 20 and 20 x 20, MACCs by hand', () => {
    const weights = initWeights(SMALL, 1);
    const batch = randomBatch(SMALL, 4, 2);
    const result = applySvdFc(SMALL, weights, 'fc1', { rank: 20 });
    assert.deepEqual(result.spec.layers.map((l) => l.id), ['conv1', 'flatten', 'fc1_u', 'fc1_v', 'fc2']);
    assert.deepEqual(result.spec.layers[2], { id: 'fc1_u', type: 'fc', outChannels: 20, useBias: false });
    assert.deepEqual(result.spec.layers[3], { id: 'fc1_v', type: 'fc', outChannels: 20, activation: 'relu' });
    // conv 3*3*2*3 * 16 = 864; fc1 48*20 = 960; fc2 20*10 = 200
    assert.equal(result.maccBefore, 864 + 960 + 200);
    assert.equal(result.maccAfter, 864 + 48 * 20 + 20 * 20 + 200);
    assert.equal(result.paramsAfter - result.paramsBefore, 20 * 20); // 48*20 + 20*20 + 20 bias vs 48*20 + 20
    assert.ok(result.details.relativeError < 1e-6);
    assert.ok(maxAbsDiff(forward(result.spec, result.weights, batch), forward(SMALL, weights, batch)) < 1e-4);
    // The input objects are untouched.
    assert.equal(SMALL.layers.length, 4);
    assert.ok(weights.has('fc1'));
  });

  test('rank 3 on fc2 (20 x 10): MACCs 3 * (20 + 10), and the kernel error is the dropped singular values', () => {
    const weights = initWeights(SMALL, 3);
    const result = applySvdFc(SMALL, weights, 3, { rank: 3 });
    assert.equal(result.maccAfter, 864 + 960 + 3 * 30);
    assert.equal(result.details.rank, 3);
    // The product of the two new kernels differs from the old one by the reported relative error.
    const u = result.weights.get('fc2_u')?.kernel as Float32Array;
    const v = result.weights.get('fc2_v')?.kernel as Float32Array;
    const w = weights.get('fc2')?.kernel as Float32Array;
    let err = 0;
    let norm = 0;
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < 10; j++) {
        let p = 0;
        for (let l = 0; l < 3; l++) p += u[i * 3 + l] * v[l * 10 + j];
        err += (w[i * 10 + j] - p) ** 2;
        norm += w[i * 10 + j] ** 2;
      }
    }
    assert.ok(Math.abs(Math.sqrt(err / norm) - result.details.relativeError) < 1e-5);
    assert.ok(result.details.relativeError > 0.1);
    assert.deepEqual(Array.from(result.weights.get('fc2_v')?.bias ?? []), Array.from(weights.get('fc2')?.bias ?? []));
  });

  test('energy chooses the smallest rank keeping that share', () => {
    const weights = initWeights(SMALL, 4);
    const full = applySvdFc(SMALL, weights, 'fc1', { energy: 1 });
    assert.equal(full.details.rank, 20);
    const half = applySvdFc(SMALL, weights, 'fc1', { energy: 0.5 });
    assert.ok(half.details.energyKept >= 0.5);
    const less = applySvdFc(SMALL, weights, 'fc1', { rank: half.details.rank - 1 });
    assert.ok(less.details.energyKept < 0.5);
  });

  test('errors name the technique, the layer and why', () => {
    const weights = initWeights(SMALL, 1);
    assert.throws(() => applySvdFc(SMALL, weights, 'conv1'), (e: unknown) => e instanceof CompressionError && /F1 \(SVD\) on model "small", layer 0 "conv1" \(conv\): applies to fc layers only/.test(e.message));
    assert.throws(() => applySvdFc(SMALL, weights, 'fc1', { rank: 21 }), /parameter rank must be an integer in \[1, 20\], got 21/);
    assert.throws(() => applySvdFc(SMALL, weights, 'fc1', { rank: 0 }), /rank must be an integer/);
    assert.throws(() => applySvdFc(SMALL, weights, 'fc1', { energy: 0 }), /energy must be in \(0, 1\]/);
    assert.throws(() => applySvdFc(SMALL, weights, 'fc1', { rank: 2, energy: 0.5 }), /give rank or energy, not both/);
    assert.throws(() => applySvdFc(SMALL, weights, 'fc1', { ratio: 0.5 }), /unknown parameter "ratio" \(known: rank, energy\)/);
    assert.throws(() => applySvdFc(SMALL, weights, 9), /no layer at position 9 \(the model has 4 layers/);
    assert.throws(() => applySvdFc(SMALL, weights, 'nope'), /no layer has the id "nope"/);
    assert.throws(() => applySvdFc(SMALL, new Map(), 'fc1'), /the weight set has no kernel of shape \[48, 20\] for layer "fc1"/);
  });
});
