import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../engine/tfjs-backend.ts';
import { analyzeModel } from '../spec/analyze.ts';
import type { LayerSpec, ModelSpec } from '../spec/layer-spec.ts';
import { BUILTIN_MODEL_NAMES, builtinModel } from '../models/builtin.ts';
import { DATASETS } from '../models/datasets.ts';
import { SpecExecutor } from './spec-executor.ts';
import { initWeights } from './init-weights.ts';
import type { WeightSet } from './layer-weights.ts';
import { WeightSetError, ExecutorInputError } from './executor-errors.ts';

before(async () => {
  const info = await initTfjsBackend();
  console.log(`backend: ${info.description}`);
  assert.equal(info.name, 'wasm');
});

/** Runs a one-input model on a single image given row by row, returns the output values. */
function run(spec: ModelSpec, weights: WeightSet, image: number[]): number[] {
  const executor = new SpecExecutor(spec, weights);
  const x = tf.tensor4d(image, [1, ...spec.inputShape]);
  const y = executor.predict(x);
  const values = Array.from(y.dataSync());
  y.dispose();
  x.dispose();
  executor.dispose();
  return values;
}

function close(actual: number[], expected: number[], tolerance = 1e-5): void {
  assert.equal(actual.length, expected.length, `length ${actual.length} vs ${expected.length}`);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tolerance, `value ${i}: ${a} vs ${expected[i]}`));
}

const ONE_TO_NINE = [1, 2, 3, 4, 5, 6, 7, 8, 9];

