/**
 * Search jobs: startSearch checks the request against the store (profiles, traces),
 * stores a run of kind 'search' and answers at once; the run goes on in this process:
 * the base model, its variants and the accuracy oracle from the accuracy side, the
 * model cut into N balanced blocks, then per trace its K bandwidth types (quantiles) and
 * the chosen method (search/search-methods.ts). The curve so far is written to the run
 * as it grows (a reloaded screen or another process sees it); each finished trace's
 * result is kept. The loop yields to the event loop after every episode, so the server
 * stays responsive and a cancel is seen within one episode.
 */
import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../api/calibration-api.ts';
import { DEFAULT_SEARCH_BLOCKS, DEFAULT_SEARCH_CONTEXTS, DEFAULT_SEARCH_EPISODES, DEFAULT_VAL_IMAGES } from '../api/search-api.ts';
import type { SearchBranchRow, SearchParams, SearchStatus, SearchTraceResult, StartSearchRequest } from '../api/search-api.ts';
import { SWEEP_DEFAULTS } from '../api/accuracy-api.ts';
import { TECHNIQUE_IDS } from '../dnn/compress/technique.ts';
import type { TechniqueId } from '../dnn/compress/technique.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { balancedBlocks } from '../dnn/spec/blocks.ts';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { requireTrainingBackend } from '../engine/training-backend.ts';
import { getProfile } from '../profiles/profile-repository.ts';
import { createRun, getRun, listRuns, updateRun } from '../profiles/run-repository.ts';
import type { StoredRun } from '../profiles/run-repository.ts';
import { getTrace, getTraceSummary } from '../profiles/trace-repository.ts';
import { EvaluationPool } from '../search/evaluation-pool.ts';
import type { CompositionEvaluation } from '../search/evaluation-pool.ts';
import type { SearchProblem } from '../search/problem.ts';
import { PAPER_REWARD, reward } from '../search/reward.ts';
import { runSearchMethod } from '../search/search-methods.ts';
import type { MethodOutcome } from '../search/search-methods.ts';
import type { EpisodeRecord } from '../search/tree-search.ts';
import { contextLevels } from '../traces/contexts.ts';
import type { BandwidthTrace, TraceFormat } from '../traces/trace.ts';
import { currentOwner, ownerAlive } from './job-owner.ts';
import type { JobOwner } from './job-owner.ts';
import type { LiveJob } from './job-registry.ts';
import { JobRegistry } from './job-registry.ts';
import { SerialQueue } from './serial-queue.ts';
import type { ProfilesService } from './profiles-service.ts';
import { SearchRequestError } from './search-request-error.ts';
import { estimableVariants } from '../search/estimable-variants.ts';
import type { SearchInputsProvider } from './search-inputs-provider.ts';

export const SEARCH_RUN_KIND = 'search';

/** How often the live curve is written to the store at most, ms. */
const LIVE_WRITE_MS = 250;

interface SearchRunResult extends Partial<JobOwner> {
  traces?: SearchTraceResult[];
  live?: SearchStatus['live'];
  baseAccuracy?: number;
  evaluations?: number;
  cacheHits?: number;
  wallMs?: number;
  excludedVariants?: string[];
  notes?: string[];
  /** The base weights searched (accuracy/trained-models.ts weightsId) and each variant's store key, so packaging takes exactly these. */
  weightsId?: string;
  variantKeys?: Record<string, string>;
  error?: string;
}

export interface SearchService {
  startSearch(req: StartSearchRequest): Promise<SearchStatus>;
  searchStatus(runId: string): SearchStatus;
  listSearches(): SearchStatus[];
}

/** A stored trace as the trace domain's type. */
export function loadTrace(db: Database, id: string): BandwidthTrace {
  const t = getTrace(db, id);
  return { name: t.name, format: t.format as TraceFormat, tS: t.tS, mbps: t.mbps, ...(t.endS !== undefined && { endS: t.endS }) };
}

