// @serial: times two models over SSH and compares them; runs alone (scripts/run-tests.mjs).
// A board over SSH through the services, against a REAL OpenSSH server on loopback
// (test/fixtures/ssh-server.ts, throwaway keys): add it through the host-key
// confirmation, re-check it, calibrate it with a tiny plan, then time 2 small models on it
// in the pushed Node runner and compare them with the profile.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshServer } from '../test/fixtures/ssh-server.ts';
import type { SshServerFixture } from '../test/fixtures/ssh-server.ts';
import { dispatchStudioCall } from '../api/dispatch.ts';
import type { DeviceSummary, HostKeyConfirmation } from '../api/calibration-api.ts';
import { anchorModels } from '../profiler/validation/anchor-set.ts';
import { listMeasurements } from '../profiles/measurement-repository.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { createStudioServices } from './studio-services.ts';
import type { StudioServices } from './studio-services.ts';
import { projectFile } from '../profiler/project-files.ts';

/** A small CIFAR-10-sized conv net (2 convs, a pool, an FC), so a validation takes seconds. */
function smallNet(name: string, filters: number): ModelSpec {
  return {
    name, inputShape: [32, 32, 3],
    layers: [
      { id: 'c1', type: 'conv', kernel: 3, padding: 'same', outChannels: filters, activation: 'relu' },
      { id: 'p1', type: 'maxpool', kernel: 2 },
      { id: 'c2', type: 'conv', kernel: 3, padding: 'same', outChannels: filters * 2, activation: 'relu' },
      { id: 'f', type: 'flatten' },
      { id: 'fc', type: 'fc', outChannels: 10 },
    ],
  };
}

