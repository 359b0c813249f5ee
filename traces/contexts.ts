/**
 * Network contexts ("bandwidth types"): K representative rates of a trace, from its
 * time-weighted quantiles. Level i (0 = poorest) is the quantile (2i + 1) / (2K): the
 * middle of the i-th of K equal slices of time, so K = 2 gives the lower and upper
 * quartiles as the paper's 'poor' and 'good' networks, K = 1 the median, K = 4 the
 * 1/8, 3/8, 5/8, 7/8 quantiles.
 */
import { weightedQuantile } from './stats.ts';
import type { BandwidthTrace } from './trace.ts';

export function contextQuantiles(k: number): number[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`number of bandwidth types K must be a whole number >= 1, got ${k}`);
  return Array.from({ length: k }, (_, i) => (2 * i + 1) / (2 * k));
}

/** K context levels in Mbit/s, non-decreasing. */
export function contextLevels(t: BandwidthTrace, k: number): number[] {
  return contextQuantiles(k).map((q) => weightedQuantile(t, q));
}

/**
 * Index of the level nearest to a measured rate, compared in log space: what matters
 * for transfer time S/W is the ratio of rates, so 2 Mbit/s is as far from 1 as from 4.
 * Rates and levels at or below 0 are taken as 1e-6 Mbit/s (1 bit/s). Ties go to the
 * lower level (the cautious choice).
 */
export function nearestLevel(levels: readonly number[], mbps: number): number {
  if (levels.length === 0) throw new RangeError('nearestLevel needs at least one level');
  if (Number.isNaN(mbps)) throw new RangeError('nearestLevel: measured rate is NaN');
  const log = (x: number): number => Math.log(Math.max(x, 1e-6));
  const target = log(mbps);
  let best = 0;
  let bestDist = Infinity;
  for (let i = 0; i < levels.length; i++) {
    const d = Math.abs(log(levels[i]) - target);
    if (d < bestDist - 1e-12) {
      best = i;
      bestDist = d;
    }
  }
  return best;
}
