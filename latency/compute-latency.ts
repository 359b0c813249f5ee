/**
 * Computation latency T_e / T_c (paper Sec. IV-B, Eq. 4, 5): per layer, a linear model
 * of its MACCs (and of its weights, where the line has a weight term) from the profile line for its type and kernel; grouped conv uses the
 * conv line of its kernel (its MACCs already count the groups). Layers without MACCs
 * (pooling, BN, activation, flatten, add, ...) cost their element line when the profile
 * has one for their type (linear in the elements they touch), else its otherLayerMs.
 */
import type { LayerAnalysis, ModelAnalysis } from '../dnn/spec/analyze.ts';
import type { LayerType } from '../dnn/spec/layer-spec.ts';
import type { ComputeLine, DeviceProfile, ElementLine } from './device-profile.ts';
import { layerElements, layerPatches } from './layer-elements.ts';
import { LatencyInputError, ProfileCoverageError } from './errors.ts';

function findLine(profile: DeviceProfile, type: 'conv' | 'depthwise' | 'fc', kernel: number | undefined): ComputeLine {
  if (type === 'fc') {
    const line = profile.compute.find((c) => c.layerType === 'fc');
    if (!line) throw new ProfileCoverageError(profile.name, 'has no line for fc layers');
    return line;
  }
  if (kernel === undefined) throw new LatencyInputError(`a ${type} layer without a kernel size cannot be estimated`);
  const line = profile.compute.find((c) => c.layerType === type && c.kernel === kernel);
  if (!line) {
    const kernels = profile.compute.filter((c) => c.layerType === type).map((c) => c.kernel);
    const has = kernels.length > 0 ? `it has ${type} kernels ${kernels.join(', ')}` : `it has no ${type} lines`;
    throw new ProfileCoverageError(profile.name, `has no line for ${type} with kernel ${kernel}: ${has}`);
  }
  return line;
}

/**
 * Latency in ms of one layer of the given type and kernel with `macc` MACCs, `weights`
 * parameters and `patches` im2col patch elements (layerPatches); never below 0.
 */
export function layerLatencyMs(profile: DeviceProfile, type: LayerType, kernel: number | undefined, macc: number, weights = 0, patches = 0): number {
  if (!(macc >= 0) || !Number.isFinite(macc)) throw new LatencyInputError(`MACC count must be a finite number >= 0, got ${macc}`);
  if (!(weights >= 0) || !Number.isFinite(weights)) throw new LatencyInputError(`weight count must be a finite number >= 0, got ${weights}`);
  if (!(patches >= 0) || !Number.isFinite(patches)) throw new LatencyInputError(`patch element count must be a finite number >= 0, got ${patches}`);
  if (type === 'conv' || type === 'depthwise' || type === 'fc') {
    const line = findLine(profile, type, kernel);
    return Math.max(0, line.interceptMs + line.slopeMsPerMacc * macc + (line.slopeMsPerWeight ?? 0) * weights + (line.slopeMsPerPatch ?? 0) * patches);
  }
  return profile.otherLayerMs ?? 0;
}

/**
 * Latency in ms of a zero-MACC layer of `type` touching `elements` float elements: its
 * element line when the profile has one, else otherLayerMs; never below 0.
 */
export function elementLayerLatencyMs(profile: DeviceProfile, type: LayerType, elements: number): number {
  if (!(elements >= 0) || !Number.isFinite(elements)) throw new LatencyInputError(`element count must be a finite number >= 0, got ${elements}`);
  const line = profile.elementLines?.find((e) => e.layerType === type);
  if (!line) return profile.otherLayerMs ?? 0;
  return Math.max(0, line.interceptMs + line.slopeMsPerElement * elements);
}

/** Latency in ms of an analysed layer. */
export function analysedLayerLatencyMs(profile: DeviceProfile, l: LayerAnalysis): number {
  const type = l.layer.type;
  if (type === 'conv' || type === 'depthwise' || type === 'fc') return layerLatencyMs(profile, type, l.layer.kernel, l.macc, l.params, layerPatches(l));
  return elementLayerLatencyMs(profile, type, layerElements(l));
}

function checkRange(analysis: ModelAnalysis, from: number, to: number): void {
  const n = analysis.layers.length;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > n || from > to) {
    throw new LatencyInputError(`layer range [${from}, ${to}) is not within model "${analysis.spec.name}" of ${n} layers`);
  }
}

/**
 * The profile whose lines estimate layers [from, to) of a model run together on the
 * device: the profile itself while the float32 weights of those layers fit its cacheBytes;
 * past it, each line moves from warm toward its cold line (see ColdLines) by the share of
 * the weights the cache cannot hold, 1 - cacheBytes / weights (a run sweeping W bytes
 * through a cache of C keeps about C / W of them). A model just past the cache taken as
 * wholly cold was estimated 28% high (vgg11-w0.5, 9.3 MiB of weights over an 8 MiB cache,
 * `npm run bench -- calibration` on `local`).
 */
export function profileForRange(analysis: ModelAnalysis, profile: DeviceProfile, from: number, to: number): DeviceProfile {
  checkRange(analysis, from, to);
  const cold = profile.cold;
  if (cold === undefined) return profile;
  let weightBytes = 0;
  for (let i = from; i < to; i++) weightBytes += 4 * analysis.layers[i].params;
  if (weightBytes <= cold.cacheBytes) return profile;
  const miss = 1 - cold.cacheBytes / weightBytes;
  const between = (w: number, c: number): number => w + miss * (c - w);
  const compute = cold.compute.map((c): ComputeLine => {
    const w = profile.compute.find((l) => l.layerType === c.layerType && l.kernel === c.kernel);
    if (w === undefined) return c;
    const weight = w.slopeMsPerWeight === undefined && c.slopeMsPerWeight === undefined ? {} : { slopeMsPerWeight: between(w.slopeMsPerWeight ?? 0, c.slopeMsPerWeight ?? 0) };
    const patch = w.slopeMsPerPatch === undefined && c.slopeMsPerPatch === undefined ? {} : { slopeMsPerPatch: between(w.slopeMsPerPatch ?? 0, c.slopeMsPerPatch ?? 0) };
    return { layerType: c.layerType, kernel: c.kernel, slopeMsPerMacc: between(w.slopeMsPerMacc, c.slopeMsPerMacc), interceptMs: between(w.interceptMs, c.interceptMs), ...weight, ...patch };
  });
  const warmOnly = profile.compute.filter((w) => !cold.compute.some((c) => c.layerType === w.layerType && c.kernel === w.kernel));
  const elementLines = cold.elementLines?.map((c): ElementLine => {
    const w = profile.elementLines?.find((l) => l.layerType === c.layerType);
    return w === undefined ? c : { layerType: c.layerType, slopeMsPerElement: between(w.slopeMsPerElement, c.slopeMsPerElement), interceptMs: between(w.interceptMs, c.interceptMs) };
  });
  const warmElements = (profile.elementLines ?? []).filter((w) => !(cold.elementLines ?? []).some((c) => c.layerType === w.layerType));
  return { ...profile, compute: [...compute, ...warmOnly], elementLines: elementLines === undefined ? profile.elementLines : [...elementLines, ...warmElements] };
}

/** Sum of the layer latencies of layers [from, to) in list order (with the lines profileForRange picks). */
export function rangeLatencyMs(analysis: ModelAnalysis, profile: DeviceProfile, from: number, to: number): number {
  const lines = profileForRange(analysis, profile, from, to);
  let ms = 0;
  for (let i = from; i < to; i++) ms += analysedLayerLatencyMs(lines, analysis.layers[i]);
  return ms;
}
