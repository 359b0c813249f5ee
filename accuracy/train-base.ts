/**
 * Trains a base model from scratch in TensorFlow.js (`edgetree train`): Adam at a
 * constant learning rate (TF.js's momentum optimizer leaks its learning-rate
 * tensor on dispose), random crops and flips,
 * batch norm in training mode (batch statistics, moving averages updated as in
 * Keras with momentum 0.99). A checkpoint (weights, moving statistics, epoch and
 * step) is written every `checkpointEvery` steps and at each epoch's end, so a
 * training stopped for any reason resumes from it; the optimizer's momentum
 * restarts at zero on resume (it is not saved).
 *
 * On this computer's 2 cores the WASM backend trains about 10 times slower than
 * PyTorch on the CPU, which is why the shipped weights come from recipes/pytorch;
 * this path is for users with tfjs-node (or patience) and for fine-tuning.
 */
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../dnn/data/image-dataset.ts';
import { batchLabels, batchPixels } from '../dnn/data/batch.ts';
import { analyzeModel, MODEL_INPUT_ID } from '../dnn/spec/analyze.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { initWeights } from '../dnn/tfjs/init-weights.ts';
import { BN_EPSILON, runLayer } from '../dnn/tfjs/layer-op.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { SeededRandom } from '../dnn/tfjs/seeded-random.ts';
import { shuffledIndices } from './shuffled-indices.ts';
import { decodeWeightSet, encodeWeightSet } from '../dnn/tfjs/weight-codec.ts';
import { disposeSpecVariables, readLayerWeights, specVariablesFrom } from '../engine/spec-variables.ts';
import type { SpecVariables } from '../engine/spec-variables.ts';

export interface TrainOptions {
  spec: ModelSpec;
  train: ImageDataset;
  val?: ImageDataset;
  epochs: number;
  batch?: number;
  learningRate?: number;
  seed?: number;
  /** Where the checkpoint lives; an existing one is resumed. */
  checkpoint: string;
  checkpointEvery?: number;
  /** Stop after this many steps in this call (tests: a run interrupted on purpose). */
  maxSteps?: number;
  onProgress?: (p: TrainProgress) => void;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
  valAccuracy?: number;
  resumed?: boolean;
}

export interface TrainResult {
  weights: WeightSet;
  epochsDone: number;
  finished: boolean;
  history: { epoch: number; loss: number; valAccuracy?: number }[];
  resumedFrom?: { epoch: number; step: number };
}

interface CheckpointHeader {
  epoch: number;
  step: number;
  history: TrainResult['history'];
}

const BN_MOMENTUM = 0.99;

