import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fitComputeLines, type LayerTiming } from './fit-compute.ts';
import { buildDeviceProfile } from './build-profile.ts';
import { FitError } from './errors.ts';
import { layerLatencyMs } from '../compute-latency.ts';
import { ProfileFormatError } from '../errors.ts';

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} is not ${b}`);

// Known lines: ms = a + b · MACC.
const KNOWN = [
  { kind: 'conv', kernel: 1, a: 0.2, b: 5e-8 },
  { kind: 'conv', kernel: 3, a: 0.5, b: 1e-7 },
  { kind: 'depthwise', kernel: 3, a: 0.1, b: 4e-7 },
  { kind: 'fc', kernel: null, a: 0.05, b: 2e-7 },
] as const;

function synthetic(): LayerTiming[] {
  const out: LayerTiming[] = [];
  for (const k of KNOWN) {
    for (const macc of [1e5, 1e6, 5e6, 2e7]) {
      out.push({ caseId: `${k.kind}-k${k.kernel ?? '-'}-${macc}`, kind: k.kind, kernel: k.kernel, macc, medianMs: k.a + k.b * macc });
    }
  }
  out.push({ caseId: 'maxpool-a', kind: 'maxpool', kernel: 2, macc: 0, medianMs: 0.3 });
  out.push({ caseId: 'bn-a', kind: 'bn', kernel: null, macc: 0, medianMs: 0.5 });
  out.push({ caseId: 'relu-a', kind: 'activation', kernel: null, macc: 0, medianMs: 0.4 });
  out.push({ caseId: 'vgg11', kind: 'model', kernel: null, macc: 7e9, medianMs: 900 });
  return out;
}

describe('fitComputeLines', () => {
  test('recovers known lines per layer type and kernel from noiseless points; zero-MACC layers give their median', () => {
    const fit = fitComputeLines(synthetic());
    assert.deepEqual(fit.lines.map((l) => `${l.layerType}/${l.kernel}`), ['conv/1', 'conv/3', 'depthwise/3', 'fc/null']);
    fit.lines.forEach((l, i) => {
      close(l.interceptMs, KNOWN[i].a, 1e-9);
      close(l.slopeMsPerMacc, KNOWN[i].b, 1e-9);
      assert.equal(l.points, 4);
      close(l.r2 ?? 0, 1, 1e-12);
    });
    assert.equal(fit.otherLayerMs, 0.4); // median of 0.3, 0.5, 0.4
    assert.deepEqual(fit.skipped, ['vgg11']);
    const g = fit.groups[1];
    assert.equal(g.residuals.length, 4);
    close(g.residuals[3].fittedMs, 0.5 + 1e-7 * 2e7, 1e-9);
    close(g.rmseMs, 0, 1e-9);
    close(g.mapePct, 0, 1e-9);
  });

  test('robust option drops a 10x outlier and refits the true line; without it the line is pulled', () => {
    const pts: LayerTiming[] = [1e6, 2e6, 3e6, 4e6, 5e6, 6e6].map((macc, i) => ({
      caseId: `c${i}`, kind: 'conv', kernel: 5, macc,
      // ±1% alternating noise around 1 + 1e-6·MACC
      medianMs: (1 + 1e-6 * macc) * (i % 2 === 0 ? 1.01 : 0.99),
    }));
    pts[2] = { ...pts[2], medianMs: 40 }; // a stalled measurement
    const plain = fitComputeLines(pts);
    const robust = fitComputeLines(pts, { robust: true });
    assert.deepEqual(plain.groups[0].dropped, []);
    assert.deepEqual(robust.groups[0].dropped, ['c2']);
    assert.equal(robust.lines[0].points, 5);
    close(robust.lines[0].slopeMsPerMacc, 1e-6, 0.05);
    assert.ok(Math.abs(plain.lines[0].slopeMsPerMacc - 1e-6) > 0.2e-6, 'the outlier should pull the plain fit');
    assert.ok((robust.lines[0].r2 ?? 0) > 0.99);
  });

  test('a conv timing without a kernel, an unknown kind, or one MACC value per group is a FitError naming it', () => {
    assert.throws(() => fitComputeLines([{ caseId: 'conv-x', kind: 'conv', kernel: null, macc: 5, medianMs: 1 }]), (e: unknown) => e instanceof FitError && /conv-x/.test(e.message));
    assert.throws(() => fitComputeLines([{ caseId: 'lstm-1', kind: 'lstm', kernel: null, macc: 5, medianMs: 1 }]), /lstm-1.*unknown layer kind "lstm"/);
    assert.throws(() => fitComputeLines([
      { caseId: 'a', kind: 'conv', kernel: 7, macc: 5, medianMs: 1 },
      { caseId: 'b', kind: 'conv', kernel: 7, macc: 5, medianMs: 2 },
    ]), /conv k=7/);
  });
});

describe('buildDeviceProfile', () => {
  test('the fitted lines estimate layers as the known lines do', () => {
    const fit = fitComputeLines(synthetic());
    const profile = buildDeviceProfile({
      name: 'synthetic', device: { id: 'local', cores: 1 }, backend: 'tfjs-node wasm (simd)', compute: fit,
      transfer: [{ bandwidthMbps: 4, interceptMs: 1, slopeMsPerByte: 0 }], createdAt: '2025-01-01T00:00:00.000Z',
    });
    assert.equal(profile.backend, 'tfjs-node wasm (simd)');
    assert.equal(profile.otherLayerMs, 0.4);
    // conv k=3, 3e6 MACCs: 0.5 + 0.3 = 0.8 ms; fc 1e6 MACCs: 0.05 + 0.2 = 0.25 ms; a pool layer: 0.4 ms.
    close(layerLatencyMs(profile, 'conv', 3, 3e6), 0.8, 1e-9);
    close(layerLatencyMs(profile, 'fc', undefined, 1e6), 0.25, 1e-9);
    assert.equal(layerLatencyMs(profile, 'maxpool', 2, 0), 0.4);
  });

  test('an out-of-range line is refused by the profile reader, naming the path', () => {
    assert.throws(() => buildDeviceProfile({
      name: 'bad', device: { id: 'local' }, compute: { lines: [], otherLayerMs: 0 },
      transfer: [{ bandwidthMbps: 0, interceptMs: 1, slopeMsPerByte: 0 }],
    }), (e: unknown) => e instanceof ProfileFormatError && /\$\.transfer\[0\]\.bandwidthMbps/.test(e.message));
  });
});
