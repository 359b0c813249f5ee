/** edgetree estimate --profile ID [--cloud-profile ID] --model NAME [--dataset D] --cut C --bandwidth MBPS */
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, requiredString, stringOption, numberOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { isDatasetName, DATASETS } from '../../dnn/models/datasets.ts';
import type { EstimateRequest } from '../../api/studio-api.ts';

export const ESTIMATE_HELP = `Usage:
  edgetree estimate --profile ID [--cloud-profile ID] --model NAME [--dataset cifar10|fashion-mnist]
                    --cut C --bandwidth MBPS [--json]

Estimates T = T_e + T_t + T_c (paper Eq. 3) when the first C layers run on the
device of profile ID, the tensor after layer C crosses a link of MBPS Mbit/s
(T_t = f(S|W) + S/W, Eq. 6) and the rest runs on the cloud profile (none: 0 ms).
--cut 0 sends the input; --cut L (the layer count) runs everything on the device.
`;

export async function runEstimate(args: string[], ctx: CliContext): Promise<number> {
  if (args[0] === 'help') return help(ctx, 0);
  const parsed = parseCommand('estimate', args, {
    profile: { type: 'string' }, 'cloud-profile': { type: 'string' }, model: { type: 'string' },
    dataset: { type: 'string' }, cut: { type: 'string' }, bandwidth: { type: 'string' },
  });
  if (parsed.values.help) return help(ctx, 0);
  if (parsed.positionals.length > 0) throw new UsageError(`edgetree estimate: unexpected argument "${parsed.positionals[0]}" (see edgetree estimate --help)`);
  const dataset = stringOption(parsed, 'dataset') ?? 'cifar10';
  if (!isDatasetName(dataset)) throw new UsageError(`edgetree estimate: --dataset must be one of ${DATASETS.join(', ')}, got "${dataset}"`);
  const req: EstimateRequest = {
    profileId: requiredString('estimate', parsed, 'profile'),
    model: requiredString('estimate', parsed, 'model'),
    dataset,
    cut: numberOption('estimate', 'cut', requiredString('estimate', parsed, 'cut'), 'integer'),
    bandwidthMbps: numberOption('estimate', 'bandwidth', requiredString('estimate', parsed, 'bandwidth'), 'positive'),
  };
  const cloud = stringOption(parsed, 'cloud-profile');
  if (cloud !== undefined) req.cloudProfileId = cloud;
  const result = await ctx.services().estimate(req);
  if (ctx.json) printJson(ctx, result);
  else {
    const ms = (v: number): string => `${v.toFixed(3)} ms`;
    ctx.out(`${req.model} on ${dataset}, cut after layer ${req.cut}, ${req.bandwidthMbps} Mbit/s\n` +
      `  edge     T_e = ${ms(result.edgeMs)}\n  transfer T_t = ${ms(result.transferMs)}\n` +
      `  cloud    T_c = ${ms(result.cloudMs)}\n  total    T   = ${ms(result.totalMs)}\n`);
  }
  return 0;
}

function help(ctx: CliContext, code: number): number {
  if (ctx.json) printJson(ctx, { help: ESTIMATE_HELP });
  else ctx.out(ESTIMATE_HELP);
  return code;
}
