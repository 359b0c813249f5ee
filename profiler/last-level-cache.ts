/**
 * The size of a device's last-level CPU cache, read from Linux sysfs over its transport
 * (this computer, an SSH board, an Android shell): the bound beyond which a model's
 * weights no longer stay cached between two runs of a layer (latency ColdLines).
 */
import type { DeviceTransport } from '../native-bridge/device-transport.ts';

/** Bytes of a sysfs cache size such as "32768K", "8M" or "524288"; null when it is not one. */
export function parseCacheSize(text: string): number | null {
  const m = /^\s*(\d+)\s*([KMG]?)\s*$/i.exec(text);
  if (!m) return null;
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G'];
  const bytes = Number(m[1]) * unit;
  return bytes > 0 ? bytes : null;
}

/** The largest cache of cpu0 (index3 is L3 where there is one); null when sysfs does not say. */
export async function readLastLevelCacheBytes(transport: DeviceTransport, signal?: AbortSignal): Promise<number | null> {
  const r = await transport.exec('cat /sys/devices/system/cpu/cpu0/cache/index*/size 2>/dev/null', { timeoutMs: 15_000, signal });
  const sizes = r.stdout.split('\n').map(parseCacheSize).filter((b): b is number => b !== null);
  return sizes.length === 0 ? null : Math.max(...sizes);
}
