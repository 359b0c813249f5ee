/**
 * A device profile from whole-model timings alone (`edgetree profiles fit-models`), for
 * engineers who have timed whole models with their own tools but no micro-benchmarks.
 * Layers fall in four groups, conv (all kernels), depthwise, fc and the zero-MACC
 * layers; a fit finds one number per group a model holds and a per-layer overhead:
 *
 * - adjust (`adjustProfileToModels`): a base profile keeps its lines; each group's lines
 *   are scaled by a factor s_g >= 0 and every layer gains an overhead o >= 0 ms, so a
 *   model's time is Σ_g s_g·B_g + o·L, B_g being the base profile's time of the model's
 *   layers of group g and L its layer count. Rows are divided by the measured time (least
 *   squares on relative error), and a mild ridge pulls each s_g toward 1 and o toward 0
 *   (weight `ridge`: at the default, moving a factor by 1 costs as much as one model
 *   estimated 3% off; the overhead's pull is in the same relative units), so a handful
 *   of models cannot make a group that holds little of their time wild.
 * - from scratch (`fitProfileFromScratch`): a model's time is Σ_g c_g·X_g + o·L, X_g the
 *   MACCs of its conv, depthwise and fc layers and the elements its zero-MACC layers touch
 *   (latency/layer-elements.ts); non-negative least squares on relative error. The profile
 *   gives every conv kernel the conv slope (and so on) with o as every intercept, so
 *   estimateLatency on it reproduces the fitted totals (checked).
 *
 * Groups no model holds are not fitted (adjust: left as they are; from scratch: no lines).
 * Every fit reports its in-sample error and leave-one-out: each model estimated by the fit
 * of all the others, which is why a fit needs one model more than it has unknowns.
 */
import type { LayerAnalysis, ModelAnalysis } from '../../dnn/spec/analyze.ts';
import { analysedLayerLatencyMs, profileForRange } from '../compute-latency.ts';
import { ELEMENT_LAYER_TYPES, type ComputeLine, type DeviceProfile, type ElementLayerType, type ElementLine } from '../device-profile.ts';
import { ProfileCoverageError } from '../errors.ts';
import { estimateLatency } from '../estimate.ts';
import { layerElements } from '../layer-elements.ts';
import { buildDeviceProfile } from './build-profile.ts';
import { FitError } from './errors.ts';
import { nonNegativeLeastSquares } from './nnls.ts';
import { validationMetrics, type MeasuredEstimated, type ValidationItem } from './validation-metrics.ts';

export type ModelFitGroup = 'conv' | 'depthwise' | 'fc' | 'elements';
export const MODEL_FIT_GROUPS: readonly ModelFitGroup[] = ['conv', 'depthwise', 'fc', 'elements'];

/** One whole model and its measured latency. */
export interface TimedModel {
  name: string;
  analysis: ModelAnalysis;
  /** ms, > 0. */
  measuredMs: number;
}

/** Estimated against measured for a set of models (errorPct signed: (est − meas) / meas · 100). */
export interface ModelFitFigures {
  rows: ValidationItem[];
  /** Share of models with |errorPct| <= 10, 0..1. */
  within10Pct: number;
  within5Pct: number;
  /** Mean of the signed errors, %. */
  meanErrorPct: number;
  mapePct: number;
  rmseMs: number;
}

export interface ModelFitGroupValue {
  group: ModelFitGroup;
  /** Adjust: the factor on the group's lines (1 = unchanged). From scratch: ms per MACC (conv, depthwise, fc) or per element. */
  value: number;
}

export interface ModelsFit {
  mode: 'adjust' | 'scratch';
  profile: DeviceProfile;
  /** The fitted groups (those the models hold), in MODEL_FIT_GROUPS order. */
  groups: ModelFitGroupValue[];
  /** Per-layer overhead, ms (adjust: added to every intercept; from scratch: every intercept). */
  overheadMs: number;
  /** Unknowns fitted: one per group plus the overhead. */
  parameters: number;
  /** The stored profile's estimates of the models it was fitted on. */
  inSample: ModelFitFigures;
  /** Each model estimated by the fit of all the others. */
  leaveOneOut: ModelFitFigures;
}

/** Fewer models than the fit has unknowns plus one (leave-one-out needs a determined fit without each model). */
export class TooFewModelsError extends Error {
  readonly models: number;
  readonly parameters: number;

