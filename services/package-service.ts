/**
 * Packages a stored search run's tree into a bundle folder (bundle/build-bundle.ts). The
 * run is the search service's (kind 'search', result.traces[].tree); the spec and
 * weights come from a BundleSourceProvider, the runtime's files from an optional provider
 * (the runtime/ hosts, when they are built).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { PackageRequest, PackageResult } from '../api/deploy-api.ts';
import type { SearchParams, SearchTraceResult } from '../api/search-api.ts';
import { buildBundle } from '../bundle/build-bundle.ts';
import type { BundleRuntimeFiles } from '../bundle/build-bundle.ts';
import { isDatasetName } from '../dnn/models/datasets.ts';
import { getRun } from '../profiles/run-repository.ts';
import type { BundleSourceProvider } from './bundle-source.ts';
import { PackageRequestError } from './package-request-error.ts';
import { offloadGuards, planConfiguration } from './package-configuration.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import { runtimeOf, type Runtime } from '../latency/runtime.ts';
import type { OffloadGuard } from '../search/offload-guard.ts';

/** What the bundle's runtime (runtime/core) runs blocks with. */
const BUNDLE_RUNTIME: Runtime = 'tfjs-wasm';

export interface PackageServiceOptions {
  home: string;
  source: BundleSourceProvider;
  runtimeFiles?: () => Promise<BundleRuntimeFiles>;
  /** The search's device and cloud profiles, to estimate a fixed configuration. */
  loadProfile: (id: string) => DeviceProfile;
}

export interface PackageService {
  packageBundle(req: PackageRequest): Promise<PackageResult>;
}

/** `dir`, or `dir-2`, `dir-3`, ... when packaged again within the same second. */
function freshBundleDir(dir: string): string {
  let out = dir;
  for (let n = 2; existsSync(out); n++) out = `${dir}-${n}`;
  return out;
}

export function createPackageService(db: Database, opts: PackageServiceOptions): PackageService {
  return {
    async packageBundle(req) {
      const run = getRun(db, req.searchRunId);
      if (run.kind !== 'search') throw new PackageRequestError(`run ${run.id} is a ${run.kind} run, not a search`);
      if (run.status !== 'done') throw new PackageRequestError(`search run ${run.id} is ${run.status}; package it once it is done`);
      const params = run.params as Partial<SearchParams>;
      refuseOtherRuntime(run.id, params.profileId, opts.loadProfile);
      const traces = ((run.result as { traces?: SearchTraceResult[] } | null)?.traces ?? []);
      const configuration = req.configuration ?? 'tree';
      const chosen = req.traceId === undefined ? (traces.find((t) => t.tree !== null) ?? traces[0]) : traces.find((t) => t.traceId === req.traceId);
      if (!chosen) throw new PackageRequestError(`search run ${run.id} has no ${req.traceId === undefined ? 'trace' : `result for trace ${req.traceId}`} (traces: ${traces.map((t) => t.traceId).join(', ') || 'none'})`);
      const recorded = run.result as { weightsId?: string; variantKeys?: Record<string, string>; baseAccuracy?: number } | null;
      const context = { runId: run.id, params, trace: chosen, baseAccuracy: recorded?.baseAccuracy, loadProfile: opts.loadProfile };
      const plan = planConfiguration(configuration, context);
      const model = String(params.model);
      const dataset = params.dataset;
      if (!isDatasetName(dataset)) throw new PackageRequestError(`search run ${run.id} names no known data set (${String(dataset)})`);
      const source = await opts.source(model, dataset, plan.variantIds, { weightsId: recorded?.weightsId, variantKeys: recorded?.variantKeys });
      const tree = await plan.tree(source);
      const guardNotes: string[] = [];
      let guards: Map<number, OffloadGuard> | undefined;
      if (plan.guarded) {
        try {
          guards = offloadGuards(context, source, tree);
        } catch (e) {
          guardNotes.push(`no offload guard: ${(e as Error).message}`);
        }
      }
      if ((req.cloudUrl === undefined) !== (req.cloudToken === undefined)) throw new PackageRequestError('give both the cloud URL and its token, or neither');
      const outDir = req.outDir ?? freshBundleDir(join(opts.home, 'bundles', `search-${run.id}-${configuration}-${new Date().toISOString().replace(/[^0-9]/g, '').slice(0, 14)}`));
      const built = await buildBundle({
        tree, base: source.base, model, dataset, catalog: source.catalog, weightsOf: source.weightsOf,
        weightsDtype: req.weightsDtype ?? 'float16',
        cloud: req.cloudUrl !== undefined ? { url: req.cloudUrl, token: req.cloudToken as string, modelKey: `${model}/${dataset}` } : null,
        ...(opts.runtimeFiles ? { runtime: await opts.runtimeFiles() } : {}),
        searchRunId: run.id,
        ...(guards !== undefined && { offloadGuards: guards }),
      }, outDir);
      const m = built.manifest;
      return {
        dir: built.dir, model, dataset, searchRunId: run.id, traceId: chosen.traceId, files: m.files.length + 1, bytes: built.bytes,
        nodes: m.nodes.length, deviceNodes: m.nodes.filter((n) => n.placement === 'device').length, branches: m.branches.length,
        reward: m.reward, weightsDtype: m.weightsDtype, weightsSource: source.weightsSource, configuration, description: plan.description,
        warnings: [...source.warnings, ...guardNotes, ...(m.runtime.nodeEntry === null && m.runtime.browserEntry === null ? ['the bundle carries no runtime (runtime/ hosts not provided to the packager)'] : [])],
      };
    },
  };
}

/**
 * The bundle's runtime composes blocks with TF.js: a tree searched with the estimates of
 * another runtime (a profile calibrated on ONNX Runtime) would not hold on the device. A
 * search whose profile is gone is packaged as it is (its tree does not need it).
 */
function refuseOtherRuntime(runId: string, profileId: string | undefined, loadProfile: (id: string) => DeviceProfile): void {
  if (profileId === undefined) return;
  let profile: DeviceProfile;
  try {
    profile = loadProfile(profileId);
  } catch {
    return;
  }
  const runtime = runtimeOf(profile);
  if (runtime !== BUNDLE_RUNTIME) {
    throw new PackageRequestError(`search run ${runId} used device profile ${profileId}, calibrated on ${runtime}; the bundle runs its blocks on ${BUNDLE_RUNTIME}, so its estimates would not hold there: search again with a ${BUNDLE_RUNTIME} profile of the device`);
  }
}

