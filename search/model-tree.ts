/**
 * The model tree (paper Sec. VI-A, Fig. 3): N levels of blocks, K forks per node, one
 * fork per bandwidth type. Level d holds block d; the node a runtime reaches at block d
 * is chosen by the bandwidth type it measures at the start of that block (Alg. 2), so
 * block 0 has K nodes too. Each root-to-leaf path is a complete model (a branch).
 */
import type { Block } from '../dnn/spec/blocks.ts';
import type { NodeChoice } from './action-space.ts';
import type { CompositionLatency } from './evaluation-pool.ts';
import type { Composition } from './problem.ts';

export interface TreeNode extends NodeChoice {
  /** Position in BFS order. */
  id: number;
  /** Block index = depth (0 = the first block). */
  block: number;
  /** The bandwidth type that leads to this node. */
  level: number;
  parent: number | null;
  /** Cloud flag: an ancestor cut, so this block is the base block run in the cloud (cut null, no variants). */
  cloud: boolean;
  /** K children at the next block; none at the last block. */
  children: number[];
  /** Backward estimate: a terminal node's own reward, else the mean of its children's; 0 for cloud nodes. */
  reward: number;
}

/** One root-to-leaf path and the model it composes. */
export interface TreeBranch {
  /** Bandwidth type per block along the path. */
  levels: number[];
  /** Node ids along the path, one per block. */
  nodeIds: number[];
  /** The node whose choice completes the model: the one that cuts, else the leaf. */
  terminalNode: number;
  composition: Composition;
  key: string;
  /** The bandwidth the reward assumed: that of the terminal node's type. */
  bandwidthMbps: number;
  accuracy: number;
  latency: CompositionLatency;
  reward: number;
}

export interface ModelTree {
  blocks: Pick<Block, 'index' | 'start' | 'end'>[];
  levelsMbps: number[];
  nodes: TreeNode[];
  /** The K nodes of block 0. */
  roots: number[];
  /** K^N leaf paths in lexicographic order of their levels. */
  branches: TreeBranch[];
  /** The tree's reward: the mean of its roots' (backward estimation up to a virtual root). */
  reward: number;
}

/** The empty complete tree's shape in BFS order: block, level and parent of each node. */
export function treeShape(blockCount: number, k: number): { block: number; level: number; parent: number | null }[] {
  const nodes: { block: number; level: number; parent: number | null }[] = [];
  for (let level = 0; level < k; level++) nodes.push({ block: 0, level, parent: null });
  for (let i = 0; i < nodes.length; i++) {
    if (nodes[i].block + 1 >= blockCount) continue;
    for (let level = 0; level < k; level++) nodes.push({ block: nodes[i].block + 1, level, parent: i });
  }
  return nodes;
}

/** The node Alg. 2 reaches: follow `levels[d]` at each block from the root of levels[0]. */
export function followLevels(tree: ModelTree, levels: readonly number[]): number[] {
  const path = [tree.roots[levels[0]]];
  for (let d = 1; d < levels.length; d++) path.push(tree.nodes[path[d - 1]].children[levels[d]]);
  return path;
}
