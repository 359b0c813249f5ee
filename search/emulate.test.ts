import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { sliceBlocks } from '../dnn/spec/blocks.ts';
import { estimateLatencyUnderTrace } from '../latency/estimate.ts';
import type { BandwidthTrace } from '../traces/trace.ts';
import { EvaluationPool } from './evaluation-pool.ts';
import { offloadGuardMbps } from './offload-guard.ts';
import { Emulator, emulate, startOffsets } from './emulate.ts';
import { bestSingleCut } from './surgery.ts';
import { buildTree } from './tree-build.ts';
import { TINY_CHAIN, tinyProblem } from './testing/tiny-problem.ts';

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} != ${b}`);

// Two blocks: [0, 5) convs, [5, 9) head. A step trace: 1 Mbit/s for a second, then 8.
const analysis = analyzeModel(TINY_CHAIN);
const blocks = sliceBlocks(analysis, [5]);
const step: BandwidthTrace = { name: 'step', format: 'time-mbps', tS: [0, 1], mbps: [1, 8], endS: 2 };

// Types 1 and 8 Mbit/s. Poor root: C1 on c2, then poor -> cut before r3 (7), good -> cut before fl (5). Good root: all in the cloud.
async function handTree(pool: EvaluationPool) {
  return buildTree(pool, [1, 8], (n) => {
    if (n.block === 0) return n.level === 0 ? { cut: null, variantIds: ['C1@c2'] } : { cut: 0, variantIds: [] };
    return { cut: n.level === 0 ? 7 : 5, variantIds: [] };
  });
}

describe('emulation over a trace (Alg. 2)', () => {
  test('the tree follows the rate at each block boundary; times worked out by hand', async () => {
    const pool = new EvaluationPool(tinyProblem(), blocks);
    const tree = await handTree(pool);
    const em = new Emulator(pool, { offloadGuard: false });
    // Start 0 at 1 Mbit/s: block 0 on the device with C1: c1 5.108 + r1 0.05 + p1 0.05 + dw 1.452 + pw 0.712 + r2 0.05 = 7.422 ms.
    // At 7.422 ms still 1 Mbit/s: poor child, cut 7: fl 0.05 + f1 (0.1 + 2e-3 * 2048) = 4.246 ms more.
    // Send f1's 64 bytes at 1 Mbit/s: f = 2 + 0.064 (the 8 Mbit/s line, clamped), 64 * 8 / 1e6 s = 0.512 ms.
    // Cloud: f2 0.01 + 1e-5 * 160 = 0.0116 ms.
    const a = await em.tree(tree, step, 0);
    assert.deepEqual(a.levels, [0, 0]);
    close(a.latencyMs, 7.422 + 4.246 + 2.064 + 0.512 + 0.0116, 'start 0');
    close(a.accuracy, 0.89, 'accuracy with C1');
    // Start 0.995: poor root; block 0 ends at 1.002422 s, in the 8 Mbit/s step: good child, cut 5.
    // Send r2's 512 bytes at 8: 2 + 0.512 + 0.512 ms; cloud f1 0.03048 + f2 0.0116.
    const b = await em.tree(tree, step, 0.995);
    assert.deepEqual(b.levels, [0, 1]);
    close(b.latencyMs, 7.422 + 3.024 + 0.04208, 'start 0.995');
    // Start 1.5: good root, everything in the cloud: the 512-byte input at 8 (3.024 ms), cloud 2 * 0.05608 + 0.03048 + 0.0116.
    const c = await em.tree(tree, step, 1.5);
    assert.deepEqual(c.levels, [1]);
    close(c.latencyMs, 3.024 + 0.15424, 'start 1.5');
    close(c.accuracy, 0.9, 'base accuracy');
  });

  test('a transfer that straddles a rate step takes the time the trace gives it', async () => {
    const pool = new EvaluationPool(tinyProblem(), blocks);
    const em = new Emulator(pool, { offloadGuard: false });
    // All in the cloud from 0.998 s: 250 bytes go in the last 2 ms at 1 Mbit/s, 262 at 8 (0.262 ms);
    // f at the starting rate: 2 + 0.512.
    const r = await em.fixed({ cut: 0, variantIds: [] }, step, 0.998);
    close(r.latencyMs, 2.512 + 2.262 + 0.15424, 'straddling');
  });

  test('surgery re-decides its cut from the rate at the start of each inference', async () => {
    const problem = tinyProblem();
    const pool = new EvaluationPool(problem, blocks);
    const em = new Emulator(pool, { offloadGuard: false });
    for (const start of [0.2, 1.2]) {
      const r = await em.surgery(step, start);
      const single = bestSingleCut(analysis, problem.device, problem.cloud, start < 1 ? 1 : 8);
      assert.equal(r.composition?.cut, single.cut);
      close(r.latencyMs, estimateLatencyUnderTrace(analysis, single.cut, problem.device, problem.cloud, step, start).totalMs, `surgery at ${start}`);
    }
  });

  test('the table averages each method over evenly spaced starts, per trace and overall', async () => {
    const pool = new EvaluationPool(tinyProblem(), blocks);
    const tree = await handTree(pool);
    assert.deepEqual(startOffsets(step, 4), [0, 0.5, 1, 1.5]);
    const flat: BandwidthTrace = { name: 'flat', format: 'time-mbps', tS: [0], mbps: [8], endS: 2 };
    const table = await emulate(pool, [
      { trace: step, methods: [{ kind: 'tree', name: 'tree', tree }, { kind: 'fixed', name: 'device', composition: { cut: 9, variantIds: ['C1@c2'] } }] },
      { trace: flat, methods: [{ kind: 'tree', name: 'tree', tree }, { kind: 'fixed', name: 'device', composition: { cut: 9, variantIds: ['C1@c2'] } }] },
    ], 4, { offloadGuard: false });
    // Step trace: starts 0 and 0.5 take the poor path (cut 7), 1 and 1.5 the good root (cloud).
    const poor = 7.422 + 4.246 + 2.576 + 0.0116;
    const good = 3.024 + 0.15424;
    const stepTree = table.traces[0].methods[0];
    close(stepTree.latencyMs, (2 * poor + 2 * good) / 4, 'step tree latency');
    close(stepTree.accuracy, (0.89 * 2 + 0.9 * 2) / 4, 'step tree accuracy');
    close(table.traces[1].methods[0].latencyMs, good, 'flat tree latency');
    // All on the device does not depend on the network: 7.422 + fl 0.05 + f1 4.196 + r3 0.05 + f2 0.42.
    close(table.traces[0].methods[1].latencyMs, 12.138, 'device latency');
    assert.equal(table.overall[0].inferences, 8);
    close(table.overall[0].latencyMs, (2 * poor + 6 * good) / 8, 'overall tree latency');
    close(table.overall[0].reward, (table.traces[0].methods[0].reward + table.traces[1].methods[0].reward) / 2, 'overall reward');
  });

  test('offload guard: where the rate at the cut makes sending slower than finishing on the device, the tree finishes on the device', async () => {
    const pool = new EvaluationPool(tinyProblem(), blocks);
    const tree = await handTree(pool);
    // The hand tree's poor child cuts at 7 (after f1); at 1 Mbit/s sending f1 (2.576 + 0.0116 ms) is slower than f2 on the device.
    const poorGuard = offloadGuardMbps(pool, { cut: 7, variantIds: ['C1@c2'] });
    assert.ok(poorGuard !== null && poorGuard > 1, `guard ${String(poorGuard)} Mbit/s`);
    const goodGuard = offloadGuardMbps(pool, { cut: 5, variantIds: ['C1@c2'] });
    assert.ok(goodGuard === null || goodGuard < 8, `the good child's cut is kept at 8 Mbit/s (guard ${String(goodGuard)})`);
    assert.equal(offloadGuardMbps(pool, { cut: 9, variantIds: [] }), null, 'nothing sent, nothing to guard');
    const em = new Emulator(pool);
    const a = await em.tree(tree, step, 0);
    assert.deepEqual(a.levels, [0, 0]);
    // All on the device with C1, as the fixed composition computes it: 12.138 ms (was 14.256 sending f1).
    close(a.latencyMs, 12.138, 'guarded start 0');
    assert.deepEqual(a.composition, { cut: 9, variantIds: ['C1@c2'] });
    // The good root sends the input at 8 Mbit/s as before.
    close((await em.tree(tree, step, 1.5)).latencyMs, 3.024 + 0.15424, 'start 1.5 unguarded');
  });
});
