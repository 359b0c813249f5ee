/** edgetree profiles import FILE | export ID [--out FILE] | list | show ID | fit-models FILE|DIR ... */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, onePositional, requiredString, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { cacheLine } from '../../latency/describe-cache.ts';
import { runtimeOf } from '../../latency/runtime.ts';
import { formatTable } from '../format-table.ts';
import { checked } from './checked-request.ts';
import { validateRequest } from '../../api/validate-request.ts';
import type { FitProfileFromModelsRequest, FitProfileFromModelsResult } from '../../api/studio-api.ts';
import { DATASETS, isDatasetName } from '../../dnn/models/datasets.ts';
import { readToolOutputFolder } from '../../profiler/import/read-tool-output-folder.ts';
import type { ModelFitFigures } from '../../latency/fit/fit-models.ts';

export const PROFILES_HELP = `Usage:
  edgetree profiles import FILE [--json]         a device profile JSON; stored as a new version
  edgetree profiles export ID [--out FILE] [--json]
  edgetree profiles list [--json]
  edgetree profiles show ID [--json]              lines, and the fit (R², MAPE, residuals) when calibrated here
  edgetree profiles fit-models FILE.csv|DIR --profile ID [--name NAME] [--dataset D] [--json]
  edgetree profiles fit-models FILE.csv|DIR --device ID --name NAME [--dataset D] [--json]
                                                  a profile fitted to whole-model timings

Profiles are versioned and never overwritten: importing a profile for the same
device and name again stores version N+1. export prints the profile JSON (with
--json, inside {profile, document}); --out writes it to FILE instead.

fit-models takes whole-model timings from your own benchmark runs: a CSV with the
columns model and ms (header in any case and order), or a folder of saved
benchmark_model / trtexec / onnxruntime_perf_test outputs named <model>.txt|.log|.out
(the tool's median, or its average when it prints none). A model is a built-in
(vgg11, alexnet, resnet18, built for --dataset, default cifar10), a model stored by
"models import", or a validation-set model (vgg11-w0.5, resnet18-dws, ...; CIFAR-10).
  --profile ID   adjust that profile: its lines scaled per group (conv, depthwise, fc,
                 zero-MACC layers) and a per-layer overhead added, by least squares on
                 relative error with a mild pull toward no change; stored as a new
                 version of it (of --name, if given)
  --device ID --name NAME
                 fit from scratch: one ms per MACC for conv, depthwise and fc layers,
                 one ms per element for zero-MACC layers and a per-layer overhead
                 (non-negative least squares on relative error)
Either way it needs one model more than it fits unknowns (6 when the models hold all
four groups), prints
each model's error when the fit leaves it out (leave-one-out) and in the stored
profile, and stores nothing when any input is bad.
`;

export async function runProfiles(args: string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = args;
  const name = `profiles ${command ?? ''}`.trim();
  if (command === undefined || command === '--help' || command === '-h') return help(ctx, command === undefined ? 2 : 0);
  if (command === 'import') {
    const parsed = parseCommand(name, rest, {});
    if (parsed.values.help) return help(ctx, 0);
    const file = onePositional(name, parsed, 'FILE');
    const summary = await ctx.services().importProfile({ fileName: basename(file), content: readFileSync(file, 'utf8') });
    if (ctx.json) printJson(ctx, summary);
    else ctx.out(`imported profile ${summary.id}: device ${summary.deviceId}, "${summary.name}" version ${summary.version}\n`);
    return 0;
  }
  if (command === 'export') {
    const parsed = parseCommand(name, rest, { out: { type: 'string', short: 'o' } });
    if (parsed.values.help) return help(ctx, 0);
    const id = onePositional(name, parsed, 'profile ID');
    const { profile, json } = await ctx.services().exportProfile({ id });
    const outFile = stringOption(parsed, 'out');
    if (outFile !== undefined) writeFileSync(outFile, json.endsWith('\n') ? json : json + '\n');
    if (ctx.json) printJson(ctx, outFile === undefined ? { profile, document: JSON.parse(json) as unknown } : { profile, out: outFile });
    else if (outFile === undefined) ctx.out(json.endsWith('\n') ? json : json + '\n');
    else ctx.out(`wrote profile ${profile.id} (device ${profile.deviceId}, "${profile.name}" version ${profile.version}) to ${outFile}\n`);
    return 0;
  }
  if (command === 'list') {
    const parsed = parseCommand(name, rest, {});
    if (parsed.values.help) return help(ctx, 0);
    if (parsed.positionals.length > 0) throw new UsageError(`edgetree ${name}: takes no arguments`);
    const profiles = await ctx.services().listProfiles({});
    if (ctx.json) printJson(ctx, profiles);
    else ctx.out(profiles.length === 0 ? 'no profiles stored; import one with: edgetree profiles import FILE\n'
      : formatTable(['id', 'device', 'name', 'version', 'created'], profiles.map((p) => [p.id, p.deviceId, p.name, p.version, p.createdAt])));
    return 0;
  }
  if (command === 'show') {
    const parsed = parseCommand(name, rest, {});
    if (parsed.values.help) return help(ctx, 0);
    const d = await ctx.services().showProfile({ id: onePositional(name, parsed, 'profile ID') });
    if (ctx.json) printJson(ctx, d);
    else {
      ctx.out(`profile ${d.id}: device ${d.deviceId}, "${d.name}" version ${d.version}, ${d.createdAt}${d.calibrationRunId ? ` (calibration run ${d.calibrationRunId})` : ''}\n`);
      ctx.out(`runtime: ${runtimeOf(d.profile)}${d.profile.backend === undefined ? '' : ` (${d.profile.backend})`}\n`);
      ctx.out(formatTable(['layer', 'kernel', 'ms per MMACC', 'ms per M weights', 'ms per M patch el.', 'intercept ms', 'R²', 'points'], d.profile.compute.map((l) => [
        l.layerType, l.kernel ?? '', (l.slopeMsPerMacc * 1e6).toFixed(4), l.slopeMsPerWeight === undefined ? '—' : (l.slopeMsPerWeight * 1e6).toFixed(4),
        l.slopeMsPerPatch === undefined ? '—' : (l.slopeMsPerPatch * 1e6).toFixed(4),
        l.interceptMs.toFixed(3), l.r2?.toFixed(3) ?? '', l.points ?? ''])));
      ctx.out(`${cacheLine(d.profile)}\n`);
      ctx.out(d.profile.transfer.length === 0 ? 'transfer: none (the link was not calibrated)\n' : `transfer lines at ${d.profile.transfer.map((t) => `${t.bandwidthMbps} Mbit/s`).join(', ')}\n`);
      if (d.fit) ctx.out(`fit: ${d.fit.map((g) => `${g.layerType}${g.kernel === null ? '' : ` k=${g.kernel}`} MAPE ${g.mapePct.toFixed(1)}%`).join('; ')}\n`);
    }
    return 0;
  }
  if (command === 'fit-models') return fitModels(name, rest, ctx);
  throw new UsageError(`edgetree profiles: unknown command "${command}" (see edgetree profiles --help)`);
}

