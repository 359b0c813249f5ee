/**
 * Field-test jobs (issue 6 item 5, the Field test screen): from a packaged tree bundle, package
 * the branch and surgery configurations of the same search run (package-service.ts, into
 * <home>/field-tests/<run>/), then run all of them in turn over a link shaped by the trace on
 * this computer (field-test/run-field-test.ts). Each finished configuration is written to the
 * run at once, so a failure later keeps what was measured. Needs root (network namespaces).
 */
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../api/calibration-api.ts';
import { FIELD_METHODS } from '../api/field-test-api.ts';
import type { FieldMethodName, FieldMethodReport, FieldTestParams, FieldTestStatus, StartFieldTestRequest } from '../api/field-test-api.ts';
import { openBundle } from '../bundle/open-bundle.ts';
import { loadBaseWeights } from '../cloud/base-weights.ts';
import { isBuiltinModelName } from '../dnn/models/builtin.ts';
import { isDatasetName } from '../dnn/models/datasets.ts';
import { testImages } from '../device-run/test-images.ts';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { runFieldTest } from '../field-test/run-field-test.ts';
import { parseLocalDeviceId } from '../native-bridge/local-transport.ts';
import type { FieldConfiguration } from '../field-test/run-field-test.ts';
import type { RuntimeLine } from '../runtime/core/runtime-line.ts';
import { createRun, getRun, listRuns, updateRun } from '../profiles/run-repository.ts';
import { getTrace } from '../profiles/trace-repository.ts';
import { currentOwner, ownerAlive } from './job-owner.ts';
import type { JobOwner } from './job-owner.ts';
import { JobRegistry } from './job-registry.ts';
import type { LiveJob } from './job-registry.ts';
import type { PackageService } from './package-service.ts';

export const FIELD_TEST_RUN_KIND = 'field-test';

export class FieldTestRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldTestRequestError';
  }
}

interface FieldTestRunResult extends Partial<JobOwner> {
  model?: string;
  dataset?: string;
  searchRunId?: string | null;
  traceName?: string;
  methods: FieldMethodReport[];
  /** Inferences of the configuration running now. */
  live?: { method: FieldMethodName; inferences: number } | null;
  limits: string[];
  notes: string[];
  error?: { name: string; message: string };
}

/** In-process listeners (the CLI prints lines as they come); not part of the API. */
export interface FieldTestHooks {
  onLine?: (method: FieldMethodName, line: RuntimeLine) => void;
  onMethod?: (report: FieldMethodReport) => void;
}

export interface FieldTestService {
  startFieldTest(req: StartFieldTestRequest, hooks?: FieldTestHooks): Promise<FieldTestStatus>;
  fieldTestStatus(runId: string): FieldTestStatus;
  listFieldTests(): FieldTestStatus[];
  /** Resolves when the run's job has settled. */
  wait(runId: string): Promise<FieldTestStatus>;
  cancel(runId: string): Promise<FieldTestStatus>;
}

/** The trace's median sample interval, at least 100 ms: how often the link is re-rated. */
export function traceStepMs(tS: readonly number[]): number {
  const steps = tS.slice(1).map((t, i) => t - tS[i]).filter((d) => d > 0).sort((a, b) => a - b);
  return Math.max(100, Math.round((steps[Math.floor(steps.length / 2)] ?? 1) * 1000));
}

function searchedTraceIds(db: Database, runId: string): string[] {
  try {
    return ((getRun(db, runId).params as { traceIds?: string[] }).traceIds ?? []);
  } catch {
    return [];
  }
}

