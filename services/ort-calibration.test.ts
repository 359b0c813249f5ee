// ONNX Runtime calibrated and validated on this computer through the Node runner, with the
// real onnxruntime-node; runtimes the runner cannot time, and mixed runtimes, are refused.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudioServices } from './studio-services.ts';
import { listMeasurements } from '../profiles/measurement-repository.ts';
import { dispatchStudioCall } from '../api/dispatch.ts';

describe('calibrating ONNX Runtime on this computer', () => {
  const home = mkdtempSync(join(tmpdir(), 'edgetree-ort-'));
  const s = createStudioServices({ home, mode: 'cli', adbPort: false });
  after(() => {
    s.close();
    rmSync(home, { recursive: true, force: true });
  });

  let profileId = '';
  test('a tiny plan is timed by ONNX Runtime; the profile records the runtime, and the anchors show what it fuses', async () => {
    const tiny = await s.startCalibration({ deviceId: 'local', suite: 'quick', casesPerGroup: 2, transfer: false, runtime: 'onnxruntime' });
    await s.idle();
    const st = await s.calibrationStatus({ runId: tiny.runId });
    assert.equal(st.status, 'done', st.message);
    assert.ok(st.profileId);
    profileId = st.profileId;
    const measurements = listMeasurements(s.db, st.runId);
    assert.ok(measurements.length > 0 && measurements.every((m) => m.runner === 'onnxruntime-node' && /^onnxruntime \d+\.\d+\.\d+ \(cpu, 1 thread\)$/.test(m.backend)));
    const p = await s.showProfile({ id: profileId });
    assert.equal(p.profile.runtime, 'onnxruntime');
    assert.match(p.profile.backend ?? '', /^onnxruntime /);
    assert.match(p.name, /onnxruntime/);
    // ONNX Runtime folds a batch norm into the conv before it and fuses the activation: inside the anchor models they cost nothing.
    const factor = (type: string): number | undefined => p.inModel?.factors.find((f) => f.layerType === type)?.factor;
    assert.equal(factor('bn'), 0);
    assert.ok((factor('conv') ?? 0) > 0);
  });

  test('the validation times the models in ONNX Runtime, and refuses another runtime for this profile', async () => {
    const v = await dispatchStudioCall(s, 'startValidation', { deviceId: 'local', profileId, models: ['resnet10-w0.5', 'alexnet-w0.5'], runtime: 'onnxruntime' }) as { runId: string };
    await s.idle();
    const st = await s.validationStatus({ runId: v.runId });
    assert.equal(st.status, 'done', st.message);
    const r = st.report;
    assert.ok(r);
    assert.match(r.backend, /^onnxruntime /);
    for (const m of r.models) {
      assert.ok(m.measuredMs > 0 && m.estimatedMs > 0, m.name);
      // Fused into their convs: the batch norms read 0 ms, the convs carry the time.
      assert.ok(m.layers.filter((l) => l.type === 'bn').every((l) => l.measuredMs === 0), m.name);
      assert.ok(m.layers.filter((l) => l.type === 'conv').every((l) => l.measuredMs > 0), m.name);
    }
    await assert.rejects(s.startValidation({ deviceId: 'local', profileId, runtime: 'tfjs-wasm' }),
      new RegExp(`profile ${profileId} was calibrated on onnxruntime: it estimates onnxruntime's latency, not tfjs-wasm's`));
  });

  test('runtimes the Node runner cannot time are refused by name, before any run is stored', async () => {
    const before = (await s.listCalibrations({})).length;
    await assert.rejects(s.startCalibration({ deviceId: 'local', suite: 'quick', runtime: 'tflite' }), /runtime tflite: its models are timed by benchmark_model on the device/);
    await assert.rejects(s.startCalibration({ deviceId: 'adb:emulator-5554', suite: 'quick', runtime: 'onnxruntime' }), /a phone is calibrated in its browser, on tfjs-wasm/);
    await assert.rejects(dispatchStudioCall(s, 'startCalibration', { deviceId: 'local', suite: 'quick', runtime: 'onnx' }), /runtime.*must be one of tfjs-wasm, tfjs-node, onnxruntime, tflite, tensorrt/);
    assert.equal((await s.listCalibrations({})).length, before);
  });
});
