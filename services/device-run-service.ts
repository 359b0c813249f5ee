/**
 * Device-run jobs (the Deploy screen's "start"): run the deployed bundle's Node host on a
 * device over its transport against the cloud server (device-run/run-on-device.ts), or on
 * an adb: phone the studio's copy of it (<home>/bundles) in the phone's browser
 * (device-run/run-on-phone-browser.ts), each
 * inference written to the run as it arrives, so a device that drops mid-run keeps what
 * was already measured (the run fails with the drop's message and its inferences).
 */
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../api/calibration-api.ts';
import type { DeviceRunInference, DeviceRunStatus, StartDeviceRunRequest } from '../api/field-test-api.ts';
import { readRemoteManifest, runOnDevice } from '../device-run/run-on-device.ts';
import { runOnPhoneBrowser } from '../device-run/run-on-phone-browser.ts';
import { summariseRun } from '../device-run/run-summary.ts';
import { testImages } from '../device-run/test-images.ts';
import { remoteLayout } from '../deploy/remote-layout.ts';
import type { InferenceTimeline } from '../runtime/core/inference-timeline.ts';
import type { RuntimeLine } from '../runtime/core/runtime-line.ts';
import { createRun, getRun, updateRun } from '../profiles/run-repository.ts';
import { defaultRemoteRoot } from './deploy-service.ts';
import type { DevicesService } from './devices-service.ts';
import { DeviceRequestError } from './device-request-error.ts';
import { currentOwner, ownerAlive } from './job-owner.ts';
import type { JobOwner } from './job-owner.ts';
import { JobRegistry } from './job-registry.ts';
import type { LiveJob } from './job-registry.ts';

export const DEVICE_RUN_KIND = 'device-run';
const WRITE_MS = 200;

interface DeviceRunParams {
  deviceId: string;
  remoteBundle: string;
  images: number;
  cloudUrl?: string;
  cloudToken?: string;
}

interface DeviceRunResult extends Partial<JobOwner> {
  model?: string;
  dataset?: string;
  inferences: DeviceRunInference[];
  summary?: DeviceRunStatus['summary'];
  error?: { name: string; message: string };
}

export interface DeviceRunService {
  startDeviceRun(req: StartDeviceRunRequest): Promise<DeviceRunStatus>;
  deviceRunStatus(runId: string): DeviceRunStatus;
  cancel(runId: string): Promise<DeviceRunStatus>;
}

function inferenceRow(t: InferenceTimeline, labels: ArrayLike<number>): DeviceRunInference {
  return {
    index: t.index, branch: t.branch.join('-'), cut: t.cut, bandwidthMbps: t.blocks[0]?.bandwidthMbps ?? 0,
    edgeMs: t.edgeMs, transferMs: t.transferMs, cloudMs: t.cloudMs, totalMs: t.totalMs, fallback: t.fallback !== undefined,
    predictedClass: t.predictedClass, label: labels.length > 0 ? labels[t.index % labels.length] : -1,
  };
}

