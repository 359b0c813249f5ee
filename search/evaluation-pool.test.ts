import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { sliceBlocks } from '../dnn/spec/blocks.ts';
import { EvaluationPool } from './evaluation-pool.ts';
import { compositionKey } from './composition-key.ts';
import { SearchInputError } from './problem.ts';
import { TINY_CHAIN, tinyProblem } from './testing/tiny-problem.ts';

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} != ${b}`);
const blocks = sliceBlocks(analyzeModel(TINY_CHAIN), [3, 6]);

describe('evaluation pool', () => {
  test('a cut after c2 with C1 on c2, worked out by hand', async () => {
    const pool = new EvaluationPool(tinyProblem(), blocks);
    const e = await pool.evaluate({ cut: 5, variantIds: ['C1@c2'] }, 8);
    // Device: c1 0.5 + 4.608, r1 0.05, p1 0.05 | dw 0.3 + 2e-3 * 576 = 1.452, pw 0.2 + 0.512, r2 0.05.
    const s = pool.structure({ cut: 5, variantIds: ['C1@c2'] });
    close(s.edgeMsPerBlock[0], 5.208, 'block 0');
    close(s.edgeMsPerBlock[1], 2.214, 'block 1');
    close(s.edgeMsPerBlock[2], 0, 'block 2');
    close(e.latency.edgeMs, 7.422, 'edge');
    assert.equal(s.cutBytes, 512); // r2's 4x4x8 float32 output
    // f(S|W) = 2 + 0.001 * 512, S/W = 512 * 8 / 8e3 ms.
    close(e.latency.transferMs, 3.024, 'transfer');
    // Cloud: f1 0.01 + 1e-5 * 2048, f2 0.01 + 1e-5 * 160; flatten and relu 0.
    close(e.latency.cloudMs, 0.04208, 'cloud');
    close(e.latency.totalMs, 10.48808, 'total');
    close(e.accuracy, 0.89, 'accuracy');
    // 100 * (0.89 - 0.5) / 0.5 + 300 * (500 - 10.48808) / 500.
    close(e.reward, 78 + 293.707152, 'reward');
    assert.equal(s.edgeMacc, 4608 + 576 + 512);
    assert.deepEqual(s.spec.layers.map((l) => l.id), ['c1', 'r1', 'p1', 'c2_dw', 'c2_pw', 'r2', 'fl', 'f1', 'r3', 'f2']);
    assert.equal(s.composedCut, 6);
  });

  test('all on the device sends nothing; all in the cloud sends the input', async () => {
    const pool = new EvaluationPool(tinyProblem(), blocks);
    const device = pool.latency({ cut: 9, variantIds: [] }, 8);
    close(device.transferMs, 0, 'no transfer');
    close(device.cloudMs, 0, 'no cloud');
    // 5.108 + 0.05 + 0.05 + (0.5 + 4.608) + 0.05 + 0.05 + (0.1 + 4.096) + 0.05 + (0.1 + 0.32)
    close(device.edgeMs, 15.082, 'edge');
    const cloud = pool.latency({ cut: 0, variantIds: [] }, 8);
    // Input 8x8x2 float32 = 512 bytes: same transfer as above.
    close(cloud.transferMs, 3.024, 'input transfer');
    close(cloud.edgeMs, 0, 'no edge');
  });

  test('the pool asks the oracle once per variant set and counts hits', async () => {
    let asked = 0;
    const problem = tinyProblem();
    const oracle = problem.accuracy;
    const pool = new EvaluationPool({ ...problem, accuracy: (c) => { asked += 1; return oracle(c); } }, blocks);
    await pool.evaluate({ cut: 5, variantIds: ['C1@c2'] }, 8);
    await pool.evaluate({ cut: 5, variantIds: ['C1@c2'] }, 2);
    await pool.evaluate({ cut: 9, variantIds: ['C1@c2'] }, 8);
    await pool.evaluate({ cut: 9, variantIds: ['F1@f1', 'C1@c2'] }, 8);
    await pool.evaluate({ cut: 9, variantIds: ['C1@c2', 'F1@f1'] }, 8);
    assert.equal(asked, 2);
    assert.deepEqual(pool.stats(), { evaluations: 2, cacheHits: 3, structures: 3 });
    assert.equal(compositionKey({ cut: 9, variantIds: ['F1@f1', 'C1@c2'] }), compositionKey({ cut: 9, variantIds: ['C1@c2', 'F1@f1'] }));
  });

  test('invalid compositions are refused by name', () => {
    const pool = new EvaluationPool(tinyProblem(), blocks);
    assert.throws(() => pool.structure({ cut: 2, variantIds: ['W1@c1'] }), /variant "W1@c1" \[0, 3\] has the cut inside it/);
    assert.throws(() => pool.structure({ cut: 5, variantIds: ['F1@f1'] }), /variant "F1@f1" \[6, 6\] is on the cloud side/);
    assert.throws(() => pool.structure({ cut: 9, variantIds: ['F1@f1', 'F3@head'] }), /variants "F3@head" and "F1@f1" overlap/);
    assert.throws(() => pool.structure({ cut: 9, variantIds: ['W1@c1', 'C1@c2'] }), /overlap/);
    assert.throws(() => pool.structure({ cut: 9, variantIds: ['X'] }), /unknown variant "X"/);
    assert.throws(() => pool.structure({ cut: 10, variantIds: [] }), SearchInputError);
    // A cut at a variant's first layer leaves it wholly in the cloud: allowed without it.
    assert.equal(pool.structure({ cut: 3, variantIds: [] }).cutBytes, 256);
  });

  test('a variant whose output shape differs from the layer it replaces is refused', () => {
    const bad = { id: 'bad', technique: 'C1' as const, firstLayer: 3, lastLayer: 3, layers: [{ id: 'x', type: 'conv' as const, kernel: 1, outChannels: 5 }] };
    const pool = new EvaluationPool(tinyProblem({ catalog: [bad] }), blocks);
    assert.throws(() => pool.structure({ cut: 9, variantIds: ['bad'] }), /variant "bad" outputs 4x4x5, the layer it replaces 4x4x8/);
  });
});
