import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../spec/analyze.ts';
import type { ModelAnalysis } from '../spec/analyze.ts';
import { BUILTIN_MODEL_NAMES, builtinModel, isBuiltinModelName } from './builtin.ts';

const analyse = (name: 'vgg11' | 'alexnet' | 'resnet18', dataset: 'cifar10' | 'fashion-mnist'): ModelAnalysis =>
  analyzeModel(builtinModel(name, dataset));

function layer(analysis: ModelAnalysis, id: string) {
  const found = analysis.layers.find((l) => l.layer.id === id);
  assert.ok(found, `no layer ${id}`);
  return found;
}

describe('builtin names', () => {
  test('the three base models, and only them', () => {
    assert.deepEqual([...BUILTIN_MODEL_NAMES], ['vgg11', 'alexnet', 'resnet18']);
    assert.equal(isBuiltinModelName('resnet18'), true);
    assert.equal(isBuiltinModelName('resnet50'), false);
    assert.equal(isBuiltinModelName(7), false);
  });

  test('input shape and classes come from the data set', () => {
    for (const name of BUILTIN_MODEL_NAMES) {
      assert.deepEqual(builtinModel(name, 'cifar10').inputShape, [32, 32, 3]);
      assert.deepEqual(builtinModel(name, 'fashion-mnist').inputShape, [32, 32, 1]);
      assert.deepEqual(analyse(name, 'fashion-mnist').outputShape, [10]);
    }
  });
});

describe('vgg11', () => {
  // 8 convs x (conv, bn, relu) + 5 pools + flatten + fc, relu, fc, relu, fc = 24 + 5 + 1 + 5.
  test('35 layers; the first conv and the spatial size after each pool', () => {
    const a = analyse('vgg11', 'cifar10');
    assert.equal(a.layers.length, 35);
    assert.equal(layer(a, 'conv1').macc, 1_769_472); // 3*3*3*64*32*32
    assert.deepEqual(['pool1', 'pool2', 'pool3', 'pool4', 'pool5'].map((id) => layer(a, id).outputShape), [
      [16, 16, 64], [8, 8, 128], [4, 4, 256], [2, 2, 512], [1, 1, 512],
    ]);
    assert.deepEqual(layer(a, 'flatten').outputShape, [512]);
  });

  test('total MACCs and params on cifar10', () => {
    // conv1 3->64 @32x32: 9*3*64*1024    =  1,769,472
    // conv2 64->128 @16x16: 9*64*128*256  = 18,874,368
    // conv3 128->256 @8x8: 9*128*256*64   = 18,874,368
    // conv4 256->256 @8x8: 9*256*256*64   = 37,748,736
    // conv5 256->512 @4x4: 9*256*512*16   = 18,874,368
    // conv6 512->512 @4x4: 9*512*512*16   = 37,748,736
    // conv7, conv8 512->512 @2x2: 9*512*512*4 = 9,437,184 each
    // convs: 1,769,472 + 3*18,874,368 + 2*37,748,736 + 2*9,437,184 = 152,764,416
    // fcs: 512*512 + 512*512 + 512*10 = 529,408; total 153,293,824
    const a = analyse('vgg11', 'cifar10');
    assert.equal(a.macc, 153_293_824);
    // conv weights+biases: 1,792 + 73,856 + 295,168 + 590,080 + 1,180,160 + 3*2,359,808 = 9,220,480
    // bn: 4*(64+128+256+256+4*512) = 11,008; fc: 262,656 + 262,656 + 5,130 = 530,442
    assert.equal(a.params, 9_761_930); // 9,220,480 + 11,008 + 530,442
  });

  test('total MACCs and params on fashion-mnist (one input channel)', () => {
    const a = analyse('vgg11', 'fashion-mnist');
    // conv1 drops to 9*1*64*1024 = 589,824: 153,293,824 - 1,179,648
    assert.equal(a.macc, 152_114_176);
    // conv1 params drop to 9*64 + 64 = 640: 9,761,930 - 1,152
    assert.equal(a.params, 9_760_778);
  });
});

