/**
 * A distillation job for a trainer outside the studio (recipes/pytorch/distill_variants.py):
 * what one variant's training needs, as plain data. The studio makes each variant exactly
 * as it would distil it itself (the technique's starting weights, the composed model, which
 * layers train); the trainer trains those layers inside the otherwise frozen base model and
 * writes them back under their own ids; `edgetree variants import` checks and stores them.
 * Why: two CPU cores distil a CIFAR-10 conv block in TF.js far too slowly to keep its accuracy
 * (search/README.md); PyTorch trains the same block on the whole training split in minutes.
 */
import type { TechniqueId, TechniqueParams } from '../dnn/compress/technique.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { composeSpec } from '../search/compose-spec.ts';
import type { VariantInfo } from '../search/problem.ts';

export const DISTILL_JOB_FORMAT = 'edgetree-distill-job';
export const DISTILL_JOB_VERSION = 1;

export interface DistillJobVariant {
  /** The variant's id, e.g. "C1@conv4"; its files are `<id>.etw` (start) and `<id>.trained.etw` / `.trained.json` (result). */
  id: string;
  technique: TechniqueId;
  layerIndex: number;
  params: TechniqueParams;
  info: VariantInfo;
  /** The whole base model with this variant spliced in. */
  spec: ModelSpec;
  /** Layer ids of `spec` that train -> the variant's own layer ids (the ids its weights carry). */
  trainable: Record<string, string>;
  /** Id in `spec` of the variant's output, and the base layer whose output it replaces. */
  output: string;
  teacherOutput: string;
}

export interface DistillJob {
  format: typeof DISTILL_JOB_FORMAT;
  version: typeof DISTILL_JOB_VERSION;
  model: string;
  dataset: string;
  /** The base weights the variants start from and are keyed by. */
  weightsId: string;
  base: { spec: ModelSpec; weights: string };
  /** The studio's train split (never its validation images), raw NHWC bytes, and its normalisation. */
  train: { images: string; labels: string; count: number; height: number; width: number; channels: number; mean: readonly number[]; std: readonly number[] };
  variants: DistillJobVariant[];
}

/** One variant's entry: the composed model and the map from its trainable layers to the variant's ids. */
export function jobVariant(base: ModelSpec, info: VariantInfo, technique: TechniqueId, layerIndex: number, params: TechniqueParams): DistillJobVariant {
  const composed = composeSpec(base, [info], base.layers.length);
  const outputPos = composed.variantOutput.get(info.id) as number;
  const first = outputPos - info.layers.length + 1;
  const trainable: Record<string, string> = {};
  composed.spec.layers.slice(first, outputPos + 1).forEach((l, j) => { trainable[l.id] = info.layers[j].id; });
  return {
    id: info.id, technique, layerIndex, params, info, spec: composed.spec, trainable,
    output: composed.spec.layers[outputPos].id, teacherOutput: base.layers[info.lastLayer].id,
  };
}

/** File names inside a job folder. */
export const jobFiles = {
  job: 'job.json',
  base: 'base.etw',
  images: 'train-images.u8',
  labels: 'train-labels.u8',
  start: (id: string): string => `${id}.etw`,
  trained: (id: string): string => `${id}.trained.etw`,
  record: (id: string): string => `${id}.trained.json`,
};
