import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeTimings } from './timing-summary.ts';

test('median, quartiles (linear between ranks), min and max of repeats', () => {
  // Sorted: 1 2 3 4 10. Median rank 2 -> 3; p25 rank 1 -> 2; p75 rank 3 -> 4.
  assert.deepEqual(summarizeTimings([4, 10, 1, 3, 2]), { medianMs: 3, p25Ms: 2, p75Ms: 4, minMs: 1, maxMs: 10, repeats: 5 });
  // Four values 1 2 3 4: median rank 1.5 -> 2.5; p25 rank 0.75 -> 1.75; p75 rank 2.25 -> 3.25.
  assert.deepEqual(summarizeTimings([4, 3, 2, 1]), { medianMs: 2.5, p25Ms: 1.75, p75Ms: 3.25, minMs: 1, maxMs: 4, repeats: 4 });
  assert.throws(() => summarizeTimings([]), /no timed repeats/);
});
