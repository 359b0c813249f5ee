/**
 * edgetree variants export|import: compressed blocks trained by recipes/pytorch/distill_variants.py
 * instead of the studio's own (slow on two CPU cores) distillation; see accuracy/variant-exchange.ts.
 */
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { onePositional, parseCommand, requiredString } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { formatTable } from '../format-table.ts';
import { isTechniqueId } from '../../dnn/compress/registry.ts';
import { TECHNIQUE_IDS } from '../../dnn/compress/technique.ts';
import type { TechniqueId } from '../../dnn/compress/technique.ts';
import { exportDistillJob, importDistilledVariants, VariantImportError } from '../../accuracy/variant-exchange.ts';
import { ACCURACY_OPTIONS, accuracyArgs, countOption, openAccuracyWork, refusal } from './accuracy-options.ts';
import { DEFAULT_COMPRESS_VAL_IMAGES } from './compress.ts';
import { loadDataset } from '../../datasets/load-dataset.ts';
import { loadBaseModel } from '../../accuracy/trained-models.ts';

export const VARIANTS_HELP = `Usage:
  edgetree variants export --model vgg11|alexnet --dataset D --technique T [--technique T ...]
                           [--layer INDEX|ID ...] --out DIR [--data DIR] [--json]
  edgetree variants import DIR --model vgg11|alexnet --dataset D [--only ID ...] [--val-images N] [--json]

export writes a distillation job for recipes/pytorch/distill_variants.py: for every
layer each technique fits (or the --layer ones), the block as the studio builds it,
the base model and the train split (never the validation images).
  python3 recipes/pytorch/distill_variants.py DIR --epochs 3
trains each block inside the frozen base model on the whole train split.
import checks every trained block against the one the studio builds, stores it
(a search uses them with --variants recipe) and measures the accuracy of the base
model and of the base with each block on the first N validation images
(default ${DEFAULT_COMPRESS_VAL_IMAGES}).
`;

export async function runVariants(args: string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h') {
    if (ctx.json) printJson(ctx, { help: VARIANTS_HELP });
    else (command === undefined ? ctx.err : ctx.out)(VARIANTS_HELP);
    return command === undefined ? 2 : 0;
  }
  const name = `variants ${command}`;
  if (command !== 'export' && command !== 'import') throw new UsageError(`edgetree variants: unknown command "${command}" (export or import)`);
  const parsed = parseCommand(name, rest, {
    ...ACCURACY_OPTIONS, technique: { type: 'string', multiple: true }, layer: { type: 'string', multiple: true }, out: { type: 'string' },
    only: { type: 'string', multiple: true }, 'val-images': { type: 'string' },
  });
  if (parsed.values.help) {
    if (ctx.json) printJson(ctx, { help: VARIANTS_HELP });
    else ctx.out(VARIANTS_HELP);
    return 0;
  }
  const positionals = parsed.positionals;
  const dir = command === 'import' ? onePositional(name, parsed, 'job folder DIR') : requiredString(name, parsed, 'out');
  const a = accuracyArgs(name, { ...parsed, positionals: [] });
  try {
    if (command === 'export') {
      // Export only reads the base model and the train split: no engine to start.
      const base = loadBaseModel(a.model, a.dataset);
      if (positionals.length > 0) throw new UsageError(`edgetree ${name}: takes no arguments (see edgetree ${name} --help)`);
      const techniques = ((parsed.values.technique as string[] | undefined) ?? []).map((t): TechniqueId => {
        if (!isTechniqueId(t)) throw new UsageError(`edgetree ${name}: --technique must be one of ${TECHNIQUE_IDS.join(', ')}, got "${t}"`);
        return t;
      });
      if (techniques.length === 0) throw new UsageError(`edgetree ${name}: --technique is required (see edgetree ${name} --help)`);
      const layerRefs = (parsed.values.layer as string[] | undefined) ?? [];
      const layers = layerRefs.length === 0 ? undefined : layerRefs.map((l) => {
        const ref = /^\d+$/.test(l) ? Number(l) : l;
        const index = typeof ref === 'number' ? ref : base.spec.layers.findIndex((x) => x.id === ref);
        if (index < 0 || index >= base.spec.layers.length) throw new UsageError(`edgetree ${name}: ${a.model} has no layer "${l}"`);
        return index;
      });
      ctx.err('loading the train split\n');
      const train = await loadDataset(a.dataset, 'train', { dataDir: a.dataDir });
      const job = exportDistillJob(base, { techniques, layers, train, dir });
      const summary = { dir, model: job.model, dataset: job.dataset, weightsId: job.weightsId, trainImages: job.train.count, variants: job.variants.map((v) => v.id) };
      if (ctx.json) printJson(ctx, summary);
      else ctx.out(`${dir}: ${job.variants.length} variants of ${job.model}/${job.dataset} (${job.variants.map((v) => v.id).join(', ')}), ${job.train.count} training images\nnext: python3 recipes/pytorch/distill_variants.py ${dir}\n`);
      return 0;
    }
    const work = await openAccuracyWork(a, ctx);
    const valImages = countOption(name, parsed, 'val-images') ?? DEFAULT_COMPRESS_VAL_IMAGES;
    const val = await work.split('val', valImages);
    const only = parsed.values.only as string[] | undefined;
    const imported = importDistilledVariants(ctx.services().db, work.base, dir, { val, only, onProgress: (m) => ctx.err(`${m}\n`) });
    if (ctx.json) printJson(ctx, { dir, variants: imported });
    else {
      const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
      ctx.out(formatTable(['variant', 'MACC saved', 'accuracy', 'base', 'points lost', 'epochs', 'trained s'], imported.map((v) => [
        v.id, pct(1 - v.maccAfter / v.maccBefore), pct(v.accuracyAfter), pct(v.accuracyBefore), (100 * (v.accuracyBefore - v.accuracyAfter)).toFixed(2),
        String(v.trainer.epochs ?? ''), typeof v.trainer.seconds === 'number' ? v.trainer.seconds.toFixed(0) : '',
      ])));
      ctx.out(`accuracy on ${imported[0].images} validation images; search with them: edgetree search ... --variants recipe\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof VariantImportError) {
      if (ctx.json) printJson(ctx, { error: { name: e.name, message: e.message } });
      else ctx.err(`edgetree: ${e.message}\n`);
      return 2;
    }
    const code = refusal(ctx, e);
    if (code === null) throw e;
    return code;
  }
}
