/**
 * Emulation jobs (paper Alg. 2 over traces, Table IV): finished search runs on one model,
 * data set and pair of profiles are replayed over stored traces from evenly spaced
 * starts. On each trace a run contributes the outcome it searched for that trace, or
 * its first trace's when it did not search that one; surgery re-decides per inference.
 * The table is stored in the run's result.
 */
import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../api/calibration-api.ts';
import { DEFAULT_EMULATION_OFFSETS } from '../api/search-api.ts';
import type { EmulationMethodRow, EmulationParams, EmulationStatus, EmulationTable, SearchParams, SearchTraceResult, StartEmulationRequest } from '../api/search-api.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { balancedBlocks } from '../dnn/spec/blocks.ts';
import { createRun, getRun, listRuns, updateRun } from '../profiles/run-repository.ts';
import type { StoredRun } from '../profiles/run-repository.ts';
import { getTraceSummary } from '../profiles/trace-repository.ts';
import { emulate } from '../search/emulate.ts';
import type { EmulatedMethod } from '../search/emulate.ts';
import { EvaluationPool } from '../search/evaluation-pool.ts';
import { emulatedMethod } from '../search/method-emulation.ts';
import { PAPER_REWARD } from '../search/reward.ts';
import { currentOwner, ownerAlive } from './job-owner.ts';
import type { JobOwner } from './job-owner.ts';
import type { LiveJob } from './job-registry.ts';
import { JobRegistry } from './job-registry.ts';
import { SerialQueue } from './serial-queue.ts';
import type { ProfilesService } from './profiles-service.ts';
import type { SearchInputsProvider } from './search-inputs-provider.ts';
import { SearchRequestError } from './search-request-error.ts';
import { cancelledBeforeStart, distillationOf, loadTrace, SEARCH_RUN_KIND } from './search-service.ts';

export const EMULATION_RUN_KIND = 'emulation';

interface EmulationRunResult extends Partial<JobOwner> {
  methods?: EmulationMethodRow[];
  table?: EmulationTable;
  error?: string;
}

export interface EmulationService {
  startEmulation(req: StartEmulationRequest): Promise<EmulationStatus>;
  emulationStatus(runId: string): EmulationStatus;
  listEmulations(): EmulationStatus[];
}

/** Method names: the method alone when one run has it, else "method #run". */
export function methodRows(runs: readonly { id: string; method: SearchParams['method'] }[]): EmulationMethodRow[] {
  const count = new Map<string, number>();
  for (const r of runs) count.set(r.method, (count.get(r.method) ?? 0) + 1);
  return runs.map((r) => ({ name: (count.get(r.method) ?? 0) > 1 ? `${r.method} #${r.id}` : r.method, searchRunId: r.id, method: r.method }));
}

