/**
 * Experiment: ways to correct a calibration's lines with anchor models' in-model timings,
 * compared offline on timings saved by anchor-correction.ts (OUT.json):
 *   npx tsx scripts/experiments/anchor-methods.ts RUN.json TIMINGS.json
 * ratio: each line scaled by its group's median in-model ratio (latency/fit/in-model-correction.ts);
 * refit: lines fitted on the anchors' in-model layer times where a group has >= 5 of them, ratio-scaled elsewhere.
 */
import { readFileSync } from 'node:fs';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { layerElements } from '../../latency/layer-elements.ts';
import { estimateLatency } from '../../latency/estimate.ts';
import { parseDeviceProfile } from '../../latency/profile-json.ts';
import { fitComputeLines, type LayerTiming } from '../../latency/fit/fit-compute.ts';
import { correctForInModelTime, type AnchorTiming } from '../../latency/fit/in-model-correction.ts';
import type { DeviceProfile } from '../../latency/device-profile.ts';
import type { ModelTiming } from '../../profiler/runner/run-bench-cases.ts';
import { validationModels } from '../../profiler/validation/validation-set.ts';
import { anchorModels } from '../../profiler/validation/anchor-set.ts';

const [runFile, timingsFile] = process.argv.slice(2);
const profile = parseDeviceProfile((JSON.parse(readFileSync(runFile, 'utf8')) as { profile: unknown }).profile, runFile);
const saved = JSON.parse(readFileSync(timingsFile, 'utf8')) as { anchors: ModelTiming[]; validation: ModelTiming[] };
const anchorSpecs = anchorModels();
const anchors: AnchorTiming[] = saved.anchors.map((t) => ({ name: t.model, analysis: analyzeModel(anchorSpecs.find((s) => s.name === t.model)!), totalMs: t.total.medianMs, layerMs: t.layers.map((l) => l.medianMs) }));

const ratio = correctForInModelTime(profile, anchors).profile;

function refit(base: DeviceProfile, minPoints: number): DeviceProfile {
  const points: LayerTiming[] = [];
  for (const a of anchors) {
    const share = a.totalMs / a.layerMs.reduce((s, t) => s + t, 0);
    a.analysis.layers.forEach((l, i) => {
      const type = l.layer.type;
      const kernel = type === 'conv' || type === 'depthwise' ? l.layer.kernel ?? 1 : null;
      points.push({ caseId: `${a.name}/${l.layer.id}`, kind: type, kernel, macc: l.macc, medianMs: a.layerMs[i] * share, ...(l.macc === 0 && { elements: layerElements(l) }) });
    });
  }
  const fit = fitComputeLines(points, { robust: true });
  const count = (type: string, kernel: number | null): number => points.filter((p) => p.kind === type && p.kernel === kernel).length;
  return {
    ...base,
    cold: undefined,
    compute: base.compute.map((l) => fit.lines.find((f) => f.layerType === l.layerType && f.kernel === l.kernel && count(l.layerType, l.kernel) >= minPoints) ?? l),
    elementLines: base.elementLines?.map((l) => fit.elementLines.find((f) => f.layerType === l.layerType && count(l.layerType, null) >= minPoints) ?? l),
  };
}

const specs = validationModels();
const methods: [string, DeviceProfile][] = [['stored', profile], ['ratio', ratio], ['refit', refit(ratio, 5)]];
for (const [name, p] of methods) {
  const errors = saved.validation.map((t) => {
    const a = analyzeModel(specs.find((s) => s.name === t.model)!);
    return ((estimateLatency(a, a.layers.length, p, null, 1).totalMs - t.total.medianMs) / t.total.medianMs) * 100;
  });
  console.log(`SUMMARY ${name}: within ±10% ${((errors.filter((x) => Math.abs(x) <= 10).length / errors.length) * 100).toFixed(0)}%, mean signed ${(errors.reduce((s, x) => s + x, 0) / errors.length).toFixed(1)}%; ${errors.map((e) => e.toFixed(0)).join(' ')}`);
}
