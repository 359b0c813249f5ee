import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { validationModels } from '../../profiler/validation/validation-set.ts';
import { ELEMENT_LAYER_TYPES, type ComputeLine, type DeviceProfile, type ElementLine } from '../device-profile.ts';
import { ProfileCoverageError } from '../errors.ts';
import { estimateLatency } from '../estimate.ts';
import { FitError } from './errors.ts';
import { adjustProfileToModels, fitProfileFromScratch, TooFewModelsError, type ModelFitFigures, type TimedModel } from './fit-models.ts';

const analyses = validationModels().map(analyzeModel);

function timed(profile: DeviceProfile, which = analyses): TimedModel[] {
  return which.map((analysis) => ({ name: analysis.spec.name, analysis, measuredMs: estimateLatency(analysis, analysis.layers.length, profile, null, 1).totalMs }));
}

function assertWithin(f: ModelFitFigures, pct: number, what: string): void {
  for (const r of f.rows) assert.ok(Math.abs(r.errorPct) <= pct, `${what}: ${r.name} off by ${r.errorPct}%`);
  assert.equal(f.within10Pct, 1);
}

/** A device whose layers cost one slope per group and 0.04 ms each: what a fit from scratch can represent exactly. */
const SLOPES = { conv: 1.2e-6, depthwise: 6e-6, fc: 4e-7, elements: 3e-6 };
const OVERHEAD = 0.04;
const line = (layerType: ComputeLine['layerType'], kernel: number | null): ComputeLine => ({ layerType, kernel, slopeMsPerMacc: SLOPES[layerType], interceptMs: OVERHEAD });
const linear: DeviceProfile = {
  formatVersion: 1,
  name: 'linear board',
  device: { id: 'board' },
  compute: [...[1, 3, 5, 7, 11].map((k) => line('conv', k)), ...[3, 5, 7].map((k) => line('depthwise', k)), line('fc', null)],
  elementLines: ELEMENT_LAYER_TYPES.map((layerType) => ({ layerType, slopeMsPerElement: SLOPES.elements, interceptMs: OVERHEAD })),
  otherLayerMs: OVERHEAD,
  transfer: [],
};

describe('a profile fitted from whole-model timings alone', () => {
  test('recovers the slopes and overhead of the 21 validation models exactly, in sample and leaving each out', () => {
    const models = timed(linear);
    assert.equal(models.length, 21);
    const fit = fitProfileFromScratch(models, { name: 'from models', device: { id: 'board' }, createdAt: '2025-01-01T00:00:00Z' });
    assert.equal(fit.mode, 'scratch');
    assert.equal(fit.parameters, 5);
    assert.deepEqual(fit.groups.map((g) => g.group), ['conv', 'depthwise', 'fc', 'elements']);
    for (const g of fit.groups) assert.ok(Math.abs(g.value / SLOPES[g.group] - 1) < 1e-9, `${g.group}: ${g.value} vs ${SLOPES[g.group]}`);
    assert.ok(Math.abs(fit.overheadMs / OVERHEAD - 1) < 1e-9, `overhead ${fit.overheadMs}`);
    assertWithin(fit.inSample, 1e-7, 'in sample');
    assertWithin(fit.leaveOneOut, 1e-7, 'leave-one-out');
    assert.equal(fit.leaveOneOut.rows.length, 21);
    // The stored profile gives every conv kernel the conv slope, the overhead as intercept.
    const conv3 = fit.profile.compute.find((l) => l.layerType === 'conv' && l.kernel === 3)!;
    assert.ok(Math.abs(conv3.slopeMsPerMacc / SLOPES.conv - 1) < 1e-9 && Math.abs(conv3.interceptMs / OVERHEAD - 1) < 1e-9);
    assert.deepEqual(fit.profile.compute.filter((l) => l.layerType === 'conv').map((l) => l.kernel), [1, 3, 5, 7, 11]);
    assert.equal(fit.profile.elementLines?.length, ELEMENT_LAYER_TYPES.length);
    assert.deepEqual([fit.profile.name, fit.profile.device.id, fit.profile.createdAt], ['from models', 'board', '2025-01-01T00:00:00Z']);
  });

  test('models without depthwise layers fit no depthwise lines and one unknown fewer', () => {
    const noDw = analyses.filter((a) => !a.layers.some((l) => l.layer.type === 'depthwise'));
    const fit = fitProfileFromScratch(timed(linear, noDw), { name: 'n', device: { id: 'board' } });
    assert.deepEqual(fit.groups.map((g) => g.group), ['conv', 'fc', 'elements']);
    assert.equal(fit.parameters, 4);
    assert.equal(fit.profile.compute.some((l) => l.layerType === 'depthwise'), false);
  });

  test('fewer models than unknowns + 1 is a TooFewModelsError naming the unknowns', () => {
    const noDw = analyses.filter((a) => !a.layers.some((l) => l.layer.type === 'depthwise')).slice(0, 4);
    assert.throws(() => fitProfileFromScratch(timed(linear, noDw), { name: 'n', device: { id: 'board' } }), (e: Error) => e instanceof TooFewModelsError
      && /from 4 whole-model timings: the fit has 4 unknowns \(ms per MACC of conv layers, ms per MACC of fc layers, ms per element of zero-MACC layers, per-layer overhead\), so it needs at least 5 models/.test(e.message));
  });

  test('a time that is not a positive finite number is a FitError naming the model', () => {
    const models = timed(linear);
    models[2] = { ...models[2], measuredMs: 0 };
    assert.throws(() => fitProfileFromScratch(models, { name: 'n', device: { id: 'board' } }), (e: Error) => e instanceof FitError && /model "resnet18"/.test(e.message));
  });
});

