import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { useWasmWithoutLeaks } from '../../test/wasm-suite.ts';
import { analyzeModel } from '../spec/analyze.ts';
import { cutCrossings } from '../spec/cut-crossings.ts';
import { builtinModel } from '../models/builtin.ts';
import type { BuiltinModelName } from '../models/builtin.ts';
import { SpecExecutor } from './spec-executor.ts';
import { initWeights } from './init-weights.ts';
import { ExecutorInputError } from './executor-errors.ts';

useWasmWithoutLeaks();

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst;
}

/** Cuts spread over the model: the input, after the first layer, a third, two thirds, before the last layer. */
function cutsOf(name: BuiltinModelName, extra: string[] = []): number[] {
  const analysis = analyzeModel(builtinModel(name, 'cifar10'));
  const L = analysis.layers.length;
  const byId = extra.map((id) => analysis.layers.findIndex((l) => l.layer.id === id));
  return [...new Set([0, 1, Math.floor(L / 3), Math.floor((2 * L) / 3), L - 1, ...byId])].sort((a, b) => a - b);
}

describe('split runs: layers [0, cut) then [cut, L) give the full forward', () => {
  const cases: [BuiltinModelName, string[]][] = [
    ['vgg11', []],
    ['alexnet', []],
    // inside a basic block (the block input crosses), right at an add, and across a projection shortcut
    ['resnet18', ['s1b1_bn1', 's2b1_add', 's3b1_proj', 's4b2_conv2']],
  ];
  for (const [name, extra] of cases) {
    test(`${name} at cuts ${cutsOf(name, extra).join(', ')}, batch 2, seeded weights: within 1e-5 of predict`, () => {
      const spec = builtinModel(name, 'cifar10');
      const executor = new SpecExecutor(spec, initWeights(spec, 7));
      const x = tf.randomNormal([2, ...spec.inputShape], 0, 1, 'float32', 3) as tf.Tensor4D;
      const full = executor.predict(x);
      for (const cut of cutsOf(name, extra)) {
        const crossing = executor.predictUntil(x, cut);
        const expected = cutCrossings(executor.analysis, cut);
        assert.deepEqual(crossing.map((t) => t.shape), expected.map((t) => [2, ...t.shape]), `${name} cut ${cut}: crossing shapes`);
        const split = executor.predictFrom(cut, crossing);
        const diff = maxAbsDiff(split, full);
        assert.ok(diff <= 1e-5, `${name} cut ${cut}: max |split - full| = ${diff}`);
        tf.dispose([split, ...crossing]);
      }
      if (name === 'resnet18') {
        const cut = executor.analysis.layers.findIndex((l) => l.layer.id === 's1b1_bn1');
        assert.equal(cutCrossings(executor.analysis, cut).length, 2, 'a skip crosses the block cut');
      }
      tf.dispose([full, x]);
      executor.dispose();
    });
  }
});

describe('split runs: wrong tensors are refused before any layer runs', () => {
  const spec = builtinModel('resnet18', 'cifar10');

  test('count, shape, batch and dtype mismatches name the cut and the producer', () => {
    const executor = new SpecExecutor(spec, initWeights(spec, 1));
    const cut = executor.analysis.layers.findIndex((l) => l.layer.id === 's1b1_bn1');
    const a = tf.zeros([1, 32, 32, 64]);
    const b = tf.zeros([2, 32, 32, 64]);
    const wrong = tf.zeros([1, 16, 16, 64]);
    const ints = tf.zeros([1, 32, 32, 64], 'int32');
    const image = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    assert.throws(() => executor.predictFrom(cut, [a]), (e: Error) => e instanceof ExecutorInputError && /crossed by 2 tensor\(s\) \(stem_relu, s1b1_conv1\), got 1/.test(e.message));
    assert.throws(() => executor.predictFrom(cut, [a, wrong]), /tensor 1 at cut \d+ \(output of "s1b1_conv1"\) has shape \[1, 16, 16, 64\], expected \[1, 32, 32, 64\]/);
    assert.throws(() => executor.predictFrom(cut, [a, b]), /has shape \[2, 32, 32, 64\], expected \[1, 32, 32, 64\]/);
    assert.throws(() => executor.predictFrom(cut, [a, ints]), /dtype int32, not float32/);
    // 67 layers: stem 3, eight basic blocks of 7, three projections of 2, gap, fc
    assert.throws(() => executor.predictFrom(67, [a]), /cut 67 is not a whole number from 0 to 66/);
    assert.throws(() => executor.predictUntil(image, -1), /cut -1/);
    assert.equal(tf.memory().numTensors, before, 'no tensor made by a refused call');
    tf.dispose([a, b, wrong, ints, image]);
    executor.dispose();
  });

  test('leaving stepsFrom early frees what it made; the given tensors stay the caller\'s', () => {
    const executor = new SpecExecutor(spec, initWeights(spec, 1));
    const cut = 3;
    const x = tf.zeros([1, 32, 32, 64]);
    const before = tf.memory().numTensors;
    let seen = 0;
    for (const step of executor.stepsFrom(cut, [x])) {
      seen = step.index;
      if (step.index === cut + 4) break;
    }
    assert.equal(seen, cut + 4);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(x.isDisposed, false);
    x.dispose();
    executor.dispose();
  });
});
