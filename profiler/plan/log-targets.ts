/** `count` values spaced evenly on a log scale from `lo` to `hi` inclusive (count >= 2). */
export function logTargets(lo: number, hi: number, count: number): number[] {
  if (count < 2 || hi <= lo) return [lo, hi].slice(0, Math.max(1, count));
  const step = Math.log(hi / lo) / (count - 1);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? hi : lo * Math.exp(step * i)));
}
