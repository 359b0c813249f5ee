/**
 * The fixed configurations a bundle can carry beside the searched tree, for the field test
 * (paper Table V): the optimal branch as a one-fork tree (the runtime follows its only
 * path whatever the rate), and DNN surgery as a tree whose first decision maps the rate
 * at the inference's start to the nearest bandwidth type and takes surgery's min-cut for
 * that type; later blocks keep that partition whatever the rate (surgery decides once
 * per inference, on the unmodified model).
 */
import { ActionSpace } from './action-space.ts';
import type { NodeChoice } from './action-space.ts';
import type { EvaluationPool } from './evaluation-pool.ts';
import type { ModelTree, TreeNode } from './model-tree.ts';
import type { Composition } from './problem.ts';
import { SearchInputError } from './problem.ts';
import { dnnSurgery } from './surgery.ts';
import { buildTree } from './tree-build.ts';

/** A composition as the per-block choices of a tree path (a variant belongs to the block it starts in). */
export function compositionChoices(space: ActionSpace, c: Composition): NodeChoice[] {
  const first = (id: string): number => {
    const v = space.variant(id);
    if (v === undefined) throw new SearchInputError(`branch: variant "${id}" is not in the search's action space`);
    return v.firstLayer;
  };
  return space.blocks.map((b) => ({
    cut: c.cut >= b.start && c.cut < b.end ? c.cut : null,
    variantIds: c.variantIds.filter((id) => first(id) >= b.start && first(id) < b.end),
  }));
}

/** The one-fork tree whose only path is the composition, its estimate at `mbps`. */
export function branchTree(pool: EvaluationPool, c: Composition, mbps: number): Promise<ModelTree> {
  const choices = compositionChoices(new ActionSpace(pool), c);
  return buildTree(pool, [mbps], (n) => choices[n.block]);
}

/** DNN surgery's cut of the base model for each bandwidth type, as a tree (chains: the device set must be a prefix). */
export function surgeryTree(pool: EvaluationPool, levelsMbps: readonly number[]): Promise<ModelTree> {
  const space = new ActionSpace(pool);
  const perType = levelsMbps.map((w) => {
    const r = dnnSurgery(pool.base, pool.problem.device, pool.problem.cloud, w);
    if (r.cut === null) throw new SearchInputError(`DNN surgery at ${w} Mbit/s puts a set of layers on the device that is not a prefix of ${pool.base.spec.name}: a bundle runs one cut per inference`);
    return compositionChoices(space, { cut: r.cut, variantIds: [] });
  });
  const rootOf = (n: TreeNode, nodes: readonly TreeNode[]): TreeNode => (n.parent === null ? n : rootOf(nodes[n.parent], nodes));
  return buildTree(pool, levelsMbps, (n, nodes) => perType[rootOf(n, nodes).level][n.block]);
}
