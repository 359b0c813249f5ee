/** edgetree validate --device ID --profile ID [--model NAME|FILE ...] [--repeats N] */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { parseCommand, requiredString, stringOption, numberOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { formatTable } from '../format-table.ts';
import { importModelFile } from '../../dnn/formats/registry.ts';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import type { ValidationStatus } from '../../api/calibration-api.ts';
import { watchJob } from './watch-job.ts';
import { runtimeOption } from './runtime-option.ts';

export const VALIDATE_HELP = `Usage:
  edgetree validate --device ID --profile ID [--model NAME|FILE ...] [--repeats N] [--runtime RUNTIME] [--json]

Runs whole models on the device (median of N repeats, default 10), estimates them with
the profile (all layers on the device) and prints measured against estimated latency:
{models: [{name, measuredMs, estimatedMs, errorPct}], within10Pct, within5Pct, mapePct, rmseMs}.
Default models: the built-in validation set (21 models on CIFAR-10). --model takes a
built-in or imported model name, or a model file (spec JSON, TF.js model.json, ONNX).
The models run on the runtime the profile was calibrated on; --runtime names it, and
another one is refused (calibrate that runtime first).
`;

export async function runValidate(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommand('validate', args, {
    device: { type: 'string', short: 'd' }, profile: { type: 'string' }, model: { type: 'string', multiple: true }, repeats: { type: 'string' }, runtime: { type: 'string' },
  });
  if (parsed.values.help) {
    if (ctx.json) printJson(ctx, { help: VALIDATE_HELP });
    else ctx.out(VALIDATE_HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError('edgetree validate: takes no arguments; give models with --model (see edgetree validate --help)');
  const deviceId = requiredString('validate', parsed, 'device');
  const profileId = requiredString('validate', parsed, 'profile');
  const raw = parsed.values.model;
  const given = Array.isArray(raw) ? raw.map(String) : [];
  const names: string[] = [];
  const specs: ModelSpec[] = [];
  for (const m of given) {
    if (existsSync(m)) specs.push(importModelFile(basename(m), new Uint8Array(readFileSync(m))).spec);
    else names.push(m);
  }
  const repeatsText = stringOption(parsed, 'repeats');
  const repeats = repeatsText === undefined ? undefined : Math.max(1, numberOption('validate', 'repeats', repeatsText, 'integer'));
  const runtime = runtimeOption('validate', stringOption(parsed, 'runtime'));
  const s = ctx.services();
  const started = await s.startValidation({ deviceId, profileId, ...(runtime !== undefined && { runtime }), ...(names.length > 0 && { models: names }), ...(specs.length > 0 && { specs }), ...(repeats !== undefined && { repeats }) });
  ctx.err(`validation run ${started.runId} on ${deviceId} with profile ${profileId} (${started.total} models)\n`);
  const st = (await watchJob(ctx, started.runId, () => s.validationStatus({ runId: started.runId }), (id) => s.cancelJob({ runId: id }), () => s.idle())) as ValidationStatus;
  const r = st.report;
  if (st.status !== 'done' || r === null) {
    if (ctx.json) printJson(ctx, { error: { name: 'ValidationError', message: st.message }, runId: st.runId, status: st.status });
    else ctx.err(`edgetree validate: run ${st.runId} ${st.status}: ${st.message}\n`);
    return st.status === 'cancelled' ? 130 : 1;
  }
  const models = r.models.map((m) => ({ name: m.name, measuredMs: m.measuredMs, estimatedMs: m.estimatedMs, errorPct: m.errorPct }));
  if (ctx.json) {
    printJson(ctx, { runId: st.runId, deviceId, profileId, backend: r.backend, models, within10Pct: r.within10Pct, within5Pct: r.within5Pct, mapePct: r.mapePct, rmseMs: r.rmseMs });
  } else {
    ctx.out(formatTable(['model', 'measured ms', 'estimated ms', 'error %'], models.map((m) => [m.name, m.measuredMs.toFixed(2), m.estimatedMs.toFixed(2), m.errorPct.toFixed(1)])));
    ctx.out(`within ±10%: ${(r.within10Pct * 100).toFixed(0)}%, within ±5%: ${(r.within5Pct * 100).toFixed(0)}%, MAPE ${r.mapePct.toFixed(1)}%, RMSE ${r.rmseMs.toFixed(2)} ms (${r.backend})\n`);
  }
  return 0;
}
