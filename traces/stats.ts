/**
 * Summary statistics of a trace, all time-weighted: each sample counts for as long as
 * it holds (until the next sample; the last until the trace's end, see trace.ts).
 */
import { sampleHoldS, traceDurationS, type BandwidthTrace } from './trace.ts';

export interface TraceStats {
  /** Number of samples (bins for mahimahi). */
  samples: number;
  /** Seconds, see traceDurationS. */
  durationS: number;
  /** Time-weighted mean rate, Mbit/s: sum(rate_i * hold_i) / duration. */
  meanMbps: number;
  minMbps: number;
  maxMbps: number;
  /** Time-weighted quantiles, Mbit/s (see weightedQuantile). */
  p25Mbps: number;
  p50Mbps: number;
  p75Mbps: number;
}

/**
 * Time-weighted quantile q in [0, 1]: the least rate r such that the trace spends at
 * least the fraction q of its time at rates <= r (the inverse of the time-weighted
 * CDF, no interpolation; q = 0 gives the minimum). Example: 1 Mbit/s for 3 s then
 * 5 Mbit/s for 1 s has p25 = p50 = p75 = 1 and the 0.8 quantile 5.
 */
export function weightedQuantile(t: BandwidthTrace, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within [0, 1], got ${q}`);
  const holds = sampleHoldS(t);
  const order = t.mbps.map((_, i) => i).sort((a, b) => t.mbps[a] - t.mbps[b]);
  const total = holds.reduce((s, h) => s + h, 0);
  // Relative slack so that a boundary hit exactly in exact arithmetic counts despite rounding.
  const target = q * total * (1 - 1e-12);
  let cum = 0;
  for (const i of order) {
    cum += holds[i];
    if (cum >= target && (q > 0 || holds[i] > 0)) return t.mbps[i];
  }
  return t.mbps[order[order.length - 1]];
}

export function traceStats(t: BandwidthTrace): TraceStats {
  const holds = sampleHoldS(t);
  const durationS = traceDurationS(t);
  let area = 0;
  // A loop rather than Math.min(...rates): a 1 ms-binned mahimahi trace can hold millions of samples.
  let minMbps = Infinity;
  let maxMbps = -Infinity;
  for (let i = 0; i < holds.length; i++) {
    area += t.mbps[i] * holds[i];
    minMbps = Math.min(minMbps, t.mbps[i]);
    maxMbps = Math.max(maxMbps, t.mbps[i]);
  }
  return {
    samples: t.tS.length,
    durationS,
    meanMbps: area / durationS,
    minMbps,
    maxMbps,
    p25Mbps: weightedQuantile(t, 0.25),
    p50Mbps: weightedQuantile(t, 0.5),
    p75Mbps: weightedQuantile(t, 0.75),
  };
}
