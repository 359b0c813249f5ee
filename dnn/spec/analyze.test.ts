import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel, MODEL_INPUT_ID } from './analyze.ts';
import type { InputShape, LayerSpec } from './layer-spec.ts';

/** Analyses a one-layer model (plus any layers listed first) and returns the last layer. */
function last(inputShape: InputShape, ...layers: LayerSpec[]) {
  const analysis = analyzeModel({ name: 't', inputShape, layers });
  return analysis.layers[analysis.layers.length - 1];
}

describe('conv: shape (Eq. 4 MACCs) and params', () => {
  test("3x3 'same' stride 1 keeps 32x32", () => {
    const l = last([32, 32, 3], { id: 'c', type: 'conv', kernel: 3, padding: 'same', outChannels: 64 });
    assert.deepEqual(l.outputShape, [32, 32, 64]);
    assert.equal(l.macc, 1_769_472); // 3*3*3*64*32*32
    assert.equal(l.params, 1_792); // 3*3*3*64 weights + 64 biases
    assert.equal(l.outputBytes, 262_144); // 32*32*64*4
  });

  test('5x5 valid (padding 0) shrinks 32 to 28', () => {
    const l = last([32, 32, 3], { id: 'c', type: 'conv', kernel: 5, outChannels: 6 });
    assert.deepEqual(l.outputShape, [28, 28, 6]); // 32 - 5 + 1
    assert.equal(l.macc, 352_800); // 5*5*3*6 = 450, * 28*28 = 784
    assert.equal(l.params, 456); // 450 + 6
  });

  test("stride 2: 'same' gives ceil(in/2), padding 1 gives floor((in+2-3)/2)+1, valid gives floor((in-3)/2)+1", () => {
    const same = last([32, 32, 16], { id: 'c', type: 'conv', kernel: 3, stride: 2, padding: 'same', outChannels: 32 });
    assert.deepEqual(same.outputShape, [16, 16, 32]);
    assert.equal(same.macc, 1_179_648); // 9*16*32*16*16 = 4608*256
    const pad1 = last([32, 32, 16], { id: 'c', type: 'conv', kernel: 3, stride: 2, padding: 1, outChannels: 32 });
    assert.deepEqual(pad1.outputShape, [16, 16, 32]); // floor(31/2)+1
    const oddSame = last([7, 9, 1], { id: 'c', type: 'conv', kernel: 3, stride: 2, padding: 'same', outChannels: 1 });
    assert.deepEqual(oddSame.outputShape, [4, 5, 1]); // ceil(7/2), ceil(9/2)
    const oddValid = last([7, 9, 1], { id: 'c', type: 'conv', kernel: 3, stride: 2, outChannels: 1 });
    assert.deepEqual(oddValid.outputShape, [3, 4, 1]); // floor(4/2)+1, floor(6/2)+1
    assert.equal(oddValid.macc, 108); // 3*3*1*1*3*4
  });

  test('grouped conv counts C_in / groups per output channel', () => {
    const l = last([8, 8, 32], { id: 'c', type: 'conv', kernel: 3, padding: 1, outChannels: 64, groups: 4 });
    assert.deepEqual(l.outputShape, [8, 8, 64]);
    assert.equal(l.macc, 294_912); // 3*3*(32/4)*64*8*8 = 4608*64
    assert.equal(l.params, 4_672); // 3*3*8*64 = 4608, + 64 biases
  });

  test('useBias false drops the biases from params', () => {
    const l = last([8, 8, 32], { id: 'c', type: 'conv', kernel: 1, outChannels: 16, useBias: false });
    assert.equal(l.params, 512); // 1*1*32*16
    assert.equal(l.macc, 32_768); // 512 * 8*8
  });
});

describe('depthwise', () => {
  test('K*K*C_in*H_out*W_out MACCs', () => {
    const l = last([16, 16, 32], { id: 'd', type: 'depthwise', kernel: 3, padding: 'same' });
    assert.deepEqual(l.outputShape, [16, 16, 32]);
    assert.equal(l.macc, 73_728); // 3*3*32*16*16
    assert.equal(l.params, 320); // 3*3*32 + 32
  });

  test('depth multiplier 2 doubles channels, MACCs and weights', () => {
    const l = last([16, 16, 32], { id: 'd', type: 'depthwise', kernel: 3, padding: 'same', depthMultiplier: 2 });
    assert.deepEqual(l.outputShape, [16, 16, 64]);
    assert.equal(l.macc, 147_456); // 3*3*32*2*16*16
    assert.equal(l.params, 640); // 3*3*64 + 64
  });

  test('stride 2', () => {
    const l = last([16, 16, 32], { id: 'd', type: 'depthwise', kernel: 3, stride: 2, padding: 'same' });
    assert.deepEqual(l.outputShape, [8, 8, 32]);
    assert.equal(l.macc, 18_432); // 3*3*32*8*8
  });
});

