import type { LastLevelCache } from './device-profile.ts';

/** Words for a screen or a CLI line, e.g. "1 MiB (from /proc/cpuinfo)". */
export function describeLastLevelCache(cache: LastLevelCache): string {
  if (cache.bytes === null) return 'unknown (no answer from sysfs, /proc/cpuinfo, getconf or lscpu)';
  const where = { sysfs: '/sys/devices/system/cpu/cpu0/cache', cpuinfo: '/proc/cpuinfo', getconf: 'getconf', lscpu: 'lscpu' }[cache.source];
  const mib = cache.bytes / 1024 ** 2;
  const size = mib >= 1 ? `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB` : `${Math.round(cache.bytes / 1024)} KiB`;
  return `${size} (from ${where})`;
}
