/**
 * Calibration of an ADB phone in its own browser (runBenchOnPhone): each measurement is
 * stored as the page posts it, so a phone that drops loses nothing already measured; a
 * resumed run hands the page only the cases it lacks. The bench session cannot see the
 * phone go (its browser just stops posting), so the adb server's device list is watched
 * while the page runs and a phone that leaves the `device` state ends the run as failed.
 */
import type { Database } from 'better-sqlite3';
import type { AdbDevices } from '../native-bridge/adb-devices.ts';
import type { BenchPlan } from '../profiler/bench-plan.ts';
import { runBenchOnPhone } from '../profiler/hosts/browser/run-on-phone.ts';
import { insertMeasurement, measuredCaseIds } from '../profiles/measurement-repository.ts';
import { getRun, updateRun } from '../profiles/run-repository.ts';
import type { LiveJob } from './job-registry.ts';

/** The phone left the adb server's list (or went offline) while its browser was measuring. */
export class PhoneDroppedError extends Error {
  constructor(deviceId: string, state: string, measured: number, total: number) {
    super(`device ${deviceId} dropped during calibration (adb now reports it ${state}) after ${measured} of ${total} cases; the ${measured} measurements are kept: reconnect the phone and resume the run`);
    this.name = 'PhoneDroppedError';
  }
}

export interface PhoneCalibrationOptions {
  db: Database;
  runId: string;
  deviceId: string;
  plan: BenchPlan;
  adb: AdbDevices;
  /** Folder of the built bench page. */
  pageDir: string;
  job: LiveJob;
  /** How often the device list is checked for a dropped phone (default 500 ms). */
  watchMs?: number;
  timeoutMs?: number;
}

export interface PhoneCalibrationResult {
  measured: number;
  total: number;
  backend: string;
}

function resultOf(db: Database, runId: string): Record<string, unknown> {
  const r = getRun(db, runId).result;
  return typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as Record<string, unknown>) : {};
}

export async function calibratePhone(opts: PhoneCalibrationOptions): Promise<PhoneCalibrationResult> {
  const { db, runId, deviceId, plan, job } = opts;
  const serial = deviceId.slice('adb:'.length);
  const total = plan.cases.length;
  const have = measuredCaseIds(db, runId);
  let backend = '';
  const nextCase = (): string | null => plan.cases.find((c) => !have.has(c.id))?.id ?? null;
  updateRun(db, runId, 'running', resultOf(db, runId));

  // Stops the page's wait when the phone drops; the user's cancel stays job.controller.
  const drop = new AbortController();
  let dropState: string | null = null;
  const watch = setInterval(() => {
    opts.adb.list().then((list) => {
      const entry = list.find((d) => d.serial === serial);
      if (!entry || (entry.state !== 'device' && entry.state !== 'emulator')) {
        dropState = entry ? `"${entry.state}"` : 'no longer listed';
        drop.abort();
      }
    }, (e: Error) => {
      dropState = `unreachable (${e.message})`;
      drop.abort();
    });
  }, opts.watchMs ?? 500);
  try {
    job.message = `opening the benchmark page in ${deviceId}'s browser (${have.size} of ${total} cases measured)`;
    job.current = nextCase();
    await runBenchOnPhone({
      devices: opts.adb, serial, plan, pageDir: opts.pageDir, skipCaseIds: have,
      signal: AbortSignal.any([job.controller.signal, drop.signal]),
      ...(opts.timeoutMs !== undefined && { timeoutMs: opts.timeoutMs }),
      onOpened: (url) => { job.message = `the phone's browser opened ${url.replace(/token=[0-9a-f]+/, 'token=…')}`; },
      onMeasurement: (m) => {
        insertMeasurement(db, runId, m);
        have.add(m.caseId);
        backend = m.backend;
        job.current = nextCase();
        job.message = `${m.caseId}: ${m.medianMs.toFixed(3)} ms on ${m.backend} (${have.size} of ${total})`;
      },
    });
  } catch (e) {
    if (dropState !== null && !job.controller.signal.aborted) throw new PhoneDroppedError(deviceId, dropState, measuredCaseIds(db, runId).size, total);
    throw e;
  } finally {
    clearInterval(watch);
  }
  const measured = measuredCaseIds(db, runId).size;
  updateRun(db, runId, 'running', { ...resultOf(db, runId), measured, total, backend });
  return { measured, total, backend };
}
