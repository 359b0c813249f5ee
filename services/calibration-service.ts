/**
 * Calibration jobs: startCalibration stores a run and answers at once; the run goes on in
 * the background (calibrateDevice over the device's transport, each measurement stored as
 * it arrives), then the compute lines are fitted and stored as a new profile version whose
 * run keeps the fit groups and residuals. Status comes from the store, so a reloaded
 * renderer or another process sees the same run; a run whose process died shows as failed
 * and can be resumed.
 */
import type { Database } from 'better-sqlite3';
import type { BenchSuite, CalibrationStatus, ElementFitGroupDto, FitGroupDto, InModelCorrectionDto, JobProgress, JobStatus, MeasurementDto, ProfileDetail, TransferFitDto } from '../api/calibration-api.ts';
import type { CacheProbe, LastLevelCache, TransferLine } from '../latency/device-profile.ts';
import { calibrateLocalLink } from './local-link-calibration.ts';
import type { BenchPlan } from '../profiler/bench-plan.ts';
import { CACHE_PROBE_SUFFIX, COLD_CASE_SUFFIX, makeBenchPlan } from '../profiler/plan/make-bench-plan.ts';
import { readLastLevelCache } from '../profiler/last-level-cache.ts';
import { calibrateDevice, CALIBRATION_RUN_KIND } from '../profiler/calibrate.ts';
import { bestOfPasses, inPassOrder, planItems } from '../profiler/plan/case-passes.ts';
import { normaliseToReference } from '../latency/speed-reference.ts';
import { SPEED_REFERENCE_ID } from '../profiler/runner/speed-reference.ts';
import { createRun, getRun, listRuns, updateRun } from '../profiles/run-repository.ts';
import type { StoredRun } from '../profiles/run-repository.ts';
import { insertMeasurement, listMeasurements } from '../profiles/measurement-repository.ts';
import { getProfile, insertProfileVersion } from '../profiles/profile-repository.ts';
import { upsertDevice, findDevice } from '../profiles/device-repository.ts';
import { fitComputeLines } from '../latency/fit/fit-compute.ts';
import type { LayerTiming } from '../latency/fit/fit-compute.ts';
import { findCacheKnee } from '../latency/fit/cache-knee.ts';
import { layerElements, layerPatches } from '../latency/layer-elements.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { validationModels } from '../profiler/validation/validation-set.ts';
import { anchorModels } from '../profiler/validation/anchor-set.ts';
import { correctForInModelTime } from '../latency/fit/in-model-correction.ts';
import type { ModelTimerFactory } from './validation-service.ts';
import { atCalibrationSpeed } from '../profiler/validation/slow-stretch.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { buildDeviceProfile } from '../latency/fit/build-profile.ts';
import { parseDeviceProfile, serializeDeviceProfile } from '../latency/profile-json.ts';
import type { DevicesService } from './devices-service.ts';
import { JobRegistry } from './job-registry.ts';
import type { LiveJob } from './job-registry.ts';
import { currentOwner, ownerAlive } from './job-owner.ts';
import { CalibrationRequestError } from './calibration-request-error.ts';
import { calibratePhone } from './phone-calibration.ts';
import { parseLocalDeviceId } from '../native-bridge/local-transport.ts';
import { runnerLaunch } from './runner-launch.ts';
import { runNativeTool } from '../profiler/native/run-tool.ts';
import type { NativeTool } from '../profiler/native/tool-output.ts';
import { DEFAULT_RUNTIME, type Runtime } from '../latency/runtime.ts';

/** The runtimes a native tool times, and the tool. */
const NATIVE_TOOL_OF: Partial<Record<Runtime, NativeTool>> = { tflite: 'benchmark_model', tensorrt: 'trtexec' };

export interface CalibrationServiceOptions {
  /** The folder of the Node runner bundle (built on first use). */
  runnerBundleDir(): Promise<string>;
  /** The folder of the built browser bench page, for phones (built on first use). */
  benchPageDir(): Promise<string>;
  /** Whole-model timers, as a validation uses them: the anchor models are timed with one. */
  modelTimer: ModelTimerFactory;
}

