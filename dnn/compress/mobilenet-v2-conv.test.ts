import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../engine/tfjs-backend.ts';
import { builtinModel } from '../models/builtin.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import { initWeights } from '../tfjs/init-weights.ts';
import type { WeightSet } from '../tfjs/layer-weights.ts';
import { CompressionError } from './compression-error.ts';
import { applyMobileNetV2Conv } from './mobilenet-v2-conv.ts';
import { forward, randomBatch } from './testing/forward.ts';

let tensorsBefore = 0;
const vgg = builtinModel('vgg11', 'cifar10');
let vggWeights: WeightSet;
before(async () => {
  const info = await initTfjsBackend();
  assert.equal(info.name, 'wasm', `backend ${info.description}`);
  tensorsBefore = tf.memory().numTensors;
  vggWeights = initWeights(vgg, 1);
});
after(() => assert.equal(tf.memory().numTensors, tensorsBefore, 'leaked tensors'));

const CONV4 = 9 * 256 * 256 * 64; // 3x3, 256 -> 256 on 8x8
const CONV5 = 9 * 256 * 512 * 16; // 3x3, 256 -> 512 on 4x4

/** A small net whose convs are runnable quickly: 8x8x3 -> conv 3x3 same 6 -> conv 3x3 pad 1 6 (relu) -> conv 5x5 valid -> flatten -> fc 4. */
const NET: ModelSpec = {
  name: 'net',
  inputShape: [8, 8, 3],
  layers: [
    { id: 'a', type: 'conv', kernel: 3, padding: 'same', outChannels: 6 },
    { id: 'b', type: 'conv', kernel: 3, padding: 1, outChannels: 6, activation: 'relu' },
    { id: 'c', type: 'conv', kernel: 3, stride: 2, padding: 'same', outChannels: 8 },
    { id: 'v', type: 'conv', kernel: 3, outChannels: 4 },
    { id: 'flatten', type: 'flatten' },
    { id: 'fc', type: 'fc', outChannels: 4 },
  ],
};

describe('C2 MobileNetV2 in place of a conv', () => {
  test('vgg11 conv4 (8x8, 256 -> 256, stride 1): expansion 256*256*64 + depthwise 9*256*64 + projection 256*256*64, with a residual add', () => {
    const result = applyMobileNetV2Conv(vgg, vggWeights, 'conv4');
    assert.equal(result.maccBefore - result.maccAfter, CONV4 - (4_194_304 + 147_456 + 4_194_304));
    assert.deepEqual(result.newLayerIds, ['conv4_expand', 'conv4_expand_bn', 'conv4_expand_relu', 'conv4_dw', 'conv4_dw_bn', 'conv4_dw_relu', 'conv4_project', 'conv4_add']);
    const add = result.spec.layers.find((l) => l.id === 'conv4_add');
    assert.deepEqual(add?.inputs, ['conv4_project', 'relu3']);
    assert.equal(result.details.residual, 1);
    assert.match(result.description, /with a residual add/);
  });

  test('vgg11 conv5 (256 -> 512): no residual, said in the description; expansion 6 counts 6x the channels', () => {
    const result = applyMobileNetV2Conv(vgg, vggWeights, 'conv5', { expansion: 6 });
    const hidden = 1536;
    assert.equal(result.maccBefore - result.maccAfter, CONV5 - (256 * hidden * 16 + 9 * hidden * 16 + hidden * 512 * 16));
    assert.equal(result.details.residual, 0);
    assert.match(result.description, /without a residual \(the input \[4, 4, 256\] and output \[4, 4, 512\] differ\)/);
  });

  test('on a small net the block runs: residual around "b" with its relu after the add, none around the stride-2 "c"', () => {
    const weights = initWeights(NET, 3);
    const b = applyMobileNetV2Conv(NET, weights, 'b', { expansion: 2 });
    assert.deepEqual(b.newLayerIds.slice(-2), ['b_add', 'b_act']);
    assert.equal(b.spec.layers.find((l) => l.id === 'b_project')?.activation, undefined);
    const c = applyMobileNetV2Conv(b.spec, b.weights, 'c');
    assert.equal(c.details.residual, 0);
    const out = forward(c.spec, c.weights, randomBatch(NET, 2, 4));
    assert.equal(out.length, 2 * 4);
    assert.ok(out.every(Number.isFinite));
  });

  test('errors: a 1x1 conv, an expansion out of range', () => {
    const spec: ModelSpec = { name: 'p', inputShape: [4, 4, 2], layers: [{ id: 'pw', type: 'conv', kernel: 1, outChannels: 2 }] };
    assert.throws(() => applyMobileNetV2Conv(spec, initWeights(spec, 1), 'pw'), (e: unknown) => e instanceof CompressionError && /^C2 \(MobileNetV2\) on model "p", layer 0 "pw" \(conv\): the kernel is 1x1/.test(e.message));
    assert.throws(() => applyMobileNetV2Conv(NET, initWeights(NET, 1), 'a', { expansion: 0 }), /expansion must be in \(0, 16\], got 0/);
  });
});
