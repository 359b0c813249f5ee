import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anchorMeans } from './anchor-means.ts';

test('each anchor model is the mean of its passes, total and per layer, in the order models first arrive', () => {
  const got = anchorMeans([
    { key: 'vgg8#1', model: 'vgg8', totalMs: 10, layerMs: [4, 6] },
    { key: 'alexnet#1', model: 'alexnet', totalMs: 3, layerMs: [3] },
    { key: 'vgg8#2', model: 'vgg8', totalMs: 12, layerMs: [5, 7] },
  ]);
  assert.deepEqual(got, [
    { model: 'vgg8', totalMs: 11, layerMs: [4.5, 6.5] },
    { model: 'alexnet', totalMs: 3, layerMs: [3] },
  ]);
});

test('no timings, no anchors', () => {
  assert.deepEqual(anchorMeans([]), []);
});