describe('alexnet (TensorFlow CIFAR-10 tutorial)', () => {
  test("'same' pools halve 32 -> 16 -> 8; fc1 sees 8*8*64 = 4096", () => {
    const a = analyse('alexnet', 'cifar10');
    assert.equal(a.layers.length, 12);
    assert.deepEqual(layer(a, 'pool1').outputShape, [16, 16, 64]);
    assert.deepEqual(layer(a, 'pool2').outputShape, [8, 8, 64]);
    assert.deepEqual(layer(a, 'fc1').inputShapes, [[4096]]);
  });

  test('total MACCs and params on both data sets', () => {
    // conv1 5x5 3->64 @32x32: 25*3*64*1024 = 4,915,200; conv2 5x5 64->64 @16x16: 25*64*64*256 = 26,214,400
    // fc1 4096*384 = 1,572,864; fc2 384*192 = 73,728; fc3 192*10 = 1,920
    const c = analyse('alexnet', 'cifar10');
    assert.equal(c.macc, 32_778_112);
    // params: 4,864 + 102,464 + 1,573,248 + 73,920 + 1,930
    assert.equal(c.params, 1_756_426);
    const f = analyse('alexnet', 'fashion-mnist');
    assert.equal(f.macc, 29_501_312); // conv1 25*1*64*1024 = 1,638,400: minus 3,276,800
    assert.equal(f.params, 1_753_226); // conv1 25*64 + 64 = 1,664: minus 3,200
  });
});

describe('resnet18 (CIFAR)', () => {
  // stem 3 + stage 1: 2 blocks x 7 (conv, bn, relu, conv, bn, add, relu) + stages 2-4: (9 + 7) each + gap + fc
  test('67 layers; stride-2 stages and projection shortcuts', () => {
    const a = analyse('resnet18', 'cifar10');
    assert.equal(a.layers.length, 67);
    assert.deepEqual(layer(a, 's2b1_conv1').outputShape, [16, 16, 128]);
    assert.deepEqual(layer(a, 's3b1_proj').outputShape, [8, 8, 256]);
    assert.deepEqual(layer(a, 's4b2_relu2').outputShape, [4, 4, 512]);
    assert.deepEqual(layer(a, 's1b1_add').inputIds, ['s1b1_bn2', 'stem_relu']);
    assert.deepEqual(layer(a, 's2b1_add').inputIds, ['s2b1_bn2', 's2b1_proj_bn']);
    assert.equal(layer(a, 's2b1_proj').macc, 2_097_152); // 1*1*64*128*16*16
    assert.equal(a.layers.filter((l) => l.layer.type === 'add').length, 8);
  });

  test('total MACCs and params on both data sets', () => {
    // stem 9*3*64*1024 = 1,769,472
    // stage 1: 4 convs 9*64*64*1024 = 37,748,736 each: 150,994,944
    // stage 2: 9*64*128*256 = 18,874,368 + 3 * 9*128*128*256 (37,748,736) + proj 64*128*256 (2,097,152) = 134,217,728
    // stages 3 and 4 repeat stage 2's figure (channels double, area quarters): 134,217,728 each
    // fc 512*10 = 5,120
    // 1,769,472 + 150,994,944 + 3*134,217,728 + 5,120 = 555,422,720
    const c = analyse('resnet18', 'cifar10');
    assert.equal(c.macc, 555_422_720);
    // convs, no bias: 1,728 + 147,456 + 524,288 + 2,097,152 + 8,388,608 = 11,159,232
    // bn: 4 * (64 + 4*64 + 5*128 + 5*256 + 5*512) = 4 * 4,800 = 19,200; fc 5,130
    assert.equal(c.params, 11_183_562);
    const f = analyse('resnet18', 'fashion-mnist');
    assert.equal(f.macc, 554_243_072); // stem 9*1*64*1024 = 589,824: minus 1,179,648
    assert.equal(f.params, 11_182_410); // stem 9*64 = 576 weights: minus 1,152
  });

  test('cut bytes include the live skip tensor', () => {
    const a = analyse('resnet18', 'cifar10');
    const after = (id: string): number => a.cutBytes[layer(a, id).index + 1];
    const map64 = 32 * 32 * 64 * 4; // 262,144 bytes
    const map128 = 16 * 16 * 128 * 4; // 131,072 bytes
    assert.equal(a.cutBytes[0], 12_288); // 32*32*3*4
    assert.equal(after('stem_relu'), map64);
    assert.equal(after('s1b1_conv1'), 2 * map64); // conv1 output + stem_relu kept for the add
    assert.equal(after('s1b1_relu2'), map64); // block joined: only its output
    assert.equal(after('s2b1_conv1'), map128 + map64); // stride-2 output + the 32x32 block input
    assert.equal(after('s2b1_proj'), 2 * map128); // bn2 output + projection: the input is no longer needed
    assert.equal(after('gap'), 512 * 4);
    assert.equal(a.cutBytes[a.layers.length], 0);
    assert.equal(a.cutBytes.length, 68);
  });
});
