import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel, type ModelAnalysis } from '../../dnn/spec/analyze.ts';
import { anchorModels } from '../../profiler/validation/anchor-set.ts';
import { validationModels } from '../../profiler/validation/validation-set.ts';
import { ELEMENT_LAYER_TYPES, type ComputeLine, type DeviceProfile } from '../device-profile.ts';
import { analysedLayerLatencyMs } from '../compute-latency.ts';
import { estimateLatency } from '../estimate.ts';
import { FitError } from './errors.ts';
import { correctForInModelTime, type AnchorTiming } from './in-model-correction.ts';

const line = (layerType: ComputeLine['layerType'], kernel: number | null, slope: number): ComputeLine => ({ layerType, kernel, slopeMsPerMacc: slope, interceptMs: 0.02 });
const bench: DeviceProfile = {
  formatVersion: 1,
  name: 'bench lines',
  device: { id: 'board' },
  compute: [line('conv', 1, 2e-6), line('conv', 3, 1e-6), line('conv', 5, 1e-6), line('conv', 7, 1e-6), line('depthwise', 3, 5e-6), line('fc', null, 4e-7)],
  elementLines: ELEMENT_LAYER_TYPES.map((layerType) => ({ layerType, slopeMsPerElement: 2e-6, interceptMs: 0.01 })),
  otherLayerMs: 0.01,
  reference: { id: 'ref', ms: 0.07 },
  transfer: [],
};

/** How this device runs layers inside a model: MACC layers 1.1x their bench lines, zero-MACC layers 1.5x. */
const IN_MODEL = { macc: 1.1, zero: 1.5 };
function timedInModel(analysis: ModelAnalysis, idle = 0): AnchorTiming {
  const layerMs = analysis.layers.map((l) => analysedLayerLatencyMs(bench, l) * (['conv', 'depthwise', 'fc'].includes(l.layer.type) ? IN_MODEL.macc : IN_MODEL.zero));
  return { name: analysis.spec.name, analysis, totalMs: layerMs.reduce((s, t) => s + t, 0) + idle, layerMs };
}

const anchors = anchorModels().map(analyzeModel);

describe('the in-model correction from anchor models', () => {
  test('no anchor is a validation model', () => {
    const validation = new Set(validationModels().map((m) => m.name));
    assert.ok(anchors.length >= 6);
    for (const a of anchors) assert.ok(!validation.has(a.spec.name), a.spec.name);
  });

  test('scales each line by its group\'s in-model ratio, so the validation models are estimated as they run in a model', () => {
    const fit = correctForInModelTime(bench, anchors.map((a) => timedInModel(a)));
    const conv3 = fit.factors.find((f) => f.layerType === 'conv' && f.kernel === 3)!;
    assert.equal(conv3.from, 'refit', 'the anchors hold many 3x3 convs of many sizes');
    assert.ok(Math.abs(conv3.factor - 1.1) < 1e-9, `conv 3x3 factor ${conv3.factor}`);
    assert.equal(fit.factors.find((f) => f.layerType === 'gap')?.from, 'pooled', 'two gap layers: too few of its own');
    const bn = fit.factors.find((f) => f.layerType === 'bn')!;
    assert.ok(Math.abs(bn.factor - 1.5) < 1e-9, `bn factor ${bn.factor}`);
    for (const spec of validationModels()) {
      const a = analyzeModel(spec);
      const truth = timedInModel(a).totalMs;
      const est = estimateLatency(a, a.layers.length, fit.profile, null, 1).totalMs;
      // Intercepts of lines whose layers have 0 estimate are scaled too, so exact up to rounding.
      assert.ok(Math.abs(est / truth - 1) < 1e-6, `${spec.name}: ${est} vs ${truth}`);
    }
    assert.deepEqual(fit.profile.reference, bench.reference);
    assert.deepEqual(fit.anchors, anchors.map((a) => a.spec.name));
  });

  test('a ratio that grows with a layer\'s size is followed by the refitted lines', () => {
    // Zero-MACC layers run at twice their bench slope inside a model, at the same intercept: small ones ~1x, large ones ~2x.
    const sized = anchors.map((analysis) => {
      const layerMs = analysis.layers.map((l) => {
        const bench1 = analysedLayerLatencyMs(bench, l);
        return ['conv', 'depthwise', 'fc'].includes(l.layer.type) ? bench1 : 0.01 + 2 * (bench1 - 0.01);
      });
      return { name: analysis.spec.name, analysis, totalMs: layerMs.reduce((s, t) => s + t, 0), layerMs };
    });
    const fit = correctForInModelTime(bench, sized);
    const bn = fit.profile.elementLines!.find((l) => l.layerType === 'bn')!;
    assert.ok(Math.abs(bn.slopeMsPerElement / 4e-6 - 1) < 1e-6 && Math.abs(bn.interceptMs - 0.01) < 1e-9, `bn line ${bn.slopeMsPerElement} ${bn.interceptMs}`);
    for (const spec of validationModels()) {
      const a = analyzeModel(spec);
      const truth = a.layers.reduce((s, l) => {
        const bench1 = analysedLayerLatencyMs(bench, l);
        return s + (['conv', 'depthwise', 'fc'].includes(l.layer.type) ? bench1 : 0.01 + 2 * (bench1 - 0.01));
      }, 0);
      const est = estimateLatency(a, a.layers.length, fit.profile, null, 1).totalMs;
      // Only the gap layer (too few anchors of its own) is scaled by a ratio, not refitted.
      assert.ok(Math.abs(est / truth - 1) < 0.01, `${spec.name}: ${est} vs ${truth}`);
    }
  });

  test('a kernel no anchor holds takes the median over all MACC layers, and says so', () => {
    const fit = correctForInModelTime(bench, anchors.map((a) => timedInModel(a)));
    const conv7 = fit.factors.find((f) => f.layerType === 'conv' && f.kernel === 7)!;
    assert.equal(conv7.from, 'pooled');
    assert.equal(conv7.layers, 0);
    assert.ok(Math.abs(conv7.factor - 1.1) < 1e-9);
  });

  test('time between layers is shared among them: a model slower in total than its layers raises every factor alike', () => {
    const slow = anchors.map((a) => {
      const t = timedInModel(a);
      return { ...t, totalMs: t.totalMs * 1.05 };
    });
    const fit = correctForInModelTime(bench, slow);
    const conv3 = fit.factors.find((f) => f.layerType === 'conv' && f.kernel === 3)!;
    assert.ok(Math.abs(conv3.factor - 1.1 * 1.05) < 1e-9, `${conv3.factor}`);
  });

  test('bad anchor timings are refused naming the model', () => {
    const a = timedInModel(anchors[0]);
    assert.throws(() => correctForInModelTime(bench, [{ ...a, layerMs: a.layerMs.slice(1) }]), (e: unknown) => e instanceof FitError && e.message.includes(a.name) && /layer timings/.test(e.message));
    assert.throws(() => correctForInModelTime(bench, [{ ...a, totalMs: Number.NaN }]), (e: unknown) => e instanceof FitError && e.message.includes(a.name));
    assert.throws(() => correctForInModelTime(bench, []), FitError);
  });
});
