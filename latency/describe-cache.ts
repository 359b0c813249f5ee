import type { CacheProbe, DeviceProfile, LastLevelCache } from './device-profile.ts';

function size(bytes: number): string {
  const mib = bytes / 1024 ** 2;
  return mib >= 1 ? `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/** Words for a screen or a CLI line, e.g. "1 MiB (from /proc/cpuinfo)". */
export function describeLastLevelCache(cache: LastLevelCache): string {
  if (cache.bytes === null) return 'unknown (no answer from sysfs, /proc/cpuinfo, getconf or lscpu)';
  const where = { sysfs: '/sys/devices/system/cpu/cpu0/cache', cpuinfo: '/proc/cpuinfo', getconf: 'getconf', lscpu: 'lscpu' }[cache.source];
  return `${size(cache.bytes)} (from ${where})`;
}

/** What the cache probe showed, e.g. "weights ran 2.9x slower per byte past 32 MiB". */
export function describeCacheProbe(probe: CacheProbe): string {
  const ratio = `${probe.memoryRatio.toFixed(1)}x`;
  return probe.bytes === null
    ? `no knee: the largest probe ran ${ratio} the smallest's time per weight`
    : `warm repeats ran up to ${ratio} slower per weight past ${size(probe.bytes)}`;
}

/** The size beyond which a model's estimate moves toward the cold lines (profileForRange), and why; null when the profile has none. */
export function describeColdThreshold(profile: DeviceProfile): string | null {
  if (profile.cold === undefined) return null;
  const fromProbe = profile.cacheProbe?.bytes !== null && profile.cacheProbe?.bytes === profile.cold.cacheBytes;
  return `${size(profile.cold.cacheBytes)} (${fromProbe ? 'measured by the cache probe' : profile.cache?.bytes === profile.cold.cacheBytes ? 'the reported cache' : 'recorded'})`;
}

/** One line on the profile's last-level cache, the probe, and what they mean for the cold lines. */
export function cacheLine(profile: DeviceProfile): string {
  const reported = profile.cache === undefined ? 'not recorded' : describeLastLevelCache(profile.cache);
  const probe = profile.cacheProbe === undefined ? '' : `; cache probe: ${describeCacheProbe(profile.cacheProbe)}`;
  const threshold = describeColdThreshold(profile);
  return `last-level cache: ${reported}${probe}; ${threshold === null ? 'no cache-cold lines, every model is estimated with the warm lines' : `models whose weights exceed ${threshold} are estimated toward the cache-cold lines, by the share of their weights past it`}`;
}
