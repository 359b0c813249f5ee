/**
 * A compression result (dnn/compress) as a pluggable variant: the base range the
 * technique replaced, from the first to the last replaced layer, and the result's
 * layers standing in for that range. Layers between the first and last replaced
 * ones (an activation between a pruned conv and the next conv, say) come along,
 * so the variant's output is the base range's output (same shape).
 */
import { analyzeModel } from '../dnn/spec/analyze.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import type { CompressionResult } from '../dnn/compress/technique.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { SearchInputError } from './problem.ts';
import type { VariantInfo } from './problem.ts';

export interface PluggableVariant {
  info: VariantInfo;
  /** The weights of the variant's own layers, by their ids in `info.layers`. */
  weights: WeightSet;
}

export function variantFromCompression(base: ModelSpec, result: CompressionResult, id: string): PluggableVariant {
  const basePos = new Map(base.layers.map((l, i) => [l.id, i]));
  const replaced = result.replacedLayerIds.map((r) => basePos.get(r));
  if (replaced.length === 0 || replaced.some((p) => p === undefined)) {
    throw new SearchInputError(`variant ${id}: technique ${result.technique} replaced layers [${result.replacedLayerIds.join(', ')}] that are not all in ${base.name}`);
  }
  const firstLayer = Math.min(...(replaced as number[]));
  const lastLayer = Math.max(...(replaced as number[]));
  const out = result.spec.layers;
  const outPos = new Map(out.map((l, i) => [l.id, i]));
  // In the result, the range runs from the first new/kept layer after base layer firstLayer-1 to the layer standing for lastLayer.
  const before = firstLayer === 0 ? -1 : (outPos.get(base.layers[firstLayer - 1].id) ?? -2);
  const after = lastLayer + 1 < base.layers.length ? outPos.get(base.layers[lastLayer + 1].id) : out.length;
  if (before === -2 || after === undefined) throw new SearchInputError(`variant ${id}: the layers around [${firstLayer}, ${lastLayer}] are not kept by ${result.technique}`);
  const layers = out.slice(before + 1, after);
  const baseShape = analyzeModel(base).layers[lastLayer].outputShape.join('x');
  const resultShape = analyzeModel(result.spec).layers[after - 1].outputShape.join('x');
  if (baseShape !== resultShape) throw new SearchInputError(`variant ${id}: its output ${resultShape} differs from base layer ${lastLayer}'s ${baseShape}`);
  const weights: WeightSet = new Map();
  for (const l of layers) {
    const w = result.weights.get(l.id);
    if (w !== undefined) weights.set(l.id, w);
  }
  return { info: { id, technique: result.technique, firstLayer, lastLayer, layers }, weights };
}
