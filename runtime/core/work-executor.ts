/**
 * Runs one RuntimeWork with TF.js on the current backend: weights made into tensors once,
 * shapes inferred from the declared inputs and checked against the declared outputs when
 * built; a run frees each intermediate tensor after its last reader in the slice.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerAnalysis } from '../../dnn/spec/analyze.ts';
import { inferLayer } from '../../dnn/spec/layer-inference.ts';
import type { TensorShape } from '../../dnn/spec/layer-spec.ts';
import { tensorBytes } from '../../dnn/spec/tensor-bytes.ts';
import { disposeLayerTensors, makeLayerTensors } from '../../dnn/tfjs/layer-tensors.ts';
import type { LayerTensors } from '../../dnn/tfjs/layer-tensors.ts';
import { runLayer } from '../../dnn/tfjs/layer-op.ts';
import { RuntimeInputError, RuntimeModelError } from './runtime-errors.ts';
import type { RuntimeWork } from './runtime-model.ts';

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

export class WorkExecutor {
  readonly name: string;
  readonly work: RuntimeWork;
  private readonly analyses: LayerAnalysis[] = [];
  private readonly tensors: LayerTensors[] = [];
  /** lastReader.get(id): the last layer index reading tensor id. */
  private readonly lastReader = new Map<string, number>();
  private readonly outputIds: Set<string>;
  private disposed = false;

  /** `name` names the work in messages (e.g. "vgg11 node 3"). Throws RuntimeModelError when the slice does not chain. */
  constructor(name: string, work: RuntimeWork) {
    this.name = name;
    this.work = work;
    const shapes = new Map<string, TensorShape>(work.inputs.map((t) => [t.id, t.shape]));
    work.layers.forEach((layer, index) => {
      const inputIds = layer.inputs;
      if (inputIds === undefined || inputIds.length === 0) throw new RuntimeModelError(name, `layer ${index} "${layer.id}" does not write out its inputs`);
      const inputShapes = inputIds.map((id) => {
        const s = shapes.get(id);
        if (s === undefined) throw new RuntimeModelError(name, `layer "${layer.id}" reads "${id}", which is neither an input of the slice nor an earlier layer`);
        return s;
      });
      let inferred;
      try {
        inferred = inferLayer({ modelName: name, layerIndex: index }, layer, inputShapes);
      } catch (e) {
        throw new RuntimeModelError(name, (e as Error).message);
      }
      if (shapes.has(layer.id)) throw new RuntimeModelError(name, `tensor id "${layer.id}" is made twice`);
      shapes.set(layer.id, inferred.outputShape);
      this.analyses.push({ index, layer, inputIds, inputShapes, ...inferred, outputBytes: tensorBytes(inferred.outputShape) });
      for (const id of inputIds) this.lastReader.set(id, index);
    });
    for (const t of work.outputs) {
      const s = shapes.get(t.id);
      if (s === undefined) throw new RuntimeModelError(name, `output "${t.id}" is not made by the slice nor given to it`);
      if (!sameShape(s, t.shape)) throw new RuntimeModelError(name, `output "${t.id}" has shape [${s.join(', ')}], the model declares [${t.shape.join(', ')}]`);
    }
    this.outputIds = new Set(work.outputs.map((t) => t.id));
    try {
      for (const a of this.analyses) this.tensors.push(makeLayerTensors(name, a, work.weights));
    } catch (err) {
      this.tensors.forEach(disposeLayerTensors);
      throw new RuntimeModelError(name, (err as Error).message);
    }
  }

  /** The ids layers [from, end) read from outside that range. */
  inputsFrom(from: number): string[] {
    const made = new Set<string>();
    const needed: string[] = [];
    for (const a of this.analyses.slice(from)) {
      for (const id of a.inputIds) if (!made.has(id) && !needed.includes(id)) needed.push(id);
      made.add(a.layer.id);
    }
    return needed;
  }

  /**
   * Runs layers [from, end) (from = 0: the whole slice) on batched tensors given by id (the
   * caller keeps them) and returns the slice's outputs by id, each the caller's to dispose
   * (an output that was given is returned as a copy).
   */
  run(given: ReadonlyMap<string, tf.Tensor>, from = 0): Map<string, tf.Tensor> {
    if (this.disposed) throw new RuntimeInputError(this.name, 'the work was disposed');
    for (const id of this.inputsFrom(from)) {
      if (!given.has(id)) throw new RuntimeInputError(this.name, `layers from ${from} read "${id}", which was not given (given: ${[...given.keys()].join(', ') || 'none'})`);
    }
    const live = new Map<string, tf.Tensor>();
    try {
      for (let i = from; i < this.analyses.length; i++) {
        const a = this.analyses[i];
        const xs = a.inputIds.map((id) => (live.get(id) ?? given.get(id)) as tf.Tensor);
        const y = tf.tidy(() => runLayer(a.layer, xs, this.tensors[i]));
        live.set(a.layer.id, y);
        for (const id of new Set(a.inputIds)) {
          if (live.has(id) && this.lastReader.get(id) === i && !this.outputIds.has(id)) {
            live.get(id)?.dispose();
            live.delete(id);
          }
        }
      }
      const out = new Map<string, tf.Tensor>();
      for (const id of this.outputIds) {
        const passed = given.get(id);
        if (!live.has(id) && passed === undefined) throw new RuntimeInputError(this.name, `output "${id}" is neither made from layer ${from} on nor given`);
        const t = live.get(id) ?? (passed as tf.Tensor).clone();
        live.delete(id);
        out.set(id, t);
      }
      return out;
    } finally {
      for (const t of live.values()) t.dispose();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.tensors.forEach(disposeLayerTensors);
  }
}
