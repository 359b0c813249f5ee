/**
 * Test support: a model tree searched exhaustively on the search's tiny problem (a
 * 9-layer chain in 3 blocks, K = 2) and seeded weights for its base and variants, the
 * input buildBundle takes. The slow phone makes the poor-network branches compute and
 * compress on the device and the good-network ones offload.
 */
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { sliceBlocks } from '../../dnn/spec/blocks.ts';
import type { WeightSet } from '../../dnn/tfjs/layer-weights.ts';
import { initWeights } from '../../dnn/tfjs/init-weights.ts';
import { ActionSpace } from '../../search/action-space.ts';
import { composeSpec } from '../../search/compose-spec.ts';
import { EvaluationPool } from '../../search/evaluation-pool.ts';
import { exhaustiveTree } from '../../search/exhaustive.ts';
import type { ModelTree } from '../../search/model-tree.ts';
import type { VariantInfo } from '../../search/problem.ts';
import { SLOW_PHONE, TINY_CATALOG, TINY_CHAIN, tinyProblem } from '../../search/testing/tiny-problem.ts';
import type { BuildBundleInput } from '../build-bundle.ts';

export const TINY_LEVELS_MBPS = [0.05, 2];

export async function tinyTree(): Promise<ModelTree> {
  const pool = new EvaluationPool(tinyProblem({ device: SLOW_PHONE }), sliceBlocks(analyzeModel(TINY_CHAIN), [3, 6]));
  return (await exhaustiveTree(pool, new ActionSpace(pool), TINY_LEVELS_MBPS)).tree;
}

/** A variant's weights by its own layer ids: seeded weights of the base with only that variant spliced in. */
export function tinyVariantWeights(v: VariantInfo, seed = 7): WeightSet {
  const composed = composeSpec(TINY_CHAIN, [v], TINY_CHAIN.layers.length);
  const all = initWeights(composed.spec, seed);
  const out = composed.variantOutput.get(v.id) as number;
  const weights: WeightSet = new Map();
  v.layers.forEach((layer, j) => {
    const w = all.get(composed.spec.layers[out - v.layers.length + 1 + j].id);
    if (w) weights.set(layer.id, w);
  });
  return weights;
}

export const TINY_BASE_WEIGHTS: WeightSet = initWeights(TINY_CHAIN, 1);

export async function tinyBundleInput(overrides: Partial<BuildBundleInput> = {}): Promise<BuildBundleInput> {
  return {
    tree: await tinyTree(),
    base: TINY_CHAIN,
    model: 'tiny',
    dataset: 'none',
    catalog: TINY_CATALOG,
    weightsOf: (source) => (source === 'base' ? TINY_BASE_WEIGHTS : tinyVariantWeights(source)),
    ...overrides,
  };
}
