// `edgetree calibrate --device adb:SERIAL` over the REAL adb server (on a private port,
// named by ANDROID_ADB_SERVER_PORT as adb itself does) and the emulated adbd test fixture,
// whose `am start` opens headless Chromium as the phone's browser.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulatedAdbd } from '../test/fixtures/emulated-adbd.ts';
import type { EmulatedAdbd } from '../test/fixtures/emulated-adbd.ts';
import { freePort } from '../test/fixtures/free-port.ts';
import { AdbDevices } from '../native-bridge/adb-devices.ts';
import { killAdbServer } from '../native-bridge/adb-server.ts';
import { main } from './main.ts';

const home = mkdtempSync(join(tmpdir(), 'edgetree-cli-adb-'));
let adbd: EmulatedAdbd;
let adbPort = 0;
let serial = '';

before(async () => {
  adbd = await startEmulatedAdbd({ model: 'Pixel Fixture 8' });
  adbPort = await freePort();
  const adb = await AdbDevices.open({ port: adbPort });
  serial = await adb.connect('127.0.0.1', adbd.port);
  await adb.waitFor(serial, 'device', 15_000);
});
after(async () => {
  await killAdbServer({ port: adbPort });
  await adbd?.stop();
  rmSync(home, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const env = { EDGETREE_HOME: home, ANDROID_ADB_SERVER_PORT: String(adbPort) };
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, env });
  return { code, out, err };
}

test('calibrate --device adb:SERIAL runs the plan in the phone\'s browser and prints the profile and its fit', async () => {
  const list = await run(['devices', 'list', '--json']);
  assert.equal(list.code, 0, list.err);
  const phone = (JSON.parse(list.out) as { id: string; state: string }[]).find((d) => d.id === `adb:${serial}`);
  assert.equal(phone?.state, 'online');

  const cal = await run(['calibrate', '--device', `adb:${serial}`, '--cases-per-group', '2', '--json']);
  assert.equal(cal.code, 0, cal.out + cal.err);
  const doc = JSON.parse(cal.out) as { profileId: string; deviceId: string; backend: string; measured: number; total: number; fit: { points: number }[] };
  assert.equal(doc.deviceId, `adb:${serial}`);
  assert.equal(doc.measured, doc.total);
  // conv 1, 3, 5, 7; depthwise 3, 5, 7; fc.
  assert.equal(doc.fit.length, 8);
  assert.ok(doc.fit.every((g) => g.points === 2));
  assert.match(doc.backend, /^tfjs-browser (webgl|wasm)/);
  assert.match(cal.err, new RegExp(`calibration run \\d+ on adb:${serial.replace(/\./g, '\\.')}`));
});
