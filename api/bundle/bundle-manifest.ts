/**
 * The deploy bundle's manifest (`manifest.json` at the bundle folder's root), format 1.
 * Pure types: the studio writes it (bundle/), the on-device runtime's Node and browser
 * hosts read it. bundle/README.md describes the folder and every field.
 */
import type { InputShape, LayerSpec, TensorShape } from '../../dnn/spec/layer-spec.ts';
import type { TechniqueId } from '../../dnn/compress/technique.ts';

export const BUNDLE_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/** A file of the bundle other than the manifest, path relative to the bundle root ('/'-separated). */
export interface BundleFile {
  path: string;
  bytes: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
}

/** A tensor named by the id of the layer that makes it ('@input': the model input), without the batch axis. */
export interface BundleTensor {
  id: string;
  shape: TensorShape;
}

/** What a device node runs: its block's layers of the composed model, up to the node's cut. */
export interface BundleDeviceWork {
  /** Layers in order, every `inputs` written out (none implied by order). */
  layers: LayerSpec[];
  /** Tensors made before this block that these layers read. */
  inputs: BundleTensor[];
  /** Tensors the rest of the model reads after this node: the next block's or the cloud's inputs; after the last block, the logits. */
  outputs: BundleTensor[];
  /** Weights of `layers` (an ETWH file, dnn/tfjs/weight-codec.ts); null when no layer has weights. */
  weights: string | null;
}

/** The cloud finishes base layers [cut, L): the tensors to send, as the offload protocol names them. */
export interface BundleOffload {
  /** Base-model cut (offload header `cut`). */
  cut: number;
  /** Offload header `tensors`, in cutCrossings order: `producer` is the base model's id, `tensor` the id this bundle's layers give it. */
  tensors: { producer: string; tensor: string; shape: TensorShape }[];
  /**
   * Offload guard (search/offload-guard.ts): below this measured rate, Mbit/s, sending is
   * estimated slower than finishing on the device, so the runtime runs the fallback instead.
   * Absent: always send (fixed configurations, bundles made before it existed).
   */
  guardMbps?: number;
  /** The estimate of the inference when the guard finishes it on the device, ms. */
  guardDeviceMs?: number;
}

/**
 * Base layers [from, L) with the base model's ids and weights, for finishing on the device when
 * the cloud cannot be reached: after an offload at cut c >= from fails, the runtime runs the
 * layers from position c - from on, reading the offload's tensors by their `producer` ids.
 */
export interface BundleFallback extends BundleDeviceWork {
  from: number;
}

export interface BundleNode {
  id: number;
  /** Block index = depth in the tree. */
  block: number;
  /** The bandwidth type that leads here. */
  level: number;
  parent: number | null;
  /** 'cloud': an ancestor already offloaded; nothing runs here on the device. */
  placement: 'device' | 'cloud';
  /** Base position where this node cuts (start <= cut < end of its block), or null: no cut here. */
  cut: number | null;
  variants: { id: string; technique: TechniqueId; firstLayer: number; lastLayer: number }[];
  /** children[k]: the node followed when the bandwidth measured before the next block is of type k; [] at the last block. */
  children: number[];
  /** null for cloud nodes. */
  device: BundleDeviceWork | null;
  /** Set when this node cuts: send `tensors` to the cloud after `device`. */
  offload: BundleOffload | null;
  /** The search's backward estimate (Alg. 3). */
  reward: number;
}

/** One root-to-leaf path: the model it composes and what the search estimated for it. */
export interface BundleBranch {
  levels: number[];
  nodeIds: number[];
  cut: number;
  variantIds: string[];
  bandwidthMbps: number;
  edgeMs: number;
  transferMs: number;
  cloudMs: number;
  totalMs: number;
  accuracy: number;
  reward: number;
}

export interface BundleBandwidth {
  /** The K bandwidth types, Mbit/s, non-decreasing (type 0 = poorest). */
  levelsMbps: number[];
  /**
   * K-1 boundaries: the geometric mean of neighbouring levels (the midpoint in log space).
   * A measured rate W is of type k where thresholdsMbps[k-1] < W <= thresholdsMbps[k]
   * (ties to the lower type): traces/contexts.ts nearestLevel.
   */
  thresholdsMbps: number[];
}

export interface BundleCloud {
  /** Base URL of the offload server (POST <url>/v1/infer). */
  url: string;
  token: string;
  /** Offload header `model`, e.g. "vgg11/fashion-mnist". */
  modelKey: string;
}

export interface BundleRuntime {
  /** Bundle path of the Node host's entry script, if the bundle carries it. */
  nodeEntry: string | null;
  /** Bundle path of the browser host's page, if the bundle carries it. */
  browserEntry: string | null;
}

export interface BundleManifest {
  formatVersion: typeof BUNDLE_FORMAT_VERSION;
  createdAt: string;
  /** The base model's name and data set. */
  model: string;
  dataset: string;
  /** The model input without the batch axis (NHWC). */
  inputShape: InputShape;
  /** Layer count of the base model. */
  layerCount: number;
  /** Base layer ranges [start, end) of the tree's blocks. */
  blocks: { index: number; start: number; end: number }[];
  bandwidth: BundleBandwidth;
  /** The K nodes of block 0; roots[k] for bandwidth type k at the start. */
  roots: number[];
  nodes: BundleNode[];
  branches: BundleBranch[];
  /** The tree's reward (mean of the roots'). */
  reward: number;
  /** Element type of the weight files. */
  weightsDtype: 'float16' | 'float32';
  cloud: BundleCloud | null;
  /** null when no node offloads, or when packaged without one. */
  fallback: BundleFallback | null;
  runtime: BundleRuntime;
  /** The search run it came from, when packaged from the store. */
  searchRunId: string | null;
  files: BundleFile[];
}