describe('ops against values computed by hand', () => {
  test('conv 2x2 valid on a 3x3 image: each output is the kernel-weighted sum of its window plus the bias', () => {
    const spec: ModelSpec = { name: 'c', inputShape: [3, 3, 1], layers: [{ id: 'c', type: 'conv', kernel: 2, outChannels: 1 }] };
    // HWIO kernel [[1, 2], [3, 4]], bias 0.5: top-left = 1*1 + 2*2 + 3*4 + 4*5 + 0.5 = 37.5
    const weights: WeightSet = new Map([['c', { kernel: new Float32Array([1, 2, 3, 4]), bias: new Float32Array([0.5]) }]]);
    close(run(spec, weights, ONE_TO_NINE), [37.5, 47.5, 67.5, 77.5]);
  });

  test("conv 3x3 padding 1 with a fused relu: zero-padded window sums, minus 20, clipped at 0", () => {
    const spec: ModelSpec = { name: 'c', inputShape: [3, 3, 1], layers: [{ id: 'c', type: 'conv', kernel: 3, padding: 1, outChannels: 1, activation: 'relu' }] };
    const weights: WeightSet = new Map([['c', { kernel: new Float32Array(9).fill(1), bias: new Float32Array([-20]) }]]);
    // window sums: 12 21 16 / 27 45 33 / 24 39 28
    close(run(spec, weights, ONE_TO_NINE), [0, 1, 0, 7, 25, 13, 4, 19, 8]);
  });

  test("'same' conv with stride 2 on 3x3 keeps ceil(3/2) = 2 per side, padding at the end", () => {
    const spec: ModelSpec = { name: 'c', inputShape: [3, 3, 1], layers: [{ id: 'c', type: 'conv', kernel: 2, stride: 2, padding: 'same', outChannels: 1, useBias: false }] };
    const weights: WeightSet = new Map([['c', { kernel: new Float32Array([1, 1, 1, 1]) }]]);
    // windows at (0,0) 1+2+4+5, (0,2) 3+6, (2,0) 7+8, (2,2) 9
    close(run(spec, weights, ONE_TO_NINE), [12, 9, 15, 9]);
  });

  test('depthwise with multiplier 2: output channel c*2+m is input channel c times kernel[c][m]', () => {
    const spec: ModelSpec = { name: 'd', inputShape: [1, 2, 2], layers: [{ id: 'd', type: 'depthwise', kernel: 1, depthMultiplier: 2, useBias: false }] };
    const weights: WeightSet = new Map([['d', { kernel: new Float32Array([1, 2, 3, 4]) }]]);
    close(run(spec, weights, [5, 7, -1, 2]), [5, 10, 21, 28, -1, -2, 6, 8]);
  });

  test('fc with bias and softmax, gap, pools and bn by hand', () => {
    const fc: ModelSpec = { name: 'f', inputShape: [1, 1, 2], layers: [{ id: 'flat', type: 'flatten' }, { id: 'f', type: 'fc', outChannels: 2, activation: 'softmax' }] };
    // [1, 2] x [[1, 0], [0, 1]] + [0, ln 3] = [1, 2 + ln 3]; softmax = [1, 3e] / (1 + 3e) after dividing by e^1
    const e = Math.E;
    close(run(fc, new Map([['f', { kernel: new Float32Array([1, 0, 0, 1]), bias: new Float32Array([0, Math.log(3)]) }]]), [1, 2]), [1 / (1 + 3 * e), (3 * e) / (1 + 3 * e)]);

    const gap: ModelSpec = { name: 'g', inputShape: [3, 3, 1], layers: [{ id: 'g', type: 'gap' }] };
    close(run(gap, new Map(), ONE_TO_NINE), [5]);

    const pools = (type: LayerSpec['type'], padding: LayerSpec['padding']): ModelSpec => ({ name: 'p', inputShape: [3, 3, 1], layers: [{ id: 'p', type, kernel: 2, stride: 2, padding }] });
    close(run(pools('maxpool', 0), new Map(), ONE_TO_NINE), [5]);
    close(run(pools('maxpool', 'same'), new Map(), ONE_TO_NINE), [5, 6, 8, 9]);
    // 'same' average over the pixels inside the image: (3+6)/2, (7+8)/2, 9
    close(run(pools('avgpool', 'same'), new Map(), ONE_TO_NINE), [3, 4.5, 7.5, 9]);
    // padding 1, kernel 2, stride 2 on 3x3: windows {1}, {2,3}, {4,7}, {5,6,8,9}
    close(run(pools('avgpool', 1), new Map(), ONE_TO_NINE), [1, 2.5, 5.5, 7]);

    const bn: ModelSpec = { name: 'b', inputShape: [1, 1, 2], layers: [{ id: 'b', type: 'bn' }] };
    const bnWeights: WeightSet = new Map([['b', {
      gamma: new Float32Array([2, 1]), beta: new Float32Array([0.5, 0]), movingMean: new Float32Array([1, 0]), movingVariance: new Float32Array([4, 1]),
    }]]);
    // (x - mean) / sqrt(var + 1e-3) * gamma + beta, Keras's epsilon
    close(run(bn, bnWeights, [3, -2]), [(2 / Math.sqrt(4.001)) * 2 + 0.5, -2 / Math.sqrt(1.001)]);
  });

  test('every activation kind against its formula', () => {
    const xs = [-2, -0.5, 0, 0.5, 3, 7];
    const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
    const selu = (x: number): number => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.exp(x) - 1));
    const formulas: Record<NonNullable<LayerSpec['activation']>, (x: number) => number> = {
      linear: (x) => x,
      relu: (x) => Math.max(0, x),
      relu6: (x) => Math.min(6, Math.max(0, x)),
      sigmoid,
      tanh: Math.tanh,
      elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
      selu,
      softplus: (x) => Math.log(1 + Math.exp(x)),
      swish: (x) => x * sigmoid(x),
      leakyrelu: (x) => (x > 0 ? x : 0.2 * x),
      softmax: (x) => Math.exp(x) / xs.reduce((s, v) => s + Math.exp(v), 0),
    };
    for (const [kind, f] of Object.entries(formulas)) {
      const spec: ModelSpec = { name: kind, inputShape: [1, 1, xs.length], layers: [{ id: 'a', type: 'activation', activation: kind as LayerSpec['activation'] }] };
      close(run(spec, new Map(), xs), xs.map(f), 1e-5);
    }
  });

  test('add, concat on the last axis, dropout as identity, following the inputs DAG from @input', () => {
    const spec: ModelSpec = {
      name: 'dag', inputShape: [1, 1, 2], layers: [
        { id: 'r', type: 'activation', activation: 'relu' },
        { id: 'sum', type: 'add', inputs: ['@input', 'r'] },
        { id: 'drop', type: 'dropout', rate: 0.5, inputs: ['@input'] },
        { id: 'cat', type: 'concat', inputs: ['sum', 'drop', 'r'] },
      ],
    };
    // x = [-1, 4]: relu [0, 4]; sum [-1, 8]; dropout [-1, 4]
    close(run(spec, new Map(), [-1, 4]), [-1, 8, -1, 4, 0, 4]);
  });
});

