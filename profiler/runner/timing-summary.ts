/** Median and spread of timed repeats, as a Measurement reports them. Pure. */

export interface TimingSummary {
  medianMs: number;
  p25Ms: number;
  p75Ms: number;
  minMs: number;
  maxMs: number;
  repeats: number;
}

/** Quantile q of sorted values with linear interpolation between ranks (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarizeTimings(samplesMs: readonly number[]): TimingSummary {
  if (samplesMs.length === 0) throw new RangeError('summarizeTimings: no timed repeats to summarise');
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    medianMs: quantile(sorted, 0.5),
    p25Ms: quantile(sorted, 0.25),
    p75Ms: quantile(sorted, 0.75),
    minMs: sorted[0],
    maxMs: sorted[sorted.length - 1],
    repeats: sorted.length,
  };
}