/** A run's distillation budget and who trained its variants; runs stored before these were parameters used the defaults. */
export function distillationOf(p: Partial<Pick<SearchParams, 'distillImages' | 'distillEpochs' | 'variants'>>): Pick<SearchParams, 'distillImages' | 'distillEpochs' | 'variants'> {
  return { distillImages: p.distillImages ?? SWEEP_DEFAULTS.distillImages, distillEpochs: p.distillEpochs ?? SWEEP_DEFAULTS.distillEpochs, variants: p.variants ?? 'studio' };
}

/** Episodes a method runs per trace (the unit of a search run's progress). */
export function episodesPerTrace(p: Pick<SearchParams, 'method' | 'episodes' | 'contexts'>): number {
  if (p.method === 'tree' || p.method === 'random' || p.method === 'egreedy') return (p.contexts + 1) * p.episodes;
  return p.method === 'branch' ? p.episodes : 1;
}

export function createSearchService(db: Database, profiles: ProfilesService, inputs: SearchInputsProvider, jobs = new JobRegistry(), queue = new SerialQueue()): SearchService {
  function settle(run: StoredRun): StoredRun {
    if ((run.status === 'running' || run.status === 'queued') && !jobs.get(run.id) && !ownerAlive(run.result)) {
      return updateRun(db, run.id, 'failed', { ...((run.result ?? {}) as SearchRunResult), live: null, error: `search run ${run.id} was interrupted (the studio process that ran it stopped); start it again` });
    }
    return run;
  }

  function status(runId: string): SearchStatus {
    const run = settle(getRun(db, runId));
    if (run.kind !== SEARCH_RUN_KIND) throw new SearchRequestError(`run ${runId} is a ${run.kind} run, not a search`);
    const params = { ...(run.params as SearchParams), ...distillationOf(run.params as SearchParams) };
    const r = (run.result ?? {}) as SearchRunResult;
    const live = jobs.get(run.id);
    const traces = r.traces ?? [];
    const per = episodesPerTrace(params);
    const st = run.status as JobStatus;
    const last = traces[traces.length - 1];
    return {
      runId: run.id, kind: 'search', deviceId: params.deviceId, status: st,
      done: st === 'done' ? per * params.traceIds.length : traces.length * per + (r.live?.curve.length ?? 0), total: per * params.traceIds.length,
      current: live?.current ?? null,
      message: live?.message ?? (st === 'done' && last !== undefined
        ? `${params.method} on ${params.model}/${params.dataset}: ${traces.length} trace(s), last reward ${last.reward.toFixed(1)}; ${r.evaluations ?? 0} evaluations, ${r.cacheHits ?? 0} hits, ${((r.wallMs ?? 0) / 1000).toFixed(1)} s`
        : r.error ?? st),
      error: st === 'failed' ? { name: 'SearchError', message: r.error ?? 'failed' } : null,
      createdAt: run.createdAt, updatedAt: run.updatedAt,
      params, traces, live: r.live ?? null, baseAccuracy: r.baseAccuracy ?? null,
      evaluations: r.evaluations ?? 0, cacheHits: r.cacheHits ?? 0, wallMs: r.wallMs ?? 0, excludedVariants: r.excludedVariants ?? [], notes: r.notes ?? [],
    };
  }

  async function run(runId: string, params: SearchParams, job: LiveJob): Promise<void> {
    const owner = currentOwner();
    const started = performance.now();
    const result: SearchRunResult = { ...owner, traces: [], live: null };
    const write = (st: 'running' | 'done'): void => {
      result.wallMs = performance.now() - started;
      updateRun(db, runId, st, result);
    };
    try {
      updateRun(db, runId, 'running', result);
      const device = profiles.loadProfile(params.profileId);
      const cloud = profiles.loadProfile(params.cloudProfileId);
      const traces = params.traceIds.map((id) => loadTrace(db, id));
      job.message = 'starting TF.js';
      await initTfjsBackend();
      await requireTrainingBackend();
      job.message = `loading ${params.model}/${params.dataset}, its variants and their accuracy`;
      const si = await inputs(db, params.model, params.dataset, {
        valImages: params.valImages, techniques: params.techniques, distillImages: params.distillImages, distillEpochs: params.distillEpochs, variants: params.variants,
        onProgress: (p) => { job.message = `${p.phase}: ${p.done} of ${p.total}${p.detail === undefined ? '' : ` (${p.detail})`}`; },
      });
      result.baseAccuracy = si.baseAccuracy;
      result.weightsId = si.weightsId;
      result.variantKeys = si.variantKeys;
      const estimable = estimableVariants(si.catalog, device);
      result.notes = estimable.excluded.length === 0 ? [] : [`${estimable.excluded.length} variant(s) not searched, the device profile cannot estimate them: ${estimable.excluded.map((x) => `${x.id} (${x.reason})`).join('; ')}`];
      const problem: SearchProblem = { base: si.base, catalog: estimable.usable, device, cloud, accuracy: si.accuracy, reward: PAPER_REWARD };
      const analysis = analyzeModel(si.base);
      if (params.blocks > analysis.layers.length) throw new SearchRequestError(`blocks ${params.blocks}: ${params.model} has only ${analysis.layers.length} layers`);
      const pool = new EvaluationPool(problem, balancedBlocks(analysis, params.blocks));
      const technique = new Map(si.catalog.map((v) => [v.id, v.technique]));
      for (let i = 0; i < traces.length; i++) {
        const trace = traces[i];
        const traceId = params.traceIds[i];
        const t0 = performance.now();
        const curve: EpisodeRecord[] = [];
        let lastWrite = 0;
        job.message = `${params.method} on trace ${trace.name} (${i + 1} of ${traces.length})`;
        const outcome = await runSearchMethod(pool, {
          method: params.method, levelsMbps: contextLevels(trace, params.contexts), medianMbps: contextLevels(trace, 1)[0],
          episodes: params.episodes, seed: params.seed,
          onEpisode: async (record, stage) => {
            curve.push(record);
            job.current = `${trace.name}: ${stage} episode ${curve.length}`;
            if (performance.now() - lastWrite > LIVE_WRITE_MS) {
              lastWrite = performance.now();
              result.live = { traceId, stage, curve };
              result.evaluations = record.evaluations;
              result.cacheHits = record.cacheHits;
              write('running');
            }
            await new Promise<void>((resolve) => setImmediate(resolve));
            if (job.controller.signal.aborted) throw new SearchRequestError(`search run ${runId} was cancelled on trace ${trace.name} after ${curve.length} episodes`);
          },
        });
        result.traces?.push(await traceResult(pool, outcome, traceId, trace.name, technique, performance.now() - t0));
        result.live = null;
        const stats = pool.stats();
        result.evaluations = stats.evaluations;
        result.cacheHits = stats.cacheHits;
        result.excludedVariants = outcome.tree === null ? [] : excludedOf(pool);
        write('running');
      }
      job.current = null;
      write('done');
    } catch (e) {
      const cancelled = job.controller.signal.aborted;
      result.live = null;
      result.error = `${params.model}/${params.dataset} ${params.method}: ${(e as Error).message}`;
      result.wallMs = performance.now() - started;
      updateRun(db, runId, cancelled ? 'cancelled' : 'failed', result);
    }
  }

  return {
    async startSearch(req) {
      const device = getProfile(db, req.profileId);
      getProfile(db, req.cloudProfileId);
      for (const id of req.traceIds) getTraceSummary(db, id);
      const params: SearchParams = {
        model: req.model, dataset: req.dataset, profileId: req.profileId, cloudProfileId: req.cloudProfileId, traceIds: [...req.traceIds], method: req.method,
        blocks: req.blocks ?? DEFAULT_SEARCH_BLOCKS, contexts: req.contexts ?? DEFAULT_SEARCH_CONTEXTS, episodes: req.episodes ?? DEFAULT_SEARCH_EPISODES,
        seed: req.seed ?? 1, valImages: req.valImages ?? DEFAULT_VAL_IMAGES, techniques: [...(req.techniques ?? TECHNIQUE_IDS)], deviceId: device.deviceId,
        distillImages: req.distillImages ?? SWEEP_DEFAULTS.distillImages, distillEpochs: req.distillEpochs ?? SWEEP_DEFAULTS.distillEpochs, variants: req.variants ?? 'studio',
      };
      const runId = createRun(db, SEARCH_RUN_KIND, params).id;
      updateRun(db, runId, 'queued', currentOwner());
      const live: LiveJob = { controller: new AbortController(), current: null, message: 'queued', done: Promise.resolve() };
      // Queued behind the searches and emulations before it; a job cancelled while queued never starts.
      live.done = queue.run(() => (live.controller.signal.aborted ? cancelledBeforeStart(db, runId) : run(runId, params, live)));
      jobs.add(runId, live);
      return status(runId);
    },
    searchStatus: status,
    listSearches() {
      return listRuns(db).filter((r) => r.kind === SEARCH_RUN_KIND).map((r) => status(r.id)).reverse();
    },
  };
}

