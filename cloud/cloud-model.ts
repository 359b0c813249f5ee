import * as tf from '@tensorflow/tfjs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SpecExecutor } from '../dnn/tfjs/spec-executor.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { cutCrossings } from '../dnn/spec/cut-crossings.ts';
import type { CutTensor } from '../dnn/spec/cut-crossings.ts';
import type { OffloadRequestHeader } from '../api/offload/offload-request.ts';
import { floatViews } from '../api/offload/offload-frame.ts';
import { CloudRequestError } from './cloud-request-error.ts';

/** A base model the server can finish: its spec and (trained) weights. */
export interface CloudModelEntry {
  spec: ModelSpec;
  weights: WeightSet;
}

export interface CloudInference {
  shape: number[];
  logits: Float32Array;
  /** Compute time: tensors made, layers [cut, L) run, output read back; turns given to other requests excluded. */
  cloudMs: number;
}

/** One model held by the server: its executor (weights uploaded once) and the tensors crossing each cut. */
export class CloudModel {
  readonly executor: SpecExecutor;
  private readonly crossings = new Map<number, CutTensor[]>();

  constructor(readonly key: string, entry: CloudModelEntry) {
    this.executor = new SpecExecutor(entry.spec, entry.weights);
  }

  get layerCount(): number {
    return this.executor.spec.layers.length;
  }

  crossingsAt(cut: number): CutTensor[] {
    let c = this.crossings.get(cut);
    if (c === undefined) {
      c = cutCrossings(this.executor.analysis, cut);
      this.crossings.set(cut, c);
    }
    return c;
  }

  /** Throws CloudRequestError (400) unless the header's cut is in range and its tensors are exactly those crossing it. */
  checkHeader(header: OffloadRequestHeader): void {
    const L = this.layerCount;
    if (header.cut >= L) throw new CloudRequestError(400, `cut ${header.cut} is out of range for model "${this.key}": it has ${L} layers, so the cut must be 0 to ${L - 1}`);
    const expected = this.crossingsAt(header.cut);
    const describe = (ts: readonly { shape: readonly number[] }[], ids: string[]): string => ids.map((id, k) => `${id} [${ts[k].shape.join(', ')}]`).join(', ');
    const want = expected.map((t) => ({ shape: [header.batch, ...t.shape] }));
    const wantText = describe(want, expected.map((t) => t.producerId));
    if (header.tensors.length !== expected.length) {
      throw new CloudRequestError(400, `model "${this.key}" at cut ${header.cut} expects ${expected.length} tensor(s): ${wantText}; the request has ${header.tensors.length}`);
    }
    header.tensors.forEach((t, k) => {
      const e = expected[k];
      const shapeOk = t.shape.length === want[k].shape.length && t.shape.every((d, i) => d === want[k].shape[i]);
      if (t.producer !== e.producerId || !shapeOk) {
        throw new CloudRequestError(400, `model "${this.key}" at cut ${header.cut}: tensor ${k} is ${t.producer} [${t.shape.join(', ')}], expected ${e.producerId} [${want[k].shape.join(', ')}] (all: ${wantText})`);
      }
    });
  }

  /**
   * Runs layers [cut, L) on the checked request. Between layers it gives the
   * event loop a turn, so other requests are read, refused or interleaved while
   * a long model runs.
   */
  async infer(header: OffloadRequestHeader, payload: Uint8Array): Promise<CloudInference> {
    const views = floatViews(payload, header.tensors.map((t) => t.shape.reduce((p, d) => p * d, 1)));
    let t = performance.now();
    let cloudMs = 0;
    const inputs = header.tensors.map((h, k) => tf.tensor(views[k], h.shape, 'float32'));
    let output: tf.Tensor | null = null;
    try {
      for (const step of this.executor.stepsFrom(header.cut, inputs)) {
        output = step.output;
        cloudMs += performance.now() - t;
        await nextTurn();
        t = performance.now();
      }
      const out = output as tf.Tensor;
      const logits = out.dataSync() as Float32Array;
      cloudMs += performance.now() - t;
      return { shape: [...out.shape], logits, cloudMs };
    } finally {
      output?.dispose();
      tf.dispose(inputs);
    }
  }

  dispose(): void {
    this.executor.dispose();
  }
}
