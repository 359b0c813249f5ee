/**
 * ONNX Runtime in the Node runner (`--runtime onnxruntime`): each spec is exported to ONNX
 * (profiler/native/onnx-export.ts) and run by onnxruntime-node on the CPU, one intra-op
 * thread, full graph optimisation (what an engineer ships). The whole run is timed on a
 * plain session; per-layer times come from a second, profiled session (ORT's own node
 * timings, put back on the layers by ort-node-layers.ts), as profiling adds time per node.
 *
 * onnxruntime-node is a native addon, so the runner bundle does not carry it: the device
 * needs it installed where Node finds it (NODE_PATH, or node_modules beside or above the
 * runner). This computer's runs point NODE_PATH at the studio's own.
 */
import { createRequire } from 'node:module';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { exportOnnx, ONNX_INPUT_NAME, toNchw } from '../native/onnx-export.ts';
import { layerTimesOfRun } from '../runner/ort-node-layers.ts';
import { caseBudget, timedEnough, type ModelTiming, type TimingBudget } from '../runner/run-bench-cases.ts';
import { BatchCounter, batchMeans, cpuScaledBatches } from '../runner/batch-means.ts';
import { summarizeTimings } from '../runner/timing-summary.ts';
import { RunnerAbortedError } from '../runner/runner-errors.ts';
import type { SpeedReference } from '../runner/speed-reference.ts';
import type { BenchCase, BenchPlan } from '../bench-plan.ts';
import type { Measurement } from '../measurement.ts';
import { flushCaches } from '../runner/flush-caches.ts';

export const ORT_PACKAGE = 'onnxruntime-node';

/** The runtime the user asked for is not on the device, or cannot load a model. */
export class RuntimeUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeUnavailableError';
  }
}

type OrtModule = typeof Ort;

/** onnxruntime-node as the device has it installed; RuntimeUnavailableError saying how to install it otherwise. */
export function loadOrt(): OrtModule {
  const require = createRequire(join(process.cwd(), 'edgetree-runner.cjs'));
  try {
    return require(ORT_PACKAGE) as OrtModule;
  } catch (e) {
    throw new RuntimeUnavailableError(`onnxruntime: the package ${ORT_PACKAGE} is not installed on this device (${(e as Error).message.split('\n')[0]}); install it with \`npm install ${ORT_PACKAGE}\` and set NODE_PATH to its node_modules`);
  }
}

export function ortBackend(ort: OrtModule): string {
  return `onnxruntime ${ort.env.versions.common} (cpu, 1 thread)`;
}

/** Runs `run` at least `count` times and for at least `ms`; returns how many runs it made. */
async function warmUp(run: () => Promise<unknown>, count: number, ms: number, now: () => number): Promise<number> {
  const start = now();
  let runs = 0;
  while (runs < count || now() - start < ms) {
    await run();
    runs++;
  }
  return runs;
}

/** Batches of `repeats` timed runs until the budget is met (timedEnough); returns each run's time. */
async function timedBatches(timedRun: () => Promise<number>, budget: TimingBudget, cutOn?: readonly number[]): Promise<number[]> {
  const runMs: number[] = [];
  let spent = 0;
  const batches = new BatchCounter(budget.batchMs ?? 0);
  for (let round = 1; ; round++) {
    for (let r = 0; r < budget.repeats; r++) {
      runMs.push(await timedRun());
      spent += runMs[runMs.length - 1];
      // With a CPU clock, runs are cut on their whole stretch, flush included (cpuScaledBatches).
      batches.add(cutOn?.[runMs.length - 1] ?? runMs[runMs.length - 1]);
    }
    if (timedEnough(budget, spent, round, batches)) return runMs;
  }
}

export interface OrtSpecTimes {
  /** Wall time of each timed run of the plain session. */
  totalMs: number[];
  /** Per layer, ms of each profiled run. */
  layerMs: number[][];
}

const sessionOptions = (extra: Ort.InferenceSession.SessionOptions = {}): Ort.InferenceSession.SessionOptions => ({
  executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', ...extra,
});

