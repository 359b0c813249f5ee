import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { contextLevels, contextQuantiles, nearestLevel } from './contexts.ts';
import type { BandwidthTrace } from './trace.ts';

// Same hand-made trace as stats.test.ts: rates 0 (1 s), 2 (2 s), 4 (2 s), 10 (3 s) over 8 s.
const steps: BandwidthTrace = { name: 'steps', format: 'csv', tS: [0, 2, 3, 6], mbps: [4, 0, 10, 2], endS: 8 };

describe('bandwidth types', () => {
  test('K = 2 gives the lower and upper quartiles, as the paper', () => {
    assert.deepEqual(contextQuantiles(2), [0.25, 0.75]);
    assert.deepEqual(contextLevels(steps, 2), [2, 10]);
  });

  test('K = 1 is the median, K = 4 the eighths 1/8, 3/8, 5/8, 7/8', () => {
    assert.deepEqual(contextLevels(steps, 1), [4]);
    assert.deepEqual(contextQuantiles(4), [0.125, 0.375, 0.625, 0.875]);
    // Cumulative time 1, 3, 5, 8 s of 8: 1/8 -> 0, 3/8 -> 2, 5/8 -> 4, 7/8 (7 s) -> 10.
    assert.deepEqual(contextLevels(steps, 4), [0, 2, 4, 10]);
    assert.throws(() => contextLevels(steps, 0), /K must be a whole number >= 1, got 0/);
  });

  test('nearestLevel compares in log space', () => {
    const levels = [2, 10];
    assert.equal(nearestLevel(levels, 4), 0);
    // 5 is nearer 2 than 10 linearly (3 vs 5) but nearer 10 as a ratio (2.5x vs 2x).
    assert.equal(nearestLevel(levels, 5), 1);
    // The boundary is the geometric mean sqrt(20) ~ 4.472; a tie goes to the lower level.
    assert.equal(nearestLevel([1, 4], 2), 0);
    assert.equal(nearestLevel(levels, 0), 0);
    assert.equal(nearestLevel(levels, 1000), 1);
    assert.throws(() => nearestLevel([], 1), /at least one level/);
  });
});
