/**
 * What each tree node runs on the device, cut out of the model its path composes: the
 * node's block of composeSpec(base, path variants, cut) with every input written out,
 * the tensors it reads from earlier blocks and those it leaves for later ones, the
 * weights of its layers, and, where it cuts, the offload request's tensors named as the
 * base model names them (the cloud runs the base model). Pure.
 */
import { analyzeModel } from '../dnn/spec/analyze.ts';
import type { ModelAnalysis } from '../dnn/spec/analyze.ts';
import { cutCrossings } from '../dnn/spec/cut-crossings.ts';
import type { LayerSpec, ModelSpec } from '../dnn/spec/layer-spec.ts';
import { MODEL_INPUT_ID } from '../dnn/spec/resolve-inputs.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { composeSpec } from '../search/compose-spec.ts';
import type { ModelTree, TreeNode } from '../search/model-tree.ts';
import type { VariantInfo } from '../search/problem.ts';
import type { BundleOffload, BundleTensor } from '../api/bundle/bundle-manifest.ts';
import { BundleBuildError } from './bundle-build-error.ts';

/** Where a node's weights come from: the base model's ('base', by base layer id) or a variant's (by the variant's own layer ids). */
export type WeightsOf = (source: 'base' | VariantInfo) => WeightSet | Promise<WeightSet>;

export interface NodeWork {
  layers: LayerSpec[];
  inputs: BundleTensor[];
  outputs: BundleTensor[];
  /** Weights of `layers` by their ids here. */
  weights: WeightSet;
  offload: BundleOffload | null;
}

/** The variants chosen from the root down to `node`, in model order. */
function pathVariantInfos(tree: ModelTree, node: TreeNode, catalog: ReadonlyMap<string, VariantInfo>): VariantInfo[] {
  const ids: string[] = [];
  for (let m: TreeNode | null = node; m !== null; m = m.parent === null ? null : tree.nodes[m.parent]) ids.unshift(...m.variantIds);
  return ids.map((id) => {
    const v = catalog.get(id);
    if (!v) throw new BundleBuildError(`node ${node.id} chooses variant "${id}", which the catalogue given to the bundle does not hold`);
    return v;
  }).sort((a, b) => a.firstLayer - b.firstLayer);
}

function tensorsOf(analysis: ModelAnalysis, ids: readonly string[]): BundleTensor[] {
  const byId = new Map(analysis.layers.map((l) => [l.layer.id, l.outputShape]));
  return ids.map((id) => ({ id, shape: [...(id === MODEL_INPUT_ID ? analysis.spec.inputShape : (byId.get(id) as number[]))] }));
}