export async function trainBaseModel(o: TrainOptions): Promise<TrainResult> {
  const batch = o.batch ?? 64;
  const stepsPerEpoch = Math.floor(o.train.count / batch);
  let epoch = 0;
  let step = 0;
  let history: TrainResult['history'] = [];
  let weights = initWeights(o.spec, o.seed ?? 1);
  let resumedFrom: TrainResult['resumedFrom'];
  if (existsSync(o.checkpoint)) {
    const c = readCheckpoint(o.checkpoint, o.spec.name);
    weights = c.weights;
    ({ epoch, step, history } = c.header);
    resumedFrom = { epoch, step };
    o.onProgress?.({ epoch, epochs: o.epochs, step, stepsPerEpoch, loss: NaN, resumed: true });
  }
  const model = specVariablesFrom(o.spec, weights);
  const bnStats = movingStats(o.spec, weights);
  const optimizer = tf.train.adam(o.learningRate ?? 1e-3);
  const random = new SeededRandom((o.seed ?? 1) * 7919 + epoch);
  let stepsThisCall = 0;
  try {
    while (epoch < o.epochs) {
      const order = shuffledIndices(o.train.count, random);
      let lossSum = 0;
      let lossSteps = 0;
      for (; step < stepsPerEpoch; step++) {
        if (o.maxSteps !== undefined && stepsThisCall >= o.maxSteps) {
          saveCheckpoint(o.checkpoint, o.spec.name, model, bnStats, { epoch, step, history });
          return { weights: snapshot(model, bnStats), epochsDone: epoch, finished: false, history, resumedFrom };
        }
        const idx = order.slice(step * batch, (step + 1) * batch);
        const loss = tf.tidy(() => {
          const x = augment(tf.tensor4d(batchPixels(o.train, idx), [idx.length, o.train.height, o.train.width, o.train.channels]), random);
          const y = tf.oneHot(tf.tensor1d(batchLabels(o.train, idx), 'int32'), analyzeModel(o.spec).layers.at(-1)?.outputShape.at(-1) ?? 10);
          return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, trainingForward(model, x, bnStats)) as tf.Scalar, true, model.variables) as tf.Scalar;
        });
        lossSum += loss.dataSync()[0];
        lossSteps += 1;
        loss.dispose();
        stepsThisCall += 1;
        o.onProgress?.({ epoch, epochs: o.epochs, step: step + 1, stepsPerEpoch, loss: lossSum / lossSteps });
        if (o.checkpointEvery !== undefined && (step + 1) % o.checkpointEvery === 0) saveCheckpoint(o.checkpoint, o.spec.name, model, bnStats, { epoch, step: step + 1, history });
      }
      const valAccuracy = o.val === undefined ? undefined : accuracyOf(model, bnStats, o.val);
      // The mean over this call's steps of the epoch (a resumed epoch: the steps after the checkpoint).
      history = [...history, { epoch: epoch + 1, loss: lossSum / Math.max(1, lossSteps), valAccuracy }];
      o.onProgress?.({ epoch: epoch + 1, epochs: o.epochs, step: stepsPerEpoch, stepsPerEpoch, loss: lossSum / Math.max(1, lossSteps), valAccuracy });
      epoch += 1;
      step = 0;
      saveCheckpoint(o.checkpoint, o.spec.name, model, bnStats, { epoch, step, history });
      await new Promise((r) => setImmediate(r));
    }
    return { weights: snapshot(model, bnStats), epochsDone: epoch, finished: true, history, resumedFrom };
  } finally {
    optimizer.dispose();
    disposeSpecVariables(model);
  }
}

/** Moving mean and variance per bn layer, as plain arrays updated after every step. */
type BnStats = Map<number, { mean: Float32Array; variance: Float32Array }>;

function movingStats(spec: ModelSpec, weights: WeightSet): BnStats {
  const stats: BnStats = new Map();
  spec.layers.forEach((l, i) => {
    const w = weights.get(l.id);
    if (l.type === 'bn' && w?.movingMean && w.movingVariance) stats.set(i, { mean: w.movingMean.slice(), variance: w.movingVariance.slice() });
  });
  return stats;
}

/** The forward with batch norm on batch statistics; moving statistics updated from them. */
function trainingForward(model: SpecVariables, x: tf.Tensor, stats: BnStats): tf.Tensor {
  const outputs = new Map<string, tf.Tensor>([[MODEL_INPUT_ID, x]]);
  let last = x;
  for (const [i, a] of analyzeModel(model.spec).layers.entries()) {
    const inputs = a.inputIds.map((id) => outputs.get(id) as tf.Tensor);
    const s = stats.get(i);
    const t = model.layers[i];
    if (a.layer.type === 'bn' && s !== undefined && t.gamma && t.beta) {
      const axes = inputs[0].rank === 4 ? [0, 1, 2] : [0];
      const { mean, variance } = tf.moments(inputs[0], axes);
      const m = mean.dataSync() as Float32Array;
      const v = variance.dataSync() as Float32Array;
      for (let c = 0; c < m.length; c++) {
        s.mean[c] = BN_MOMENTUM * s.mean[c] + (1 - BN_MOMENTUM) * m[c];
        s.variance[c] = BN_MOMENTUM * s.variance[c] + (1 - BN_MOMENTUM) * v[c];
      }
      last = tf.batchNorm(inputs[0], mean, variance, t.beta, t.gamma, BN_EPSILON);
    } else {
      last = runLayer(a.layer, inputs, t);
    }
    outputs.set(a.layer.id, last);
  }
  return last;
}

