import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fitLineTerms, usableTerms, type LineTermPoint } from './fit-line-terms.ts';
import { fitComputeLines, type LayerTiming } from './fit-compute.ts';
import { layerLatencyMs } from '../compute-latency.ts';
import { layerPatches } from '../layer-elements.ts';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import type { DeviceProfile } from '../device-profile.ts';

const close = (a: number, b: number, rel: number, what: string) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} is not within ${rel * 100}% of ${b}`);

// A 3x3 conv line: 0.011 ms per MMACC, 0.15 ms per M weights, 0.5 ms per M patch elements, 0.01 ms fixed.
const TRUE = { interceptMs: 0.01, slopeMsPerMacc: 1.1e-8, slopeMsPerWeight: 1.5e-7, slopeMsPerPatch: 5e-7 };

/** cin = cout = c at H x H, k = 3: MACC = 9 H² c², weights = 9 c², patches = 9 H² c. */
function conv(h: number, c: number): { macc: number; weights: number; patches: number } {
  return { macc: 9 * h * h * c * c, weights: 9 * c * c, patches: 9 * h * h * c };
}

const truth = (p: { macc: number; weights: number; patches: number }): number => TRUE.interceptMs + TRUE.slopeMsPerMacc * p.macc + TRUE.slopeMsPerWeight * p.weights + TRUE.slopeMsPerPatch * p.patches;

function points(shapes: [number, number][], noise: (i: number) => number = () => 1): LineTermPoint[] {
  return shapes.map(([h, c], i) => ({ caseId: `conv-k3-${h}x${h}x${c}`, ...conv(h, c), y: truth(conv(h, c)) * noise(i) }));
}

// The quick suite's shapes: maps of 32, 16 and 8 with channels from 8 to 208, and the weight cases on 4x4 and 2x2.
const GRID: [number, number][] = [[32, 8], [16, 16], [8, 32], [16, 32], [8, 80], [32, 24], [16, 72], [8, 208], [32, 64], [4, 512], [2, 512]];

describe('a compute line on MACCs, weights and patch elements', () => {
  test('recovers every slope and the intercept from the quick suite\'s shapes, with ±3% noise', () => {
    const noisy = points(GRID, (i) => [1.03, 0.97, 1.01, 0.99, 1.02, 0.98, 1.0, 1.01, 0.99, 1.0, 1.02][i]);
    assert.deepEqual(usableTerms(noisy), ['weights', 'patches']);
    const f = fitLineTerms(noisy, ['weights', 'patches'], 'conv k=3', true);
    close(f.slopeMsPerMacc, TRUE.slopeMsPerMacc, 0.15, 'ms per MACC');
    close(f.slopeMsPerWeight, TRUE.slopeMsPerWeight, 0.15, 'ms per weight');
    close(f.slopeMsPerPatch, TRUE.slopeMsPerPatch, 0.25, 'ms per patch element');
    // Every case within 5%, small and large: the fit minimises relative error.
    for (const p of noisy) close(f.interceptMs + f.slopeMsPerMacc * p.macc + f.slopeMsPerWeight * p.weights + f.slopeMsPerPatch * p.patches, p.y, 0.05, p.caseId);
  });

  test('a point three times too slow (a stall) is dropped and the slopes stay', () => {
    const f = fitLineTerms(points(GRID, (i) => (i === 6 ? 3 : 1)), ['weights', 'patches'], 'conv k=3', true);
    assert.deepEqual(f.dropped, ['conv-k3-16x16x72']);
    close(f.slopeMsPerWeight, TRUE.slopeMsPerWeight, 1e-6, 'ms per weight');
  });

  test('a term whose ratio to MACCs barely varies over the points is left out', () => {
    // One map size: weights per MACC are 1/64 throughout.
    assert.deepEqual(usableTerms(points([[8, 16], [8, 32], [8, 64], [8, 128], [8, 256]])), ['patches']);
    // One channel count: patches per MACC are 1/c throughout, weights per MACC 1/H² from 1/1024 to 1/4.
    assert.deepEqual(usableTerms(points([[32, 64], [16, 64], [8, 64], [4, 64], [2, 64]])), ['weights']);
    assert.deepEqual(usableTerms(points([[32, 16], [2, 512], [8, 8], [4, 100]])), [], 'four points are too few');
  });

  test('fitComputeLines fits conv groups with sizes on their terms; the residuals carry them', () => {
    const timings: LayerTiming[] = points(GRID).map((p) => ({ caseId: p.caseId, kind: 'conv', kernel: 3, macc: p.macc, weights: p.weights, patches: p.patches, medianMs: p.y }));
    const fit = fitComputeLines(timings, { robust: true });
    const conv3 = fit.lines[0];
    close(conv3.slopeMsPerWeight ?? 0, TRUE.slopeMsPerWeight, 1e-6, 'conv ms per weight');
    close(conv3.slopeMsPerPatch ?? 0, TRUE.slopeMsPerPatch, 1e-6, 'conv ms per patch element');
    const residual = fit.groups[0].residuals.find((r) => r.caseId === 'conv-k3-2x2x512')!;
    close(residual.fittedMs, residual.measuredMs, 1e-6, 'fitted 2x2x512');
    assert.equal(residual.weights, 9 * 512 * 512);
    // Without sizes, the MACC-only line of before.
    const bare = fitComputeLines(timings.map(({ weights: _w, patches: _p, ...t }) => t));
    assert.equal(bare.lines[0].slopeMsPerWeight, undefined);
    assert.equal(bare.lines[0].slopeMsPerPatch, undefined);
  });

  test('an estimate adds the terms, with the patch elements of the analysed layer', () => {
    const profile: DeviceProfile = { formatVersion: 1, name: 'p', device: { id: 'x' }, transfer: [], compute: [{ layerType: 'conv', kernel: 3, ...TRUE }] };
    const layer = analyzeModel({ name: 'c', inputShape: [2, 2, 512], layers: [{ id: 'conv', type: 'conv', kernel: 3, padding: 'same', outChannels: 512 }] }).layers[0];
    assert.equal(layerPatches(layer), 9 * 4 * 512);
    const { macc, weights, patches } = conv(2, 512);
    close(layerLatencyMs(profile, 'conv', 3, macc, weights, patches), truth(conv(2, 512)), 1e-12, 'estimate');
    assert.throws(() => layerLatencyMs(profile, 'conv', 3, macc, -1), /weight count must be a finite number >= 0, got -1/);
    assert.throws(() => layerLatencyMs(profile, 'conv', 3, macc, 0, Number.NaN), /patch element count must be a finite number >= 0, got NaN/);
  });
});
