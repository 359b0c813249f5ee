// Calibrating a phone through its own browser, over the REAL adb server (Debian's adb on a
// private port) connected to the emulated adbd test fixture, whose `am start` opens
// headless Chromium as "the phone's browser". No phone exists here.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulatedAdbd } from '../test/fixtures/emulated-adbd.ts';
import type { EmulatedAdbd } from '../test/fixtures/emulated-adbd.ts';
import { freePort } from '../test/fixtures/free-port.ts';
import { killAdbServer } from '../native-bridge/adb-server.ts';
import { listMeasurements } from '../profiles/measurement-repository.ts';
import { createStudioServices } from './studio-services.ts';
import type { StudioServices } from './studio-services.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('calibration of an ADB phone in its browser (real adb server, emulated adbd fixture)', () => {
  const home = mkdtempSync(join(tmpdir(), 'edgetree-adb-cal-'));
  let adbd: EmulatedAdbd;
  let adbPort = 0;
  let s: StudioServices;
  let serial = '';

  before(async () => {
    adbd = await startEmulatedAdbd({ model: 'Pixel Fixture 7' });
    adbPort = await freePort();
    s = createStudioServices({ home, mode: 'cli', adbPort });
    const adb = await s.devices.adb();
    serial = await adb.connect('127.0.0.1', adbd.port);
    await adb.waitFor(serial, 'device', 15_000);
  });
  after(async () => {
    s?.close();
    await killAdbServer({ port: adbPort });
    await adbd?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  test('the phone is listed online; a tiny calibration runs in its browser and stores a profile with lines', async () => {
    const id = `adb:${serial}`;
    const listed = (await s.listDevices({})).find((d) => d.id === id);
    assert.equal(listed?.state, 'online');
    assert.equal(listed?.kind, 'adb');

    const started = await s.startCalibration({ deviceId: id, suite: 'quick', casesPerGroup: 2, transfer: false });
    // Progress while it runs: done/total and the case in hand.
    let sawProgress = false;
    for (let i = 0; i < 2400; i += 1) {
      const st = await s.calibrationStatus({ runId: started.runId });
      if (st.status === 'done' || st.status === 'failed') break;
      if (st.done > 0 && st.done < st.total && st.current !== null) sawProgress = true;
      await sleep(50);
    }
    await s.idle();
    const st = await s.calibrationStatus({ runId: started.runId });
    assert.equal(st.status, 'done', st.message);
    assert.ok(sawProgress, 'the status showed done/total and the current case mid-run');
    assert.equal(st.done, st.total);
    const stored = listMeasurements(s.db, st.runId);
    assert.equal(stored.length, st.total);
    assert.ok(stored.every((m) => m.runner === 'tfjs-browser'));
    assert.ok(st.profileId);
    const p = await s.showProfile({ id: st.profileId });
    assert.equal(p.deviceId, id);
    assert.deepEqual(p.profile.compute.map((l) => `${l.layerType}/${l.kernel}`).sort(), ['conv/1', 'conv/3', 'conv/5', 'conv/7', 'depthwise/3', 'depthwise/5', 'depthwise/7', 'fc/null']);
    for (const l of p.profile.compute) assert.equal(l.points, 2);
    assert.match(p.profile.backend ?? '', /^tfjs-browser (webgl|wasm)/);
    assert.equal(p.profile.device?.model, 'Pixel Fixture 7');
    assert.deepEqual(adbd.reverses(), [], 'the adb reverse mapping is removed');
  });

  test('the phone dropping mid-run fails the run by name and keeps its measurements; resume completes it', async () => {
    const id = `adb:${serial}`;
    const started = await s.startCalibration({ deviceId: id, suite: 'quick', casesPerGroup: 2, transfer: false });
    while (listMeasurements(s.db, started.runId).length === 0) await sleep(10);
    adbd.kill(); // as a pulled cable: every connection dropped, the browser gone
    await s.idle();
    const failed = await s.calibrationStatus({ runId: started.runId });
    assert.equal(failed.status, 'failed');
    const kept = listMeasurements(s.db, started.runId).length;
    assert.ok(kept > 0 && kept < failed.total, `${kept} of ${failed.total}`);
    assert.equal(failed.done, kept);
    assert.match(failed.message, new RegExp(`device ${id} dropped during calibration .* after ${kept} of ${failed.total} cases; the ${kept} measurements are kept`));

    // The phone comes back on the same address, so with the same serial.
    const port = adbd.port;
    await adbd.stop();
    adbd = await startEmulatedAdbd({ model: 'Pixel Fixture 7', port });
    const adb = await s.devices.adb();
    await adb.disconnect('127.0.0.1', port);
    assert.equal(await adb.connect('127.0.0.1', port), serial);
    await adb.waitFor(serial, 'device', 15_000);

    await s.startCalibration({ deviceId: id, suite: 'quick', resumeRunId: started.runId });
    await s.idle();
    const done = await s.calibrationStatus({ runId: started.runId });
    assert.equal(done.status, 'done', done.message);
    const ids = listMeasurements(s.db, started.runId).map((m) => m.caseId);
    assert.equal(ids.length, done.total);
    assert.equal(new Set(ids).size, ids.length, 'no case measured twice');
    assert.ok(done.profileId);
  });
});
