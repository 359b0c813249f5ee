import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseToReference, speedFactor, speedWords } from './speed-reference.ts';

test('timings are put on the run\'s median reference; without a reference on each, left as they are', () => {
  const { timings, referenceMs } = normaliseToReference([
    { medianMs: 2, referenceMs: 1 }, { medianMs: 3, referenceMs: 1.5 }, { medianMs: 4, referenceMs: 2 },
  ]);
  assert.equal(referenceMs, 1.5);
  assert.deepEqual(timings.map((t) => t.medianMs), [3, 3, 3]);
  const mixed = [{ medianMs: 2, referenceMs: 1 }, { medianMs: 3 }];
  assert.deepEqual(normaliseToReference(mixed), { timings: mixed, referenceMs: null });
});

test('the speed factor and its words', () => {
  assert.equal(speedFactor(2, 2.5), 1.25);
  assert.equal(speedFactor(undefined, 2.5), null);
  assert.equal(speedFactor(2, 0), null);
  assert.equal(speedWords(1.25), '25.0% slower than during calibration');
  assert.equal(speedWords(0.9), '10.0% faster than during calibration');
  assert.equal(speedWords(1), 'as during calibration');
});
