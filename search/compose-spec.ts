/**
 * A composition as one model spec (a pure splice): base layers with each chosen
 * variant's layers in place of its range, ids kept unique, `inputs` rewired; the cloud
 * side [cut, L) is the base unchanged.
 */
import type { LayerSpec, ModelSpec } from '../dnn/spec/layer-spec.ts';
import type { VariantInfo } from './problem.ts';

export interface ComposedSpec {
  spec: ModelSpec;
  /** Layers [0, composedCut) of `spec` run on the device: the device side of the base cut. */
  composedCut: number;
  /** For each layer of `spec`, the base position it stands for (a variant's layers: its firstLayer). */
  basePosition: number[];
  /** Variant id -> position in `spec` of its output layer. */
  variantOutput: Map<string, number>;
}

/**
 * Splices `variants` (checked: sorted, non-overlapping, all before `cut`) into `base`.
 * A variant layer whose id is already taken becomes "<variant id>/<id>"; the variant's own
 * references follow the rename. Later layers that named the replaced last layer name the
 * variant's output (its last layer); one that read the previous layer still does. A variant's
 * first layer without `inputs` reads what the replaced first layer read.
 */
export function composeSpec(base: ModelSpec, variants: readonly VariantInfo[], cut: number): ComposedSpec {
  const replacedBy = new Map<number, VariantInfo>();
  for (const v of variants) replacedBy.set(v.firstLayer, v);
  const taken = new Set(base.layers.map((l) => l.id));
  for (const v of variants) for (let i = v.firstLayer; i <= v.lastLayer; i++) taken.delete(base.layers[i].id);
  // Base id of a replaced range's last layer -> the id of the variant's output.
  const outputOf = new Map<string, string>();
  const layers: LayerSpec[] = [];
  const basePosition: number[] = [];
  const variantOutput = new Map<string, number>();
  let composedCut = -1;
  for (let i = 0; i < base.layers.length;) {
    if (i === cut) composedCut = layers.length;
    const v = replacedBy.get(i);
    if (v === undefined) {
      layers.push(rewire(base.layers[i], outputOf));
      basePosition.push(i);
      i += 1;
      continue;
    }
    const local = new Map<string, string>();
    for (const layer of v.layers) {
      const id = taken.has(layer.id) ? `${v.id}/${layer.id}` : layer.id;
      taken.add(id);
      local.set(layer.id, id);
    }
    v.layers.forEach((layer, j) => {
      // The first layer reads what the replaced first layer read unless it says otherwise.
      const named = layer.inputs ?? (j === 0 ? base.layers[v.firstLayer].inputs : undefined);
      const inputs = named?.map((id) => local.get(id) ?? outputOf.get(id) ?? id);
      layers.push({ ...layer, id: local.get(layer.id) as string, ...(inputs ? { inputs } : {}) });
      basePosition.push(v.firstLayer);
    });
    variantOutput.set(v.id, layers.length - 1);
    outputOf.set(base.layers[v.lastLayer].id, local.get(v.layers[v.layers.length - 1].id) as string);
    i = v.lastLayer + 1;
  }
  if (composedCut < 0) composedCut = layers.length;
  const suffix = variants.length > 0 ? `+${variants.map((v) => v.id).join('+')}` : '';
  return { spec: { name: `${base.name}${suffix}`, inputShape: base.inputShape, layers }, composedCut, basePosition, variantOutput };
}

function rewire(layer: LayerSpec, outputOf: ReadonlyMap<string, string>): LayerSpec {
  if (!layer.inputs || !layer.inputs.some((id) => outputOf.has(id))) return layer;
  return { ...layer, inputs: layer.inputs.map((id) => outputOf.get(id) ?? id) };
}