export interface StartCalibrationRequest {
  deviceId: string;
  suite: BenchSuite;
  resumeRunId?: string;
  /** Keep only the N smallest-MACC cases of each kind and kernel (tests and quick checks; not part of the API). */
  casesPerGroup?: number;
  /** Calibrate the link too, on `local` where shaped links can be made (default true). */
  transfer?: boolean;
  /** Time the anchor models and correct the lines for in-model time (default true; phones cannot time whole models yet). */
  anchors?: boolean;
  /** The runtime to calibrate (default tfjs-wasm: TF.js as the device runs it; a phone, in its browser). */
  runtime?: Runtime;
  /** tflite and tensorrt: the path of benchmark_model or trtexec on the device, which times each case. */
  tool?: string;
}

/** Where the fitted profile and its fit are kept in the run's result. */
interface CalibrationRunResult {
  pid?: number;
  measured?: number;
  total?: number;
  backend?: string;
  error?: string;
  profileId?: string;
  fit?: FitGroupDto[];
  elementFit?: ElementFitGroupDto[];
  coldFit?: FitGroupDto[];
  note?: string;
  transferFit?: TransferFitDto[];
  transferRunId?: string;
  /** Each anchor model's timing per pass, kept as it arrives so a resumed run times only the rest. */
  anchorTimings?: StoredAnchorTiming[];
  inModel?: InModelCorrectionDto;
}

interface StoredAnchorTiming { key: string; model: string; totalMs: number; layerMs: number[] }

interface CalibrationParams { deviceId: string; plan: BenchPlan; suite?: BenchSuite; transfer?: boolean; anchors?: boolean; runtime?: Runtime; tool?: string }

/** Passes over the anchor models, each keeping its lower whole-model median. */
export const ANCHOR_PASSES = 2;

/** Bytes written between the timed runs of a cache-cold case: more than the last-level caches of the devices served (32 MiB here). */
export const COLD_FLUSH_BYTES = 64 * 1024 * 1024;

/** Passes over the plan on devices that run the Node runner (a fresh runner process per chunk of cases). */
export const CALIBRATION_PASSES = 2;

export const TRANSFER_NOTE = 'transfer: [] — the link was not calibrated (run the transfer calibration to add f(S|W) lines)';

export interface CalibrationService {
  startCalibration(req: StartCalibrationRequest): Promise<CalibrationStatus>;
  calibrationStatus(runId: string): CalibrationStatus;
  cancelJob(runId: string): JobProgress;
  listCalibrations(deviceId?: string): JobProgress[];
  showProfile(id: string): ProfileDetail;
  /** Resolves when every background job of this process has settled. */
  idle(): Promise<void>;
  readonly jobs: JobRegistry;
}

function toDto(m: ReturnType<typeof listMeasurements>[number]): MeasurementDto {
  return { ...m };
}

