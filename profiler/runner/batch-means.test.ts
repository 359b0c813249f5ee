import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { batchMeans } from './batch-means.ts';

describe('batchMeans', () => {
  test('runs are cut into batches of at least batchMs, and each series is averaged over the same runs', () => {
    // Totals 1 1 1 6 1 1 2 1: cuts after 3 ms (runs 0-2), after 6 (run 3), after 4 (runs 4-6); the last run joins the batch before it.
    const b = batchMeans({ totalMs: [1, 1, 1, 6, 1, 1, 2, 1], layerMs: [[0.5, 0.5, 0.5, 5, 0.5, 0.5, 1, 1]] }, 3);
    assert.deepEqual(b.totalMs, [1, 6, 1.25]);
    assert.deepEqual(b.layerMs, [[0.5, 5, 0.75]]);
  });

  test('a run that met a throttle is shared by its batch instead of flipping the median', () => {
    // Every fourth run stalls 6 ms: the median run says 1 ms, the batches say the rate the runs went at.
    const totalMs = Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? 7 : 1));
    const b = batchMeans({ totalMs, layerMs: [] }, 10);
    assert.ok(b.totalMs.every((ms) => ms === 2.5), b.totalMs.join(' '));
  });

  test('fewer runs than one batch make one batch; batchMs 0 leaves the runs as they are', () => {
    assert.deepEqual(batchMeans({ totalMs: [1, 2], layerMs: [[1, 2]] }, 10), { totalMs: [1.5], layerMs: [[1.5]] });
    assert.deepEqual(batchMeans({ totalMs: [1, 2], layerMs: [[1, 2]] }, 0), { totalMs: [1, 2], layerMs: [[1, 2]] });
  });
});