async function createSession(ort: OrtModule, spec: ModelSpec, bytes: Uint8Array, extra?: Ort.InferenceSession.SessionOptions): Promise<Ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, sessionOptions(extra));
  } catch (e) {
    throw new RuntimeUnavailableError(`onnxruntime cannot load model "${spec.name}": ${(e as Error).message}`);
  }
}

/**
 * Times `spec` in ONNX Runtime: warm-up and timed runs by count and by time, as TF.js specs are
 * timed. With `wholeRuns`, a plain session warms up and times whole runs, then a profiled one
 * times the layers; without (a micro-benchmark case needs only its layer's time), the profiled
 * session alone warms up by count and by time, and totalMs is empty.
 */
export async function timeSpecOrt(ort: OrtModule, spec: ModelSpec, budget: TimingBudget, now: () => number, wholeRuns = true, seed = 1, cpuNow?: () => number): Promise<OrtSpecTimes> {
  const analysis = analyzeModel(spec);
  const bytes = exportOnnx(spec);
  const dims = toNchw(spec.inputShape);
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = s / 2147483648 - 0.5;
  }
  const feeds = { [ONNX_INPUT_NAME]: new ort.Tensor('float32', data, dims) };
  const totalMs: number[] = [];
  if (wholeRuns) {
    const plain = await createSession(ort, spec, bytes);
    try {
      await warmUp(() => plain.run(feeds), budget.warmup, budget.warmupMs ?? 0, now);
      const runs = await timedBatches(async () => {
        const t0 = now();
        await plain.run(feeds);
        return now() - t0;
      }, budget);
      totalMs.push(...batchMeans({ totalMs: runs, layerMs: [] }, budget.batchMs ?? 0).totalMs);
    } finally {
      await plain.release();
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'edgetree-ort-'));
  try {
    const profiled = await createSession(ort, spec, bytes, { enableProfiling: true, profileFilePrefix: join(dir, 'profile') });
    const flush = budget.flushBytes ?? 0;
    // As TF.js: under a quota, where the host reads CPU time, runs are scaled by their stretch's wall over CPU (cpuScaledBatches),
    // and flushed runs go one a round until the batches are complete.
    const clock = (budget.batchMs ?? 0) > 0 ? cpuNow : undefined;
    const batchMs = flush > 0 && clock === undefined ? 0 : budget.batchMs ?? 0;
    const stretches = { wallMs: [] as number[], cpuMs: [] as number[] };
    let warmed = 0;
    let profiledMs: number[] = [];
    try {
      // After a plain session's warm-up, one run warms the profiled session's own allocations.
      warmed = await warmUp(() => profiled.run(feeds), Math.max(budget.warmup, 1), wholeRuns ? 0 : budget.warmupMs ?? 0, now);
      profiledMs = await timedBatches(async () => {
        const w0 = now();
        const c0 = clock?.() ?? 0;
        // The profile times each node alone, so a flush between runs is not in the layer's time.
        if (flush > 0) flushCaches(flush);
        const t0 = now();
        await profiled.run(feeds);
        const ms = now() - t0;
        if (clock !== undefined) {
          stretches.wallMs.push(now() - w0);
          stretches.cpuMs.push(clock() - c0);
        }
        return ms;
      }, { ...budget, batchMs, ...(flush > 0 && batchMs > 0 && { repeats: 1 }) }, clock !== undefined ? stretches.wallMs : undefined);
      profiled.endProfiling();
    } finally {
      await profiled.release();
    }
    const file = (await readdir(dir)).find((f) => f.endsWith('.json'));
    if (file === undefined) throw new RuntimeUnavailableError(`onnxruntime wrote no profile for model "${spec.name}"`);
    const perRun = nodeTimesPerRun(JSON.parse(await readFile(join(dir, file), 'utf8')) as unknown);
    // The warm-up runs are profiled too: they do not count.
    const timed = perRun.slice(warmed);
    const layerMs = analysis.layers.map(() => [] as number[]);
    for (const nodes of timed) layerTimesOfRun(analysis, nodes).forEach((ms, i) => layerMs[i].push(ms));
    if (timed.length !== profiledMs.length) throw new RuntimeUnavailableError(`onnxruntime profiled ${timed.length} timed runs of model "${spec.name}" but ran ${profiledMs.length}`);
    // Cut on the profiled runs' own times (or their stretches'), so that a batch of layer times is one stretch of runs.
    const series = { totalMs: profiledMs, layerMs };
    return { totalMs, layerMs: (clock !== undefined ? cpuScaledBatches(series, stretches, batchMs) : batchMeans(series, batchMs)).layerMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface TraceEvent { cat?: unknown; name?: unknown; ts?: unknown; dur?: unknown }

/** ORT's profile (Chrome trace events, µs): the node timings of each `model_run`, in order. */
export function nodeTimesPerRun(trace: unknown): { name: string; ms: number }[][] {
  if (!Array.isArray(trace)) throw new RuntimeUnavailableError('onnxruntime wrote a profile that is not a list of trace events');
  const events = trace as TraceEvent[];
  const num = (x: unknown): number => (typeof x === 'number' ? x : Number.NaN);
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').map((e) => ({ from: num(e.ts), to: num(e.ts) + num(e.dur), nodes: [] as { name: string; ms: number }[] }));
  runs.sort((a, b) => a.from - b.from);
  for (const e of events) {
    if (e.cat !== 'Node' || typeof e.name !== 'string') continue;
    const ts = num(e.ts);
    const run = runs.find((r) => ts >= r.from && ts <= r.to);
    run?.nodes.push({ name: e.name, ms: num(e.dur) / 1000 });
  }
  return runs.map((r) => r.nodes);
}

export interface OrtRunOptions {
  backend: string;
  now: () => number;
  /** Timed after each case or model (the TF.js speed reference: the device's speed, whatever the runtime). */
  reference?: SpeedReference;
  signal?: AbortSignal;
  /** As RunBenchOptions.batchMs. */
  batchMs?: number;
  /** As RunnerContext.cpuNow. */
  cpuNow?: () => number;
}

/** runBenchCases for ONNX Runtime: each case's own layer (the last) from the profiled session. */
export async function runBenchCasesOrt(ort: OrtModule, plan: BenchPlan, cases: readonly BenchCase[], opts: OrtRunOptions & { firstWarmupMs?: number; onMeasurement(m: Measurement): void }): Promise<void> {
  for (const [i, c] of cases.entries()) {
    if (opts.signal?.aborted) throw new RunnerAbortedError(`stopped before case "${c.id}" (${i} of ${cases.length} measured)`);
    const warmupMs = i === 0 ? opts.firstWarmupMs ?? plan.warmupMs ?? 0 : plan.warmupMs ?? 0;
    const times = await timeSpecOrt(ort, c.spec, caseBudget(plan, c, warmupMs, opts.batchMs ?? 0), opts.now, false, 1, opts.cpuNow);
    const referenceMs = opts.reference?.timeMs();
    const s = summarizeTimings(times.layerMs[times.layerMs.length - 1]);
    opts.onMeasurement({
      caseId: c.id, kind: c.kind, kernel: c.kernel, macc: c.macc, ...s,
      runner: 'onnxruntime-node', backend: opts.backend, measuredAt: new Date().toISOString(),
      ...(referenceMs !== undefined && { referenceMs }),
    });
  }
}

/** runModelTiming for ONNX Runtime: the whole run from the plain session, the layers from the profiled one. */
export async function runModelTimingOrt(ort: OrtModule, spec: ModelSpec, budget: TimingBudget, opts: OrtRunOptions): Promise<ModelTiming> {
  if (opts.signal?.aborted) throw new RunnerAbortedError(`stopped before model "${spec.name}"`);
  const times = await timeSpecOrt(ort, spec, budget, opts.now);
  const referenceMs = opts.reference?.timeMs();
  const analysis = analyzeModel(spec);
  return {
    model: spec.name, macc: analysis.macc, backend: opts.backend,
    total: summarizeTimings(times.totalMs),
    layers: analysis.layers.map((l, i) => ({ layerId: l.layer.id, type: l.layer.type, macc: l.macc, medianMs: summarizeTimings(times.layerMs[i]).medianMs })),
    ...(referenceMs !== undefined && { referenceMs }),
  };
}
