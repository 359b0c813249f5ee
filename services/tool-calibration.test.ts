// TFLite calibrated through a native tool over the device's shell. No benchmark_model can run
// here: the tool is profiler/native/fixtures/replay-benchmark-model.sh, a labelled fixture that
// checks the flags and the pushed .tflite file and prints a saved real output of the tool.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudioServices } from './studio-services.ts';
import { listMeasurements } from '../profiles/measurement-repository.ts';
import { projectFile } from '../profiler/project-files.ts';
import type { CalibrationStatus } from '../api/calibration-api.ts';

const REPLAY = projectFile('profiler', 'native', 'fixtures', 'replay-benchmark-model.sh');

describe('calibrating TFLite with benchmark_model on the device', () => {
  const home = mkdtempSync(join(tmpdir(), 'edgetree-tool-'));
  const s = createStudioServices({ home, mode: 'cli', adbPort: false });
  after(() => {
    s.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function calibrate(tool: string): Promise<CalibrationStatus> {
    const started = await s.startCalibration({ deviceId: 'local', suite: 'quick', casesPerGroup: 2, runtime: 'tflite', tool });
    await s.idle();
    return s.calibrationStatus({ runId: started.runId });
  }

  test('every case is exported to TFLite, pushed, timed by the tool and read by its parser; the profile records tflite', async () => {
    const st = await calibrate(REPLAY);
    assert.equal(st.status, 'done', st.message);
    const measured = listMeasurements(s.db, st.runId);
    // One pass: the tool's own repeats, no anchors (it times whole files only).
    assert.equal(measured.length, st.total);
    assert.ok(measured.every((m) => m.runner === 'tflite-benchmark-model' && m.backend === 'tflite'));
    // A tool cannot clear the caches between its runs: no cache-cold cases, so no cold lines.
    assert.ok(measured.every((m) => !m.caseId.endsWith('-cold')));
    assert.ok(st.profileId);
    const p = await s.showProfile({ id: st.profileId });
    assert.equal(p.profile.runtime, 'tflite');
    assert.equal(p.inModel ?? null, null);
    assert.match(st.message, /timed by benchmark_model at .*replay-benchmark-model\.sh; no anchors/);
    // A profile of another runtime is validated with it; the runner cannot, and says so.
    await assert.rejects(s.startValidation({ deviceId: 'local', profileId: st.profileId, runtime: 'tfjs-wasm' }), /calibrated on tflite/);
  });

  test('a tool that is not executable, or whose output does not parse: the run fails naming it, and stores no profile', async () => {
    const before = (await s.listProfiles({})).length;
    const missing = await calibrate('/nonexistent/benchmark_model');
    assert.equal(missing.status, 'failed');
    assert.match(missing.message, /benchmark_model on device local: no executable at '\/nonexistent\/benchmark_model'/);
    assert.equal(listMeasurements(s.db, missing.runId).length, 0);

    const dir = mkdtempSync(join(tmpdir(), 'edgetree-bad-tool-'));
    try {
      const garbled = join(dir, 'benchmark_model');
      writeFileSync(garbled, '#!/bin/sh\necho "Segmentation fault? no: just some text"\n');
      chmodSync(garbled, 0o755);
      const bad = await calibrate(garbled);
      assert.equal(bad.status, 'failed');
      assert.match(bad.message, /benchmark_model on device local: .*case /);
      assert.equal(listMeasurements(s.db, bad.runId).length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal((await s.listProfiles({})).length, before);
  });

  test('--tool is refused for a runtime the studio\'s runner times', async () => {
    await assert.rejects(s.startCalibration({ deviceId: 'local', suite: 'quick', runtime: 'onnxruntime', tool: REPLAY }), /--tool times tflite \(benchmark_model\) or tensorrt \(trtexec\)/);
  });
});
