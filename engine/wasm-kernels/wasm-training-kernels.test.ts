import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../tfjs-backend.ts';
import { liveData, relativeError, runOn, seededValues } from './cpu-reference.ts';
import type { Input } from './cpu-reference.ts';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.ts';

const TOLERANCE = 1e-4;

function input(shape: number[], seed: number): Input {
  return { values: seededValues(shape.reduce((p, d) => p * d, 1), seed), shape };
}

/** Runs the kernel on cpu and wasm from the same inputs; asserts equal shapes, values within 1e-4 relative, nothing leaked on wasm. */
async function assertMatchesCpu(name: string, inputs: Input[], f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<void> {
  const reference = await runOn('cpu', inputs, f);
  await tf.setBackend('wasm');
  const before = liveData();
  const actual = await runOn('wasm', inputs, f);
  assert.deepEqual(liveData(), before, `${name}: tensors or wasm data leaked`);
  assert.equal(actual.length, reference.length);
  for (const [i, ref] of reference.entries()) {
    assert.deepEqual(actual[i].shape, ref.shape, `${name}: output ${i} shape`);
    const err = relativeError(actual[i].values, ref.values);
    assert.ok(err <= TOLERANCE, `${name}: output ${i} differs from cpu by ${err.toExponential(2)} relative`);
  }
}

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase { x: number[]; k: number; cOut: number; stride: number; pad: Pad }

const CONV_CASES: ConvCase[] = [
  { x: [2, 7, 7, 3], k: 3, cOut: 4, stride: 1, pad: 'same' },
  { x: [3, 7, 9, 3], k: 3, cOut: 5, stride: 2, pad: 'same' },
  { x: [2, 8, 8, 2], k: 3, cOut: 4, stride: 2, pad: 'same' },
  { x: [2, 9, 7, 4], k: 3, cOut: 3, stride: 1, pad: 'valid' },
  { x: [2, 9, 9, 3], k: 5, cOut: 4, stride: 2, pad: 'valid' },
  { x: [2, 6, 7, 3], k: 3, cOut: 4, stride: 1, pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { x: [2, 7, 6, 3], k: 3, cOut: 4, stride: 2, pad: [[0, 0], [0, 1], [1, 1], [0, 0]] },
  // A pad wider than k - 1: the gradient wrt the input cannot be a padded conv.
  { x: [2, 5, 5, 2], k: 2, cOut: 3, stride: 1, pad: 2 },
  { x: [3, 9, 9, 6], k: 1, cOut: 8, stride: 2, pad: 'valid' },
  // Even kernels: 'same' pads one more pixel after than before.
  { x: [2, 6, 5, 3], k: 2, cOut: 4, stride: 1, pad: 'same' },
  { x: [2, 9, 10, 3], k: 4, cOut: 2, stride: 2, pad: 'same' },
  { x: [1, 16, 16, 32], k: 5, cOut: 16, stride: 1, pad: 'same' },
];

function caseName(c: ConvCase): string {
  return `x [${c.x.join(',')}] k ${c.k} stride ${c.stride} pad ${JSON.stringify(c.pad)}`;
}

before(async () => {
  await initTfjsBackend({ prefer: 'wasm' });
});

describe('Conv2DBackpropFilter and Conv2DBackpropInput on wasm equal the cpu backend', () => {
  for (const c of CONV_CASES) {
    test(caseName(c), async () => {
      const filterShape: [number, number, number, number] = [c.k, c.k, c.x[3], c.cOut];
      const y = tf.tidy(() => tf.conv2d(tf.zeros(c.x as [number, number, number, number]) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, c.stride, c.pad));
      const dyShape = y.shape;
      y.dispose();
      await assertMatchesCpu(`filter gradient, ${caseName(c)}`, [input(c.x, 1), input(dyShape, 2)], (x, dy) =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', filterShape }) as tf.Tensor);
      await assertMatchesCpu(`input gradient, ${caseName(c)}`, [input(dyShape, 3), input(filterShape, 4)], (dy, filter) =>
        tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }) as tf.Tensor);
    });
  }

  test('a batch whose im2col exceeds one chunk (32 MiB) is the sum of its parts', async () => {
    // K = 3*3*32 = 288 columns x 4096 rows per image: 7 images per chunk, so 9 images take two.
    await tf.setBackend('wasm');
    const filterShape: [number, number, number, number] = [3, 3, 32, 4];
    const x = tf.tensor4d(seededValues(9 * 64 * 64 * 32, 5), [9, 64, 64, 32]);
    const dy = tf.tensor4d(seededValues(9 * 64 * 64 * 4, 6), [9, 64, 64, 4]);
    const dw = (xs: tf.Tensor, dys: tf.Tensor): tf.Tensor =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: xs, dy: dys }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape }) as tf.Tensor;
    const before = liveData();
    const whole = dw(x, dy);
    assert.deepEqual(liveData(), { ...before, tensors: before.tensors + 1, wasmData: before.wasmData + 1 }, 'only the result is new');
    const parts = tf.tidy(() => tf.add(dw(x.slice(0, 4), dy.slice(0, 4)), dw(x.slice(4), dy.slice(4))));
    const err = relativeError(whole.dataSync(), parts.dataSync());
    assert.ok(err <= TOLERANCE, `chunked sum differs by ${err.toExponential(2)} relative`);
    tf.dispose([x, dy, whole, parts]);
  });

  test('the registered Conv2DBackpropInput is the studio\'s, not the built-in one', () => {
    assert.equal(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc, conv2DBackpropInputConfig.kernelFunc);
    assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc, conv2DBackpropFilterConfig.kernelFunc);
  });
});

