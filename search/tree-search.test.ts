import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { sliceBlocks } from '../dnn/spec/blocks.ts';
import { useWasmWithoutLeaks } from '../test/wasm-suite.ts';
import { requireTrainingBackend } from '../engine/training-backend.ts';
import { createLstmPolicy } from './controller/lstm-policy.ts';
import { EvaluationPool } from './evaluation-pool.ts';
import { ActionSpace } from './action-space.ts';
import { allCompositions, exhaustiveBranch, exhaustiveTree, ExhaustiveLimitError, nodeChoices } from './exhaustive.ts';
import { modelTreeSearch, TreeSearch } from './tree-search.ts';
import { optimalBranch } from './branch-search.ts';
import type { ControllerFactory } from './tree-search.ts';
import { createUniformPolicy } from './uniform-policy.ts';
import { createEpsilonGreedyPolicy } from './epsilon-greedy-policy.ts';
import type { ModelTree } from './model-tree.ts';
import { SLOW_PHONE, TINY_CHAIN, tinyProblem } from './testing/tiny-problem.ts';

// Blocks [0, 4) convs (W1@c1 [0..3] and C1@c2 [3..3] overlap), [4, 5) r2, [5, 9) head (F3@head [5..8] and F1@f1 [6..6] overlap).
const blocks = sliceBlocks(analyzeModel(TINY_CHAIN), [4, 5]);
// On the slow phone: at 0.05 Mbit/s running and compressing on the device pays, at 2 Mbit/s sending the input.
const LEVELS = [0.05, 2];
const newPool = (): EvaluationPool => new EvaluationPool(tinyProblem({ device: SLOW_PHONE }), blocks);
const uniform: ControllerFactory = (_s, seed) => ({ partition: createUniformPolicy(seed), compression: createUniformPolicy(seed + 1) });
const lstm: ControllerFactory = (s, seed) => ({
  partition: createLstmPolicy({ featureSize: s.featureSize, maxActions: s.partitionActions, seed, learningRate: 0.003 }),
  compression: createLstmPolicy({ featureSize: s.featureSize, maxActions: s.compressionActions, seed: seed + 1, learningRate: 0.003 }),
});

describe('action space and masks', () => {
  test('partition: L_b + 1 choices per block; every cut reached once', () => {
    const space = new ActionSpace(newPool());
    assert.deepEqual(space.excluded, []);
    const steps = space.partitionSteps(0, 2);
    assert.equal(steps.length, 5);
    assert.deepEqual(steps.map((s) => s.actionCount), [0, 0, 0, 0, 5]);
    const cuts = blocks.flatMap((b) => Array.from({ length: b.end - b.start + 1 }, (_, a) => space.cutOfAction(b.index, a)));
    assert.deepEqual(cuts, [0, 1, 2, 3, null, 4, null, 5, 6, 7, 8, null]);
  });

  test('compression: a variant that would cross the cut is masked', () => {
    const space = new ActionSpace(newPool());
    // Device side [0, 3): W1@c1 reaches layer 3, so only "none"; c2 is in the cloud.
    const cut3 = space.compressionSteps(0, 3, 2);
    assert.deepEqual(cut3.steps.map((s) => s.mask), [[true, false], undefined, undefined]);
    const whole = space.compressionSteps(0, 4, 2);
    assert.deepEqual(whole.positions, [0, 3]);
    assert.deepEqual(whole.steps.map((s) => s.mask), [[true, true], undefined, undefined, [true, true]]);
  });

  test('compression: overlapping variants are never drawn together, and the draw is the masked policy', () => {
    const space = new ActionSpace(newPool());
    const policy = createUniformPolicy(3);
    const seen = new Map<string, number>();
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const s = space.sampleCompression(policy, 0, 4, 2);
      const key = s.variantIds.join('+');
      seen.set(key, (seen.get(key) ?? 0) + 1);
      if (s.variantIds.includes('W1@c1')) assert.deepEqual(s.steps[3].mask, [true, false], 'C1 masked after W1');
    }
    assert.equal(seen.get('W1@c1+C1@c2'), undefined);
    // Uniform over allowed actions, layer by layer: W1 1/2; else C1 1/2 of the rest: C1 1/4, none 1/4.
    assert.ok(Math.abs((seen.get('W1@c1') ?? 0) / n - 0.5) < 0.04, `W1 ${seen.get('W1@c1')}`);
    assert.ok(Math.abs((seen.get('C1@c2') ?? 0) / n - 0.25) < 0.04, `C1 ${seen.get('C1@c2')}`);
    assert.ok(Math.abs((seen.get('') ?? 0) / n - 0.25) < 0.04, `none ${seen.get('')}`);
  });
});

