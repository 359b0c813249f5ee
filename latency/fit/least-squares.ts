/**
 * Ordinary least squares of y on x (one regressor, with intercept), with the quality
 * figures a calibration reports: R², residuals, RMSE and MAPE.
 */
import { FitError } from './errors.ts';

export interface XYPoint {
  x: number;
  y: number;
}

export interface LinearFit {
  slope: number;
  intercept: number;
  /** 1 − SS_res / SS_tot; 1 when every y is the same and the line passes through them all. */
  r2: number;
  /** y − fitted, in input order. */
  residuals: number[];
  /** sqrt(mean(residual²)), in y's unit. */
  rmse: number;
  /** mean(|residual / y|) · 100 over the points with y ≠ 0 (NaN when every y is 0). */
  mapePct: number;
  points: number;
}

/** Fits y = intercept + slope·x. `group` names the points in errors, e.g. "conv k=3". */
export function leastSquares(points: readonly XYPoint[], group: string): LinearFit {
  points.forEach((p, i) => {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new FitError(group, `point ${i} is not finite (x=${p.x}, y=${p.y})`);
  });
  const n = points.length;
  const distinctX = new Set(points.map((p) => p.x)).size;
  if (distinctX < 2) throw new FitError(group, `a line needs at least 2 distinct x values, got ${distinctX} (${n} points)`);
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const fitted = points.map((p) => intercept + slope * p.x);
  const residuals = points.map((p, i) => p.y - fitted[i]);
  return { slope, intercept, ...fitQuality(points.map((p) => p.y), fitted), residuals, points: n };
}

/** R², RMSE and MAPE of fitted values against measured ones, as leastSquares reports them. */
export function fitQuality(measured: readonly number[], fitted: readonly number[]): { r2: number; mapePct: number; rmse: number } {
  const n = measured.length;
  const my = measured.reduce((s, y) => s + y, 0) / n;
  let ssRes = 0;
  let ssTot = 0;
  const rel: number[] = [];
  measured.forEach((y, i) => {
    const r = y - fitted[i];
    ssRes += r * r;
    ssTot += (y - my) ** 2;
    if (y !== 0) rel.push(Math.abs(r / y));
  });
  return {
    r2: ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot,
    mapePct: rel.length === 0 ? NaN : (rel.reduce((a, r) => a + r, 0) / rel.length) * 100,
    rmse: Math.sqrt(ssRes / n),
  };
}

/** Median of a non-empty list (mean of the middle two for an even count). */
/** 1.4826 · MAD estimates the standard deviation of normal residuals. */
const MAD_TO_SIGMA = 1.4826;

/**
 * Which residuals lie more than 3 robust standard deviations (1.4826 · MAD) from their median.
 * None does when the MAD is 0: a fit through most points exactly has no scale to judge the rest by.
 */
export function robustOutliers(residuals: readonly number[]): boolean[] {
  const med = median(residuals);
  const sigma = MAD_TO_SIGMA * median(residuals.map((r) => Math.abs(r - med)));
  return residuals.map((r) => sigma > 0 && Math.abs(r - med) > 3 * sigma);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
