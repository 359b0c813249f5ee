/**
 * Compression sweeps: every technique (of those asked) on every layer it fits (of
 * those asked), each block distilled once (or read back from the store), then the
 * accuracy of base + that block on the first validation images through the memory
 * pool. Stored as a run of kind 'compression-sweep'; each finished row is written as
 * it comes, so a reloaded screen sees the sweep grow. It runs in the queue searches
 * use: they distil and evaluate the same model on the same CPU.
 */
import type { Database } from 'better-sqlite3';
import { COMPRESSION_SWEEP_KIND, SWEEP_DEFAULTS } from '../api/accuracy-api.ts';
import type { CompressionSweepParams, CompressionSweepStatus, ModelAccuracy, ModelAccuracyRequest, StartCompressionSweepRequest, SweepRow } from '../api/accuracy-api.ts';
import type { JobStatus } from '../api/calibration-api.ts';
import { TECHNIQUE_IDS } from '../dnn/compress/technique.ts';
import type { ImageDataset } from '../dnn/data/image-dataset.ts';
import { pooledAccuracy } from '../accuracy/accuracy-pool.ts';
import { loadBaseModel } from '../accuracy/trained-models.ts';
import { prepareVariants, variantCandidates } from '../accuracy/variant-catalog.ts';
import { loadDataset } from '../datasets/load-dataset.ts';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { requireTrainingBackend } from '../engine/training-backend.ts';
import { createRun, getRun, listRuns, updateRun } from '../profiles/run-repository.ts';
import type { StoredRun } from '../profiles/run-repository.ts';
import { currentOwner, ownerAlive } from './job-owner.ts';
import type { JobOwner } from './job-owner.ts';
import { JobRegistry } from './job-registry.ts';
import type { LiveJob } from './job-registry.ts';
import { modelAccuracy } from './model-accuracy.ts';
import { SerialQueue } from './serial-queue.ts';

export class SweepRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepRequestError';
  }
}

interface SweepRunResult extends Partial<JobOwner> {
  total?: number;
  baseAccuracy?: number;
  rows?: SweepRow[];
  error?: string;
}

export interface CompressionSweepService {
  modelAccuracy(req: ModelAccuracyRequest): ModelAccuracy;
  startCompressionSweep(req: StartCompressionSweepRequest): Promise<CompressionSweepStatus>;
  compressionSweepStatus(runId: string): CompressionSweepStatus;
  /** Stops a running or queued sweep; resolves once it has stopped. */
  cancel(runId: string): Promise<CompressionSweepStatus>;
}

