/** edgetree package --search RUN --out DIR [--trace ID] [--configuration tree|branch|surgery] [--cloud-url URL --cloud-token T] [--float32] */
import { resolve } from 'node:path';
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, requiredString, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { PACKAGE_CONFIGURATIONS } from '../../api/deploy-api.ts';
import type { PackageConfiguration } from '../../api/deploy-api.ts';

function isPackageConfiguration(x: string): x is PackageConfiguration {
  return (PACKAGE_CONFIGURATIONS as readonly string[]).includes(x);
}

export const PACKAGE_HELP = `Usage:
  edgetree package --search RUN --out DIR [--trace ID] [--configuration tree|branch|surgery]
                   [--cloud-url URL --cloud-token T] [--float32] [--json]

Packages the model tree of a finished search run (edgetree search ...) into a bundle
folder for edgetree deploy: manifest.json (the tree, each node's layers, placement,
techniques, the bandwidth thresholds that choose a child, the estimated latencies,
accuracy and reward per branch, SHA-256 of every file), the weights of every block that
runs on the device (float16 unless --float32) and the runtime (bundle/README.md).
--trace picks the tree of one of the run's traces (default: the first). --cloud-url and
--cloud-token name the offload server (edgetree cloud serve prints both). DIR must not
exist or be empty. --configuration (default tree) packages instead the run's optimal
branch (a branch run's own, else the tree run's branch for the bandwidth type nearest
the trace's median) or DNN surgery's cut of the unmodified model per bandwidth type, on
the run's blocks and profiles: what edgetree field-test compares the tree with.
`;

export async function runPackage(args: string[], ctx: CliContext): Promise<number> {
  const name = 'package';
  const parsed = parseCommand(name, args, {
    search: { type: 'string' }, out: { type: 'string', short: 'o' }, trace: { type: 'string' }, 'cloud-url': { type: 'string' }, 'cloud-token': { type: 'string' }, float32: { type: 'boolean' }, configuration: { type: 'string' },
  });
  if (parsed.values.help) {
    if (ctx.json) printJson(ctx, { help: PACKAGE_HELP });
    else ctx.out(PACKAGE_HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`edgetree ${name}: takes no positional arguments (see edgetree package --help)`);
  const searchRunId = requiredString(name, parsed, 'search');
  const outDir = resolve(requiredString(name, parsed, 'out'));
  const traceId = stringOption(parsed, 'trace');
  const cloudUrl = stringOption(parsed, 'cloud-url');
  const cloudToken = stringOption(parsed, 'cloud-token');
  if ((cloudUrl === undefined) !== (cloudToken === undefined)) throw new UsageError(`edgetree ${name}: give --cloud-url and --cloud-token together`);
  const configuration = stringOption(parsed, 'configuration');
  if (configuration !== undefined && !isPackageConfiguration(configuration)) throw new UsageError(`edgetree ${name}: --configuration must be one of ${PACKAGE_CONFIGURATIONS.join(', ')}, got "${configuration}"`);
  const r = await ctx.services().packageBundle({
    ...(configuration !== undefined && { configuration }),
    searchRunId, outDir, ...(traceId !== undefined && { traceId }), ...(cloudUrl !== undefined && { cloudUrl, cloudToken }),
    weightsDtype: parsed.values.float32 === true ? 'float32' : 'float16',
  });
  if (ctx.json) {
    printJson(ctx, r);
    return 0;
  }
  for (const w of r.warnings) ctx.err(`warning: ${w}\n`);
  ctx.out(`bundle ${r.dir}\n  ${r.model}/${r.dataset} from search run ${r.searchRunId} (trace ${r.traceId}), reward ${r.reward.toFixed(1)}\n  ${r.description}\n`
    + `  ${r.nodes} nodes (${r.deviceNodes} on the device), ${r.branches} branches, ${r.files} files, ${(r.bytes / 1024).toFixed(1)} KiB, ${r.weightsDtype} weights (${r.weightsSource})\n`);
  return 0;
}