  constructor(models: number, parameters: number, unknowns: readonly string[]) {
    super(`cannot fit a profile from ${models} whole-model timing${models === 1 ? '' : 's'}: the fit has ${parameters} unknowns `
      + `(${unknowns.join(', ')}), so it needs at least ${parameters + 1} models (one more than its unknowns, for leave-one-out)`);
    this.name = 'TooFewModelsError';
    this.models = models;
    this.parameters = parameters;
  }
}

export interface ScratchFitOptions {
  name: string;
  device: DeviceProfile['device'];
  backend?: string;
  /** ISO 8601; defaults to now. */
  createdAt?: string;
}

export interface AdjustFitOptions {
  /** Name of the adjusted profile; default the base's (a new version of it). */
  name?: string;
  /** Weight of the pull toward no change (>= 0, default DEFAULT_RIDGE). */
  ridge?: number;
  createdAt?: string;
}

/** Moving a group's factor by 1 costs as much as one model estimated √0.001 ≈ 3% off. */
export const DEFAULT_RIDGE = 0.001;

/** Conv and depthwise kernels a profile fitted from scratch covers besides those of its models. */
const SCRATCH_CONV_KERNELS = [1, 3, 5, 7, 11];
const SCRATCH_DEPTHWISE_KERNELS = [3, 5, 7];

const ELEMENT_TYPES: ReadonlySet<string> = new Set(ELEMENT_LAYER_TYPES);

function groupOf(l: LayerAnalysis): ModelFitGroup {
  const t = l.layer.type;
  return t === 'conv' || t === 'depthwise' || t === 'fc' ? t : 'elements';
}

/** How one fit turns a set of models into rows and a solution into a profile. */
interface FitDesign {
  /** Per model: one value per MODEL_FIT_GROUPS entry, then the layer count. */
  features: number[][];
  /** The unknowns (active groups, then the overhead) fitted on the models at `rows`. */
  solve(rows: readonly number[]): { groups: Map<ModelFitGroup, number>; overheadMs: number };
  profile(groups: Map<ModelFitGroup, number>, overheadMs: number): DeviceProfile;
}

function checkModels(models: readonly TimedModel[]): void {
  const seen = new Set<string>();
  for (const m of models) {
    if (!(m.measuredMs > 0) || !Number.isFinite(m.measuredMs)) throw new FitError(`model "${m.name}"`, `its measured time must be a finite number of ms > 0, got ${m.measuredMs}`);
    if (seen.has(m.name)) throw new FitError(`model "${m.name}"`, 'it is listed twice');
    seen.add(m.name);
  }
}

function activeGroups(features: readonly number[][]): ModelFitGroup[] {
  return MODEL_FIT_GROUPS.filter((_, g) => features.some((f) => f[g] > 0));
}

function checkCount(models: readonly TimedModel[], active: readonly ModelFitGroup[], unit: (g: ModelFitGroup) => string): void {
  const parameters = active.length + 1;
  if (models.length < parameters + 1) throw new TooFewModelsError(models.length, parameters, [...active.map(unit), 'per-layer overhead']);
}

function figures(items: MeasuredEstimated[]): ModelFitFigures {
  const m = validationMetrics(items);
  return {
    rows: m.items,
    within10Pct: m.within10Pct,
    within5Pct: m.within5Pct,
    meanErrorPct: m.items.reduce((s, i) => s + i.errorPct, 0) / m.items.length,
    mapePct: m.mapePct,
    rmseMs: m.rmseMs,
  };
}

function estimateMs(model: TimedModel, profile: DeviceProfile): number {
  return estimateLatency(model.analysis, model.analysis.layers.length, profile, null, 1).totalMs;
}

function runFit(mode: ModelsFit['mode'], models: readonly TimedModel[], design: FitDesign, active: readonly ModelFitGroup[]): ModelsFit & { fittedMs: number[] } {
  const all = models.map((_, i) => i);
  const fit = design.solve(all);
  const profile = design.profile(fit.groups, fit.overheadMs);
  const inSample = figures(models.map((m) => ({ name: m.name, measuredMs: m.measuredMs, estimatedMs: estimateMs(m, profile) })));
  const leaveOneOut = figures(models.map((m, i) => {
    const without = design.solve(all.filter((j) => j !== i));
    return { name: m.name, measuredMs: m.measuredMs, estimatedMs: estimateMs(m, design.profile(without.groups, without.overheadMs)) };
  }));
  const fittedMs = design.features.map((f) => MODEL_FIT_GROUPS.reduce((s, g, k) => s + (fit.groups.get(g) ?? 0) * f[k], 0) + fit.overheadMs * f[MODEL_FIT_GROUPS.length]);
  return {
    mode, profile, fittedMs,
    groups: active.map((group) => ({ group, value: fit.groups.get(group)! })),
    overheadMs: fit.overheadMs,
    parameters: active.length + 1,
    inSample, leaveOneOut,
  };
}

