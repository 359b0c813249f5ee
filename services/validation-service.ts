/**
 * Validation jobs (measured versus estimated): a run of kind 'validation' times each model
 * on the device in the background and stores the report in the run's result. The timer
 * comes from model-timer-factory.ts (this computer in process, SSH boards in the pushed
 * Node runner); the default here times on this computer only.
 */
import type { Database } from 'better-sqlite3';
import type { JobStatus, ValidationModelRow, ValidationReport, ValidationStatus } from '../api/calibration-api.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { LOCAL_DEVICE_ID } from '../native-bridge/local-transport.ts';
import { createRun, getRun, listRuns, updateRun } from '../profiles/run-repository.ts';
import type { StoredRun } from '../profiles/run-repository.ts';
import { getProfile } from '../profiles/profile-repository.ts';
import { parseDeviceProfile } from '../latency/profile-json.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import { validationModels } from '../profiler/validation/validation-set.ts';
import { validateModels } from '../profiler/validation/validate.ts';
import type { ModelTimer } from '../profiler/validation/validate.ts';
import { createLocalModelTimer } from '../profiler/validation/local-model-timer.ts';
import type { ModelsService } from './models-service.ts';
import type { LiveJob } from './job-registry.ts';
import { JobRegistry } from './job-registry.ts';
import { currentOwner, ownerAlive } from './job-owner.ts';
import { CalibrationRequestError } from './calibration-request-error.ts';
import { DEFAULT_RUNTIME, runtimeOf, type Runtime } from '../latency/runtime.ts';

export const VALIDATION_RUN_KIND = 'validation';

export interface StartValidationRequest {
  deviceId: string;
  profileId: string;
  /** Built-in or imported model names; default: the built-in validation set. */
  models?: string[];
  /** Model specs read from files by the caller (CLI), measured the same way. */
  specs?: ModelSpec[];
  /** Timed repeats per model (default 10). */
  repeats?: number;
  /** The runtime to time with: the profile's (the default), or refused when it is another. */
  runtime?: Runtime;
}

interface ValidationParams { deviceId: string; profileId: string; models: ModelSpec[]; repeats: number; runtime?: Runtime }
interface ValidationResult { pid?: number; report?: ValidationReport; rows?: ValidationModelRow[]; error?: string }

export interface ValidationService {
  startValidation(req: StartValidationRequest): Promise<ValidationStatus>;
  validationStatus(runId: string): ValidationStatus;
  /** Past validation runs, newest first. */
  listValidations(deviceId?: string): ValidationStatus[];
}

/** A timer for the device; close() (when present) releases what it holds on the device. */
export type ModelTimerFactory = (deviceId: string, repeats: number, runtime?: Runtime) => Promise<ModelTimer & { close?(): Promise<void> }>;

