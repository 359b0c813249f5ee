/** Number formatting for tables and chart axes. */
export function formatMacc(macc: number): string {
  if (macc >= 1e9) return `${(macc / 1e9).toFixed(2)} G`;
  if (macc >= 1e6) return `${(macc / 1e6).toFixed(2)} M`;
  if (macc >= 1e3) return `${(macc / 1e3).toFixed(1)} k`;
  return String(macc);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export function formatInt(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatMbps(mbps: number): string {
  return mbps >= 10 ? mbps.toFixed(1) : mbps.toFixed(2);
}

export function formatSeconds(s: number): string {
  if (s >= 3600) return `${(s / 3600).toFixed(1)} h`;
  if (s >= 60) return `${(s / 60).toFixed(1)} min`;
  return `${s.toFixed(1)} s`;
}

/** Unit for an axis of byte values: MiB when the largest is at least 1 MiB, else KiB. */
export function byteAxisUnit(maxBytes: number): { unit: 'KiB' | 'MiB'; divisor: number } {
  return maxBytes >= 1024 * 1024 ? { unit: 'MiB', divisor: 1024 * 1024 } : { unit: 'KiB', divisor: 1024 };
}
