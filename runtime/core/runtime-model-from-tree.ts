/**
 * A RuntimeModel from a searched ModelTree: per device node its block's layers with the
 * node's variants spliced in (search/compose-spec.ts), cut at the node's cut; tensors that
 * cross a block boundary or go to the cloud keep the base model's ids (a variant's output
 * takes the id of the base layer it replaces), so any parent's outputs are any child's
 * inputs. The fallback is the base model from the tree's earliest cut on. Pure.
 */
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import type { ModelAnalysis } from '../../dnn/spec/analyze.ts';
import { cutCrossings } from '../../dnn/spec/cut-crossings.ts';
import type { LayerSpec, ModelSpec } from '../../dnn/spec/layer-spec.ts';
import type { WeightSet } from '../../dnn/tfjs/layer-weights.ts';
import { composeSpec } from '../../search/compose-spec.ts';
import type { ModelTree, TreeNode } from '../../search/model-tree.ts';
import type { VariantInfo } from '../../search/problem.ts';
import { RuntimeModelError } from './runtime-errors.ts';
import type { RuntimeCloud, RuntimeFallback, RuntimeModel, RuntimeNode, RuntimeTensor, RuntimeWork } from './runtime-model.ts';

export interface RuntimeModelSources {
  base: ModelSpec;
  tree: ModelTree;
  /** The variants the tree's nodes name (others may be there too). */
  catalog: readonly VariantInfo[];
  /** The base model's weights by layer id. */
  baseWeights: WeightSet;
  /** A variant's weights by the ids of its own `layers`. */
  variantWeights: (variantId: string) => WeightSet;
  cloud: RuntimeCloud | null;
}

export function runtimeModelFromTree(src: RuntimeModelSources): RuntimeModel {
  const base = analyzeModel(src.base);
  const name = src.base.name;
  const L = base.layers.length;
  const catalog = new Map(src.catalog.map((v) => [v.id, v]));
  const nodes: RuntimeNode[] = src.tree.nodes.map((n) => {
    const common = { id: n.id, block: n.block, level: n.level, parent: n.parent, cut: n.cut, variantIds: [...n.variantIds], children: [...n.children] };
    if (n.cloud) return { ...common, placement: 'cloud', device: null, offload: null };
    const variants = n.variantIds.map((id) => {
      const v = catalog.get(id);
      if (v === undefined) throw new RuntimeModelError(name, `node ${n.id} names variant "${id}", which the catalog lacks`);
      return v;
    }).sort((a, b) => a.firstLayer - b.firstLayer);
    const block = src.tree.blocks[n.block];
    const device = nodeWork(name, base, src, n, variants, block);
    const offload = n.cut === null ? null : {
      cut: n.cut,
      tensors: cutCrossings(base, n.cut).map((t) => ({ producer: t.producerId, tensor: t.producerId, shape: [...t.shape] })),
    };
    return { ...common, placement: 'device', device, offload };
  });
  const cuts = nodes.flatMap((n) => (n.offload === null ? [] : [n.offload.cut]));
  const fallback = cuts.length === 0 ? null : baseTail(base, src.baseWeights, Math.min(...cuts));
  return {
    name, inputShape: [...src.base.inputShape], layerCount: L,
    blocks: src.tree.blocks.map((b) => ({ index: b.index, start: b.start, end: b.end })),
    levelsMbps: [...src.tree.levelsMbps], roots: [...src.tree.roots], nodes, cloud: src.cloud, fallback,
  };
}

/** Base layers [from, L) with their base ids and weights, reading the tensors crossing `from`. */
export function baseTail(base: ModelAnalysis, weights: WeightSet, from: number): RuntimeFallback {
  const L = base.layers.length;
  const layers = base.layers.slice(from).map((a) => ({ ...a.layer, inputs: [...a.inputIds] }));
  return {
    from,
    work: {
      layers,
      inputs: cutCrossings(base, from).map((t) => ({ id: t.producerId, shape: [...t.shape] })),
      outputs: [{ id: base.layers[L - 1].layer.id, shape: [...base.outputShape] }],
      weights: pick(weights, layers.map((l) => l.id), base.spec.name),
    },
  };
}

