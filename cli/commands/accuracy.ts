/** edgetree accuracy --model NAME --dataset D [--composition FILE] [--split val|test] [--images N] [--distill-images N --distill-epochs E] */
import { readFileSync } from 'node:fs';
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { compositionAccuracy, parseComposition } from '../../accuracy/composition-accuracy.ts';
import type { CompositionItem } from '../../accuracy/composition-accuracy.ts';
import { ACCURACY_OPTIONS, accuracyArgs, countOption, openAccuracyWork, refusal } from './accuracy-options.ts';

export const ACCURACY_HELP = `Usage:
  edgetree accuracy --model vgg11|alexnet --dataset fashion-mnist|cifar10 [--composition FILE]
                    [--split val|test] [--images N] [--distill-images N --distill-epochs E] [--data DIR] [--json]

Top-1 accuracy of the trained base model, or of base + the compressed blocks a
composition file names, on the first N images of a split (default: the whole test
split), through the memory pool: the second identical call is read back and says
cached: true. FILE is JSON:
  { "variants": ["C1@conv2", "W1@conv3"] }            (TECHNIQUE@LAYER-ID)
  { "variants": [{ "technique": "C1", "layer": "conv2" }] }   (layer: id or position)
Blocks not distilled yet are distilled first (with --distill-images/--distill-epochs,
the same figures edgetree compress used to find its stored block).
`;

export async function runAccuracy(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommand('accuracy', args, { ...ACCURACY_OPTIONS, composition: { type: 'string' }, split: { type: 'string' }, images: { type: 'string' } });
  if (parsed.values.help) {
    if (ctx.json) printJson(ctx, { help: ACCURACY_HELP });
    else ctx.out(ACCURACY_HELP);
    return 0;
  }
  const a = accuracyArgs('accuracy', parsed);
  const split = stringOption(parsed, 'split') ?? 'test';
  if (split !== 'val' && split !== 'test') throw new UsageError(`edgetree accuracy: --split must be val or test, got "${split}"`);
  const images = countOption('accuracy', parsed, 'images');
  const file = stringOption(parsed, 'composition');
  try {
    let items: CompositionItem[] = [];
    if (file !== undefined) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(`edgetree accuracy: cannot read --composition ${file}: ${(e as Error).message}`);
      }
      items = parseComposition(text, file);
    }
    const work = await openAccuracyWork(a, ctx);
    const data = await work.split(split, images ?? Number.MAX_SAFE_INTEGER);
    ctx.err(`accuracy of ${items.length === 0 ? 'the base model' : `${items.length} block(s)`} on ${data.count} ${split} images\n`);
    const r = await compositionAccuracy(ctx.services().db, work.base, items, { data, train: work.train, distillImages: a.distillImages, distillEpochs: a.distillEpochs });
    if (ctx.json) printJson(ctx, { accuracy: r.accuracy, images: r.images, cached: r.cached, correct: r.correct, split, variants: r.variants });
    else ctx.out(`${(100 * r.accuracy).toFixed(2)}% (${r.correct} of ${r.images} ${split} images)${r.cached ? ', from the memory pool' : ''}; ${r.variants.length === 0 ? 'base model' : r.variants.join(' ')}\n`);
    return 0;
  } catch (e) {
    const code = refusal(ctx, e);
    if (code === null) throw e;
    return code;
  }
}
