/**
 * A bandwidth trace: the throughput a link offered over time, as a step function.
 *
 * Sample i's rate `mbps[i]` (Mbit/s, 1 Mbit = 1e6 bit) holds from `tS[i]` until `tS[i + 1]`.
 * Times are seconds from the start of the trace: parsers shift them so `tS[0] === 0`.
 * The last sample holds until `endS` when the format knows where the trace ends
 * (mahimahi: the last delivery timestamp); otherwise for the median interval between
 * samples (a 1-sample/s trace ends one second after its last sample).
 * The trace covers [0, traceDurationS(t)); replayed, it loops (as mahimahi's mm-link does).
 */
import { InvalidTraceError } from './errors.ts';

export type TraceFormat = 'mahimahi' | 'time-mbps' | 'csv';
export const TRACE_FORMATS: readonly TraceFormat[] = ['mahimahi', 'time-mbps', 'csv'];

export interface BandwidthTrace {
  name: string;
  format: TraceFormat;
  /** Sample start times, seconds, strictly increasing, tS[0] = 0. */
  tS: number[];
  /** Throughput per sample, Mbit/s, finite and >= 0 (0 = outage). */
  mbps: number[];
  /** Where the last sample ends, seconds (> last tS). Omitted: last tS + median interval. */
  endS?: number;
}

/** Median of the intervals between consecutive samples; 1 s for a single sample without endS. */
export function medianIntervalS(t: Pick<BandwidthTrace, 'tS'>): number {
  const gaps: number[] = [];
  for (let i = 1; i < t.tS.length; i++) gaps.push(t.tS[i] - t.tS[i - 1]);
  if (gaps.length === 0) return 1;
  gaps.sort((a, b) => a - b);
  const mid = Math.floor(gaps.length / 2);
  return gaps.length % 2 === 1 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
}

/** The time at which the last sample stops holding. */
export function traceEndS(t: BandwidthTrace): number {
  return t.endS ?? t.tS[t.tS.length - 1] + medianIntervalS(t);
}

/** Length of the trace in seconds (it starts at 0). */
export function traceDurationS(t: BandwidthTrace): number {
  return traceEndS(t);
}

/** How long each sample holds, seconds: tS[i+1] - tS[i], the last until traceEndS. */
export function sampleHoldS(t: BandwidthTrace): number[] {
  const end = traceEndS(t);
  return t.tS.map((s, i) => (i + 1 < t.tS.length ? t.tS[i + 1] : end) - s);
}

/** Throws InvalidTraceError unless `t` keeps the invariants above; returns it for chaining. */
export function checkTrace(t: BandwidthTrace): BandwidthTrace {
  const bad = (problem: string): never => {
    throw new InvalidTraceError(t.name, problem);
  };
  if (t.tS.length === 0) bad('has no samples');
  if (t.tS.length !== t.mbps.length) bad(`has ${t.tS.length} times but ${t.mbps.length} rates`);
  if (t.tS[0] !== 0) bad(`first sample is at ${t.tS[0]} s, expected 0`);
  for (let i = 0; i < t.tS.length; i++) {
    if (!Number.isFinite(t.tS[i])) bad(`time of sample ${i} is ${t.tS[i]}`);
    if (i > 0 && !(t.tS[i] > t.tS[i - 1])) bad(`time goes from ${t.tS[i - 1]} s to ${t.tS[i]} s at sample ${i}`);
    if (!Number.isFinite(t.mbps[i]) || t.mbps[i] < 0) bad(`rate of sample ${i} is ${t.mbps[i]} Mbit/s`);
  }
  if (t.endS !== undefined && !(t.endS > t.tS[t.tS.length - 1])) {
    bad(`endS ${t.endS} s is not after the last sample at ${t.tS[t.tS.length - 1]} s`);
  }
  return t;
}

/** Rate (Mbit/s) in effect at time `atS`, looping past the end of the trace. */
export function rateAt(t: BandwidthTrace, atS: number): number {
  const d = traceDurationS(t);
  const pos = ((atS % d) + d) % d;
  return t.mbps[sampleIndexAt(t, pos)];
}

/** Index of the sample holding at `posS` in [0, duration): the last i with tS[i] <= posS. */
export function sampleIndexAt(t: BandwidthTrace, posS: number): number {
  let lo = 0;
  let hi = t.tS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t.tS[mid] <= posS) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
