import type { LayerAnalysis } from '../spec/analyze.ts';
import type { LayerSpec, ModelSpec } from '../spec/layer-spec.ts';
import type { LayerWeights, WeightSet } from '../tfjs/layer-weights.ts';
import { finishResult } from './finish-result.ts';
import { ParamReader } from './param-reader.ts';
import type { TargetLayer } from './target-layer.ts';
import { consumersOf, layerWeightsOf, requireType, targetLayer } from './target-layer.ts';
import { takeAlongAxis } from './take-channels.ts';
import type { CompressionResult, LayerRef, Technique, TechniqueParamDoc, TechniqueParams } from './technique.ts';

export const PRUNING_PARAMS: readonly TechniqueParamDoc[] = [
  { name: 'ratio', type: 'number', default: '0.5', doc: 'Share of the filters (FC units) to drop, (0, 1): floor(ratio · C_out) of them, keeping at least one.' },
];

/** Layers the kept channels pass through unchanged in number (bn is sliced). */
const PASS_THROUGH: ReadonlySet<string> = new Set(['bn', 'activation', 'dropout', 'maxpool', 'avgpool', 'gap', 'flatten', 'depthwise']);

/** Where the pruning goes: the layers reading pruned channels, and which of their input channels are kept. */
interface Edit {
  index: number;
  /** Kept indices along the last axis of this layer's input. */
  kept: number[];
}

/**
 * W1: drops the filters of a conv (groups 1), or the units of an FC, with the
 * smallest L1 norm (ties: the later one first), floor(ratio · C_out) of them,
 * keeping at least one, and shrinks what reads them: bn parameters, depthwise
 * filters (and so their outputs), the input channels of the next conv, the rows of
 * the next FC — after a flatten of H x W x C (HWC order) the rows (h·W + w)·C + c of
 * every kept channel c. Refused when the pruned channels reach an add or a concat
 * (a residual would need every end pruned alike), a grouped conv, or the model's
 * output (the last layer: pruning would change the output).
 * details: keptFilters, droppedFilters.
 */
export function applyFilterPruning(spec: ModelSpec, weights: WeightSet, ref: LayerRef, params: TechniqueParams = {}): CompressionResult {
  const target = targetLayer('W1', spec, ref);
  checkPrunable(target);
  const reader = new ParamReader(target, params, PRUNING_PARAMS);
  const ratio = reader.number('ratio', 0.5, 0, 1, true, true);
  const original = layerWeightsOf(target, target.analysis, weights);
  const cOut = target.analysis.outputShape[target.analysis.outputShape.length - 1];
  const drop = Math.min(cOut - 1, Math.floor(ratio * cOut));
  if (drop === 0) target.fail(`ratio ${ratio} of ${cOut} filters drops none (at least one must go and one must stay)`);
  const norms = l1Norms(original.kernel as Float32Array, cOut);
  const byNorm = norms.map((_, i) => i).sort((a, b) => norms[a] - norms[b] || b - a);
  const dropped = byNorm.slice(0, drop).sort((a, b) => a - b);
  const kept = byNorm.slice(drop).sort((a, b) => a - b);

  const layers = spec.layers.map((l) => ({ ...l }));
  const newWeights: WeightSet = new Map(weights);
  const { layer, analysis } = target;
  layers[target.index].outChannels = kept.length;
  newWeights.set(layer.id, sliceOutputs(analysis, original, kept));
  const changed = [layer.id];
  // Follow the kept channels to every layer whose input shrinks.
  const queue: Edit[] = consumersOf(target.model, target.index).map((index) => ({ index, kept }));
  while (queue.length > 0) {
    const { index, kept: inKept } = queue.shift() as Edit;
    const next = target.model.layers[index];
    const outKept = shrinkInput(target, next, inKept, layers[index], newWeights);
    changed.push(next.layer.id);
    if (outKept === null) continue;
    const readers = consumersOf(target.model, index);
    if (readers.length === 0) target.fail(`the pruned channels reach the model output through "${next.layer.id}" (${next.layer.type}): pruning would change the model's output`);
    for (const r of readers) queue.push({ index: r, kept: outKept });
  }
  return finishResult(target, {
    spec: { ...spec, layers },
    weights: newWeights,
    description: `W1 filter pruning: ${drop} of ${cOut} ${layer.type === 'fc' ? 'units' : 'filters'} of "${layer.id}" with the smallest L1 norm dropped (${dropped.length <= 16 ? dropped.join(', ') : `${dropped.slice(0, 16).join(', ')}, ...`}); ${changed.slice(1).map((id) => `"${id}"`).join(', ')} shrunk to match.`,
    replacedLayerIds: changed,
    newLayerIds: changed,
    details: { keptFilters: kept.length, droppedFilters: drop },
  });
}