/** A calibrated-looking device: a line per kernel with its own intercept, element lines, and cold lines beyond 16 MiB. */
const truth: DeviceProfile = {
  formatVersion: 1,
  name: 'board v1',
  device: { id: 'board', model: 'Test board' },
  backend: 'tflite',
  compute: [
    { layerType: 'conv', kernel: 1, slopeMsPerMacc: 1.6e-6, interceptMs: 0.03 },
    { layerType: 'conv', kernel: 3, slopeMsPerMacc: 1.1e-6, interceptMs: 0.05 },
    { layerType: 'conv', kernel: 5, slopeMsPerMacc: 1.3e-6, interceptMs: 0.06 },
    { layerType: 'conv', kernel: 11, slopeMsPerMacc: 1.5e-6, interceptMs: 0.08 },
    { layerType: 'depthwise', kernel: 3, slopeMsPerMacc: 5e-6, interceptMs: 0.02 },
    { layerType: 'fc', kernel: null, slopeMsPerMacc: 3e-7, interceptMs: 0.01 },
  ],
  elementLines: [
    { layerType: 'bn', slopeMsPerElement: 2e-6, interceptMs: 0.01 },
    { layerType: 'activation', slopeMsPerElement: 1e-6, interceptMs: 0.005 },
    { layerType: 'maxpool', slopeMsPerElement: 1.5e-6, interceptMs: 0.01 },
    { layerType: 'add', slopeMsPerElement: 2.5e-6, interceptMs: 0.01 },
  ],
  otherLayerMs: 0.004,
  cold: {
    cacheBytes: 16 * 1024 * 1024,
    compute: [
      { layerType: 'conv', kernel: 1, slopeMsPerMacc: 2e-6, interceptMs: 0.04 },
      { layerType: 'conv', kernel: 3, slopeMsPerMacc: 1.4e-6, interceptMs: 0.07 },
      { layerType: 'conv', kernel: 5, slopeMsPerMacc: 1.6e-6, interceptMs: 0.08 },
      { layerType: 'conv', kernel: 11, slopeMsPerMacc: 1.9e-6, interceptMs: 0.1 },
      { layerType: 'depthwise', kernel: 3, slopeMsPerMacc: 6e-6, interceptMs: 0.03 },
      { layerType: 'fc', kernel: null, slopeMsPerMacc: 9e-7, interceptMs: 0.02 },
    ],
  },
  transfer: [{ bandwidthMbps: 10, interceptMs: 2, slopeMsPerByte: 0 }],
};

