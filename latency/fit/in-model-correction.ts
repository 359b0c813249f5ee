/**
 * In-model correction of a profile's lines from whole models timed layer by layer (the
 * calibration's anchor models). A layer inside a model runs slower than the same layer in
 * a micro-benchmark loop, which repeats it on weights and activations it keeps hot, with
 * nothing dispatched in between: on this kind of machine conv layers ran ~10% slower in
 * models, bn, activation, pooling and add 30-100% slower. The ratio is steady per layer
 * type and kernel, so each line is scaled by the median ratio of in-model time to its own
 * estimate over the anchors' layers of its group; a group with fewer than
 * MIN_GROUP_LAYERS layers there takes the median over all MACC (or all zero-MACC) layers.
 * Six, not three: the anchors hold five 5x5 convs, in their three AlexNets, and the median
 * over those few read 1.17 to 1.40 from one calibration to the next on `local`; at
 * 1.32, full-width alexnet's 5x5 conv (2.06 ms in the model, its line 2.01) was estimated
 * 2.66 ms and alexnet 19.5% high.
 * Each model's layer times are first scaled to sum to its whole-model time, so what runs
 * between layers is shared among them.
 *
 * The ratio grows with a layer's size (bn and activation ran ~1.1x their lines in
 * quarter-width models, ~2x in full-width ones), so a group the anchors hold at least
 * MIN_REFIT_LAYERS times, at MIN_REFIT_SIZES sizes or more, gets its warm line refitted on
 * those in-model times instead (robust least squares, as the micro-benchmarks are fitted);
 * its cold line, which no anchor exercises, is scaled by the ratio.
 */
import type { ModelAnalysis } from '../../dnn/spec/analyze.ts';
import { analysedLayerLatencyMs, profileForRange } from '../compute-latency.ts';
import type { ComputeLine, DeviceProfile, ElementLine } from '../device-profile.ts';
import { FitError } from './errors.ts';
import { median } from './least-squares.ts';
import { fitComputeLines, type LayerTiming } from './fit-compute.ts';
import { layerElements, layerPatches } from '../layer-elements.ts';

export const MIN_GROUP_LAYERS = 6;
export const MIN_REFIT_LAYERS = 6;
export const MIN_REFIT_SIZES = 3;

/** One anchor model as timed: its whole-model median and each layer's, in the analysis's order. */
export interface AnchorTiming {
  name: string;
  analysis: ModelAnalysis;
  totalMs: number;
  layerMs: readonly number[];
}

export interface InModelFactor {
  /** conv / depthwise / fc with their kernel (null for fc), a zero-MACC type with kernel null, or 'other' (otherLayerMs). */
  layerType: string;
  kernel: number | null;
  /** In-model time over the line's estimate (median). */
  factor: number;
  /** Anchor layers of this group. */
  layers: number;
  /** 'refit': the warm line refitted on the anchors' layers (factor: their median ratio, for reading); 'group': scaled by the group's own median; 'pooled': too few layers, the median over its class. */
  from: 'refit' | 'group' | 'pooled';
}

export interface InModelCorrection {
  profile: DeviceProfile;
  factors: InModelFactor[];
  anchors: string[];
}

const MACC_TYPES = new Set(['conv', 'depthwise', 'fc']);

function groupKey(type: string, kernel: number | null): string {
  return `${type}/${kernel ?? ''}`;
}

function checkAnchor(a: AnchorTiming): void {
  const what = `anchor model "${a.name}"`;
  if (a.layerMs.length !== a.analysis.layers.length) throw new FitError(what, `it has ${a.analysis.layers.length} layers but ${a.layerMs.length} layer timings`);
  if (!(a.totalMs > 0) || !Number.isFinite(a.totalMs)) throw new FitError(what, `its time must be a finite number of ms > 0, got ${a.totalMs}`);
  if (a.layerMs.some((t) => !(t >= 0) || !Number.isFinite(t)) || !(a.layerMs.reduce((s, t) => s + t, 0) > 0)) throw new FitError(what, 'its layer times must be finite, >= 0 and not all 0');
}

