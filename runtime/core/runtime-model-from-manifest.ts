/**
 * A RuntimeModel from a bundle's manifest (api/bundle/, format 1) and its decoded weight
 * files: the node, offload and fallback fields map one to one; each host reads and checks
 * the files its own way (Node: bundle/open-bundle.ts; browser: fetch + SHA-256). Pure.
 */
import type { BundleDeviceWork, BundleManifest } from '../../api/bundle/bundle-manifest.ts';
import type { WeightSet } from '../../dnn/tfjs/layer-weights.ts';
import type { RuntimeCloud, RuntimeModel, RuntimeWork } from './runtime-model.ts';

/** Weights by bundle path (the manifest's `weights` fields); each path given once decoded. */
export type BundleWeights = ReadonlyMap<string, WeightSet>;

/** Every weights path the manifest names: what a host must fetch and decode. */
export function manifestWeightPaths(m: BundleManifest): string[] {
  const paths = new Set<string>();
  for (const n of m.nodes) if (n.device?.weights) paths.add(n.device.weights);
  if (m.fallback?.weights) paths.add(m.fallback.weights);
  return [...paths];
}

/** `cloud` overrides the manifest's endpoint (e.g. `--cloud URL` on a board that reaches it by another address). */
export function runtimeModelFromManifest(m: BundleManifest, weights: BundleWeights, cloud?: Partial<RuntimeCloud>): RuntimeModel {
  const work = (w: BundleDeviceWork): RuntimeWork => ({
    layers: w.layers, inputs: w.inputs, outputs: w.outputs, weights: w.weights === null ? new Map() : (weights.get(w.weights) as WeightSet),
  });
  const base = m.cloud ?? null;
  const merged = base === null && cloud?.url === undefined ? null : { url: '', token: '', modelKey: `${m.model}/${m.dataset}`, ...(base ?? {}), ...cloud };
  return {
    name: m.model,
    inputShape: m.inputShape,
    layerCount: m.layerCount,
    blocks: m.blocks,
    levelsMbps: m.bandwidth.levelsMbps,
    roots: m.roots,
    nodes: m.nodes.map((n) => ({
      id: n.id, block: n.block, level: n.level, parent: n.parent, placement: n.placement, cut: n.cut,
      variantIds: n.variants.map((v) => v.id), children: n.children,
      device: n.device === null ? null : work(n.device), offload: n.offload,
    })),
    cloud: merged,
    fallback: m.fallback === null || m.fallback === undefined ? null : { from: m.fallback.from, work: work(m.fallback) },
  };
}
