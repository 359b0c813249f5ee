/**
 * Model tree search (paper Alg. 3); optimal branch search (Alg. 1) is in branch-search.ts.
 * Each episode:
 * 1. forward generation: the nodes of an N-level K-fork tree in BFS order; a node under a
 *    cut (cloud flag) is skipped; otherwise the partition controller reads the block's
 *    layers and the node's bandwidth type and picks a cut (or none), then the compression
 *    controller picks variants for the block's device side. A node that cuts, and a leaf,
 *    completes a model: its composition (the cut, or all on the device, with the variants
 *    of the path) is evaluated through the memory pool at the node's bandwidth (Eq. 7).
 * 2. backward estimation: from the leaves up, a node that does not complete a model gets
 *    the mean of its children's rewards.
 * 3. both controllers are updated with one episode per node (its steps, actions, reward).
 * Countermeasures (Sec. VII-A): exploration with fair chances (at depth n = 1..N the cut
 * is forced to "none" with probability alpha * (N - n) / N, alpha falling linearly to 0
 * over the first fairChance.episodes episodes; and, drawn apart, a node's compression is
 * forced to "none" with probability alpha: on alexnet the distilled variants cost so much
 * accuracy that random compression almost never left a late cut uncompressed, and the
 * search settled on sending the input) and optimal-branch boosting (during the first
 * boostEpisodes episodes the path of bandwidth type k repeats boost[k], the optimal
 * branch found for that type, and every other one every node of type k takes its block's
 * choice in boost[k]). The result is the best tree met (a final greedy tree
 * included), with the reward per episode.
 */
import { SeededRandom } from '../dnn/tfjs/seeded-random.ts';
import { ActionSpace } from './action-space.ts';
import type { NodeChoice } from './action-space.ts';
import type { PolicyEpisode, PolicyStep, SequencePolicy } from './controller/policy.ts';
import type { EvaluationPool } from './evaluation-pool.ts';
import { FEATURE_SIZE } from './mdp-features.ts';
import { treeShape } from './model-tree.ts';
import type { ModelTree, TreeNode } from './model-tree.ts';
import { buildTree } from './tree-build.ts';
import { SearchInputError } from './problem.ts';
import { optimalBranch } from './branch-search.ts';
import type { BranchSearchResult } from './branch-search.ts';

export interface ControllerSizes {
  featureSize: number;
  partitionActions: number;
  compressionActions: number;
}

export interface Controllers {
  partition: SequencePolicy;
  compression: SequencePolicy;
}

/** Makes the two controllers for a search (e.g. LSTM policies, or the random / epsilon-greedy baselines). */
export type ControllerFactory = (sizes: ControllerSizes, seed: number) => Controllers;

export interface EpisodeRecord {
  episode: number;
  /** The tree (or branch) sampled in this episode. */
  reward: number;
  /** Best so far. */
  best: number;
  evaluations: number;
  cacheHits: number;
}

export interface TreeSearchOptions {
  /** The K bandwidth types, Mbit/s (e.g. contextLevels(trace, 2)). */
  levelsMbps: readonly number[];
  episodes: number;
  seed: number;
  controllers: ControllerFactory;
  /** Exploration with fair chances; default alpha 0.5 over the first 30% of episodes; alpha 0 turns it off. */
  fairChance?: { alpha: number; episodes: number };
  /** Per bandwidth type, the optimal branch's choices per block (null: none). */
  boost?: readonly (readonly NodeChoice[] | null)[];
  /** Episodes during which the boosted paths are forced; default a tenth of the episodes (at least 1). */
  boostEpisodes?: number;
  /** Called after each episode with its record and the tree it generated; awaited (a caller may yield or stop by throwing). */
  onEpisode?: (record: EpisodeRecord, tree: ModelTree) => void | Promise<void>;
}

export interface TreeSearchResult {
  tree: ModelTree;
  curve: EpisodeRecord[];
  evaluations: number;
  cacheHits: number;
  /** Catalogue variants not searched because they cross a block boundary. */
  excludedVariants: string[];
}

