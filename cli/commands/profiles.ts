/** edgetree profiles import FILE | export ID [--out FILE] | list | show ID */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, onePositional, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { cacheLine } from './cache-line.ts';
import { formatTable } from '../format-table.ts';

export const PROFILES_HELP = `Usage:
  edgetree profiles import FILE [--json]         a device profile JSON; stored as a new version
  edgetree profiles export ID [--out FILE] [--json]
  edgetree profiles list [--json]
  edgetree profiles show ID [--json]              lines, and the fit (R², MAPE, residuals) when calibrated here

Profiles are versioned and never overwritten: importing a profile for the same
device and name again stores version N+1. export prints the profile JSON (with
--json, inside {profile, document}); --out writes it to FILE instead.
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
      ctx.out(formatTable(['layer', 'kernel', 'ms per MMACC', 'intercept ms', 'R²', 'points'], d.profile.compute.map((l) => [
        l.layerType, l.kernel ?? '', (l.slopeMsPerMacc * 1e6).toFixed(4), l.interceptMs.toFixed(3), l.r2?.toFixed(3) ?? '', l.points ?? ''])));
      ctx.out(`${cacheLine(d.profile)}\n`);
      ctx.out(d.profile.transfer.length === 0 ? 'transfer: none (the link was not calibrated)\n' : `transfer lines at ${d.profile.transfer.map((t) => `${t.bandwidthMbps} Mbit/s`).join(', ')}\n`);
      if (d.fit) ctx.out(`fit: ${d.fit.map((g) => `${g.layerType}${g.kernel === null ? '' : ` k=${g.kernel}`} MAPE ${g.mapePct.toFixed(1)}%`).join('; ')}\n`);
    }
    return 0;
  }
  throw new UsageError(`edgetree profiles: unknown command "${command}" (see edgetree profiles --help)`);
}

function help(ctx: CliContext, code: number): number {
  if (ctx.json) printJson(ctx, { help: PROFILES_HELP });
  else ctx.out(PROFILES_HELP);
  return code;
}