describe('fc (Eq. 5), pools, gap, flatten, bn, add, concat', () => {
  test('fc: C_in*C_out MACCs, weights plus biases', () => {
    const l = last([8, 8, 64], { id: 'f', type: 'flatten' }, { id: 'fc', type: 'fc', outChannels: 384 });
    assert.deepEqual(l.inputShapes, [[4096]]); // 8*8*64
    assert.deepEqual(l.outputShape, [384]);
    assert.equal(l.macc, 1_572_864); // 4096*384
    assert.equal(l.params, 1_573_248); // + 384 biases
  });

  test('maxpool stride defaults to the kernel; 3x3 stride 2 same and valid', () => {
    const p2 = last([32, 32, 64], { id: 'p', type: 'maxpool', kernel: 2 });
    assert.deepEqual(p2.outputShape, [16, 16, 64]);
    assert.equal(p2.macc, 0);
    assert.equal(p2.params, 0);
    const same = last([32, 32, 64], { id: 'p', type: 'maxpool', kernel: 3, stride: 2, padding: 'same' });
    assert.deepEqual(same.outputShape, [16, 16, 64]); // ceil(32/2)
    const valid = last([32, 32, 64], { id: 'p', type: 'maxpool', kernel: 3, stride: 2 });
    assert.deepEqual(valid.outputShape, [15, 15, 64]); // floor(29/2)+1
    const avg = last([32, 32, 8], { id: 'p', type: 'avgpool', kernel: 3 });
    assert.deepEqual(avg.outputShape, [10, 10, 8]); // stride 3: floor(29/3)+1
  });

  test('gap and flatten make vectors', () => {
    assert.deepEqual(last([4, 4, 512], { id: 'g', type: 'gap' }).outputShape, [512]);
    assert.deepEqual(last([2, 2, 512], { id: 'f', type: 'flatten' }).outputShape, [2048]);
  });

  test('bn keeps the shape and holds 4 parameters per channel; activation and dropout are free', () => {
    const b = last([32, 32, 64], { id: 'b', type: 'bn' });
    assert.deepEqual(b.outputShape, [32, 32, 64]);
    assert.equal(b.params, 256); // gamma, beta, mean, variance * 64
    assert.equal(b.macc, 0);
    const a = last([32, 32, 64], { id: 'a', type: 'activation', activation: 'relu' }, { id: 'd', type: 'dropout', rate: 0.5 });
    assert.deepEqual(a.outputShape, [32, 32, 64]);
    assert.equal(a.macc + a.params, 0);
  });

  test('add joins equal shapes; concat sums channels', () => {
    const add = last([8, 8, 16],
      { id: 'c', type: 'conv', kernel: 3, padding: 'same', outChannels: 16 },
      { id: 'j', type: 'add', inputs: ['c', MODEL_INPUT_ID] });
    assert.deepEqual(add.inputIds, ['c', '@input']);
    assert.deepEqual(add.outputShape, [8, 8, 16]);
    assert.equal(add.macc, 0);
    const cat = last([8, 8, 16],
      { id: 'c', type: 'conv', kernel: 1, outChannels: 24 },
      { id: 'j', type: 'concat', inputs: [MODEL_INPUT_ID, 'c'] });
    assert.deepEqual(cat.outputShape, [8, 8, 40]); // 16 + 24
  });
});

describe('model totals', () => {
  test('a small chain sums MACCs and params, and omitted inputs mean the previous layer', () => {
    const analysis = analyzeModel({
      name: 'lenet-ish',
      inputShape: [32, 32, 1],
      layers: [
        { id: 'c1', type: 'conv', kernel: 5, outChannels: 6 }, // 28x28x6: 25*6*784 = 117,600 MACC; 156 params
        { id: 'p1', type: 'maxpool', kernel: 2 }, // 14x14x6
        { id: 'c2', type: 'conv', kernel: 5, outChannels: 16 }, // 10x10x16: 25*6*16*100 = 240,000; 2,416 params
        { id: 'p2', type: 'maxpool', kernel: 2 }, // 5x5x16
        { id: 'f', type: 'flatten' }, // 400
        { id: 'fc1', type: 'fc', outChannels: 120 }, // 48,000; 48,120 params
        { id: 'fc2', type: 'fc', outChannels: 10 }, // 1,200; 1,210 params
      ],
    });
    assert.deepEqual(analysis.layers.map((l) => l.inputIds[0]), ['@input', 'c1', 'p1', 'c2', 'p2', 'f', 'fc1']);
    assert.equal(analysis.macc, 406_800); // 117,600 + 240,000 + 48,000 + 1,200
    assert.equal(analysis.params, 51_902); // 156 + 2,416 + 48,120 + 1,210
    assert.deepEqual(analysis.outputShape, [10]);
  });
});