interface Generated {
  tree: ModelTree;
  partitionEpisodes: PolicyEpisode[];
  compressionEpisodes: PolicyEpisode[];
}

interface GenerateMode {
  greedy: boolean;
  /** Probability scale of forcing no cut (fair chances) this episode. */
  alpha: number;
  boost: readonly (readonly NodeChoice[] | null)[] | null;
  /** Boost every node (its type's branch choice for its block), not only the paths that stay in one type. */
  boostEveryNode: boolean;
}

export class TreeSearch {
  private readonly pool: EvaluationPool;
  readonly space: ActionSpace;

  constructor(pool: EvaluationPool) {
    this.pool = pool;
    this.space = new ActionSpace(pool);
  }

  get sizes(): ControllerSizes {
    return { featureSize: FEATURE_SIZE, partitionActions: this.space.partitionActions, compressionActions: this.space.compressionActions };
  }

  async run(o: TreeSearchOptions): Promise<TreeSearchResult> {
    if (o.levelsMbps.length === 0 || !o.levelsMbps.every((w) => w > 0 && Number.isFinite(w))) {
      throw new SearchInputError(`tree search: bandwidth types must be finite numbers of Mbit/s > 0, got [${o.levelsMbps.join(', ')}]`);
    }
    if (!Number.isInteger(o.episodes) || o.episodes < 1) throw new SearchInputError(`tree search: episodes must be a whole number >= 1, got ${o.episodes}`);
    if (o.boost !== undefined && o.boost.length !== o.levelsMbps.length) {
      throw new SearchInputError(`tree search: ${o.boost.length} boosted branches for ${o.levelsMbps.length} bandwidth types`);
    }
    const fair = o.fairChance ?? { alpha: 0.5, episodes: Math.ceil(0.3 * o.episodes) };
    const boostEpisodes = o.boost === undefined ? 0 : (o.boostEpisodes ?? Math.max(1, Math.floor(o.episodes / 10)));
    const rng = new SeededRandom(o.seed);
    const controllers = o.controllers(this.sizes, o.seed);
    const curve: EpisodeRecord[] = [];
    let best: ModelTree | null = null;
    try {
      for (let e = 0; e < o.episodes; e++) {
        const alpha = e < fair.episodes ? fair.alpha * (1 - e / fair.episodes) : 0;
        const g = await this.generate(controllers, o.levelsMbps, rng, { greedy: false, alpha, boost: e < boostEpisodes ? (o.boost ?? null) : null, boostEveryNode: e % 2 === 0 });
        controllers.partition.update(g.partitionEpisodes);
        if (g.compressionEpisodes.length > 0) controllers.compression.update(g.compressionEpisodes);
        if (best === null || g.tree.reward > best.reward) best = g.tree;
        const stats = this.pool.stats();
        const record = { episode: e, reward: g.tree.reward, best: best.reward, evaluations: stats.evaluations, cacheHits: stats.cacheHits };
        curve.push(record);
        await o.onEpisode?.(record, g.tree);
      }
      const greedy = await this.generate(controllers, o.levelsMbps, rng, { greedy: true, alpha: 0, boost: null, boostEveryNode: false });
      if (best === null || greedy.tree.reward > best.reward) best = greedy.tree;
    } finally {
      controllers.partition.dispose();
      controllers.compression.dispose();
    }
    const stats = this.pool.stats();
    return { tree: best as ModelTree, curve, evaluations: stats.evaluations, cacheHits: stats.cacheHits, excludedVariants: [...this.space.excluded] };
  }

