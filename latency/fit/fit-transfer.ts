/**
 * Fits the transfer model of paper Eq. 6, T = f(S|W) + S/W, from timed uploads: for
 * each bandwidth W, f(S|W) = T − S/W is fitted as a line in S (intercept in ms, slope
 * in ms per byte). The whole model's quality is the MAPE of the predicted T against
 * the measured T over every sample.
 */
import type { TransferLine } from '../device-profile.ts';
import { FitError } from './errors.ts';
import { leastSquares } from './least-squares.ts';

export interface TransferTiming {
  /** The bandwidth the link was shaped to, Mbit/s (1e6 bit/s). */
  bandwidthMbps: number;
  /** Bytes sent. */
  bytes: number;
  /** Milliseconds from the first byte written to the receiver's acknowledgement. */
  ms: number;
}

export interface TransferFitGroup {
  bandwidthMbps: number;
  points: number;
  interceptMs: number;
  slopeMsPerByte: number;
  /** R² of f(S|W) against S. */
  r2: number;
  /** MAPE (%) of the predicted T (f + S/W) against the measured T at this bandwidth. */
  mapePct: number;
}

export interface TransferFit {
  lines: TransferLine[];
  groups: TransferFitGroup[];
  /** MAPE (%) of the predicted T against the measured T over all samples. */
  mapePct: number;
}

/** S/W in ms: S·8 bits over W·1e6 bit/s. */
export function transmissionMs(bytes: number, bandwidthMbps: number): number {
  return (bytes * 8) / (bandwidthMbps * 1e3);
}

export function fitTransferLines(timings: readonly TransferTiming[]): TransferFit {
  if (timings.length === 0) throw new FitError('transfer timings', 'there are none');
  const byW = new Map<number, TransferTiming[]>();
  timings.forEach((t, i) => {
    if (!(t.bandwidthMbps > 0) || !Number.isFinite(t.bandwidthMbps)) throw new FitError('transfer timings', `sample ${i} has bandwidth ${t.bandwidthMbps} Mbit/s; it must be > 0`);
    if (!(t.bytes > 0) || !Number.isFinite(t.bytes)) throw new FitError(`transfer at ${t.bandwidthMbps} Mbit/s`, `sample ${i} has ${t.bytes} bytes; it must be > 0`);
    if (!(t.ms >= 0) || !Number.isFinite(t.ms)) throw new FitError(`transfer at ${t.bandwidthMbps} Mbit/s`, `sample ${i} took ${t.ms} ms; it must be a finite number >= 0`);
    const list = byW.get(t.bandwidthMbps) ?? [];
    list.push(t);
    byW.set(t.bandwidthMbps, list);
  });
  const groups: TransferFitGroup[] = [];
  let relSum = 0;
  for (const [w, list] of [...byW.entries()].sort((a, b) => a[0] - b[0])) {
    const fit = leastSquares(list.map((t) => ({ x: t.bytes, y: t.ms - transmissionMs(t.bytes, w) })), `transfer at ${w} Mbit/s`);
    let rel = 0;
    for (const t of list) {
      const predicted = fit.intercept + fit.slope * t.bytes + transmissionMs(t.bytes, w);
      rel += t.ms === 0 ? 0 : Math.abs(predicted - t.ms) / t.ms;
    }
    relSum += rel;
    groups.push({ bandwidthMbps: w, points: list.length, interceptMs: fit.intercept, slopeMsPerByte: fit.slope, r2: fit.r2, mapePct: (rel / list.length) * 100 });
  }
  return {
    lines: groups.map((g) => ({ bandwidthMbps: g.bandwidthMbps, interceptMs: g.interceptMs, slopeMsPerByte: g.slopeMsPerByte })),
    groups,
    mapePct: (relSum / timings.length) * 100,
  };
}
