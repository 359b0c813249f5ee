/**
 * Where each node of a model tree goes in the drawing (paper Fig. 8): one row per block,
 * leaves side by side in BFS (= lexicographic) order, a parent centred over its children.
 * Each node says what it runs: on the device, cut inside its block (the rest in the
 * cloud), or in the cloud under an ancestor's cut.
 */
import type { ModelTree, TreeNode } from '../../api/search-api.ts';

export interface NodeBox {
  id: number;
  block: number;
  level: number;
  x: number;
  y: number;
  placement: 'device' | 'cut' | 'cloud';
  /** Base layers [start, end) of the block. */
  layers: [number, number];
  cut: number | null;
  variantIds: string[];
  reward: number;
  parent: number | null;
}

export interface TreeLayout {
  nodes: NodeBox[];
  width: number;
  height: number;
  /** Leaf x positions, in the order of tree.branches. */
  leafX: number[];
}

export const NODE_W = 150;
export const NODE_H = 64;
export const GAP_X = 16;
export const ROW_H = 110;

export function placementOf(n: Pick<TreeNode, 'cloud' | 'cut'>): NodeBox['placement'] {
  if (n.cloud) return 'cloud';
  return n.cut === null ? 'device' : 'cut';
}

export function layoutTree(tree: ModelTree): TreeLayout {
  const depth = tree.blocks.length;
  const leaves = tree.nodes.filter((n) => n.block === depth - 1);
  const x = new Map<number, number>();
  leaves.forEach((n, i) => x.set(n.id, i * (NODE_W + GAP_X) + NODE_W / 2));
  // Parents after children: BFS order backwards.
  for (let i = tree.nodes.length - 1; i >= 0; i--) {
    const n = tree.nodes[i];
    if (n.children.length > 0) x.set(n.id, n.children.reduce((s, c) => s + (x.get(c) as number), 0) / n.children.length);
  }
  const nodes = tree.nodes.map((n): NodeBox => {
    const b = tree.blocks[n.block];
    return {
      id: n.id, block: n.block, level: n.level, x: x.get(n.id) as number, y: n.block * ROW_H + NODE_H / 2 + 8,
      placement: placementOf(n), layers: [b.start, b.end], cut: n.cut, variantIds: n.variantIds, reward: n.reward, parent: n.parent,
    };
  });
  return { nodes, width: Math.max(NODE_W, leaves.length * (NODE_W + GAP_X) - GAP_X), height: depth * ROW_H + 8, leafX: leaves.map((n) => x.get(n.id) as number) };
}
