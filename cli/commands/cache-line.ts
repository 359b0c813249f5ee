import type { DeviceProfile } from '../../latency/device-profile.ts';
import { describeLastLevelCache } from '../../latency/describe-cache.ts';

/** One line on the profile's last-level cache and what it means for the cold lines. */
export function cacheLine(profile: DeviceProfile): string {
  if (profile.cache === undefined) return `last-level cache: not recorded${profile.cold ? ` (cache-cold lines beyond ${profile.cold.cacheBytes} bytes)` : ''}`;
  if (profile.cache.bytes === null) return `last-level cache: ${describeLastLevelCache(profile.cache)}; no cache-cold lines, every model is estimated with the warm lines`;
  return `last-level cache: ${describeLastLevelCache(profile.cache)}${profile.cold ? '; models whose weights exceed it are estimated with the cache-cold lines' : ''}`;
}
