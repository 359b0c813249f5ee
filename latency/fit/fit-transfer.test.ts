import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitTransferLines, transmissionMs } from './fit-transfer.ts';
import { transferMs } from '../transfer-latency.ts';
import type { DeviceProfile } from '../device-profile.ts';
import { FitError } from './errors.ts';

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);

test('S/W in ms: 1 MB at 8 Mbit/s is 1000 ms', () => {
  assert.equal(transmissionMs(1e6, 8), 1000);
});

test('recovers a known f(S|W) at each bandwidth; transferMs with the fitted lines gives the measured times', () => {
  // f(S|4) = 3 ms + 2e-6 ms/B · S; f(S|16) = 1.5 ms + 5e-7 ms/B · S.
  const known = { 4: { a: 3, b: 2e-6 }, 16: { a: 1.5, b: 5e-7 } } as const;
  const sizes = [16384, 65536, 262144, 1048576];
  const samples = ([4, 16] as const).flatMap((w) => sizes.map((s) => ({ bandwidthMbps: w, bytes: s, ms: known[w].a + known[w].b * s + (s * 8) / (w * 1e3) })));
  const fit = fitTransferLines(samples);
  assert.equal(fit.lines.length, 2);
  assert.deepEqual(fit.lines.map((l) => l.bandwidthMbps), [4, 16]);
  close(fit.lines[0].interceptMs, 3, 1e-9);
  close(fit.lines[0].slopeMsPerByte, 2e-6, 1e-15);
  close(fit.lines[1].interceptMs, 1.5, 1e-9);
  close(fit.lines[1].slopeMsPerByte, 5e-7, 1e-15);
  close(fit.mapePct, 0, 1e-9);
  close(fit.groups[0].r2, 1, 1e-12);
  const profile: DeviceProfile = { formatVersion: 1, name: 'fitted', device: { id: 'test' }, compute: [], transfer: fit.lines };
  for (const s of samples) close(transferMs(s.bytes, s.bandwidthMbps, profile), s.ms, 1e-9);
  // 1 MiB at 4 Mbit/s by hand: f = 3 + 2.097152 = 5.097152 ms, S/W = 2097.152 ms.
  close(transferMs(1048576, 4, profile), 5.097152 + 2097.152, 1e-9);
});

test('MAPE of the whole model by hand when one bandwidth has scatter', () => {
  // At 8 Mbit/s S/W = S/1000 ms. f measured 2, 4, 2 at S = 1000, 2000, 3000: fit f = 8/3 + 0·S.
  const fit = fitTransferLines([
    { bandwidthMbps: 8, bytes: 1000, ms: 3 },
    { bandwidthMbps: 8, bytes: 2000, ms: 6 },
    { bandwidthMbps: 8, bytes: 3000, ms: 5 },
  ]);
  close(fit.lines[0].interceptMs, 8 / 3, 1e-9);
  close(fit.lines[0].slopeMsPerByte, 0, 1e-15);
  // predicted T: 11/3, 14/3, 17/3 → |err|/T: (2/3)/3, (4/3)/6, (2/3)/5
  close(fit.mapePct, ((2 / 9 + 4 / 18 + 2 / 15) / 3) * 100, 1e-9);
});

test('one size at a bandwidth, or a bandwidth of 0, is a FitError naming the bandwidth', () => {
  assert.throws(() => fitTransferLines([{ bandwidthMbps: 4, bytes: 1000, ms: 3 }, { bandwidthMbps: 4, bytes: 1000, ms: 4 }]), (e: unknown) => e instanceof FitError && /4 Mbit\/s/.test(e.message));
  assert.throws(() => fitTransferLines([{ bandwidthMbps: 0, bytes: 1000, ms: 3 }]), /bandwidth 0/);
  assert.throws(() => fitTransferLines([]), FitError);
});
