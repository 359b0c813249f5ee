/**
 * Fits the computation lines of a device profile (paper Sec. IV-B, Eq. 4, 5) from
 * micro-benchmark timings: one line per kernel size for conv and for depthwise, one
 * line for all FC layers (their coefficients are the same for a device, conv's differ
 * by kernel). A group whose timings carry their weights and patch elements is fitted on
 * those terms too, for relative error (fit-line-terms.ts). Layers without MACCs (pooling, BN, activation, add, ...) measured at several
 * sizes give one element line per type (latency linear in the elements touched), and
 * `otherLayerMs`, the median of all their timings, for types without a line. Whole-model timings (kind 'model') are not fitted here.
 */
import { ELEMENT_LAYER_TYPES, type ComputeLayerType, type ComputeLine, type ElementLayerType, type ElementLine } from '../device-profile.ts';
import { FitError } from './errors.ts';
import { fitQuality, leastSquares, median, robustOutliers, type LinearFit } from './least-squares.ts';
import { fitLineTerms, MIN_TERM_FIT_POINTS, termFittedMs, usableTerms, type LineTermPoint } from './fit-line-terms.ts';

/**
 * What a fit needs of one timing; a profiler `Measurement` has these fields (it is
 * declared structurally here because pure latency code does not import the profiler).
 */
export interface LayerTiming {
  caseId: string;
  /** conv, depthwise, fc, a zero-MACC kind (bn, activation, add, concat, maxpool, avgpool, gap, flatten), or model (skipped). */
  kind: string;
  kernel: number | null;
  macc: number;
  /** Weights (parameters) of a MACC layer; with `patches`, its group is fitted with fit-line-terms.ts. */
  weights?: number;
  /** Its im2col patch elements (layerPatches). */
  patches?: number;
  /** Elements the layer touches (latency/layer-elements.ts), for zero-MACC kinds; without it they only feed otherLayerMs. */
  elements?: number;
  medianMs: number;
}

const ZERO_MACC_KINDS = new Set<string>(ELEMENT_LAYER_TYPES);

