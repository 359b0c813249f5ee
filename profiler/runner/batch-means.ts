/**
 * Timed runs grouped into batches, each summarised by its mean. Under a CPU quota (a cgroup
 * on a shared board, the studio's `local:CPUS`), the kernel throttles a process for whole
 * milliseconds: a run that meets a throttle takes several times as long, and whether the
 * median run meets one flips with the run's length (bench/cpu-quota.bench.ts, 0.5 CPU over
 * 10 ms periods: medians 0.95x to 2.39x, means 1.96x to 2.34x of the free ones). A batch spanning several
 * throttles carries its share of them, so the median of batch means holds for runs of any
 * length, and still drops a batch a noisy neighbour slowed. Without a quota it is the median
 * run's time, give or take the batch's spread. Pure.
 */
import type { CpuQuota } from './cpu-quota.ts';
import { median } from '../../latency/fit/least-squares.ts';

/** The studio's batches: ms of runs, enough for several throttle stalls of a CPU quota. */
export const BATCH_MS = 20;

/** Batches a timing needs at least, so that its median drops a slow one. */
export const MIN_BATCHES = 5;

/** Periods of a quota each batch spans, so that where in a period it starts moves its mean by 1/5 of a throttle at most. */
export const QUOTA_PERIODS_PER_BATCH = 5;

/** Longest batch: a 100 ms period (Docker's) would otherwise make every case several seconds long. */
export const MAX_QUOTA_BATCH_MS = 500;

/**
 * How long the batches are under `quota`: 0 (each run on its own) without one; else
 * QUOTA_PERIODS_PER_BATCH of the quota's periods of run time, at least `atLeast` and at most
 * MAX_QUOTA_BATCH_MS.
 */
export function quotaBatchMs(quota: CpuQuota | null, atLeast = BATCH_MS): number {
  if (quota === null) return 0;
  return Math.max(atLeast, Math.min(MAX_QUOTA_BATCH_MS, (QUOTA_PERIODS_PER_BATCH * quota.periodUs) / 1000));
}

/** How a runner summarises its runs, for its start line and the run's progress. */
export function describeTiming(quota: CpuQuota | null, batchMs: number): string {
  if (quota === null || batchMs <= 0) return 'the median run (no CPU quota read)';
  const q = Math.round(quota.cpus * quota.periodUs);
  return `the median of ${batchMs} ms batch means, under a CPU quota of ${+quota.cpus.toFixed(3)} CPU (${q} µs per ${quota.periodUs} µs, ${quota.source})`;
}

/** Counts the batches that runs, added as they are timed, complete (cut as batchMeans cuts them). */
export class BatchCounter {
  private open = 0;
  complete = 0;
  constructor(private readonly batchMs: number) {}
  add(runMs: number): void {
    this.open += runMs;
    if (this.batchMs > 0 && this.open >= this.batchMs) {
      this.complete++;
      this.open = 0;
    }
  }
}

export interface RunSeries {
  /** Each run's whole time: the batches are cut on it. */
  totalMs: readonly number[];
  /** Per layer, each run's time (the same runs). */
  layerMs: readonly (readonly number[])[];
}

/**
 * Consecutive runs in batches of at least `batchMs` of whole-run time; the totals become
 * their batch means. A last batch shorter than that joins the one before it. Each layer
 * becomes its share of each batch's mean, the share taken from the runs' medians (the layer's
 * median over the total's): the stalls of a quota do not fall on layers in proportion to
 * their work (V8's helper threads compile and collect on the same quota, and stall whichever
 * layer they coincide with: one model's first three convs read 1.1x-1.3x and its fourth 4.7x
 * their free times), so a layer's own batch mean would carry another layer's stalls.
 * `batchMs` <= 0 leaves the runs as they are.
 */
export function batchMeans(runs: RunSeries, batchMs: number): { totalMs: number[]; layerMs: number[][] } {
  if (!(batchMs > 0)) return { totalMs: [...runs.totalMs], layerMs: runs.layerMs.map((l) => [...l]) };
  const bounds: number[] = [];
  let spent = 0;
  runs.totalMs.forEach((ms, i) => {
    spent += ms;
    if (spent >= batchMs) {
      bounds.push(i + 1);
      spent = 0;
    }
  });
  if (bounds.length === 0) bounds.push(runs.totalMs.length);
  else bounds[bounds.length - 1] = runs.totalMs.length;
  const totalMs = bounds.map((end, b) => {
    const start = b === 0 ? 0 : bounds[b - 1];
    let sum = 0;
    for (let i = start; i < end; i++) sum += runs.totalMs[i];
    return sum / (end - start);
  });
  const medianTotal = median(runs.totalMs);
  const layerMs = runs.layerMs.map((series) => {
    const share = medianTotal > 0 ? median(series) / medianTotal : 0;
    return totalMs.map((t) => t * share);
  });
  return { totalMs, layerMs };
}

/** Wall and CPU time (ms) of each stretch of timed runs (with the cache flushes before them, if any). */
export interface TimedStretches {
  wallMs: readonly number[];
  cpuMs: readonly number[];
}

/**
 * Batches for a micro-benchmark case under a quota, where the runner reads its CPU time: the
 * stretches are cut into batches of at least `batchMs` of wall time, and in each, the runs and
 * their layers read their median times scaled by the batch's wall time over its CPU time (how
 * much slower than its CPU work the process ran then, at least 1). Batch means of the runs
 * alone miss the throttles that fall between timed runs, a tiny case's runs being a fraction of
 * its loop (under a 0.5 quota, fc-i15-o16 read 0.093 ms in one calibration and 0.023 in the
 * next, a 4x swing); and a 64 MiB cache flush outlasts the quota's slice, so a cold case's median run
 * read free-CPU speed and models past the cache were estimated 30-40% low.
 */
export function cpuScaledBatches(runs: RunSeries, stretches: TimedStretches, batchMs: number): { totalMs: number[]; layerMs: number[][] } {
  const factors: number[] = [];
  let wall = 0;
  let cpu = 0;
  stretches.wallMs.forEach((w, i) => {
    wall += w;
    cpu += stretches.cpuMs[i] ?? 0;
    if (wall >= batchMs) {
      factors.push(cpu > 0 ? Math.max(1, wall / cpu) : 1);
      wall = 0;
      cpu = 0;
    }
  });
  if (factors.length === 0) factors.push(cpu > 0 ? Math.max(1, wall / cpu) : 1);
  const total = median(runs.totalMs);
  return { totalMs: factors.map((f) => total * f), layerMs: runs.layerMs.map((series) => { const m = median(series); return factors.map((f) => m * f); }) };
}