export function createEmulationService(db: Database, profiles: ProfilesService, inputs: SearchInputsProvider, jobs = new JobRegistry(), queue = new SerialQueue()): EmulationService {
  function settle(run: StoredRun): StoredRun {
    if ((run.status === 'running' || run.status === 'queued') && !jobs.get(run.id) && !ownerAlive(run.result)) {
      return updateRun(db, run.id, 'failed', { ...((run.result ?? {}) as EmulationRunResult), error: `emulation run ${run.id} was interrupted (the studio process that ran it stopped); start it again` });
    }
    return run;
  }

  function status(runId: string): EmulationStatus {
    const run = settle(getRun(db, runId));
    if (run.kind !== EMULATION_RUN_KIND) throw new SearchRequestError(`run ${runId} is a ${run.kind} run, not an emulation`);
    const params = run.params as EmulationParams & { deviceId: string };
    const r = (run.result ?? {}) as EmulationRunResult;
    const live = jobs.get(run.id);
    const st = run.status as JobStatus;
    const total = params.traceIds.length;
    return {
      runId: run.id, kind: 'emulation', deviceId: params.deviceId, status: st, done: r.table?.traces.length ?? 0, total,
      current: live?.current ?? null,
      message: live?.message ?? (st === 'done' && r.table ? `${r.table.overall.length} methods over ${total} trace(s), ${params.offsets} starts each` : r.error ?? st),
      error: st === 'failed' ? { name: 'EmulationError', message: r.error ?? 'failed' } : null,
      createdAt: run.createdAt, updatedAt: run.updatedAt,
      params: { searchRunIds: params.searchRunIds, traceIds: params.traceIds, offsets: params.offsets, model: params.model, dataset: params.dataset, profileId: params.profileId, cloudProfileId: params.cloudProfileId, valImages: params.valImages, techniques: params.techniques, ...distillationOf(params) },
      methods: r.methods ?? [], table: r.table ?? null,
    };
  }

  async function run(runId: string, params: EmulationParams, searches: readonly { id: string; params: SearchParams; traces: SearchTraceResult[] }[], job: LiveJob): Promise<void> {
    const owner = currentOwner();
    const methods = methodRows(searches.map((s) => ({ id: s.id, method: s.params.method })));
    try {
      updateRun(db, runId, 'running', { ...owner, methods });
      const device = profiles.loadProfile(params.profileId);
      const cloud = profiles.loadProfile(params.cloudProfileId);
      job.message = 'starting TF.js';
      await initTfjsBackend();
      job.message = `loading ${params.model}/${params.dataset} and its variants`;
      const si = await inputs(db, params.model, params.dataset, { valImages: params.valImages, techniques: params.techniques, distillImages: params.distillImages, distillEpochs: params.distillEpochs, variants: params.variants, onProgress: (p) => { job.message = `${p.phase}: ${p.done} of ${p.total}`; } });
      const analysis = analyzeModel(si.base);
      const pool = new EvaluationPool({ base: si.base, catalog: si.catalog, device, cloud, accuracy: si.accuracy, reward: PAPER_REWARD }, balancedBlocks(analysis, searches[0].params.blocks));
      const cases = params.traceIds.map((traceId) => ({
        trace: loadTrace(db, traceId),
        methods: searches.map((s, i): EmulatedMethod => {
          const t = s.traces.find((x) => x.traceId === traceId) ?? s.traces[0];
          return emulatedMethod(methods[i].name, { ...t, typeBranches: t.typeBranches ?? [], method: s.params.method, evaluations: 0, cacheHits: 0 });
        }),
      }));
      job.message = `replaying ${methods.length} methods over ${cases.length} trace(s), ${params.offsets} starts each`;
      const table = await emulate(pool, cases, params.offsets);
      updateRun(db, runId, 'done', { methods, table });
    } catch (e) {
      const cancelled = job.controller.signal.aborted;
      updateRun(db, runId, cancelled ? 'cancelled' : 'failed', { methods, error: `emulation: ${(e as Error).message}` });
    }
  }

  return {
    async startEmulation(req) {
      const searches = req.searchRunIds.map((id) => {
        const r = getRun(db, id);
        if (r.kind !== SEARCH_RUN_KIND) throw new SearchRequestError(`run ${id} is a ${r.kind} run, not a search`);
        if (r.status !== 'done') throw new SearchRequestError(`search run ${id} is ${r.status}; only finished searches can be emulated`);
        return { id, params: { ...(r.params as SearchParams), ...distillationOf(r.params as SearchParams) }, traces: ((r.result ?? {}) as { traces?: SearchTraceResult[] }).traces ?? [] };
      });
      const first = searches[0].params;
      for (const s of searches) {
        for (const key of ['model', 'dataset', 'profileId', 'cloudProfileId', 'valImages', 'techniques', 'distillImages', 'distillEpochs', 'variants'] as const) {
          if (JSON.stringify(s.params[key]) !== JSON.stringify(first[key])) throw new SearchRequestError(`search run ${s.id} has ${key} ${String(s.params[key])}, run ${searches[0].id} ${String(first[key])}: an emulation compares searches of one model, data set, pair of profiles, validation size and distillation`);
        }
        if (s.traces.length === 0) throw new SearchRequestError(`search run ${s.id} holds no result`);
      }
      for (const id of req.traceIds) getTraceSummary(db, id);
      const params: EmulationParams & { deviceId: string } = {
        searchRunIds: [...req.searchRunIds], traceIds: [...req.traceIds], offsets: req.offsets ?? DEFAULT_EMULATION_OFFSETS,
        model: first.model, dataset: first.dataset, profileId: first.profileId, cloudProfileId: first.cloudProfileId, valImages: first.valImages, techniques: first.techniques, distillImages: first.distillImages, distillEpochs: first.distillEpochs, variants: first.variants, deviceId: first.deviceId,
      };
      const runId = createRun(db, EMULATION_RUN_KIND, params).id;
      updateRun(db, runId, 'queued', currentOwner());
      const live: LiveJob = { controller: new AbortController(), current: null, message: 'queued', done: Promise.resolve() };
      // Queued behind the searches and emulations before it; a job cancelled while queued never starts.
      live.done = queue.run(() => (live.controller.signal.aborted ? cancelledBeforeStart(db, runId) : run(runId, params, searches, live)));
      jobs.add(runId, live);
      return status(runId);
    },
    emulationStatus: status,
    listEmulations() {
      return listRuns(db).filter((r) => r.kind === EMULATION_RUN_KIND).map((r) => status(r.id)).reverse();
    },
  };
}
