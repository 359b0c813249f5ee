import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModel } from '../models/builtin.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import { initWeights } from '../tfjs/init-weights.ts';
import { SeededRandom } from '../tfjs/seeded-random.ts';
import { CompressionError } from './compression-error.ts';
import { applyMobileNetConv } from './mobilenet-conv.ts';
import { useWasmWithoutLeaks } from '../../test/wasm-suite.ts';
import { forward, maxAbsDiff, randomBatch, rmsDiff } from './testing/forward.ts';

useWasmWithoutLeaks();

const NET: ModelSpec = {
  name: 'net',
  inputShape: [6, 6, 3],
  layers: [
    { id: 'conv1', type: 'conv', kernel: 3, padding: 1, outChannels: 4 },
    { id: 'conv2', type: 'conv', kernel: 3, padding: 'same', outChannels: 5 },
    { id: 'bn2', type: 'bn' },
    { id: 'relu2', type: 'activation', activation: 'relu' },
    { id: 'gap', type: 'gap' },
    { id: 'fc', type: 'fc', outChannels: 3 },
  ],
};

describe('C1 MobileNet in place of a conv', () => {
  test('vgg11 conv4 on cifar10 (8x8, 256 -> 256): MACCs 3*3*256*8*8 + 256*256*8*8 = 147,456 + 4,194,304 instead of 37,748,736', () => {
    const spec = builtinModel('vgg11', 'cifar10');
    const weights = initWeights(spec, 1);
    const result = applyMobileNetConv(spec, weights, 'conv4');
    assert.equal(result.maccBefore - result.maccAfter, 9 * 256 * 256 * 64 - (147_456 + 4_194_304));
    const ids = result.spec.layers.map((l) => l.id);
    assert.deepEqual(ids.slice(11, 16), ['conv4_dw', 'conv4_dw_bn', 'conv4_dw_relu', 'conv4_pw', 'bn4']);
    assert.equal(result.spec.layers.length, spec.layers.length + 3);
    assert.deepEqual(result.newLayerIds, ['conv4_dw', 'conv4_dw_bn', 'conv4_dw_relu', 'conv4_pw']);
    assert.equal(result.weights.has('conv4'), false);
    // params: dw 9*256, bn 4*256, pw 256*256 + 256 bias, instead of 9*256*256 + 256
    assert.equal(result.paramsBefore - result.paramsAfter, 9 * 256 * 256 + 256 - (9 * 256 + 4 * 256 + 256 * 256 + 256));
  });

  test('a kernel whose per-input-channel filters have rank 1 is reproduced exactly (inputs within the linear range)', () => {
    const weights = initWeights(NET, 2);
    const random = new SeededRandom(3);
    const kernel = new Float32Array(9 * 4 * 5);
    for (let c = 0; c < 4; c++) {
      const a = Array.from({ length: 9 }, () => random.normal());
      const b = Array.from({ length: 5 }, () => random.normal());
      for (let t = 0; t < 9; t++) for (let o = 0; o < 5; o++) kernel[(t * 4 + c) * 5 + o] = 0.3 * a[t] * b[o];
    }
    weights.set('conv2', { kernel, bias: Float32Array.from([0.1, -0.2, 0.3, 0, 0.5]) });
    // conv2 reads conv1's outputs: 27 inputs within ±1 times He weights stay far inside ±50.
    const result = applyMobileNetConv(NET, weights, 'conv2', { linearRange: 50 });
    assert.ok(result.details.relativeError < 1e-6);
    const batch = randomBatch(NET, 4, 8);
    assert.ok(maxAbsDiff(forward(result.spec, result.weights, batch), forward(NET, weights, batch)) < 1e-4);
    // MACCs: conv2 9*4*5*36 = 6480 becomes 9*4*36 + 4*5*36 = 1296 + 720.
    assert.equal(result.maccBefore - result.maccAfter, 6480 - 1296 - 720);
  });

  test('on a random kernel the SVD start is closer to the original than a random start', () => {
    const weights = initWeights(NET, 4);
    const result = applyMobileNetConv(NET, weights, 1, { linearRange: 50 });
    assert.ok(result.details.relativeError > 0.05 && result.details.relativeError < 1);
    const fresh = initWeights(result.spec, 11);
    const randomStart = new Map(result.weights);
    for (const id of result.newLayerIds) {
      const w = fresh.get(id);
      if (w) randomStart.set(id, w);
    }
    const batch = randomBatch(NET, 8, 12);
    const reference = forward(NET, weights, batch);
    const svdError = rmsDiff(forward(result.spec, result.weights, batch), reference);
    const randomError = rmsDiff(forward(result.spec, randomStart, batch), reference);
    assert.ok(svdError < randomError / 2, `svd start ${svdError}, random start ${randomError}`);
  });

  test('errors: a 1x1 conv, an FC, a grouped conv, a bad range', () => {
    const spec: ModelSpec = {
      name: 'm',
      inputShape: [4, 4, 4],
      layers: [
        { id: 'pw', type: 'conv', kernel: 1, outChannels: 4 },
        { id: 'grouped', type: 'conv', kernel: 3, padding: 1, groups: 2, outChannels: 4 },
        { id: 'flatten', type: 'flatten' },
        { id: 'fc', type: 'fc', outChannels: 2 },
      ],
    };
    const weights = initWeights(spec, 1);
    assert.throws(() => applyMobileNetConv(spec, weights, 'pw'), (e: unknown) => e instanceof CompressionError && e.message === 'C1 (MobileNet) on model "m", layer 0 "pw" (conv): the kernel is 1x1: there is no spatial filter to split into a depthwise conv (it splits a spatial conv into depthwise and pointwise)');
    assert.throws(() => applyMobileNetConv(spec, weights, 'fc'), /C1 \(MobileNet\) on model "m", layer 3 "fc" \(fc\): applies to conv layers only, this is a fc layer/);
    assert.throws(() => applyMobileNetConv(spec, weights, 'grouped'), /the conv has 2 groups/);
    assert.throws(() => applyMobileNetConv(NET, initWeights(NET, 1), 'conv2', { linearRange: -1 }), /linearRange must be in \[0, 1000000\], got -1/);
  });
});