test('grouped conv equals its two halves computed as separate convs', () => {
  const [h, w, cIn, cOut, k] = [5, 5, 4, 6, 3];
  const grouped: ModelSpec = { name: 'g', inputShape: [h, w, cIn], layers: [{ id: 'c', type: 'conv', kernel: k, padding: 1, outChannels: cOut, groups: 2 }] };
  const weights = initWeights(grouped, 7);
  const { kernel } = weights.get('c') as { kernel: Float32Array };
  const bias = new Float32Array([0.1, -0.2, 0.3, -0.4, 0.5, -0.6]);
  weights.set('c', { kernel, bias });
  const image = Array.from({ length: h * w * cIn }, (_, i) => Math.sin(i));
  const whole = run(grouped, weights, image);

  const half: ModelSpec = { name: 'h', inputShape: [h, w, cIn / 2], layers: [{ id: 'c', type: 'conv', kernel: k, padding: 1, outChannels: cOut / 2 }] };
  const halves = [0, 1].map((g) => {
    // HWIO [k, k, 2, 6]: group g owns output channels 3g..3g+2, its inputs are its own 2 channels.
    const part = new Float32Array(k * k * 2 * 3);
    for (let pos = 0; pos < k * k; pos++) for (let i = 0; i < 2; i++) for (let o = 0; o < 3; o++) part[(pos * 2 + i) * 3 + o] = kernel[(pos * 2 + i) * 6 + 3 * g + o];
    const input = image.filter((_, idx) => Math.floor((idx % cIn) / 2) === g);
    return run(half, new Map([['c', { kernel: part, bias: bias.slice(3 * g, 3 * g + 3) }]]), input);
  });
  const expected = whole.map((_, idx) => halves[Math.floor((idx % cOut) / 3)][Math.floor(idx / cOut) * 3 + (idx % 3)]);
  close(whole, expected, 1e-5);
});

test("every layer's output shape equals analyzeModel's, for the three built-in models on both data sets", () => {
  for (const name of BUILTIN_MODEL_NAMES) {
    for (const dataset of DATASETS) {
      const spec = builtinModel(name, dataset);
      const analysis = analyzeModel(spec);
      const executor = new SpecExecutor(spec, initWeights(spec, 1));
      const x = tf.randomNormal([2, ...spec.inputShape]) as tf.Tensor4D;
      let seen = 0;
      for (const { index, output } of executor.steps(x)) {
        assert.deepEqual(output.shape, [2, ...analysis.layers[index].outputShape], `${name}/${dataset} layer ${spec.layers[index].id}`);
        assert.ok(output.dataSync().every(Number.isFinite), `${name}/${dataset} layer ${spec.layers[index].id} finite`);
        seen += 1;
        if (index === spec.layers.length - 1) output.dispose();
      }
      assert.equal(seen, spec.layers.length);
      x.dispose();
      executor.dispose();
    }
  }
});

test('no tensor leaks: predict, steps abandoned midway, timeLayers and dispose return to the starting count (resnet18 skips included)', () => {
  const start = tf.memory().numTensors;
  const spec = builtinModel('resnet18', 'cifar10');
  const executor = new SpecExecutor(spec, initWeights(spec, 3));
  const withWeights = tf.memory().numTensors;
  assert.ok(withWeights > start);
  const x = tf.randomNormal([1, 32, 32, 3]) as tf.Tensor4D;
  const afterInput = tf.memory().numTensors;

  executor.predict(x).dispose();
  assert.equal(tf.memory().numTensors, afterInput, 'after predict');

  let live = 0;
  for (const step of executor.steps(x)) {
    if (step.index === 12) {
      // Inside block s1b2: the block input (s1b1_relu2) is held for the skip plus this layer's output.
      live = tf.memory().numTensors - afterInput;
      break;
    }
  }
  assert.equal(live, 2, 'tensors alive mid-block');
  assert.equal(tf.memory().numTensors, afterInput, 'after an abandoned run');

  executor.timeLayers(x, { warmup: 1, repeats: 2, now: () => performance.now() });
  assert.equal(tf.memory().numTensors, afterInput, 'after timeLayers');

  x.dispose();
  executor.dispose();
  assert.equal(tf.memory().numTensors, start, 'after dispose');
});

test('weights that do not fit the spec and inputs of the wrong shape are refused by name', () => {
  const spec: ModelSpec = { name: 'tiny', inputShape: [3, 3, 1], layers: [{ id: 'c', type: 'conv', kernel: 2, outChannels: 1 }] };
  const before = tf.memory().numTensors;
  assert.throws(() => new SpecExecutor(spec, new Map()), (e: unknown) => e instanceof WeightSetError && /layer "c": no entry/.test(e.message));
  assert.throws(
    () => new SpecExecutor(spec, new Map([['c', { kernel: new Float32Array(3), bias: new Float32Array(1) }]])),
    /model "tiny", layer "c": kernel has 3 values, the spec needs \[2, 2, 1, 1\] = 4/,
  );
  assert.equal(tf.memory().numTensors, before);
  const executor = new SpecExecutor(spec, initWeights(spec, 1));
  const wrong = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
  assert.throws(() => executor.predict(wrong), (e: unknown) => e instanceof ExecutorInputError && /input shape \[1, 4, 4, 1\] is not \[N, 3, 3, 1\]/.test(e.message));
  wrong.dispose();
  executor.dispose();
});
