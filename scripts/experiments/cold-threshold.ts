/**
 * Experiment: from runs saved by the calibration bench (BENCH_CAL_OUT), what the validation
 * errors would have been with other cache-cold thresholds (or none). Usage:
 *   node --import tsx scripts/experiments/cold-threshold.ts DIR...
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { estimateLatency } from '../../latency/estimate.ts';
import type { DeviceProfile } from '../../latency/device-profile.ts';
import type { ValidationReport } from '../../api/calibration-api.ts';
import { validationModels } from '../../profiler/validation/validation-set.ts';

const specs = new Map(validationModels().map((m) => [m.name, m]));
const MIB = 1024 ** 2;
const thresholds: (number | null)[] = [null, 1, 4, 8, 16, 24, 32, 48, 64].map((m) => (m === null ? null : m * MIB));

for (const dir of process.argv.slice(2)) {
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const run = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { profile: DeviceProfile; report: ValidationReport };
    const cells: string[] = [];
    for (const t of thresholds) {
      const profile: DeviceProfile = t === null || run.profile.cold === undefined ? { ...run.profile, cold: undefined } : { ...run.profile, cold: { ...run.profile.cold, cacheBytes: t } };
      const errs = run.report.models.map((m) => {
        const a = analyzeModel(specs.get(m.name)!);
        const est = estimateLatency(a, a.layers.length, profile, null, 1).totalMs;
        return (est - m.measuredMs) / m.measuredMs;
      });
      const within = errs.filter((e) => Math.abs(e) <= 0.1).length / errs.length;
      const mean = errs.reduce((a, b) => a + b, 0) / errs.length;
      cells.push(`${t === null ? 'none' : `${t / MIB}M`}: ${(within * 100).toFixed(0)}% ${(mean * 100).toFixed(1)}`);
    }
    console.log(`${f}: ${cells.join(' | ')}`);
  }
}
