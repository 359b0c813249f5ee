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

  test('zero-MACC kinds timed at several element counts give their element lines; one size only feeds otherLayerMs', () => {
    // Known: bn 0.003 + 3.4e-6·n, add 0.001 + 6e-7·n; a single relu size has no line.
    const pts: LayerTiming[] = [];
    for (const n of [512, 4096, 16384, 65536]) {
      pts.push({ caseId: `bn-${n}`, kind: 'bn', kernel: null, macc: 0, elements: n, medianMs: 0.003 + 3.4e-6 * n });
      pts.push({ caseId: `add-${n}`, kind: 'add', kernel: null, macc: 0, elements: n, medianMs: 0.001 + 6e-7 * n });
    }
    pts.push({ caseId: 'relu-1', kind: 'activation', kernel: null, macc: 0, elements: 1024, medianMs: 0.002 });
    pts.push({ caseId: 'c1', kind: 'conv', kernel: 3, macc: 1e6, medianMs: 1 }, { caseId: 'c2', kind: 'conv', kernel: 3, macc: 2e6, medianMs: 2 });
    const fit = fitComputeLines(pts);
    assert.deepEqual(fit.elementLines.map((l) => l.layerType), ['bn', 'add']);
    close(fit.elementLines[0].interceptMs, 0.003, 1e-9);
    close(fit.elementLines[0].slopeMsPerElement, 3.4e-6, 1e-9);
    close(fit.elementLines[1].interceptMs, 0.001, 1e-9);
    close(fit.elementLines[1].slopeMsPerElement, 6e-7, 1e-9);
    assert.equal(fit.elementLines[0].points, 4);
    assert.equal(fit.elementGroups[0].residuals[3].elements, 65536);
    close(fit.elementGroups[0].residuals[3].fittedMs, 0.003 + 3.4e-6 * 65536, 1e-9);
    // otherLayerMs stays the median of every zero-MACC timing (the fallback of types without a line).
    const all = pts.filter((p) => p.macc === 0).map((p) => p.medianMs).sort((a, b) => a - b);
    assert.equal(fit.otherLayerMs, all[4]); // the 5th of 9
    // In a profile, a bn of 32x32x64 costs by its line: 0.003 + 3.4e-6 · 65,536 = 0.2258 ms.
    const profile = buildDeviceProfile({ name: 'p', device: { id: 'local' }, compute: fit });
    close(profile.elementLines?.[0].interceptMs ?? 0, 0.003, 1e-9);
    assert.throws(() => fitComputeLines([{ caseId: 'bn-x', kind: 'bn', kernel: null, macc: 0, elements: -1, medianMs: 1 }]), (e: unknown) => e instanceof FitError && /bn-x/.test(e.message));
  });

  test('robust dropping uses the scaled MAD (3 · 1.4826 · MAD): a 4-MAD point is kept, a 5-MAD one dropped', () => {
    // Residuals about a true line y = x of +d, -d alternating give MAD = d; one point off by k·d.
    const make = (k: number): LayerTiming[] => [1, 2, 3, 4, 5, 6, 7, 8].map((x, i) => ({
      caseId: `p${i}`, kind: 'fc', kernel: null, macc: x * 1e6, medianMs: x + (i === 4 ? k * 0.01 : i % 2 === 0 ? 0.01 : -0.01),
    }));
    // Unscaled 3·MAD would drop a point at ~4 MAD; the scaled bound is ~4.45 MAD of the refit residuals.
    assert.deepEqual(fitComputeLines(make(4), { robust: true }).groups[0].dropped, []);
    assert.deepEqual(fitComputeLines(make(8), { robust: true }).groups[0].dropped, ['p4']);
  });

  test('a group whose fit falls with MACCs is stored flat at its median, with that line\'s figures', () => {
    const pts: LayerTiming[] = [
      { caseId: 'a', kind: 'conv', kernel: 7, macc: 1e6, medianMs: 0.3 },
      { caseId: 'b', kind: 'conv', kernel: 7, macc: 2e6, medianMs: 0.2 },
      { caseId: 'c', kind: 'conv', kernel: 7, macc: 3e6, medianMs: 0.1 },
    ];
    const fit = fitComputeLines(pts);
    assert.equal(fit.lines[0].slopeMsPerMacc, 0);
    close(fit.lines[0].interceptMs, 0.2, 1e-12);
    const g = fit.groups[0];
    // Flat line at 0.2: residuals 0.1, 0, -0.1 -> SS_res 0.02 = SS_tot: R² 0; RMSE sqrt(0.02/3); MAPE (1/3 + 0 + 1) / 3.
    close(g.r2, 0, 1e-12);
    close(g.rmseMs, Math.sqrt(0.02 / 3), 1e-12);
    close(g.mapePct, (100 / 3) * (1 / 3 + 1), 1e-9);
    assert.deepEqual(g.residuals.map((r) => r.fittedMs), [0.2, 0.2, 0.2]);
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