function checkPrunable(target: TargetLayer): void {
  requireType(target, ['conv', 'fc'], 'it drops filters or units');
  if ((target.layer.groups ?? 1) !== 1) target.fail(`the conv has ${target.layer.groups} groups; only an ordinary conv has filters to drop one by one`);
  if (target.analysis.outputShape[target.analysis.outputShape.length - 1] < 2) target.fail('the layer has one filter: nothing can be dropped');
  if (consumersOf(target.model, target.index).length === 0) target.fail("it is the last layer: pruning it would change the model's output");
  // Walk the spec-level consumers once to refuse early what shrinkInput would refuse.
  const seen = new Set<number>();
  const queue = consumersOf(target.model, target.index);
  while (queue.length > 0) {
    const index = queue.shift() as number;
    if (seen.has(index)) continue;
    seen.add(index);
    const l = target.model.layers[index];
    refuseConsumer(target, l);
    if (PASS_THROUGH.has(l.layer.type)) {
      const readers = consumersOf(target.model, index);
      if (readers.length === 0) target.fail(`the pruned channels reach the model output through "${l.layer.id}" (${l.layer.type}): pruning would change the model's output`);
      queue.push(...readers);
    }
  }
}

function refuseConsumer(target: TargetLayer, l: LayerAnalysis): void {
  if (l.layer.type === 'add' || l.layer.type === 'concat') {
    target.fail(`the pruned channels feed the ${l.layer.type} "${l.layer.id}" (a ${l.layer.type === 'add' ? 'residual join' : 'concatenation'}): every end would have to be pruned alike, which W1 does not do`);
  }
  if (l.layer.type === 'conv' && (l.layer.groups ?? 1) !== 1) target.fail(`the pruned channels feed the grouped conv "${l.layer.id}" (${l.layer.groups} groups)`);
}

/** L1 norm of each output channel's weights (the last axis of the kernel). */
function l1Norms(kernel: Float32Array, cOut: number): number[] {
  const norms = new Array<number>(cOut).fill(0);
  for (let i = 0; i < kernel.length; i++) norms[i % cOut] += Math.abs(kernel[i]);
  return norms;
}

function sliceOutputs(analysis: LayerAnalysis, w: LayerWeights, kept: number[]): LayerWeights {
  const kernel = w.kernel as Float32Array;
  const cOut = analysis.outputShape[analysis.outputShape.length - 1];
  const out: LayerWeights = { kernel: takeAlongAxis(kernel, [kernel.length / cOut, cOut], 1, kept) };
  if (w.bias) out.bias = takeAlongAxis(w.bias, [cOut], 0, kept);
  return out;
}

/**
 * Shrinks one layer that reads pruned channels (its input's last axis keeps `kept`)
 * and returns the kept indices of its own output's last axis, or null when the
 * pruning stops here (a conv or an FC absorbs it).
 */
function shrinkInput(target: TargetLayer, l: LayerAnalysis, kept: number[], spec: LayerSpec, weights: WeightSet): number[] | null {
  refuseConsumer(target, l);
  const input = l.inputShapes[0];
  const channels = input[input.length - 1];
  switch (l.layer.type) {
    case 'conv': {
      const k = l.layer.kernel ?? 1;
      const cOut = l.outputShape[2];
      const given = layerWeightsOf(target, l, weights);
      weights.set(l.layer.id, { ...given, kernel: takeAlongAxis(given.kernel as Float32Array, [k * k, channels, cOut], 1, kept) });
      return null;
    }
    case 'fc': {
      const given = layerWeightsOf(target, l, weights);
      weights.set(l.layer.id, { ...given, kernel: takeAlongAxis(given.kernel as Float32Array, [channels, l.outputShape[0]], 0, kept) });
      return null;
    }
    case 'bn': {
      const given = layerWeightsOf(target, l, weights);
      const take = (a: Float32Array | undefined): Float32Array => takeAlongAxis(a as Float32Array, [channels], 0, kept);
      weights.set(l.layer.id, { gamma: take(given.gamma), beta: take(given.beta), movingMean: take(given.movingMean), movingVariance: take(given.movingVariance) });
      return kept;
    }
    case 'depthwise': {
      // Output channel c·m + j comes from input channel c.
      const m = l.layer.depthMultiplier ?? 1;
      const k = l.layer.kernel ?? 1;
      const given = layerWeightsOf(target, l, weights);
      const outKept = kept.flatMap((c) => Array.from({ length: m }, (_, j) => c * m + j));
      const next: LayerWeights = { kernel: takeAlongAxis(given.kernel as Float32Array, [k * k, channels, m], 1, kept) };
      if (given.bias) next.bias = takeAlongAxis(given.bias, [channels * m], 0, outKept);
      weights.set(l.layer.id, next);
      if (spec.outChannels !== undefined) spec.outChannels = kept.length * m;
      return outKept;
    }
    case 'flatten': {
      // HWC order: element (h, w, c) lands at (h·W + w)·C + c.
      const positions = input.slice(0, -1).reduce((p, d) => p * d, 1);
      const rows: number[] = [];
      for (let p = 0; p < positions; p++) for (const c of kept) rows.push(p * channels + c);
      return rows;
    }
    default:
      return kept; // activation, dropout, pools, gap: channels pass through
  }
}

export const PRUNING_TECHNIQUE: Technique = {
  id: 'W1',
  name: 'Filter pruning',
  appliesTo: ['conv', 'fc'],
  summary: 'Drops the filters (FC units) with the smallest L1 norm and shrinks the layers reading them.',
  params: PRUNING_PARAMS,
  check: (spec, ref) => checkPrunable(targetLayer('W1', spec, ref)),
  apply: applyFilterPruning,
};
