import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { downsampleTrace } from './downsample.ts';

describe('downsampling for charts', () => {
  test('keeps each run\'s minimum and maximum in time order', () => {
    const tS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const mbps = [1, 5, 3, 0, 2, 9, 9, 1, 4, 4];
    // 4 points = 2 runs of 5: run 1 has its max 5 at t=1 and min 0 at t=3; run 2 its max 9
    // first at t=5 and min 1 at t=7.
    assert.deepEqual(downsampleTrace({ tS, mbps }, 4), { tS: [1, 3, 5, 7], mbps: [5, 0, 9, 1] });
  });

  test('short series come back whole; a flat run gives one point', () => {
    assert.deepEqual(downsampleTrace({ tS: [0, 1], mbps: [3, 4] }, 10), { tS: [0, 1], mbps: [3, 4] });
    assert.deepEqual(downsampleTrace({ tS: [0, 1, 2, 3], mbps: [2, 2, 2, 2] }, 2), { tS: [0], mbps: [2] });
    assert.throws(() => downsampleTrace({ tS: [0], mbps: [1] }, 1), /maxPoints/);
  });
});
