/** edgetree emulate --search RUN... --trace ID... [--offsets M] */
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { numberOption, parseCommand, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { formatTable } from '../format-table.ts';
import type { EmulationStatus, StartEmulationRequest } from '../../api/search-api.ts';
import type { MethodSummary } from '../../search/emulate.ts';
import { validateRequest } from '../../api/validate-request.ts';
import { watchJob } from './watch-job.ts';
import { checked } from './checked-request.ts';

export const EMULATE_HELP = `Usage:
  edgetree emulate --search RUN [--search RUN ...] --trace ID [--trace ID ...] [--offsets M] [--json]

Replays finished search runs (one model, data set and pair of profiles) over the
traces from M evenly spaced starts each (default 50), as the paper's Table IV: per
trace and overall, each method's mean reward, latency and accuracy. A tree follows
the bandwidth type met at each block, and finishes on the device where the rate at its
cut is below the offload guard (search/offload-guard.ts, as the runtime does); surgery
re-decides its cut per inference;
branch and neurosurgeon run their one model. A run that did not search a trace
uses the result of its first trace. The table is stored as a run.
`;

export async function runEmulate(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommand('emulate', args, { search: { type: 'string', multiple: true }, trace: { type: 'string', multiple: true }, offsets: { type: 'string' } });
  if (parsed.values.help) {
    if (ctx.json) printJson(ctx, { help: EMULATE_HELP });
    else ctx.out(EMULATE_HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError('edgetree emulate: takes no arguments (see edgetree emulate --help)');
  const searchRunIds = (parsed.values.search as string[] | undefined) ?? [];
  if (searchRunIds.length === 0) throw new UsageError('edgetree emulate: at least one --search RUN is required (the run ids edgetree search printed)');
  const traceIds = (parsed.values.trace as string[] | undefined) ?? [];
  if (traceIds.length === 0) throw new UsageError('edgetree emulate: at least one --trace ID is required (edgetree traces list shows them)');
  const offsets = stringOption(parsed, 'offsets');
  const req: StartEmulationRequest = { searchRunIds, traceIds, ...(offsets !== undefined && { offsets: numberOption('emulate', 'offsets', offsets, 'integer') }) };
  const s = ctx.services();
  const started = await s.startEmulation(checked('emulate', () => validateRequest('startEmulation', req)));
  ctx.err(`emulation run ${started.runId}: ${searchRunIds.length} search run(s) over ${traceIds.length} trace(s)\n`);
  const st = (await watchJob(ctx, started.runId, () => s.emulationStatus({ runId: started.runId }), (id) => s.cancelJob({ runId: id }), () => s.idle())) as EmulationStatus;
  if (st.status !== 'done' || st.table === null) {
    if (ctx.json) printJson(ctx, { error: { name: st.status === 'cancelled' ? 'EmulationCancelled' : 'EmulationError', message: st.message }, runId: st.runId, status: st.status });
    else ctx.err(`edgetree emulate: run ${st.runId} ${st.status}: ${st.message}\n`);
    return st.status === 'cancelled' ? 130 : 1;
  }
  if (ctx.json) {
    printJson(ctx, { runId: st.runId, params: st.params, methods: st.methods, table: st.table });
    return 0;
  }
  ctx.out(`emulation run ${st.runId}: ${st.params.model}/${st.params.dataset}, ${st.params.offsets} starts per trace\n`);
  for (const t of st.table.traces) ctx.out(`\ntrace ${t.trace}\n${summaryTable(t.methods)}`);
  ctx.out(`\noverall\n${summaryTable(st.table.overall)}`);
  return 0;
}

/** Table IV rows, with each method's latency change against surgery where surgery is in the table. */
export function summaryTable(rows: readonly MethodSummary[]): string {
  const surgery = rows.find((r) => r.method === 'surgery');
  return formatTable(['method', 'inferences', 'reward', 'latency ms', 'accuracy %', 'latency vs surgery'], rows.map((r) => [
    r.method, r.inferences, r.reward, r.latencyMs, 100 * r.accuracy,
    surgery === undefined ? null : `${((100 * (r.latencyMs - surgery.latencyMs)) / surgery.latencyMs).toFixed(1)}%`,
  ]));
}
