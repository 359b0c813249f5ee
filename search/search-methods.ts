/**
 * The methods a user can run on one search problem and one trace's bandwidth types, as
 * the studio offers them (CLI `edgetree search --method`, the Search screen):
 * - tree: Alg. 3 with the LSTM controllers, boosted by an optimal branch per type;
 * - random, egreedy: the same Alg. 3 (branches, boosting, episodes) with the random and
 *   epsilon-greedy policies in place of the LSTMs: the same action space and budget;
 * - exhaustive: the optimal tree by enumeration (refused above the limit);
 * - branch: Alg. 1 with the LSTM controllers at the trace's median rate: one fixed model;
 * - neurosurgeon: the base model's best single cut at the median rate: one fixed model;
 * - surgery: DNN surgery, decided again at every rate (here: at each type, for the record;
 *   emulation re-decides per inference).
 * Controllers run on whatever TF.js backend the caller set up (wasm with the training
 * kernels for the LSTMs).
 */
import { createLstmPolicy } from './controller/lstm-policy.ts';
import type { LstmPolicyOptions } from './controller/policy.ts';
import { createEpsilonGreedyPolicy } from './epsilon-greedy-policy.ts';
import { createUniformPolicy } from './uniform-policy.ts';
import { ActionSpace } from './action-space.ts';
import { optimalBranch } from './branch-search.ts';
import type { EvaluationPool } from './evaluation-pool.ts';
import { exhaustiveTree } from './exhaustive.ts';
import type { ModelTree, TreeBranch } from './model-tree.ts';
import type { Composition } from './problem.ts';
import { SearchInputError } from './problem.ts';
import { bestSingleCut, dnnSurgery } from './surgery.ts';
import { modelTreeSearch } from './tree-search.ts';
import type { SearchMethodName } from './method-names.ts';
import type { ControllerFactory, EpisodeRecord } from './tree-search.ts';

export { SEARCH_METHODS, isSearchMethod } from './method-names.ts';
export type { SearchMethodName } from './method-names.ts';

/** LSTM controllers with these training settings (e.g. a bench trying another learning rate or an entropy bonus). */
export function lstmControllersWith(o: Pick<LstmPolicyOptions, 'learningRate' | 'entropyBonus'>): ControllerFactory {
  return (s, seed) => ({
    partition: createLstmPolicy({ featureSize: s.featureSize, maxActions: s.partitionActions, seed, ...o }),
    compression: createLstmPolicy({ featureSize: s.featureSize, maxActions: s.compressionActions, seed: seed + 1, ...o }),
  });
}
export const lstmControllers: ControllerFactory = lstmControllersWith({});
export const randomControllers: ControllerFactory = (_s, seed) => ({ partition: createUniformPolicy(seed), compression: createUniformPolicy(seed + 1) });
export const epsilonGreedyControllers: ControllerFactory = (_s, seed) => ({ partition: createEpsilonGreedyPolicy(seed), compression: createEpsilonGreedyPolicy(seed + 1) });

export interface MethodRunOptions {
  method: SearchMethodName;
  /** The K bandwidth types, Mbit/s, poorest first. */
  levelsMbps: readonly number[];
  /** The rate a fixed model is searched for (the trace's median), Mbit/s. */
  medianMbps: number;
  /** Episodes of the tree stage (tree, random, egreedy) and of each branch search: (K + 1) x episodes in all for a tree. */
  episodes: number;
  seed: number;
  /** After each episode: of the boosting branch searches and the tree stage, or of the branch search ('branch'); awaited. */
  onEpisode?: (record: EpisodeRecord, stage: 'branch' | 'tree') => void | Promise<void>;
  /** Most work items exhaustive enumeration may take. */
  exhaustiveLimit?: number;
}

/** An optimal branch (Alg. 1) at one rate, kept so a fixed configuration can be packaged from the run. */
export interface TypeBranch {
  bandwidthMbps: number;
  composition: Composition;
  accuracy: number;
  latencyMs: number;
  reward: number;
}

function typeBranch(b: TreeBranch, mbps: number): TypeBranch {
  return { bandwidthMbps: mbps, composition: b.composition, accuracy: b.accuracy, latencyMs: b.latency.totalMs, reward: b.reward };
}

/** DNN surgery's decision at one rate. */
export interface SurgeryDecision {
  bandwidthMbps: number;
  /** The cut when the device set is a prefix, else null (a DAG partition). */
  cut: number | null;
  deviceLayers: number;
  edgeMs: number;
  transferMs: number;
  cloudMs: number;
  totalMs: number;
}