/** The device work of a non-cloud node. */
export async function nodeWork(base: ModelSpec, baseAnalysis: ModelAnalysis, tree: ModelTree, node: TreeNode, catalog: ReadonlyMap<string, VariantInfo>, weightsOf: WeightsOf): Promise<NodeWork> {
  const L = baseAnalysis.layers.length;
  const block = tree.blocks[node.block];
  const variants = pathVariantInfos(tree, node, catalog);
  const cut = node.cut ?? L;
  const composed = composeSpec(base, variants, cut);
  const analysis = analyzeModel(composed.spec);
  const end = node.cut ?? block.end;
  let a = composed.basePosition.findIndex((p) => p >= block.start);
  if (a < 0) a = composed.spec.layers.length;
  let b = composed.basePosition.findIndex((p) => p >= end);
  if (b < 0) b = composed.spec.layers.length;
  const layers = composed.spec.layers.slice(a, b).map((layer, j) => ({ ...layer, inputs: [...analysis.layers[a + j].inputIds] }));
  const positionOf = new Map(analysis.layers.map((l) => [l.layer.id, l.index]));
  const inputIds = new Set<string>();
  if (b === a) {
    // Nothing of this block runs here (a cut at its start): the block's inputs pass straight to the cloud.
    for (const t of cutCrossings(analysis, a)) inputIds.add(t.producerId);
  } else {
    for (let p = a; p < b; p++) for (const id of analysis.layers[p].inputIds) if (id === MODEL_INPUT_ID || (positionOf.get(id) as number) < a) inputIds.add(id);
  }
  const sortedInputs = [...inputIds].sort((x, y) => (x === MODEL_INPUT_ID ? -1 : positionOf.get(x) as number) - (y === MODEL_INPUT_ID ? -1 : positionOf.get(y) as number));
  const outputIds = b === composed.spec.layers.length ? [composed.spec.layers[b - 1].id] : cutCrossings(analysis, b).map((t) => t.producerId);

  const weights: WeightSet = new Map();
  const baseWeights = await weightsOf('base');
  const spanOf = new Map<number, { v: VariantInfo; start: number }>();
  for (const v of variants) {
    const out = composed.variantOutput.get(v.id) as number;
    const start = out - v.layers.length + 1;
    for (let p = start; p <= out; p++) spanOf.set(p, { v, start });
  }
  const variantWeights = new Map<string, WeightSet>();
  for (let p = a; p < b; p++) {
    const id = composed.spec.layers[p].id;
    const span = spanOf.get(p);
    let w;
    let from: string;
    if (span) {
      if (!variantWeights.has(span.v.id)) variantWeights.set(span.v.id, await weightsOf(span.v));
      const own = span.v.layers[p - span.start].id;
      w = (variantWeights.get(span.v.id) as WeightSet).get(own);
      from = `variant "${span.v.id}" layer "${own}"`;
    } else {
      w = baseWeights.get(id);
      from = `base layer "${id}"`;
    }
    const needs = ['conv', 'depthwise', 'fc', 'bn'].includes(composed.spec.layers[p].type);
    if (w === undefined && needs) throw new BundleBuildError(`node ${node.id}: no weights for ${from} (${composed.spec.layers[p].type})`);
    if (w !== undefined) weights.set(id, w);
  }

  let offload: BundleOffload | null = null;
  if (node.cut !== null) {
    // The base id of a replaced range's last layer now names the variant's output.
    const renamed = new Map<string, string>();
    for (const v of variants) renamed.set(base.layers[v.lastLayer].id, composed.spec.layers[composed.variantOutput.get(v.id) as number].id);
    const tensors = cutCrossings(baseAnalysis, node.cut).map((t) => ({ producer: t.producerId, tensor: renamed.get(t.producerId) ?? t.producerId, shape: [...t.shape] }));
    const got = tensors.map((t) => t.tensor).join(', ');
    if (got !== outputIds.join(', ')) throw new BundleBuildError(`node ${node.id}: the base model's cut ${node.cut} sends [${tensors.map((t) => t.producer).join(', ')}] (here ${got}), but the composed model leaves [${outputIds.join(', ')}]`);
    offload = { cut: node.cut, tensors };
  }
  return { layers, inputs: tensorsOf(analysis, sortedInputs), outputs: tensorsOf(analysis, outputIds), weights, offload };
}

/** Base layers [from, L) with base ids and weights: the device's way to finish when the cloud fails. */
export function fallbackWork(baseAnalysis: ModelAnalysis, from: number, baseWeights: WeightSet): Omit<NodeWork, 'offload'> & { from: number } {
  const layers = baseAnalysis.layers.slice(from).map((l) => ({ ...l.layer, inputs: [...l.inputIds] }));
  const weights: WeightSet = new Map();
  for (const l of layers) {
    const w = baseWeights.get(l.id);
    if (w === undefined && ['conv', 'depthwise', 'fc', 'bn'].includes(l.type)) throw new BundleBuildError(`fallback: no weights for base layer "${l.id}" (${l.type})`);
    if (w !== undefined) weights.set(l.id, w);
  }
  const inputs = cutCrossings(baseAnalysis, from).map((t) => ({ id: t.producerId, shape: [...t.shape] }));
  const last = baseAnalysis.layers[baseAnalysis.layers.length - 1];
  return { from, layers, inputs, outputs: [{ id: last.layer.id, shape: [...last.outputShape] }], weights };
}