/** The profile with each line scaled by its group's in-model factor; the factors as found. */
export function correctForInModelTime(base: DeviceProfile, anchors: readonly AnchorTiming[]): InModelCorrection {
  if (anchors.length === 0) throw new FitError('the in-model correction', 'it needs at least one anchor model');
  const ratios = new Map<string, number[]>();
  const pooled = { macc: [] as number[], zero: [] as number[] };
  const points: LayerTiming[] = [];
  for (const a of anchors) {
    checkAnchor(a);
    const lines = profileForRange(a.analysis, base, 0, a.analysis.layers.length);
    const share = a.totalMs / a.layerMs.reduce((s, t) => s + t, 0);
    a.analysis.layers.forEach((l, i) => {
      const estimated = analysedLayerLatencyMs(lines, l);
      if (!(estimated > 0)) return;
      const type = l.layer.type;
      const isMacc = MACC_TYPES.has(type);
      const hasElementLine = (lines.elementLines ?? []).some((e) => e.layerType === type);
      const key = isMacc ? groupKey(type, type === 'fc' ? null : l.layer.kernel ?? null) : hasElementLine ? groupKey(type, null) : groupKey('other', null);
      const r = (a.layerMs[i] * share) / estimated;
      const kernel = isMacc && type !== 'fc' ? l.layer.kernel ?? null : null;
      points.push({ caseId: `${a.name}/${l.layer.id}`, kind: type, kernel, macc: l.macc, medianMs: a.layerMs[i] * share, ...(isMacc ? { weights: l.params, patches: layerPatches(l) } : { elements: layerElements(l) }) });
      ratios.set(key, [...(ratios.get(key) ?? []), r]);
      (isMacc ? pooled.macc : pooled.zero).push(r);
    });
  }
  const refittable = (type: string, kernel: number | null): boolean => {
    const own = points.filter((p) => p.kind === type && p.kernel === kernel);
    return own.length >= MIN_REFIT_LAYERS && new Set(own.map((p) => (MACC_TYPES.has(type) ? p.macc : p.elements))).size >= MIN_REFIT_SIZES;
  };
  // Only groups with enough sizes: a line through one size cannot be fitted.
  const refit = fitComputeLines(points.filter((p) => refittable(p.kind, p.kernel)), { robust: true });
  const factors: InModelFactor[] = [];
  const factorOf = (type: string, kernel: number | null, isMacc: boolean): number => {
    const own = ratios.get(groupKey(type, kernel)) ?? [];
    const pool = isMacc ? pooled.macc : pooled.zero;
    if (own.length >= MIN_GROUP_LAYERS) {
      factors.push({ layerType: type, kernel, factor: median(own), layers: own.length, from: type !== 'other' && refittable(type, kernel) ? 'refit' : 'group' });
    } else if (pool.length > 0) {
      factors.push({ layerType: type, kernel, factor: median(pool), layers: own.length, from: 'pooled' });
    } else {
      return 1;
    }
    return factors[factors.length - 1].factor;
  };
  const computeLine = (l: ComputeLine, f: number): ComputeLine => ({
    ...l, slopeMsPerMacc: l.slopeMsPerMacc * f, interceptMs: l.interceptMs * f, ...(l.slopeMsPerWeight !== undefined && { slopeMsPerWeight: l.slopeMsPerWeight * f }),
    ...(l.slopeMsPerPatch !== undefined && { slopeMsPerPatch: l.slopeMsPerPatch * f }),
  });
  const elementLine = (l: ElementLine, f: number): ElementLine => ({ ...l, slopeMsPerElement: l.slopeMsPerElement * f, interceptMs: l.interceptMs * f });
  const computeFactors = new Map(base.compute.map((l) => [groupKey(l.layerType, l.kernel), factorOf(l.layerType, l.kernel, true)]));
  const elementFactors = new Map((base.elementLines ?? []).map((l) => [l.layerType as string, factorOf(l.layerType, null, false)]));
  const otherFactor = base.otherLayerMs !== undefined ? factorOf('other', null, false) : 1;
  const scaleCompute = (l: ComputeLine): ComputeLine => computeLine(l, computeFactors.get(groupKey(l.layerType, l.kernel)) ?? 1);
  const scaleElement = (l: ElementLine): ElementLine => elementLine(l, elementFactors.get(l.layerType) ?? 1);
  const refitted = new Set(factors.filter((f) => f.from === 'refit').map((f) => groupKey(f.layerType, f.kernel)));
  const warmCompute = (l: ComputeLine): ComputeLine => {
    const line = refitted.has(groupKey(l.layerType, l.kernel)) ? refit.lines.find((r) => r.layerType === l.layerType && r.kernel === l.kernel) : undefined;
    return line ?? scaleCompute(l);
  };
  const warmElement = (l: ElementLine): ElementLine => {
    const line = refitted.has(groupKey(l.layerType, null)) ? refit.elementLines.find((r) => r.layerType === l.layerType) : undefined;
    return line ?? scaleElement(l);
  };
  const profile: DeviceProfile = {
    ...base,
    compute: base.compute.map(warmCompute),
    ...(base.elementLines !== undefined && { elementLines: base.elementLines.map(warmElement) }),
    ...(base.otherLayerMs !== undefined && { otherLayerMs: base.otherLayerMs * otherFactor }),
    ...(base.cold !== undefined && {
      cold: {
        ...base.cold,
        compute: base.cold.compute.map(scaleCompute),
        ...(base.cold.elementLines !== undefined && { elementLines: base.cold.elementLines.map(scaleElement) }),
      },
    }),
  };
  return { profile, factors, anchors: anchors.map((a) => a.name) };
}