export interface MethodOutcome {
  method: SearchMethodName;
  levelsMbps: number[];
  medianMbps: number;
  /** Tree methods: the best tree; branch: its one-fork tree; else null. */
  tree: ModelTree | null;
  /** branch, neurosurgeon: the one model it runs whatever the network. */
  fixed: Composition | null;
  /** surgery and neurosurgeon: the base model's partition at each type and at the median. */
  surgery: SurgeryDecision[];
  /** The tree stage's (or the branch search's) reward per episode. */
  curve: EpisodeRecord[];
  /** Per bandwidth type, the boosting branch search's curve (tree methods). */
  branchCurves: EpisodeRecord[][];
  /** The optimal branch found per bandwidth type (tree methods: the boosting searches) or at the median (branch). */
  typeBranches: TypeBranch[];
  evaluations: number;
  cacheHits: number;
}

const CONTROLLERS: Partial<Record<SearchMethodName, ControllerFactory>> = { tree: lstmControllers, random: randomControllers, egreedy: epsilonGreedyControllers };

export async function runSearchMethod(pool: EvaluationPool, o: MethodRunOptions): Promise<MethodOutcome> {
  if (o.levelsMbps.length === 0 || !o.levelsMbps.every((w) => w > 0 && Number.isFinite(w))) {
    throw new SearchInputError(`search ${o.method}: bandwidth types must be finite numbers of Mbit/s > 0, got [${o.levelsMbps.join(', ')}]`);
  }
  if (!(o.medianMbps > 0 && Number.isFinite(o.medianMbps))) throw new SearchInputError(`search ${o.method}: the median rate must be a finite number of Mbit/s > 0, got ${o.medianMbps}`);
  const base: MethodOutcome = { method: o.method, levelsMbps: [...o.levelsMbps], medianMbps: o.medianMbps, tree: null, fixed: null, surgery: [], curve: [], branchCurves: [], typeBranches: [], evaluations: 0, cacheHits: 0 };
  const done = (r: Partial<MethodOutcome>): MethodOutcome => ({ ...base, ...r, ...countsOf(pool) });
  const rates = [...o.levelsMbps, o.medianMbps];
  const controllers = CONTROLLERS[o.method];
  if (controllers !== undefined) {
    const r = await modelTreeSearch(pool, {
      levelsMbps: o.levelsMbps, episodes: o.episodes, seed: o.seed, controllers,
      onEpisode: (record) => o.onEpisode?.(record, 'tree'),
      onBranchEpisode: (_k, record) => o.onEpisode?.(record, 'branch'),
    });
    return done({ tree: r.tree, curve: r.curve, branchCurves: r.branches.map((b) => b.curve), typeBranches: r.branches.map((b, k) => typeBranch(b.branch, o.levelsMbps[k])) });
  }
  switch (o.method) {
    case 'exhaustive':
      return done({ tree: (await exhaustiveTree(pool, new ActionSpace(pool), o.levelsMbps, o.exhaustiveLimit)).tree });
    case 'branch': {
      const r = await optimalBranch(pool, {
        bandwidthMbps: o.medianMbps, episodes: o.episodes, seed: o.seed, controllers: lstmControllers,
        onEpisode: (record) => o.onEpisode?.(record, 'branch'),
      });
      return done({ tree: r.tree, fixed: r.branch.composition, curve: r.curve, typeBranches: [typeBranch(r.branch, o.medianMbps)] });
    }
    case 'neurosurgeon': {
      const { device, cloud } = pool.problem;
      const cut = bestSingleCut(pool.base, device, cloud, o.medianMbps).cut;
      // Evaluated once so the accuracy of the base joins the pool (and the counts).
      await pool.evaluate({ cut, variantIds: [] }, o.medianMbps);
      return done({ fixed: { cut, variantIds: [] }, surgery: rates.map((w) => singleCutDecision(pool, w)) });
    }
    case 'surgery': {
      await pool.accuracy({ cut: pool.layerCount, variantIds: [] });
      return done({ surgery: rates.map((w) => surgeryDecision(pool, w)) });
    }
    default:
      throw new SearchInputError(`search: unknown method "${String(o.method)}"`);
  }
}

function countsOf(pool: EvaluationPool): { evaluations: number; cacheHits: number } {
  const s = pool.stats();
  return { evaluations: s.evaluations, cacheHits: s.cacheHits };
}

function surgeryDecision(pool: EvaluationPool, w: number): SurgeryDecision {
  const r = dnnSurgery(pool.base, pool.problem.device, pool.problem.cloud, w);
  const l = r.latency;
  return { bandwidthMbps: w, cut: r.cut, deviceLayers: r.onDevice.filter((d) => d).length, edgeMs: l.edgeMs, transferMs: l.transferMs, cloudMs: l.cloudMs, totalMs: l.totalMs };
}

function singleCutDecision(pool: EvaluationPool, w: number): SurgeryDecision {
  const r = bestSingleCut(pool.base, pool.problem.device, pool.problem.cloud, w);
  const l = r.latency;
  return { bandwidthMbps: w, cut: r.cut, deviceLayers: r.cut, edgeMs: l.edgeMs, transferMs: l.transferMs, cloudMs: l.cloudMs, totalMs: l.totalMs };
}
