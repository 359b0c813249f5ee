import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldInference, FieldMethodReport } from '../../api/field-test-api.ts';
import { driftPercent, estimatePoints, timelineRows } from './field-timeline.ts';

function inference(index: number, estimatedMs: number | null): FieldInference {
  return {
    index, branch: '0-2', cut: 3, linkMbps: 20, seenMbps: 18.5, edgeMs: 4, transferMs: 2.5, cloudMs: 1.5, fallback: false,
    measuredMs: 8, estimatedMs, ratio: estimatedMs === null ? null : 8 / estimatedMs, predictedClass: 1, label: 1, correct: true,
  };
}

function report(method: FieldMethodReport['method'], inferences: FieldInference[]): FieldMethodReport {
  return { method, description: '', inferences, meanMeasuredMs: 8, meanEstimatedMs: null, ratio: null, accuracy: 1, reward: 0, drift: false };
}

describe('field test chart rows', () => {
  test('a timeline row per inference, numbered from 1, with its three parts, branch and link', () => {
    const rows = timelineRows(report('tree', [inference(0, 10), inference(1, 6)]));
    assert.deepEqual(rows.map((r) => r.n), [1, 2]);
    assert.deepEqual([rows[0].edgeMs, rows[0].transferMs, rows[0].cloudMs, rows[0].branch, rows[0].linkMbps], [4, 2.5, 1.5, '0-2', 20]);
  });

  test('measured against estimated: a series per method, inferences without an estimate left out', () => {
    const series = estimatePoints([report('tree', [inference(0, 10), inference(1, null)]), report('surgery', [inference(0, 6)])]);
    assert.deepEqual(series.map((s) => [s.method, s.points.length]), [['tree', 1], ['surgery', 1]]);
    assert.deepEqual(series[0].points[0], { method: 'tree', n: 1, estimatedMs: 10, measuredMs: 8 });
  });

  test('drift as a signed percentage off the estimate', () => {
    assert.equal(driftPercent(1.23), '+23.0%');
    assert.equal(driftPercent(0.8), '-20.0%');
    assert.equal(driftPercent(1), '+0.0%');
  });
});
