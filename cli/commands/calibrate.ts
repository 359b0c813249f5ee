/** edgetree calibrate --device ID [--suite quick|full] [--resume RUN] [--cases-per-group N] */
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, requiredString, stringOption, numberOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { cacheLine } from '../../latency/describe-cache.ts';
import { formatTable } from '../format-table.ts';
import type { CalibrationStatus, InModelCorrectionDto } from '../../api/calibration-api.ts';
import { watchJob } from './watch-job.ts';
import { runtimeOption } from './runtime-option.ts';
import { DEFAULT_RUNTIME, RUNTIMES } from '../../latency/runtime.ts';

export const CALIBRATE_HELP = `Usage:
  edgetree calibrate --device ID [--suite quick|full] [--runtime RUNTIME [--tool PATH]] [--resume RUN] [--no-transfer] [--no-anchors] [--json]

Times the micro-benchmark suite on the device (progress on stderr), fits the latency
lines per layer type and kernel, and stores them as a new profile version. Prints the
profile id and the fit (points, R², MAPE per group). Then times a few anchor models (not
in the validation set) whole, and scales each line by how much slower its layers ran
inside them (the in-model factors, printed). Ctrl-C cancels: the measurements so far are
kept and --resume RUN measures only the rest.
  --runtime RUNTIME     ${RUNTIMES.join('|')} (default ${DEFAULT_RUNTIME}): the runtime the
                        profile estimates. onnxruntime runs through onnxruntime-node (this computer
                        has it; a board needs it where its Node finds it, e.g. NODE_PATH).
                        tflite and tensorrt are timed by their own tools: give --tool.
  --tool PATH           benchmark_model (tflite) or trtexec (tensorrt) on the device: each case is
                        exported, pushed and timed by it (progress shows its command line); no anchors.
  --cases-per-group N   keep only the N smallest cases of each kind and kernel (quick checks, tests)
  --no-transfer         on local, skip timing the link (shaped uploads; needs root) after the suite
  --no-anchors          store the micro-benchmark lines as fitted, without the in-model correction
`;

export async function runCalibrate(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommand('calibrate', args, {
    device: { type: 'string', short: 'd' }, suite: { type: 'string' }, resume: { type: 'string' }, 'cases-per-group': { type: 'string' }, 'no-transfer': { type: 'boolean' }, 'no-anchors': { type: 'boolean' }, runtime: { type: 'string' }, tool: { type: 'string' },
  });
  if (parsed.values.help) {
    if (ctx.json) printJson(ctx, { help: CALIBRATE_HELP });
    else ctx.out(CALIBRATE_HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError('edgetree calibrate: takes no arguments (see edgetree calibrate --help)');
  const deviceId = requiredString('calibrate', parsed, 'device');
  const suite = stringOption(parsed, 'suite') ?? 'quick';
  if (suite !== 'quick' && suite !== 'full') throw new UsageError(`edgetree calibrate: --suite must be quick or full, got "${suite}"`);
  const resumeRunId = stringOption(parsed, 'resume');
  const runtime = runtimeOption('calibrate', stringOption(parsed, 'runtime'));
  const tool = stringOption(parsed, 'tool');
  const perGroup = stringOption(parsed, 'cases-per-group');
  const s = ctx.services();
  const started = await s.startCalibration({
    deviceId, suite, ...(resumeRunId !== undefined && { resumeRunId }), ...(parsed.values['no-transfer'] === true && { transfer: false }), ...(parsed.values['no-anchors'] === true && { anchors: false }),
    ...(runtime !== undefined && { runtime }), ...(tool !== undefined && { tool }),
    ...(perGroup !== undefined && { casesPerGroup: Math.max(1, numberOption('calibrate', 'cases-per-group', perGroup, 'integer')) }),
  });
  ctx.err(`calibration run ${started.runId} on ${deviceId} (${suite} suite, ${started.total} cases)\n`);
  const final = await watchJob(ctx, started.runId, () => s.calibrationStatus({ runId: started.runId }), (id) => s.cancelJob({ runId: id }), () => s.idle());
  return report(ctx, final as CalibrationStatus);
}

async function report(ctx: CliContext, st: CalibrationStatus): Promise<number> {
  if (st.status !== 'done' || st.profileId === null) {
    const out = { runId: st.runId, status: st.status, done: st.done, total: st.total, message: st.message, resume: `edgetree calibrate --device ${st.deviceId} --resume ${st.runId}` };
    if (ctx.json) printJson(ctx, { error: { name: st.status === 'cancelled' ? 'CalibrationCancelled' : 'CalibrationError', message: st.message }, ...out });
    else ctx.err(`edgetree calibrate: run ${st.runId} ${st.status} after ${st.done} of ${st.total} cases: ${st.message}\nresume with: ${out.resume}\n`);
    return st.status === 'cancelled' ? 130 : 1;
  }
  const detail = await ctx.services().showProfile({ id: st.profileId });
  const fit = (detail.fit ?? []).map((g) => ({ layerType: g.layerType, kernel: g.kernel, points: g.points, r2: g.r2, mapePct: g.mapePct, rmseMs: g.rmseMs, slopeMsPerMacc: g.slopeMsPerMacc, slopeMsPerWeight: g.slopeMsPerWeight ?? null, slopeMsPerPatch: g.slopeMsPerPatch ?? null, interceptMs: g.interceptMs }));
  if (ctx.json) {
    printJson(ctx, { runId: st.runId, profileId: st.profileId, deviceId: st.deviceId, backend: detail.profile.backend ?? null, measured: st.done, total: st.total, fit, inModel: detail.inModel ?? null, cache: detail.profile.cache ?? null, transfer: detail.profile.transfer, note: st.message });
  } else {
    ctx.out(`profile ${st.profileId}: "${detail.name}" version ${detail.version} (run ${st.runId}, ${st.done} cases)\n`);
    ctx.out(formatTable(['group', 'points', 'R²', 'MAPE %', 'RMSE ms', 'ms per MMACC', 'ms per M weights', 'ms per M patch el.', 'intercept ms'], fit.map((g) => [
      g.layerType === 'fc' ? 'fc' : `${g.layerType} k=${g.kernel}`, g.points, g.r2.toFixed(3), g.mapePct.toFixed(1), g.rmseMs.toFixed(3), (g.slopeMsPerMacc * 1e6).toFixed(4),
      g.slopeMsPerWeight === null ? '—' : (g.slopeMsPerWeight * 1e6).toFixed(4), g.slopeMsPerPatch === null ? '—' : (g.slopeMsPerPatch * 1e6).toFixed(4), g.interceptMs.toFixed(3),
    ])));
    if (detail.inModel) ctx.out(`${inModelLine(detail.inModel)}\n`);
    ctx.out(`${cacheLine(detail.profile)}\n${st.message}\n`);
  }
  return 0;
}

function inModelLine(c: InModelCorrectionDto): string {
  const factors = c.factors.map((f) => `${f.kernel === null ? f.layerType : `${f.layerType} k=${f.kernel}`} ×${f.factor.toFixed(2)}${f.from === 'pooled' ? '*' : f.from === 'refit' ? '†' : ''}`);
  return `in-model correction from ${c.anchors.length} anchor models: ${factors.join(', ')} († line refitted on the anchors' layers, × their median ratio; * too few layers of its own: the median of its class)`;
}
