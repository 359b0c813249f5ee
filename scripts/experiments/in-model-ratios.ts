/**
 * Experiment: the calibration's lines scaled per layer type and kernel by the median ratio of
 * in-model to estimated layer time over the layers of some whole models (as anchors would
 * give). Ratios from TRAIN.json's models at even positions of the validation set; totals of
 * the others estimated against TEST.json's timings, with TRAIN's profile.
 *   npx tsx scripts/experiments/in-model-ratios.ts TRAIN.json TEST.json
 */
import { readFileSync } from 'node:fs';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { estimateLatency } from '../../latency/estimate.ts';
import { parseDeviceProfile } from '../../latency/profile-json.ts';
import { median } from '../../latency/fit/least-squares.ts';
import type { DeviceProfile } from '../../latency/device-profile.ts';
import type { ValidationReport } from '../../api/calibration-api.ts';
import { validationModels } from '../../profiler/validation/validation-set.ts';

const [trainFile, testFile] = process.argv.slice(2);
const read = (f: string): { profile: unknown; report: ValidationReport } => JSON.parse(readFileSync(f, 'utf8')) as { profile: unknown; report: ValidationReport };
const specs = validationModels();
const train = read(trainFile);
const test = read(testFile);
const profile = parseDeviceProfile(train.profile, trainFile);
const inTrain = (name: string): boolean => specs.findIndex((s) => s.name === name) % 2 === 0;
const groupKey = (type: string, kernel: number | null): string => `${type}/${kernel ?? ''}`;

const ratios = new Map<string, number[]>();
for (const row of train.report.models.filter((r) => inTrain(r.name))) {
  const analysis = analyzeModel(specs.find((s) => s.name === row.name)!);
  row.layers.forEach((l, i) => {
    const a = analysis.layers[i];
    if (!(l.estimatedMs > 0)) return;
    const kernel = a.layer.type === 'conv' || a.layer.type === 'depthwise' ? a.layer.kernel ?? 1 : null;
    const k = groupKey(a.layer.type, kernel);
    ratios.set(k, [...(ratios.get(k) ?? []), l.measuredMs / l.estimatedMs]);
  });
}
const factor = new Map([...ratios].map(([k, r]) => [k, median(r)]));
console.log([...factor].map(([k, f]) => `${k} ${f.toFixed(2)} (${ratios.get(k)!.length})`).join(', '));
const scaled: DeviceProfile = {
  ...profile,
  cold: undefined,
  compute: profile.compute.map((l) => {
    const f = factor.get(groupKey(l.layerType, l.kernel)) ?? 1;
    return { ...l, slopeMsPerMacc: l.slopeMsPerMacc * f, interceptMs: l.interceptMs * f };
  }),
  elementLines: profile.elementLines?.map((l) => {
    const f = factor.get(groupKey(l.layerType, null)) ?? 1;
    return { ...l, slopeMsPerElement: l.slopeMsPerElement * f, interceptMs: l.interceptMs * f };
  }),
};
const errors: number[] = [];
for (const row of test.report.models.filter((r) => !inTrain(r.name))) {
  const analysis = analyzeModel(specs.find((s) => s.name === row.name)!);
  const est = estimateLatency(analysis, analysis.layers.length, scaled, null, 1).totalMs;
  errors.push(((est - row.measuredMs) / row.measuredMs) * 100);
}
console.log(`SUMMARY ${errors.length} models: within ±10% ${((errors.filter((x) => Math.abs(x) <= 10).length / errors.length) * 100).toFixed(0)}%, mean signed ${(errors.reduce((s, x) => s + x, 0) / errors.length).toFixed(1)}%, errors ${errors.map((e) => e.toFixed(0)).join(' ')}`);
