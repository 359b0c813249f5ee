import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { SweepRow } from '../../api/accuracy-api.ts';
import { sweepSeries } from './sweep-series.ts';

const row = (technique: SweepRow['technique'], layerIndex: number, maccSaved: number, accuracyLost: number): SweepRow => ({
  variantId: `${technique}@l${layerIndex}`, technique, layerIndex, layerId: `l${layerIndex}`, description: '',
  maccBefore: 10_000_000, maccAfter: 10_000_000 - maccSaved, maccSaved, accuracy: 0.9 - accuracyLost, accuracyLost, cached: false,
});

describe('sweep chart series', () => {
  test('one series per technique present, in Table II order, points by layer in MMACC and percentage points', () => {
    const s = sweepSeries([row('W1', 3, 3_473_408, 0.02), row('C1', 3, 5_000_000, 0.3), row('W1', 0, 409_600, -0.01)]);
    assert.deepEqual(s.map((x) => x.technique), ['C1', 'W1']);
    assert.deepEqual(s[1].points.map((p) => [p.row.layerIndex, p.x, p.y]), [[0, 0.4096, -1], [3, 3.473408, 2]]);
    assert.equal(s[0].name, 'C1 MobileNet');
    assert.notEqual(s[0].colour, s[1].colour);
  });

  test('no rows, no series', () => {
    assert.deepEqual(sweepSeries([]), []);
  });
});
