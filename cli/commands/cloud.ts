/** edgetree cloud serve --model M --dataset D [--weights FILE] [--host H] [--port P] [--token T] [limits] */
import { randomBytes } from 'node:crypto';
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { numberOption, parseCommand, requiredString, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { BUILTIN_MODEL_NAMES, isBuiltinModelName } from '../../dnn/models/builtin.ts';
import { DATASETS, isDatasetName } from '../../dnn/models/datasets.ts';
import { adoptWeights } from '../../dnn/models/adopt-weights.ts';
import { loadBaseWeights } from '../../cloud/base-weights.ts';
import type { BaseWeights } from '../../cloud/base-weights.ts';
import { readWeightSetFile } from '../../cloud/weight-set-file.ts';
import { startCloudServer } from '../../cloud/cloud-server.ts';

export const CLOUD_HELP = `Usage:
  edgetree cloud serve --model vgg11|alexnet|resnet18 --dataset cifar10|fashion-mnist
                       [--weights FILE] [--host H] [--port P] [--token T]
                       [--max-concurrent N] [--max-queue N] [--max-body-mb N] [--json]

serve runs the cloud offload server: devices POST the features crossing their cut
to /v1/infer and get the model's output back (protocol: cloud/README.md). The model
key requests name is MODEL/DATASET, e.g. vgg11/fashion-mnist. Without --weights the
base model is the shipped trained one (trained-models/: its width and weights, the
same the devices' bundles are cut from); where none is shipped (resnet18), seeded
random weights, and a warning says so. A --weights file must fit that spec. Without --token a random token is made and printed.
--host defaults to 127.0.0.1 (use 0.0.0.0 to serve other machines), --port to 8470
(0: any free port). It prints the URL, token and backend (with --json as one JSON
document) and serves until interrupted (Ctrl-C, SIGTERM).
`;

export async function runCloud(args: string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h') return help(ctx, command === undefined ? 2 : 0);
  if (command !== 'serve') throw new UsageError(`edgetree cloud: unknown command "${command}" (see edgetree cloud --help)`);
  const name = 'cloud serve';
  const parsed = parseCommand(name, rest, {
    model: { type: 'string' }, dataset: { type: 'string' }, weights: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' },
    token: { type: 'string' }, 'max-concurrent': { type: 'string' }, 'max-queue': { type: 'string' }, 'max-body-mb': { type: 'string' },
  });
  if (parsed.values.help) return help(ctx, 0);
  if (parsed.positionals.length > 0) throw new UsageError(`edgetree ${name}: takes no positional arguments`);
  const model = requiredString(name, parsed, 'model');
  if (!isBuiltinModelName(model)) throw new UsageError(`edgetree ${name}: --model must be one of ${BUILTIN_MODEL_NAMES.join(', ')}, got "${model}"`);
  const dataset = requiredString(name, parsed, 'dataset');
  if (!isDatasetName(dataset)) throw new UsageError(`edgetree ${name}: --dataset must be one of ${DATASETS.join(', ')}, got "${dataset}"`);
  const int = (option: string, fallback: number): number => {
    const text = stringOption(parsed, option);
    return text === undefined ? fallback : numberOption(name, option, text, 'integer');
  };
  const port = int('port', 8470);
  if (port > 65535) throw new UsageError(`edgetree ${name}: --port must be 0 to 65535, got ${port}`);
  const token = stringOption(parsed, 'token') ?? randomBytes(24).toString('base64url');
  if (!/^[\x21-\x7e]+$/.test(token)) throw new UsageError(`edgetree ${name}: --token must be printable ASCII without spaces`);

  const shipped = loadBaseWeights(model, dataset);
  const spec = shipped.spec;
  const file = stringOption(parsed, 'weights');
  // A weights file must fit the spec the devices' bundles are cut from (the shipped width).
  const base: BaseWeights = file === undefined
    ? shipped
    : { spec, weights: adoptWeights({ spec, weights: readWeightSetFile(file, spec.name) }, file, spec, `${model}/${dataset} as served (${shipped.source})`), trained: true, source: file };
  if (base.warning && !ctx.json) ctx.err(`warning: ${base.warning}\n`);
  const key = `${model}/${dataset}`;
  const server = await startCloudServer({
    models: new Map([[key, { spec, weights: base.weights }]]),
    token,
    host: stringOption(parsed, 'host') ?? '127.0.0.1',
    port,
    maxConcurrent: int('max-concurrent', 2),
    maxQueue: int('max-queue', 8),
    maxBodyBytes: int('max-body-mb', 16) * 1024 * 1024,
  });
  const summary = {
    url: server.url, port: server.port, token, backend: server.backend.description, models: [key],
    weights: { source: base.source, trained: base.trained, ...(base.warning && { warning: base.warning }) },
  };
  if (ctx.json) printJson(ctx, summary);
  else ctx.out(`cloud server for ${key} at ${server.url} (POST /v1/infer)\nbackend: ${summary.backend}\nweights: ${base.source}\ntoken: ${token}\nCtrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  if (!ctx.json) ctx.out(`stopped after ${server.stats().served} inferences\n`);
  return 0;
}

function help(ctx: CliContext, code: number): number {
  if (ctx.json) printJson(ctx, { help: CLOUD_HELP });
  else ctx.out(CLOUD_HELP);
  return code;
}
