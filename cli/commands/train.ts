/** edgetree train --model vgg11|alexnet --dataset fashion-mnist|cifar10 [--data DIR] [--width W] [--epochs E] ... */
import { join } from 'node:path';
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { isDatasetName, DATASETS } from '../../dnn/models/datasets.ts';
import { builtinModel } from '../../dnn/models/builtin.ts';
import { resolveHome } from '../../profiles/home.ts';
import { loadDataset } from '../../datasets/load-dataset.ts';
import { requireTrainingBackend } from '../../engine/training-backend.ts';
import { initTfjsBackend } from '../../engine/tfjs-backend.ts';
import { trainBaseModel } from '../../accuracy/train-base.ts';
import { evaluateAccuracy } from '../../accuracy/evaluate.ts';
import { saveBaseModel, trainedModelsDir } from '../../accuracy/trained-models.ts';
import type { TrainedModelName } from '../../accuracy/trained-models.ts';
import { importBaseWeights } from '../../accuracy/import-base-weights.ts';

export const TRAIN_HELP = `Usage:
  edgetree train --model vgg11|alexnet --dataset fashion-mnist|cifar10 [--data DIR]
                 [--width W (default 0.5)] [--epochs E (default 10)] [--batch B (default 64)]
                 [--lr LR (default 0.001)] [--train-images N] [--test-images N] [--out DIR] [--json]
  edgetree models import-weights FILE.onnx --model vgg11|alexnet --dataset D --width W [--record FILE.json]

train trains the base model in TensorFlow.js on this computer (tfjs-node when installed,
else WASM: on 2 cores an epoch of vgg11 at width 0.5 takes about an hour; the shipped
weights were trained with recipes/pytorch), with progress on stderr and a checkpoint in
$EDGETREE_HOME/checkpoints every 50 steps and each epoch: run the same command again to
resume. The result is measured on the whole test split and stored as the base model in
--out (default: the studio's trained-models folder; set EDGETREE_TRAINED_DIR to keep it apart).
`;

const MODELS: readonly TrainedModelName[] = ['vgg11', 'alexnet'];

export async function runTrain(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommand('train', args, {
    model: { type: 'string' }, dataset: { type: 'string' }, data: { type: 'string' }, width: { type: 'string' }, epochs: { type: 'string' },
    batch: { type: 'string' }, lr: { type: 'string' }, 'train-images': { type: 'string' }, 'test-images': { type: 'string' }, out: { type: 'string' },
  });
  if (parsed.values.help) return help(ctx, 0);
  const model = stringOption(parsed, 'model');
  const dataset = stringOption(parsed, 'dataset');
  if (model === undefined || !(MODELS as readonly string[]).includes(model)) throw new UsageError(`edgetree train: --model must be one of ${MODELS.join(', ')}, got "${model ?? ''}"`);
  if (!isDatasetName(dataset)) throw new UsageError(`edgetree train: --dataset must be one of ${DATASETS.join(', ')}, got "${dataset ?? ''}"`);
  const number = (name: string, fallback: number, integer: boolean): number => {
    const text = stringOption(parsed, name);
    if (text === undefined) return fallback;
    const v = Number(text);
    if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) throw new UsageError(`edgetree train: --${name} must be a positive ${integer ? 'integer' : 'number'}, got "${text}"`);
    return v;
  };
  const width = number('width', 0.5, false);
  const epochs = number('epochs', 10, true);
  const batch = number('batch', 64, true);
  const learningRate = number('lr', 0.001, false);
  const trainImages = stringOption(parsed, 'train-images') === undefined ? undefined : number('train-images', 1, true);
  const testImages = stringOption(parsed, 'test-images') === undefined ? undefined : number('test-images', 1, true);
  const dataDir = stringOption(parsed, 'data');
  const out = stringOption(parsed, 'out') ?? trainedModelsDir();
  await initTfjsBackend();
  const backend = await requireTrainingBackend();
  ctx.err(`edgetree train: ${model} (width ${width}) on ${dataset}, ${epochs} epochs, backend ${backend.description}\n`);
  const spec = builtinModel(model as TrainedModelName, dataset, { width });
  const train = await loadDataset(dataset, 'train', { dataDir, limit: trainImages });
  const val = await loadDataset(dataset, 'val', { dataDir, limit: 1000 });
  const checkpoint = join(resolveHome(process.env), 'checkpoints', `${model}-${dataset}-w${width}${trainImages === undefined ? '' : `-n${trainImages}`}.ckpt`);
  const result = await trainBaseModel({
    spec, train, val, epochs, batch, learningRate, checkpoint, checkpointEvery: 50,
    onProgress: (p) => {
      if (p.resumed === true) ctx.err(`resuming from ${checkpoint}: epoch ${p.epoch + 1}, step ${p.step}\n`);
      else if (p.valAccuracy !== undefined) ctx.err(`epoch ${p.epoch}/${p.epochs}: loss ${p.loss.toFixed(4)}, validation accuracy ${(p.valAccuracy * 100).toFixed(2)}%\n`);
      else if (p.step % 20 === 0) ctx.err(`epoch ${p.epoch + 1}/${p.epochs} step ${p.step}/${p.stepsPerEpoch}: loss ${p.loss.toFixed(4)}\n`);
    },
  });
  const test = await loadDataset(dataset, 'test', { dataDir, limit: testImages });
  const measured = evaluateAccuracy(spec, result.weights, test);
  const record = { model: model as TrainedModelName, dataset, width, source: 'edgetree-train', epochs, batch, learningRate, backend: backend.description, history: result.history, testAccuracy: measured.accuracy, testImages: measured.images, trainImages: train.count };
  const file = saveBaseModel(model as TrainedModelName, dataset, result.weights, record, out);
  const summary = { model, dataset, width, epochs, testAccuracy: measured.accuracy, testImages: measured.images, file, checkpoint, resumedFrom: result.resumedFrom ?? null };
  if (ctx.json) printJson(ctx, summary);
  else ctx.out(`trained ${model} on ${dataset}: ${(measured.accuracy * 100).toFixed(2)}% on ${measured.images} test images, stored in ${file}\n`);
  return 0;
}