export function createCompressionSweepService(db: Database, jobs = new JobRegistry(), queue = new SerialQueue()): CompressionSweepService {
  function settle(run: StoredRun): StoredRun {
    if ((run.status === 'running' || run.status === 'queued') && !jobs.get(run.id) && !ownerAlive(run.result)) {
      return updateRun(db, run.id, 'failed', { ...((run.result ?? {}) as SweepRunResult), error: `compression sweep ${run.id} was interrupted (the studio process that ran it stopped); start it again: finished blocks are stored` });
    }
    return run;
  }

  function status(runId: string): CompressionSweepStatus {
    const run = settle(getRun(db, runId));
    if (run.kind !== COMPRESSION_SWEEP_KIND) throw new SweepRequestError(`run ${runId} is a ${run.kind} run, not a compression sweep`);
    const params = run.params as CompressionSweepParams;
    const r = (run.result ?? {}) as SweepRunResult;
    const rows = r.rows ?? [];
    const live = jobs.get(run.id);
    const st = run.status as JobStatus;
    const total = r.total ?? 0;
    return {
      runId: run.id, kind: COMPRESSION_SWEEP_KIND, deviceId: 'local', status: st, done: rows.length, total,
      current: live?.current ?? null,
      message: live?.message ?? (st === 'done' ? `${rows.length} block(s) of ${params.model}/${params.dataset} on ${params.valImages} validation images` : r.error ?? st),
      error: st === 'failed' ? { name: 'SweepError', message: r.error ?? 'failed' } : null,
      createdAt: run.createdAt, updatedAt: run.updatedAt, params, baseAccuracy: r.baseAccuracy ?? null, rows,
    };
  }

  async function run(runId: string, p: CompressionSweepParams, job: LiveJob): Promise<void> {
    const result: SweepRunResult = { ...currentOwner(), rows: [] };
    const rows = result.rows as SweepRow[];
    try {
      updateRun(db, runId, 'running', result);
      job.message = 'starting TF.js';
      await initTfjsBackend();
      await requireTrainingBackend();
      const base = loadBaseModel(p.model, p.dataset);
      const list = variantCandidates(base, { techniques: p.techniques, layers: p.layers ?? undefined });
      if (list.length === 0) throw new SweepRequestError(`none of ${p.techniques.join(', ')} fits ${p.layers === null ? 'any layer' : `layer(s) ${p.layers.join(', ')}`} of ${p.model}`);
      result.total = list.length;
      job.message = `loading ${p.valImages} validation images`;
      const val = await loadDataset(p.dataset, 'val', { limit: p.valImages });
      let train: ImageDataset | undefined;
      const loadTrain = async (): Promise<ImageDataset> => (train ??= await loadDataset(p.dataset, 'train', { limit: p.distillImages }));
      job.message = 'base model accuracy';
      const baseAccuracy = pooledAccuracy(db, base, [], val).accuracy;
      result.baseAccuracy = baseAccuracy;
      updateRun(db, runId, 'running', result);
      for (const c of list) {
        const layerId = base.spec.layers[c.layerIndex].id;
        job.current = `${c.technique}@${layerId}`;
        job.message = `${c.technique} on ${layerId}: distilling (or reading the stored block), then its accuracy`;
        // Yield first: the status poll and a cancel are served between blocks.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (job.controller.signal.aborted) throw new SweepRequestError(`compression sweep ${runId} was cancelled after ${rows.length} of ${list.length} blocks`);
        const [v] = await prepareVariants(db, base, { techniques: [c.technique], layers: [c.layerIndex], images: p.distillImages, epochs: p.distillEpochs, train: loadTrain });
        const a = pooledAccuracy(db, base, [v], val);
        rows.push({
          variantId: v.info.id, technique: c.technique, layerIndex: c.layerIndex, layerId, description: v.record.description,
          maccBefore: v.record.maccBefore, maccAfter: v.record.maccAfter, maccSaved: v.record.maccBefore - v.record.maccAfter,
          accuracy: a.accuracy, accuracyLost: baseAccuracy - a.accuracy, cached: v.cached && a.cached,
        });
        updateRun(db, runId, 'running', result);
      }
      job.current = null;
      job.message = `${rows.length} blocks done`;
      updateRun(db, runId, 'done', result);
    } catch (e) {
      result.error = `${p.model}/${p.dataset} compression sweep: ${(e as Error).message}`;
      updateRun(db, runId, job.controller.signal.aborted ? 'cancelled' : 'failed', result);
    }
  }

  function latestSweep(model: string, dataset: string): CompressionSweepStatus | null {
    const runs = listRuns(db).filter((r) => r.kind === COMPRESSION_SWEEP_KIND && (r.params as CompressionSweepParams).model === model && (r.params as CompressionSweepParams).dataset === dataset);
    const last = runs[runs.length - 1];
    return last === undefined ? null : status(last.id);
  }

  return {
    modelAccuracy: (req) => modelAccuracy(db, req, latestSweep(req.model, req.dataset)),
    async startCompressionSweep(req) {
      // Refused at once, by name, when there is nothing to sweep.
      loadBaseModel(req.model, req.dataset);
      const params: CompressionSweepParams = {
        model: req.model, dataset: req.dataset, techniques: [...(req.techniques ?? TECHNIQUE_IDS)], layers: req.layers === undefined ? null : [...req.layers].sort((a, b) => a - b),
        valImages: req.valImages ?? SWEEP_DEFAULTS.valImages, distillImages: req.distillImages ?? SWEEP_DEFAULTS.distillImages, distillEpochs: req.distillEpochs ?? SWEEP_DEFAULTS.distillEpochs,
      };
      const runId = createRun(db, COMPRESSION_SWEEP_KIND, params).id;
      updateRun(db, runId, 'queued', currentOwner());
      const live: LiveJob = { controller: new AbortController(), current: null, message: 'queued behind other accuracy work', done: Promise.resolve() };
      live.done = queue.run(async () => {
        if (live.controller.signal.aborted) {
          updateRun(db, runId, 'cancelled', { error: `compression sweep ${runId} was cancelled before it started` });
          return;
        }
        await run(runId, params, live);
      });
      jobs.add(runId, live);
      return status(runId);
    },
    compressionSweepStatus: status,
    async cancel(runId) {
      status(runId);
      const live = jobs.get(runId);
      live?.controller.abort();
      if (live) await live.done;
      return status(runId);
    },
  };
}
