/** edgetree field-test --device local|local:CPUS --bundle DIR --trace ID [--inferences N] [--step-ms MS] [--cpus X] [--methods tree,branch,surgery] */
import { resolve } from 'node:path';
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { numberOption, parseCommand, requiredString, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { FIELD_METHODS } from '../../api/field-test-api.ts';
import type { FieldMethodName, FieldMethodReport } from '../../api/field-test-api.ts';

export const FIELD_TEST_HELP = `Usage:
  edgetree field-test --device local|local:js|local:CPUS --bundle DIR --trace ID [--inferences N] [--step-ms MS]
                      [--cpus X] [--methods tree,branch,surgery] [--json]

Runs the bundle's tree and, packaged from the same search run, its optimal branch and DNN
surgery (the min-cut of the unmodified model per bandwidth type) on this computer, one
after the other, each over the same trace from its first step: the device side in a
network namespace whose veth link to a cloud server on this side is shaped by tc tbf and
re-rated every trace step (default: the trace's own sample interval; --step-ms to
compress it), the device process on one WASM thread under a cgroup v1 CPU quota of
--cpus CPU where /sys/fs/cgroup/cpu allows (default: the device's own, 0.5 for local:0.5,
else 0.5; calibrate local:0.5 for a profile made under the same limit). Feeds the first
N (default 20) test images of the bundle's data set. Reports per inference measured and estimated
latency at the link's rate (the manifest's branch estimates, transfer rescaled), their
ratio, accuracy and the Eq. 7 reward, flags estimates that drift beyond +-10%, and ends
with the paper's Table V (one row per configuration). The run is stored (edgetree's
Field test screen shows it). Needs root.
`;

export async function runFieldTestCommand(args: string[], ctx: CliContext): Promise<number> {
  const name = 'field-test';
  const parsed = parseCommand(name, args, {
    device: { type: 'string', short: 'd' }, bundle: { type: 'string' }, trace: { type: 'string' }, inferences: { type: 'string' },
    'step-ms': { type: 'string' }, cpus: { type: 'string' }, methods: { type: 'string' },
  });
  if (parsed.values.help) {
    if (ctx.json) printJson(ctx, { help: FIELD_TEST_HELP });
    else ctx.out(FIELD_TEST_HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`edgetree ${name}: takes no positional arguments (see edgetree field-test --help)`);
  const device = requiredString(name, parsed, 'device');
  if (!/^local(:[0-9.]+|:js)?$/.test(device)) throw new UsageError(`edgetree ${name}: --device ${device}: only local, local:js or local:CPUS is supported (the shaped link is a network namespace on this computer)`);
  const bundleDir = resolve(requiredString(name, parsed, 'bundle'));
  const traceId = requiredString(name, parsed, 'trace');
  const whole = (opt: string, dflt: number): number => {
    const t = stringOption(parsed, opt);
    if (t === undefined) return dflt;
    const n = numberOption(name, opt, t, 'positive');
    if (!Number.isInteger(n)) throw new UsageError(`edgetree ${name}: --${opt} must be a whole number > 0, got "${t}"`);
    return n;
  };
  const inferences = whole('inferences', 20);
  const stepText = stringOption(parsed, 'step-ms');
  const cpusText = stringOption(parsed, 'cpus');
  const cpus = cpusText === undefined ? undefined : numberOption(name, 'cpus', cpusText, 'positive');
  const methodsText = stringOption(parsed, 'methods');
  const methods = methodsText === undefined ? [...FIELD_METHODS] : methodsText.split(',').map((x) => x.trim());
  for (const x of methods) if (!(FIELD_METHODS as readonly string[]).includes(x)) throw new UsageError(`edgetree ${name}: --methods takes ${FIELD_METHODS.join(', ')} separated by commas, got "${x}"`);
  const services = ctx.services();
  const started = await services.fieldTests.startFieldTest({
    deviceId: device, bundleDir, traceId, inferences, ...(cpus !== undefined && { cpus }), methods: methods as FieldMethodName[],
    ...(stepText !== undefined && { stepMs: whole('step-ms', 0) }),
  }, {
    onLine: (method, l) => {
      if (!ctx.json && l.type === 'inference') ctx.err(`${method} inference ${l.index}: branch ${l.branch.join('-')}, ${l.totalMs.toFixed(1)} ms\n`);
    },
  });
  const r = await services.fieldTests.wait(started.runId);
  if (ctx.json) printJson(ctx, r);
  else {
    ctx.out(`field test ${r.runId} of ${r.model ?? '?'}/${r.dataset ?? '?'} over trace ${r.traceName ?? traceId}, ${inferences} inferences per configuration\n`);
    for (const l of r.limits) ctx.out(`  ${l}\n`);
    for (const n of r.notes) ctx.out(`  note: ${n}\n`);
    for (const method of r.methods) ctx.out(methodTable(method));
    if (r.methods.length > 0) ctx.out(`\n${tableV(r.methods)}`);
  }
  if (r.error !== null) {
    if (!ctx.json) ctx.err(`edgetree: ${r.error.message}\n`);
    return 1;
  }
  return 0;
}

/** The paper's Table V: one row per configuration. */
function tableV(ms: readonly FieldMethodReport[]): string {
  const f = (v: number | null, d = 1): string => (v === null ? '-' : v.toFixed(d));
  const rows = ms.map((x) => `${x.method.padEnd(8)} ${f(x.meanMeasuredMs).padStart(10)} ${f(x.meanEstimatedMs).padStart(10)} ${f(x.ratio, 2).padStart(6)} ${(x.accuracy * 100).toFixed(1).padStart(8)} ${x.reward.toFixed(2).padStart(8)}`);
  return `${'method'.padEnd(8)} ${'measured'.padStart(10)} ${'estimated'.padStart(10)} ${'ratio'.padStart(6)} ${'accuracy'.padStart(8)} ${'reward'.padStart(8)}\n${rows.join('\n')}\n`;
}

function methodTable(x: FieldMethodReport): string {
  const f = (v: number | null, d = 1): string => (v === null ? '-' : v.toFixed(d));
  const rows = x.inferences.map((i) => `${String(i.index).padStart(4)}  ${i.branch.padEnd(10)} ${(i.cut === null ? '-' : String(i.cut)).padStart(4)} ${f(i.linkMbps, 2).padStart(7)} ${f(i.seenMbps, 2).padStart(7)} `
    + `${f(i.measuredMs).padStart(9)} ${f(i.estimatedMs).padStart(9)} ${f(i.ratio, 2).padStart(6)}  ${i.correct ? 'yes' : 'no'}`);
  return `\n${x.method} (${x.description}): mean measured ${f(x.meanMeasuredMs)} ms, estimated ${f(x.meanEstimatedMs)} ms (x${f(x.ratio, 2)}${x.drift ? ', DRIFT beyond +-10%: recalibrate the profile under these limits' : ''}), `
    + `accuracy ${(x.accuracy * 100).toFixed(1)}%, reward ${x.reward.toFixed(2)}\n`
    + `${'#'.padStart(4)}  ${'branch'.padEnd(10)} ${'cut'.padStart(4)} ${'link'.padStart(7)} ${'seen'.padStart(7)} ${'measured'.padStart(9)} ${'estimate'.padStart(9)} ${'ratio'.padStart(6)}  correct\n${rows.join('\n')}\n`;
}
