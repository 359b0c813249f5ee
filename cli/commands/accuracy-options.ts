/**
 * What `edgetree compress` and `edgetree accuracy` share: the trained model and data
 * set options, the engine, the data splits they read, and refusals that exit 2 with
 * their own error name (a technique that does not fit, no trained model, a bad file).
 */
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { numberOption, requiredString, stringOption } from '../parse-command.ts';
import type { ParsedCommand } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { DATASETS, isDatasetName } from '../../dnn/models/datasets.ts';
import type { DatasetName } from '../../dnn/models/datasets.ts';
import { SEARCH_MODELS } from '../../api/search-api.ts';
import { CompressionError } from '../../dnn/compress/compression-error.ts';
import { BaseModelMissingError, loadBaseModel } from '../../accuracy/trained-models.ts';
import type { BaseModel, TrainedModelName } from '../../accuracy/trained-models.ts';
import { CompositionFileError } from '../../accuracy/composition-accuracy.ts';
import { initTfjsBackend } from '../../engine/tfjs-backend.ts';
import { requireTrainingBackend } from '../../engine/training-backend.ts';
import { loadDataset } from '../../datasets/load-dataset.ts';
import type { ImageDataset } from '../../dnn/data/image-dataset.ts';
import type { DatasetSplit } from '../../dnn/data/image-dataset.ts';
import { DISTILL_DEFAULTS } from '../../accuracy/distill-variant.ts';

export const ACCURACY_OPTIONS = {
  model: { type: 'string' }, dataset: { type: 'string' }, data: { type: 'string' },
  'distill-images': { type: 'string' }, 'distill-epochs': { type: 'string' },
} as const;

export interface AccuracyArgs {
  model: TrainedModelName;
  dataset: DatasetName;
  dataDir: string | undefined;
  distillImages: number | undefined;
  distillEpochs: number | undefined;
}

export function accuracyArgs(command: string, parsed: ParsedCommand): AccuracyArgs {
  if (parsed.positionals.length > 0) throw new UsageError(`edgetree ${command}: takes no arguments (see edgetree ${command} --help)`);
  const model = requiredString(command, parsed, 'model');
  if (!(SEARCH_MODELS as readonly string[]).includes(model)) throw new UsageError(`edgetree ${command}: --model must be one of ${SEARCH_MODELS.join(', ')} (the models with trained weights), got "${model}"`);
  const dataset = requiredString(command, parsed, 'dataset');
  if (!isDatasetName(dataset)) throw new UsageError(`edgetree ${command}: --dataset must be one of ${DATASETS.join(', ')}, got "${dataset}"`);
  return {
    model: model as TrainedModelName, dataset, dataDir: stringOption(parsed, 'data'),
    distillImages: countOption(command, parsed, 'distill-images'), distillEpochs: countOption(command, parsed, 'distill-epochs'),
  };
}

/** A whole number >= 1, or undefined when not given. */
export function countOption(command: string, parsed: ParsedCommand, name: string): number | undefined {
  const v = stringOption(parsed, name);
  if (v === undefined) return undefined;
  const n = numberOption(command, name, v, 'integer');
  if (n < 1) throw new UsageError(`edgetree ${command}: --${name} must be at least 1, got "${v}"`);
  return n;
}

/** The base model, the engine (WASM; distillation's kernels registered) and a loader of the training images. */
export async function openAccuracyWork(a: AccuracyArgs, ctx: CliContext): Promise<{ base: BaseModel; train: () => Promise<ImageDataset>; split: (s: DatasetSplit, n: number) => Promise<ImageDataset> }> {
  const base = loadBaseModel(a.model, a.dataset);
  const info = await initTfjsBackend();
  await requireTrainingBackend();
  ctx.err(`${a.model}/${a.dataset} (width ${base.record.width}) on TF.js ${info.description}\n`);
  return {
    base,
    train: () => {
      ctx.err('loading training images for distillation\n');
      return loadDataset(a.dataset, 'train', { dataDir: a.dataDir, limit: a.distillImages ?? DISTILL_DEFAULTS.images });
    },
    split: (s, n) => loadDataset(a.dataset, s, { dataDir: a.dataDir, limit: n }),
  };
}

/** Refusals a user fixes by changing the command: printed like any error, exit 2. */
export function refusal(ctx: CliContext, e: unknown): number | null {
  if (!(e instanceof CompressionError || e instanceof BaseModelMissingError || e instanceof CompositionFileError)) return null;
  if (ctx.json) printJson(ctx, { error: { name: e.name, message: e.message } });
  else ctx.err(`edgetree: ${e.message}\n`);
  return 2;
}
