/**
 * What the on-device runtime runs (paper Alg. 2): the model tree with, per device node, the
 * layers it runs and their weights, the bandwidth types that choose a child, the cloud
 * endpoint, and the base model's tail for finishing on the device when the cloud fails.
 * Shaped after the bundle manifest (api/bundle/): a loader maps a bundle folder onto it.
 * Tensors between blocks are named by id; a work lists the ids it reads and makes.
 */
import type { LayerSpec, TensorShape } from '../../dnn/spec/layer-spec.ts';
import type { WeightSet } from '../../dnn/tfjs/layer-weights.ts';

/** A tensor named by the id of the layer that makes it ('@input': the model input), without the batch axis. */
export interface RuntimeTensor {
  id: string;
  shape: TensorShape;
}

/** A slice of layers the device runs: every `inputs` written out, reading `inputs` and earlier layers of the slice. */
export interface RuntimeWork {
  layers: LayerSpec[];
  /** Tensors made before the slice that its layers read. */
  inputs: RuntimeTensor[];
  /** Tensors read after the slice: the next block's or the cloud's inputs; after the last layer, the logits. */
  outputs: RuntimeTensor[];
  /** Weights of `layers` by layer id. */
  weights: WeightSet;
}

/** The cloud finishes base layers [cut, L): the tensors to send, in cutCrossings order. */
export interface RuntimeOffload {
  cut: number;
  /** `producer`: the base model's id (the offload header's); `tensor`: the id the device's layers gave it. */
  tensors: { producer: string; tensor: string; shape: TensorShape }[];
  /** Below this measured rate (Mbit/s) finish on the device instead of sending (the offload guard). */
  guardMbps?: number;
}

export interface RuntimeNode {
  id: number;
  block: number;
  /** The bandwidth type that leads here. */
  level: number;
  parent: number | null;
  /** 'cloud': an ancestor offloaded; nothing runs here on the device. */
  placement: 'device' | 'cloud';
  /** Base position where this node cuts, or null. */
  cut: number | null;
  variantIds: string[];
  /** children[k]: the node followed when the bandwidth before the next block is of type k; [] at the last block. */
  children: number[];
  /** null for cloud nodes. */
  device: RuntimeWork | null;
  /** Set when this node cuts: send these tensors after `device`. */
  offload: RuntimeOffload | null;
}

export interface RuntimeCloud {
  /** Base URL of the offload server (POST <url>/v1/infer, POST <url>/v1/probe). */
  url: string;
  token: string;
  /** Offload header `model`, e.g. "vgg11/fashion-mnist". */
  modelKey: string;
}

/**
 * Base layers [from, L) with the base model's ids and weights: when an offload fails at
 * cut c >= from, the device runs the layers from c on, reading the offload's tensors by
 * their `producer` ids.
 */
export interface RuntimeFallback {
  from: number;
  work: RuntimeWork;
}

export interface RuntimeModel {
  /** Base model name, for messages. */
  name: string;
  /** Model input without the batch axis (NHWC). */
  inputShape: TensorShape;
  /** Layers of the base model. */
  layerCount: number;
  blocks: { index: number; start: number; end: number }[];
  /** The K bandwidth types, Mbit/s, poorest first. */
  levelsMbps: number[];
  /** roots[k]: the block-0 node for bandwidth type k. */
  roots: number[];
  /** By id (nodes[i].id === i). */
  nodes: RuntimeNode[];
  cloud: RuntimeCloud | null;
  /** null: a failed offload cannot be finished on the device (the inference fails). */
  fallback: RuntimeFallback | null;
}