export function createCalibrationService(db: Database, devices: DevicesService, opts: CalibrationServiceOptions, jobs = new JobRegistry()): CalibrationService {
  /** A run left queued/running by a process that is gone is failed (resumable), never lost. */
  function settle(run: StoredRun): StoredRun {
    // 'done' without a profile: the cases were measured, but the process stopped before the anchors, the link or the fit ended.
    const unfinished = run.status === 'running' || run.status === 'queued' || (run.status === 'done' && ((run.result ?? {}) as CalibrationRunResult).profileId === undefined);
    if (unfinished && !jobs.get(run.id) && !ownerAlive(run.result)) {
      const r = (run.result ?? {}) as CalibrationRunResult;
      return updateRun(db, run.id, 'failed', { ...r, error: `run ${run.id} was interrupted (the studio process that ran it stopped); resume it to measure the remaining cases` });
    }
    return run;
  }

  function progressOf(run: StoredRun): JobProgress & { suite: BenchSuite; profileId: string | null; measurements: MeasurementDto[] } {
    const params = run.params as CalibrationParams;
    const result = (run.result ?? {}) as CalibrationRunResult;
    const measurements = listMeasurements(db, run.id).map(toDto);
    const live = jobs.get(run.id);
    const total = (params.plan?.cases === undefined ? 0 : planItems(params.plan).length) + anchorItemsOf(params).length;
    const done = measurements.length + (result.anchorTimings?.length ?? 0);
    // The cases are done before the anchors, the link and the fit: the run is done once its profile is stored.
    const status = (live !== undefined && run.status === 'done' && result.profileId === undefined ? 'running' : run.status) as JobStatus;
    const message = live?.message
      ?? (status === 'done' ? `measured ${measurements.length} cases${result.profileId ? `; profile ${result.profileId} stored` : ''}. ${result.note ?? ''}`.trim()
        : status === 'failed' || status === 'cancelled' ? `${result.error ?? status}` : `${status}`);
    return {
      runId: run.id, kind: 'calibration', deviceId: params.deviceId, status, done, total,
      current: live?.current ?? null, message,
      error: status === 'failed' ? { name: 'CalibrationError', message: result.error ?? 'failed' } : null,
      createdAt: run.createdAt, updatedAt: run.updatedAt,
      suite: params.suite ?? params.plan?.suite ?? 'quick', profileId: result.profileId ?? null, measurements,
    };
  }

  function status(runId: string): CalibrationStatus {
    const run = settle(getRun(db, runId));
    if (run.kind !== CALIBRATION_RUN_KIND) throw new CalibrationRequestError(`run ${runId} is a ${run.kind} run, not a calibration`);
    return { ...progressOf(run), kind: 'calibration' };
  }

  async function fitAndStore(runId: string, deviceId: string, backend: string, runner: string, transfer: TransferLine[], cache: LastLevelCache, runtime: Runtime = DEFAULT_RUNTIME): Promise<CalibrationRunResult> {
    const plan = (getRun(db, runId).params as CalibrationParams).plan;
    // On the run's typical speed first (a slow stretch of a shared device slows a case and its reference alike), then each case's best pass.
    const normalised = normaliseToReference(listMeasurements(db, runId));
    const all = timingsWithSizes(bestOfPasses(normalised.timings), plan);
    const isCold = (t: LayerTiming): boolean => t.caseId.endsWith(COLD_CASE_SUFFIX);
    const isProbe = (t: LayerTiming): boolean => t.caseId.endsWith(CACHE_PROBE_SUFFIX);
    // Robust: one case hit by a neighbour's burst of load must not tilt a kernel's line.
    const fit = fitComputeLines(all.filter((t) => !isCold(t) && !isProbe(t)), { robust: true });
    const coldTimings = all.filter(isCold);
    const probe = cacheProbeOf(all.filter(isProbe));
    // The knee the runtime showed, where it showed one: a virtual machine may report a cache it does not give.
    const cacheBytes = probe?.bytes ?? cache.bytes;
    const coldFit = cacheBytes !== null && coldTimings.length > 0 ? fitComputeLines(coldTimings, { robust: true }) : null;
    const identity = await devices.identityOf(deviceId);
    // ONNX Runtime's backend names itself ("onnxruntime 1.30.0 (cpu, 1 thread)"); TF.js's says only its backend.
    const runnerBackend = runtime === 'onnxruntime' ? backend : `${runner} ${backend}`.trim();
    const name = `${identity.model} / ${runnerBackend}`;
    const benchProfile = buildDeviceProfile({
      name, backend: runnerBackend, runtime,
      device: { id: deviceId, model: identity.model, os: identity.os, abi: identity.abi, cores: identity.cores },
      compute: fit, transfer, cache, ...(probe !== null && { cacheProbe: probe }),
      ...(normalised.referenceMs !== null && { reference: { id: SPEED_REFERENCE_ID, ms: normalised.referenceMs } }),
      ...(coldFit !== null && cacheBytes !== null && { cold: { cacheBytes, compute: coldFit.lines } }),
    });
    const anchors = bestAnchorTimings(((getRun(db, runId).result ?? {}) as CalibrationRunResult).anchorTimings ?? []);
    const correction = anchors.length > 0 ? correctForInModelTime(benchProfile, anchors) : null;
    const profile = correction?.profile ?? benchProfile;
    const stored = db.transaction(() => {
      if (!findDevice(db, deviceId)) {
        upsertDevice(db, { id: deviceId, name: identity.model, kind: parseLocalDeviceId(deviceId) !== null ? 'local' : deviceId.startsWith('ssh:') ? 'ssh' : 'adb', info: { identity } });
      }
      return insertProfileVersion(db, deviceId, name, serializeDeviceProfile(profile));
    })();
    // The fits show the micro-benchmark lines through their points; the stored lines are corrected for in-model time (refitted, or scaled by a factor).
    const toDtos = (f: typeof fit, lines: typeof profile.compute): FitGroupDto[] => f.groups.map((g) => {
      const line = lines.find((l) => l.layerType === g.layerType && l.kernel === g.kernel);
      return {
        layerType: g.layerType, kernel: g.kernel, points: g.points, r2: g.r2, mapePct: g.mapePct, rmseMs: g.rmseMs,
        slopeMsPerMacc: line?.slopeMsPerMacc ?? 0, interceptMs: line?.interceptMs ?? 0, residuals: g.residuals,
        ...(line?.slopeMsPerWeight !== undefined && { slopeMsPerWeight: line.slopeMsPerWeight }),
        ...(line?.slopeMsPerPatch !== undefined && { slopeMsPerPatch: line.slopeMsPerPatch }),
      };
    });
    const groups = toDtos(fit, benchProfile.compute);
    const elementGroups: ElementFitGroupDto[] = fit.elementGroups.map((g) => {
      const line = benchProfile.elementLines?.find((l) => l.layerType === g.layerType);
      return {
        layerType: g.layerType, points: g.points, r2: g.r2, mapePct: g.mapePct, rmseMs: g.rmseMs,
        slopeMsPerElement: line?.slopeMsPerElement ?? 0, interceptMs: line?.interceptMs ?? 0, residuals: g.residuals,
      };
    });
    return {
      profileId: stored.id, fit: groups, elementFit: elementGroups, note: TRANSFER_NOTE,
      ...(correction !== null && { inModel: { anchors: correction.anchors, factors: correction.factors } }),
      ...(coldFit !== null && benchProfile.cold && { coldFit: toDtos(coldFit, benchProfile.cold.compute) }),
    };
  }

  /** Times the anchor models not yet timed in this run (each pass in turn), keeping each timing in the run's result as it arrives. */
  async function timeAnchors(runId: string, deviceId: string, job: LiveJob): Promise<void> {
    const resultNow = (): CalibrationRunResult => (getRun(db, runId).result ?? {}) as CalibrationRunResult;
    const items = anchorItemsOf(getRun(db, runId).params as CalibrationParams);
    const done = new Set((resultNow().anchorTimings ?? []).map((t) => t.key));
    const todo = items.filter((i) => !done.has(i.key));
    if (todo.length === 0) return;
    const casesReference = normaliseToReference(listMeasurements(db, runId)).referenceMs ?? undefined;
    job.message = `starting the anchor models' runner on ${deviceId}`;
    const timer = await opts.modelTimer(deviceId, 10, (getRun(db, runId).params as CalibrationParams).runtime);
    try {
      for (const [k, item] of todo.entries()) {
        job.current = item.key;
        job.message = `anchor model ${item.spec.name}, pass ${item.pass} (${done.size + k + 1} of ${items.length})`;
        // Timed in a slow stretch (its speed reference slower than the cases' typical one): timed again, the nearest to the cases' speed kept.
        const { timing: t } = await atCalibrationSpeed(await timer.time(item.spec, job.controller.signal), casesReference, () => {
          job.message = `anchor model ${item.spec.name}, pass ${item.pass}, again: a slow stretch`;
          return timer.time(item.spec, job.controller.signal);
        });
        const r = resultNow();
        const timing: StoredAnchorTiming = { key: item.key, model: item.spec.name, totalMs: t.total.medianMs, layerMs: t.layers.map((l) => l.medianMs) };
        updateRun(db, runId, getRun(db, runId).status, { ...r, anchorTimings: [...(r.anchorTimings ?? []), timing] });
      }
    } finally {
      job.current = null;
      await timer.close?.().catch(() => undefined);
    }
  }

  /** The cache over the device's own shell (a phone's `adb shell` too); unknown when it cannot be asked. */
  async function probeCache(deviceId: string, signal: AbortSignal): Promise<LastLevelCache> {
    let transport;
    try {
      transport = await devices.openTransport(deviceId);
      return await readLastLevelCache(transport, signal);
    } catch {
      return { bytes: null, source: 'unknown' };
    } finally {
      await transport?.close().catch(() => undefined);
    }
  }

  /** A phone runs the plan in its own browser (adb reverse + VIEW intent), not in Node. */
  async function runOnPhone(runId: string, deviceId: string, job: LiveJob): Promise<void> {
    try {
      job.message = `connecting to ${deviceId}`;
      const params = getRun(db, runId).params as CalibrationParams;
      const adb = await devices.adb();
      const pageDir = await opts.benchPageDir();
      const result = await calibratePhone({ db, runId, deviceId, plan: params.plan, adb, pageDir, job });
      job.message = `fitting the latency lines of ${result.measured} cases`;
      const fitted = await fitAndStore(runId, deviceId, result.backend, 'tfjs-browser', [], await probeCache(deviceId, job.controller.signal));
      updateRun(db, runId, 'done', { ...((getRun(db, runId).result ?? {}) as CalibrationRunResult), ...result, ...fitted });
    } catch (e) {
      failRun(runId, deviceId, job, (e as Error).message);
    }
  }

  /** Marks a run that stopped before its profile: cancelled, or failed with `message`; its stored measurements stay, for a resume. */
  function failRun(runId: string, deviceId: string, job: LiveJob, message: string): void {
    const r = getRun(db, runId);
    const cancelled = job.controller.signal.aborted;
    const measured = listMeasurements(db, runId).length;
    const error = cancelled ? `device ${deviceId}: calibration run ${runId} was cancelled after ${measured} cases` : message;
    updateRun(db, runId, cancelled ? 'cancelled' : 'failed', { ...((r.result ?? {}) as CalibrationRunResult), measured, error });
  }

  /**
   * TFLite and TensorRT: each case is exported (TFLite or ONNX), pushed and timed by the user's
   * benchmark_model or trtexec on the device (profiler/native/run-tool.ts), each measurement
   * stored as it arrives. The tools time whole files only, so there are no anchors.
   */
  async function runWithTool(runId: string, deviceId: string, job: LiveJob, params: CalibrationParams & { tool: string }): Promise<void> {
    const runtime = params.runtime ?? DEFAULT_RUNTIME;
    const tool = NATIVE_TOOL_OF[runtime];
    let transport;
    try {
      if (tool === undefined) throw new CalibrationRequestError(`runtime ${runtime} is not timed by a native tool`);
      updateRun(db, runId, 'running', { ...((getRun(db, runId).result ?? {}) as CalibrationRunResult), ...currentOwner() });
      job.message = `connecting to ${deviceId}`;
      transport = await devices.openTransport(deviceId);
      const stored = listMeasurements(db, runId);
      const skip = new Set(stored.map((m) => m.caseId));
      const total = params.plan.cases.length;
      let backend = stored.at(-1)?.backend ?? '';
      for await (const m of runNativeTool(transport, params.plan, {
        tool, toolPath: params.tool, skip, signal: job.controller.signal,
        onCase: (c, command) => {
          job.current = c.id;
          job.message = `${c.id} (${skip.size + 1} of ${total}): ${command}`;
        },
      })) {
        insertMeasurement(db, runId, m);
        skip.add(m.caseId);
        backend = m.backend;
      }
      job.current = null;
      job.message = `fitting the latency lines of ${skip.size} cases`;
      const cache = await readLastLevelCache(transport, job.controller.signal).catch((): LastLevelCache => ({ bytes: null, source: 'unknown' }));
      const fitted = await fitAndStore(runId, deviceId, backend, tool, [], cache, runtime);
      updateRun(db, runId, 'done', { ...((getRun(db, runId).result ?? {}) as CalibrationRunResult), measured: skip.size, total, backend, ...fitted, note: `timed by ${tool} at ${params.tool}; no anchors (the tool times whole files only)` });
    } catch (e) {
      failRun(runId, deviceId, job, `${deviceId}: ${(e as Error).message}`);
    } finally {
      await transport?.close().catch(() => undefined);
    }
  }

  async function run(runId: string, deviceId: string, job: LiveJob): Promise<void> {
    if (deviceId.startsWith('adb:')) return runOnPhone(runId, deviceId, job);
    const stored = getRun(db, runId).params as CalibrationParams;
    if (stored.tool !== undefined) return runWithTool(runId, deviceId, job, { ...stored, tool: stored.tool });
    let transport;
    try {
      job.message = `connecting to ${deviceId}`;
      transport = await devices.openTransport(deviceId);
      const bundleDir = await opts.runnerBundleDir();
      const runtime = (getRun(db, runId).params as CalibrationParams).runtime ?? DEFAULT_RUNTIME;
      const launch = runnerLaunch(deviceId, runtime);
      const result = await calibrateDevice({
        transport, deviceId, store: db, runId, bundleDir, signal: job.controller.signal, runnerArgs: launch.args, runnerEnv: launch.env,
        onProgress: (e) => {
          job.current = e.phase === 'run' ? e.caseId ?? null : null;
          job.message = e.message;
        },
      });
      const params = getRun(db, runId).params as CalibrationParams;
      const link = parseLocalDeviceId(deviceId) !== null && params.transfer !== false
        ? await calibrateLocalLink(db, job)
        : { lines: [], note: params.transfer === false ? `${TRANSFER_NOTE}; skipped on request` : TRANSFER_NOTE };
      if (params.anchors !== false) await timeAnchors(runId, deviceId, job);
      job.message = `fitting the latency lines of ${result.measured} cases`;
      const cache = await readLastLevelCache(transport, job.controller.signal).catch((): LastLevelCache => ({ bytes: null, source: 'unknown' }));
      const fitted = await fitAndStore(runId, deviceId, result.backend, 'tfjs-node', link.lines, cache, runtime);
      updateRun(db, runId, 'done', {
        ...((getRun(db, runId).result ?? {}) as CalibrationRunResult), ...result, ...fitted, note: link.note,
        ...(link.fit && { transferFit: link.fit }), ...(link.runId !== undefined && { transferRunId: link.runId }),
      });
    } catch (e) {
      // calibrateDevice marks its own failures; this covers connecting, the bundle and the fit.
      const r = getRun(db, runId);
      if (r.status === 'running' || r.status === 'queued' || r.status === 'done') {
        const cancelled = job.controller.signal.aborted;
        updateRun(db, runId, cancelled ? 'cancelled' : 'failed', { ...((r.result ?? {}) as CalibrationRunResult), error: `${deviceId}: ${(e as Error).message}` });
      }
    } finally {
      await transport?.close().catch(() => undefined);
    }
  }

  return {
    jobs,
    idle: () => jobs.idle(),
    async startCalibration(req) {
      let runId: string;
      if (req.resumeRunId !== undefined) {
        const existing = settle(getRun(db, req.resumeRunId));
        if (existing.kind !== CALIBRATION_RUN_KIND) throw new CalibrationRequestError(`run ${existing.id} is a ${existing.kind} run, not a calibration to resume`);
        const params = existing.params as CalibrationParams;
        if (params.deviceId !== req.deviceId) throw new CalibrationRequestError(`run ${existing.id} calibrated device ${params.deviceId}, not ${req.deviceId}`);
        if (jobs.get(existing.id) || (existing.status === 'running' && ownerAlive(existing.result))) throw new CalibrationRequestError(`run ${existing.id} is still running; cancel it before resuming`);
        if (existing.status === 'done') throw new CalibrationRequestError(`run ${existing.id} is already done; nothing to resume`);
        runId = existing.id;
        updateRun(db, runId, 'queued', { ...((existing.result ?? {}) as CalibrationRunResult), ...currentOwner() });
      } else {
        // The plan spans the validation set's layers too (compressed variants of the base models), so the
        // lines' low ends, which fix the intercepts of small layers, are measured rather than extrapolated;
        // its cache-cold copies give the lines of models whose weights exceed the device's cache.
        const full = makeBenchPlan({ suite: req.suite, models: validationModels().map(analyzeModel), spanEachKernel: true, coldFlushBytes: COLD_FLUSH_BYTES, channelMultiple: 8, cacheProbe: true });
        // Two passes in other runner processes, each case keeping its lower median (profiler/plan/case-passes.ts);
        // a phone's page times its plan once.
        const plan = { ...(req.casesPerGroup === undefined ? full : limitPlan(full, req.casesPerGroup)), passes: req.deviceId.startsWith('adb:') ? 1 : CALIBRATION_PASSES };
        const anchors = req.anchors ?? true;
        const runtime = req.runtime ?? DEFAULT_RUNTIME;
        const tool = NATIVE_TOOL_OF[runtime];
        if (req.tool !== undefined && tool === undefined) {
          throw new CalibrationRequestError(`--tool times tflite (benchmark_model) or tensorrt (trtexec); runtime ${runtime} is timed by the studio's runner`);
        }
        if (tool !== undefined && req.tool === undefined) {
          throw new CalibrationRequestError(`runtime ${runtime}: its models are timed by ${tool} on the device; give its path there (--tool PATH)`);
        }
        if (req.deviceId.startsWith('adb:') && runtime !== DEFAULT_RUNTIME && tool === undefined) {
          throw new CalibrationRequestError(`device ${req.deviceId}: a phone is calibrated in its browser, on ${DEFAULT_RUNTIME}; ${runtime} on a phone needs its own benchmark tool`);
        }
        // Refuses, by name, a runtime the runner cannot time, before any run is stored.
        if (!req.deviceId.startsWith('adb:') && tool === undefined) runnerLaunch(req.deviceId, runtime);
        const withTool = tool !== undefined && req.tool !== undefined;
        runId = createRun(db, CALIBRATION_RUN_KIND, {
          // A tool runs each file on its own: it cannot flush the caches between runs, so there are no cold cases.
          deviceId: req.deviceId, plan: withTool ? { ...plan, passes: 1, cases: plan.cases.filter((c) => !(c.flushBytes !== undefined && c.flushBytes > 0)) } : plan, suite: req.suite, transfer: withTool ? false : req.transfer ?? true,
          anchors: anchors && !req.deviceId.startsWith('adb:') && !withTool, runtime, ...(withTool && { tool: req.tool }),
        }).id;
        updateRun(db, runId, 'queued', currentOwner());
      }
      const live: LiveJob = { controller: new AbortController(), current: null, message: 'queued', done: Promise.resolve() };
      // Started on the next turn so that this call answers with the queued status first.
      live.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => run(runId, req.deviceId, live));
      jobs.add(runId, live);
      return status(runId);
    },
    calibrationStatus: status,
    cancelJob(runId) {
      const live = jobs.get(runId);
      if (live) {
        live.controller.abort();
        live.message = 'cancelling';
      } else {
        const r = settle(getRun(db, runId));
        if (r.status === 'running' || r.status === 'queued') throw new CalibrationRequestError(`run ${runId} is running in another studio process (pid ${String((r.result as { pid?: number } | null)?.pid)}); cancel it there`);
      }
      const r = getRun(db, runId);
      const p = progressOf(r);
      return { runId: p.runId, kind: r.kind === CALIBRATION_RUN_KIND ? 'calibration' : 'validation', deviceId: p.deviceId, status: p.status, done: p.done, total: p.total, current: p.current, message: p.message, error: p.error, createdAt: p.createdAt, updatedAt: p.updatedAt };
    },
    listCalibrations(deviceId) {
      return listRuns(db).filter((r) => r.kind === CALIBRATION_RUN_KIND).map(settle)
        .filter((r) => deviceId === undefined || (r.params as CalibrationParams).deviceId === deviceId)
        .map((r) => {
          const { measurements: _m, suite: _s, profileId: _p, ...progress } = progressOf(r);
          return progress;
        })
        .reverse();
    },
    showProfile(id) {
      const p = getProfile(db, id);
      const profile = parseDeviceProfile(JSON.parse(p.json) as unknown, `stored profile ${id}`);
      const run = listRuns(db).find((r) => r.kind === CALIBRATION_RUN_KIND && ((r.result ?? {}) as CalibrationRunResult).profileId === id);
      return {
        id: p.id, deviceId: p.deviceId, name: p.name, version: p.version, createdAt: p.createdAt, profile,
        fit: run ? ((run.result as CalibrationRunResult).fit ?? null) : null,
        elementFit: run ? ((run.result as CalibrationRunResult).elementFit ?? null) : null,
        coldFit: run ? ((run.result as CalibrationRunResult).coldFit ?? null) : null,
        calibrationRunId: run?.id ?? null,
        inModel: run ? ((run.result as CalibrationRunResult).inModel ?? null) : null,
        transferFit: run ? ((run.result as CalibrationRunResult).transferFit ?? null) : null,
      };
    },
  };
}

