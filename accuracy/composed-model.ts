/**
 * A composition as one runnable model: composeSpec's spec (all layers, the cut
 * does not change accuracy) and its weights: the base's for base layers, each
 * variant's for its own layers (whose ids composeSpec may have prefixed with
 * "<variant id>/").
 */
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { composeSpec } from '../search/compose-spec.ts';
import type { PluggableVariant } from '../search/variant-from-compression.ts';

export function composedModel(base: { spec: ModelSpec; weights: WeightSet }, variants: readonly PluggableVariant[]): { spec: ModelSpec; weights: WeightSet } {
  const sorted = [...variants].sort((a, b) => a.info.firstLayer - b.info.firstLayer);
  const composed = composeSpec(base.spec, sorted.map((v) => v.info), base.spec.layers.length);
  const weights: WeightSet = new Map();
  const ownerAt = new Map<number, PluggableVariant>();
  for (const v of sorted) {
    const out = composed.variantOutput.get(v.info.id) as number;
    for (let p = out - v.info.layers.length + 1; p <= out; p++) ownerAt.set(p, v);
  }
  composed.spec.layers.forEach((l, p) => {
    const v = ownerAt.get(p);
    const original = v !== undefined && l.id.startsWith(`${v.info.id}/`) ? l.id.slice(v.info.id.length + 1) : l.id;
    const w = v === undefined ? base.weights.get(l.id) : v.weights.get(original);
    if (w !== undefined) weights.set(l.id, w);
  });
  return { spec: composed.spec, weights };
}
