/**
 * Test support: model trees of the search's tiny problem (search/testing/tiny-problem.ts)
 * made runnable, with seeded weights for the base and every variant (accuracy is not
 * the runtime's concern; the same weights on device and cloud are).
 */
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { sliceBlocks } from '../../dnn/spec/blocks.ts';
import { initWeights } from '../../dnn/tfjs/init-weights.ts';
import type { WeightSet } from '../../dnn/tfjs/layer-weights.ts';
import { ActionSpace } from '../../search/action-space.ts';
import { composeSpec } from '../../search/compose-spec.ts';
import { EvaluationPool } from '../../search/evaluation-pool.ts';
import { exhaustiveTree } from '../../search/exhaustive.ts';
import type { ModelTree } from '../../search/model-tree.ts';
import type { VariantInfo } from '../../search/problem.ts';
import { SLOW_PHONE, TINY_CATALOG, TINY_CHAIN, tinyProblem } from '../../search/testing/tiny-problem.ts';
import type { RuntimeCloud, RuntimeModel } from '../core/runtime-model.ts';
import { runtimeModelFromTree } from '../core/runtime-model-from-tree.ts';

export const TINY_KEY = 'tiny/test';
/** At 0.05 Mbit/s the slow phone runs (and compresses) on itself; at 2 Mbit/s it sends the input. */
export const TINY_LEVELS = [0.05, 2];
export const TINY_BASE_WEIGHTS: WeightSet = initWeights(TINY_CHAIN, 1);

/** Seeded weights of each variant's own layers, by their own ids. */
export function tinyVariantWeights(catalog: readonly VariantInfo[] = TINY_CATALOG): (id: string) => WeightSet {
  const L = TINY_CHAIN.layers.length;
  const byId = new Map<string, WeightSet>();
  catalog.forEach((v, i) => {
    const composed = composeSpec(TINY_CHAIN, [v], L);
    const all = initWeights(composed.spec, 100 + i);
    const last = composed.variantOutput.get(v.id) as number;
    const own: WeightSet = new Map();
    v.layers.forEach((l, j) => {
      const w = all.get(composed.spec.layers[last - v.layers.length + 1 + j].id);
      if (w !== undefined) own.set(l.id, w);
    });
    byId.set(v.id, own);
  });
  return (id) => byId.get(id) ?? new Map();
}

/** The exhaustive optimal tree of the tiny problem on the slow phone, blocks [0,4) [4,5) [5,9). */
export async function tinyTree(opts: { variants: boolean; levels?: number[] }): Promise<ModelTree> {
  const blocks = sliceBlocks(analyzeModel(TINY_CHAIN), [4, 5]);
  const pool = new EvaluationPool(tinyProblem({ device: SLOW_PHONE, catalog: opts.variants ? TINY_CATALOG : [] }), blocks);
  return (await exhaustiveTree(pool, new ActionSpace(pool), opts.levels ?? TINY_LEVELS)).tree;
}

export function tinyRuntimeModel(tree: ModelTree, cloud: RuntimeCloud | null): RuntimeModel {
  return runtimeModelFromTree({ base: TINY_CHAIN, tree, catalog: TINY_CATALOG, baseWeights: TINY_BASE_WEIGHTS, variantWeights: tinyVariantWeights(), cloud });
}

/** The whole composed model of a branch (variants spliced, no cut) with its weights: the reference a branch must reproduce. */
export function tinyComposedReference(variantIds: readonly string[]): { spec: ReturnType<typeof composeSpec>['spec']; weights: WeightSet } {
  const variants = variantIds.map((id) => TINY_CATALOG.find((v) => v.id === id) as VariantInfo).sort((a, b) => a.firstLayer - b.firstLayer);
  const composed = composeSpec(TINY_CHAIN, variants, TINY_CHAIN.layers.length);
  const own = tinyVariantWeights();
  const weights: WeightSet = new Map();
  const fromVariant = new Map<number, [string, string]>();
  for (const v of variants) {
    const last = composed.variantOutput.get(v.id) as number;
    v.layers.forEach((l, j) => fromVariant.set(last - v.layers.length + 1 + j, [v.id, l.id]));
  }
  composed.spec.layers.forEach((l, i) => {
    const src = fromVariant.get(i);
    const w = src === undefined ? TINY_BASE_WEIGHTS.get(l.id) : own(src[0]).get(src[1]);
    if (w !== undefined) weights.set(l.id, w);
  });
  return { spec: composed.spec, weights };
}