describe('an SSH board through the services (real OpenSSH on loopback)', () => {
  const home = mkdtempSync(join(tmpdir(), 'edgetree-ssh-cal-'));
  let server: SshServerFixture;
  let s: StudioServices;
  let deviceId = '';

  before(async () => {
    server = await startSshServer();
    s = createStudioServices({ home, mode: 'cli', adbPort: false });
  });
  after(async () => {
    s?.close();
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  test('adding it asks to confirm the host key; once trusted it is stored and Check asks it again', async () => {
    const req = { host: '127.0.0.1', port: server.port, user: server.username, keyPath: server.userKeyPath };
    const first = await dispatchStudioCall(s, 'addSshDevice', req) as HostKeyConfirmation;
    assert.equal(first.needsConfirmation, true);
    assert.equal(first.fingerprint, server.hostFingerprint());
    const added = await dispatchStudioCall(s, 'trustHostKey', { host: first.host, port: first.port, fingerprint: first.fingerprint, keyType: first.keyType }) as DeviceSummary;
    deviceId = added.id;
    assert.equal(deviceId, `ssh:${server.username}@127.0.0.1:${server.port}`);
    assert.equal(added.state, 'online');
    const listed = (await s.listDevices({})).find((d) => d.id === deviceId);
    assert.equal(listed?.state, 'unknown', 'the list does not contact SSH devices');
    const checked = await dispatchStudioCall(s, 'deviceInfo', { id: deviceId }) as DeviceSummary;
    assert.equal(checked.state, 'online');
    const { availableParallelism } = await import('node:os');
    assert.equal(checked.identity?.cores, availableParallelism(), 'the board is this machine');
  });

  let profileId = '';
  test('a tiny calibration over SSH stores a profile with lines', async () => {
    const started = await s.startCalibration({ deviceId, suite: 'quick', casesPerGroup: 2, transfer: false });
    await s.idle();
    const st = await s.calibrationStatus({ runId: started.runId });
    assert.equal(st.status, 'done', st.message);
    // Every case, then the anchor models timed whole by the board's runner, each in two passes.
    assert.equal(listMeasurements(s.db, st.runId).length, st.total - 2 * anchorModels().length);
    assert.ok(st.profileId);
    profileId = st.profileId;
    const p = await s.showProfile({ id: profileId });
    assert.equal(p.deviceId, deviceId);
    // conv 1, 3, 5, 7; depthwise 3, 5, 7; fc.
    assert.equal(p.profile.compute.length, 8);
    assert.deepEqual(p.inModel?.anchors.length, anchorModels().length);
    // Each line has its 2 bench points, or, refitted on the anchors' layers, as many as those.
    for (const l of p.profile.compute) {
      const refit = p.inModel?.factors.find((f) => f.layerType === l.layerType && f.kernel === l.kernel)?.from === 'refit';
      assert.ok(refit ? (l.points ?? 0) >= 6 : l.points === 2, `${l.layerType}/${l.kernel}: ${l.points} points`);
    }
    assert.match(p.profile.backend ?? '', /^tfjs-node wasm/);
  });

  test('validation over SSH times 2 models in the pushed runner, per model and per layer, and is listed', async () => {
    const specs = [smallNet('small-8', 8), smallNet('small-32', 32)];
    const v = await s.startValidation({ deviceId, profileId, specs, repeats: 3 });
    await s.idle();
    const st = await s.validationStatus({ runId: v.runId });
    assert.equal(st.status, 'done', st.message);
    const r = st.report;
    assert.ok(r);
    assert.match(r.backend, /^wasm/);
    assert.deepEqual(r.models.map((m) => m.name), ['small-8', 'small-32']);
    for (const m of r.models) {
      assert.equal(m.layers.length, 5);
      assert.ok(m.measuredMs > 0 && m.estimatedMs > 0);
      assert.ok(Math.abs(m.errorPct - ((m.estimatedMs - m.measuredMs) / m.measuredMs) * 100) < 1e-9);
    }
    // 4x the filters in c1, 16x the MACCs in c2: the wider net must measure slower.
    assert.ok(r.models[1].measuredMs > r.models[0].measuredMs, `${r.models[1].measuredMs} > ${r.models[0].measuredMs}`);

    const listed = await dispatchStudioCall(s, 'listValidations', { deviceId }) as { runId: string; status: string }[];
    assert.deepEqual(listed.map((x) => [x.runId, x.status]), [[v.runId, 'done']]);
    assert.deepEqual(await s.listValidations({ deviceId: 'local' }), []);
  });

  test('ONNX Runtime on a board without onnxruntime-node: the calibration fails, naming the package; no profile is stored', async () => {
    const profilesBefore = (await s.listProfiles({})).length;
    const started = await s.startCalibration({ deviceId, suite: 'quick', casesPerGroup: 2, transfer: false, runtime: 'onnxruntime' });
    await s.idle();
    const st = await s.calibrationStatus({ runId: started.runId });
    assert.equal(st.status, 'failed');
    assert.match(st.message, /the runner exited with code 3 .*onnxruntime: the package onnxruntime-node is not installed on this device/s);
    assert.equal((await s.listProfiles({})).length, profilesBefore);
  });

  test('a phone is refused validation by name', async () => {
    const { insertProfileVersion } = await import('../profiles/profile-repository.ts');
    const { getProfile } = await import('../profiles/profile-repository.ts');
    const { upsertDevice } = await import('../profiles/device-repository.ts');
    upsertDevice(s.db, { id: 'adb:FIXTURE1', name: 'phone', kind: 'adb', info: {} });
    const phoneProfile = insertProfileVersion(s.db, 'adb:FIXTURE1', 'phone', getProfile(s.db, profileId).json);
    const v = await s.startValidation({ deviceId: 'adb:FIXTURE1', profileId: phoneProfile.id, models: ['alexnet'] });
    await s.idle();
    const st = await s.validationStatus({ runId: v.runId });
    assert.equal(st.status, 'failed');
    assert.match(st.message, /phones cannot run the measured-versus-estimated validation yet/);
  });
});

describe('ONNX Runtime on an SSH board that has onnxruntime-node on its NODE_PATH', () => {
  const home = mkdtempSync(join(tmpdir(), 'edgetree-ssh-ort-'));
  let server: SshServerFixture;
  let s: StudioServices;
  let deviceId = '';

  before(async () => {
    // The board is this machine: its sessions get a NODE_PATH to the studio's own packages, as a board's admin would set one.
    server = await startSshServer({ env: { NODE_PATH: projectFile('node_modules') } });
    s = createStudioServices({ home, mode: 'cli', adbPort: false });
    const first = await s.addSshDevice({ host: '127.0.0.1', port: server.port, user: server.username, keyPath: server.userKeyPath }) as HostKeyConfirmation;
    deviceId = (await s.trustHostKey({ host: first.host, port: first.port, fingerprint: first.fingerprint, keyType: first.keyType })).id;
  });
  after(async () => {
    s?.close();
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  test('a tiny calibration and a validation of 2 models, both timed by ONNX Runtime on the board', async () => {
    const started = await s.startCalibration({ deviceId, suite: 'quick', casesPerGroup: 2, transfer: false, runtime: 'onnxruntime' });
    await s.idle();
    const cal = await s.calibrationStatus({ runId: started.runId });
    assert.equal(cal.status, 'done', cal.message);
    assert.ok(cal.profileId);
    const p = await s.showProfile({ id: cal.profileId });
    assert.equal(p.profile.runtime, 'onnxruntime');
    assert.ok(listMeasurements(s.db, cal.runId).every((m) => m.runner === 'onnxruntime-node'));
    const v = await s.startValidation({ deviceId, profileId: cal.profileId, specs: [smallNet('small-8', 8), smallNet('small-32', 32)], repeats: 3 });
    await s.idle();
    const st = await s.validationStatus({ runId: v.runId });
    assert.equal(st.status, 'done', st.message);
    assert.match(st.report?.backend ?? '', /^onnxruntime \d/);
    for (const m of st.report?.models ?? []) assert.ok(m.measuredMs > 0 && m.estimatedMs > 0, m.name);
  });
});