describe('exhaustive enumeration', () => {
  test('the space counted by hand', () => {
    const space = new ActionSpace(newPool());
    // Block 0: cuts 0..3 alone, no cut with {}, W1 or C1 = 7. Block 1: 2. Block 2: cuts 5, 6 alone, 7 and 8 with or without F1, no cut with {}, F1, F3 = 9.
    assert.deepEqual(blocks.map((b) => nodeChoices(space, b.index).length), [7, 2, 9]);
    // Cuts 0..3: 1 each; 4, 5, 6: 3 (block 0's sets); 7, 8: 3 x 2; 9: 3 x 3.
    assert.equal(allCompositions(space).length, 4 + 3 * 3 + 6 + 6 + 9);
    assert.throws(() => allCompositions(space, 10), ExhaustiveLimitError);
    assert.throws(() => allCompositions(space, 10), /exhaustive compositions: the space holds 34 items, above the limit of 10/);
  });

  test('the optimal tree beats or equals every tree the search can build, and uses both types', async () => {
    const pool = newPool();
    const space = new ActionSpace(pool);
    const { tree } = await exhaustiveTree(pool, space, LEVELS);
    const poor = await exhaustiveBranch(pool, space, LEVELS[0]);
    const good = await exhaustiveBranch(pool, space, LEVELS[1]);
    assert.equal(poor.size, 34);
    // The good root sends the input as the best branch at 2 Mbit/s does; the poor root runs and compresses on the device.
    assert.equal(tree.nodes[tree.roots[1]].reward, good.best.reward);
    assert.equal(good.best.composition.cut, 0);
    assert.ok(poor.best.composition.variantIds.length > 0);
    // A random search over 300 trees never finds a better one.
    const r = await new TreeSearch(pool).run({ levelsMbps: LEVELS, episodes: 300, seed: 9, controllers: uniform });
    assert.ok(r.tree.reward <= tree.reward + 1e-9, `${r.tree.reward} > optimum ${tree.reward}`);
  });
});

describe('tree search (Alg. 3) and optimal branch (Alg. 1)', () => {
  test('the same seed gives the same tree and curve', async () => {
    const run = async (): Promise<unknown> => {
      const r = await modelTreeSearch(newPool(), { levelsMbps: LEVELS, episodes: 30, seed: 5, controllers: (s, seed) => ({ partition: createEpsilonGreedyPolicy(seed), compression: createUniformPolicy(seed + 1) }) });
      return { tree: r.tree, curve: r.curve };
    };
    assert.deepEqual(await run(), await run());
  });

  test('fair chances force no cut at depth n with probability alpha (N - n) / N', async () => {
    let noCut = 0;
    let roots = 0;
    await new TreeSearch(newPool()).run({
      levelsMbps: LEVELS, episodes: 300, seed: 2, controllers: uniform, fairChance: { alpha: 1, episodes: 1e9 },
      onEpisode: (_r, tree) => {
        for (const id of tree.roots) {
          roots += 1;
          if (tree.nodes[id].cut === null) noCut += 1;
        }
      },
    });
    // Depth 1 of N = 3: forced with 2/3, else uniform over 5 actions: 2/3 + 1/3 * 1/5 = 0.7333.
    assert.ok(Math.abs(noCut / roots - 11 / 15) < 0.05, `no cut at the roots ${noCut} / ${roots}`);
  });

  test('boosting puts the optimal branch of each type on its path in the first episodes', async () => {
    const pool = newPool();
    const trees: ModelTree[] = [];
    const r = await modelTreeSearch(pool, { levelsMbps: LEVELS, episodes: 20, branchEpisodes: 20, seed: 4, controllers: uniform, boostEpisodes: 2, onEpisode: (_r, t) => { trees.push(t); } });
    // The tree search's first episode (the branch searches report nothing).
    assert.equal(trees.length, 20);
    const first = trees[0];
    for (let k = 0; k < LEVELS.length; k++) {
      const branch = first.branches.find((b) => b.levels.every((l) => l === k));
      assert.equal(branch?.key, r.branches[k].branch.key, `type ${k}`);
    }
  });
});

