import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModel } from '../models/builtin.ts';
import { initWeights } from './init-weights.ts';
import { decodeWeightSet, encodeWeightSet, floatToHalf, halfBitsToFloat, WeightCodecError } from './weight-codec.ts';

describe('weight codec', () => {
  test('float16 bits round to nearest even', () => {
    assert.equal(floatToHalf(1), 0x3c00);
    assert.equal(floatToHalf(-2), 0xc000);
    assert.equal(floatToHalf(65504), 0x7bff);
    assert.equal(floatToHalf(1e6), 0x7c00);
    assert.equal(floatToHalf(2 ** -24), 0x0001);
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1).
    assert.equal(floatToHalf(1 + 2 ** -11), 0x3c00);
    assert.equal(floatToHalf(1 + 3 * 2 ** -11), 0x3c02);
    for (const v of [0.1, -3.75, 1e-3, 123.4]) assert.ok(Math.abs(halfBitsToFloat(floatToHalf(v)) - v) <= Math.abs(v) * 2 ** -11);
  });

  test('a vgg11 weight set survives float32 exactly and float16 within half precision', () => {
    const weights = initWeights(builtinModel('vgg11', 'fashion-mnist', { width: 0.125 }), 5);
    const f32 = decodeWeightSet(encodeWeightSet('vgg11', weights, 'float32'), 'f32');
    assert.equal(f32.model, 'vgg11');
    assert.deepEqual(f32.weights.get('conv3')?.kernel, weights.get('conv3')?.kernel);
    const bytes16 = encodeWeightSet('vgg11', weights, 'float16');
    const f16 = decodeWeightSet(bytes16, 'f16');
    const a = weights.get('fc1')?.kernel ?? new Float32Array();
    const b = f16.weights.get('fc1')?.kernel ?? new Float32Array();
    assert.equal(a.length, b.length);
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= Math.abs(v) * 2 ** -11 + 2 ** -24, `fc1[${i}] ${v} vs ${b[i]}`));
    assert.throws(() => decodeWeightSet(bytes16.subarray(0, bytes16.length - 2), 'cut.etw'), (e: unknown) => e instanceof WeightCodecError && /cut\.etw.*truncated/.test(e.message));
    assert.throws(() => decodeWeightSet(new Uint8Array(20), 'zero.etw'), /zero\.etw: not a studio weights file/);
  });
});