export function createValidationService(db: Database, models: ModelsService, jobs: JobRegistry, timerFor: ModelTimerFactory = defaultTimer): ValidationService {
  function settle(run: StoredRun): StoredRun {
    if ((run.status === 'running' || run.status === 'queued') && !jobs.get(run.id) && !ownerAlive(run.result)) {
      return updateRun(db, run.id, 'failed', { ...((run.result ?? {}) as ValidationResult), error: `validation run ${run.id} was interrupted (the studio process that ran it stopped); start it again` });
    }
    return run;
  }

  function status(runId: string): ValidationStatus {
    const run = settle(getRun(db, runId));
    if (run.kind !== VALIDATION_RUN_KIND) throw new CalibrationRequestError(`run ${runId} is a ${run.kind} run, not a validation`);
    const params = run.params as ValidationParams;
    const result = (run.result ?? {}) as ValidationResult;
    const live = jobs.get(run.id);
    const done = result.report?.models.length ?? result.rows?.length ?? 0;
    const st = run.status as JobStatus;
    return {
      runId: run.id, kind: 'validation', deviceId: params.deviceId, profileId: params.profileId, status: st,
      done, total: params.models.length, current: live?.current ?? null,
      message: live?.message ?? (st === 'done' && result.report
        ? `${result.report.models.length} models: ${(result.report.within10Pct * 100).toFixed(0)}% within ±10%, MAPE ${result.report.mapePct.toFixed(1)}%`
        : result.error ?? st),
      error: st === 'failed' ? { name: 'ValidationError', message: result.error ?? 'failed' } : null,
      createdAt: run.createdAt, updatedAt: run.updatedAt, report: result.report ?? null,
    };
  }

  async function run(runId: string, params: ValidationParams, profile: DeviceProfile, job: LiveJob): Promise<void> {
    const rows: ValidationModelRow[] = [];
    const owner = currentOwner();
    let timer: Awaited<ReturnType<ModelTimerFactory>> | undefined;
    try {
      updateRun(db, runId, 'running', owner);
      job.message = `starting the runner on ${params.deviceId}`;
      timer = await timerFor(params.deviceId, params.repeats, runtimeOf(profile));
      const t = timer;
      const report = await validateModels({
        models: params.models, profile, profileId: params.profileId, deviceId: params.deviceId, timer, signal: job.controller.signal,
        onProgress: (done, total, current) => {
          job.current = current;
          job.message = current === null ? 'comparing' : `timing ${current} (${done + 1} of ${total}) on ${t.backend}`;
        },
        onModel: (row) => {
          rows.push(row);
          updateRun(db, runId, 'running', { ...owner, rows });
        },
      });
      updateRun(db, runId, 'done', { report });
    } catch (e) {
      const cancelled = job.controller.signal.aborted;
      updateRun(db, runId, cancelled ? 'cancelled' : 'failed', { rows, error: `${params.deviceId}: ${(e as Error).message}` });
    } finally {
      await timer?.close?.().catch(() => undefined);
    }
  }

  return {
    async startValidation(req) {
      const profile = getProfile(db, req.profileId);
      const specs = [
        ...(req.models ?? []).map((name) => models.resolveModel(name, 'cifar10')),
        ...(req.specs ?? []),
      ];
      const chosen = specs.length > 0 ? specs : validationModels();
      if (profile.deviceId !== req.deviceId) {
        throw new CalibrationRequestError(`profile ${req.profileId} was fitted for device ${profile.deviceId}, not ${req.deviceId}`);
      }
      const parsed = parseDeviceProfile(JSON.parse(profile.json) as unknown, `stored profile ${req.profileId}`);
      const runtime = runtimeOf(parsed);
      if (req.runtime !== undefined && req.runtime !== runtime) {
        throw new CalibrationRequestError(`profile ${req.profileId} was calibrated on ${runtime}: it estimates ${runtime}'s latency, not ${req.runtime}'s; validate it with runtime ${runtime}, or calibrate ${req.runtime} first`);
      }
      const params: ValidationParams = { deviceId: req.deviceId, profileId: req.profileId, models: chosen, repeats: req.repeats ?? 10, runtime };
      const runId = createRun(db, VALIDATION_RUN_KIND, params).id;
      updateRun(db, runId, 'queued', currentOwner());
      const live: LiveJob = { controller: new AbortController(), current: null, message: 'queued', done: Promise.resolve() };
      live.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => run(runId, params, parsed, live));
      jobs.add(runId, live);
      return status(runId);
    },
    validationStatus: status,
    listValidations(deviceId) {
      return listRuns(db).filter((r) => r.kind === VALIDATION_RUN_KIND && (deviceId === undefined || (r.params as ValidationParams).deviceId === deviceId))
        .map((r) => status(r.id)).reverse();
    },
  };
}

async function defaultTimer(deviceId: string, repeats: number, runtime: Runtime = DEFAULT_RUNTIME): Promise<ModelTimer> {
  if (deviceId !== LOCAL_DEVICE_ID || runtime !== DEFAULT_RUNTIME) {
    throw new CalibrationRequestError(`device ${deviceId}, runtime ${runtime}: this in-process timer runs ${DEFAULT_RUNTIME} on this computer ("local") only; the device runner times the rest`);
  }
  return createLocalModelTimer({ repeats });
}