  /** Forward generation and backward estimation of one tree, recording each node's policy episodes. */
  private async generate(c: Controllers, levelsMbps: readonly number[], rng: SeededRandom, mode: GenerateMode): Promise<Generated> {
    const N = this.space.blocks.length;
    const pending: { node: number; steps: readonly PolicyStep[]; actions: number[]; kind: 'p' | 'c' }[] = [];
    // One fair-chance draw per node, cloud nodes included, keeps the random stream the same whatever the choices.
    const fairDraws = treeShape(N, levelsMbps.length).map(() => rng.uniform());
    // And one per node for compression's fair chance: the block's layers left as they are.
    const plainDraws = fairDraws.map(() => rng.uniform());
    const tree = await buildTree(this.pool, levelsMbps, (n, nodes) => {
      const mbps = levelsMbps[n.level];
      const boosted = this.boostedChoice(nodes, n, mode.boost, mode.boostEveryNode);
      const pSteps = this.space.partitionSteps(n.block, mbps);
      let forcedCut: number | undefined;
      if (boosted !== null) forcedCut = this.space.actionOfCut(n.block, boosted.cut);
      else if (fairDraws[n.id] < (mode.alpha * (N - (n.block + 1))) / N) forcedCut = this.space.actionOfCut(n.block, null);
      const p = c.partition.sample(pSteps, { greedy: mode.greedy, forced: [forcedCut] });
      const cut = this.space.cutOfAction(n.block, p.actions[0]);
      pending.push({ node: n.id, steps: pSteps, actions: p.actions, kind: 'p' });
      const forcedVariants = boosted?.variantIds ?? (plainDraws[n.id] < mode.alpha ? [] : undefined);
      const cs = this.space.sampleCompression(c.compression, n.block, this.space.deviceEnd(n.block, cut), mbps, { greedy: mode.greedy, forced: forcedVariants });
      if (cs.actions.length > 0) pending.push({ node: n.id, steps: cs.steps, actions: cs.actions, kind: 'c' });
      return { cut, variantIds: cs.variantIds };
    });
    const partitionEpisodes: PolicyEpisode[] = [];
    const compressionEpisodes: PolicyEpisode[] = [];
    for (const item of pending) (item.kind === 'p' ? partitionEpisodes : compressionEpisodes).push({ steps: item.steps, actions: item.actions, reward: tree.nodes[item.node].reward });
    return { tree, partitionEpisodes, compressionEpisodes };
  }

  /**
   * The boosted choice of a node: its block's choice in the optimal branch of its type, on
   * the paths that stay in one type; with everyNode (every other boosted episode) at every
   * node: per-block choices combine into a valid path whatever the types above (a block's
   * cut and variants stay inside it), so a mixed path starts as good as its pieces. Only
   * pure paths: on alexnet the mixed nodes' random cuts kept the tree below sending the
   * input (362.8 vs 382.5 all on the device); only every node: on the tiny problem the
   * copied choices held the tree at 99.2% of the optimum (99.6-100% with pure paths).
   */
  private boostedChoice(nodes: readonly TreeNode[], n: TreeNode, boost: GenerateMode['boost'], everyNode: boolean): NodeChoice | null {
    const chain = boost?.[n.level];
    if (!chain) return null;
    if (everyNode) return chain[n.block] ?? null;
    for (let m: TreeNode | null = n; m !== null; m = m.parent === null ? null : nodes[m.parent]) if (m.level !== n.level) return null;
    return chain[n.block] ?? null;
  }

}

/**
 * Alg. 3 with optimal-branch boosting: an optimal branch per bandwidth type first
 * (branchEpisodes each), then the tree search seeded with them. Evaluations and hits
 * count both stages (one pool).
 */
export async function modelTreeSearch(pool: EvaluationPool, o: TreeSearchOptions & { branchEpisodes?: number; onBranchEpisode?: (type: number, record: EpisodeRecord) => void | Promise<void> }): Promise<TreeSearchResult & { branches: BranchSearchResult[] }> {
  const branches: BranchSearchResult[] = [];
  for (let k = 0; k < o.levelsMbps.length; k++) {
    branches.push(await optimalBranch(pool, {
      episodes: o.branchEpisodes ?? o.episodes, seed: o.seed + 1000 * (k + 1), controllers: o.controllers, fairChance: o.fairChance, bandwidthMbps: o.levelsMbps[k],
      ...(o.onBranchEpisode !== undefined && { onEpisode: (record: EpisodeRecord) => o.onBranchEpisode?.(k, record) }),
    }));
  }
  const r = await new TreeSearch(pool).run({ ...o, boost: branches.map((b) => b.choices) });
  return { ...r, branches };
}
