// The phone flow over the REAL adb server (Debian's adb, on a private port) connected to
// the emulated adbd test fixture: `adb reverse`, a VIEW intent that the fixture answers
// with headless Chromium as "the phone's browser", the page reaching the studio through
// the reversed port. No phone exists here.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulatedAdbd, DEVICE_LOOPBACK } from '../../../test/fixtures/emulated-adbd.ts';
import type { EmulatedAdbd } from '../../../test/fixtures/emulated-adbd.ts';
import { freePort } from '../../../test/fixtures/free-port.ts';
import { tinyBenchPlan } from '../../../test/fixtures/tiny-bench-plan.ts';
import { AdbDevices } from '../../../native-bridge/adb-devices.ts';
import { killAdbServer } from '../../../native-bridge/adb-server.ts';
import type { Measurement } from '../../measurement.ts';
import { buildBenchPage } from './build-bench-page.ts';
import { addReverse, listReverses, removeReverse, ReverseForwardError } from './reverse-forward.ts';
import { PhoneBenchTimeoutError, runBenchOnPhone } from './run-on-phone.ts';
import { BenchSessionStoppedError } from './bench-session-errors.ts';

/** Sends `text` to host:port and resolves with everything read back until the peer closes
 * (no half-close: an ADB stream's CLSE closes both ways, on a real device as here). */
function roundTrip(host: string, port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, host);
    let got = '';
    s.on('connect', () => s.write(text));
    s.on('data', (c: Buffer) => {
      got += c.toString();
    });
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
}

describe('browser runner on a phone over adb reverse (real adb server, emulated adbd fixture)', () => {
  let adbd: EmulatedAdbd;
  let adbPort = 0;
  let devices: AdbDevices;
  let serial = '';
  let pageDir = '';

  before(async () => {
    pageDir = await buildBenchPage(await mkdtemp(join(tmpdir(), 'edgetree-bench-page-')));
    adbd = await startEmulatedAdbd({ model: 'Pixel Fixture 7' });
    adbPort = await freePort();
    devices = await AdbDevices.open({ port: adbPort });
    serial = await devices.connect('127.0.0.1', adbd.port);
    await devices.waitFor(serial, 'device', 15_000);
  });
  after(async () => {
    await killAdbServer({ port: adbPort });
    await adbd?.stop();
    await rm(pageDir, { recursive: true, force: true });
  });

  test('adb reverse tunnels a connection on the device back to this computer, and is removed', async () => {
    // A shouting echo server stands for the studio on this computer's 127.0.0.1.
    const studio = createServer((s) => s.on('data', (c: Buffer) => s.end(c.toString().toUpperCase())));
    await new Promise<void>((r) => studio.listen(0, '127.0.0.1', () => r()));
    const local = (studio.address() as AddressInfo).port;
    const remote = await freePort();
    const device = devices.client.getDevice(serial);
    const id = `adb:${serial}`;
    try {
      await addReverse(device, id, `tcp:${remote}`, `tcp:${local}`);
      assert.deepEqual(await listReverses(device, id), [{ remote: `tcp:${remote}`, local: `tcp:${local}` }]);
      assert.equal(await roundTrip(DEVICE_LOOPBACK, remote, 'hello through adb'), 'HELLO THROUGH ADB');
      assert.equal(adbd.reverseConnections(), 1);
      await removeReverse(device, id, `tcp:${remote}`);
      assert.deepEqual(adbd.reverses(), []);
      await assert.rejects(roundTrip(DEVICE_LOOPBACK, remote, 'x'), /ECONNREFUSED/);
      await assert.rejects(removeReverse(device, id, `tcp:${remote}`), (e: Error) => e instanceof ReverseForwardError && /tcp:\d+' not found/.test(e.message));
    } finally {
      studio.close();
    }
  });

  test('runs the plan in the phone\'s browser: reverse, intent, every measurement back, mapping removed', async () => {
    const plan = tinyBenchPlan();
    const stored: Measurement[] = [];
    const before = adbd.reverseConnections();
    const result = await runBenchOnPhone({ devices, serial, plan, pageDir, timeoutMs: 120_000, onMeasurement: (m) => void stored.push(m) });
    assert.deepEqual(stored.map((m) => m.caseId), plan.cases.map((c) => c.id));
    assert.deepEqual(result.measuredCaseIds, plan.cases.map((c) => c.id));
    for (const m of stored) {
      assert.equal(m.runner, 'tfjs-browser');
      assert.match(m.backend, /^(webgl|wasm) /);
    }
    assert.ok(stored[0].medianMs > 0);
    // The intent carried the phone's own 127.0.0.1; the page came through the reversed port.
    assert.match(result.phoneUrl, /^http:\/\/127\.0\.0\.1:\d+\/bench\/\?session=[0-9a-f]+&token=[0-9a-f]+$/);
    assert.deepEqual(adbd.openedUrls().slice(-1), [result.phoneUrl]);
    assert.ok(adbd.reverseConnections() > before, 'the browser reached the studio through adb');
    assert.deepEqual(adbd.reverses(), [], 'the mapping is removed afterwards');
    console.log(`phone run: ${stored.length} measurements over ${adbd.reverseConnections() - before} tunnelled connections, backend ${stored[0].backend}`);
  });

  test('a cancelled phone run stops with what it has and removes the mapping', async () => {
    const ac = new AbortController();
    const plan = tinyBenchPlan();
    const run = runBenchOnPhone({ devices, serial, plan: { ...plan, repeats: 400 }, pageDir, signal: ac.signal, onOpened: () => ac.abort(), onMeasurement: () => undefined });
    await assert.rejects(run, (e: Error) => e instanceof BenchSessionStoppedError && /cancelled/.test(e.message));
    assert.deepEqual(adbd.reverses(), []);
  });

  test('a phone run past its timeout fails by name, keeping what was measured, and removes the mapping', async () => {
    const plan = tinyBenchPlan();
    const stored: Measurement[] = [];
    // Loading the page and its WASM alone takes longer than 300 ms here.
    const run = runBenchOnPhone({ devices, serial, plan: { ...plan, repeats: 400 }, pageDir, timeoutMs: 300, onMeasurement: (m) => void stored.push(m) });
    await assert.rejects(run, (e: Error) => e instanceof PhoneBenchTimeoutError && new RegExp(`within 300 ms \\(${stored.length} of 4 cases measured and kept`).test(e.message));
    assert.deepEqual(adbd.reverses(), []);
  });
});
