/**
 * Experiment: does the in-model correction (latency/fit/in-model-correction.ts) from the anchor models (profiler/validation/anchor-set.ts)
 * bring a stored calibration's estimates of the validation set within ±10%?
 *   npx tsx scripts/experiments/anchor-correction.ts RUN.json in-process|runner [OUT.json]
 * OUT.json keeps the anchors' and validation models' timings.
 * RUN.json: one run written by the calibration bench (BENCH_CAL_OUT).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { ModelTiming } from '../../profiler/runner/run-bench-cases.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDeviceProfile } from '../../latency/profile-json.ts';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { correctForInModelTime, type AnchorTiming } from '../../latency/fit/in-model-correction.ts';
import { validationModels } from '../../profiler/validation/validation-set.ts';
import { anchorModels } from '../../profiler/validation/anchor-set.ts';
import { compareModel, type ModelTimer } from '../../profiler/validation/validate.ts';
import { createLocalModelTimer } from '../../profiler/validation/local-model-timer.ts';
import { createRemoteModelTimer } from '../../services/remote-model-timer.ts';
import { buildNodeRunner } from '../../profiler/hosts/build-node-runner.ts';
import { LocalTransport } from '../../native-bridge/local-transport.ts';

const [file, mode, out] = process.argv.slice(2);
const saved: { anchors: ModelTiming[]; validation: ModelTiming[] } = { anchors: [], validation: [] };
const profile = parseDeviceProfile((JSON.parse(readFileSync(file, 'utf8')) as { profile: unknown }).profile, file);

async function timer(): Promise<ModelTimer & { close?: () => Promise<void> }> {
  if (mode === 'in-process') return createLocalModelTimer({});
  const bundle = await buildNodeRunner(await mkdtemp(join(tmpdir(), 'exp-runner-')));
  return createRemoteModelTimer({ transport: new LocalTransport(), deviceId: 'local', bundleDir: bundle.dir, repeats: 10 });
}

const t = await timer();
const anchors: AnchorTiming[] = [];
for (const spec of anchorModels()) {
  const timing = await t.time(spec);
  saved.anchors.push(timing);
  anchors.push({ name: spec.name, analysis: analyzeModel(spec), totalMs: timing.total.medianMs, layerMs: timing.layers.map((l) => l.medianMs) });
}
const fit = correctForInModelTime(profile, anchors);
console.log('factors', fit.factors.map((f) => `${f.layerType}/${f.kernel ?? ''} ${f.factor.toFixed(2)} (${f.layers}${f.from === 'pooled' ? ', pooled' : ''})`).join(', '));
const before: number[] = [];
const after: number[] = [];
for (const spec of validationModels()) {
  const timing = await t.time(spec);
  saved.validation.push(timing);
  const a = compareModel(spec, timing, profile).errorPct;
  const b = compareModel(spec, timing, fit.profile).errorPct;
  before.push(a);
  after.push(b);
  console.log(`${spec.name} ${timing.total.medianMs.toFixed(2)} ms: stored ${a.toFixed(1)}%, corrected ${b.toFixed(1)}%`);
}
await t.close?.();
if (out !== undefined) writeFileSync(out, JSON.stringify(saved));
const show = (label: string, e: number[]): void => console.log(`${label}: within ±10% ${((e.filter((x) => Math.abs(x) <= 10).length / e.length) * 100).toFixed(0)}%, mean signed ${(e.reduce((s, x) => s + x, 0) / e.length).toFixed(1)}%`);
show('SUMMARY stored', before);
show('SUMMARY corrected', after);
