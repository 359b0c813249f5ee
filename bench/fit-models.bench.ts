/**
 * Profiles fitted to whole-model timings alone (`edgetree profiles fit-models`): the 21
 * validation models timed on this computer with the local model timer (two passes, each
 * model keeping its lower median, as validation does), then fitted through the services
 * from scratch, and as an adjustment of a cheap micro-benchmark profile (the quick suite
 * cut to its 3 smallest cases per line, no link: lines extrapolated far beyond their
 * points). Prints leave-one-out within ±10% (goal ≥ 90%) and the mean signed error of each
 * mode beside the base profile's own figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudioServices } from '../services/studio-services.ts';
import { validationModels } from '../profiler/validation/validation-set.ts';
import { createLocalModelTimer } from '../profiler/validation/local-model-timer.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { estimateLatency } from '../latency/estimate.ts';
import { parseDeviceProfile } from '../latency/profile-json.ts';
import { validationMetrics } from '../latency/fit/validation-metrics.ts';
import type { FitProfileFromModelsResult } from '../api/studio-api.ts';

const signed = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;
const share = (v: number): string => `${(v * 100).toFixed(0)}%`;

const home = mkdtempSync(join(tmpdir(), 'edgetree-bench-'));
const s = createStudioServices({ home, mode: 'cli', adbPort: false });
try {
  const models = validationModels();
  const timer = await createLocalModelTimer();
  const t0 = performance.now();
  const best = new Map<string, number>();
  for (let pass = 0; pass < 2; pass++) {
    for (const spec of models) {
      const ms = (await timer.time(spec)).total.medianMs;
      best.set(spec.name, Math.min(ms, best.get(spec.name) ?? Infinity));
    }
  }
  console.log(`timed ${models.length} validation models twice on ${timer.backend} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const csv = { fileName: 'local-times.csv', content: ['model,ms', ...models.map((m) => `${m.name},${best.get(m.name)}`)].join('\n') + '\n' };

  const t1 = performance.now();
  const started = await s.startCalibration({ deviceId: 'local', suite: 'quick', casesPerGroup: 3, transfer: false });
  await s.idle();
  const cal = await s.calibrationStatus({ runId: started.runId });
  if (cal.profileId === null) throw new Error(`calibration ${cal.status}: ${cal.message}`);
  const base = parseDeviceProfile(JSON.parse((await s.exportProfile({ id: cal.profileId })).json), 'base profile');
  const baseFigures = validationMetrics(models.map((spec) => {
    const a = analyzeModel(spec);
    return { name: spec.name, measuredMs: best.get(spec.name)!, estimatedMs: estimateLatency(a, a.layers.length, base, null, 1).totalMs };
  }));
  const baseMean = baseFigures.items.reduce((sum, i) => sum + i.errorPct, 0) / baseFigures.items.length;
  console.log(`base profile: quick suite, 3 cases per line, ${cal.done} cases in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

  const t2 = performance.now();
  const scratch = await s.fitProfileFromModels({ csv, deviceId: 'local', name: 'fitted to whole models' });
  const adjusted = await s.fitProfileFromModels({ csv, profileId: cal.profileId });
  console.log(`both fits with leave-one-out in ${(performance.now() - t2).toFixed(0)} ms`);

  console.log(`  ${'model'.padEnd(18)} ${'measured'.padStart(10)}  base  ${'scratch LOO'.padStart(11)}  ${'adjust LOO'.padStart(10)}`);
  models.forEach((m, i) => {
    console.log(`  ${m.name.padEnd(18)} ${best.get(m.name)!.toFixed(2).padStart(7)} ms  ${signed(baseFigures.items[i].errorPct).padStart(6)}  `
      + `${signed(scratch.leaveOneOut.rows[i].errorPct).padStart(11)}  ${signed(adjusted.leaveOneOut.rows[i].errorPct).padStart(10)}`);
  });
  const groups = (r: FitProfileFromModelsResult): string => r.groups.map((g) => `${g.group} ${r.mode === 'adjust' ? `x${g.value.toFixed(3)}` : g.value.toExponential(3)}`).join(', ')
    + `, overhead ${r.overheadMs.toFixed(4)} ms`;
  console.log(`base profile as calibrated: ${share(baseFigures.within10Pct)} within ±10%, mean signed error ${signed(baseMean)}, MAPE ${baseFigures.mapePct.toFixed(1)}%`);
  for (const [what, r] of [['from scratch', scratch], ['adjusted base', adjusted]] as const) {
    console.log(`${what} (${groups(r)}): leave-one-out ${share(r.leaveOneOut.within10Pct)} within ±10% (goal ≥ 90%), mean signed error ${signed(r.leaveOneOut.meanErrorPct)}, `
      + `MAPE ${r.leaveOneOut.mapePct.toFixed(1)}%; in sample ${share(r.inSample.within10Pct)} within ±10%, mean signed error ${signed(r.inSample.meanErrorPct)}`);
  }
} finally {
  s.close();
  rmSync(home, { recursive: true, force: true });
}
