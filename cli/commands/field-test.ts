/** edgetree field-test --device local --bundle DIR --trace ID [--inferences N] [--step-ms MS] [--cpus X] */
import { resolve } from 'node:path';
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { numberOption, parseCommand, requiredString, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { openBundle } from '../../bundle/open-bundle.ts';
import { getTrace } from '../../profiles/trace-repository.ts';
import { isBuiltinModelName } from '../../dnn/models/builtin.ts';
import { isDatasetName } from '../../dnn/models/datasets.ts';
import { loadBaseWeights } from '../../cloud/base-weights.ts';
import { initTfjsBackend } from '../../engine/tfjs-backend.ts';
import { testImages } from '../../device-run/test-images.ts';
import { FieldTestError, runFieldTest } from '../../field-test/run-field-test.ts';
import type { FieldMethodReport } from '../../field-test/field-test-report.ts';

export const FIELD_TEST_HELP = `Usage:
  edgetree field-test --device local --bundle DIR --trace ID [--inferences N] [--step-ms MS]
                      [--cpus X] [--data DIR] [--json]

Runs the bundle's tree on this computer with the device side in a network namespace: its
veth link to a cloud server on this side is shaped by tc tbf and re-rated every trace step
(default: the trace's own sample interval; --step-ms to compress it), the device process
on one WASM thread under a cgroup v1 CPU quota of --cpus CPU (default 0.5) where
/sys/fs/cgroup/cpu allows. Feeds the first N (default 20) test images of the bundle's data
set. Reports per inference measured and estimated latency at the link's rate (the
manifest's branch estimates, transfer rescaled), their ratio, accuracy and the Eq. 7
reward, and flags estimates that drift beyond +-10%. Needs root. Branch and surgery
configurations are not run yet (only the tree; the output says so).
`;

export async function runFieldTestCommand(args: string[], ctx: CliContext): Promise<number> {
  const name = 'field-test';
  const parsed = parseCommand(name, args, {
    device: { type: 'string', short: 'd' }, bundle: { type: 'string' }, trace: { type: 'string' }, inferences: { type: 'string' },
    'step-ms': { type: 'string' }, cpus: { type: 'string' }, data: { type: 'string' },
  });
  if (parsed.values.help) {
    if (ctx.json) printJson(ctx, { help: FIELD_TEST_HELP });
    else ctx.out(FIELD_TEST_HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`edgetree ${name}: takes no positional arguments (see edgetree field-test --help)`);
  const device = requiredString(name, parsed, 'device');
  if (device !== 'local') throw new UsageError(`edgetree ${name}: --device ${device}: only local is supported (the shaped link is a network namespace on this computer)`);
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
  const cpusText = stringOption(parsed, 'cpus');
  const cpus = cpusText === undefined ? 0.5 : numberOption(name, 'cpus', cpusText, 'positive');
  const trace = getTrace(ctx.services().db, traceId);
  const steps = trace.tS.slice(1).map((t, i) => t - trace.tS[i]).filter((d) => d > 0).sort((a, b) => a - b);
  const stepMs = whole('step-ms', Math.max(100, Math.round((steps[Math.floor(steps.length / 2)] ?? 1) * 1000)));
  const opened = await openBundle(bundleDir);
  const m = opened.manifest;
  if (!isBuiltinModelName(m.model) || !isDatasetName(m.dataset)) throw new FieldTestError(bundleDir, `the cloud side serves built-in models only, the bundle is ${m.model}/${m.dataset}`);
  await initTfjsBackend();
  const images = await testImages(m, inferences, stringOption(parsed, 'data'));
  const base = loadBaseWeights(m.model, m.dataset);
  const r = await runFieldTest({
    bundleDir, images: images.bytes, labels: images.labels, inferences, stepMs, deviceCpus: cpus,
    // tbf needs a rate > 0: a trace's outage becomes 0.01 Mbit/s.
    traceMbps: trace.mbps.map((x) => Math.max(0.01, x)),
    cloudModel: { spec: base.spec, weights: base.weights },
    onLine: (l) => {
      if (!ctx.json && l.type === 'inference') ctx.err(`inference ${l.index}: branch ${l.branch.join('-')}, ${l.totalMs.toFixed(1)} ms\n`);
    },
  });
  if (ctx.json) printJson(ctx, { bundle: bundleDir, trace: { id: trace.id, name: trace.name }, stepMs, images: images.count, ...r });
  else {
    ctx.out(`field test of ${m.model}/${m.dataset} over trace ${trace.name} (${stepMs} ms steps), ${images.count} images\n`);
    for (const l of r.limits) ctx.out(`  ${l}\n`);
    for (const n of r.notes) ctx.out(`  note: ${n}\n`);
    for (const method of r.methods) ctx.out(methodTable(method));
  }
  return 0;
}

function methodTable(x: FieldMethodReport): string {
  const f = (v: number | null, d = 1): string => (v === null ? '-' : v.toFixed(d));
  const rows = x.inferences.map((i) => `${String(i.index).padStart(4)}  ${i.branch.padEnd(10)} ${(i.cut === null ? '-' : String(i.cut)).padStart(4)} ${f(i.linkMbps, 2).padStart(7)} ${f(i.seenMbps, 2).padStart(7)} `
    + `${f(i.measuredMs).padStart(9)} ${f(i.estimatedMs).padStart(9)} ${f(i.ratio, 2).padStart(6)}  ${i.correct ? 'yes' : 'no'}`);
  return `\n${x.method}: mean measured ${f(x.meanMeasuredMs)} ms, estimated ${f(x.meanEstimatedMs)} ms (x${f(x.ratio, 2)}${x.drift ? ', DRIFT beyond +-10%: recalibrate the profile under these limits' : ''}), `
    + `accuracy ${(x.accuracy * 100).toFixed(1)}%, reward ${x.reward.toFixed(2)}\n`
    + `${'#'.padStart(4)}  ${'branch'.padEnd(10)} ${'cut'.padStart(4)} ${'link'.padStart(7)} ${'seen'.padStart(7)} ${'measured'.padStart(9)} ${'estimate'.padStart(9)} ${'ratio'.padStart(6)}  correct\n${rows.join('\n')}\n`;
}
