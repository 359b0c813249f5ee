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
import { RunnerAbortedError } from './runner-errors.ts';

export interface RunnerContext {
  /** TF.js with the backend already started (engine/tfjs-backend.ts or engine/browser-backend.ts). */
  tf: typeof TF;
  /** The backend in words, reported with every measurement (e.g. "wasm (SIMD, 1 thread)"). */
  backend: string;
  /** Milliseconds clock, e.g. performance.now. */
  now: () => number;
  /** Which host runs (default 'tfjs-node'). */
  runner?: RunnerKind;
  /** Seed of the weights and the input (default 1). */
  seed?: number;
  signal?: AbortSignal;
}

export interface RunBenchOptions extends RunnerContext {
  onMeasurement(m: Measurement): void;
}

/** Times `cases` (a subset of `plan.cases`, in order) with the plan's warmup and repeats. */
export async function runBenchCases(plan: BenchPlan, cases: readonly BenchCase[], opts: RunBenchOptions): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const c of cases) {
    // Let an abort (or a page's events) through between cases.
    await new Promise((r) => setTimeout(r, 0));
    if (opts.signal?.aborted) throw new RunnerAbortedError(`stopped before case "${c.id}" (${out.length} of ${cases.length} measured)`);
    const times = await timeSpec(c.spec, plan.warmup, plan.repeats, opts);
    // The case's own layer is the last one (an FC case has a flatten in front of it).
    const s = summarizeTimings(times.layerMs[times.layerMs.length - 1]);
    const m: Measurement = {
      caseId: c.id, kind: c.kind, kernel: c.kernel, macc: c.macc, ...s,
      runner: opts.runner ?? 'tfjs-node', backend: opts.backend, measuredAt: new Date().toISOString(),
    };
    out.push(m);
    opts.onMeasurement(m);
  }
  return out;
}

async function timeSpec(spec: ModelSpec, warmup: number, repeats: number, ctx: RunnerContext): Promise<LayerTimes> {
  const { tf } = ctx;
  const executor = new SpecExecutor(spec, initWeights(spec, ctx.seed ?? 1));
  const input = tf.randomNormal([1, ...spec.inputShape], 0, 1, 'float32', ctx.seed ?? 1) as TF.Tensor4D;
  try {
    const timing = { warmup, repeats, now: ctx.now };
    // WebGL queues work on the GPU: wait with data() so the page is not stalled.
    return tf.getBackend() === 'webgl' ? await executor.timeLayersAsync(input, timing) : executor.timeLayers(input, timing);
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
}

/** Times a whole model (for measured-versus-estimated checks): total and per-layer medians. */
export async function runModelTiming(spec: ModelSpec, opts: RunnerContext & { warmup: number; repeats: number }): Promise<ModelTiming> {
  if (opts.signal?.aborted) throw new RunnerAbortedError(`stopped before model "${spec.name}"`);
  const times = await timeSpec(spec, opts.warmup, opts.repeats, opts);
  const analysis = analyzeModel(spec);
  return {
    model: spec.name,
    macc: analysis.macc,
    backend: opts.backend,
    total: summarizeTimings(times.totalMs),
    layers: analysis.layers.map((l, i) => ({ layerId: l.layer.id, type: l.layer.type, macc: l.macc, medianMs: summarizeTimings(times.layerMs[i]).medianMs })),
  };
}

/** A model timing as a Measurement record (kind 'model'), for storing beside the micro-benchmarks. */
export function modelMeasurement(t: ModelTiming, runner: RunnerKind, measuredAt = new Date().toISOString()): Measurement {
  return { caseId: `model-${t.model}`, kind: 'model', kernel: null, macc: t.macc, ...t.total, runner, backend: t.backend, measuredAt };
}
