import type { LayerSpec, ModelSpec } from '../spec/layer-spec.ts';
import type { LayerWeights, WeightSet } from '../tfjs/layer-weights.ts';
import type { TargetLayer } from './target-layer.ts';

/**
 * A new spec with layers [start, start + count) replaced by `newLayers` at the same
 * place. Later layers that named a replaced layer in `inputs` now name `outputId`
 * (default: the last new layer). The first new layer should carry the replaced
 * first layer's explicit `inputs` (see `inputsOf`); an omitted `inputs` still means
 * the previous layer, which is unchanged. New ids must be unused.
 */
export function spliceLayers(target: TargetLayer, spec: ModelSpec, start: number, count: number, newLayers: LayerSpec[], outputId?: string): ModelSpec {
  const replaced = new Set(spec.layers.slice(start, start + count).map((l) => l.id));
  const kept = new Set(spec.layers.filter((l) => !replaced.has(l.id)).map((l) => l.id));
  for (const layer of newLayers) {
    if (kept.has(layer.id)) target.fail(`the new layer id "${layer.id}" is already used in the model`);
  }
  const out = outputId ?? newLayers[newLayers.length - 1].id;
  const rename = (layer: LayerSpec): LayerSpec => (layer.inputs && layer.inputs.some((id) => replaced.has(id))
    ? { ...layer, inputs: layer.inputs.map((id) => (replaced.has(id) ? out : id)) }
    : layer);
  return {
    ...spec,
    layers: [...spec.layers.slice(0, start), ...newLayers, ...spec.layers.slice(start + count).map(rename)],
  };
}

/** `{ inputs }` when the layer lists its inputs, else nothing (it reads the previous layer). */
export function inputsOf(layer: LayerSpec): Pick<LayerSpec, 'inputs'> {
  return layer.inputs ? { inputs: [...layer.inputs] } : {};
}

/** A copy of the weight set without `removed` and with `added`. */
export function spliceWeights(weights: WeightSet, removed: readonly string[], added: ReadonlyMap<string, LayerWeights>): WeightSet {
  const out: WeightSet = new Map(weights);
  for (const id of removed) out.delete(id);
  for (const [id, w] of added) out.set(id, w);
  return out;
}
