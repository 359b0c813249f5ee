/**
 * The on-device runtime, paper Alg. 2: before each block it reads the bandwidth, maps it
 * to the nearest bandwidth type and follows that child, runs the node's layers with TF.js,
 * and where the node cuts sends the crossing tensors to the cloud (offloadInference), which
 * finishes the base model. When the offload fails it runs the base model's remaining layers
 * on the device (the model's fallback) and says so in the timeline. Free of Node: the
 * browser host bundles it.
 */
import * as tf from '@tensorflow/tfjs';
import { offloadInference } from '../../cloud/offload-client.ts';
import { nearestLevel } from '../../traces/contexts.ts';
import type { BandwidthSource } from './bandwidth-estimator.ts';
import type { BlockStep, FallbackReason, InferenceTimeline } from './inference-timeline.ts';
import { RuntimeCloudError, RuntimeInputError, RuntimeModelError } from './runtime-errors.ts';
import type { RuntimeModel, RuntimeNode } from './runtime-model.ts';
import { WorkExecutor } from './work-executor.ts';
import { MODEL_INPUT_ID } from '../../dnn/spec/resolve-inputs.ts';

export interface TreeRuntimeOptions {
  bandwidth: BandwidthSource;
  /** The backend's description for the timeline (e.g. "wasm (SIMD, 1 thread)"). */
  backend: string;
  /** An offload must finish within this (default 10 000 ms), else the device finishes. */
  offloadTimeoutMs?: number;
  /** Milliseconds clock (default performance.now). */
  now?: () => number;
}

export interface InferenceResult {
  timeline: InferenceTimeline;
  /** The model's output, [N, classes] row by row. */
  logits: Float32Array;
}

/** Backends whose ops have finished when they return (else edge time waits for the data). */
const SYNCHRONOUS_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu', 'tensorflow']);

export class TreeRuntime {
  readonly model: RuntimeModel;
  private readonly opts: TreeRuntimeOptions;
  private readonly now: () => number;
  private readonly works = new Map<number, WorkExecutor>();
  private readonly fallback: WorkExecutor | null;
  private count = 0;