describe('depthwise conv gradients on wasm equal the cpu backend', () => {
  const cases: { x: number[]; k: number; mul: number; stride: number; pad: 'same' | 'valid' | number }[] = [
    { x: [2, 7, 7, 3], k: 3, mul: 1, stride: 1, pad: 'same' },
    { x: [3, 9, 8, 4], k: 3, mul: 2, stride: 2, pad: 'same' },
    { x: [2, 9, 9, 2], k: 5, mul: 1, stride: 2, pad: 'valid' },
    { x: [2, 6, 7, 3], k: 3, mul: 3, stride: 1, pad: 1 },
  ];
  for (const c of cases) {
    test(`x [${c.x.join(',')}] k ${c.k} multiplier ${c.mul} stride ${c.stride} pad ${c.pad}`, async () => {
      const filterShape: [number, number, number, number] = [c.k, c.k, c.x[3], c.mul];
      const y = tf.tidy(() => tf.depthwiseConv2d(tf.zeros(c.x as [number, number, number, number]) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, c.stride, c.pad));
      const dyShape = y.shape;
      y.dispose();
      const attrs = { strides: [c.stride, c.stride], dilations: [1, 1], pad: c.pad };
      await assertMatchesCpu('depthwise filter gradient', [input(c.x, 7), input(dyShape, 8)], (x, dy) =>
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape }) as tf.Tensor);
      await assertMatchesCpu('depthwise input gradient', [input(dyShape, 9), input(filterShape, 10)], (dy, filter) =>
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...attrs, inputShape: c.x }) as tf.Tensor);
    });
  }
});

describe('pooling gradients on wasm equal the cpu backend (values of both signs)', () => {
  const cases: { x: number[]; k: number; stride: number; pad: 'same' | 'valid' }[] = [
    { x: [2, 8, 8, 3], k: 2, stride: 2, pad: 'valid' },
    { x: [3, 7, 9, 4], k: 2, stride: 2, pad: 'same' },
    // alexnet's overlapping 3x3 stride-2 'same' pools.
    { x: [2, 9, 8, 5], k: 3, stride: 2, pad: 'same' },
    { x: [2, 6, 6, 2], k: 3, stride: 1, pad: 'valid' },
  ];
  for (const c of cases) {
    test(`x [${c.x.join(',')}] pool ${c.k} stride ${c.stride} ${c.pad}`, async () => {
      const pooled = tf.tidy(() => tf.maxPool(tf.zeros(c.x as [number, number, number, number]) as tf.Tensor4D, c.k, c.stride, c.pad).shape);
      const weights = input(pooled, 14);
      await assertMatchesCpu('max pool gradient', [input(c.x, 13), weights], (x, w) =>
        tf.grad((v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, c.k, c.stride, c.pad).mul(w).sum())(x));
      await assertMatchesCpu('average pool gradient', [input(c.x, 15), weights], (x, w) =>
        tf.grad((v: tf.Tensor) => tf.avgPool(v as tf.Tensor4D, c.k, c.stride, c.pad).mul(w).sum())(x));
    });
  }

  test('the max gradient goes to the largest of negative values, by hand', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d([-5, -1, -3, -2], [1, 2, 2, 1]);
    const g = tf.grad((v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid').mul(7).sum())(x);
    assert.deepEqual(Array.from(g.dataSync()), [0, 7, 0, 0]);
    tf.dispose([x, g]);
  });
});

describe('UnsortedSegmentSum on wasm', () => {
  test('sums the rows of each segment, drops ids out of range, as worked by hand', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
    const ids = tf.tensor1d([0, 2, 0, 5, 2], 'int32');
    const s = tf.unsortedSegmentSum(x, ids, 3);
    assert.deepEqual(s.arraySync(), [[6, 8], [0, 0], [12, 14]]);
    tf.dispose([x, ids, s]);
  });

  test('equals cpu for float and int32 values, and is the gradient of gather', async () => {
    const ids: Input = { values: new Int32Array([3, 0, 3, 1, 1, 4, 0]), shape: [7] };
    await assertMatchesCpu('float segments', [input([7, 2, 3], 11), ids], (x, i) => tf.unsortedSegmentSum(x, i as tf.Tensor1D, 5));
    await assertMatchesCpu('int segments', [{ values: new Int32Array([1, -2, 3, 4, 5, 6, 7]), shape: [7] }, ids], (x, i) => tf.unsortedSegmentSum(x, i as tf.Tensor1D, 5));
    await assertMatchesCpu('gather gradient', [input([5, 3], 12), ids], (table, i) => tf.grad((t: tf.Tensor) => tf.gather(t, i).square().sum())(table));
  });
});