/** edgetree models import-weights FILE.onnx --model M --dataset D --width W [--record FILE.json] */
export async function runImportWeights(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommand('models import-weights', args, { model: { type: 'string' }, dataset: { type: 'string' }, width: { type: 'string' }, record: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, 'test-images': { type: 'string' } });
  if (parsed.values.help) return help(ctx, 0);
  const [file] = parsed.positionals;
  const model = stringOption(parsed, 'model');
  const dataset = stringOption(parsed, 'dataset');
  const width = Number(stringOption(parsed, 'width') ?? '1');
  if (file === undefined) throw new UsageError('edgetree models import-weights: give the ONNX FILE');
  if (model === undefined || !(MODELS as readonly string[]).includes(model)) throw new UsageError(`edgetree models import-weights: --model must be one of ${MODELS.join(', ')}`);
  if (!isDatasetName(dataset)) throw new UsageError(`edgetree models import-weights: --dataset must be one of ${DATASETS.join(', ')}`);
  if (!(width > 0)) throw new UsageError('edgetree models import-weights: --width must be a positive number');
  await initTfjsBackend();
  const r = await importBaseWeights({
    onnxFile: file, model: model as TrainedModelName, dataset, width, recordFile: stringOption(parsed, 'record'), dataDir: stringOption(parsed, 'data'), dir: stringOption(parsed, 'out'),
    testImages: stringOption(parsed, 'test-images') === undefined ? undefined : Number(stringOption(parsed, 'test-images')),
    onProgress: (done, total) => { if (done % 2000 === 0 || done === total) ctx.err(`measuring on the test split: ${done}/${total}\n`); },
  });
  if (ctx.json) printJson(ctx, r);
  else ctx.out(`imported ${model} (width ${width}) for ${dataset}: ${((r.testAccuracy ?? 0) * 100).toFixed(2)}% on ${r.testImages} test images (the trainer said ${r.trainerTestAccuracy === undefined ? 'nothing' : `${(r.trainerTestAccuracy * 100).toFixed(2)}%`}), stored in ${r.file}\n`);
  return 0;
}

function help(ctx: CliContext, code: number): number {
  if (ctx.json) printJson(ctx, { help: TRAIN_HELP });
  else ctx.out(TRAIN_HELP);
  return code;
}
