import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { batchLabels, batchPixels } from './batch.ts';
import type { ImageDataset } from './image-dataset.ts';
import { computeChannelStats } from './dataset-stats.ts';
import { padImages } from './pad-images.ts';

// Three 1x2 RGB images.
const ds: ImageDataset = {
  name: 'tiny', split: 'test', height: 1, width: 2, channels: 3, classes: ['a', 'b'], count: 3,
  pixels: Uint8Array.from([0, 255, 51, 255, 0, 102, /**/ 1, 2, 3, 4, 5, 6, /**/ 255, 255, 255, 0, 0, 0]),
  labels: Uint8Array.from([1, 0, 1]),
  mean: [0.5, 0.25, 0.2], std: [0.5, 0.25, 0.1],
};

describe('batches', () => {
  test('((p / 255 - mean) / std) per channel, for the chosen images in order', () => {
    const b = batchPixels(ds, [2, 0]);
    assert.equal(b.length, 2 * 6);
    const want = [1, 3, 8, -1, -1, -2, /**/ -1, 3, 0, 1, -1, 2];
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(b[i] - want[i]) < 1e-6, `element ${i}: ${b[i]} vs ${want[i]}`);
  });

  test('labels as Int32 class indices', () => {
    assert.deepEqual(Array.from(batchLabels(ds, [0, 1, 2, 1])), [1, 0, 1, 0]);
  });

  test('an index outside the set is refused by name', () => {
    assert.throws(() => batchPixels(ds, [3]), /index 3 is outside data set "tiny" test \(0\.\.2\)/);
    assert.throws(() => batchLabels(ds, [-1]), RangeError);
  });

  test('channel stats of bytes: mean and population std in 0..1 units', () => {
    const s = computeChannelStats(Uint8Array.from([0, 51, 255, 51]), 2);
    assert.deepEqual(s.mean, [0.5, 0.2]);
    assert.ok(Math.abs(s.std[0] - 0.5) < 1e-12);
    assert.equal(s.std[1], 1, 'a constant channel keeps std 1');
  });

  test('padding puts each image in the middle of a zero frame', () => {
    const p = padImages(Uint8Array.from([1, 2, 3, 4, /**/ 5, 6, 7, 8]), 2, 2, 2, 1, 1);
    assert.deepEqual(Array.from(p.subarray(0, 16)), [0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(p.subarray(16)), [0, 0, 0, 0, 0, 5, 6, 0, 0, 7, 8, 0, 0, 0, 0, 0]);
  });
});
