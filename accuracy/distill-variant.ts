/**
 * Feature-level knowledge distillation of one pluggable variant (issue 4 item 5,
 * the paper's distillation at block level): the variant's layers are trained so
 * that, inside the otherwise frozen base model, its output reproduces the base
 * model's features at the end of the range it replaces, on training images.
 * Loss: mean squared error divided by the teacher features' mean square, so the
 * figure reads the same at every depth (1 = as bad as predicting zeros).
 * Once distilled, any composition of variants is evaluated by inference alone.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../dnn/data/image-dataset.ts';
import { batchPixels } from '../dnn/data/batch.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { SeededRandom } from '../dnn/tfjs/seeded-random.ts';
import { shuffledIndices } from './shuffled-indices.ts';
import { composeSpec } from '../search/compose-spec.ts';
import type { PluggableVariant } from '../search/variant-from-compression.ts';
import { disposeSpecVariables, forwardRange, readLayerWeights, specVariablesFrom } from '../engine/spec-variables.ts';
import { analyzeModel, MODEL_INPUT_ID } from '../dnn/spec/analyze.ts';
import { runLayer } from '../dnn/tfjs/layer-op.ts';

export interface DistillOptions {
  /** Training images (the train split); the first `images` are used. */
  data: ImageDataset;
  images?: number;
  epochs?: number;
  batch?: number;
  learningRate?: number;
  seed?: number;
  /**
   * Epochs of a second, logit-level stage (the paper's distillation): the variant inside the
   * whole otherwise frozen model is trained on the base model's softened logits (T = 2).
   * Chains only (the layers after the variant must read nothing from before it but its input).
   */
  logitEpochs?: number;
  onProgress?: (step: number, steps: number, loss: number) => void;
}

export interface DistillRecord {
  images: number;
  epochs: number;
  steps: number;
  /** Relative feature loss on the first batch before and after training. */
  lossBefore: number;
  lossAfter: number;
  /** True when training made the loss worse and the technique's own weights were kept. */
  keptInitial: boolean;
  /** The logit stage, when it ran: its epochs and its soft cross-entropy on the first batch before and after. */
  logit?: { epochs: number; lossBefore: number; lossAfter: number; kept: boolean };
  ms: number;
}

/** logitEpochs 2: on vgg11 (Fashion-MNIST) C3@conv8 lost 6.30 points after the feature stage alone and 0.95 after it, F2@fc3 2.15 and 0.40. */
export const DISTILL_DEFAULTS = { images: 2048, epochs: 4, batch: 64, learningRate: 1e-3, logitEpochs: 2 } as const;

