/** edgetree datasets show fashion-mnist|cifar10|DIR [--data DIR] */
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, onePositional, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { formatTable } from '../format-table.ts';
import { describeDataset } from '../../datasets/describe-dataset.ts';

export const DATASETS_HELP = `Usage:
  edgetree datasets show fashion-mnist|cifar10|DIR [--data DIR] [--json]

show prints, per split (train, val, test), the image count, and the classes and image
size, without decoding the images. fashion-mnist is read from Debian's
dataset-fashion-mnist package (/usr/share/datasets/fashion-mnist), cifar10 from
../shared/data/cifar10 beside the checkout; --data DIR reads either from DIR instead
(for cifar10: train/<class>/*.jpg and test/<class>/*.jpg, or the binary release's
data_batch_1..5.bin and test_batch.bin). Any other DIR is an image folder:
DIR/train/<class>/ and DIR/test/<class>/, or DIR/<class>/ alone (no test split).
val is 5,000 images of the official training set (a tenth when that is fewer),
chosen by a fixed seed; train is the rest.
`;

export async function runDatasets(args: string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = args;
  const name = `datasets ${command ?? ''}`.trim();
  if (command === undefined || command === '--help' || command === '-h') return help(ctx, command === undefined ? 2 : 0);
  if (command === 'show') {
    const parsed = parseCommand(name, rest, { data: { type: 'string' } });
    if (parsed.values.help) return help(ctx, 0);
    const target = onePositional(name, parsed, 'data set (fashion-mnist, cifar10 or a folder)');
    const data = stringOption(parsed, 'data');
    if (data !== undefined && target !== 'fashion-mnist' && target !== 'cifar10') {
      throw new UsageError(`edgetree ${name}: --data applies to fashion-mnist and cifar10; a folder is given as the data set itself`);
    }
    const s = describeDataset(target, data);
    if (ctx.json) {
      printJson(ctx, s);
      return 0;
    }
    const norm = s.mean && s.std ? `mean ${s.mean.join(', ')}, std ${s.std.join(', ')}` : 'mean and std from its training images when loaded';
    ctx.out(
      `${s.name} (${s.format}) from ${s.source}\n` +
      `images ${s.height}x${s.width}x${s.channels}; ${norm}\n` +
      `classes (${s.classes.length}): ${s.classes.join(', ')}\n\n` +
      formatTable(['split', 'images'], s.splits.map((p) => [p.split, p.count])),
    );
    return 0;
  }
  throw new UsageError(`edgetree datasets: unknown command "${command}" (see edgetree datasets --help)`);
}

function help(ctx: CliContext, code: number): number {
  if (ctx.json) printJson(ctx, { help: DATASETS_HELP });
  else ctx.out(DATASETS_HELP);
  return code;
}
