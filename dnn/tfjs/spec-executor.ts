import * as tf from '@tensorflow/tfjs';
import { analyzeModel } from '../spec/analyze.ts';
import type { ModelAnalysis } from '../spec/analyze.ts';
import { cutCrossings } from '../spec/cut-crossings.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import { ExecutorInputError } from './executor-errors.ts';
import { disposeLayerTensors, makeLayerTensors } from './layer-tensors.ts';
import type { LayerTensors } from './layer-tensors.ts';
import { runLayer } from './layer-op.ts';
import type { WeightSet } from './layer-weights.ts';

/** One layer's output during a layer-by-layer run; valid until the run moves on. */
export interface LayerStep {
  index: number;
  output: tf.Tensor;
}

export interface TimeLayersOptions {
  /** Untimed full forwards first. */
  warmup: number;
  /** Timed forwards. */
  repeats: number;
  /** Milliseconds clock, e.g. performance.now. */
  now: () => number;
  /**
   * How each layer's completion is forced before the clock is read: 'read' copies
   * its output back with dataSync(); 'none' trusts the backend. Default: 'none' on
   * wasm, cpu and tensorflow, whose kernels have finished when the op returns (a
   * copy per layer would add 5-20% to vgg11 on wasm), 'read' on any other backend.
   */
  sync?: 'read' | 'none';
}

/** Backends whose kernels run to completion inside the op call. */
const SYNCHRONOUS_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu', 'tensorflow']);

export interface LayerTimes {
  /** layerMs[layer][repeat]: from the previous layer's completion to this layer's output being ready. */
  layerMs: number[][];
  /** totalMs[repeat]: the whole forward, first layer to last. */
  totalMs: number[];
}

const MODEL_INPUT = -1;

/**
 * Runs a ModelSpec with TF.js on whatever backend is current (choose it with
 * engine/tfjs-backend.ts or engine/browser-backend.ts first). Weight tensors are
 * made once; a forward follows the `inputs` DAG and frees each intermediate
 * tensor right after its last reader, so skip connections hold memory only as
 * long as they must. Call dispose() when done.
 */
export class SpecExecutor {
  readonly spec: ModelSpec;
  readonly analysis: ModelAnalysis;
  private readonly tensors: LayerTensors[];
  /** Producer positions per layer (-1: the model input). */
  private readonly inputPositions: number[][];
  /** lastReader[p]: the last layer reading layer p's output (p itself when none does). */
  private readonly lastReader: number[];
  private disposed = false;

  constructor(spec: ModelSpec, weights: WeightSet) {
    this.spec = spec;
    this.analysis = analyzeModel(spec);
    const positionOf = new Map(spec.layers.map((l, i) => [l.id, i]));
    this.inputPositions = this.analysis.layers.map((l) => l.inputIds.map((id) => positionOf.get(id) ?? MODEL_INPUT));
    this.lastReader = spec.layers.map((_, i) => i);
    this.inputPositions.forEach((producers, reader) => producers.forEach((p) => {
      if (p !== MODEL_INPUT) this.lastReader[p] = Math.max(this.lastReader[p], reader);
    }));
    this.tensors = [];
    try {
      for (const layer of this.analysis.layers) this.tensors.push(makeLayerTensors(spec.name, layer, weights));
    } catch (err) {
      this.tensors.forEach(disposeLayerTensors);
      throw err;
    }
  }

  /** The model's output for a batch [N, H, W, C]; the caller disposes it. */
  predict(input: tf.Tensor4D): tf.Tensor {
    return tf.tidy(() => {
      let output: tf.Tensor | null = null;
      for (const step of this.steps(input)) output = step.output;
      return output as tf.Tensor;
    });
  }

  /**
   * Runs the model layer by layer. Each yielded output is ready to read (e.g. its
   * shape, or dataSync()) and is freed by the run once later layers no longer
   * need it; the last layer's output is left to the caller to dispose.
   */
  *steps(input: tf.Tensor4D): Generator<LayerStep, void, void> {
    this.checkInput(input);
    yield* this.runRange(0, this.spec.layers.length, new Map([[MODEL_INPUT, input]]), new Map());
  }

