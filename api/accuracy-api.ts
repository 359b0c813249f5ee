/**
 * The accuracy part of the studio's typed API (issue 4): a trained base model's
 * accuracy and how it was trained, its stored compressed blocks with their figures,
 * and the compression sweep (every technique on every layer it fits: MACCs saved
 * against accuracy lost), a long job started and then polled like the others.
 */
import type { DatasetName } from '../dnn/models/datasets.ts';
import type { TechniqueId } from '../dnn/compress/technique.ts';
import type { JobProgress } from './calibration-api.ts';
import type { SearchModelName } from './search-api.ts';

export const COMPRESSION_SWEEP_KIND = 'compression-sweep';
/** Sweep defaults: validation images per accuracy, distillation images and epochs per block (those of accuracy/distill-variant.ts, so a sweep finds the blocks searches distilled). */
export const SWEEP_DEFAULTS = { valImages: 2000, distillImages: 2048, distillEpochs: 4 } as const;

export interface TrainedModelInfo {
  /** Channel width of the built-in spec the weights fit (1 = the paper's). */
  width: number;
  /** How the weights were made, e.g. 'pytorch-recipe' (recipes/pytorch) or 'edgetree-train'. */
  source: string;
  epochs: number | null;
  batch: number | null;
  learningRate: number | null;
  seed: number | null;
  /** Measured by the studio on the full test split with the stored weights. */
  testAccuracy: number | null;
  testImages: number | null;
  /** As the trainer reported it (e.g. PyTorch's own figure). */
  trainerTestAccuracy: number | null;
  valAccuracy: number | null;
  /** First 16 hex digits of the weights file's SHA-256. */
  weightsId: string;
}

/** A stored (distilled) compressed block of the base model, with its figures. */
export interface StoredBlockRow {
  id: string;
  technique: TechniqueId;
  layerIndex: number;
  layerId: string;
  params: Record<string, number | boolean>;
  description: string;
  /** Whole-model MACCs with the base layers, and with this block in their place. */
  maccBefore: number;
  maccAfter: number;
  distillImages: number;
  distillEpochs: number;
  /** Relative feature loss before and after distillation (1 = as bad as zeros). */
  lossBefore: number;
  lossAfter: number;
  /** Base + this block on the first `valImages` validation images, when the pool has it; else null. */
  accuracy: number | null;
}

export interface ModelAccuracyRequest {
  model: SearchModelName;
  dataset: DatasetName;
  /** Validation images the blocks' pooled accuracies are looked up for (default 2000). */
  valImages?: number;
}

export interface ModelAccuracy {
  model: SearchModelName;
  dataset: DatasetName;
  /** null: no trained weights for this model and data set (`missing` says how to make them). */
  trained: TrainedModelInfo | null;
  missing: string | null;
  valImages: number;
  /** The base model on the first `valImages` validation images, when the pool has it. */
  baseValAccuracy: number | null;
  blocks: StoredBlockRow[];
  /** The newest compression sweep of this model and data set, finished or not. */
  latestSweep: CompressionSweepStatus | null;
}

export interface StartCompressionSweepRequest {
  model: SearchModelName;
  dataset: DatasetName;
  /** Default all of Table II. */
  techniques?: TechniqueId[];
  /** Base layer positions (default every layer). */
  layers?: number[];
  valImages?: number;
  distillImages?: number;
  distillEpochs?: number;
}

export interface CompressionSweepParams {
  model: SearchModelName;
  dataset: DatasetName;
  techniques: TechniqueId[];
  /** null: every layer. */
  layers: number[] | null;
  valImages: number;
  distillImages: number;
  distillEpochs: number;
}

/** One technique on one layer: what it saves and what it costs. */
export interface SweepRow {
  variantId: string;
  technique: TechniqueId;
  layerIndex: number;
  layerId: string;
  description: string;
  maccBefore: number;
  maccAfter: number;
  /** maccBefore - maccAfter. */
  maccSaved: number;
  /** Base + this block on the validation images. */
  accuracy: number;
  /** Base accuracy minus `accuracy` (negative: the block did better). */
  accuracyLost: number;
  /** The block was read from the store (distilled before) and its accuracy from the pool. */
  cached: boolean;
}

export interface CompressionSweepStatus extends JobProgress {
  kind: 'compression-sweep';
  params: CompressionSweepParams;
  /** The base model on the same validation images; null until measured. */
  baseAccuracy: number | null;
  rows: SweepRow[];
}

export interface AccuracyApi {
  modelAccuracy(req: ModelAccuracyRequest): Promise<ModelAccuracy>;
  startCompressionSweep(req: StartCompressionSweepRequest): Promise<CompressionSweepStatus>;
  compressionSweepStatus(req: { runId: string }): Promise<CompressionSweepStatus>;
}
