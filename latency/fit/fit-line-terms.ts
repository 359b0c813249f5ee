/**
 * A compute line with more terms than MACCs: ms = intercept + a·MACC + b·weights + c·patches,
 * with a, b, c >= 0 and the intercept free. Two layers of equal MACCs can differ in what they
 * read: a conv on a 2x2 map with 512 channels reads 2.4M weights for 4 output pixels, and a
 * conv with few output channels reads its im2col patches (output pixels · k² · input channels,
 * MACC / output channels) for few MACCs each. Where the runtime waits on those reads, MACCs
 * alone cannot price both (in-sample, 3x3 convs on WASM TF.js fitted at 7% MAPE, worst 26%,
 * with MACCs alone; 3%, worst 7%, with all three terms).
 *
 * A term enters only when the group's points differ enough in it per MACC (`usableTerms`).
 * The fit weighs each point by 1 / its time, minimising relative error: a model's error is
 * bounded by its layers' relative errors, and small layers count as much as large ones.
 */
import { nonNegativeLeastSquares } from './nnls.ts';
import { fitQuality, robustOutliers } from './least-squares.ts';

export type LineTerm = 'weights' | 'patches';
export const LINE_TERMS: readonly LineTerm[] = ['weights', 'patches'];

export interface LineTermPoint {
  caseId: string;
  macc: number;
  /** The layer's weights (parameters). */
  weights: number;
  /** Its im2col patch elements: output pixels · k² · input channels (MACC / output channels). */
  patches: number;
  y: number;
}

export interface LineTermFit {
  slopeMsPerMacc: number;
  /** 0 for a term the fit left out. */
  slopeMsPerWeight: number;
  slopeMsPerPatch: number;
  interceptMs: number;
  /** The terms the group could tell apart from MACCs. */
  terms: LineTerm[];
  r2: number;
  mapePct: number;
  rmse: number;
  kept: LineTermPoint[];
  dropped: string[];
}

/** Points needed for all unknowns with one to spare. */
export const MIN_TERM_FIT_POINTS = 5;
/** A term's largest ratio to MACCs over its smallest must reach this: a conv on 2x2 against 8x8 gives 16 for weights. */
export const MIN_RATIO_SPREAD = 4;

/** The terms whose ratio to MACCs spreads enough over the points to be told from them. */
export function usableTerms(points: readonly LineTermPoint[]): LineTerm[] {
  if (points.length < MIN_TERM_FIT_POINTS) return [];
  return LINE_TERMS.filter((term) => {
    const ratios = points.filter((p) => p.macc > 0 && p[term] > 0).map((p) => p[term] / p.macc);
    return ratios.length >= MIN_TERM_FIT_POINTS && Math.max(...ratios) / Math.min(...ratios) >= MIN_RATIO_SPREAD;
  });
}

type Coefficients = Pick<LineTermFit, 'slopeMsPerMacc' | 'slopeMsPerWeight' | 'slopeMsPerPatch' | 'interceptMs'>;

/** The line's time for one point (not clamped at 0). */
export function termFittedMs(f: Coefficients, p: Pick<LineTermPoint, 'macc' | 'weights' | 'patches'>): number {
  return f.interceptMs + f.slopeMsPerMacc * p.macc + f.slopeMsPerWeight * p.weights + f.slopeMsPerPatch * p.patches;
}

function solve(points: readonly LineTermPoint[], terms: readonly LineTerm[], group: string): Coefficients {
  // Each row over its time: relative error. The intercept is free: +1 and -1 columns, of which a non-negative solution uses at most one.
  const rows = points.map((p) => [p.macc, ...terms.map((t) => p[t]), 1, -1].map((v) => v / p.y));
  const x = nonNegativeLeastSquares(rows, points.map(() => 1), group).x;
  const slopeOf = (t: LineTerm): number => (terms.includes(t) ? x[1 + terms.indexOf(t)] : 0);
  return { slopeMsPerMacc: x[0], slopeMsPerWeight: slopeOf('weights'), slopeMsPerPatch: slopeOf('patches'), interceptMs: x[terms.length + 1] - x[terms.length + 2] };
}

function figures(points: readonly LineTermPoint[], f: Coefficients): { r2: number; mapePct: number; rmse: number } {
  return fitQuality(points.map((p) => p.y), points.map((p) => termFittedMs(f, p)));
}

/**
 * Fits the line on `terms` (see usableTerms); every point's time must be > 0. With `robust`,
 * drops points whose relative residual lies more than 3 robust standard deviations from the
 * median and refits once, unless that would leave too few points for the terms.
 */
export function fitLineTerms(points: readonly LineTermPoint[], terms: readonly LineTerm[], group: string, robust: boolean): LineTermFit {
  let kept = [...points];
  let fit = solve(kept, terms, group);
  const dropped: string[] = [];
  if (robust) {
    const outlier = robustOutliers(kept.map((p) => (p.y - termFittedMs(fit, p)) / p.y));
    const candidate = kept.filter((_, i) => !outlier[i]);
    if (candidate.length < kept.length && candidate.length >= MIN_TERM_FIT_POINTS) {
      kept.forEach((p, i) => { if (outlier[i]) dropped.push(p.caseId); });
      kept = candidate;
      fit = solve(kept, terms, group);
    }
  }
  return { ...fit, terms: [...terms], ...figures(kept, fit), kept, dropped };
}
