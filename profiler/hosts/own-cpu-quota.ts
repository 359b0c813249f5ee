/** The CPU quota this Node process runs under (profiler/runner/cpu-quota.ts), read from its own cgroup files. */
import { readFileSync } from 'node:fs';
import { cpuQuotaOf, type CpuQuota, type ReadText } from '../runner/cpu-quota.ts';
import { BATCH_MS, describeTiming, quotaBatchMs } from '../runner/batch-means.ts';

const readText: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

export function ownCpuQuota(): CpuQuota | null {
  return cpuQuotaOf(readText('/proc/self/cgroup') ?? '', readText);
}

export interface OwnTiming {
  /** Batches of this many ms of runs (batch-means.ts), 0 to summarise each run on its own. */
  batchMs: number;
  /** In words, for the runner's start line. */
  describe: string;
  /**
   * How much longer a fresh process warms up: 1 without a quota, else 1 / cpus (at least 1).
   * V8 compiles hot code on helper threads that run on the same quota: under 0.5 CPU a
   * model's first timing in a fresh process read 1.48x-1.98x its second after 300 ms of
   * warm-up, 1.26x-1.76x after 900 ms (`npm run bench -- cpu-quota`, two runs each).
   */
  warmupScale: number;
}

/** A fresh process warms its first case or model this much longer (JS and WASM code tier up), before warmupScale. */
export const PROCESS_WARMUP_MS = 500;

/**
 * The untimed ms before the first case or model a fresh process times, whose own warm-up is
 * `warmupMs`: the Node runner and the model runner both start from cold code. Later ones in
 * the same process keep their own `warmupMs`.
 */
export function firstWarmupMs(timing: Pick<OwnTiming, 'warmupScale'>, warmupMs: number): number {
  return (warmupMs + PROCESS_WARMUP_MS) * timing.warmupScale;
}

/** How this process should summarise its runs: batch means under its own CPU quota, at least `atLeast` ms each. */
export function ownTiming(atLeast = BATCH_MS): OwnTiming {
  const quota = ownCpuQuota();
  const batchMs = quotaBatchMs(quota, atLeast);
  const warmupScale = quota === null ? 1 : 1 / Math.min(1, quota.cpus);
  return { batchMs, describe: describeTiming(quota, batchMs), warmupScale };
}

/** This process's CPU time in ms, all threads (RunnerContext.cpuNow). */
export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