export function createDeviceRunService(db: Database, devices: DevicesService, home: string, jobs = new JobRegistry()): DeviceRunService {
  function status(runId: string): DeviceRunStatus {
    let run = getRun(db, runId);
    if (run.kind !== DEVICE_RUN_KIND) throw new DeviceRequestError(`run ${runId} is a ${run.kind} run, not a device run`);
    if ((run.status === 'running' || run.status === 'queued') && !jobs.get(runId) && !ownerAlive(run.result)) {
      run = updateRun(db, runId, 'failed', { ...(run.result as DeviceRunResult), error: { name: 'DeviceRunError', message: `device run ${runId} was interrupted (the studio process that ran it stopped); its inferences so far are kept` } });
    }
    const p = run.params as DeviceRunParams;
    const r = (run.result ?? { inferences: [] }) as DeviceRunResult;
    const st = run.status as JobStatus;
    const n = r.inferences.length;
    return {
      runId: run.id, kind: 'device-run', deviceId: p.deviceId, status: st, done: n, total: p.images,
      current: st === 'running' ? `inference ${n + 1} of ${p.images}` : null,
      message: r.error ? r.error.message : r.summary ? `${n} inferences on ${p.deviceId}: mean ${r.summary.meanTotalMs.toFixed(1)} ms, ${r.summary.offloads} offloaded, accuracy ${(r.summary.accuracy * 100).toFixed(1)}%` : st,
      error: r.error ?? null, createdAt: run.createdAt, updatedAt: run.updatedAt,
      remoteBundle: p.remoteBundle, model: r.model ?? null, dataset: r.dataset ?? null, inferences: r.inferences, summary: r.summary ?? null,
    };
  }

  async function run(runId: string, p: DeviceRunParams, job: LiveJob): Promise<void> {
    const result: DeviceRunResult = { ...currentOwner(), inferences: [] };
    updateRun(db, runId, 'running', result);
    let labels: ArrayLike<number> = [];
    let timelines: InferenceTimeline[] = [];
    const finish = (): void => {
      const s = summariseRun(timelines, labels);
      result.summary = { meanTotalMs: s.meanTotalMs, offloads: s.offloads, fallbacks: s.fallbacks, accuracy: s.accuracy, correct: s.correct };
    };
    try {
      const transport = await devices.openTransport(p.deviceId);
      try {
        const manifest = await readRemoteManifest(transport, p.remoteBundle);
        result.model = manifest.model;
        result.dataset = manifest.dataset;
        const images = await testImages(manifest, p.images);
        labels = images.labels;
        let lastWrite = 0;
        const common = {
          remoteBundle: p.remoteBundle, images: images.bytes, count: images.count, signal: job.controller.signal,
          ...(p.cloudUrl !== undefined && { cloudUrl: p.cloudUrl, token: p.cloudToken }),
          onLine: (l: RuntimeLine) => {
            if (l.type !== 'inference') return;
            timelines.push(l);
            result.inferences.push(inferenceRow(l, labels));
            if (performance.now() - lastWrite >= WRITE_MS) {
              lastWrite = performance.now();
              updateRun(db, runId, 'running', result);
            }
          },
        };
        // A phone has no Node: it runs the studio's copy of the bundle in its own browser.
        const r = p.deviceId.startsWith('adb:')
          ? await runOnPhoneBrowser(transport, { ...common, adb: await devices.adb(), bundlePlaces: [join(home, 'bundles')] })
          : await runOnDevice(transport, common);
        timelines = r.timelines;
        result.inferences = r.timelines.map((t) => inferenceRow(t, labels));
        finish();
        updateRun(db, runId, 'done', result);
      } finally {
        await transport.close().catch(() => undefined);
      }
    } catch (e) {
      const err = e as Error;
      result.error = { name: err.name, message: err.message };
      finish();
      updateRun(db, runId, job.controller.signal.aborted ? 'cancelled' : 'failed', result);
    }
  }

  return {
    startDeviceRun(req) {
      const params: DeviceRunParams = {
        deviceId: req.deviceId, remoteBundle: req.remoteBundle ?? remoteLayout(defaultRemoteRoot(req.deviceId, home)).current, images: req.images ?? 20,
        ...(req.cloudUrl !== undefined && { cloudUrl: req.cloudUrl, cloudToken: req.cloudToken }),
      };
      const created = createRun(db, DEVICE_RUN_KIND, params);
      const job: LiveJob = { controller: new AbortController(), current: null, message: 'starting', done: Promise.resolve() };
      job.done = run(created.id, params, job);
      jobs.add(created.id, job);
      return Promise.resolve(status(created.id));
    },
    deviceRunStatus: status,
    async cancel(runId) {
      const live = jobs.get(runId);
      live?.controller.abort();
      if (live) await live.done;
      return status(runId);
    },
  };
}
