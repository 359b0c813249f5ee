/**
 * The CPU quota the runner's own process runs under, from its cgroups: a board's container,
 * a systemd slice, or the studio's `local:CPUS`. Under a quota, timings are summarised by
 * batch means (batch-means.ts). The quota is the tightest of the process's group and every
 * group above it, cgroup v1 (`cpu.cfs_quota_us` / `cpu.cfs_period_us`, -1: none) or v2
 * (`cpu.max`, "max": none). Where nothing can be read (a browser, no cgroup files), no
 * quota is known. Pure but for the reader it is given.
 */

/** Reads a file, or null where it cannot be read. */
export type ReadText = (path: string) => string | null;

export interface CpuQuota {
  /** Share of one CPU allowed, e.g. 0.5. */
  cpus: number;
  /** The period the share is enforced over, in µs: a process may run quota = cpus × period per period. */
  periodUs: number;
  /** The file that set it. */
  source: string;
}

/** Groups from the process's own up to the root: "/a/b" gives "/a/b", "/a", "/". */
function selfAndAncestors(path: string): string[] {
  const parts = path.split('/').filter((p) => p.length > 0);
  return parts.map((_, i) => `/${parts.slice(0, parts.length - i).join('/')}`).concat('/');
}

const join = (root: string, group: string): string => (group === '/' ? root : `${root}${group}`);

function v1Quota(root: string, group: string, read: ReadText): CpuQuota | null {
  const dir = join(root, group);
  const quota = Number(read(`${dir}/cpu.cfs_quota_us`)?.trim());
  const period = Number(read(`${dir}/cpu.cfs_period_us`)?.trim());
  return quota > 0 && period > 0 ? { cpus: quota / period, periodUs: period, source: `${dir}/cpu.cfs_quota_us` } : null;
}

function v2Quota(root: string, group: string, read: ReadText): CpuQuota | null {
  const file = `${join(root, group)}/cpu.max`;
  const m = /^(\d+)\s+(\d+)\s*$/.exec(read(file)?.trim() ?? '');
  return m && Number(m[1]) > 0 && Number(m[2]) > 0 ? { cpus: Number(m[1]) / Number(m[2]), periodUs: Number(m[2]), source: file } : null;
}

/**
 * The tightest quota over the groups that `/proc/self/cgroup` (its text) names, v1 under
 * `v1Roots` (the cpu controller's mount, as "cpu" or "cpu,cpuacct"), v2 under `v2Root`.
 */
export function cpuQuotaOf(procSelfCgroup: string, read: ReadText, v1Roots = ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct'], v2Root = '/sys/fs/cgroup'): CpuQuota | null {
  const found: CpuQuota[] = [];
  for (const line of procSelfCgroup.split('\n')) {
    const m = /^\d+:([^:]*):(\/.*)$/.exec(line.trim());
    if (!m) continue;
    const [, controllers, path] = m;
    const groups = selfAndAncestors(path);
    const quotas = controllers.split(',').includes('cpu') ? v1Roots.flatMap((root) => groups.map((g) => v1Quota(root, g, read)))
      : controllers === '' ? groups.map((g) => v2Quota(v2Root, g, read)) : [];
    for (const q of quotas) if (q !== null) found.push(q);
  }
  return found.length === 0 ? null : found.reduce((a, b) => (b.cpus < a.cpus ? b : a));
}
