/**
 * Builds one model tree from a per-node decision (forward generation in BFS order with
 * cloud flags, Alg. 3 lines 5-26) and estimates its rewards backwards (lines 27-31).
 * The decision is whatever chooses a node's cut and variants: the controllers, or an
 * exhaustive optimum.
 */
import type { NodeChoice } from './action-space.ts';
import type { EvaluationPool } from './evaluation-pool.ts';
import { treeShape } from './model-tree.ts';
import type { ModelTree, TreeBranch, TreeNode } from './model-tree.ts';

/** Chooses a non-cloud node's cut and variants; `nodes` holds the choices made so far (BFS order). */
export type NodeDecision = (node: TreeNode, nodes: readonly TreeNode[]) => NodeChoice;

/** The variants chosen on the path from the root to `node`, root first. */
export function pathVariants(nodes: readonly TreeNode[], node: TreeNode): string[] {
  const ids: string[] = [];
  for (let m: TreeNode | null = node; m !== null; m = m.parent === null ? null : nodes[m.parent]) ids.unshift(...m.variantIds);
  return ids;
}

export async function buildTree(pool: EvaluationPool, levelsMbps: readonly number[], decide: NodeDecision): Promise<ModelTree> {
  const N = pool.blocks.length;
  const L = pool.layerCount;
  const nodes: TreeNode[] = treeShape(N, levelsMbps.length).map((s, id) => ({ id, ...s, cloud: false, cut: null, variantIds: [], children: [], reward: 0 }));
  for (const n of nodes) if (n.parent !== null) nodes[n.parent].children.push(n.id);
  const terminal = new Map<number, TreeBranch>();
  for (const n of nodes) {
    const parent = n.parent === null ? null : nodes[n.parent];
    if (parent !== null && (parent.cloud || parent.cut !== null)) {
      n.cloud = true;
      continue;
    }
    const choice = decide(n, nodes);
    n.cut = choice.cut;
    n.variantIds = [...choice.variantIds];
    if (n.cut === null && n.block < N - 1) continue;
    const mbps = levelsMbps[n.level];
    const ev = await pool.evaluate({ cut: n.cut ?? L, variantIds: pathVariants(nodes, n) }, mbps);
    n.reward = ev.reward;
    terminal.set(n.id, { levels: [], nodeIds: [], terminalNode: n.id, composition: ev.composition, key: ev.key, bandwidthMbps: mbps, accuracy: ev.accuracy, latency: ev.latency, reward: ev.reward });
  }
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (n.cloud || terminal.has(n.id)) continue;
    n.reward = n.children.reduce((s, ch) => s + nodes[ch].reward, 0) / n.children.length;
  }
  const roots = nodes.filter((n) => n.parent === null).map((n) => n.id);
  const branches: TreeBranch[] = [];
  for (const leaf of nodes.filter((n) => n.block === N - 1)) {
    const path: number[] = [];
    for (let m: TreeNode | null = leaf; m !== null; m = m.parent === null ? null : nodes[m.parent]) path.unshift(m.id);
    const end = path.find((id) => terminal.has(id)) as number;
    branches.push({ ...(terminal.get(end) as TreeBranch), levels: path.map((id) => nodes[id].level), nodeIds: path });
  }
  return {
    blocks: pool.blocks.map((b) => ({ index: b.index, start: b.start, end: b.end })),
    levelsMbps: [...levelsMbps],
    nodes,
    roots,
    branches,
    reward: roots.reduce((s, r) => s + nodes[r].reward, 0) / roots.length,
  };
}
