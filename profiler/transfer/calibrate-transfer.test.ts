// @serial: times real work and asserts on it; runs alone (scripts/run-tests.mjs).
// Real shaped link: a network namespace, a veth pair on addresses this test creates and
// tbf at 4 and 16 Mbit/s. Needs root (the test machine runs as root); every namespace it
// made is gone afterwards, whether the test passed or not.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { calibrateTransfer } from './calibrate-transfer.ts';
import { transferMs } from '../../latency/transfer-latency.ts';
import type { DeviceProfile } from '../../latency/device-profile.ts';
import { ShapedLinkError } from './errors.ts';
import { createShapedLink } from './shaped-link.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

const ours = () => execFileSync('ip', ['netns', 'list']).toString().split('\n').filter((l) => l.startsWith(`edgetree-xfer-${process.pid}-`));

after(() => {
  // Even when an assertion failed mid-calibration: remove what this process made.
  for (const line of ours()) execFileSync('ip', ['netns', 'del', line.split(/\s+/)[0]]);
});

test('shaped link at 4 and 16 Mbit/s: Eq. 6 lines predict measured uploads within 15%, 1 MiB runs near the tbf rate', { timeout: 60000 }, async (t) => {
  const sizes = [16384, 65536, 262144, 1048576];
  let progress = 0;
  const cal = await calibrateTransfer({ bandwidthsMbps: [4, 16], sizes, repeats: 3, onProgress: (e) => { progress = e.done; assert.equal(e.total, 24); } });
  assert.equal(progress, 24);
  assert.equal(cal.samples.length, 24);
  assert.deepEqual(cal.lines.map((l) => l.bandwidthMbps), [4, 16]);
  assert.deepEqual(ours(), [], 'the namespace is removed after the calibration');

  const profile: DeviceProfile = { formatVersion: 1, name: 'shaped link', device: { id: 'netns' }, compute: [], transfer: cal.lines };
  // Compared per (W, S) on the median of the repeats: on a shared 2-core machine a single
  // upload is now and then held up by scheduling for 10-20 ms.
  for (const w of [4, 16]) {
    for (const bytes of sizes) {
      const measured = median(cal.samples.filter((s) => s.bandwidthMbps === w && s.bytes === bytes).map((s) => s.ms));
      const predicted = transferMs(bytes, w, profile);
      assert.ok(Math.abs(predicted - measured) / measured <= 0.15, `${bytes} B at ${w} Mbit/s: measured ${measured.toFixed(2)} ms, Eq. 6 predicts ${predicted.toFixed(2)} ms`);
    }
    const mib = median(cal.samples.filter((s) => s.bandwidthMbps === w && s.bytes === 1048576).map((s) => s.ms));
    const mbps = (1048576 * 8) / (mib * 1e3);
    assert.ok(Math.abs(mbps - w) / w <= 0.15, `1 MiB at tbf ${w} Mbit/s ran at ${mbps.toFixed(2)} Mbit/s`);
  }
  t.diagnostic(cal.fit.groups.map((g) => `W=${g.bandwidthMbps}: f = ${g.interceptMs.toFixed(2)} ms + ${(g.slopeMsPerByte * 1e6).toFixed(2)} ms per MB of S, R² ${g.r2.toFixed(3)}, MAPE ${g.mapePct.toFixed(2)}%`).join('; ') + `; overall MAPE ${cal.fit.mapePct.toFixed(2)}%`);
});

test('a receiver-side delay adds to every upload (user-space propagation delay)', { timeout: 30000 }, async () => {
  const plain = await calibrateTransfer({ bandwidthsMbps: [16], sizes: [4096, 16384], repeats: 5 });
  const delayed = await calibrateTransfer({ bandwidthsMbps: [16], sizes: [4096, 16384], repeats: 5, ackDelayMs: 40 });
  const added = median(delayed.samples.map((s) => s.ms)) - median(plain.samples.map((s) => s.ms));
  assert.ok(added > 35 && added < 50, `40 ms of receiver delay added ${added.toFixed(1)} ms`);
  assert.ok(delayed.lines[0].interceptMs > plain.lines[0].interceptMs + 35);
});

test('bad plans fail before any link is made; a bad rate names it', async () => {
  await assert.rejects(calibrateTransfer({ bandwidthsMbps: [4], sizes: [1024], repeats: 1 }), /at least 2 distinct sizes/);
  await assert.rejects(calibrateTransfer({ bandwidthsMbps: [0], sizes: [1024, 2048], repeats: 1 }), /bandwidth 0 Mbit\/s/);
  const link = await createShapedLink();
  try {
    await assert.rejects(link.setRate(-1), (e: unknown) => e instanceof ShapedLinkError && /-1/.test(e.message));
  } finally {
    await link.close();
  }
  assert.deepEqual(ours(), []);
});
