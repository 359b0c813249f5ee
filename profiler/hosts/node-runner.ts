/**
 * The Node host of the runner: run on the target (this computer, a Linux board over SSH)
 * as `node edgetree-runner.cjs --plan plan.json [--skip skip.json] [--only id,id]`.
 * Starts TF.js on a fast backend (never silently the slow cpu one), times the plan's
 * cases and prints one JSON line per measurement as it finishes, then a summary line.
 * Exit 2: bad arguments or plan; 3: no fast backend; 1: a case failed.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TFJS_WASM_FILES } from '../../engine/wasm-files.ts';
import type { BenchCase, BenchPlan } from '../bench-plan.ts';
import { parseBenchPlan } from '../plan/parse-bench-plan.ts';
import { BenchPlanError } from '../plan/bench-plan-error.ts';
import { runBenchCases } from '../runner/run-bench-cases.ts';
import { encodeRunnerLine } from '../runner/runner-line.ts';
import { createSpeedReference } from '../runner/speed-reference.ts';
import type { Measurement } from '../measurement.ts';
import { runBenchCasesOrt } from './ort-host.ts';
import { startRuntime } from './start-runtime.ts';
import { isRunnerRuntime, RUNNER_RUNTIMES, type RunnerRuntime } from './runner-runtime.ts';
import { firstWarmupMs, ownTiming, processCpuMs } from './own-cpu-quota.ts';

/** Test hook: the runner kills itself after this many measurements, as a crash would. */
export const CRASH_AFTER_ENV = 'EDGETREE_RUNNER_CRASH_AFTER';

export interface NodeRunnerArgs {
  plan: string;
  skip?: string;
  only?: string[];
  wasmDir?: string;
  prefer?: 'wasm' | 'tensorflow';
  runtime?: RunnerRuntime;
}

export function parseNodeRunnerArgs(argv: readonly string[]): NodeRunnerArgs {
  const args: Partial<NodeRunnerArgs> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new BenchPlanError(`edgetree-runner: ${flag} needs a value`);
    i++;
    if (flag === '--plan') args.plan = value;
    else if (flag === '--skip') args.skip = value;
    else if (flag === '--only') args.only = value.split(',').filter((s) => s.length > 0);
    else if (flag === '--wasm-dir') args.wasmDir = value;
    else if (flag === '--prefer' && (value === 'wasm' || value === 'tensorflow')) args.prefer = value;
    else if (flag === '--runtime' && isRunnerRuntime(value)) args.runtime = value;
    else throw new BenchPlanError(`edgetree-runner: unknown argument ${flag} ${value} (use --plan FILE [--skip FILE] [--only ID,ID] [--wasm-dir DIR] [--prefer wasm|tensorflow] [--runtime ${RUNNER_RUNTIMES.join('|')}])`);
  }
  if (args.plan === undefined) throw new BenchPlanError('edgetree-runner: --plan FILE is required');
  return args as NodeRunnerArgs;
}

/** The .wasm files beside the running script (the bundle), else the installed package's. */
function bundledWasmDir(): string | undefined {
  const here = process.argv[1] ? dirname(process.argv[1]) : '';
  return here && TFJS_WASM_FILES.every((f) => existsSync(join(here, f))) ? here : undefined;
}

async function readSkip(path: string): Promise<Set<string>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new BenchPlanError(`${path}: cannot read the list of case ids to skip (${(e as Error).message})`);
  }
  if (!Array.isArray(raw) || !raw.every((x) => typeof x === 'string')) throw new BenchPlanError(`${path}: the skip list must be a JSON array of case ids`);
  return new Set(raw);
}

/** Runs the host; returns the exit code. Output lines go to `write`, messages to `fail`. */
export async function runNodeRunner(argv: readonly string[], write: (line: string) => void, fail: (message: string) => void): Promise<number> {
  let args: NodeRunnerArgs;
  let cases: BenchCase[];
  let plan: BenchPlan;
  try {
    args = parseNodeRunnerArgs(argv);
    let text: string;
    try {
      text = await readFile(args.plan, 'utf8');
    } catch (e) {
      throw new BenchPlanError(`${args.plan}: cannot read the plan (${(e as Error).message})`);
    }
    plan = parseBenchPlan(text, args.plan);
    const skip = args.skip === undefined ? new Set<string>() : await readSkip(args.skip);
    const only = args.only === undefined ? null : new Set(args.only);
    if (only) {
      const unknown = [...only].filter((id) => !plan.cases.some((c) => c.id === id));
      if (unknown.length > 0) throw new BenchPlanError(`${args.plan}: --only names cases not in the plan: ${unknown.join(', ')}`);
    }
    // --only runs its cases in the order it names them (a later pass of a calibration runs them in another order).
    const listed = only === null ? plan.cases : [...only].map((id) => plan.cases.find((c) => c.id === id) as BenchCase);
    cases = listed.filter((c) => !skip.has(c.id));
  } catch (e) {
    fail((e as Error).message);
    return 2;
  }
  const runtime = await startRuntime({ prefer: args.prefer ?? 'wasm', wasmDir: args.wasmDir ?? bundledWasmDir(), runtime: args.runtime });
  if ('error' in runtime) {
    fail(runtime.error);
    return 3;
  }
  const { backend, ort } = runtime;
  const timing = ownTiming(plan.batchMs);
  write(encodeRunnerLine({ type: 'start', backend, cases: cases.length, timing: timing.describe }));
  const crashAfter = Number(process.env[CRASH_AFTER_ENV] ?? NaN);
  const started = performance.now();
  let measured = 0;
  const reference = createSpeedReference(tf, () => performance.now(), plan.repeats);
  try {
    const onMeasurement = (m: Measurement): void => {
      write(encodeRunnerLine({ type: 'measurement', measurement: m }));
      measured += 1;
      if (measured === crashAfter) process.kill(process.pid, 'SIGKILL');
    };
    const now = (): number => performance.now();
    if (ort !== null) await runBenchCasesOrt(ort, plan, cases, { backend, now, cpuNow: processCpuMs, firstWarmupMs: firstWarmupMs(timing, plan.warmupMs ?? 0), reference, onMeasurement, batchMs: timing.batchMs });
    else await runBenchCases(plan, cases, { tf, backend, now, cpuNow: processCpuMs, runner: 'tfjs-node', firstWarmupMs: firstWarmupMs(timing, plan.warmupMs ?? 0), reference, onMeasurement, batchMs: timing.batchMs });
  } catch (e) {
    fail(`edgetree-runner: case ${cases[measured]?.id ?? '?'} failed: ${(e as Error).message}`);
    return 1;
  } finally {
    reference.dispose();
  }
  write(encodeRunnerLine({ type: 'summary', measured, skipped: plan.cases.length - cases.length, backend, elapsedMs: performance.now() - started }));
  return 0;
}