async function fitModels(name: string, args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommand(name, args, { profile: { type: 'string' }, device: { type: 'string' }, name: { type: 'string' }, dataset: { type: 'string' } });
  if (parsed.values.help) return help(ctx, 0);
  const input = onePositional(name, parsed, 'timings CSV or folder of saved tool outputs');
  const profileId = stringOption(parsed, 'profile');
  const dataset = stringOption(parsed, 'dataset');
  if (dataset !== undefined && !isDatasetName(dataset)) throw new UsageError(`edgetree ${name}: --dataset must be one of ${DATASETS.join(', ')}, got "${dataset}"`);
  const deviceId = profileId === undefined ? requiredString(name, parsed, 'device') : stringOption(parsed, 'device');
  const profileName = profileId === undefined ? requiredString(name, parsed, 'name') : stringOption(parsed, 'name');
  let isFolder: boolean;
  try {
    isFolder = statSync(input).isDirectory();
  } catch {
    throw new UsageError(`edgetree ${name}: no file or folder "${input}"`);
  }
  const timings: Pick<FitProfileFromModelsRequest, 'csv' | 'toolOutputs'> = isFolder
    ? { toolOutputs: { folder: input, files: await readToolOutputFolder(input) } }
    : { csv: { fileName: basename(input), content: readFileSync(input, 'utf8') } };
  if (isFolder && timings.toolOutputs!.files.length === 0) throw new UsageError(`edgetree ${name}: no saved tool outputs (<model>.txt, .log or .out) in ${input}`);
  const req: FitProfileFromModelsRequest = {
    ...timings,
    ...(profileId !== undefined && { profileId }), ...(deviceId !== undefined && { deviceId }), ...(profileName !== undefined && { name: profileName }),
    ...(dataset !== undefined && isDatasetName(dataset) && { dataset }),
  };
  const result = await ctx.services().fitProfileFromModels(checked(name, () => validateRequest('fitProfileFromModels', req)));
  if (ctx.json) printJson(ctx, result);
  else ctx.out(formatFit(result));
  return 0;
}

const GROUP_WORDS = { conv: 'conv', depthwise: 'depthwise', fc: 'fc', elements: 'zero-MACC' } as const;

function signedPct(v: number): string {
  return `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;
}

function summaryLine(what: string, f: ModelFitFigures): string {
  const n = f.rows.length;
  return `${what}: ${Math.round(f.within10Pct * n)} of ${n} models (${(f.within10Pct * 100).toFixed(0)}%) within ±10%, mean signed error ${signedPct(f.meanErrorPct)}, MAPE ${f.mapePct.toFixed(1)}%\n`;
}

function formatFit(r: FitProfileFromModelsResult): string {
  const p = r.profile;
  const head = `stored profile ${p.id}: device ${p.deviceId}, "${p.name}" version ${p.version}`
    + (r.baseProfileId === null ? ', fitted from scratch' : `, adjusted from profile ${r.baseProfileId}`) + '\n';
  const groups = r.groups.map((g) => (r.mode === 'adjust'
    ? `${GROUP_WORDS[g.group]} lines x${g.value.toFixed(3)}`
    : `${GROUP_WORDS[g.group]} ${(g.value * 1e6).toFixed(4)} ms per ${g.group === 'elements' ? 'M elements' : 'MMACC'}`));
  const fitted = `  ${groups.join(', ')}; per-layer overhead ${r.overheadMs.toFixed(4)} ms (${r.parameters} unknowns)\n`;
  const width = Math.max(...r.inSample.rows.map((x) => signedPct(x.errorPct).length), ...r.leaveOneOut.rows.map((x) => signedPct(x.errorPct).length));
  const table = formatTable(['model', 'measured ms', 'left out: est. ms', 'error', 'stored fit: est. ms', 'error'], r.leaveOneOut.rows.map((loo, i) => {
    const fit = r.inSample.rows[i];
    return [loo.name, loo.measuredMs, loo.estimatedMs, signedPct(loo.errorPct).padStart(width), fit.estimatedMs, signedPct(fit.errorPct).padStart(width)];
  }));
  return head + fitted + table + summaryLine('leave-one-out', r.leaveOneOut) + summaryLine('stored fit (in sample)', r.inSample);
}

function help(ctx: CliContext, code: number): number {
  if (ctx.json) printJson(ctx, { help: PROFILES_HELP });
  else ctx.out(PROFILES_HELP);
  return code;
}