export function distillVariant(base: { spec: ModelSpec; weights: WeightSet }, variant: PluggableVariant, o: DistillOptions): { weights: WeightSet; record: DistillRecord } {
  const start = performance.now();
  const images = Math.min(o.images ?? DISTILL_DEFAULTS.images, o.data.count);
  const epochs = o.epochs ?? DISTILL_DEFAULTS.epochs;
  const batch = Math.min(o.batch ?? DISTILL_DEFAULTS.batch, images);
  const { info } = variant;
  const composed = composeSpec(base.spec, [info], info.lastLayer + 1);
  const outputPos = composed.variantOutput.get(info.id) as number;
  const studentSpec: ModelSpec = { ...composed.spec, layers: composed.spec.layers.slice(0, outputPos + 1) };
  const teacherSpec: ModelSpec = { ...base.spec, layers: base.spec.layers.slice(0, info.lastLayer + 1) };
  // The student's weights: the base's for base layers, the variant's for its own (composeSpec may prefix their ids).
  const own = new Map<string, string>();
  const studentWeights: WeightSet = new Map();
  studentSpec.layers.forEach((l, i) => {
    const inVariant = composed.basePosition[i] === info.firstLayer && i >= outputPos - info.layers.length + 1;
    const original = inVariant && l.id.startsWith(`${info.id}/`) ? l.id.slice(info.id.length + 1) : l.id;
    const w = inVariant ? variant.weights.get(original) : base.weights.get(l.id);
    if (inVariant) own.set(l.id, original);
    if (w !== undefined) studentWeights.set(l.id, w);
  });
  const student = specVariablesFrom(studentSpec, studentWeights, new Set(own.keys()));
  let studentLive = true;
  const teacher = specVariablesFrom(teacherSpec, base.weights, new Set());
  const first = outputPos - info.layers.length + 1;
  const analysis = analyzeModel(studentSpec).layers;
  // What the variant reads from before it (one id for a chain; a residual may read it twice).
  const outside = [...new Set(analysis.slice(first, outputPos + 1).flatMap((a) => a.inputIds))]
    .filter((id) => !analysis.slice(first, outputPos + 1).some((a) => a.layer.id === id));
  const steps = Math.floor(images / batch) * epochs;
  const optimizer = tf.train.adam(o.learningRate ?? DISTILL_DEFAULTS.learningRate);
  const random = new SeededRandom(o.seed ?? 1);
  const shape = (n: number): [number, number, number, number] => [n, o.data.height, o.data.width, o.data.channels];
  // Cache, once, the frozen model's features going into the block and coming out of the range it replaces.
  const cached: { inputs: Map<string, tf.Tensor>; target: tf.Tensor }[] = [];
  const lossOf = (c: (typeof cached)[number]): tf.Scalar => tf.tidy(() => {
    const diff = forwardRange(student, first, outputPos, c.inputs).sub(c.target);
    return diff.square().mean().div(c.target.square().mean().add(1e-8)) as tf.Scalar;
  });
  try {
    for (let from = 0; from + batch <= images; from += batch) {
      const idx = Array.from({ length: batch }, (_, i) => from + i);
      const [target, ...inputs] = tf.tidy(() => {
        const x = tf.tensor4d(batchPixels(o.data, idx), shape(batch));
        const all = collect(teacher, teacherSpec.layers.length - 1, x);
        return [all.get(teacherSpec.layers[teacherSpec.layers.length - 1].id) as tf.Tensor, ...outside.map((id) => all.get(id) as tf.Tensor)];
      });
      cached.push({ inputs: new Map(outside.map((id, k) => [id, inputs[k]])), target });
    }
    const lossBefore = tf.tidy(() => lossOf(cached[0]).dataSync()[0]);
    let step = 0;
    for (let e = 0; e < epochs; e++) {
      for (const b of shuffledIndices(cached.length, random)) {
        const loss = optimizer.minimize(() => lossOf(cached[b]), true, student.variables) as tf.Scalar;
        step += 1;
        const value = loss.dataSync()[0];
        loss.dispose();
        o.onProgress?.(step, steps, value);
      }
    }
    const lossAfter = tf.tidy(() => lossOf(cached[0]).dataSync()[0]);
    // Never worse than where the technique left it (a pruned layer starts close to the base).
    const kept = lossAfter > lossBefore;
    let trained = kept ? variant.weights : readBack(student.spec, student.layers, own);
    // The logit stage registers the variant's variables again under the same names.
    disposeSpecVariables(student);
    studentLive = false;
    const logitEpochs = o.logitEpochs ?? DISTILL_DEFAULTS.logitEpochs;
    const logit = logitEpochs > 0 ? logitStage(base, variant, trained, cached, first, outside, logitEpochs, o.learningRate ?? DISTILL_DEFAULTS.learningRate, random) : null;
    if (logit !== null && !logit.record.kept) trained = logit.weights;
    const record = {
      images: cached.length * batch, epochs, steps, lossBefore, lossAfter: kept ? lossBefore : lossAfter, keptInitial: kept,
      ...(logit !== null && { logit: logit.record }), ms: performance.now() - start,
    };
    return { weights: trained, record };
  } finally {
    for (const c of cached) tf.dispose([...c.inputs.values(), c.target]);
    optimizer.dispose();
    if (studentLive) disposeSpecVariables(student);
    disposeSpecVariables(teacher);
  }
}

/** Soft cross-entropy of student logits against the teacher's at temperature t, scaled by t^2. */
function softCrossEntropy(student: tf.Tensor, teacher: tf.Tensor, t: number): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.softmax(teacher.div(t)).mul(tf.logSoftmax(student.div(t))).sum(-1).mean()).mul(t * t) as tf.Scalar);
}