function nodeWork(name: string, base: ModelAnalysis, src: RuntimeModelSources, n: TreeNode, variants: VariantInfo[], block: { start: number; end: number }): RuntimeWork {
  const L = base.layers.length;
  const composed = composeSpec(src.base, variants, L);
  const analysis = analyzeModel(composed.spec);
  const end = n.cut ?? block.end;
  // Composed position -> [variant, its own layer id] for layers a variant brought.
  const fromVariant = new Map<number, [VariantInfo, string]>();
  for (const v of variants) {
    const last = composed.variantOutput.get(v.id) as number;
    v.layers.forEach((l, j) => fromVariant.set(last - v.layers.length + 1 + j, [v, l.id]));
  }
  // A variant's output crossing out of the node takes the id of the base layer it replaces.
  const rename = new Map<string, string>();
  for (const v of variants) {
    const out = composed.spec.layers[composed.variantOutput.get(v.id) as number].id;
    const baseId = base.layers[v.lastLayer].layer.id;
    if (out !== baseId) rename.set(out, baseId);
  }
  const positions = analysis.layers.filter((a) => composed.basePosition[a.index] >= block.start && composed.basePosition[a.index] < end).map((a) => a.index);
  const ids = new Set(positions.map((p) => analysis.layers[p].layer.id));
  for (const [from, to] of rename) {
    if (ids.has(to) && !rename.has(to)) throw new RuntimeModelError(name, `node ${n.id}: a variant layer is named "${to}", the id its variant's output must take to leave the block`);
    if (!ids.has(from)) rename.delete(from);
  }
  const id = (x: string): string => rename.get(x) ?? x;
  const weights: WeightSet = new Map();
  const layers: LayerSpec[] = positions.map((p) => {
    const a = analysis.layers[p];
    const own = fromVariant.get(p);
    const w = own === undefined ? src.baseWeights.get(a.layer.id) : src.variantWeights(own[0].id).get(own[1]);
    if (w !== undefined) weights.set(id(a.layer.id), w);
    return { ...a.layer, id: id(a.layer.id), inputs: a.inputIds.map(id) };
  });
  const made = new Set(layers.map((l) => l.id));
  const shapeOf = new Map<string, number[]>([['@input', [...src.base.inputShape]]]);
  for (const a of analysis.layers) shapeOf.set(id(a.layer.id), [...a.outputShape]);
  const inputs: RuntimeTensor[] = [];
  for (const l of layers) for (const i of l.inputs ?? []) if (!made.has(i) && !inputs.some((t) => t.id === i)) inputs.push({ id: i, shape: shapeOf.get(i) as number[] });
  let outputs: RuntimeTensor[];
  if (n.cut === null && block.end === L) outputs = [{ id: layers[layers.length - 1].id, shape: shapeOf.get(layers[layers.length - 1].id) as number[] }];
  else outputs = cutCrossings(base, end).map((t) => ({ id: t.producerId, shape: [...t.shape] }));
  // Tensors passing through (a cut at the block's start; a skip over the whole block) are inputs too.
  for (const t of outputs) if (!made.has(t.id) && !inputs.some((i) => i.id === t.id)) inputs.push(t);
  return { layers, inputs, outputs, weights };
}

function pick(weights: WeightSet, ids: readonly string[], model: string): WeightSet {
  const out: WeightSet = new Map();
  for (const id of ids) {
    const w = weights.get(id);
    if (w !== undefined) out.set(id, w);
  }
  if (out.size === 0 && ids.length > 0 && weights.size === 0) throw new RuntimeModelError(model, 'the base weights are empty');
  return out;
}