/** What the cache probe's timings show; null without at least 3 of them (a plan cut short, or made before the probe). */
function cacheProbeOf(timings: readonly LayerTiming[]): CacheProbe | null {
  if (timings.length < 3) return null;
  const knee = findCacheKnee(timings.map((t) => ({ caseId: t.caseId, weightBytes: 4 * (t.weights ?? t.macc), medianMs: t.medianMs })));
  return { bytes: knee.bytes, memoryRatio: knee.memoryRatio };
}

/** Measurements as fit timings, each with its layer's size from the plan's spec: the elements a zero-MACC case touches, the weights and patch elements of a MACC case. */
export function timingsWithSizes(measurements: readonly LayerTiming[], plan: BenchPlan | undefined): LayerTiming[] {
  const specs = new Map((plan?.cases ?? []).map((c) => [c.id, c.spec]));
  return measurements.map((m) => {
    const spec = specs.get(m.caseId);
    if (m.kind === 'model' || spec === undefined) return m;
    const layers = analyzeModel(spec).layers;
    const layer = layers[layers.length - 1];
    return m.macc !== 0 ? { ...m, weights: layer.params, patches: layerPatches(layer) } : { ...m, elements: layerElements(layer) };
  });
}

/** The plan with at most `n` cases (the smallest in MACCs, then in input size) per kind and kernel, in plan order. */
export function limitPlan(plan: BenchPlan, n: number): BenchPlan {
  const keep = new Set<string>();
  const groups = new Map<string, BenchPlan['cases']>();
  for (const c of plan.cases) {
    // A cache-cold copy is its own group, so the warm lines keep their n smallest cases.
    const key = `${c.kind}/${c.kernel ?? ''}/${c.flushBytes ?? 0}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  // Zero-MACC cases tie on MACCs: the smaller input goes first.
  const size = (c: BenchPlan['cases'][number]): number => c.spec.inputShape.reduce((a, b) => a * b, 1);
  for (const cases of groups.values()) {
    // Distinct sizes only: two cases of equal MACCs (32x32x8 and 16x16x16 at k3) cannot make a line.
    const seen = new Set<number>();
    const distinct = [...cases].sort((a, b) => a.macc - b.macc || size(a) - size(b)).filter((c) => {
      const x = c.macc > 0 ? c.macc : size(c);
      if (seen.has(x)) return false;
      seen.add(x);
      return true;
    });
    distinct.slice(0, Math.max(1, n)).forEach((c) => keep.add(c.id));
  }
  return { ...plan, cases: plan.cases.filter((c) => keep.has(c.id)) };
}

interface AnchorItem { key: string; pass: number; spec: ModelSpec }

/** The anchor models a run times, pass by pass (even passes in reverse); none when the run was started without them (or before they existed). */
function anchorItemsOf(params: CalibrationParams): AnchorItem[] {
  if (params.anchors !== true) return [];
  return inPassOrder(anchorModels(), ANCHOR_PASSES).map(({ pass, item }) => ({ key: `${item.name}#${pass}`, pass, spec: item }));
}

/** Each anchor model's pass with the lowest whole-model median. */
function bestAnchorTimings(timings: readonly StoredAnchorTiming[]): { name: string; analysis: ReturnType<typeof analyzeModel>; totalMs: number; layerMs: number[] }[] {
  const best = new Map<string, StoredAnchorTiming>();
  for (const t of timings) {
    const prev = best.get(t.model);
    if (prev === undefined || t.totalMs < prev.totalMs) best.set(t.model, t);
  }
  const specs = new Map(anchorModels().map((m) => [m.name, m]));
  return [...best.values()].filter((t) => specs.has(t.model)).map((t) => ({ name: t.model, analysis: analyzeModel(specs.get(t.model)!), totalMs: t.totalMs, layerMs: t.layerMs }));
}