/**
 * The logit stage: the variant's layers, inside the whole composed model with every other
 * layer frozen, trained on the base model's softened logits from the cached block inputs.
 * Kept only when it lowers the soft cross-entropy on the first batch.
 */
function logitStage(
  base: { spec: ModelSpec; weights: WeightSet }, variant: PluggableVariant, variantWeights: WeightSet,
  cached: readonly { inputs: Map<string, tf.Tensor>; target: tf.Tensor }[], first: number, outside: readonly string[],
  epochs: number, learningRate: number, random: SeededRandom,
): { weights: WeightSet; record: NonNullable<DistillRecord['logit']> } | null {
  const { info } = variant;
  const composed = composeSpec(base.spec, [info], base.spec.layers.length);
  const spec = composed.spec;
  const analysis = analyzeModel(spec).layers;
  const needs = [...new Set(analysis.slice(first).flatMap((a) => a.inputIds))].filter((id) => !analysis.slice(first).some((a) => a.layer.id === id));
  if (!needs.every((id) => outside.includes(id))) return null;
  const own = new Map<string, string>();
  const weights: WeightSet = new Map();
  const outputPos = composed.variantOutput.get(info.id) as number;
  spec.layers.forEach((l, i) => {
    const inVariant = composed.basePosition[i] === info.firstLayer && i >= outputPos - info.layers.length + 1 && i <= outputPos;
    const original = inVariant && l.id.startsWith(`${info.id}/`) ? l.id.slice(info.id.length + 1) : l.id;
    const w = inVariant ? variantWeights.get(original) : base.weights.get(l.id);
    if (inVariant) own.set(l.id, original);
    if (w !== undefined) weights.set(l.id, w);
  });
  if (own.size === 0) return null;
  const student = specVariablesFrom(spec, weights, new Set(own.keys()));
  const teacher = specVariablesFrom(base.spec, base.weights, new Set());
  const optimizer = tf.train.adam(learningRate / 2);
  const T = 2;
  const targets = cached.map((c) => tf.tidy(() => forwardRange(teacher, info.firstLayer, base.spec.layers.length - 1, c.inputs)));
  const lossOf = (b: number): tf.Scalar => tf.tidy(() => softCrossEntropy(forwardRange(student, first, spec.layers.length - 1, cached[b].inputs), targets[b], T));
  try {
    const lossBefore = tf.tidy(() => lossOf(0).dataSync()[0]);
    for (let e = 0; e < epochs; e++) {
      for (const b of shuffledIndices(cached.length, random)) {
        const loss = optimizer.minimize(() => lossOf(b), true, student.variables) as tf.Scalar;
        loss.dispose();
      }
    }
    const lossAfter = tf.tidy(() => lossOf(0).dataSync()[0]);
    const kept = lossAfter >= lossBefore;
    return { weights: readBack(student.spec, student.layers, own), record: { epochs, lossBefore, lossAfter: kept ? lossBefore : lossAfter, kept } };
  } finally {
    tf.dispose(targets);
    optimizer.dispose();
    disposeSpecVariables(student);
    disposeSpecVariables(teacher);
  }
}

/** Every layer output of the teacher up to `upTo`, with the input, by id (inside a tidy). */
function collect(model: ReturnType<typeof specVariablesFrom>, upTo: number, x: tf.Tensor): Map<string, tf.Tensor> {
  const all = new Map<string, tf.Tensor>([[MODEL_INPUT_ID, x]]);
  const layers = analyzeModel(model.spec).layers;
  for (let i = 0; i <= upTo; i++) {
    const a = layers[i];
    all.set(a.layer.id, runLayer(a.layer, a.inputIds.map((id) => all.get(id) as tf.Tensor), model.layers[i]));
  }
  return all;
}

/** The variant layers' trained values, keyed by the variant's own layer ids. */
function readBack(spec: ModelSpec, layers: ReturnType<typeof specVariablesFrom>['layers'], own: ReadonlyMap<string, string>): WeightSet {
  const out: WeightSet = new Map();
  spec.layers.forEach((l, i) => {
    const original = own.get(l.id);
    if (original === undefined) return;
    out.set(original, readLayerWeights(layers[i]));
  });
  return out;
}