/** A job cancelled while it waited in the queue. */
export async function cancelledBeforeStart(db: Database, runId: string): Promise<void> {
  updateRun(db, runId, 'cancelled', { error: `run ${runId} was cancelled before it started` });
}

function excludedOf(pool: EvaluationPool): string[] {
  const inBlock = (first: number, last: number): boolean => pool.blocks.some((b) => first >= b.start && last < b.end);
  return [...pool.catalog.values()].filter((v) => !inBlock(v.firstLayer, v.lastLayer)).map((v) => v.id).sort();
}

function row(e: CompositionEvaluation, levels: number[], layerCount: number, technique: ReadonlyMap<string, TechniqueId>): SearchBranchRow {
  return {
    levels, cut: e.composition.cut, layerCount,
    variants: e.composition.variantIds.map((id) => ({ id, technique: technique.get(id) as TechniqueId })),
    bandwidthMbps: e.bandwidthMbps, edgeMs: e.latency.edgeMs, transferMs: e.latency.transferMs, cloudMs: e.latency.cloudMs,
    latencyMs: e.latency.totalMs, accuracy: e.accuracy, reward: e.reward,
  };
}

/** A method's outcome on one trace as the API shows it: every complete model with its latency, accuracy and reward. */
async function traceResult(pool: EvaluationPool, o: MethodOutcome, traceId: string, traceName: string, technique: ReadonlyMap<string, TechniqueId>, wallMs: number): Promise<SearchTraceResult> {
  const L = pool.layerCount;
  let branches: SearchBranchRow[] = [];
  let value: number;
  if (o.fixed !== null) {
    const e = await pool.evaluate(o.fixed, o.medianMbps);
    branches = [row(e, [], L, technique)];
    value = e.reward;
  } else if (o.tree !== null) {
    branches = o.tree.branches.map((b) => row({ key: b.key, composition: b.composition, bandwidthMbps: b.bandwidthMbps, accuracy: b.accuracy, latency: b.latency, reward: b.reward }, b.levels, L, technique));
    value = o.tree.reward;
  } else {
    // The base model's accuracy as the pool measures it (the validation images the search uses).
    const accuracy = await pool.accuracy({ cut: L, variantIds: [] });
    const levels = o.surgery.slice(0, o.levelsMbps.length);
    value = levels.reduce((s, d) => s + reward(accuracy, d.totalMs, pool.problem.reward), 0) / levels.length;
  }
  return {
    traceId, traceName, levelsMbps: o.levelsMbps, medianMbps: o.medianMbps, tree: o.tree, fixed: o.fixed, surgery: o.surgery,
    branches, reward: value, curve: o.curve, branchCurves: o.branchCurves, typeBranches: o.typeBranches, wallMs,
  };
}