  /**
   * The device side of a split: runs layers [0, cut) and returns the tensors that
   * cross the cut, in the order of cutCrossings(analysis, cut) (dnn/spec/cut-crossings.ts),
   * each [N, ...shape]. The model input, when it crosses, comes back as a copy, so
   * every returned tensor is the caller's to dispose. 0 <= cut < L.
   */
  predictUntil(input: tf.Tensor4D, cut: number): tf.Tensor[] {
    this.checkInput(input);
    const crossings = cutCrossings(this.analysis, this.checkCut(cut));
    const live = new Map<number, tf.Tensor>();
    for (const _ of this.runRange(0, cut, new Map([[MODEL_INPUT, input]]), live)) { /* each layer runs as the loop pulls it */ }
    const out = crossings.map((t) => (t.position === MODEL_INPUT ? input.clone() : (live.get(t.position) as tf.Tensor)));
    for (const [p, t] of live) if (!crossings.some((c) => c.position === p)) t.dispose();
    return out;
  }

  /**
   * The cloud side of a split: runs layers [cut, L) from the tensors that cross the
   * cut (as predictUntil returns them) and returns the model's output; the caller
   * disposes it and still owns the given tensors.
   */
  predictFrom(cut: number, crossing: readonly tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      let output: tf.Tensor | null = null;
      for (const step of this.stepsFrom(cut, crossing)) output = step.output;
      return output as tf.Tensor;
    });
  }

  /**
   * predictFrom layer by layer, as steps() does for a whole forward (a server can
   * yield to its event loop between layers). Throws ExecutorInputError before any
   * layer runs when the tensors are not the ones crossing the cut: their number,
   * shapes [N, ...shape] with one N, or dtype float32.
   */
  *stepsFrom(cut: number, crossing: readonly tf.Tensor[]): Generator<LayerStep, void, void> {
    const given = this.checkCrossing(this.checkCut(cut), crossing);
    yield* this.runRange(cut, this.spec.layers.length, given, new Map());
  }

  /**
   * Runs layers [from, to). `given` holds tensors the caller owns (by producer
   * position, -1 the model input); `live` collects the outputs made here, each
   * freed after its last reader. When the range finishes, `live` keeps the
   * outputs read at or after `to` (for to = L: the last layer's); if the run stops
   * early (an error, or the consumer leaves the loop) every output made is freed.
   */
  private *runRange(from: number, to: number, given: ReadonlyMap<number, tf.Tensor>, live: Map<number, tf.Tensor>): Generator<LayerStep, void, void> {
    const last = this.spec.layers.length - 1;
    let finished = false;
    try {
      for (let i = from; i < to; i++) {
        const xs = this.inputPositions[i].map((p) => (given.get(p) ?? live.get(p)) as tf.Tensor);
        const output = tf.tidy(() => runLayer(this.spec.layers[i], xs, this.tensors[i]));
        live.set(i, output);
        for (const p of new Set(this.inputPositions[i])) {
          if (live.has(p) && this.lastReader[p] === i) {
            live.get(p)?.dispose();
            live.delete(p);
          }
        }
        yield { index: i, output };
        if (this.lastReader[i] === i && i !== last) {
          // An output nobody reads (a dangling branch): freed once seen.
          output.dispose();
          live.delete(i);
        }
      }
      finished = true;
    } finally {
      if (!finished) {
        for (const t of live.values()) t.dispose();
        live.clear();
      }
    }
  }

  /**
   * Times each layer: after `warmup` untimed forwards, `repeats` forwards run
   * layer by layer, each layer's output complete (see `sync`) before the clock is
   * read, so the layer times of a repeat add up to its total.
   * For WebGL prefer timeLayersAsync (dataSync stalls the page).
   */
  timeLayers(input: tf.Tensor4D, opts: TimeLayersOptions): LayerTimes {
    this.warmup(input, opts.warmup);
    const read = (opts.sync ?? (SYNCHRONOUS_BACKENDS.has(tf.getBackend()) ? 'none' : 'read')) === 'read';
    const times = this.emptyTimes();
    for (let r = 0; r < opts.repeats; r++) {
      const start = opts.now();
      let mark = start;
      let output: tf.Tensor | null = null;
      for (const step of this.steps(input)) {
        if (read) step.output.dataSync();
        const t = opts.now();
        times.layerMs[step.index].push(t - mark);
        mark = t;
        output = step.output;
      }
      times.totalMs.push(mark - start);
      output?.dispose();
    }
    return times;
  }

  /** timeLayers with `await data()` to wait for each layer: for WebGL, where work is queued on the GPU. */
  async timeLayersAsync(input: tf.Tensor4D, opts: TimeLayersOptions): Promise<LayerTimes> {
    for (let r = 0; r < opts.warmup; r++) {
      const y = this.predict(input);
      await y.data();
      y.dispose();
    }
    const times = this.emptyTimes();
    for (let r = 0; r < opts.repeats; r++) {
      const start = opts.now();
      let mark = start;
      let output: tf.Tensor | null = null;
      for (const step of this.steps(input)) {
        await step.output.data();
        const t = opts.now();
        times.layerMs[step.index].push(t - mark);
        mark = t;
        output = step.output;
      }
      times.totalMs.push(mark - start);
      output?.dispose();
    }
    return times;
  }

  /** Frees the weight tensors; the executor cannot run afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.tensors.forEach(disposeLayerTensors);
  }

  private warmup(input: tf.Tensor4D, runs: number): void {
    for (let r = 0; r < runs; r++) {
      const y = this.predict(input);
      y.dataSync();
      y.dispose();
    }
  }

  private emptyTimes(): LayerTimes {
    return { layerMs: this.spec.layers.map(() => []), totalMs: [] };
  }

  private checkCut(cut: number): number {
    if (this.disposed) throw new ExecutorInputError(this.spec.name, 'the executor was disposed');
    const layerCount = this.spec.layers.length;
    if (!Number.isInteger(cut) || cut < 0 || cut >= layerCount) {
      throw new ExecutorInputError(this.spec.name, `cut ${cut} is not a whole number from 0 to ${layerCount - 1}`);
    }
    return cut;
  }

  /** The given tensors by producer position, after checking they are the ones crossing the cut. */
  private checkCrossing(cut: number, crossing: readonly tf.Tensor[]): Map<number, tf.Tensor> {
    const expected = cutCrossings(this.analysis, cut);
    if (crossing.length !== expected.length) {
      throw new ExecutorInputError(this.spec.name, `cut ${cut} is crossed by ${expected.length} tensor(s) (${expected.map((t) => t.producerId).join(', ')}), got ${crossing.length}`);
    }
    const batch = crossing[0].shape[0];
    const given = new Map<number, tf.Tensor>();
    expected.forEach((t, k) => {
      const x = crossing[k];
      const want = [batch, ...t.shape];
      if (x.shape.length !== want.length || x.shape.some((d, i) => d !== want[i])) {
        throw new ExecutorInputError(this.spec.name, `tensor ${k} at cut ${cut} (output of "${t.producerId}") has shape [${x.shape.join(', ')}], expected [${want.join(', ')}]`);
      }
      if (x.dtype !== 'float32') throw new ExecutorInputError(this.spec.name, `tensor ${k} at cut ${cut} (output of "${t.producerId}") has dtype ${x.dtype}, not float32`);
      given.set(t.position, x);
    });
    return given;
  }

  private checkInput(input: tf.Tensor4D): void {
    if (this.disposed) throw new ExecutorInputError(this.spec.name, 'the executor was disposed');
    const expected = this.spec.inputShape;
    const shape = input.shape;
    if (shape.length !== 4 || shape[1] !== expected[0] || shape[2] !== expected[1] || shape[3] !== expected[2]) {
      throw new ExecutorInputError(this.spec.name, `input shape [${shape.join(', ')}] is not [N, ${expected.join(', ')}]`);
    }
    if (input.dtype !== 'float32') throw new ExecutorInputError(this.spec.name, `input dtype ${input.dtype} is not float32`);
  }
}