  /** Builds every device node's layers (weights become tensors now). Throws RuntimeModelError for a broken tree. */
  constructor(model: RuntimeModel, opts: TreeRuntimeOptions) {
    this.model = model;
    this.opts = opts;
    this.now = opts.now ?? (() => performance.now());
    checkTree(model);
    try {
      for (const n of model.nodes) if (n.device !== null) this.works.set(n.id, new WorkExecutor(`${model.name} node ${n.id}`, n.device));
      this.fallback = model.fallback === null ? null : new WorkExecutor(`${model.name} fallback from layer ${model.fallback.from}`, model.fallback.work);
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** Inferences run so far. */
  get inferences(): number {
    return this.count;
  }

  /** Runs one batch [N, H, W, C] (the caller keeps `images`). */
  async infer(images: tf.Tensor4D): Promise<InferenceResult> {
    const m = this.model;
    const [h, w, c] = m.inputShape;
    if (images.shape[1] !== h || images.shape[2] !== w || images.shape[3] !== c || images.dtype !== 'float32') {
      throw new RuntimeInputError(m.name, `images of shape [${images.shape.join(', ')}] (${images.dtype}) are not float32 [N, ${h}, ${w}, ${c}]`);
    }
    const index = this.count++;
    const startedAt = Date.now();
    const t0 = this.now();
    const steps: BlockStep[] = [];
    // Tensors between blocks; the images are the caller's and never disposed here.
    let live = new Map<string, tf.Tensor>([[MODEL_INPUT_ID, images]]);
    const release = (map: Map<string, tf.Tensor>): void => {
      for (const t of map.values()) if (t !== images) t.dispose();
    };
    let node: RuntimeNode | null = null;
    let logits: tf.Tensor | null = null;
    let transferMs = 0;
    let cloudMs = 0;
    let sentBytes = 0;
    let fallback: { error: string; ms: number; reason: FallbackReason } | null = null;
    try {
      for (let d = 0; d < m.blocks.length; d++) {
        const td = this.now();
        const reading = await this.opts.bandwidth.read();
        const level = nearestLevel(m.levelsMbps, reading.mbps);
        const id: number = node === null ? m.roots[level] : node.children[level];
        node = m.nodes[id];
        const decisionMs = this.now() - td - reading.probeMs;
        const te = this.now();
        const out = (this.works.get(id) as WorkExecutor).run(live);
        if (!SYNCHRONOUS_BACKENDS.has(tf.getBackend())) await Promise.all([...out.values()].map((t) => t.data()));
        const edgeMs = this.now() - te;
        release(live);
        live = out;
        steps.push({ block: d, node: id, level, bandwidthMbps: reading.mbps, bandwidthSource: reading.source, decisionMs, probeMs: reading.probeMs, edgeMs });
        if (node.offload !== null) break;
      }
      const last = node as RuntimeNode;
      if (last.offload !== null) {
        const r = await this.offload(last, live, steps[steps.length - 1].bandwidthMbps);
        if ('logits' in r) {
          logits = r.logits;
          transferMs = r.transferMs;
          cloudMs = r.cloudMs;
          sentBytes = r.sentBytes;
        } else {
          logits = r.fallbackLogits;
          fallback = { error: r.error, ms: r.ms, reason: r.reason };
        }
      } else {
        const out = [...live.values()];
        logits = out[0];
        live.delete(last.device?.outputs[0].id ?? '');
      }
      const values = (await logits.data()) as Float32Array;
      const classes = logits.shape[1] ?? 1;
      const predictedClasses = Array.from({ length: logits.shape[0] }, (_, i) => argMax(values, i * classes, classes));
      const totalMs = this.now() - t0;
      const timeline: InferenceTimeline = {
        type: 'inference', index, startedAt,
        branch: steps.map((s) => s.node), levels: steps.map((s) => s.level), blocks: steps,
        cut: fallback?.reason === 'link too slow' ? null : last.offload?.cut ?? null,
        edgeMs: steps.reduce((s, b) => s + b.edgeMs, 0), transferMs, cloudMs, sentBytes,
        decisionMs: steps.reduce((s, b) => s + b.decisionMs, 0), probeMs: steps.reduce((s, b) => s + b.probeMs, 0),
        ...(fallback === null ? {} : { fallback: fallback.reason, fallbackError: fallback.error, fallbackMs: fallback.ms }),
        totalMs, predictedClass: predictedClasses[0], predictedClasses, backend: this.opts.backend,
      };
      return { timeline, logits: values };
    } finally {
      release(live);
      logits?.dispose();
    }
  }

  /** Sends the node's crossing tensors; on failure finishes on the device from the cut. */
  private async offload(node: RuntimeNode, live: ReadonlyMap<string, tf.Tensor>, mbps: number): Promise<{ logits: tf.Tensor; transferMs: number; cloudMs: number; sentBytes: number } | { fallbackLogits: tf.Tensor; error: string; ms: number; reason: FallbackReason }> {
    const m = this.model;
    const off = node.offload as NonNullable<RuntimeNode['offload']>;
    const canFinish = this.fallback !== null && m.fallback !== null && off.cut >= m.fallback.from;
    if (off.guardMbps !== undefined && mbps < off.guardMbps && canFinish) {
      return { ...(await this.finishOnDevice(off, live, this.now())), error: `the link read ${mbps.toFixed(3)} Mbit/s, under the offload guard of ${off.guardMbps.toFixed(3)}`, reason: 'link too slow' };
    }
    const tensors = await Promise.all(off.tensors.map(async (t) => {
      const x = live.get(t.tensor) as tf.Tensor;
      return { producerId: t.producer, shape: x.shape, data: (await x.data()) as Float32Array };
    }));
    // The body: 8 bytes of framing, a JSON header (about 100 bytes per tensor) and the values.
    const sentBytes = 8 + 64 + 100 * tensors.length + tensors.reduce((s, t) => s + 4 * t.data.length, 0);
    const start = this.now();
    let error: string;
    if (m.cloud === null) {
      error = 'no cloud endpoint in the model';
    } else {
      try {
        const r = await offloadInference(m.cloud.url, m.cloud.token, { model: m.cloud.modelKey, cut: off.cut, tensors }, { timeoutMs: this.opts.offloadTimeoutMs ?? 10_000 });
        const transferMs = Math.max(0, r.roundTripMs - r.cloudMs);
        this.opts.bandwidth.record(sentBytes, transferMs);
        return { logits: tf.tensor(r.logits, r.shape), transferMs, cloudMs: r.cloudMs, sentBytes };
      } catch (e) {
        error = (e as Error).message;
        this.opts.bandwidth.invalidate();
      }
    }
    if (!canFinish) throw new RuntimeCloudError(m.name, off.cut, error);
    return { ...(await this.finishOnDevice(off, live, start)), error, reason: 'cloud unreachable' };
  }

  /** The base layers from the cut on, on the device (the model's fallback). */
  private async finishOnDevice(off: NonNullable<RuntimeNode['offload']>, live: ReadonlyMap<string, tf.Tensor>, start: number): Promise<{ fallbackLogits: tf.Tensor; ms: number }> {
    const from = (this.model.fallback as NonNullable<RuntimeModel['fallback']>).from;
    const given = new Map<string, tf.Tensor>(off.tensors.map((t) => [t.producer, live.get(t.tensor) as tf.Tensor]));
    const out = (this.fallback as WorkExecutor).run(given, off.cut - from);
    const logits = [...out.values()][0];
    await logits.data();
    return { fallbackLogits: logits, ms: this.now() - start };
  }

  dispose(): void {
    for (const w of this.works.values()) w.dispose();
    this.works.clear();
    this.fallback?.dispose();
  }
}

function argMax(values: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (values[offset + i] > values[offset + best]) best = i;
  return best;
}

/** Ids in place, children of device nodes that reach every block, no device work missing. */
function checkTree(m: RuntimeModel): void {
  const K = m.levelsMbps.length;
  if (K === 0) throw new RuntimeModelError(m.name, 'no bandwidth types');
  if (m.roots.length !== K) throw new RuntimeModelError(m.name, `${m.roots.length} roots for ${K} bandwidth types`);
  m.nodes.forEach((n, i) => {
    if (n.id !== i) throw new RuntimeModelError(m.name, `node at index ${i} has id ${n.id}`);
    if (n.placement === 'cloud') return;
    if (n.device === null) throw new RuntimeModelError(m.name, `device node ${n.id} has no layers to run`);
    const last = n.block === m.blocks.length - 1;
    if (n.offload === null && !last && n.children.length !== K) throw new RuntimeModelError(m.name, `node ${n.id} at block ${n.block} has ${n.children.length} children, not ${K}`);
    if (n.offload === null && !last && n.children.some((c) => m.nodes[c]?.placement !== 'device' || m.nodes[c].block !== n.block + 1)) {
      throw new RuntimeModelError(m.name, `node ${n.id} at block ${n.block} has a child that is not a device node of block ${n.block + 1}`);
    }
    if (n.offload === null && last && n.device.outputs.length !== 1) throw new RuntimeModelError(m.name, `leaf ${n.id} makes ${n.device.outputs.length} outputs, not the logits alone`);
  });
  for (const r of m.roots) if (m.nodes[r]?.placement !== 'device' || m.nodes[r].block !== 0) throw new RuntimeModelError(m.name, `root ${r} is not a device node of block 0`);
}
