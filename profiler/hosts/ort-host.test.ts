// timeSpecOrt with the real onnxruntime-node: the profiled session counts only its timed runs,
// and a time budget asks it for more of them, as the TF.js runner's does.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { timeSpecOrt } from './ort-host.ts';

const spec: ModelSpec = { name: 'conv-k3', inputShape: [8, 8, 4], layers: [{ id: 'c', type: 'conv', kernel: 3, outChannels: 8, padding: 'same' }] };

/** A clock that moves 1 ms each time it is read, so budgets in ms become counts of reads. */
function tickingClock(): () => number {
  let t = 0;
  return () => ++t;
}

describe('timeSpecOrt', () => {
  test('a micro-benchmark case: no whole runs, and one layer time per timed run, warm-up runs left out', async () => {
    const times = await timeSpecOrt(ort, spec, { warmup: 4, repeats: 3 }, () => performance.now(), false);
    assert.deepEqual(times.totalMs, []);
    assert.equal(times.layerMs.length, 1);
    assert.equal(times.layerMs[0].length, 3);
    assert.ok(times.layerMs[0].every((ms) => ms > 0));
  });

  test('timedMs asks the profiled session for batches of repeats until their time reaches it', async () => {
    // Each timed run reads the clock twice: 1 ms. Batches of 2 until 5 ms: 3 batches, 6 runs.
    const times = await timeSpecOrt(ort, spec, { warmup: 1, warmupMs: 10, repeats: 2, timedMs: 5 }, tickingClock(), false);
    assert.equal(times.layerMs[0].length, 6);
  });

  test('with whole runs, the plain session honours timedMs as well, and the profiled one times the layers', async () => {
    const times = await timeSpecOrt(ort, spec, { warmup: 1, repeats: 2, timedMs: 3 }, tickingClock(), true);
    assert.equal(times.totalMs.length, 4);
    assert.ok(times.totalMs.every((ms) => ms === 1));
    assert.equal(times.layerMs[0].length, 4);
  });

  test('with batchMs, both sessions time at least five batches and give one mean per batch', async () => {
    // 1 ms a run: rounds of 2 runs until 5 batches of 3 ms are complete (16 runs); the 16th joins the 5th batch.
    const times = await timeSpecOrt(ort, spec, { warmup: 1, repeats: 2, batchMs: 3 }, tickingClock(), true);
    assert.deepEqual(times.totalMs, [1, 1, 1, 1, 1]);
    assert.equal(times.layerMs[0].length, 5);
  });
});
