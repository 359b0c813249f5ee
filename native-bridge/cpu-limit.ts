/**
 * Makes the device side slower than the cloud side on one machine: a cgroup v1 CPU quota
 * (`/sys/fs/cgroup/cpu/<name>`, cfs_quota_us of cfs_period_us) that the device process joins.
 * Where the hierarchy is missing or not writable, `null`: the caller says only one thread applied.
 */
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';

export const CGROUP_CPU_ROOT = '/sys/fs/cgroup/cpu';

/** The quota's period unless one is asked for. */
export const DEFAULT_PERIOD_US = 10_000;

export interface CpuLimit {
  /** The cgroup.procs file a process writes its pid to, to join. */
  procsFile: string;
  /** Share of one CPU allowed, e.g. 0.5. */
  cpus: number;
  describe(): string;
  /** Removes the group (after its processes have exited). */
  remove(): void;
}

/** `periodUs` overrides the period the quota is a share of (bench/cpu-quota.bench.ts compares them). */
export function createCpuLimit(name: string, cpus: number, root = CGROUP_CPU_ROOT, periodUs?: number): CpuLimit | null {
  if (!existsSync(`${root}/cpu.cfs_quota_us`)) return null;
  const dir = `${root}/${name}`;
  // 10 ms, or longer where the quota would be under the kernel's 1 ms minimum. The kernel
  // throttles at its timer ticks (every 1 to 10 ms): with a period shorter than a tick, the
  // process got 0.43 of a CPU instead of 0.5 and ran 1.9x to 4.6x slower, model by model;
  // from one tick (4 ms here) up it gets exactly its share (bench/cpu-quota.bench.ts). Runs
  // shorter than the period meet a throttle or not, so the runner times them in batches of
  // five periods (profiler/runner/batch-means.ts) rather than one by one.
  const period = periodUs ?? Math.max(DEFAULT_PERIOD_US, Math.round(1000 / cpus));
  const quota = Math.round(period * cpus);
  try {
    mkdirSync(dir);
    writeFileSync(`${dir}/cpu.cfs_period_us`, String(period));
    writeFileSync(`${dir}/cpu.cfs_quota_us`, String(quota));
  } catch {
    try { rmdirSync(dir); } catch { /* never made */ }
    return null;
  }
  return {
    procsFile: `${dir}/cgroup.procs`,
    cpus,
    describe: () => `cgroup v1 ${dir}: cpu.cfs_quota_us ${quota} per cpu.cfs_period_us ${period} (${cpus} CPU)`,
    remove: () => {
      try { rmdirSync(dir); } catch { /* still busy or gone: the kernel frees it once empty */ }
    },
  };
}