export function createFieldTestService(db: Database, packaging: PackageService, home: string, jobs = new JobRegistry()): FieldTestService {
  function status(runId: string): FieldTestStatus {
    let run = getRun(db, runId);
    if (run.kind !== FIELD_TEST_RUN_KIND) throw new FieldTestRequestError(`run ${runId} is a ${run.kind} run, not a field test`);
    if ((run.status === 'running' || run.status === 'queued') && !jobs.get(runId) && !ownerAlive(run.result)) {
      run = updateRun(db, runId, 'failed', { ...(run.result as FieldTestRunResult), live: null, error: { name: 'FieldTestError', message: `field test ${runId} was interrupted (the studio process that ran it stopped); the configurations finished before are kept` } });
    }
    const p = run.params as FieldTestParams;
    const r = (run.result ?? { methods: [], limits: [], notes: [] }) as FieldTestRunResult;
    const st = run.status as JobStatus;
    const done = r.methods.reduce((s, m) => s + m.inferences.length, 0) + (r.live?.inferences ?? 0);
    const summary = r.methods.map((m) => `${m.method} ${m.meanMeasuredMs.toFixed(0)} ms`).join(', ');
    return {
      runId: run.id, kind: 'field-test', deviceId: p.deviceId, status: st, done, total: p.inferences * p.methods.length,
      current: r.live ? `${r.live.method}: inference ${r.live.inferences + 1} of ${p.inferences}` : null,
      message: r.error?.message ?? (st === 'done' ? `field test over ${r.traceName ?? p.traceId}: ${summary}` : r.live ? `running ${r.live.method}` : st),
      error: r.error ?? null, createdAt: run.createdAt, updatedAt: run.updatedAt,
      params: p, model: r.model ?? null, dataset: r.dataset ?? null, searchRunId: r.searchRunId ?? null, traceName: r.traceName ?? null,
      methods: r.methods, limits: r.limits, notes: r.notes,
    };
  }

  async function run(runId: string, p: FieldTestParams, job: LiveJob, hooks: FieldTestHooks): Promise<void> {
    const result: FieldTestRunResult = { ...currentOwner(), methods: [], limits: [], notes: [], live: null };
    const write = (st: 'running' | 'done' | 'failed' | 'cancelled'): void => { updateRun(db, runId, st, result); };
    write('running');
    try {
      const m = (await openBundle(p.bundleDir)).manifest;
      result.model = m.model;
      result.dataset = m.dataset;
      result.searchRunId = m.searchRunId;
      const trace = getTrace(db, p.traceId);
      result.traceName = trace.name;
      if (!isBuiltinModelName(m.model) || !isDatasetName(m.dataset)) throw new FieldTestRequestError(`the cloud side serves built-in models only, the bundle is ${m.model}/${m.dataset}`);
      if (m.cloud === null) throw new FieldTestRequestError(`${p.bundleDir}: the bundle was packaged without a cloud (package it with a cloud URL and token)`);
      const configurations: FieldConfiguration[] = [];
      // The branch and surgery of the search on this trace where the run searched it (else its first trace's, said in notes).
      const searched = new Set(m.searchRunId === null ? [] : searchedTraceIds(db, m.searchRunId));
      if (m.searchRunId !== null && !searched.has(p.traceId) && p.methods.some((x) => x !== 'tree')) result.notes.push(`search run ${m.searchRunId} did not search trace ${p.traceId}: the branch and surgery come from its first trace`);
      for (const method of p.methods) {
        if (method === 'tree') {
          configurations.push({ method, bundleDir: p.bundleDir, description: 'the deployed tree bundle' });
          continue;
        }
        if (m.searchRunId === null) {
          result.notes.push(`${method} not run: the bundle names no search run to take it from`);
          continue;
        }
        job.message = `packaging the ${method} configuration of search run ${m.searchRunId}`;
        try {
          const r = await packaging.packageBundle({ searchRunId: m.searchRunId, configuration: method, ...(searched.has(p.traceId) && { traceId: p.traceId }), outDir: join(home, 'field-tests', runId, method), cloudUrl: m.cloud.url, cloudToken: m.cloud.token, weightsDtype: m.weightsDtype });
          configurations.push({ method, bundleDir: r.dir, description: r.description });
        } catch (e) {
          result.notes.push(`${method} not run: ${(e as Error).message}`);
        }
      }
      write('running');
      await initTfjsBackend();
      const images = await testImages(m, p.inferences);
      const base = loadBaseWeights(m.model, m.dataset);
      if (base.warning) result.notes.push(base.warning);
      const r = await runFieldTest({
        configurations, images: images.bytes, labels: images.labels, inferences: p.inferences, stepMs: p.stepMs ?? traceStepMs(trace.tS), deviceCpus: p.cpus, ...(parseLocalDeviceId(p.deviceId)?.js === true && { deviceBackend: 'cpu' as const }),
        // tbf needs a rate > 0: a trace's outage becomes 0.01 Mbit/s.
        traceMbps: trace.mbps.map((x) => Math.max(0.01, x)),
        cloudModel: { spec: base.spec, weights: base.weights }, signal: job.controller.signal,
        onLine: (method, l) => {
          if (l.type === 'inference') {
            result.live = { method, inferences: (result.live?.method === method ? result.live.inferences : 0) + 1 };
            job.current = `${method}: inference ${l.index + 1}`;
            write('running');
          }
          hooks.onLine?.(method, l);
        },
        onMethod: (report) => {
          result.methods.push(report);
          result.live = null;
          write('running');
          hooks.onMethod?.(report);
        },
      });
      result.limits = r.limits;
      result.notes.push(...r.notes);
      result.live = null;
      write('done');
    } catch (e) {
      const err = e as Error;
      result.error = { name: err.name, message: err.message };
      result.live = null;
      write(job.controller.signal.aborted ? 'cancelled' : 'failed');
    }
  }

  return {
    async startFieldTest(req, hooks = {}) {
      const local = parseLocalDeviceId(req.deviceId);
      if (local === null) throw new FieldTestRequestError(`device ${req.deviceId}: field tests run on this computer only, "local" or "local:CPUS" (the shaped link is a network namespace here)`);
      if (process.getuid?.() !== 0) throw new FieldTestRequestError('a field test needs root here (network namespaces and tc); start the studio as root');
      await openBundle(req.bundleDir);
      getTrace(db, req.traceId);
      const methods = req.methods === undefined || req.methods.length === 0 ? [...FIELD_METHODS] : FIELD_METHODS.filter((x) => req.methods?.includes(x));
      const params: FieldTestParams = { deviceId: req.deviceId, bundleDir: req.bundleDir, traceId: req.traceId, inferences: req.inferences ?? 20, stepMs: req.stepMs ?? null, cpus: req.cpus ?? local.cpus ?? (local.js === true ? null : 0.5), methods };
      const created = createRun(db, FIELD_TEST_RUN_KIND, params);
      const job: LiveJob = { controller: new AbortController(), current: null, message: 'starting', done: Promise.resolve() };
      job.done = run(created.id, params, job, hooks);
      jobs.add(created.id, job);
      return status(created.id);
    },
    fieldTestStatus: status,
    listFieldTests: () => listRuns(db).filter((r) => r.kind === FIELD_TEST_RUN_KIND).map((r) => status(r.id)).reverse(),
    async wait(runId) {
      await jobs.get(runId)?.done;
      return status(runId);
    },
    async cancel(runId) {
      const live = jobs.get(runId);
      live?.controller.abort();
      if (live) await live.done;
      return status(runId);
    },
  };
}
