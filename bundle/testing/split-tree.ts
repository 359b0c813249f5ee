/**
 * Test and bench support: a model tree over a built-in model with cuts only (no
 * variants), made with the search's own tree builder: at every device node bandwidth
 * type 0 runs the whole block on the device and type 1 cuts after the block's first
 * layer. The accuracy is a constant (nothing here depends on it); latencies come from
 * the search's tiny phone and server profiles.
 */
import type { Database } from 'better-sqlite3';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { balancedBlocks } from '../../dnn/spec/blocks.ts';
import { loadBaseWeights } from '../../cloud/base-weights.ts';
import type { BuiltinModelName } from '../../dnn/models/builtin.ts';
import type { DatasetName } from '../../dnn/models/datasets.ts';
import { EvaluationPool } from '../../search/evaluation-pool.ts';
import type { ModelTree } from '../../search/model-tree.ts';
import { PAPER_REWARD } from '../../search/reward.ts';
import { buildTree } from '../../search/tree-build.ts';
import { PHONE, SERVER } from '../../search/testing/tiny-problem.ts';
import { createRun, updateRun } from '../../profiles/run-repository.ts';

import type { VariantInfo } from '../../search/problem.ts';
import type { TypeBranch } from '../../search/search-methods.ts';
import type { SearchTraceResult } from '../../api/search-api.ts';
import type { SearchedInputs } from '../../services/bundle-source.ts';
import type { DeviceProfile } from '../../latency/device-profile.ts';

/** PHONE / SERVER with a conv line for every kernel the built-ins use (alexnet has 11 and 5). */
export function everyKernel(p: DeviceProfile): DeviceProfile {
  const conv3 = p.compute.find((c) => c.layerType === 'conv' && c.kernel === 3);
  if (!conv3) return p;
  const extra = [5, 7, 11].filter((k) => !p.compute.some((c) => c.layerType === 'conv' && c.kernel === k)).map((k) => ({ ...conv3, kernel: k }));
  return { ...p, compute: [...p.compute, ...extra] };
}

/**
 * `catalog`: variants the type-0 (whole block on the device) nodes choose, each at the
 * node whose block holds its layers.
 */
export async function splitTree(model: BuiltinModelName, dataset: DatasetName, blocks = 3, levelsMbps = [1, 20], catalog: readonly VariantInfo[] = []): Promise<ModelTree> {
  // The spec packaging cuts bundles from: the shipped trained width where there is one.
  const base = loadBaseWeights(model, dataset).spec;
  const pool = new EvaluationPool({ base, catalog: [...catalog], device: everyKernel(PHONE), cloud: everyKernel(SERVER), accuracy: () => Promise.resolve(0.9), reward: PAPER_REWARD }, balancedBlocks(analyzeModel(base), blocks));
  return buildTree(pool, levelsMbps, (n) => {
    const b = pool.blocks[n.block];
    if (n.level !== 0) return { cut: b.start + 1, variantIds: [] };
    return { cut: null, variantIds: catalog.filter((v) => v.firstLayer >= b.start && v.lastLayer < b.end).map((v) => v.id) };
  });
}

/** As a tree search records its boosting branches: per type k, the tree's branch that meets type k at every block. */
export function typeBranchesOf(tree: ModelTree): TypeBranch[] {
  return tree.levelsMbps.flatMap((w, k) => {
    const b = tree.branches.find((x) => x.levels.every((l) => l === k));
    return b === undefined ? [] : [{ bandwidthMbps: w, composition: b.composition, accuracy: b.accuracy, latencyMs: b.latency.totalMs, reward: b.reward }];
  });
}

/** Stores a finished search run holding `tree` as its one trace's result, as the search service writes it. */
export function storeSearchRun(db: Database, model: string, dataset: string, tree: ModelTree, o: { result?: SearchedInputs & { baseAccuracy?: number }; trace?: Partial<SearchTraceResult>; profileIds?: { device: string; cloud: string } } = {}): string {
  const run = createRun(db, 'search', { model, dataset, method: 'tree', deviceId: 'local', profileId: o.profileIds?.device ?? 'phone', cloudProfileId: o.profileIds?.cloud ?? 'cloud', traceIds: ['1'], blocks: tree.blocks.length, contexts: tree.levelsMbps.length });
  updateRun(db, run.id, 'done', {
    traces: [{ traceId: '1', traceName: 'test', levelsMbps: tree.levelsMbps, medianMbps: 5, tree, fixed: null, surgery: [], branches: [], reward: tree.reward, curve: [], branchCurves: [], typeBranches: typeBranchesOf(tree), wallMs: 0, ...o.trace }],
    baseAccuracy: 0.9, ...o.result,
  });
  return run.id;
}
