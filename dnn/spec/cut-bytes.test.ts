import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from './analyze.ts';

describe('cutBytes: float32 bytes crossing each cut', () => {
  test('a chain sends the output of the last device layer', () => {
    const analysis = analyzeModel({
      name: 'chain',
      inputShape: [32, 32, 3],
      layers: [
        { id: 'c', type: 'conv', kernel: 3, padding: 'same', outChannels: 16 },
        { id: 'p', type: 'maxpool', kernel: 2 },
        { id: 'f', type: 'flatten' },
        { id: 'fc', type: 'fc', outChannels: 10 },
      ],
    });
    assert.deepEqual(analysis.cutBytes, [
      12_288, // c = 0: the input, 32*32*3*4
      65_536, // after conv: 32*32*16*4
      16_384, // after pool: 16*16*16*4
      16_384, // after flatten: 4096*4
      0, // everything on the device: the result is ignored
    ]);
  });

  test('a skip connection keeps its source live until the add', () => {
    const analysis = analyzeModel({
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
    const map = 8 * 8 * 4 * 4; // 1,024 bytes for every 8x8x4 tensor
    assert.deepEqual(analysis.cutBytes, [
      map, // the input
      2 * map, // a, and the input the add still needs
      2 * map, // b, and the input
      map, // the sum
      16, // gap output: 4 floats
      0,
    ]);
  });

  test('a branch read twice later is sent once', () => {
    const analysis = analyzeModel({
      name: 'fork',
      inputShape: [4, 4, 2],
      layers: [
        { id: 'a', type: 'conv', kernel: 1, outChannels: 2 },
        { id: 'b', type: 'conv', kernel: 1, outChannels: 3, inputs: ['a'] },
        { id: 'c', type: 'conv', kernel: 1, outChannels: 5, inputs: ['a'] },
        { id: 'j', type: 'concat', inputs: ['a', 'b', 'c'] },
      ],
    });
    // After a: a (4*4*2*4 = 128). After b: a + b (128 + 192). After c: a + b + c (128 + 192 + 320).
    assert.deepEqual(analysis.cutBytes, [128, 128, 320, 640, 0]);
    assert.deepEqual(analysis.outputShape, [4, 4, 10]);
  });
});
