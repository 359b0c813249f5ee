import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { sliceBlocks } from '../dnn/spec/blocks.ts';
import { requireTrainingBackend } from '../engine/training-backend.ts';
import { useWasmWithoutLeaks } from '../test/wasm-suite.ts';
import type { BandwidthTrace } from '../traces/trace.ts';
import { ActionSpace } from './action-space.ts';
import { emulate } from './emulate.ts';
import { EvaluationPool } from './evaluation-pool.ts';
import { exhaustiveTree } from './exhaustive.ts';
import { emulatedMethod } from './method-emulation.ts';
import { runSearchMethod, SEARCH_METHODS } from './search-methods.ts';
import type { MethodOutcome, SearchMethodName } from './search-methods.ts';
import { bestSingleCut, dnnSurgery } from './surgery.ts';
import { SLOW_PHONE, TINY_CHAIN, tinyProblem } from './testing/tiny-problem.ts';

const blocks = sliceBlocks(analyzeModel(TINY_CHAIN), [4, 5]);
const LEVELS = [0.05, 2];
const MEDIAN = 0.3;
const newPool = (): EvaluationPool => new EvaluationPool(tinyProblem({ device: SLOW_PHONE }), blocks);
// Poor (0.05 Mbit/s) for 2 s, good (2 Mbit/s) for 2 s.
const trace: BandwidthTrace = { name: 'step', format: 'time-mbps', tS: [0, 2], mbps: [0.05, 2], endS: 4 };

describe('search methods on one problem', () => {
  useWasmWithoutLeaks();

  test('every method runs; trees at equal budget, fixed models and surgery decisions as the baselines give them', async () => {
    await requireTrainingBackend();
    const out = new Map<SearchMethodName, MethodOutcome>();
    for (const method of SEARCH_METHODS) out.set(method, await runSearchMethod(newPool(), { method, levelsMbps: LEVELS, medianMbps: MEDIAN, episodes: 20, seed: 3 }));
    for (const m of ['tree', 'random', 'egreedy'] as const) {
      const o = out.get(m) as MethodOutcome;
      assert.equal(o.curve.length, 20, m);
      assert.deepEqual(o.branchCurves.map((c) => c.length), [20, 20], m);
      assert.ok(o.tree !== null && o.tree.branches.length === 8, m);
      assert.ok(o.evaluations >= 1 && o.cacheHits > 0, m);
    }
    const pool = newPool();
    const optimum = await exhaustiveTree(pool, new ActionSpace(pool), LEVELS);
    assert.equal(out.get('exhaustive')?.tree?.reward, optimum.tree.reward);
    for (const m of ['tree', 'random', 'egreedy'] as const) assert.ok((out.get(m)?.tree?.reward as number) <= optimum.tree.reward + 1e-9, m);
    const branch = out.get('branch') as MethodOutcome;
    assert.deepEqual(branch.fixed, branch.tree?.branches[0].composition);
    assert.equal(branch.tree?.levelsMbps[0], MEDIAN);
    const ns = out.get('neurosurgeon') as MethodOutcome;
    const base = analyzeModel(TINY_CHAIN);
    assert.deepEqual(ns.fixed, { cut: bestSingleCut(base, SLOW_PHONE, tinyProblem().cloud, MEDIAN).cut, variantIds: [] });
    const surgery = out.get('surgery') as MethodOutcome;
    assert.deepEqual(surgery.surgery.map((d) => d.bandwidthMbps), [...LEVELS, MEDIAN]);
    assert.deepEqual(surgery.surgery.map((d) => d.cut), [...LEVELS, MEDIAN].map((w) => dnnSurgery(base, SLOW_PHONE, tinyProblem().cloud, w).cut));
    assert.equal(surgery.tree, null);
    // On the step trace the optimal tree is at least as good as every fixed model and as surgery.
    const table = await emulate(newPool(), [{ trace, methods: [...out].map(([name, o]) => emulatedMethod(name, o)) }], 8);
    const reward = (m: string): number => table.overall.find((r) => r.method === m)?.reward as number;
    for (const m of ['branch', 'neurosurgeon', 'surgery']) assert.ok(reward('exhaustive') >= reward(m) - 1e-9, `exhaustive ${reward('exhaustive')} vs ${m} ${reward(m)}`);
    assert.equal(table.traces[0].methods.length, SEARCH_METHODS.length);
  });

  test('bad rates are refused by name', async () => {
    await assert.rejects(runSearchMethod(newPool(), { method: 'surgery', levelsMbps: [], medianMbps: 1, episodes: 1, seed: 1 }), /search surgery: bandwidth types must be finite numbers of Mbit\/s > 0, got \[\]/);
    await assert.rejects(runSearchMethod(newPool(), { method: 'branch', levelsMbps: [1], medianMbps: 0, episodes: 1, seed: 1 }), /search branch: the median rate must be/);
  });
});
