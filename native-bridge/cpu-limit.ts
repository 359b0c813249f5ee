/**
 * Makes the device side slower than the cloud side on one machine: a cgroup v1 CPU quota
 * (`/sys/fs/cgroup/cpu/<name>`, cfs_quota_us of cfs_period_us) that the device process joins.
 * Where the hierarchy is missing or not writable, `null`: the caller says only one thread applied.
 */
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';

export const CGROUP_CPU_ROOT = '/sys/fs/cgroup/cpu';

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
  // The shortest period with a quota of at least 1 ms (the kernel's minimum): a device's
  // inference of a few ms is slowed by 1/cpus as a whole, not run at full speed until a
  // 100 ms period's quota runs out.
  const period = periodUs ?? Math.max(1000, Math.round(1000 / cpus));
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
