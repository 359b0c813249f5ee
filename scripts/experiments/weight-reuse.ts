/**
 * Experiment: do conv layers that reuse each weight on few output pixels (weight-heavy, as
 * vgg11's 2x2x512 layers) run slower than their MACC line inside a model? Per conv layer of
 * the validation report, the ratio of its in-model time to its estimate, grouped by output
 * pixels (each weight's reuse); prints the median ratio per group and a SUMMARY line.
 *   npx tsx scripts/experiments/weight-reuse.ts RUN.json
 * (RUN.json: one calibration saved by BENCH_CAL_OUT=DIR npm run bench -- calibration.)
 */
import { readFileSync } from 'node:fs';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { median } from '../../latency/fit/least-squares.ts';
import type { ValidationReport } from '../../api/calibration-api.ts';
import { validationModels } from '../../profiler/validation/validation-set.ts';

const [file] = process.argv.slice(2);
const run = JSON.parse(readFileSync(file, 'utf8')) as { config: string; report: ValidationReport };
const specs = new Map(validationModels().map((s) => [s.name, s]));
const groups: { label: string; maxPixels: number }[] = [
  { label: '<= 4 pixels', maxPixels: 4 }, { label: '<= 16', maxPixels: 16 }, { label: '<= 64', maxPixels: 64 }, { label: '<= 256', maxPixels: 256 }, { label: '> 256', maxPixels: Infinity },
];
const ratios = groups.map(() => [] as number[]);
for (const row of run.report.models) {
  const spec = specs.get(row.name);
  if (spec === undefined) continue;
  const analysis = analyzeModel(spec);
  row.layers.forEach((l, i) => {
    const a = analysis.layers[i];
    if (a.layer.type !== 'conv' || !(l.estimatedMs > 0) || !(l.measuredMs > 0)) return;
    const pixels = a.outputShape[0] * a.outputShape[1];
    ratios[groups.findIndex((g) => pixels <= g.maxPixels)].push(l.measuredMs / l.estimatedMs);
  });
}
const cells = groups.map((g, i) => `${g.label}: ${ratios[i].length === 0 ? '-' : `x${median(ratios[i]).toFixed(2)} (${ratios[i].length})`}`);
console.log(`SUMMARY ${run.config}: conv in-model/estimated by output pixels: ${cells.join(', ')}`);
