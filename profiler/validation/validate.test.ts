// @serial: times real models on WASM.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import type { DeviceProfile } from '../../latency/device-profile.ts';
import type { ModelTiming } from '../runner/run-bench-cases.ts';
import { createLocalModelTimer } from './local-model-timer.ts';
import { validateModels, type ModelTimer } from './validate.ts';
import { MAX_RETIMES } from './slow-stretch.ts';

const small = (name: string, c: number): ModelSpec => ({
  name, inputShape: [8, 8, 4],
  layers: [{ id: 'c', type: 'conv', kernel: 3, padding: 'same', outChannels: c }, { id: 'g', type: 'gap' }, { id: 'f', type: 'fc', outChannels: 2 }],
});

const profile: DeviceProfile = {
  formatVersion: 1, name: 'p', device: { id: 'local' }, transfer: [],
  compute: [{ layerType: 'conv', kernel: 3, slopeMsPerMacc: 1e-7, interceptMs: 0.01 }, { layerType: 'fc', kernel: null, slopeMsPerMacc: 1e-7, interceptMs: 0.01 }],
  otherLayerMs: 0.005,
};

describe('validateModels', () => {
  test('two passes over the set: each model is timed twice, in interleaved order, and keeps its lower median', async () => {
    const local = await createLocalModelTimer({ warmupMs: 10, timedMs: 10, repeats: 5 });
    const seen: { name: string; timing: ModelTiming }[] = [];
    // Records what the real timer measured; the timing itself is untouched.
    const timer: ModelTimer = {
      backend: local.backend,
      async time(spec, signal) {
        const timing = await local.time(spec, signal);
        seen.push({ name: spec.name, timing });
        return timing;
      },
    };
    const progress: number[] = [];
    const report = await validateModels({
      models: [small('a', 8), small('b', 16)], profile, profileId: '1', deviceId: 'local', timer,
      onProgress: (done, total) => progress.push(done, total),
    });
    assert.deepEqual(seen.map((s) => s.name), ['a', 'b', 'a', 'b']);
    for (const row of report.models) {
      const mine = seen.filter((s) => s.name === row.name).map((s) => s.timing.total.medianMs);
      assert.equal(row.measuredMs, Math.min(...mine));
    }
    assert.deepEqual(progress, [0, 4, 1, 4, 2, 4, 3, 4, 4, 4]);
  });

  test('a model timed while the device runs slower than at calibration (by the speed reference) is timed again, and flagged when it stays slow', async () => {
    const timer = await createLocalModelTimer({ warmupMs: 10, timedMs: 10, repeats: 5 });
    const first = await timer.time(small('probe', 8));
    assert.ok(first.referenceMs !== undefined && first.referenceMs > 0, 'the timer times the speed reference beside each model');
    // A profile calibrated with the reference at a third of today's time: every timing reads as a slow stretch.
    const fast = await validateModels({ models: [small('a', 8)], profile: { ...profile, reference: { id: 'ref', ms: first.referenceMs / 3 } }, profileId: '1', deviceId: 'local', timer, passes: 1 });
    assert.equal(fast.models[0].retimes, MAX_RETIMES);
    assert.equal(fast.models[0].unsteady, true);
    assert.deepEqual([fast.retimed, fast.unsteady], [MAX_RETIMES, ['a']]);
    // Calibrated with the reference at three times today's time: nothing is slow, nothing timed again.
    const slow = await validateModels({ models: [small('a', 8)], profile: { ...profile, reference: { id: 'ref', ms: first.referenceMs * 3 } }, profileId: '1', deviceId: 'local', timer, passes: 1 });
    assert.equal(slow.models[0].retimes, undefined);
    assert.deepEqual([slow.retimed, slow.unsteady], [0, []]);
  });
});
