/**
 * Deploy jobs: startDeploy checks the bundle here (openBundle), stores a run of kind
 * 'deploy' and answers at once; the push goes on in this process with its byte progress
 * written to the run (at most every 200 ms), so a screen polls deployStatus.
 */
import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../api/calibration-api.ts';
import type { DeployOutcome, DeployStatus, StartDeployRequest } from '../api/deploy-api.ts';
import { openBundle } from '../bundle/open-bundle.ts';
import { deployBundle } from '../deploy/deploy-bundle.ts';
import type { DeployProgress } from '../deploy/deploy-bundle.ts';
import { createRun, getRun, updateRun } from '../profiles/run-repository.ts';
import type { DevicesService } from './devices-service.ts';
import { currentOwner, ownerAlive } from './job-owner.ts';
import type { JobOwner } from './job-owner.ts';
import { JobRegistry } from './job-registry.ts';
import type { LiveJob } from './job-registry.ts';
import { PackageRequestError } from './package-request-error.ts';

export const DEPLOY_RUN_KIND = 'deploy';
const WRITE_MS = 200;

interface DeployRunParams {
  deviceId: string;
  bundleDir: string;
  remoteRoot: string;
}

interface DeployRunResult extends Partial<JobOwner> {
  progress?: DeployProgress;
  result?: DeployOutcome;
  error?: { name: string; message: string };
}

/** The deploy folder when none is given: shell-writable on a stock phone, the login's home on a board. */
export function defaultRemoteRoot(deviceId: string, home: string): string {
  if (deviceId.startsWith('adb:')) return '/data/local/tmp/edgetree';
  if (deviceId.startsWith('ssh:')) return '.edgetree/device';
  return `${home}/device`;
}

export interface DeployService {
  startDeploy(req: StartDeployRequest): Promise<DeployStatus>;
  deployStatus(runId: string): DeployStatus;
  cancel(runId: string): Promise<DeployStatus>;
}

export function createDeployService(db: Database, devices: DevicesService, home: string, jobs = new JobRegistry()): DeployService {
  function status(runId: string): DeployStatus {
    let run = getRun(db, runId);
    if (run.kind !== DEPLOY_RUN_KIND) throw new PackageRequestError(`run ${runId} is a ${run.kind} run, not a deploy`);
    if ((run.status === 'running' || run.status === 'queued') && !jobs.get(runId) && !ownerAlive(run.result)) {
      run = updateRun(db, runId, 'failed', { ...(run.result as DeployRunResult), error: { name: 'DeployError', message: `deploy run ${runId} was interrupted (the process that ran it stopped); the device keeps the bundle it had` } });
    }
    const p = run.params as DeployRunParams;
    const r = (run.result ?? {}) as DeployRunResult;
    const st = run.status as JobStatus;
    const pr = r.progress;
    return {
      runId: run.id, kind: 'deploy', deviceId: p.deviceId, status: st, done: pr?.doneBytes ?? 0, total: pr?.totalBytes ?? 0,
      current: pr?.file ?? null,
      message: st === 'done' && r.result ? `current on ${p.deviceId}: ${r.result.remoteDir} (checked on the ${r.result.verifiedOn === 'device' ? 'device' : 'studio after pulling back'})` : pr ? `${pr.phase}: ${pr.doneBytes} of ${pr.totalBytes} bytes` : st,
      error: r.error ?? null, createdAt: run.createdAt, updatedAt: run.updatedAt,
      bundleDir: p.bundleDir, remoteRoot: p.remoteRoot, phase: pr?.phase ?? null, result: r.result ?? null,
    };
  }

  async function run(runId: string, p: DeployRunParams, job: LiveJob): Promise<void> {
    const owner = currentOwner();
    const result: DeployRunResult = { ...owner };
    let lastWrite = 0;
    updateRun(db, runId, 'running', result);
    try {
      const transport = await devices.openTransport(p.deviceId);
      try {
        const out = await deployBundle(transport, p.bundleDir, {
          remoteRoot: p.remoteRoot, signal: job.controller.signal,
          onProgress: (pr) => {
            result.progress = pr;
            job.message = `${pr.phase}: ${pr.doneBytes} of ${pr.totalBytes} bytes`;
            job.current = pr.file;
            if (performance.now() - lastWrite >= WRITE_MS) {
              lastWrite = performance.now();
              updateRun(db, runId, 'running', result);
            }
          },
        });
        const { name, remoteDir, previous, files, bytes, verifiedOn, pushMs, verifyMs, totalMs } = out;
        result.result = { name, remoteDir, previous, files, bytes, verifiedOn, pushMs, verifyMs, totalMs };
        updateRun(db, runId, 'done', result);
      } finally {
        await transport.close().catch(() => undefined);
      }
    } catch (e) {
      const err = e as Error;
      result.error = { name: err.name, message: err.message };
      updateRun(db, runId, job.controller.signal.aborted ? 'cancelled' : 'failed', result);
    }
  }

  return {
    async startDeploy(req) {
      await openBundle(req.bundleDir);
      const params: DeployRunParams = { deviceId: req.deviceId, bundleDir: req.bundleDir, remoteRoot: req.remoteRoot ?? defaultRemoteRoot(req.deviceId, home) };
      const created = createRun(db, DEPLOY_RUN_KIND, params);
      const job: LiveJob = { controller: new AbortController(), current: null, message: 'starting', done: Promise.resolve() };
      job.done = run(created.id, params, job);
      jobs.add(created.id, job);
      return status(created.id);
    },
    deployStatus: status,
    async cancel(runId) {
      const live = jobs.get(runId);
      live?.controller.abort();
      if (live) await live.done;
      return status(runId);
    },
  };
}
