import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from './analyze.ts';
import { balancedBlocks, sliceBlocks } from './blocks.ts';
import type { Block } from './blocks.ts';
import { BlockSliceError } from './errors.ts';
import type { ModelAnalysis } from './analyze.ts';
import { builtinModel } from '../models/builtin.ts';

const chain = analyzeModel({
  name: 'chain',
  inputShape: [32, 32, 3],
  layers: [
    { id: 'c', type: 'conv', kernel: 3, padding: 'same', outChannels: 16 }, // 3*3*3*16*32*32 = 442,368 MACC, 448 params
    { id: 'p', type: 'maxpool', kernel: 2 }, // 16x16x16
    { id: 'f', type: 'flatten' }, // 4096
    { id: 'fc', type: 'fc', outChannels: 10 }, // 40,960 MACC, 40,970 params
  ],
});

/**
 * A chain of fc layers with MACCs [0, 40, 100, 300, 300, 100] (flatten, then
 * 10->4, 4->25, 25->12, 12->25, 25->4) and outputs of 10, 4, 25, 12, 25, 4 floats.
 */
const fcChain = analyzeModel({
  name: 'fc-chain',
  inputShape: [1, 1, 10],
  layers: [
    { id: 'flat', type: 'flatten' },
    { id: 'fc1', type: 'fc', outChannels: 4 },
    { id: 'fc2', type: 'fc', outChannels: 25 },
    { id: 'fc3', type: 'fc', outChannels: 12 },
    { id: 'fc4', type: 'fc', outChannels: 25 },
    { id: 'fc5', type: 'fc', outChannels: 4 },
  ],
});

const spans = (blocks: Block[]): number[][] => blocks.map((b) => [b.start, b.end, b.macc]);

describe('sliceBlocks', () => {
  test('explicit boundaries give contiguous blocks with their MACCs and the bytes at each end', () => {
    const blocks = sliceBlocks(chain, [2]);
    assert.deepEqual(blocks, [
      { index: 0, start: 0, end: 2, macc: 442_368, params: 448, inputBytes: 12_288, outputBytes: 16_384 },
      { index: 1, start: 2, end: 4, macc: 40_960, params: 40_970, inputBytes: 16_384, outputBytes: 0 },
    ]);
    assert.deepEqual(spans(sliceBlocks(chain, [])), [[0, 4, 483_328]]);
  });

  test('rejects boundaries outside the model, repeated or out of order', () => {
    for (const bad of [[0], [4], [2, 2], [3, 1], [1.5]]) {
      assert.throws(() => sliceBlocks(chain, bad), (err: unknown) => err instanceof BlockSliceError && err.message.startsWith('model "chain": block boundar'), String(bad));
    }
  });
});

describe('balancedBlocks', () => {
  test('minimises the heaviest block, then the bytes crossing the cuts', () => {
    // Three blocks: fc3 and fc4 (300 each) cannot share a block, and fc5 (100) must
    // join fc4, so the heaviest block has at least 400 MACCs: fc4+fc5, from 4.
    // Layers 0..3 (0, 40, 100, 300) then split at 2 (40 | 400) or 3 (140 | 300);
    // the cut at 2 sends fc1's 4 floats (16 B), the cut at 3 fc2's 25 (100 B): 2 wins.
    const blocks = balancedBlocks(fcChain, 3);
    assert.deepEqual(spans(blocks), [[0, 2, 40], [2, 4, 400], [4, 6, 400]]);
    assert.deepEqual(blocks.map((b) => b.inputBytes), [40, 16, 48]);
  });

  test('one block is the whole model; L blocks are one layer each', () => {
    assert.deepEqual(spans(balancedBlocks(fcChain, 1)), [[0, 6, 840]]);
    assert.deepEqual(balancedBlocks(fcChain, 6).map((b) => b.end - b.start), [1, 1, 1, 1, 1, 1]);
  });

  test('rejects a block count of 0, above the layer count or fractional', () => {
    for (const n of [0, 7, 2.5]) {
      assert.throws(() => balancedBlocks(fcChain, n), { name: 'BlockSliceError', message: new RegExp(`^model "fc-chain": block count ${n} must be an integer from 1 to the number of layers, 6`) });
    }
  });

  /** The least heaviest-block MACC over every split into 2 or 3 blocks, by brute force. */
  function bruteForceHeaviest(analysis: ModelAnalysis, n: 2 | 3): number {
    const L = analysis.layers.length;
    let best = Infinity;
    for (let a = 1; a < L; a++) {
      if (n === 2) best = Math.min(best, Math.max(...sliceBlocks(analysis, [a]).map((b) => b.macc)));
      else for (let b = a + 1; b < L; b++) best = Math.min(best, Math.max(...sliceBlocks(analysis, [a, b]).map((x) => x.macc)));
    }
    return best;
  }

  for (const name of ['vgg11', 'resnet18'] as const) {
    test(`${name}: the heaviest block is as light as any split allows, and blocks start at a conv`, () => {
      const analysis = analyzeModel(builtinModel(name, 'cifar10'));
      for (const n of [2, 3] as const) {
        const blocks = balancedBlocks(analysis, n);
        assert.equal(blocks.length, n);
        assert.equal(Math.max(...blocks.map((b) => b.macc)), bruteForceHeaviest(analysis, n));
        assert.equal(blocks.reduce((s, b) => s + b.macc, 0), analysis.macc);
        // Ties go to the later boundary, so bn and relu stay with the conv before them.
        for (const b of blocks) assert.equal(analysis.layers[b.start].layer.type, 'conv', `${name} n=${n} block ${b.index}`);
      }
    });
  }

  test('vgg11 on cifar10 in 3 blocks cuts after relu3 and after pool4', () => {
    // conv MACCs c1..c8: 1,769,472; 18,874,368; 18,874,368; 37,748,736; 18,874,368; 37,748,736;
    // 9,437,184; 9,437,184; the fcs 529,408. c6 sits either in the last block (then it holds
    // c6..fc = 37,748,736 + 2*9,437,184 + 529,408 = 57,152,512), or in the middle one with c4 in
    // the first (c1..c4 = 77,266,944), or with c4 (over 94M): so the heaviest block is 57,152,512.
    // The middle block then holds c4 and c5 (56,623,104; adding c3 gives 75.5M), the first c1..c3
    // (1,769,472 + 2*18,874,368 = 39,518,208). Each cut falls after the relu (same bytes as after
    // the conv, and ties go later), so blocks start at conv1, conv4, conv6.
    const analysis = analyzeModel(builtinModel('vgg11', 'cifar10'));
    const blocks = balancedBlocks(analysis, 3);
    assert.deepEqual(blocks.map((b) => analysis.layers[b.start].layer.id), ['conv1', 'conv4', 'conv6']);
    assert.deepEqual(blocks.map((b) => b.macc), [39_518_208, 56_623_104, 57_152_512]);
  });
});
