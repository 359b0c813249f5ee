/**
 * Variants trained outside the studio: `exportDistillJob` writes a job folder (distill-job.ts)
 * for recipes/pytorch/distill_variants.py; `importDistilledVariants` reads what the recipe
 * wrote back, checks every array against the variant the studio builds itself, stores each
 * under its recipe key (variant-catalog.ts recipeVariantKey) and measures its accuracy
 * through the memory pool. Nothing already stored is touched when a file is bad: every
 * result is checked before the first is stored.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { applyTechnique } from '../dnn/compress/registry.ts';
import type { CompressionResult, TechniqueId, TechniqueParams } from '../dnn/compress/technique.ts';
import type { ImageDataset } from '../dnn/data/image-dataset.ts';
import { decodeWeightSet, encodeWeightSet } from '../dnn/tfjs/weight-codec.ts';
import type { WeightName, WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { variantFromCompression } from '../search/variant-from-compression.ts';
import type { PluggableVariant } from '../search/variant-from-compression.ts';
import { saveVariant } from '../profiles/variant-repository.ts';
import { pooledAccuracy } from './accuracy-pool.ts';
import { DISTILL_JOB_FORMAT, DISTILL_JOB_VERSION, jobFiles, jobVariant } from './distill-job.ts';
import type { DistillJob, DistillJobVariant } from './distill-job.ts';
import type { BaseModel } from './trained-models.ts';
import { candidateId, recipeVariantKey, sortedParams, variantCandidates } from './variant-catalog.ts';
import type { CatalogVariant } from './variant-catalog.ts';

/** A job folder or a recipe result that cannot be used; names the file and what is wrong. */
export class VariantImportError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'VariantImportError';
  }
}

export interface ExportJobOptions {
  techniques: readonly TechniqueId[];
  layers?: readonly number[];
  params?: TechniqueParams;
  /** The studio's train split (loadDataset(..., 'train')): written as raw bytes for the trainer. */
  train: ImageDataset;
  dir: string;
}

/** The variant as the studio builds it (the technique's own starting weights), with the technique's result (MACCs, description). */
function buildVariant(base: BaseModel, technique: TechniqueId, layerIndex: number, params: TechniqueParams): { variant: PluggableVariant; result: CompressionResult } {
  const result = applyTechnique(technique, base.spec, base.weights, layerIndex, params);
  return { variant: variantFromCompression(base.spec, result, candidateId(base, { technique, layerIndex })), result };
}

/** Writes the job folder; returns the job (its variants in candidate order). */
export function exportDistillJob(base: BaseModel, o: ExportJobOptions): DistillJob {
  const params = sortedParams(o.params);
  const candidates = variantCandidates(base, { techniques: o.techniques, layers: o.layers });
  if (candidates.length === 0) throw new VariantImportError(o.dir, `no technique of ${o.techniques.join(', ')} fits ${o.layers === undefined ? 'any layer' : `layers ${o.layers.join(', ')}`} of ${base.model}`);
  mkdirSync(o.dir, { recursive: true });
  const variants: DistillJobVariant[] = [];
  for (const c of candidates) {
    const { variant: v } = buildVariant(base, c.technique, c.layerIndex, params);
    writeFileSync(join(o.dir, jobFiles.start(v.info.id)), encodeWeightSet(v.info.id, v.weights, 'float32'));
    variants.push(jobVariant(base.spec, v.info, c.technique, c.layerIndex, params));
  }
  const t = o.train;
  writeFileSync(join(o.dir, jobFiles.base), encodeWeightSet(base.model, base.weights, 'float32'));
  writeFileSync(join(o.dir, jobFiles.images), t.pixels);
  writeFileSync(join(o.dir, jobFiles.labels), t.labels);
  const job: DistillJob = {
    format: DISTILL_JOB_FORMAT, version: DISTILL_JOB_VERSION, model: base.model, dataset: base.dataset, weightsId: base.weightsId,
    base: { spec: base.spec, weights: jobFiles.base },
    train: { images: jobFiles.images, labels: jobFiles.labels, count: t.count, height: t.height, width: t.width, channels: t.channels, mean: t.mean, std: t.std },
    variants,
  };
  writeFileSync(join(o.dir, jobFiles.job), `${JSON.stringify(job, null, 1)}\n`);
  return job;
}

