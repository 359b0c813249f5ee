import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModel } from '../models/builtin.ts';
import { initWeights } from '../tfjs/init-weights.ts';
import { CompressionError } from './compression-error.ts';
import { applicableTechniques, applyTechnique, TECHNIQUES, techniqueById } from './registry.ts';
import { useWasmWithoutLeaks } from '../../test/wasm-suite.ts';
import { forward, randomBatch } from './testing/forward.ts';

useWasmWithoutLeaks();

describe('technique registry', () => {
  test('seven techniques, F1 .. W1, each with a name, layer types and documented parameters', () => {
    assert.deepEqual(TECHNIQUES.map((t) => t.id), ['F1', 'F2', 'F3', 'C1', 'C2', 'C3', 'W1']);
    for (const t of TECHNIQUES) {
      assert.ok(t.name.length > 0 && t.summary.length > 0 && t.appliesTo.length > 0, t.id);
      for (const p of t.params) assert.ok(p.doc.length > 0 && p.default.length > 0, `${t.id} ${p.name}`);
    }
  });

  test('which techniques fit each vgg11 layer', () => {
    const spec = builtinModel('vgg11', 'cifar10');
    const fits = (id: string): string[] => applicableTechniques(spec, spec.layers.findIndex((l) => l.id === id));
    assert.deepEqual(fits('conv1'), ['C1', 'C2', 'C3', 'W1']);
    assert.deepEqual(fits('conv8'), ['C1', 'C2', 'C3', 'W1']);
    assert.deepEqual(fits('bn1'), []);
    assert.deepEqual(fits('pool5'), []);
    assert.deepEqual(fits('flatten'), ['F3']);
    assert.deepEqual(fits('fc1'), ['F1', 'F2', 'F3', 'W1']);
    assert.deepEqual(fits('fc3'), ['F1', 'F2', 'F3']);
  });

  test('an unknown technique id is named with the known ones', () => {
    assert.throws(() => techniqueById('X9'), (e: unknown) => e instanceof CompressionError && /unknown technique "X9" \(known: F1, F2, F3, C1, C2, C3, W1\)/.test(e.message));
  });

  test('every applicable technique on every alexnet layer gives a model that runs and keeps the output shape', () => {
    const spec = builtinModel('alexnet', 'fashion-mnist');
    const weights = initWeights(spec, 1);
    const batch = randomBatch(spec, 1, 2);
    let applied = 0;
    spec.layers.forEach((layer, index) => {
      for (const id of applicableTechniques(spec, index)) {
        // The SVD of fc1 (4096 x 384) takes seconds: left to the F1 / F2 tests' smaller matrices.
        if ((id === 'F1' || id === 'F2') && layer.id === 'fc1') continue;
        const result = applyTechnique(id, spec, weights, index);
        const out = forward(result.spec, result.weights, batch);
        assert.equal(out.length, 10, `${id} on ${layer.id}`);
        assert.ok(out.every(Number.isFinite), `${id} on ${layer.id}`);
        assert.equal(result.maccAfter > result.maccBefore, result.description.includes('costs more MACCs than the original'), `${id} on ${layer.id}`);
        assert.equal(result.spec.layers.some((l) => result.replacedLayerIds.includes(l.id) && !result.newLayerIds.includes(l.id)), false);
        applied += 1;
      }
    });
    // A Fire module on conv1 (one input channel, 5x5 -> 64) costs more than the conv: 25*64*1024 vs 1*8*1024 + 8*32*1024 + 9*8*32*1024.
    const fire = applyTechnique('C3', spec, weights, 'conv1');
    assert.equal(fire.maccAfter - fire.maccBefore, 8 * 1024 + 8 * 32 * 1024 + 9 * 8 * 32 * 1024 - 25 * 64 * 1024);
    assert.match(fire.description, /costs more MACCs than the original/);
    // conv1, conv2: C1 C2 C3 W1; flatten: F3; fc1: F3 W1 (F1, F2 skipped); fc2: F1 F2 F3 W1; fc3: F1 F2 F3.
    assert.equal(applied, 8 + 1 + 2 + 4 + 3);
  });

  test('techniques chain on vgg11: W1 on conv4, then C1 on conv5 (now 192 input channels), then F3; each step cuts MACCs and the model runs', () => {
    const spec = builtinModel('vgg11', 'cifar10');
    const weights = initWeights(spec, 3);
    const pruned = applyTechnique('W1', spec, weights, 'conv4', { ratio: 0.25 });
    const split = applyTechnique('C1', pruned.spec, pruned.weights, 'conv5');
    // conv5 on 4x4 with 192 inputs: 9*192*512*16 -> 9*192*16 + 192*512*16
    assert.equal(split.maccBefore - split.maccAfter, 9 * 192 * 512 * 16 - (9 * 192 * 16 + 192 * 512 * 16));
    const pooled = applyTechnique('F3', split.spec, split.weights, 'flatten');
    assert.ok(pruned.maccAfter < pruned.maccBefore && pooled.maccBefore === split.maccAfter && pooled.maccAfter < split.maccAfter);
    const out = forward(pooled.spec, pooled.weights, randomBatch(spec, 2, 5));
    assert.equal(out.length, 20);
    assert.ok(out.every(Number.isFinite));
  });
});