describe('search with the LSTM controllers', () => {
  useWasmWithoutLeaks();

  test('RL branch search (one partition action over all cuts) reaches 99% of the exhaustive optimum for 3 seeds, and learns', async () => {
    await requireTrainingBackend();
    const pool = newPool();
    const optimum = await exhaustiveBranch(pool, new ActionSpace(pool), LEVELS[0]);
    // Hand check of the space: at 0.05 Mbit/s all on the device with W1 and F3 (the old per-block cut settled on cut 3, 339.8).
    assert.deepEqual(optimum.best.composition, { cut: 9, variantIds: ['W1@c1', 'F3@head'] });
    let bestCut = -Infinity;
    for (let cut = 0; cut <= 9; cut++) bestCut = Math.max(bestCut, (await pool.evaluate({ cut, variantIds: [] }, LEVELS[0])).reward);
    const tail = (curve: readonly { reward: number }[]): number => curve.slice(-20).reduce((s, c) => s + c.reward, 0) / 20;
    let lstmTail = 0;
    let uniformMean = 0;
    for (const seed of [1, 2, 3]) {
      const r = await optimalBranch(newPool(), { bandwidthMbps: LEVELS[0], episodes: 60, seed, controllers: lstm });
      assert.ok(r.branch.reward >= 0.99 * optimum.best.reward, `seed ${seed}: branch ${r.branch.reward} vs ${optimum.best.reward}`);
      assert.ok(r.branch.reward >= bestCut);
      assert.equal(r.curve.length, 60);
      assert.deepEqual(r.tree.branches[0].composition, r.branch.composition);
      lstmTail += tail(r.curve) / 3;
      const u = await optimalBranch(newPool(), { bandwidthMbps: LEVELS[0], episodes: 60, seed, controllers: uniform });
      uniformMean += u.curve.reduce((s, c) => s + c.reward, 0) / 60 / 3;
    }
    // What the controllers sample at the end beats what random search samples.
    assert.ok(lstmTail > uniformMean, `LSTM's last 20 episodes ${lstmTail} vs random ${uniformMean}`);
  });

  test('RL tree search reaches 99% of the exhaustive optimum; boosted by its branches', async () => {
    await requireTrainingBackend();
    const pool = newPool();
    const space = new ActionSpace(pool);
    const bestTree = await exhaustiveTree(pool, space, LEVELS);
    const tree = await modelTreeSearch(newPool(), { levelsMbps: LEVELS, episodes: 60, seed: 1, controllers: lstm });
    assert.ok(tree.tree.reward >= 0.99 * bestTree.tree.reward, `tree ${tree.tree.reward} vs ${bestTree.tree.reward}`);
    // The tree is no worse than following the best branch of each root's type everywhere below it.
    assert.ok(tree.tree.reward > Math.min(...tree.branches.map((b) => b.branch.reward)));
    assert.equal(tree.curve.length, 60);
  });
});