export function readDistillJob(dir: string): DistillJob {
  const file = join(dir, jobFiles.job);
  if (!existsSync(file)) throw new VariantImportError(file, 'no such file: make the folder with `edgetree variants export`');
  let job: unknown;
  try {
    job = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new VariantImportError(file, `not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const j = job as Partial<DistillJob>;
  if (j.format !== DISTILL_JOB_FORMAT || j.version !== DISTILL_JOB_VERSION) throw new VariantImportError(file, `not a distillation job (format "${String(j.format)}" version ${String(j.version)}; expected "${DISTILL_JOB_FORMAT}" ${DISTILL_JOB_VERSION})`);
  if (!Array.isArray(j.variants)) throw new VariantImportError(file, 'has no variants list');
  return job as DistillJob;
}

export interface ImportedVariant {
  id: string;
  key: string;
  technique: TechniqueId;
  layerIndex: number;
  maccBefore: number;
  maccAfter: number;
  /** What the trainer reported (epochs, images, losses, seconds, ...). */
  trainer: Record<string, unknown>;
  accuracyBefore: number;
  accuracyAfter: number;
  images: number;
}

export interface ImportOptions {
  /** Validation images for the accuracy of each imported variant. */
  val: ImageDataset;
  /** Only these variant ids (default every variant of the job that has a result). */
  only?: readonly string[];
  onProgress?: (message: string) => void;
}

/** Checks every result of the job against the studio's own variant, then stores them all and measures each. */
export function importDistilledVariants(db: Database, base: BaseModel, dir: string, o: ImportOptions): ImportedVariant[] {
  const job = readDistillJob(dir);
  const jobFile = join(dir, jobFiles.job);
  if (job.model !== base.model || job.dataset !== base.dataset) throw new VariantImportError(jobFile, `is for ${job.model}/${job.dataset}, not ${base.model}/${base.dataset}`);
  if (job.weightsId !== base.weightsId) throw new VariantImportError(jobFile, `was made from base weights ${job.weightsId}; the studio's ${base.model}/${base.dataset} now has ${base.weightsId}: export the job again`);
  const chosen = job.variants.filter((v) => (o.only === undefined ? existsSync(join(dir, jobFiles.trained(v.id))) : o.only.includes(v.id)));
  const unknown = (o.only ?? []).filter((id) => !job.variants.some((v) => v.id === id));
  if (unknown.length > 0) throw new VariantImportError(jobFile, `has no variant ${unknown.join(', ')} (it has ${job.variants.map((v) => v.id).join(', ')})`);
  if (chosen.length === 0) throw new VariantImportError(dir, 'holds no trained variant (<id>.trained.etw): run recipes/pytorch/distill_variants.py on it first');
  const checked = chosen.map((jv) => checkResult(base, dir, jv));
  const before = pooledAccuracy(db, base, [], o.val);
  const out: ImportedVariant[] = [];
  for (const { jv, variant, weights, trainer, maccBefore, maccAfter, description } of checked) {
    const key = recipeVariantKey(base, jv.technique, jv.layerIndex, jv.params);
    const record = {
      trainer: 'recipe', ...trainer, maccBefore, maccAfter, description,
      images: Number(trainer.images ?? 0), epochs: Number(trainer.epochs ?? 0), steps: Number(trainer.steps ?? 0),
      lossBefore: Number(trainer.lossBefore ?? Number.NaN), lossAfter: Number(trainer.lossAfter ?? Number.NaN), keptInitial: trainer.keptInitial === true, ms: 1000 * Number(trainer.seconds ?? 0),
    };
    saveVariant(db, {
      key, model: base.model, dataset: base.dataset, weightsId: base.weightsId, technique: jv.technique, layerIndex: jv.layerIndex,
      params: sortedParams(jv.params), info: variant.info, weights: encodeWeightSet(jv.id, weights, 'float32'), record,
    });
    o.onProgress?.(`${jv.id}: stored; accuracy on ${o.val.count} validation images`);
    const catalog: CatalogVariant = { key, info: variant.info, weights, record: record as unknown as CatalogVariant['record'], cached: true };
    const after = pooledAccuracy(db, base, [catalog], o.val);
    out.push({ id: jv.id, key, technique: jv.technique, layerIndex: jv.layerIndex, maccBefore, maccAfter, trainer, accuracyBefore: before.accuracy, accuracyAfter: after.accuracy, images: after.images });
  }
  return out;
}

interface CheckedResult {
  jv: DistillJobVariant;
  variant: PluggableVariant;
  weights: WeightSet;
  trainer: Record<string, unknown>;
  maccBefore: number;
  maccAfter: number;
  description: string;
}

/** The trained arrays must be exactly the variant's own: same layers, same names, same lengths, finite. */
function checkResult(base: BaseModel, dir: string, jv: DistillJobVariant): CheckedResult {
  const file = join(dir, jobFiles.trained(jv.id));
  if (!existsSync(file)) throw new VariantImportError(file, `no such file: the recipe has not trained ${jv.id} yet`);
  const { variant, result } = buildVariant(base, jv.technique, jv.layerIndex, jv.params);
  if (JSON.stringify(variant.info) !== JSON.stringify(jv.info)) throw new VariantImportError(join(dir, jobFiles.job), `variant ${jv.id} no longer matches what the studio builds for ${jv.technique} on layer ${jv.layerIndex}: export the job again`);
  let weights: WeightSet;
  try {
    weights = decodeWeightSet(readFileSync(file), file).weights;
  } catch (e) {
    throw new VariantImportError(file, e instanceof Error ? e.message : String(e));
  }
  for (const [layer, want] of variant.weights) {
    const got = weights.get(layer);
    if (got === undefined) throw new VariantImportError(file, `has no weights for layer ${layer}`);
    for (const name of Object.keys(want) as WeightName[]) {
      const a = got[name];
      const b = want[name] as Float32Array;
      if (a === undefined) throw new VariantImportError(file, `layer ${layer} has no ${name}`);
      if (a.length !== b.length) throw new VariantImportError(file, `layer ${layer} ${name} has ${a.length} values, the variant needs ${b.length}`);
      if (!a.every(Number.isFinite)) throw new VariantImportError(file, `layer ${layer} ${name} holds values that are not finite numbers`);
    }
  }
  const extra = [...weights.keys()].filter((l) => !variant.weights.has(l));
  if (extra.length > 0) throw new VariantImportError(file, `has layers the variant does not have: ${extra.join(', ')}`);
  const recordFile = join(dir, jobFiles.record(jv.id));
  let trainer: Record<string, unknown> = {};
  if (existsSync(recordFile)) {
    try {
      trainer = JSON.parse(readFileSync(recordFile, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new VariantImportError(recordFile, `not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return { jv, variant, weights, trainer, maccBefore: result.maccBefore, maccAfter: result.maccAfter, description: result.description };
}
