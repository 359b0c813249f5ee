/** edgetree models list | import FILE | show NAME|FILE [--dataset D] */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, onePositional, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { formatTable } from '../format-table.ts';
import { isDatasetName, DATASETS, type DatasetName } from '../../dnn/models/datasets.ts';
import type { ModelDetail } from '../../api/studio-api.ts';
import { runImportWeights } from './train.ts';

export const MODELS_HELP = `Usage:
  edgetree models list [--json]
  edgetree models import FILE [--json]       spec JSON, TF.js model.json or ONNX
  edgetree models show NAME|FILE [--dataset cifar10|fashion-mnist] [--json]
  edgetree models import-weights FILE.onnx --model vgg11|alexnet --dataset D --width W [--record FILE.json] [--json]

show prints each layer (type, kernel, stride, padding, output channels, MACC,
bytes of its float32 output) and the totals. NAME is a built-in or imported model;
a FILE is read and analysed without being stored. --dataset defaults to cifar10.
`;

export async function runModels(args: string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = args;
  const name = `models ${command ?? ''}`.trim();
  if (command === undefined || command === '--help' || command === '-h') return help(ctx, command === undefined ? 2 : 0);
  if (command === 'list') {
    const parsed = parseCommand(name, rest, {});
    if (parsed.values.help) return help(ctx, 0);
    if (parsed.positionals.length > 0) throw new UsageError(`edgetree ${name}: takes no arguments`);
    const models = await ctx.services().listModels({});
    if (ctx.json) printJson(ctx, models);
    else ctx.out(formatTable(['name', 'source', 'format', 'layers'], models.map((m) => [m.name, m.source, m.format ?? '-', m.layerCount])));
    return 0;
  }
  if (command === 'import') {
    const parsed = parseCommand(name, rest, {});
    if (parsed.values.help) return help(ctx, 0);
    const file = onePositional(name, parsed, 'FILE');
    const bytes = readFileSync(file);
    const summary = await ctx.services().importModel({ fileName: basename(file), contentBase64: bytes.toString('base64') });
    if (ctx.json) printJson(ctx, summary);
    else ctx.out(`imported model "${summary.name}" (${summary.format ?? 'unknown format'}, ${summary.layerCount} layers) from ${file}\n`);
    return 0;
  }
  if (command === 'import-weights') return runImportWeights(rest, ctx);
  if (command === 'show') {
    const parsed = parseCommand(name, rest, { dataset: { type: 'string' } });
    if (parsed.values.help) return help(ctx, 0);
    const target = onePositional(name, parsed, 'model NAME or FILE');
    const datasetText = stringOption(parsed, 'dataset') ?? 'cifar10';
    if (!isDatasetName(datasetText)) throw new UsageError(`edgetree ${name}: --dataset must be one of ${DATASETS.join(', ')}, got "${datasetText}"`);
    const dataset: DatasetName = datasetText;
    const services = ctx.services();
    // A path to an existing file is analysed as a file; anything else is a stored or built-in name.
    const detail = existsSync(target) && (target.includes('/') || /\.(json|onnx)$/i.test(target))
      ? await services.showModelFile({ fileName: basename(target), contentBase64: readFileSync(target).toString('base64'), dataset })
      : await services.showModel({ name: target, dataset });
    if (ctx.json) printJson(ctx, detail);
    else ctx.out(describeModel(detail));
    return 0;
  }
  throw new UsageError(`edgetree models: unknown command "${command}" (see edgetree models --help)`);
}

function help(ctx: CliContext, code: number): number {
  if (ctx.json) printJson(ctx, { help: MODELS_HELP });
  else ctx.out(MODELS_HELP);
  return code;
}

export function describeModel(d: ModelDetail): string {
  const rows = d.layers.map((l) => [
    l.index, l.id, l.type, l.kernel, l.stride, l.padding === null ? null : String(l.padding), l.outChannels,
    l.outputShape.join('x'), l.macc, l.params, l.outputBytes,
  ]);
  rows.push(['', 'total', '', '', '', '', '', '', d.macc, d.params, '']);
  const table = formatTable(['#', 'id', 'type', 'k', 's', 'p', 'n', 'output', 'MACC', 'params', 'out bytes'], rows);
  return `model ${d.name} on ${d.dataset}, input ${d.inputShape.join('x')}: ${d.macc.toLocaleString('en-US')} MACC, ` +
    `${d.params.toLocaleString('en-US')} parameters, ${d.layers.length} layers\n\n${table}`;
}
