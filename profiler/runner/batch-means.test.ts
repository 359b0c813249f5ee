import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { batchMeans, cpuScaledBatches, describeTiming, quotaBatchMs, BATCH_MS, MAX_QUOTA_BATCH_MS } from './batch-means.ts';

describe('batchMeans', () => {
  test('runs are cut into batches of at least batchMs; each layer is its median share of each batch mean', () => {
    // Totals 1 1 1 6 1 1 2 1: cuts after 3 ms (runs 0-2), after 6 (run 3), after 4 (runs 4-6); the last run joins the batch before it.
    // The first layer's median run is 0.5 ms of a 1 ms median total: half of each batch.
    const b = batchMeans({ totalMs: [1, 1, 1, 6, 1, 1, 2, 1], layerMs: [[0.5, 0.5, 0.5, 5, 0.5, 0.5, 1, 1], [0.5, 0.5, 0.5, 1, 0.5, 0.5, 1, 0]] }, 3);
    assert.deepEqual(b.totalMs, [1, 6, 1.25]);
    assert.deepEqual(b.layerMs, [[0.5, 3, 0.625], [0.5, 3, 0.625]]);
  });

  test('a stall that lands on one layer is shared by all layers in proportion to their work', () => {
    // Two layers of 1 ms each; every fourth run the second layer meets a 6 ms stall (a GC on the quota).
    const second = Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? 7 : 1));
    const b = batchMeans({ totalMs: second.map((ms) => ms + 1), layerMs: [second.map(() => 1), second] }, 14);
    assert.ok(b.totalMs.every((ms) => ms === 3.5), b.totalMs.join(' '));
    assert.deepEqual(b.layerMs[0], b.layerMs[1]);
    assert.ok(b.layerMs[0].every((ms) => ms === 1.75), b.layerMs[0].join(' '));
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

describe('quotaBatchMs', () => {
  const quota = (cpus: number, periodUs: number): { cpus: number; periodUs: number; source: string } => ({ cpus, periodUs, source: '/sys/fs/cgroup/cpu/x/cpu.cfs_quota_us' });

  test('no quota: each run on its own, and the runner says so', () => {
    assert.equal(quotaBatchMs(null), 0);
    assert.match(describeTiming(null, 0), /median run \(no CPU quota read\)/);
  });

  test('batches span five periods of the quota, never less than the plan asks nor more than the cap', () => {
    assert.equal(quotaBatchMs(quota(0.5, 10_000)), 50);
    assert.equal(quotaBatchMs(quota(0.5, 1_000)), BATCH_MS);
    assert.equal(quotaBatchMs(quota(0.5, 1_000), 40), 40);
    assert.equal(quotaBatchMs(quota(1.5, 100_000)), MAX_QUOTA_BATCH_MS);
  });

  test('the description names the share, the period and the file the quota came from', () => {
    assert.equal(describeTiming(quota(0.5, 10_000), 50), 'the median of 50 ms batch means, under a CPU quota of 0.5 CPU (5000 µs per 10000 µs, /sys/fs/cgroup/cpu/x/cpu.cfs_quota_us)');
  });

  test('flushed runs under a quota: each batch scales the median run by its wall over CPU time, so throttles on the flushes count', () => {
    // Each iteration: a 15 ms flush and a 1 ms run (2 ms in one of four, a throttle that met it); the
    // throttles make the iterations take 32 ms of wall for 16 ms of CPU, then 48 for 16 in the second half.
    const totalMs = Array.from({ length: 8 }, (_, i) => (i % 4 === 3 ? 2 : 1));
    const b = cpuScaledBatches({ totalMs, layerMs: [totalMs] }, { wallMs: [32, 32, 32, 32, 48, 48, 48, 48], cpuMs: Array.from({ length: 8 }, () => 16) }, 64);
    assert.deepEqual(b.totalMs, [2, 2, 3, 3], 'batches of two iterations (64 ms), the 1 ms median run x 2 then x 3');
    assert.deepEqual(b.layerMs, [[2, 2, 3, 3]]);
    // Fewer iterations than a batch make one; a process that read more CPU than wall (helper threads) is not made faster than its run.
    assert.deepEqual(cpuScaledBatches({ totalMs: [1, 1], layerMs: [] }, { wallMs: [10, 10], cpuMs: [12, 12] }, 64).totalMs, [1]);
  });
});

