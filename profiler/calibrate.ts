/**
 * Calibration of a device over its transport: push the Node runner bundle and the plan to
 * a work dir on the device, run the plan there, and store each measurement as it comes
 * back. The transports' exec returns output only when the command ends, so the plan runs
 * in chunks of a few cases per exec: a device that drops loses at most the chunk in
 * progress, and a runner that crashes loses nothing it printed. A run resumes by id,
 * skipping the cases it already has.
 */
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import type { Database } from 'better-sqlite3';
import type { DeviceTransport } from '../native-bridge/device-transport.ts';
import { CommandAbortedError } from '../native-bridge/errors.ts';
import { shellQuote } from '../native-bridge/shell-quote.ts';
import type { BenchPlan } from './bench-plan.ts';
import { checkBenchPlan } from './plan/parse-bench-plan.ts';
import { parseRunnerOutput } from './runner/runner-line.ts';
import { createRun, getRun, updateRun } from '../profiles/run-repository.ts';
import { insertMeasurement, measuredCaseIds } from '../profiles/measurement-repository.ts';
import { CalibrationError } from './calibration-error.ts';
import { NODE_RUNNER_FILE } from './hosts/node-runner-file.ts';
import { writePlanFile } from './hosts/write-plan-file.ts';
import { planItems } from './plan/case-passes.ts';

export const CALIBRATION_RUN_KIND = 'calibration';

export interface CalibrationProgress {
  /** The calibration run (new or resumed), e.g. to offer a resume later. */
  runId: string;
  phase: 'push' | 'run' | 'done';
  caseId?: string;
  /** Cases measured so far in this run (resumed ones included). */
  done: number;
  total: number;
  message: string;
}

export interface CalibrateOptions {
  transport: DeviceTransport;
  deviceId: string;
  /** Required for a new run; a resumed run uses the plan stored with it. */
  plan?: BenchPlan;
  store: Database;
  /** Resume this calibration run: the cases it has are skipped. */
  runId?: string;
  signal?: AbortSignal;
  onProgress?(event: CalibrationProgress): void;
  /** The folder made by buildNodeRunner (runner + .wasm files). */
  bundleDir: string;
  /** Node on the device (default `node`). */
  nodeCommand?: string;
  /**
   * Cases per exec (default 12): what a dropped connection can lose. Each exec is a fresh
   * runner process that warms up again, so fewer, longer execs waste less.
   */
  casesPerExec?: number;
  /** Allowed seconds per case in an exec, on top of a minute for the runner to start (default 120). */
  caseTimeoutS?: number;
  /** Extra environment for the runner on the device (e.g. the tests' crash hook). */
  runnerEnv?: Record<string, string>;
  /** Extra arguments for the runner (e.g. `--runtime onnxruntime`). */
  runnerArgs?: string[];
}

export interface CalibrationResult {
  runId: string;
  status: 'done';
  measured: number;
  total: number;
  backend: string;
  /** How the runner summarised its runs (the median run, or batch means under a CPU quota it read). */
  timing?: string;
}

interface CalibrationParams { deviceId: string; plan: BenchPlan }

/**
 * The work dir on the device: Android's shell may only write under /data/local/tmp. Run ids
 * are per studio home, so a random token keeps two studios (or test stores) on one device apart.
 */
export function deviceWorkDir(transportId: string, runId: string, token: string): string {
  return `${transportId.startsWith('adb:') ? '/data/local/tmp' : '/tmp'}/edgetree-${runId}-${token}`;
}

