/**
 * Experiment: lines fitted from per-layer timings taken inside whole models (a validation
 * report's layers) instead of single-layer micro-benchmarks. Fits on the models of TRAIN.json
 * at even positions of the validation set, estimates the others' totals against TEST.json.
 *   npx tsx scripts/experiments/in-model-lines.ts TRAIN.json TEST.json
 * Both: runs written by the calibration bench (BENCH_CAL_OUT).
 */
import { readFileSync } from 'node:fs';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { layerElements } from '../../latency/layer-elements.ts';
import { fitComputeLines, type LayerTiming } from '../../latency/fit/fit-compute.ts';
import { buildDeviceProfile } from '../../latency/fit/build-profile.ts';
import { estimateLatency } from '../../latency/estimate.ts';
import type { ValidationReport } from '../../api/calibration-api.ts';
import { validationModels } from '../../profiler/validation/validation-set.ts';

const [trainFile, testFile] = process.argv.slice(2);
const read = (f: string): ValidationReport => (JSON.parse(readFileSync(f, 'utf8')) as { report: ValidationReport }).report;
const specs = validationModels();
const train = read(trainFile);
const test = read(testFile);
const inTrain = (name: string): boolean => specs.findIndex((s) => s.name === name) % 2 === 0;

const timings: LayerTiming[] = [];
for (const row of train.models.filter((r) => inTrain(r.name))) {
  const analysis = analyzeModel(specs.find((s) => s.name === row.name)!);
  row.layers.forEach((l, i) => {
    const a = analysis.layers[i];
    const kernel = a.layer.type === 'conv' || a.layer.type === 'depthwise' ? a.layer.kernel ?? 1 : null;
    timings.push({ caseId: `${row.name}/${l.id}`, kind: a.layer.type, kernel, macc: a.macc, medianMs: l.measuredMs, ...(a.macc === 0 && { elements: layerElements(a) }) });
  });
}
const fit = fitComputeLines(timings, { robust: true });
const profile = buildDeviceProfile({ name: 'in-model', device: { id: 'local', model: 'x', os: 'x', abi: 'x', cores: 1 }, compute: fit, transfer: [] });
const errors: number[] = [];
for (const row of test.models.filter((r) => !inTrain(r.name))) {
  const analysis = analyzeModel(specs.find((s) => s.name === row.name)!);
  const est = estimateLatency(analysis, analysis.layers.length, profile, null, 1).totalMs;
  const e = ((est - row.measuredMs) / row.measuredMs) * 100;
  errors.push(e);
  console.log(`${row.name} measured ${row.measuredMs.toFixed(2)} ms, from in-model lines ${e.toFixed(1)}%, from the calibration ${row.errorPct.toFixed(1)}%`);
}
console.log(`SUMMARY ${errors.length} models: within ±10% ${((errors.filter((x) => Math.abs(x) <= 10).length / errors.length) * 100).toFixed(0)}%, mean signed ${(errors.reduce((s, x) => s + x, 0) / errors.length).toFixed(1)}%`);
