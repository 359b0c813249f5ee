/**
 * The studio's shipped base models: `trained-models/<dataset>/<model>.etw`
 * (float16 weights, dnn/tfjs/weight-codec.ts) and `<model>.json` (the training
 * record: width, recipe, accuracy per epoch, and the accuracy the studio itself
 * measured on the full test set with the float16 weights). The spec is the
 * built-in one at the record's width; every layer is checked against it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectFile } from '../profiler/project-files.ts';
import { builtinModel } from '../dnn/models/builtin.ts';
import type { BuiltinModelName } from '../dnn/models/builtin.ts';
import type { DatasetName } from '../dnn/models/datasets.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { decodeWeightSet, encodeWeightSet } from '../dnn/tfjs/weight-codec.ts';
import { adoptWeights } from '../dnn/models/adopt-weights.ts';
import { importOnnxWithWeights } from '../dnn/formats/onnx-weights.ts';

export type TrainedModelName = Extract<BuiltinModelName, 'vgg11' | 'alexnet'>;

export interface TrainingRecord {
  model: TrainedModelName;
  dataset: DatasetName;
  width: number;
  /** How the weights were made: 'pytorch-recipe' (recipes/pytorch) or 'edgetree-train'. */
  source: string;
  epochs?: number;
  history?: unknown[];
  /** Measured by the studio (accuracy/evaluate.ts) on the full test split with the stored weights. */
  testAccuracy?: number;
  testImages?: number;
  /** As the trainer reported it. */
  trainerTestAccuracy?: number;
  [key: string]: unknown;
}

export interface BaseModel {
  model: TrainedModelName;
  dataset: DatasetName;
  spec: ModelSpec;
  weights: WeightSet;
  record: TrainingRecord;
  /** sha256 of the weights file (first 16 hex digits): part of every accuracy-pool key. */
  weightsId: string;
}

export class BaseModelMissingError extends Error {
  constructor(model: string, dataset: string, dir: string) {
    super(`no trained ${model} for ${dataset} in ${dir}: train one with \`edgetree train --model ${model} --dataset ${dataset}\` or bring PyTorch weights in with \`edgetree models import-weights\``);
    this.name = 'BaseModelMissingError';
  }
}

export function trainedModelsDir(): string {
  return process.env.EDGETREE_TRAINED_DIR ?? projectFile('trained-models');
}

function paths(dir: string, model: string, dataset: string): { weights: string; record: string } {
  return { weights: join(dir, dataset, `${model}.etw`), record: join(dir, dataset, `${model}.json`) };
}

export function hasBaseModel(model: TrainedModelName, dataset: DatasetName, dir = trainedModelsDir()): boolean {
  return existsSync(paths(dir, model, dataset).weights);
}

export function loadBaseModel(model: TrainedModelName, dataset: DatasetName, dir = trainedModelsDir()): BaseModel {
  const p = paths(dir, model, dataset);
  if (!existsSync(p.weights) || !existsSync(p.record)) throw new BaseModelMissingError(model, dataset, dir);
  const bytes = readFileSync(p.weights);
  const record = JSON.parse(readFileSync(p.record, 'utf8')) as TrainingRecord;
  const spec = builtinModel(model, dataset, { width: record.width });
  const decoded = decodeWeightSet(bytes, p.weights);
  const weights = adoptWeights({ spec, weights: decoded.weights }, p.weights, spec, `${model} (width ${record.width})`);
  return { model, dataset, spec, weights, record, weightsId: createHash('sha256').update(bytes).digest('hex').slice(0, 16) };
}

/** Stores weights (float16) and their record as the base model for (model, dataset). */
export function saveBaseModel(model: TrainedModelName, dataset: DatasetName, weights: WeightSet, record: TrainingRecord, dir = trainedModelsDir()): string {
  const p = paths(dir, model, dataset);
  mkdirSync(join(dir, dataset), { recursive: true });
  writeFileSync(p.weights, encodeWeightSet(model, weights, 'float16'));
  writeFileSync(p.record, `${JSON.stringify(record, null, 2)}\n`);
  return p.weights;
}

/** An ONNX file's weights checked layer by layer against the built-in spec at `width`. */
export function weightsFromOnnx(file: string, model: TrainedModelName, dataset: DatasetName, width: number): { spec: ModelSpec; weights: WeightSet } {
  const imported = importOnnxWithWeights(file, readFileSync(file));
  const spec = builtinModel(model, dataset, { width });
  return { spec, weights: adoptWeights(imported, file, spec, `${model} (width ${width}) for ${dataset}`) };
}
