/**
 * Fits the computation lines of a device profile (paper Sec. IV-B, Eq. 4, 5) from
 * micro-benchmark timings: one line per kernel size for conv and for depthwise, one
 * line for all FC layers (their coefficients are the same for a device, conv's differ
 * by kernel). Layers without MACCs (pooling, BN, activation) give `otherLayerMs`, the
 * median of their timings. Whole-model timings (kind 'model') are not fitted here.
 */
import type { ComputeLayerType, ComputeLine } from '../device-profile.ts';
import { FitError } from './errors.ts';
import { leastSquares, median, type LinearFit } from './least-squares.ts';

/**
 * What a fit needs of one timing; a profiler `Measurement` has these fields (it is
 * declared structurally here because pure latency code does not import the profiler).
 */
export interface LayerTiming {
  caseId: string;
  /** conv, depthwise, fc, maxpool, avgpool, bn, activation, or model (skipped). */
  kind: string;
  kernel: number | null;
  macc: number;
  medianMs: number;
}

const ZERO_MACC_KINDS = new Set(['maxpool', 'avgpool', 'bn', 'activation']);

export interface FitResidual {
  caseId: string;
  macc: number;
  measuredMs: number;
  fittedMs: number;
}

export interface ComputeFitGroup {
  layerType: ComputeLayerType;
  kernel: number | null;
  /** Points the line was fitted on (after robust dropping). */
  points: number;
  r2: number;
  mapePct: number;
  rmseMs: number;
  residuals: FitResidual[];
  /** Case ids dropped as outliers by the robust option (empty without it). */
  dropped: string[];
}

export interface ComputeFit {
  lines: ComputeLine[];
  groups: ComputeFitGroup[];
  /** Median of the zero-MACC layers' timings; 0 when none were measured (the paper ignores them). */
  otherLayerMs: number;
  /** Case ids of whole-model timings, which this fit skips. */
  skipped: string[];
}

export interface FitComputeOptions {
  /**
   * Drop points whose residual lies more than 3 MAD (median absolute deviation of the
   * residuals, unscaled) from the median residual, then refit once. Nothing is dropped
   * when the MAD is 0 or when dropping would leave fewer than 2 distinct MACC values.
   */
  robust?: boolean;
}

function groupName(type: ComputeLayerType, kernel: number | null): string {
  return type === 'fc' ? 'fc' : `${type} k=${kernel}`;
}

function fitGroup(type: ComputeLayerType, kernel: number | null, timings: LayerTiming[], robust: boolean): { line: ComputeLine; group: ComputeFitGroup } {
  const name = groupName(type, kernel);
  let kept = timings;
  let fit: LinearFit = leastSquares(kept.map((t) => ({ x: t.macc, y: t.medianMs })), name);
  const dropped: string[] = [];
  if (robust) {
    const med = median(fit.residuals);
    const mad = median(fit.residuals.map((r) => Math.abs(r - med)));
    if (mad > 0) {
      const keep = fit.residuals.map((r) => Math.abs(r - med) <= 3 * mad);
      const candidate = kept.filter((_, i) => keep[i]);
      if (candidate.length < kept.length && new Set(candidate.map((t) => t.macc)).size >= 2) {
        kept.forEach((t, i) => { if (!keep[i]) dropped.push(t.caseId); });
        kept = candidate;
        fit = leastSquares(kept.map((t) => ({ x: t.macc, y: t.medianMs })), name);
      }
    }
  }
  // A line's slope is stored as >= 0 (profiles refuse a negative one): a fit that falls with MACCs is noise on a flat group.
  const slope = Math.max(0, fit.slope);
  const intercept = slope === fit.slope ? fit.intercept : median(kept.map((t) => t.medianMs));
  const line: ComputeLine = { layerType: type, kernel, slopeMsPerMacc: slope, interceptMs: intercept, r2: Math.max(0, fit.r2), points: kept.length };
  const residuals = kept.map((t) => ({ caseId: t.caseId, macc: t.macc, measuredMs: t.medianMs, fittedMs: intercept + slope * t.macc }));
  return {
    line,
    group: { layerType: type, kernel, points: kept.length, r2: fit.r2, mapePct: fit.mapePct, rmseMs: fit.rmse, residuals, dropped },
  };
}

export function fitComputeLines(timings: readonly LayerTiming[], options: FitComputeOptions = {}): ComputeFit {
  const byGroup = new Map<string, { type: ComputeLayerType; kernel: number | null; timings: LayerTiming[] }>();
  const other: number[] = [];
  const skipped: string[] = [];
  for (const t of timings) {
    if (!Number.isFinite(t.medianMs) || t.medianMs < 0) throw new FitError(`case "${t.caseId}"`, `its time must be a finite number of ms >= 0, got ${t.medianMs}`);
    if (t.kind === 'model') {
      skipped.push(t.caseId);
      continue;
    }
    if (ZERO_MACC_KINDS.has(t.kind)) {
      other.push(t.medianMs);
      continue;
    }
    if (t.kind !== 'conv' && t.kind !== 'depthwise' && t.kind !== 'fc') {
      throw new FitError(`case "${t.caseId}"`, `unknown layer kind "${t.kind}"`);
    }
    if (!Number.isFinite(t.macc) || t.macc < 0) throw new FitError(`case "${t.caseId}"`, `its MACC count must be a finite number >= 0, got ${t.macc}`);
    let kernel: number | null = null;
    if (t.kind !== 'fc') {
      if (t.kernel === null || !Number.isInteger(t.kernel) || t.kernel < 1) {
        throw new FitError(`case "${t.caseId}"`, `a ${t.kind} timing needs a whole kernel size >= 1, got ${String(t.kernel)}`);
      }
      kernel = t.kernel;
    }
    const key = groupName(t.kind, kernel);
    const g = byGroup.get(key) ?? { type: t.kind, kernel, timings: [] };
    g.timings.push(t);
    byGroup.set(key, g);
  }
  const order: Record<ComputeLayerType, number> = { conv: 0, depthwise: 1, fc: 2 };
  const groups = [...byGroup.values()].sort((a, b) => order[a.type] - order[b.type] || (a.kernel ?? 0) - (b.kernel ?? 0));
  const fitted = groups.map((g) => fitGroup(g.type, g.kernel, g.timings, options.robust === true));
  return {
    lines: fitted.map((f) => f.line),
    groups: fitted.map((f) => f.group),
    otherLayerMs: other.length === 0 ? 0 : median(other),
    skipped,
  };
}