export async function calibrateDevice(opts: CalibrateOptions): Promise<CalibrationResult> {
  const { transport, store: db } = opts;
  const { runId, plan } = openRun(opts);
  const items = planItems(plan);
  const total = items.length;
  const progress = (e: Omit<CalibrationProgress, 'runId'>): void => opts.onProgress?.({ runId, ...e });
  const workDir = deviceWorkDir(transport.id, runId, Math.random().toString(16).slice(2, 10));
  let backend = '';
  let timing: string | undefined;
  try {
    updateRun(db, runId, 'running');
    progress({ phase: 'push', done: measuredCaseIds(db, runId).size, total, message: `pushing the runner to ${transport.id}:${workDir}` });
    await pushRunner(opts, workDir, plan);

    const chunk = Math.max(1, opts.casesPerExec ?? 12);
    const env = Object.entries(opts.runnerEnv ?? {}).map(([k, v]) => `${k}=${shellQuote(v)} `).join('');
    const node = opts.nodeCommand ?? 'node';
    for (;;) {
      if (opts.signal?.aborted) throw new CommandAbortedError(transport.id, 'calibration');
      const have = measuredCaseIds(db, runId);
      // One pass per exec: a case appears once in a runner's --only.
      const missing = items.filter((it) => !have.has(it.key));
      const todo = missing.filter((it) => it.pass === missing[0]?.pass).slice(0, chunk);
      if (todo.length === 0) break;
      const names = todo.map((it) => it.key).join(', ');
      progress({ phase: 'run', caseId: todo[0].key, done: have.size, total, message: `running ${names}` });
      const command = `cd ${shellQuote(workDir)} && ${env}${shellQuote(node)} ${NODE_RUNNER_FILE} --plan plan.json --only ${shellQuote(todo.map((it) => it.case.id).join(','))}${(opts.runnerArgs ?? []).map((a) => ` ${shellQuote(a)}`).join('')}`;
      const result = await transport.exec(command, { timeoutMs: (60 + todo.length * (opts.caseTimeoutS ?? 120)) * 1000, signal: opts.signal });
      const parsed = parseRunnerOutput(result.stdout);
      let stored = 0;
      for (const line of parsed.lines) {
        if (line.type === 'start' || line.type === 'summary') backend = line.backend;
        if (line.type === 'start' && line.timing !== undefined) timing = line.timing;
        if (line.type !== 'measurement') continue;
        const item = todo.find((it) => it.case.id === line.measurement.caseId);
        if (item === undefined) continue;
        insertMeasurement(db, runId, { ...line.measurement, caseId: item.key });
        stored += 1;
        progress({ phase: 'run', caseId: item.key, done: have.size + stored, total, message: `${item.key}: ${line.measurement.medianMs.toFixed(3)} ms` });
      }
      if (result.exitCode !== 0) {
        const why = (result.stderr.trim() || parsed.other.join('\n')).split('\n').slice(-5).join('\n');
        throw new CalibrationError(`device ${opts.deviceId}: the runner exited with code ${result.exitCode} after ${stored} of ${todo.length} cases (${names}): ${why || 'no message'}`);
      }
      if (stored < todo.length) {
        throw new CalibrationError(`device ${opts.deviceId}: the runner finished but reported ${stored} of ${todo.length} cases (${names})`);
      }
    }
    const measured = measuredCaseIds(db, runId).size;
    updateRun(db, runId, 'done', { ...previousResult(db, runId), measured, total, backend, ...(timing !== undefined && { timing }) });
    progress({ phase: 'done', done: measured, total, message: `measured ${measured} cases on ${backend}${timing === undefined ? '' : `, each summarised by ${timing}`}` });
    return { runId, status: 'done', measured, total, backend, ...(timing !== undefined && { timing }) };
  } catch (e) {
    const cancelled = e instanceof CommandAbortedError || opts.signal?.aborted === true;
    const measured = measuredCaseIds(db, runId).size;
    const message = cancelled
      ? `device ${opts.deviceId}: calibration run ${runId} was cancelled after ${measured} of ${total} cases`
      : e instanceof CalibrationError
        ? e.message
        : `device ${opts.deviceId}: calibration run ${runId} failed after ${measured} of ${total} cases: ${(e as Error).message}`;
    updateRun(db, runId, cancelled ? 'cancelled' : 'failed', { ...previousResult(db, runId), measured, total, backend, error: message });
    progress({ phase: 'done', done: measured, total, message });
    if (e instanceof CalibrationError && !cancelled) throw e;
    throw new CalibrationError(message, { cause: e, cancelled });
  } finally {
    // Best effort: a device that dropped keeps the folder until its /tmp is cleared.
    await transport.exec(`rm -rf ${shellQuote(workDir)}`, { timeoutMs: 30_000 }).catch(() => undefined);
  }
}

/** What callers stored in the run's result (e.g. the job's owner) is kept, not replaced. */
function previousResult(db: Database, runId: string): Record<string, unknown> {
  const r = getRun(db, runId).result;
  return typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as Record<string, unknown>) : {};
}

function openRun(opts: CalibrateOptions): { runId: string; plan: BenchPlan } {
  if (opts.runId === undefined) {
    if (!opts.plan) throw new CalibrationError(`device ${opts.deviceId}: a new calibration needs a bench plan`);
    const plan = checkBenchPlan(opts.plan, 'the bench plan');
    const params: CalibrationParams = { deviceId: opts.deviceId, plan };
    return { runId: createRun(opts.store, CALIBRATION_RUN_KIND, params).id, plan };
  }
  const run = getRun(opts.store, opts.runId);
  if (run.kind !== CALIBRATION_RUN_KIND) throw new CalibrationError(`run ${run.id} is a ${run.kind} run, not a calibration to resume`);
  const params = run.params as Partial<CalibrationParams>;
  if (params.deviceId !== opts.deviceId) throw new CalibrationError(`run ${run.id} calibrated device ${String(params.deviceId)}, not ${opts.deviceId}`);
  if (run.status === 'done') throw new CalibrationError(`run ${run.id} is already done; nothing to resume`);
  return { runId: run.id, plan: checkBenchPlan(params.plan, `the plan stored with run ${run.id}`) };
}

async function pushRunner(opts: CalibrateOptions, workDir: string, plan: BenchPlan): Promise<void> {
  const { transport } = opts;
  const mk = await transport.exec(`mkdir -p ${shellQuote(workDir)}`, { timeoutMs: 30_000, signal: opts.signal });
  if (mk.exitCode !== 0) throw new CalibrationError(`device ${opts.deviceId}: cannot create ${workDir}: ${mk.stderr.trim()}`);
  const files = (await readdir(opts.bundleDir)).sort();
  if (!files.includes(NODE_RUNNER_FILE)) throw new CalibrationError(`${opts.bundleDir}: no ${NODE_RUNNER_FILE} here; build the runner bundle first`);
  for (const f of files) {
    if (opts.signal?.aborted) throw new CommandAbortedError(transport.id, 'push');
    await transport.push(join(opts.bundleDir, f), `${workDir}/${f}`);
  }
  const planFile = await writePlanFile(plan);
  try {
    await transport.push(planFile.path, `${workDir}/plan.json`);
  } finally {
    await planFile.remove();
  }
}
