/**
 * Calibration of this computer with the quick suite (goal: under 5 minutes), then the
 * full validation set measured against that profile (goal: at least 90% of the models
 * within ±10%). Prints the figures beside the goals; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudioServices } from '../services/studio-services.ts';

const home = mkdtempSync(join(tmpdir(), 'edgetree-bench-'));
const s = createStudioServices({ home, mode: 'cli', adbPort: false });
try {
  const t0 = performance.now();
  const started = await s.startCalibration({ deviceId: 'local', suite: 'quick' });
  await s.idle();
  const cal = await s.calibrationStatus({ runId: started.runId });
  const calS = (performance.now() - t0) / 1000;
  console.log(`quick suite on local: ${cal.status}, ${cal.done}/${cal.total} cases in ${calS.toFixed(1)} s (goal < 300 s)`);
  if (cal.profileId === null) throw new Error(`calibration ${cal.status}: ${cal.message}`);
  const p = await s.showProfile({ id: cal.profileId });
  for (const g of p.fit ?? []) {
    console.log(`  ${g.layerType}${g.kernel === null ? '' : ` k=${g.kernel}`}: ${g.points} points, R² ${g.r2.toFixed(3)}, MAPE ${g.mapePct.toFixed(1)}%`);
  }
  const t1 = performance.now();
  const v = await s.startValidation({ deviceId: 'local', profileId: cal.profileId });
  await s.idle();
  const vs = await s.validationStatus({ runId: v.runId });
  if (vs.report === null) throw new Error(`validation ${vs.status}: ${vs.message}`);
  const r = vs.report;
  for (const m of r.models) console.log(`  ${m.name.padEnd(20)} measured ${m.measuredMs.toFixed(2).padStart(8)} ms  estimated ${m.estimatedMs.toFixed(2).padStart(8)} ms  ${m.errorPct >= 0 ? '+' : ''}${m.errorPct.toFixed(1)}%`);
  console.log(`validation (${r.models.length} models, ${r.backend}, ${((performance.now() - t1) / 1000).toFixed(1)} s): `
    + `${(r.within10Pct * 100).toFixed(0)}% within ±10% (goal ≥ 90%), ${(r.within5Pct * 100).toFixed(0)}% within ±5%, MAPE ${r.mapePct.toFixed(1)}%, RMSE ${r.rmseMs.toFixed(2)} ms`);
} finally {
  s.close();
  rmSync(home, { recursive: true, force: true });
}
