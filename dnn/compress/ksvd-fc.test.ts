import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelSpec } from '../spec/layer-spec.ts';
import { initWeights } from '../tfjs/init-weights.ts';
import { CompressionError } from './compression-error.ts';
import { applyKsvdFc } from './ksvd-fc.ts';
import { useWasmWithoutLeaks } from '../../test/wasm-suite.ts';
import { forward, maxAbsDiff, randomBatch } from './testing/forward.ts';

useWasmWithoutLeaks();

const MLP: ModelSpec = {
  name: 'mlp',
  inputShape: [2, 2, 8],
  layers: [
    { id: 'flatten', type: 'flatten' },
    { id: 'fc1', type: 'fc', outChannels: 24, activation: 'relu' },
    { id: 'fc2', type: 'fc', outChannels: 10 },
  ],
};

describe('F2 KSVD on an FC layer', () => {
  test('codes have at most s non-zeros per output unit; the error does not exceed the SVD start and stays below the weights', () => {
    const weights = initWeights(MLP, 5);
    const result = applyKsvdFc(MLP, weights, 'fc1', { rank: 16, sparsity: 4, iterations: 4 });
    assert.deepEqual(result.spec.layers.map((l) => l.id), ['flatten', 'fc1_dict', 'fc1_codes', 'fc2']);
    const codes = result.weights.get('fc1_codes')?.kernel as Float32Array; // [16, 24]
    assert.equal(codes.length, 16 * 24);
    let nonZeros = 0;
    for (let col = 0; col < 24; col++) {
      let count = 0;
      for (let row = 0; row < 16; row++) if (codes[row * 24 + col] !== 0) count += 1;
      assert.ok(count <= 4, `column ${col} has ${count} non-zeros`);
      nonZeros += count;
    }
    assert.equal(result.details.nonZeros, nonZeros);
    assert.ok(result.details.relativeError <= result.details.relativeErrorBefore + 1e-12);
    assert.ok(result.details.relativeError < 0.9, `relative error ${result.details.relativeError}`);
    // Sparse codes cannot beat the rank-16 SVD.
    assert.ok(result.details.relativeError >= result.details.svdRelativeError - 1e-9);
    // Dense MACCs as the paper counts: 32*24 + 24*10 -> 32*16 + 16*24 + 240.
    assert.equal(result.maccBefore, 32 * 24 + 240);
    assert.equal(result.maccAfter, 32 * 16 + 16 * 24 + 240);
  });

  test('sparseMacc counts the codes layer by its non-zeros', () => {
    const weights = initWeights(MLP, 5);
    const result = applyKsvdFc(MLP, weights, 'fc1', { rank: 16, sparsity: 4, sparseMacc: true });
    assert.equal(result.maccAfter, 32 * 16 + result.details.nonZeros + 240);
    assert.ok(result.details.nonZeros <= 4 * 24);
  });

  test('with s = k every code is free: the error is the rank-k SVD error, and at full rank the logits are unchanged', () => {
    const weights = initWeights(MLP, 6);
    const partial = applyKsvdFc(MLP, weights, 'fc1', { rank: 8, sparsity: 8, iterations: 0 });
    assert.ok(Math.abs(partial.details.relativeError - partial.details.svdRelativeError) < 1e-9);
    const full = applyKsvdFc(MLP, weights, 'fc1', { rank: 24, sparsity: 24, iterations: 2 });
    assert.ok(full.details.relativeError < 1e-6);
    const batch = randomBatch(MLP, 3, 9);
    assert.ok(maxAbsDiff(forward(full.spec, full.weights, batch), forward(MLP, weights, batch)) < 1e-4);
  });

  test('errors: not an FC, sparsity above the rank, iterations out of range', () => {
    const weights = initWeights(MLP, 5);
    assert.throws(() => applyKsvdFc(MLP, weights, 'flatten'), (e: unknown) => e instanceof CompressionError && /^F2 \(KSVD\) on model "mlp", layer 0 "flatten" \(flatten\): applies to fc layers only/.test(e.message));
    assert.throws(() => applyKsvdFc(MLP, weights, 'fc1', { rank: 4, sparsity: 5 }), /parameter sparsity must be an integer in \[1, 4\], got 5/);
    assert.throws(() => applyKsvdFc(MLP, weights, 'fc1', { iterations: -1 }), /iterations must be an integer in \[0, 50\]/);
    assert.throws(() => applyKsvdFc(MLP, weights, 'fc1', { sparseMacc: 1 }), /sparseMacc must be true or false/);
  });
});
