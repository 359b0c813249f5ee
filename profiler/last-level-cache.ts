/**
 * The size of a device's last-level CPU cache, read over its transport (this computer, an
 * SSH board, an Android shell): the bound beyond which a model's weights no longer stay
 * cached between two runs of a layer (latency ColdLines). Machines differ in what they
 * expose (some virtual machines have no sysfs cache folder, Android's /proc/cpuinfo names
 * no cache, toybox may lack getconf), so one command asks every source and the first that
 * answers, in the order of CACHE_SIZE_SOURCES, gives the size.
 */
import { CACHE_SIZE_SOURCES, type CacheSizeSource, type LastLevelCache } from '../latency/device-profile.ts';
import type { DeviceTransport } from '../native-bridge/device-transport.ts';

const UNIT: Record<string, number> = { '': 1, B: 1, K: 1024, KB: 1024, KIB: 1024, M: 1024 ** 2, MB: 1024 ** 2, MIB: 1024 ** 2, G: 1024 ** 3, GB: 1024 ** 3, GIB: 1024 ** 3 };

/** Bytes of a cache size such as "32768K", "8M", "1024 KB", "1.5 MiB" or "524288"; null when it is not one (or is 0). */
export function parseCacheSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMG]?(?:i?B)?)\s*$/i.exec(text);
  if (!m) return null;
  const unit = UNIT[m[2].toUpperCase()];
  if (unit === undefined) return null;
  const bytes = Math.round(Number(m[1]) * unit);
  return bytes > 0 ? bytes : null;
}

/**
 * One shell command (POSIX sh, Android's mksh too) that prints every source under a
 * `@name` header; a source that is missing prints nothing under its header.
 */
export const CACHE_PROBE_COMMAND = [
  'echo @sysfs; cat /sys/devices/system/cpu/cpu0/cache/index*/size 2>/dev/null',
  "echo @cpuinfo; grep -i -m 1 '^vendor_id' /proc/cpuinfo 2>/dev/null; grep -i -m 1 '^cache size' /proc/cpuinfo 2>/dev/null",
  'echo @getconf; for l in 2 3 4; do echo "L$l $(getconf LEVEL${l}_CACHE_SIZE 2>/dev/null)"; done',
  "echo @lscpu; lscpu 2>/dev/null | grep -i '^L[0-9][a-z]* *cache'",
  'true',
].join('; ');

type SourceParser = (lines: readonly string[]) => number | null;

const maxOrNull = (sizes: readonly (number | null)[]): number | null => {
  const known = sizes.filter((b): b is number => b !== null);
  return known.length === 0 ? null : Math.max(...known);
};

const PARSERS: Record<CacheSizeSource, SourceParser> = {
  // One size per cache of cpu0 (index3 is L3 where there is one): the largest.
  sysfs: (lines) => maxOrNull(lines.map(parseCacheSize)),
  // "cache size\t: 32768 KB": the last level on Intel, but on AMD (and Hygon) each core's L2, which
  // is not the bound the cold lines need (on a 1 MiB L2 every model but the smallest would count as
  // cache-cold): there this source does not answer, and the next one is asked.
  cpuinfo: (lines) => {
    if (lines.some((l) => /^vendor_id\s*:\s*(AuthenticAMD|HygonGenuine)\s*$/i.test(l.trim()))) return null;
    return maxOrNull(lines.map((l) => /^cache size\s*:\s*(.+)$/i.exec(l.trim())?.[1] ?? '').map(parseCacheSize));
  },
  // "L3 33554432"; getconf answers 0 or nothing for a level it does not know.
  getconf: (lines) => maxOrNull(lines.map((l) => /^L[234]\s+(\d+)\s*$/.exec(l.trim())?.[1] ?? '').map(parseCacheSize)),
  // "L3 cache: 32 MiB (1 instance)", "L2 cache: 2 MiB (2 instances)" (a total: one instance is what a core has) or "L2 cache: 1024K".
  lscpu: (lines) => maxOrNull(lines.map((l) => {
    const m = /^L([2-9])\w*\s+cache:\s*(.+?)\s*(?:\((\d+)\s+instances?\))?\s*$/i.exec(l.trim());
    if (!m) return null;
    const total = parseCacheSize(m[2]);
    return total === null ? null : Math.round(total / Math.max(1, Number(m[3] ?? 1)));
  })),
};

/** The first source in CACHE_SIZE_SOURCES order whose section of CACHE_PROBE_COMMAND's output gives a size. */
export function parseCacheProbe(stdout: string): LastLevelCache {
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of stdout.split('\n')) {
    const header = /^@(\w+)\s*$/.exec(line.trim());
    if (header) sections.set(header[1], (current = []));
    else if (current !== null && line.trim() !== '') current.push(line);
  }
  for (const source of CACHE_SIZE_SOURCES) {
    const bytes = PARSERS[source](sections.get(source) ?? []);
    if (bytes !== null) return { bytes, source };
  }
  return { bytes: null, source: 'unknown' };
}

/** The device's last-level cache and where its size came from; `unknown` when no source answers. */
export async function readLastLevelCache(transport: DeviceTransport, signal?: AbortSignal): Promise<LastLevelCache> {
  const r = await transport.exec(CACHE_PROBE_COMMAND, { timeoutMs: 15_000, signal });
  return parseCacheProbe(r.stdout);
}