/** Rows of relative error: each model's features over its measured time, target 1. */
function relativeRows(models: readonly TimedModel[], features: readonly number[][], rows: readonly number[], active: readonly ModelFitGroup[]): number[][] {
  const L = MODEL_FIT_GROUPS.length;
  return rows.map((i) => [...active.map((g) => features[i][MODEL_FIT_GROUPS.indexOf(g)]), features[i][L]].map((v) => v / models[i].measuredMs));
}

function solution(active: readonly ModelFitGroup[], x: readonly number[]): { groups: Map<ModelFitGroup, number>; overheadMs: number } {
  return { groups: new Map(active.map((g, k) => [g, x[k]])), overheadMs: x[active.length] };
}

/** Fits slopes per group and a per-layer overhead from the models' timings alone; see the file comment. */
export function fitProfileFromScratch(models: readonly TimedModel[], opts: ScratchFitOptions): ModelsFit {
  checkModels(models);
  const features = models.map(({ analysis }) => {
    const f = [0, 0, 0, 0, analysis.layers.length];
    for (const l of analysis.layers) {
      const g = groupOf(l);
      if (g !== 'elements') f[MODEL_FIT_GROUPS.indexOf(g)] += l.macc;
      else if (ELEMENT_TYPES.has(l.layer.type)) f[3] += layerElements(l);
    }
    return f;
  });
  const active = activeGroups(features);
  checkCount(models, active, (g) => (g === 'elements' ? 'ms per element of zero-MACC layers' : `ms per MACC of ${g} layers`));
  const kernels = (type: 'conv' | 'depthwise', defaults: number[]): number[] => {
    const seen = models.flatMap((m) => m.analysis.layers.filter((l) => l.layer.type === type && l.layer.kernel !== undefined).map((l) => l.layer.kernel!));
    return [...new Set([...defaults, ...seen])].sort((a, b) => a - b);
  };
  const convKernels = kernels('conv', SCRATCH_CONV_KERNELS);
  const depthwiseKernels = kernels('depthwise', SCRATCH_DEPTHWISE_KERNELS);
  const design: FitDesign = {
    features,
    solve(rows) {
      const a = relativeRows(models, features, rows, active);
      return solution(active, nonNegativeLeastSquares(a, a.map(() => 1), 'a profile from whole-model timings').x);
    },
    profile(groups, overheadMs) {
      const line = (layerType: ComputeLine['layerType'], kernel: number | null): ComputeLine => ({ layerType, kernel, slopeMsPerMacc: groups.get(layerType)!, interceptMs: overheadMs });
      const lines: ComputeLine[] = [
        ...(groups.has('conv') ? convKernels.map((k) => line('conv', k)) : []),
        ...(groups.has('depthwise') ? depthwiseKernels.map((k) => line('depthwise', k)) : []),
        ...(groups.has('fc') ? [line('fc', null)] : []),
      ];
      const elementLines: ElementLine[] = groups.has('elements')
        ? ELEMENT_LAYER_TYPES.map((layerType: ElementLayerType) => ({ layerType, slopeMsPerElement: groups.get('elements')!, interceptMs: overheadMs }))
        : [];
      return buildDeviceProfile({
        name: opts.name, device: opts.device, ...(opts.backend !== undefined && { backend: opts.backend }),
        ...(opts.createdAt !== undefined && { createdAt: opts.createdAt }),
        compute: { lines, otherLayerMs: overheadMs, elementLines },
      });
    },
  };
  const { fittedMs, ...fit } = runFit('scratch', models, design, active);
  // The profile must reproduce the fit: every layer's line is o + c_g·x, never clipped (o, c_g >= 0).
  fit.inSample.rows.forEach((r, i) => {
    if (Math.abs(r.estimatedMs - fittedMs[i]) > 1e-9 * Math.max(1, fittedMs[i])) {
      throw new FitError(`model "${r.name}"`, `the fitted profile estimates ${r.estimatedMs} ms where the fit gives ${fittedMs[i]} ms`);
    }
  });
  return fit;
}

