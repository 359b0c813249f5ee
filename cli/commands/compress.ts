/** edgetree compress --model NAME --dataset D --layer INDEX|ID --technique T [--param k=v ...] [--val-images N] [--distill-images N --distill-epochs E] */
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, requiredString } from '../parse-command.ts';
import type { ParsedCommand } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { formatTable } from '../format-table.ts';
import { isTechniqueId } from '../../dnn/compress/registry.ts';
import { TECHNIQUE_IDS } from '../../dnn/compress/technique.ts';
import type { LayerRef, TechniqueParams } from '../../dnn/compress/technique.ts';
import { compressLayer } from '../../accuracy/compress-layer.ts';
import type { CompressLayerResult } from '../../accuracy/compress-layer.ts';
import { DISTILL_DEFAULTS } from '../../accuracy/distill-variant.ts';
import { ACCURACY_OPTIONS, accuracyArgs, countOption, openAccuracyWork, refusal } from './accuracy-options.ts';

export const DEFAULT_COMPRESS_VAL_IMAGES = 2000;

export const COMPRESS_HELP = `Usage:
  edgetree compress --model vgg11|alexnet --dataset fashion-mnist|cifar10 --layer INDEX|ID
                    --technique ${TECHNIQUE_IDS.join('|')} [--param NAME=VALUE ...]
                    [--val-images N] [--distill-images N --distill-epochs E] [--data DIR] [--json]

Applies one compression technique (paper Table II) to one layer of the trained base
model, distils the new block once on training images so that it reproduces the base
model's features (stored: the second call reads it back), and measures the accuracy
on the first N validation images before (base) and after (base with this block),
through the memory pool. Prints the block's layers, the whole model's MACCs before
and after, both accuracies, the variant and whether everything was already stored.
  --layer        a position in the layer list (edgetree models show NAME) or a layer id
  --param        technique parameter, e.g. ratio=0.25 (W1), rank=16 (F1); repeatable
  --val-images   validation images (default ${DEFAULT_COMPRESS_VAL_IMAGES})
  --distill-images / --distill-epochs   distillation (default ${DISTILL_DEFAULTS.images} images, ${DISTILL_DEFAULTS.epochs} epochs)
A technique that does not fit the layer, or a model not trained yet, exits 2.
`;

export async function runCompress(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommand('compress', args, {
    ...ACCURACY_OPTIONS, layer: { type: 'string' }, technique: { type: 'string' }, param: { type: 'string', multiple: true }, 'val-images': { type: 'string' },
  });
  if (parsed.values.help) {
    if (ctx.json) printJson(ctx, { help: COMPRESS_HELP });
    else ctx.out(COMPRESS_HELP);
    return 0;
  }
  const a = accuracyArgs('compress', parsed);
  const technique = requiredString('compress', parsed, 'technique');
  if (!isTechniqueId(technique)) throw new UsageError(`edgetree compress: --technique must be one of ${TECHNIQUE_IDS.join(', ')}, got "${technique}"`);
  const layerText = requiredString('compress', parsed, 'layer');
  const layer: LayerRef = /^\d+$/.test(layerText) ? Number(layerText) : layerText;
  const params = parseParams(parsed);
  const valImages = countOption('compress', parsed, 'val-images') ?? DEFAULT_COMPRESS_VAL_IMAGES;
  try {
    const work = await openAccuracyWork(a, ctx);
    const val = await work.split('val', valImages);
    const r = await compressLayer(ctx.services().db, work.base, {
      technique, layer, params, val, train: work.train, distillImages: a.distillImages, distillEpochs: a.distillEpochs,
      onProgress: (m) => ctx.err(`${m}\n`),
    });
    report(ctx, r);
    return 0;
  } catch (e) {
    const code = refusal(ctx, e);
    if (code === null) throw e;
    return code;
  }
}

/** --param k=v: numbers as numbers, true/false as booleans. */
function parseParams(parsed: ParsedCommand): TechniqueParams {
  const out: Record<string, number | boolean> = {};
  for (const p of (parsed.values.param as string[] | undefined) ?? []) {
    const m = /^([A-Za-z][\w-]*)=(.+)$/.exec(p);
    if (m === null) throw new UsageError(`edgetree compress: --param must be NAME=VALUE, got "${p}"`);
    const [, name, text] = m;
    const value = text === 'true' ? true : text === 'false' ? false : Number(text);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new UsageError(`edgetree compress: --param ${name} must be a number, true or false, got "${text}"`);
    if (name in out) throw new UsageError(`edgetree compress: --param ${name} is given twice`);
    out[name] = value;
  }
  return out;
}

function report(ctx: CliContext, r: CompressLayerResult): void {
  if (ctx.json) {
    printJson(ctx, r);
    return;
  }
  const v = r.variant;
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  ctx.out(
    `${v.id}: ${v.description}\n` +
    `MACC ${r.maccBefore.toLocaleString('en-US')} -> ${r.maccAfter.toLocaleString('en-US')} (${pct(1 - r.maccAfter / r.maccBefore)} saved)\n` +
    `accuracy on ${r.images} validation images: ${pct(r.accuracyBefore)} -> ${pct(r.accuracyAfter)}${r.cached ? ' (stored)' : ''}\n` +
    `distilled on ${v.distillation.images} images x ${v.distillation.epochs} epochs: feature loss ${v.distillation.lossBefore.toFixed(4)} -> ${v.distillation.lossAfter.toFixed(4)}\n\n` +
    formatTable(['layer', 'type', 'kernel', 'out channels'], r.spec.map((l) => [l.id, l.type, 'kernel' in l ? String(l.kernel) : '', 'outChannels' in l ? String(l.outChannels) : ''])),
  );
}