export interface FitResidual {
  caseId: string;
  macc: number;
  /** The case's weights and patch elements, where its line was fitted on them. */
  weights?: number;
  patches?: number;
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

export interface ElementFitResidual {
  caseId: string;
  elements: number;
  measuredMs: number;
  fittedMs: number;
}

/** The fit of one zero-MACC layer type against the elements it touches. */
export interface ElementFitGroup {
  layerType: ElementLayerType;
  points: number;
  r2: number;
  mapePct: number;
  rmseMs: number;
  residuals: ElementFitResidual[];
  dropped: string[];
}

export interface ComputeFit {
  lines: ComputeLine[];
  groups: ComputeFitGroup[];
  /** One line per zero-MACC type measured at 2 or more distinct element counts. */
  elementLines: ElementLine[];
  elementGroups: ElementFitGroup[];
  /** Median of the zero-MACC layers' timings, the cost of types without an element line; 0 when none were measured (the paper ignores them). */
  otherLayerMs: number;
  /** Case ids of whole-model timings, which this fit skips. */
  skipped: string[];
}

export interface FitComputeOptions {
  /**
   * Drop points whose residual lies more than 3 robust standard deviations from the
   * median residual (sigma = 1.4826 · MAD, the median absolute deviation of the
   * residuals, which estimates the standard deviation for normal noise), then refit once.
   * Nothing is dropped when the MAD is 0 or when dropping would leave fewer than 2
   * distinct x values.
   */
  robust?: boolean;
}

function groupName(type: ComputeLayerType, kernel: number | null): string {
  return type === 'fc' ? 'fc' : `${type} k=${kernel}`;
}

interface XPoint { caseId: string; x: number; y: number }

interface StoredLineFit {
  slope: number;
  intercept: number;
  /** Figures of the stored line (after clamping) on the kept points. */
  r2: number;
  mapePct: number;
  rmse: number;
  kept: XPoint[];
  dropped: string[];
}

/** Quality figures of the line y = intercept + slope·x on `points`, as leastSquares computes them. */
function lineFigures(points: readonly XPoint[], slope: number, intercept: number): { r2: number; mapePct: number; rmse: number } {
  return fitQuality(points.map((p) => p.y), points.map((p) => intercept + slope * p.x));
}

function fitPoints(name: string, points: XPoint[], robust: boolean): StoredLineFit {
  let kept = points;
  let fit: LinearFit = leastSquares(kept, name);
  const dropped: string[] = [];
  if (robust) {
    const outlier = robustOutliers(fit.residuals);
    const candidate = kept.filter((_, i) => !outlier[i]);
    if (candidate.length < kept.length && new Set(candidate.map((t) => t.x)).size >= 2) {
      kept.forEach((t, i) => { if (outlier[i]) dropped.push(t.caseId); });
      kept = candidate;
      fit = leastSquares(kept, name);
    }
  }
  // A line's slope is stored as >= 0 (profiles refuse a negative one): a fit that falls with x is noise on a flat group,
  // stored as the flat line at the median; its figures are then those of that flat line, not of the fit.
  const slope = Math.max(0, fit.slope);
  const intercept = slope === fit.slope ? fit.intercept : median(kept.map((t) => t.y));
  const figures = slope === fit.slope ? { r2: fit.r2, mapePct: fit.mapePct, rmse: fit.rmse } : lineFigures(kept, slope, intercept);
  return { slope, intercept, ...figures, kept, dropped };
}

function fitGroup(type: ComputeLayerType, kernel: number | null, timings: LayerTiming[], robust: boolean): { line: ComputeLine; group: ComputeFitGroup } {
  const sized = timings.every((t) => t.weights !== undefined && t.patches !== undefined && t.medianMs > 0) && timings.length >= MIN_TERM_FIT_POINTS;
  if (sized) return fitGroupOnTerms(type, kernel, timings.map((t): LineTermPoint => ({ caseId: t.caseId, macc: t.macc, weights: t.weights ?? 0, patches: t.patches ?? 0, y: t.medianMs })), robust);
  const f = fitPoints(groupName(type, kernel), timings.map((t) => ({ caseId: t.caseId, x: t.macc, y: t.medianMs })), robust);
  const line: ComputeLine = { layerType: type, kernel, slopeMsPerMacc: f.slope, interceptMs: f.intercept, r2: Math.max(0, f.r2), points: f.kept.length };
  const residuals = f.kept.map((t) => ({ caseId: t.caseId, macc: t.x, measuredMs: t.y, fittedMs: f.intercept + f.slope * t.x }));
  return {
    line,
    group: { layerType: type, kernel, points: f.kept.length, r2: f.r2, mapePct: f.mapePct, rmseMs: f.rmse, residuals, dropped: f.dropped },
  };
}

function fitGroupOnTerms(type: ComputeLayerType, kernel: number | null, points: LineTermPoint[], robust: boolean): { line: ComputeLine; group: ComputeFitGroup } {
  const f = fitLineTerms(points, usableTerms(points), groupName(type, kernel), robust);
  const line: ComputeLine = {
    layerType: type, kernel, slopeMsPerMacc: f.slopeMsPerMacc, interceptMs: f.interceptMs,
    ...(f.terms.includes('weights') && { slopeMsPerWeight: f.slopeMsPerWeight }),
    ...(f.terms.includes('patches') && { slopeMsPerPatch: f.slopeMsPerPatch }),
    r2: Math.max(0, f.r2), points: f.kept.length,
  };
  const residuals = f.kept.map((p) => ({ caseId: p.caseId, macc: p.macc, weights: p.weights, patches: p.patches, measuredMs: p.y, fittedMs: termFittedMs(f, p) }));
  return {
    line,
    group: { layerType: type, kernel, points: f.kept.length, r2: f.r2, mapePct: f.mapePct, rmseMs: f.rmse, residuals, dropped: f.dropped },
  };
}

function fitElementGroup(type: ElementLayerType, timings: LayerTiming[], robust: boolean): { line: ElementLine; group: ElementFitGroup } {
  const f = fitPoints(`${type} (elements)`, timings.map((t) => ({ caseId: t.caseId, x: t.elements ?? 0, y: t.medianMs })), robust);
  const line: ElementLine = { layerType: type, slopeMsPerElement: f.slope, interceptMs: f.intercept, r2: Math.max(0, f.r2), points: f.kept.length };
  const residuals = f.kept.map((t) => ({ caseId: t.caseId, elements: t.x, measuredMs: t.y, fittedMs: f.intercept + f.slope * t.x }));
  return {
    line,
    group: { layerType: type, points: f.kept.length, r2: f.r2, mapePct: f.mapePct, rmseMs: f.rmse, residuals, dropped: f.dropped },
  };
}

export function fitComputeLines(timings: readonly LayerTiming[], options: FitComputeOptions = {}): ComputeFit {
  const byGroup = new Map<string, { type: ComputeLayerType; kernel: number | null; timings: LayerTiming[] }>();
  const other: number[] = [];
  const byElementType = new Map<ElementLayerType, LayerTiming[]>();
  const skipped: string[] = [];
  for (const t of timings) {
    if (!Number.isFinite(t.medianMs) || t.medianMs < 0) throw new FitError(`case "${t.caseId}"`, `its time must be a finite number of ms >= 0, got ${t.medianMs}`);
    if (t.kind === 'model') {
      skipped.push(t.caseId);
      continue;
    }
    if (ZERO_MACC_KINDS.has(t.kind)) {
      other.push(t.medianMs);
      if (t.elements !== undefined) {
        if (!Number.isFinite(t.elements) || t.elements < 0) throw new FitError(`case "${t.caseId}"`, `its element count must be a finite number >= 0, got ${t.elements}`);
        const type = t.kind as ElementLayerType;
        byElementType.set(type, [...(byElementType.get(type) ?? []), t]);
      }
      continue;
    }
    if (t.kind !== 'conv' && t.kind !== 'depthwise' && t.kind !== 'fc') {
      throw new FitError(`case "${t.caseId}"`, `unknown layer kind "${t.kind}"`);
    }
    if (!Number.isFinite(t.macc) || t.macc < 0) throw new FitError(`case "${t.caseId}"`, `its MACC count must be a finite number >= 0, got ${t.macc}`);
    if (t.weights !== undefined && (!Number.isFinite(t.weights) || t.weights < 0)) throw new FitError(`case "${t.caseId}"`, `its weight count must be a finite number >= 0, got ${t.weights}`);
    if (t.patches !== undefined && (!Number.isFinite(t.patches) || t.patches < 0)) throw new FitError(`case "${t.caseId}"`, `its patch element count must be a finite number >= 0, got ${t.patches}`);
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
  const elementFits = ELEMENT_LAYER_TYPES
    .map((type) => ({ type, timings: byElementType.get(type) ?? [] }))
    .filter((g) => new Set(g.timings.map((t) => t.elements)).size >= 2)
    .map((g) => fitElementGroup(g.type, g.timings, options.robust === true));
  return {
    lines: fitted.map((f) => f.line),
    groups: fitted.map((f) => f.group),
    elementLines: elementFits.map((f) => f.line),
    elementGroups: elementFits.map((f) => f.group),
    otherLayerMs: other.length === 0 ? 0 : median(other),
    skipped,
  };
}
