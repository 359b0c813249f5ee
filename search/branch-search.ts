/**
 * Optimal branch search (paper Alg. 1) at one bandwidth. One partition controller reads
 * the whole model (every layer, then a decision step) and picks the cut with a single
 * action over all L + 1 cut points (L: all on the device); the compression controller
 * then reads the device side [0, cut) and picks variants layer by layer. The composition
 * is evaluated through the memory pool (Eq. 7) and both controllers are updated with it.
 *
 * Why not the one-fork tree: there the cut is one action per block, so a model that cuts
 * late needs "no cut" at every earlier block, whose reward is the mean of what follows;
 * the policy learnt an early cut (cut 3, reward 339.8) before the late cut with
 * compression (354.9) had been met often enough. One action over every cut gives each
 * cut its own probability, as the paper's single partition controller does.
 *
 * Fair chances here force "no cut" (all on the device, where every variant can be
 * chosen) with probability alpha, falling linearly to 0 over fairChance.episodes.
 * Variants are those of the tree's action space (inside one block), so a branch is also
 * a path of the tree (`choices`, for optimal-branch boosting).
 */
import { SeededRandom } from '../dnn/tfjs/seeded-random.ts';
import { ActionSpace } from './action-space.ts';
import type { NodeChoice } from './action-space.ts';
import type { PolicyEpisode } from './controller/policy.ts';
import type { EvaluationPool } from './evaluation-pool.ts';
import { FEATURE_SIZE } from './mdp-features.ts';
import type { ModelTree, TreeBranch } from './model-tree.ts';
import type { Composition } from './problem.ts';
import { SearchInputError } from './problem.ts';
import { branchTree, compositionChoices } from './fixed-trees.ts';
import type { ControllerSizes, EpisodeRecord, TreeSearchOptions } from './tree-search.ts';

export type BranchSearchOptions = Omit<TreeSearchOptions, 'levelsMbps' | 'boost' | 'boostEpisodes' | 'onEpisode'> & {
  bandwidthMbps: number;
  /** Called after each episode with its record and the composition it sampled; awaited (a caller may yield or stop by throwing). */
  onEpisode?: (record: EpisodeRecord, composition: Composition) => void | Promise<void>;
};

export interface BranchSearchResult {
  /** The branch (a one-fork tree): its composition, latency, accuracy and reward. */
  branch: TreeBranch;
  /** Its choice per block (blocks after the cut: no cut, no variants), for boosting a tree. */
  choices: NodeChoice[];
  tree: ModelTree;
  /** What the trained controllers choose greedily at the end (what they learnt, apart from the best met). */
  greedy: { composition: Composition; reward: number };
  curve: EpisodeRecord[];
  evaluations: number;
  cacheHits: number;
  excludedVariants: string[];
}

/** The controllers' sizes for the branch search: one partition action over L + 1 cuts. */
export function branchControllerSizes(space: ActionSpace): ControllerSizes {
  return { featureSize: FEATURE_SIZE, partitionActions: space.modelSpan.end + 1, compressionActions: space.compressionActions };
}


export async function optimalBranch(pool: EvaluationPool, o: BranchSearchOptions): Promise<BranchSearchResult> {
  if (!(o.bandwidthMbps > 0 && Number.isFinite(o.bandwidthMbps))) throw new SearchInputError(`branch search: the bandwidth must be a finite number of Mbit/s > 0, got ${o.bandwidthMbps}`);
  if (!Number.isInteger(o.episodes) || o.episodes < 1) throw new SearchInputError(`branch search: episodes must be a whole number >= 1, got ${o.episodes}`);
  const space = new ActionSpace(pool);
  const L = space.modelSpan.end;
  const fair = o.fairChance ?? { alpha: 0.5, episodes: Math.ceil(0.3 * o.episodes) };
  const rng = new SeededRandom(o.seed);
  const controllers = o.controllers(branchControllerSizes(space), o.seed);
  const cutSteps = space.modelCutSteps(o.bandwidthMbps);
  const curve: EpisodeRecord[] = [];
  let best: { composition: Composition; reward: number } | null = null;
  let greedy: { composition: Composition; reward: number } | null = null;
  const generate = async (greedy: boolean, alpha: number): Promise<{ composition: Composition; reward: number; partition: PolicyEpisode; compression: PolicyEpisode | null }> => {
    const forcedCut = rng.uniform() < alpha ? L : undefined;
    const plain = rng.uniform() < alpha;
    const p = controllers.partition.sample(cutSteps, { greedy, forced: [forcedCut] });
    const cut = p.actions[0];
    const cs = space.sampleCompressionIn(controllers.compression, space.modelSpan, cut, o.bandwidthMbps, { greedy, ...(plain && { forced: [] }) });
    const ev = await pool.evaluate({ cut, variantIds: cs.variantIds }, o.bandwidthMbps);
    return {
      composition: ev.composition,
      reward: ev.reward,
      partition: { steps: cutSteps, actions: p.actions, reward: ev.reward },
      compression: cs.actions.length > 0 ? { steps: cs.steps, actions: cs.actions, reward: ev.reward } : null,
    };
  };
  try {
    for (let e = 0; e < o.episodes; e++) {
      const alpha = e < fair.episodes ? fair.alpha * (1 - e / fair.episodes) : 0;
      const g = await generate(false, alpha);
      controllers.partition.update([g.partition]);
      if (g.compression !== null) controllers.compression.update([g.compression]);
      if (best === null || g.reward > best.reward) best = g;
      const stats = pool.stats();
      const record = { episode: e, reward: g.reward, best: best.reward, evaluations: stats.evaluations, cacheHits: stats.cacheHits };
      curve.push(record);
      await o.onEpisode?.(record, g.composition);
    }
    greedy = await generate(true, 0);
    if (best === null || greedy.reward > best.reward) best = greedy;
  } finally {
    controllers.partition.dispose();
    controllers.compression.dispose();
  }
  const composition = (best as { composition: Composition }).composition;
  const tree = await branchTree(pool, composition, o.bandwidthMbps);
  const stats = pool.stats();
  const learnt = greedy as { composition: Composition; reward: number };
  return { branch: tree.branches[0], choices: compositionChoices(space, composition), tree, greedy: { composition: learnt.composition, reward: learnt.reward }, curve, evaluations: stats.evaluations, cacheHits: stats.cacheHits, excludedVariants: [...space.excluded] };
}

