/**
 * Which tree a bundle carries (api/deploy-api.ts PackageConfiguration): the search run's
 * tree as searched, or one of the fixed configurations the field test compares it with,
 * rebuilt from what the run recorded (search/fixed-trees.ts) on the same blocks and
 * profiles, so their estimates are made the same way as the tree's.
 */
import type { PackageConfiguration } from '../api/deploy-api.ts';
import type { SearchParams, SearchTraceResult } from '../api/search-api.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { balancedBlocks } from '../dnn/spec/blocks.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import { accuracyKey } from '../search/composition-key.ts';
import { EvaluationPool } from '../search/evaluation-pool.ts';
import { branchTree, surgeryTree } from '../search/fixed-trees.ts';
import { offloadGuard } from '../search/offload-guard.ts';
import type { OffloadGuard } from '../search/offload-guard.ts';
import { pathVariants } from '../search/tree-build.ts';
import type { ModelTree } from '../search/model-tree.ts';
import type { Composition } from '../search/problem.ts';
import { PAPER_REWARD } from '../search/reward.ts';
import type { TypeBranch } from '../search/search-methods.ts';
import type { BundleSource } from './bundle-source.ts';
import { PackageRequestError } from './package-request-error.ts';

export interface ConfigurationPlan {
  /** The variants the configuration runs (the bundle source loads their weights). */
  variantIds: string[];
  description: string;
  /** Builds the tree once the source (spec, catalogue) is loaded. */
  tree(source: BundleSource): Promise<ModelTree>;
  /** Whether the runtime may finish on the device where the rate at a cut is under its offload guard (the tree only: the fixed configurations run as the paper's baselines do). */
  guarded: boolean;
}

export interface ConfigurationContext {
  runId: string;
  params: Partial<SearchParams>;
  trace: SearchTraceResult;
  baseAccuracy: number | undefined;
  loadProfile: (id: string) => DeviceProfile;
}

function nearest(branches: readonly TypeBranch[], mbps: number): TypeBranch {
  return branches.reduce((a, b) => (Math.abs(Math.log(b.bandwidthMbps / mbps)) < Math.abs(Math.log(a.bandwidthMbps / mbps)) ? b : a));
}

/** The run's blocks and profiles, for estimates; `accuracy` only where a tree is built. */
function estimatePool(c: ConfigurationContext, source: BundleSource, accuracy: (x: Composition) => Promise<number>): EvaluationPool {
  const { params } = c;
  if (params.profileId === undefined || params.cloudProfileId === undefined || params.blocks === undefined) throw new PackageRequestError(`search run ${c.runId} records no profiles or block count to estimate with`);
  const problem = { base: source.base, catalog: [...source.catalog], device: c.loadProfile(params.profileId), cloud: c.loadProfile(params.cloudProfileId), accuracy, reward: PAPER_REWARD };
  return new EvaluationPool(problem, balancedBlocks(analyzeModel(source.base), params.blocks));
}

/** Offload guard per cutting node of `tree` (search/offload-guard.ts) on the run's profiles. */
export function offloadGuards(c: ConfigurationContext, source: BundleSource, tree: ModelTree): Map<number, OffloadGuard> {
  const p = estimatePool(c, source, () => Promise.reject(new PackageRequestError('an offload guard needs no accuracy')));
  const out = new Map<number, OffloadGuard>();
  for (const n of tree.nodes) {
    if (n.cloud || n.cut === null) continue;
    const g = offloadGuard(p, { cut: n.cut, variantIds: pathVariants(tree.nodes, n) });
    if (g !== null) out.set(n.id, g);
  }
  return out;
}

function pool(c: ConfigurationContext, source: BundleSource, known: readonly TypeBranch[]): EvaluationPool {
  const { trace } = c;
  const baseAccuracy = c.baseAccuracy;
  if (baseAccuracy === undefined) throw new PackageRequestError(`search run ${c.runId} records no base accuracy`);
  // Accuracy as the search measured it: the base model's, or a recorded branch's.
  const accuracy = (x: Composition): Promise<number> => {
    if (x.variantIds.length === 0) return Promise.resolve(baseAccuracy);
    const k = accuracyKey(x.variantIds);
    const b = known.find((t) => accuracyKey(t.composition.variantIds) === k);
    if (b === undefined) return Promise.reject(new PackageRequestError(`search run ${c.runId}, trace ${trace.traceId}: no recorded accuracy for variants ${x.variantIds.join(', ')}`));
    return Promise.resolve(b.accuracy);
  };
  return estimatePool(c, source, accuracy);
}

export function planConfiguration(configuration: PackageConfiguration, c: ConfigurationContext): ConfigurationPlan {
  const { trace, params } = c;
  const method = params.method ?? 'search';
  if (configuration === 'tree') {
    const tree = trace.tree;
    if (tree === null) throw new PackageRequestError(`search run ${c.runId}, trace ${trace.traceId}: the ${method} method made no tree to package`);
    return { variantIds: [...new Set(tree.nodes.flatMap((n) => n.variantIds))], description: `the ${method} search's tree (${tree.levelsMbps.length} bandwidth types, ${tree.blocks.length} blocks)`, tree: () => Promise.resolve(tree), guarded: true };
  }
  if (configuration === 'surgery') {
    if (trace.levelsMbps.length === 0) throw new PackageRequestError(`search run ${c.runId}, trace ${trace.traceId} records no bandwidth types`);
    return {
      variantIds: [],
      description: `DNN surgery: the min-cut of the unmodified model for the type nearest the rate at each inference's start (${trace.levelsMbps.map((w) => w.toFixed(2)).join(', ')} Mbit/s)`,
      tree: (source) => surgeryTree(pool(c, source, []), trace.levelsMbps),
      guarded: false,
    };
  }
  if (params.method === 'branch' && trace.tree !== null) {
    const tree = trace.tree;
    return { variantIds: [...new Set(tree.nodes.flatMap((n) => n.variantIds))], description: `the optimal branch searched at the median ${trace.medianMbps.toFixed(2)} Mbit/s`, tree: () => Promise.resolve(tree), guarded: false };
  }
  const known = trace.typeBranches ?? [];
  if (known.length === 0) throw new PackageRequestError(`search run ${c.runId} (${method}) records no optimal branch to package: run a tree or branch search again (runs stored before branches were kept have none)`);
  const b = nearest(known, trace.medianMbps);
  return {
    variantIds: [...b.composition.variantIds],
    description: `the optimal branch for the ${b.bandwidthMbps.toFixed(2)} Mbit/s type (nearest the trace's median ${trace.medianMbps.toFixed(2)} Mbit/s), followed whatever the rate`,
    tree: (source) => branchTree(pool(c, source, known), b.composition, b.bandwidthMbps),
    guarded: false,
  };
}
