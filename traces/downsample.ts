/**
 * A trace series cut down for charts: at most `maxPoints` points that keep the shape,
 * by splitting the samples into maxPoints/2 runs and keeping each run's minimum and
 * maximum, in time order. Short traces come back whole.
 */
import type { BandwidthTrace } from './trace.ts';

export interface ChartSeries {
  tS: number[];
  mbps: number[];
}

export function downsampleTrace(t: Pick<BandwidthTrace, 'tS' | 'mbps'>, maxPoints: number): ChartSeries {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new RangeError(`maxPoints must be a whole number >= 2, got ${maxPoints}`);
  const n = t.tS.length;
  if (n <= maxPoints) return { tS: t.tS.slice(), mbps: t.mbps.slice() };
  const buckets = Math.floor(maxPoints / 2);
  const out: ChartSeries = { tS: [], mbps: [] };
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (t.mbps[i] < t.mbps[lo]) lo = i;
      if (t.mbps[i] > t.mbps[hi]) hi = i;
    }
    for (const i of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) {
      out.tS.push(t.tS[i]);
      out.mbps.push(t.mbps[i]);
    }
  }
  return out;
}
