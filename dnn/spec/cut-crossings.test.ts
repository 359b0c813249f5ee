import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from './analyze.ts';
import { cutCrossings } from './cut-crossings.ts';
import { BUILTIN_MODEL_NAMES, builtinModel } from '../models/builtin.ts';
import { ModelSpecError } from './errors.ts';

describe('cutCrossings: which tensors cross a cut', () => {
  const residual = analyzeModel({
    name: 'residual',
    inputShape: [8, 8, 4],
    layers: [
      { id: 'a', type: 'conv', kernel: 3, padding: 'same', outChannels: 4 },
      { id: 'b', type: 'conv', kernel: 3, padding: 'same', outChannels: 4 },
      { id: 'j', type: 'add', inputs: ['b', '@input'] },
      { id: 'g', type: 'gap' },
      { id: 'fc', type: 'fc', outChannels: 2 },
    ],
  });

  test('a skip from the input crosses every cut inside the block, the input first', () => {
    const ids = (c: number): string[] => cutCrossings(residual, c).map((t) => t.producerId);
    assert.deepEqual(ids(0), ['@input']);
    assert.deepEqual(ids(1), ['@input', 'a']);
    assert.deepEqual(ids(2), ['@input', 'b']);
    assert.deepEqual(ids(3), ['j']);
    assert.deepEqual(ids(4), ['g']);
    assert.deepEqual(cutCrossings(residual, 4)[0].shape, [4]);
    assert.equal(cutCrossings(residual, 2)[0].bytes, 8 * 8 * 4 * 4);
  });

  test('cut L (nothing left for the cloud), negative and fractional cuts are refused by number', () => {
    assert.throws(() => cutCrossings(residual, 5), (e: Error) => e instanceof ModelSpecError && /cut 5 is out of range.*0 to 4/.test(e.message));
    assert.throws(() => cutCrossings(residual, -1), /cut -1 is out of range/);
    assert.throws(() => cutCrossings(residual, 1.5), /cut 1.5 is out of range/);
  });

  test('on every built-in model and cut the crossing bytes add up to cutBytes', () => {
    for (const name of BUILTIN_MODEL_NAMES) {
      const analysis = analyzeModel(builtinModel(name, 'cifar10'));
      for (let c = 0; c < analysis.layers.length; c++) {
        const sum = cutCrossings(analysis, c).reduce((s, t) => s + t.bytes, 0);
        assert.equal(sum, analysis.cutBytes[c], `${name} cut ${c}`);
      }
    }
  });

  test('resnet18: a cut inside a basic block sends the block input too', () => {
    const analysis = analyzeModel(builtinModel('resnet18', 'cifar10'));
    const cut = analysis.layers.findIndex((l) => l.layer.id === 's1b1_bn1');
    assert.deepEqual(cutCrossings(analysis, cut).map((t) => t.producerId), ['stem_relu', 's1b1_conv1']);
  });
});
