/** The CPU quota this Node process runs under (profiler/runner/cpu-quota.ts), read from its own cgroup files. */
import { readFileSync } from 'node:fs';
import { cpuQuotaOf, type CpuQuota, type ReadText } from '../runner/cpu-quota.ts';

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
