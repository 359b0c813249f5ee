/**
 * The runner core shared by every host (Node on a board or this computer, a web page on a
 * phone): builds each one-layer case with the spec executor and seeded random weights,
 * warms up, times the repeats and reports a Measurement as each case finishes. No Node
 * I/O here: hosts pass in TF.js (with its backend already chosen), a clock and a sink.
 */
import type * as TF from '@tensorflow/tfjs';
import type { BenchCase, BenchPlan } from '../bench-plan.ts';
import type { Measurement, RunnerKind } from '../measurement.ts';
import { initWeights } from '../../dnn/tfjs/init-weights.ts';
import { SpecExecutor } from '../../dnn/tfjs/spec-executor.ts';
import type { LayerTimes } from '../../dnn/tfjs/spec-executor.ts';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { summarizeTimings } from './timing-summary.ts';
import { BatchCounter, batchMeans, cpuScaledBatches, MIN_BATCHES } from './batch-means.ts';
import { RunnerAbortedError } from './runner-errors.ts';
import type { SpeedReference } from './speed-reference.ts';
import { flushCaches } from './flush-caches.ts';

export interface RunnerContext {
  /** TF.js with the backend already started (engine/tfjs-backend.ts or engine/browser-backend.ts). */
  tf: typeof TF;
  /** The backend in words, reported with every measurement (e.g. "wasm (SIMD, 1 thread)"). */
  backend: string;
  /** Milliseconds clock, e.g. performance.now. */
  now: () => number;
  /**
   * The process's CPU time in ms (Node: process.cpuUsage), where the host can read it: under a
   * quota, a case is then summarised by cpuScaledBatches (its median run times each stretch's
   * wall over CPU time) instead of batchMeans, and a case that flushes the caches is batched
   * too; without it, a flushed case keeps its median run.
   */
  cpuNow?: () => number;
  /** Which host runs (default 'tfjs-node'). */
  runner?: RunnerKind;
  /** Seed of the weights and the input (default 1). */
  seed?: number;
  signal?: AbortSignal;
}

export interface RunBenchOptions extends RunnerContext {
  onMeasurement(m: Measurement): void;
  /**
   * Warm-up, ms, of the first case instead of the plan's: a fresh process (the Node runner
   * runs a chunk of cases per process) has its JS and WASM code still cold, which made the
   * first case of a chunk time 2-3x slow (own-cpu-quota.ts firstWarmupMs). Default: the
   * plan's (a page that calls once per case has warmed up already).
   */
  firstWarmupMs?: number;
  /** Timed after each case (the process warm by then); its median goes with the case's measurement as referenceMs. */
  reference?: SpeedReference;
  /**
   * Batches of this many ms of runs, each summarised by its mean (batch-means.ts): what the
   * runner's own CPU quota asks for (ownTiming, at least the plan's batchMs). 0 or absent:
   * each run on its own, as without a quota.
   */
  batchMs?: number;
}

/** How long to warm up and time one spec. */
export interface TimingBudget {
  /** Untimed runs, at least. */
  warmup: number;
  /** ...and untimed ms, at least (default 0). */
  warmupMs?: number;
  /** Timed runs, at least. */
  repeats: number;
  /** ...and timed ms, at least, in batches of `repeats` up to 20 batches (default 0). */
  timedMs?: number;
  /** Bytes written to a scratch buffer before each timed run (BenchPlan.flushBytes); default 0. */
  flushBytes?: number;
  /**
   * Summarise batches of at least this many ms of runs by their means (batch-means.ts), and
   * time at least MIN_BATCHES of them; default 0: each run on its own.
   */
  batchMs?: number;
}

/**
 * How one case of `plan` is timed. The plan's batchMs applies under a CPU quota only: without
 * one, the median run is steadier than batch means, which carry a model's garbage-collection
 * pauses. Where the host reads CPU time (RunnerContext.cpuNow) a case that flushes the caches
 * before each run is batched too.
 */
export function caseBudget(plan: BenchPlan, c: BenchCase, warmupMs: number, batchMs: number): TimingBudget {
  const flushBytes = c.flushBytes ?? plan.flushBytes;
  return { warmup: plan.warmup, warmupMs, repeats: plan.repeats, timedMs: plan.timedMs, flushBytes, batchMs };
}

/**
 * Whether timed runs meet the budget: `spentMs` over `rounds` rounds of `repeats` runs, of
 * which `batches` (a BatchCounter) completed batches of batchMs.
 */
export function timedEnough(budget: TimingBudget, spentMs: number, rounds: number, batches: BatchCounter): boolean {
  const timed = spentMs >= (budget.timedMs ?? 0) || rounds >= MAX_BATCHES;
  // The cap only stops a clock that does not move.
  return timed && ((budget.batchMs ?? 0) <= 0 || batches.complete >= MIN_BATCHES || rounds >= MAX_BATCHES * 1000);
}

/** Times `cases` (a subset of `plan.cases`, in order) with the plan's warmup and repeats. */
export async function runBenchCases(plan: BenchPlan, cases: readonly BenchCase[], opts: RunBenchOptions): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const [i, c] of cases.entries()) {
    // Let an abort (or a page's events) through between cases.
    await new Promise((r) => setTimeout(r, 0));
    if (opts.signal?.aborted) throw new RunnerAbortedError(`stopped before case "${c.id}" (${out.length} of ${cases.length} measured)`);
    const warmupMs = i === 0 ? opts.firstWarmupMs ?? plan.warmupMs ?? 0 : plan.warmupMs ?? 0;
    const times = await timeSpec(c.spec, caseBudget(plan, c, warmupMs, opts.batchMs ?? 0), opts);
    const referenceMs = opts.reference?.timeMs();
    // The case's own layer is the last one (an FC case has a flatten in front of it).
    const s = summarizeTimings(times.layerMs[times.layerMs.length - 1]);
    const m: Measurement = {
      caseId: c.id, kind: c.kind, kernel: c.kernel, macc: c.macc, ...s,
      runner: opts.runner ?? 'tfjs-node', backend: opts.backend, measuredAt: new Date().toISOString(),
      ...(referenceMs !== undefined && { referenceMs }),
    };
    out.push(m);
    opts.onMeasurement(m);
  }
  return out;
}

