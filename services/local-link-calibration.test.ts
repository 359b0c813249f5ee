// @serial — times uploads over a shaped link; load from neighbour tests would tilt the fit.
// Calibrating this computer also times the link (root: ip netns + tc tbf here) and puts
// the fitted f(S|W) lines in the profile, with their fit shown per bandwidth.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudioServices } from './studio-services.ts';
import { LINK_BANDWIDTHS_MBPS } from './local-link-calibration.ts';

const home = mkdtempSync(join(tmpdir(), 'edgetree-link-cal-'));
const s = createStudioServices({ home, mode: 'cli', adbPort: false });
after(() => {
  s.close();
  rmSync(home, { recursive: true, force: true });
});

test('calibrating local times the link at 3 bandwidths and stores its transfer lines in the profile', { skip: process.getuid?.() !== 0 ? 'needs root for ip netns and tc' : false }, async () => {
  const t0 = performance.now();
  const started = await s.startCalibration({ deviceId: 'local', suite: 'quick', casesPerGroup: 2, anchors: false });
  await s.idle();
  const st = await s.calibrationStatus({ runId: started.runId });
  assert.equal(st.status, 'done', st.message);
  assert.match(st.message, /transfer: 3 f\(S\|W\) lines at 4, 16, 64 Mbit\/s/);
  assert.ok(st.profileId);
  const p = await s.showProfile({ id: st.profileId });
  assert.deepEqual(p.profile.transfer.map((l) => l.bandwidthMbps), LINK_BANDWIDTHS_MBPS);
  assert.ok(p.transferFit);
  assert.deepEqual(p.transferFit.map((g) => g.bandwidthMbps), LINK_BANDWIDTHS_MBPS);
  for (const g of p.transferFit) {
    // 3 sizes x 3 repeats, fitted on each size's median.
    assert.ok(g.points >= 3, `${g.points} points`);
    assert.ok(Number.isFinite(g.r2) && Number.isFinite(g.interceptMs) && Number.isFinite(g.slopeMsPerByte));
  }
  // T = f(S|W) + S/W: 1 MiB at 4 Mbit/s is at least its 2097 ms on the wire.
  const at4 = p.profile.transfer[0];
  const predicted = at4.interceptMs + at4.slopeMsPerByte * 1048576 + (1048576 * 8) / (4 * 1e3);
  assert.ok(predicted > 2097 * 0.95, `${predicted.toFixed(0)} ms`);
  console.log(`local calibration with the link: ${((performance.now() - t0) / 1000).toFixed(1)} s; ${p.transferFit.map((g) => `${g.bandwidthMbps} Mbit/s: f = ${g.interceptMs.toFixed(2)} ms + ${(g.slopeMsPerByte * 1e6).toFixed(3)} ms/MB, R² ${g.r2.toFixed(3)}`).join('; ')}`);
});

test('transfer: false skips the link and says so', async () => {
  const started = await s.startCalibration({ deviceId: 'local', suite: 'quick', casesPerGroup: 2, transfer: false, anchors: false });
  await s.idle();
  const st = await s.calibrationStatus({ runId: started.runId });
  assert.equal(st.status, 'done', st.message);
  assert.match(st.message, /transfer: \[\] .*skipped on request/);
  assert.ok(st.profileId);
  assert.deepEqual((await s.showProfile({ id: st.profileId })).profile.transfer, []);
});