/** Inference forward with the current moving statistics. */
function accuracyOf(model: SpecVariables, stats: BnStats, ds: ImageDataset): number {
  const weights = snapshot(model, stats);
  const frozen = specVariablesFrom(model.spec, weights, new Set());
  let correct = 0;
  try {
    for (let from = 0; from < ds.count; from += 200) {
      const idx = Array.from({ length: Math.min(200, ds.count - from) }, (_, i) => from + i);
      const predicted = tf.tidy(() => {
        const x = tf.tensor4d(batchPixels(ds, idx), [idx.length, ds.height, ds.width, ds.channels]);
        const outputs = new Map<string, tf.Tensor>([[MODEL_INPUT_ID, x]]);
        let last: tf.Tensor = x;
        for (const [i, a] of analyzeModel(frozen.spec).layers.entries()) {
          last = runLayer(a.layer, a.inputIds.map((id) => outputs.get(id) as tf.Tensor), frozen.layers[i]);
          outputs.set(a.layer.id, last);
        }
        return last.argMax(-1).dataSync();
      });
      idx.forEach((i, k) => { if (predicted[k] === ds.labels[i]) correct += 1; });
    }
  } finally {
    disposeSpecVariables(frozen);
  }
  return correct / ds.count;
}

/** Random 4-pixel-padded crops and horizontal flips, as the PyTorch recipe does. */
function augment(x: tf.Tensor4D, random: SeededRandom): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const pad = 4;
  const padded = tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]);
  const boxes: number[][] = [];
  for (let i = 0; i < n; i++) {
    const dy = Math.floor(random.uniform() * (2 * pad + 1));
    const dx = Math.floor(random.uniform() * (2 * pad + 1));
    const flip = random.uniform() < 0.5;
    const [y1, y2] = [dy / (h + 2 * pad - 1), (dy + h - 1) / (h + 2 * pad - 1)];
    const [x1, x2] = [dx / (w + 2 * pad - 1), (dx + w - 1) / (w + 2 * pad - 1)];
    boxes.push(flip ? [y1, x2, y2, x1] : [y1, x1, y2, x2]);
  }
  return tf.image.cropAndResize(padded, tf.tensor2d(boxes), tf.range(0, n, 1, 'int32') as tf.Tensor1D, [h, w], 'nearest');
}

function snapshot(model: SpecVariables, stats: BnStats): WeightSet {
  const out: WeightSet = new Map();
  model.spec.layers.forEach((l, i) => {
    const w = readLayerWeights(model.layers[i]);
    // Batch norm's moving statistics live in `stats` while training.
    const s = stats.get(i);
    if (s !== undefined) Object.assign(w, { movingMean: s.mean.slice(), movingVariance: s.variance.slice() });
    if (Object.keys(w).length > 0) out.set(l.id, w);
  });
  return out;
}

function saveCheckpoint(path: string, model: string, m: SpecVariables, stats: BnStats, header: CheckpointHeader): void {
  mkdirSync(dirname(path), { recursive: true });
  const weights = encodeWeightSet(model, snapshot(m, stats), 'float32');
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(4 + json.length + weights.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  out.set(weights, 4 + json.length);
  // Written beside, then renamed: a checkpoint is never half written.
  writeFileSync(`${path}.tmp`, out);
  renameSync(`${path}.tmp`, path);
}

export class CheckpointError extends Error {
  constructor(path: string, problem: string) {
    super(`checkpoint ${path}: ${problem}`);
    this.name = 'CheckpointError';
  }
}

function readCheckpoint(path: string, model: string): { header: CheckpointHeader; weights: WeightSet } {
  const bytes = new Uint8Array(readFileSync(path));
  if (bytes.length < 4) throw new CheckpointError(path, 'is empty or truncated');
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n))) as CheckpointHeader;
  } catch {
    throw new CheckpointError(path, 'its header is not JSON (not a studio checkpoint, or corrupt)');
  }
  const decoded = decodeWeightSet(bytes.subarray(4 + n), path);
  if (decoded.model !== model) throw new CheckpointError(path, `holds ${decoded.model}, not ${model}`);
  return { header, weights: decoded.weights };
}
