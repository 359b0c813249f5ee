/**
 * Whole-model timing in the Node host (validation on a device): run as
 * `node edgetree-runner.cjs --models models.json [--repeats N] [--warmup N] [--warmup-ms MS] [--timed-ms MS] [--batch-ms MS]`, where the
 * file is a JSON array of model specs. Prints a start line with the backend, then one
 * JSON line per model with its total and per-layer medians as it finishes.
 * Exit 2: bad arguments or models file; 3: no fast backend; 1: a model failed.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TFJS_WASM_FILES } from '../../engine/wasm-files.ts';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { parseModelSpecJson } from '../../dnn/formats/spec-json.ts';
import { runModelTiming } from '../runner/run-bench-cases.ts';
import { createSpeedReference } from '../runner/speed-reference.ts';
import { encodeModelRunnerLine } from './model-runner-line.ts';
import { runModelTimingOrt } from './ort-host.ts';
import { startRuntime } from './start-runtime.ts';
import { isRunnerRuntime, RUNNER_RUNTIMES, type RunnerRuntime } from './runner-runtime.ts';
import { BATCH_MS } from '../runner/batch-means.ts';
import { firstWarmupMs, ownTiming } from './own-cpu-quota.ts';

export class ModelRunnerArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelRunnerArgsError';
  }
}

/**
 * warmupMs / timedMs: each model is warmed and timed for at least this long as well as
 * for the counts (as on this computer, profiler/validation/local-model-timer.ts): a fresh
 * process runs its first model 2-3x slow until the JIT and WASM tiers settle. batchMs: under a
 * CPU quota, runs are summarised in batches of at least this many ms and five of the quota's
 * periods (profiler/runner/batch-means.ts), as the plan's cases are.
 */
interface ModelRunnerArgs { models: string; repeats: number; warmup: number; warmupMs: number; timedMs: number; batchMs: number; wasmDir?: string; runtime?: RunnerRuntime }

function milliseconds(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 600_000) throw new ModelRunnerArgsError(`edgetree-runner: ${flag} must be a whole number of milliseconds 0..600000, got "${value}"`);
  return n;
}

function count(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new ModelRunnerArgsError(`edgetree-runner: ${flag} must be a whole number 1..10000, got "${value}"`);
  return n;
}

export function parseModelRunnerArgs(argv: readonly string[]): ModelRunnerArgs {
  const args: Partial<ModelRunnerArgs> = { repeats: 10, warmup: 3, warmupMs: 300, timedMs: 500, batchMs: BATCH_MS };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new ModelRunnerArgsError(`edgetree-runner: ${flag} needs a value`);
    if (flag === '--models') args.models = value;
    else if (flag === '--repeats') args.repeats = count(flag, value);
    else if (flag === '--warmup') args.warmup = count(flag, value);
    else if (flag === '--warmup-ms') args.warmupMs = milliseconds(flag, value);
    else if (flag === '--timed-ms') args.timedMs = milliseconds(flag, value);
    else if (flag === '--batch-ms') args.batchMs = milliseconds(flag, value);
    else if (flag === '--wasm-dir') args.wasmDir = value;
    else if (flag === '--runtime' && isRunnerRuntime(value)) args.runtime = value;
    else throw new ModelRunnerArgsError(`edgetree-runner: unknown argument ${flag} ${value} (use --models FILE [--repeats N] [--warmup N] [--warmup-ms MS] [--timed-ms MS] [--batch-ms MS] [--wasm-dir DIR] [--runtime ${RUNNER_RUNTIMES.join('|')}])`);
  }
  if (args.models === undefined) throw new ModelRunnerArgsError('edgetree-runner: --models FILE is required');
  return args as ModelRunnerArgs;
}

async function readModels(path: string): Promise<ModelSpec[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new ModelRunnerArgsError(`${path}: cannot read the models file (${(e as Error).message})`);
  }
  if (!Array.isArray(raw)) throw new ModelRunnerArgsError(`${path}: the models file must be a JSON array of model specs`);
  return raw.map((m, i) => parseModelSpecJson(`${path} [${i}]`, m));
}

function bundledWasmDir(): string | undefined {
  const here = process.argv[1] ? dirname(process.argv[1]) : '';
  return here && TFJS_WASM_FILES.every((f) => existsSync(join(here, f))) ? here : undefined;
}

/** Runs the model mode; returns the exit code. */
export async function runNodeModelRunner(argv: readonly string[], write: (line: string) => void, fail: (message: string) => void): Promise<number> {
  let args: ModelRunnerArgs;
  let models: ModelSpec[];
  try {
    args = parseModelRunnerArgs(argv);
    models = await readModels(args.models);
  } catch (e) {
    fail((e as Error).message);
    return 2;
  }
  const runtime = await startRuntime({ prefer: 'wasm', wasmDir: args.wasmDir ?? bundledWasmDir(), runtime: args.runtime });
  if ('error' in runtime) {
    fail(runtime.error);
    return 3;
  }
  const { backend, ort } = runtime;
  const ownBatches = ownTiming(args.batchMs);
  write(encodeModelRunnerLine({ type: 'model-start', backend, models: models.length, timing: ownBatches.describe }));
  const reference = createSpeedReference(tf, () => performance.now(), 40);
  try {
    for (const [i, spec] of models.entries()) {
      try {
        const warmupMs = i === 0 ? firstWarmupMs(ownBatches, args.warmupMs) : args.warmupMs;
        const budget = { warmup: args.warmup, warmupMs, repeats: args.repeats, timedMs: args.timedMs, batchMs: ownBatches.batchMs };
        const now = (): number => performance.now();
        const timing = ort !== null
          ? await runModelTimingOrt(ort, spec, budget, { backend, now, reference })
          : await runModelTiming(spec, { tf, backend, now, ...budget, runner: 'tfjs-node', reference });
        write(encodeModelRunnerLine({ type: 'model-timing', timing }));
      } catch (e) {
        fail(`edgetree-runner: model "${spec.name}" failed: ${(e as Error).message}`);
        return 1;
      }
    }
  } finally {
    reference.dispose();
  }
  return 0;
}
