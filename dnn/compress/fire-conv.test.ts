import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../engine/tfjs-backend.ts';
import { builtinModel } from '../models/builtin.ts';
import { analyzeModel } from '../spec/analyze.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import { initWeights } from '../tfjs/init-weights.ts';
import type { WeightSet } from '../tfjs/layer-weights.ts';
import { CompressionError } from './compression-error.ts';
import { applyFireConv } from './fire-conv.ts';
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

describe('C3 SqueezeNet Fire in place of a conv', () => {
  test('vgg11 conv4: squeeze 256*32*64 + expand1 32*128*64 + expand3 9*32*128*64 = 3,145,728', () => {
    const result = applyFireConv(vgg, vggWeights, 'conv4');
    assert.equal(result.maccBefore - result.maccAfter, CONV4 - 3_145_728);
    assert.deepEqual(result.details, { squeeze: 32, expand1: 128, expand3: 128 });
    const after = analyzeModel(result.spec);
    const concat = after.layers.find((l) => l.layer.id === 'conv4_concat');
    assert.deepEqual(concat?.outputShape, [8, 8, 256]);
  });

  test('given squeeze and expand1: e1 + e3 = C_out; the stride moves to the squeeze and keeps the output size', () => {
    const weights = initWeights(NET, 5);
    const result = applyFireConv(NET, weights, 'c', { squeeze: 2, expand1: 3 });
    const after = analyzeModel(result.spec);
    const shape = (id: string): readonly number[] | undefined => after.layers.find((l) => l.layer.id === id)?.outputShape;
    assert.deepEqual(shape('c_squeeze'), [4, 4, 2]);
    assert.deepEqual(shape('c_expand1'), [4, 4, 3]);
    assert.deepEqual(shape('c_expand3'), [4, 4, 5]);
    assert.deepEqual(shape('c_concat'), [4, 4, 8]);
    // c: 9*6*8*16 = 6912 -> squeeze 6*2*16 + expand1 2*3*16 + expand3 9*2*5*16 = 192 + 96 + 1440
    assert.equal(result.maccBefore - result.maccAfter, 6912 - (192 + 96 + 1440));
    const out = forward(result.spec, result.weights, randomBatch(NET, 2, 6));
    assert.equal(out.length, 8);
  });

  test('errors: a conv whose padding shrinks the map, expand1 leaving no 3x3 channels, an FC', () => {
    const weights = initWeights(NET, 5);
    assert.throws(() => applyFireConv(NET, weights, 'v'), /C3 \(SqueezeNet Fire\) on model "net", layer 3 "v" \(conv\): the conv maps 4x4 to 2x2, but a Fire module/);
    assert.throws(() => applyFireConv(NET, weights, 'a', { expand1: 6 }), /expand1 must be an integer in \[1, 5\], got 6/);
    assert.throws(() => applyFireConv(NET, weights, 'fc'), (e: unknown) => e instanceof CompressionError && /applies to conv layers only, this is a fc layer/.test(e.message));
  });
});
