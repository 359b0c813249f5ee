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
}

/** How this process should summarise its runs: batch means under its own CPU quota, at least `atLeast` ms each. */
export function ownTiming(atLeast = BATCH_MS): OwnTiming {
  const quota = ownCpuQuota();
  const batchMs = quotaBatchMs(quota, atLeast);
  return { batchMs, describe: describeTiming(quota, batchMs) };
}