/** The base profile's time of each group's layers of one model (with the lines profileForRange picks). */
function baseGroupTimes(model: TimedModel, base: DeviceProfile): number[] {
  const a = model.analysis;
  const f = [0, 0, 0, 0, a.layers.length];
  try {
    const lines = profileForRange(a, base, 0, a.layers.length);
    for (const l of a.layers) f[MODEL_FIT_GROUPS.indexOf(groupOf(l))] += analysedLayerLatencyMs(lines, l);
  } catch (e) {
    if (!(e instanceof ProfileCoverageError)) throw e;
    const prefix = `profile "${base.name}": `;
    const problem = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    throw new ProfileCoverageError(base.name, `cannot estimate model "${model.name}": ${problem}`);
  }
  return f;
}

/**
 * The base profile with each group's lines scaled and the per-layer overhead added to
 * every intercept, fitted to the models' timings; see the file comment. Throws
 * ProfileCoverageError naming the first model the base profile cannot estimate.
 */
export function adjustProfileToModels(models: readonly TimedModel[], base: DeviceProfile, opts: AdjustFitOptions = {}): ModelsFit {
  checkModels(models);
  const ridge = opts.ridge ?? DEFAULT_RIDGE;
  if (!(ridge >= 0) || !Number.isFinite(ridge)) throw new FitError('the adjustment', `ridge must be a finite number >= 0, got ${ridge}`);
  const features = models.map((m) => baseGroupTimes(m, base));
  const active = activeGroups(features);
  checkCount(models, active, (g) => `scale of ${g === 'elements' ? 'zero-MACC' : g} lines`);
  const L = MODEL_FIT_GROUPS.length;
  const w = Math.sqrt(ridge);
  const design: FitDesign = {
    features,
    solve(rows) {
      const a = relativeRows(models, features, rows, active);
      const b = a.map(() => 1);
      // The overhead's pull is in the same relative units: o·L/measured for a typical model.
      const perLayer = rows.map((i) => features[i][L] / models[i].measuredMs).sort((x, y) => x - y);
      const typical = perLayer[perLayer.length >> 1];
      active.forEach((_, k) => {
        a.push(active.map((__, j) => (j === k ? w : 0)).concat(0));
        b.push(w);
      });
      a.push([...active.map(() => 0), w * typical]);
      b.push(0);
      return solution(active, nonNegativeLeastSquares(a, b, `an adjustment of profile "${base.name}"`).x);
    },
    profile(groups, overheadMs) {
      const scale = (g: ModelFitGroup): number => groups.get(g) ?? 1;
      const computeLine = (l: ComputeLine): ComputeLine => ({
        layerType: l.layerType, kernel: l.kernel, slopeMsPerMacc: l.slopeMsPerMacc * scale(l.layerType), interceptMs: l.interceptMs * scale(l.layerType) + overheadMs,
        ...(l.slopeMsPerWeight !== undefined && { slopeMsPerWeight: l.slopeMsPerWeight * scale(l.layerType) }),
        ...(l.slopeMsPerPatch !== undefined && { slopeMsPerPatch: l.slopeMsPerPatch * scale(l.layerType) }),
      });
      const elementLine = (l: ElementLine): ElementLine => ({
        layerType: l.layerType, slopeMsPerElement: l.slopeMsPerElement * scale('elements'), interceptMs: l.interceptMs * scale('elements') + overheadMs,
      });
      return buildDeviceProfile({
        name: opts.name ?? base.name,
        device: base.device,
        ...(base.backend !== undefined && { backend: base.backend }),
        ...(opts.createdAt !== undefined && { createdAt: opts.createdAt }),
        compute: {
          lines: base.compute.map(computeLine),
          otherLayerMs: (base.otherLayerMs ?? 0) * scale('elements') + overheadMs,
          elementLines: (base.elementLines ?? []).map(elementLine),
        },
        ...(base.cold !== undefined && {
          cold: {
            cacheBytes: base.cold.cacheBytes,
            compute: base.cold.compute.map(computeLine),
            ...(base.cold.elementLines !== undefined && { elementLines: base.cold.elementLines.map(elementLine) }),
          },
        }),
        transfer: base.transfer,
      });
    },
  };
  const { fittedMs: _fitted, ...fit } = runFit('adjust', models, design, active);
  return fit;
}