/** Most batches of `repeats` timed runs that `timedMs` may ask for (batchMs may ask for more). */
export const MAX_BATCHES = 20;

async function timeSpec(spec: ModelSpec, budget: TimingBudget, ctx: RunnerContext): Promise<LayerTimes> {
  const { tf } = ctx;
  const executor = new SpecExecutor(spec, initWeights(spec, ctx.seed ?? 1));
  const input = tf.randomNormal([1, ...spec.inputShape], 0, 1, 'float32', ctx.seed ?? 1) as TF.Tensor4D;
  // WebGL queues work on the GPU: wait with data() so the page is not stalled.
  const webgl = tf.getBackend() === 'webgl';
  try {
    // Warm up by count and by time: V8 tiers WASM and JS code up after a budget of calls, not a fixed count.
    const start = ctx.now();
    for (let r = 0; r < budget.warmup || ctx.now() - start < (budget.warmupMs ?? 0); r++) {
      const y = executor.predict(input);
      if (webgl) await y.data();
      else y.dataSync();
      y.dispose();
    }
    const flush = budget.flushBytes ?? 0;
    // Under a quota, where the host reads CPU time, each call (flush and runs) is timed by wall and CPU
    // clock and the runs scaled by their stretch's wall over CPU (cpuScaledBatches); a flushed case
    // without a CPU clock keeps its median run.
    const cpuNow = (budget.batchMs ?? 0) > 0 ? ctx.cpuNow : undefined;
    const batchMs = flush > 0 && cpuNow === undefined ? 0 : budget.batchMs ?? 0;
    // With a flush, one run per call so that the caches are cleared before each timed run; in
    // batches, one call per round until the batches are complete, not `repeats` flushes a round
    // (40 flushes of 64 MiB took ~0.8 s of a 0.5 quota per cold case).
    const timing = { warmup: 0, repeats: flush > 0 ? 1 : budget.repeats, now: ctx.now };
    const calls = flush > 0 && batchMs <= 0 ? budget.repeats : 1;
    const times: LayerTimes = { layerMs: spec.layers.map(() => []), totalMs: [] };
    const stretches = { wallMs: [] as number[], cpuMs: [] as number[] };
    let spent = 0;
    const batches = new BatchCounter(batchMs);
    for (let round = 1; ; round++) {
      for (let call = 0; call < calls; call++) {
        const w0 = ctx.now();
        const c0 = cpuNow?.() ?? 0;
        if (flush > 0) flushCaches(flush);
        const t = webgl ? await executor.timeLayersAsync(input, timing) : executor.timeLayers(input, timing);
        t.layerMs.forEach((ms, i) => times.layerMs[i].push(...ms));
        times.totalMs.push(...t.totalMs);
        for (const ms of t.totalMs) spent += ms;
        if (cpuNow !== undefined) {
          stretches.wallMs.push(ctx.now() - w0);
          stretches.cpuMs.push(cpuNow() - c0);
          batches.add(stretches.wallMs[stretches.wallMs.length - 1]);
        } else {
          for (const ms of t.totalMs) batches.add(ms);
        }
      }
      if (timedEnough({ ...budget, batchMs }, spent, round, batches)) break;
    }
    return cpuNow !== undefined ? cpuScaledBatches(times, stretches, batchMs) : batchMeans(times, batchMs);
  } finally {
    input.dispose();
    executor.dispose();
  }
}

export interface ModelLayerTiming {
  layerId: string;
  type: string;
  macc: number;
  medianMs: number;
}

export interface ModelTiming {
  model: string;
  macc: number;
  backend: string;
  /** The whole forward per repeat, summarised. */
  total: ReturnType<typeof summarizeTimings>;
  /** Median per layer, in the spec's order. */
  layers: ModelLayerTiming[];
  /** The speed reference's median timed in the same process just after the model (see speed-reference.ts). */
  referenceMs?: number;
}

/** Times a whole model (for measured-versus-estimated checks): total and per-layer medians. */
export async function runModelTiming(spec: ModelSpec, opts: RunnerContext & TimingBudget & { reference?: SpeedReference }): Promise<ModelTiming> {
  if (opts.signal?.aborted) throw new RunnerAbortedError(`stopped before model "${spec.name}"`);
  const times = await timeSpec(spec, opts, opts);
  const referenceMs = opts.reference?.timeMs();
  const analysis = analyzeModel(spec);
  return {
    model: spec.name,
    macc: analysis.macc,
    backend: opts.backend,
    total: summarizeTimings(times.totalMs),
    layers: analysis.layers.map((l, i) => ({ layerId: l.layer.id, type: l.layer.type, macc: l.macc, medianMs: summarizeTimings(times.layerMs[i]).medianMs })),
    ...(referenceMs !== undefined && { referenceMs }),
  };
}

/** A model timing as a Measurement record (kind 'model'), for storing beside the micro-benchmarks. */
export function modelMeasurement(t: ModelTiming, runner: RunnerKind, measuredAt = new Date().toISOString()): Measurement {
  return { caseId: `model-${t.model}`, kind: 'model', kernel: null, macc: t.macc, ...t.total, runner, backend: t.backend, measuredAt };
}
