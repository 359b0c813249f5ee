import type { LayerSpec } from '../spec/layer-spec.ts';
import type { LayerWeights, WeightSet } from '../tfjs/layer-weights.ts';
import type { Matrix } from './matrix.ts';
import { fromArray, toFloat32 } from './matrix.ts';
import { inputsOf, spliceLayers, spliceWeights } from './spec-splice.ts';
import type { TargetLayer } from './target-layer.ts';
import { layerWeightsOf, requireType } from './target-layer.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';

/** The checks F1 and F2 share: an FC layer whose kernel can be split. */
export function checkFactorableFc(target: TargetLayer): void {
  requireType(target, ['fc'], 'it factorises an FC weight matrix');
  const [m] = target.analysis.inputShapes[0];
  const n = target.analysis.outputShape[0];
  if (Math.min(m, n) < 2) target.fail(`the weight matrix is ${m} x ${n}: a rank below ${Math.min(m, n)} would leave nothing`);
}

/** The FC kernel [in, out] as an m x n matrix. */
export function fcMatrix(target: TargetLayer, weights: WeightSet): { w: Matrix; original: LayerWeights } {
  const original = layerWeightsOf(target, target.analysis, weights);
  const m = target.analysis.inputShapes[0][0];
  const n = target.analysis.outputShape[0];
  return { w: fromArray(m, n, original.kernel as Float32Array), original };
}

/**
 * Replaces the FC layer W (m x n) by two FC layers A (m x k) then B (k x n): the
 * first without bias or activation, the second with the original's bias, useBias
 * and activation, so x·W + b becomes (x·A)·B + b.
 */
export function splitFc(target: TargetLayer, spec: ModelSpec, weights: WeightSet, a: Matrix, b: Matrix, suffixes: [string, string]): { spec: ModelSpec; weights: WeightSet; ids: [string, string] } {
  const layer = target.layer;
  const firstId = `${layer.id}_${suffixes[0]}`;
  const secondId = `${layer.id}_${suffixes[1]}`;
  const first: LayerSpec = { id: firstId, type: 'fc', outChannels: a.cols, useBias: false, ...inputsOf(layer) };
  const second: LayerSpec = { id: secondId, type: 'fc', outChannels: b.cols };
  if (layer.activation !== undefined) second.activation = layer.activation;
  if (layer.useBias === false) second.useBias = false;
  const original = weights.get(layer.id) as LayerWeights;
  const secondWeights: LayerWeights = { kernel: toFloat32(b) };
  if (original.bias) secondWeights.bias = Float32Array.from(original.bias);
  return {
    spec: spliceLayers(target, spec, target.index, 1, [first, second]),
    weights: spliceWeights(weights, [layer.id], new Map([[firstId, { kernel: toFloat32(a) }], [secondId, secondWeights]])),
    ids: [firstId, secondId],
  };
}
