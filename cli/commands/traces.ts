/** edgetree traces import FILE [...] | list | show ID */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, onePositional, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { formatTable } from '../format-table.ts';
import type { RateUnit, TraceFormat, TraceImportRequest, TraceSummary } from '../../api/studio-api.ts';

export const TRACES_HELP = `Usage:
  edgetree traces import FILE [--format mahimahi|time-mbps|csv]
                              [--time-column C --rate-column C --rate-unit bps|Bps|kbps|Mbps] [--json]
  edgetree traces list [--json]
  edgetree traces show ID [--json]

import reads a bandwidth trace as it stands: mahimahi packet-delivery timestamps,
two columns "time_s Mbit/s" (Norway HSDPA, Lumos5G), or a CSV with a time column
and a throughput column (by name or 1-based number) in the given unit. Without
--format the format is recognised from the content. A file that cannot be read
stores nothing.
`;

const FORMATS: readonly TraceFormat[] = ['mahimahi', 'time-mbps', 'csv'];
const UNITS: readonly RateUnit[] = ['bps', 'Bps', 'kbps', 'Mbps'];

export async function runTraces(args: string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = args;
  const name = `traces ${command ?? ''}`.trim();
  if (command === undefined || command === '--help' || command === '-h') return help(ctx, command === undefined ? 2 : 0);
  if (command === 'import') {
    const parsed = parseCommand(name, rest, {
      format: { type: 'string' }, 'time-column': { type: 'string' }, 'rate-column': { type: 'string' }, 'rate-unit': { type: 'string' },
    });
    if (parsed.values.help) return help(ctx, 0);
    const file = onePositional(name, parsed, 'FILE');
    const req: TraceImportRequest = { fileName: basename(file), content: '' };
    const format = stringOption(parsed, 'format');
    if (format !== undefined) {
      if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`edgetree ${name}: --format must be one of ${FORMATS.join(', ')}, got "${format}"`);
      req.format = format as TraceFormat;
    }
    const unit = stringOption(parsed, 'rate-unit');
    if (unit !== undefined) {
      if (!(UNITS as readonly string[]).includes(unit)) throw new UsageError(`edgetree ${name}: --rate-unit must be one of ${UNITS.join(', ')}, got "${unit}"`);
      req.rateUnit = unit as RateUnit;
    }
    const timeColumn = stringOption(parsed, 'time-column');
    if (timeColumn !== undefined) req.timeColumn = timeColumn;
    const rateColumn = stringOption(parsed, 'rate-column');
    if (rateColumn !== undefined) req.rateColumn = rateColumn;
    req.content = readFileSync(file, 'utf8');
    const summary = await ctx.services().importTrace(req);
    if (ctx.json) printJson(ctx, summary);
    else ctx.out(`imported trace ${summary.id} "${summary.name}" (${summary.format}) from ${file}\n\n${traceTable([summary])}`);
    return 0;
  }
  if (command === 'list') {
    const parsed = parseCommand(name, rest, {});
    if (parsed.values.help) return help(ctx, 0);
    if (parsed.positionals.length > 0) throw new UsageError(`edgetree ${name}: takes no arguments`);
    const traces = await ctx.services().listTraces({});
    if (ctx.json) printJson(ctx, traces);
    else ctx.out(traces.length === 0 ? 'no traces stored; import one with: edgetree traces import FILE\n' : traceTable(traces));
    return 0;
  }
  if (command === 'show') {
    const parsed = parseCommand(name, rest, {});
    if (parsed.values.help) return help(ctx, 0);
    const id = onePositional(name, parsed, 'trace ID');
    const detail = await ctx.services().showTrace({ id });
    if (ctx.json) printJson(ctx, detail);
    else ctx.out(traceTable([detail]) + `\nseries: ${detail.series.tS.length} points for charts\n`);
    return 0;
  }
  throw new UsageError(`edgetree traces: unknown command "${command}" (see edgetree traces --help)`);
}

function help(ctx: CliContext, code: number): number {
  if (ctx.json) printJson(ctx, { help: TRACES_HELP });
  else ctx.out(TRACES_HELP);
  return code;
}

function traceTable(traces: readonly TraceSummary[]): string {
  return formatTable(
    ['id', 'name', 'format', 'samples', 'duration s', 'mean Mbps', 'p25 Mbps', 'p50 Mbps', 'p75 Mbps'],
    traces.map((t) => [t.id, t.name, t.format, t.samples, t.durationS, t.meanMbps, t.p25Mbps, t.p50Mbps, t.p75Mbps]),
  );
}