function scaled(p: DeviceProfile, f: number): DeviceProfile {
  const c = (l: ComputeLine): ComputeLine => ({ ...l, slopeMsPerMacc: l.slopeMsPerMacc * f, interceptMs: l.interceptMs * f });
  const e = (l: ElementLine): ElementLine => ({ ...l, slopeMsPerElement: l.slopeMsPerElement * f, interceptMs: l.interceptMs * f });
  return {
    ...p, compute: p.compute.map(c), elementLines: p.elementLines?.map(e), otherLayerMs: (p.otherLayerMs ?? 0) * f,
    ...(p.cold && { cold: { ...p.cold, compute: p.cold.compute.map(c) } }),
  };
}

describe('a profile adjusted to whole-model timings', () => {
  const models = timed(truth);
  const base = scaled(truth, 0.8);

  test('a profile whose lines are all 20% low comes back within 1%, in sample and leaving each out', () => {
    const fit = adjustProfileToModels(models, base);
    assert.equal(fit.mode, 'adjust');
    assert.equal(fit.parameters, 5);
    // The groups that carry most of the time come back to 1.25; the ridge keeps the faint ones (fc, zero-MACC) nearer 1,
    // where the overhead stands in for them.
    for (const g of fit.groups.filter((x) => x.group === 'conv' || x.group === 'depthwise')) assert.ok(Math.abs(g.value / 1.25 - 1) < 0.01, `${g.group} scale ${g.value}`);
    for (const g of fit.groups) assert.ok(g.value > 1 && g.value < 1.26, `${g.group} scale ${g.value}`);
    assertWithin(fit.inSample, 1, 'in sample');
    assertWithin(fit.leaveOneOut, 2, 'leave-one-out');
    assert.ok(fit.leaveOneOut.rows.filter((r) => Math.abs(r.errorPct) <= 1).length >= 20);
    // The conv lines themselves, warm and cold, are within 1% of the device's.
    fit.profile.compute.forEach((l, i) => assert.ok(l.layerType !== 'conv' || Math.abs(l.slopeMsPerMacc / truth.compute[i].slopeMsPerMacc - 1) < 0.01, `${l.layerType} ${l.kernel}`));
    fit.profile.cold!.compute.forEach((l, i) => assert.ok(l.layerType !== 'conv' || Math.abs(l.slopeMsPerMacc / truth.cold!.compute[i].slopeMsPerMacc - 1) < 0.01));
    assert.equal(fit.profile.cold!.cacheBytes, truth.cold!.cacheBytes);
    assert.deepEqual([fit.profile.name, fit.profile.device, fit.profile.backend, fit.profile.transfer], [base.name, base.device, base.backend, base.transfer]);
    assert.equal(fit.profile.compute[0].r2, undefined);
  });

  test('without the ridge, exact timings give the exact factor; with it, no data leaves a profile as it is', () => {
    const exact = adjustProfileToModels(models, base, { ridge: 0 });
    for (const g of exact.groups) assert.ok(Math.abs(g.value / 1.25 - 1) < 1e-9, `${g.group} scale ${g.value}`);
    assert.ok(exact.overheadMs < 1e-9);
    // Timings the base already gets right: nothing to change.
    const same = adjustProfileToModels(timed(base), base);
    for (const g of same.groups) assert.ok(Math.abs(g.value - 1) < 1e-9);
    assert.ok(same.overheadMs < 1e-12);
  });

  test('a base profile that cannot estimate a model is a ProfileCoverageError naming it', () => {
    const noDepthwise = { ...base, compute: base.compute.filter((l) => l.layerType !== 'depthwise'), cold: undefined };
    assert.throws(() => adjustProfileToModels(models, noDepthwise), (e: Error) => e instanceof ProfileCoverageError
      && /^profile "board v1": cannot estimate model "vgg11-dws": has no line for depthwise with kernel 3/.test(e.message));
  });

  test('too few models for its unknowns is a TooFewModelsError', () => {
    assert.throws(() => adjustProfileToModels(models.slice(0, 4), base), (e: Error) => e instanceof TooFewModelsError && /needs at least 5 models/.test(e.message));
  });
});
