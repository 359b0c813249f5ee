// Runs against the real adb server (Debian's `adb`, on a private port) connected over TCP
// to the emulated device daemon test fixture; no phone exists on this machine.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulatedAdbd } from '../test/fixtures/emulated-adbd.ts';
import type { EmulatedAdbd } from '../test/fixtures/emulated-adbd.ts';
import { freePort } from '../test/fixtures/free-port.ts';
import { AdbDevices } from './adb-devices.ts';
import type { AdbDeviceEntry } from './adb-devices.ts';
import { killAdbServer } from './adb-server.ts';
import type { AdbTransport } from './adb-transport.ts';
import { CommandAbortedError, CommandTimeoutError, DeviceNotFoundError, DeviceOfflineError, DeviceUnauthorizedError, TransferError } from './errors.ts';

describe('ADB transport: real adb server and the emulated adbd fixture', () => {
  let adbd: EmulatedAdbd;
  let adbPort = 0;
  let devices: AdbDevices;
  let serial = '';
  let device: AdbTransport;
  let work = '';

  before(async () => {
    adbd = await startEmulatedAdbd({ model: 'Pixel Fixture 7', release: '13', abi: 'arm64-v8a' });
    adbPort = await freePort();
    work = await mkdtemp(join(tmpdir(), 'edgetree-adb-test-'));
    devices = await AdbDevices.open({ port: adbPort }); // starts the adb server on that port
    serial = await devices.connect('127.0.0.1', adbd.port);
    await devices.waitFor(serial, 'device', 15_000);
    device = await devices.open(serial);
  });
  after(async () => {
    await killAdbServer({ port: adbPort });
    await adbd?.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('the adb server lists and tracks the connected device', async () => {
    assert.equal(serial, `127.0.0.1:${adbd.port}`);
    assert.deepEqual((await devices.list()).find((d) => d.serial === serial), { id: `adb:${serial}`, serial, state: 'device' });
    let report: (list: AdbDeviceEntry[]) => void = () => undefined;
    const first = new Promise<AdbDeviceEntry[]>((resolve) => {
      report = resolve;
    });
    const tracking = await devices.track((list) => report(list));
    const seen = await first;
    tracking.stop();
    assert.ok(seen.some((d) => d.serial === serial && d.state === 'device'));
  });

  test('identify returns the fixture\'s model, Android release, ABI, and the cores of the machine running it', async () => {
    const id = await device.identify();
    assert.equal(id.id, `adb:${serial}`);
    assert.equal(id.transport, 'adb');
    assert.equal(id.model, 'Pixel Fixture 7');
    assert.equal(id.os, 'Android 13');
    assert.equal(id.abi, 'arm64-v8a');
    assert.equal(id.cores, Number(execFileSync('nproc').toString().trim()));
    assert.ok(id.memoryBytes > 0);
  });

  test('exec returns stdout, stderr and the exit code', async () => {
    assert.deepEqual(
      await device.exec('echo "$(getprop ro.product.model)"; echo warn >&2; exit 5', { timeoutMs: 10_000 }),
      { stdout: 'Pixel Fixture 7\n', stderr: 'warn\n', exitCode: 5 },
    );
    assert.deepEqual(await device.exec('true', { timeoutMs: 10_000 }), { stdout: '', stderr: '', exitCode: 0 });
  });

  test('a command past its timeout fails with CommandTimeoutError and is killed on the device', async () => {
    const started = Date.now();
    await assert.rejects(device.exec('sleep 2; touch /data/local/tmp/late', { timeoutMs: 400 }), CommandTimeoutError);
    assert.ok(Date.now() - started < 2000);
    await new Promise((r) => setTimeout(r, 2300));
    assert.equal(existsSync(adbd.hostPath('/data/local/tmp/late')), false);
    assert.equal(adbd.runningCommands(), 0);
  });

  test('aborting a running command cancels it with CommandAbortedError', async () => {
    const ac = new AbortController();
    const pending = device.exec('sleep 10', { timeoutMs: 20_000, signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    const started = Date.now();
    await assert.rejects(pending, CommandAbortedError);
    assert.ok(Date.now() - started < 3000);
  });

  test('push then pull 1 MiB: byte-identical, progress up to the size, push complete when it resolves', async () => {
    const data = randomBytes(1024 * 1024);
    const src = join(work, 'bench.bin');
    await writeFile(src, data);
    const pushed: number[] = [];
    await device.push(src, '/data/local/tmp/edgetree/bench.bin', (sent, total) => {
      assert.equal(total, data.length);
      pushed.push(sent);
    });
    assert.ok((await readFile(adbd.hostPath('/data/local/tmp/edgetree/bench.bin'))).equals(data), 'complete on the device');
    assert.equal(pushed.at(-1), data.length);
    assert.ok(pushed.length >= 2, `progress in steps: ${pushed.join(',')}`);
    const size = await device.exec('wc -c < /data/local/tmp/edgetree/bench.bin', { timeoutMs: 10_000 });
    assert.equal(Number(size.stdout.trim()), data.length);

    const pulled: number[] = [];
    await device.pull('/data/local/tmp/edgetree/bench.bin', join(work, 'back', 'bench.bin'), (got, total) => {
      assert.equal(total, data.length);
      pulled.push(got);
    });
    assert.equal(pulled.at(-1), data.length);
    assert.ok((await readFile(join(work, 'back', 'bench.bin'))).equals(data));
  });

  test('pulling a file the device does not have is a TransferError naming the path', async () => {
    await assert.rejects(device.pull('/data/local/tmp/missing.bin', join(work, 'm.bin')), (e: unknown) =>
      e instanceof TransferError && e.message.includes('/data/local/tmp/missing.bin') && e.message.includes(`adb:${serial}`));
  });

  test('an unknown serial is DeviceNotFoundError', async () => {
    await assert.rejects(devices.open('no-such-serial'), DeviceNotFoundError);
  });

  test('a device that never accepts this computer\'s key is listed unauthorized and refused by name', async () => {
    const locked = await startEmulatedAdbd({ requireAuth: true });
    try {
      const lockedSerial = await devices.connect('127.0.0.1', locked.port);
      await devices.waitFor(lockedSerial, 'unauthorized', 15_000);
      await assert.rejects(devices.open(lockedSerial), (e: unknown) =>
        e instanceof DeviceUnauthorizedError && e.message.includes(`adb:${lockedSerial}`) && /Allow/.test(e.message));
      await devices.disconnect('127.0.0.1', locked.port);
    } finally {
      await locked.stop();
    }
  });

  test('killing the daemon mid-command gives DeviceOfflineError promptly, not a hang', async () => {
    const pending = device.exec('echo started; sleep 30', { timeoutMs: 25_000 });
    const deadline = Date.now() + 5000;
    while (adbd.runningCommands() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(adbd.runningCommands(), 1);
    const killedAt = Date.now();
    adbd.kill();
    await assert.rejects(pending, (e: unknown) => {
      assert.ok(e instanceof DeviceOfflineError, String(e));
      assert.match(e.message, /dropped while "echo started; sleep 30"/);
      return true;
    });
    assert.ok(Date.now() - killedAt < 5000, `took ${Date.now() - killedAt} ms`);
    await assert.rejects(device.exec('true', { timeoutMs: 5000 }), DeviceOfflineError);
  });
});
