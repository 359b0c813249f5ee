// Deploys through the real adb server to the emulated adbd test fixture (no phone exists
// on this machine; the fixture's shell runs this computer's sha256sum, as toybox's on a phone).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulatedAdbd } from '../test/fixtures/emulated-adbd.ts';
import type { EmulatedAdbd } from '../test/fixtures/emulated-adbd.ts';
import { freePort } from '../test/fixtures/free-port.ts';
import { AdbDevices } from '../native-bridge/adb-devices.ts';
import { killAdbServer } from '../native-bridge/adb-server.ts';
import type { BuiltBundle } from '../bundle/build-bundle.ts';
import { deployBundle } from './deploy-bundle.ts';
import { verifyDeployedBundle } from './deployed-bundle.ts';
import { testBundle } from './testing/test-bundles.ts';

const ROOT = '/data/local/tmp/edgetree';

describe('deploy over ADB to the emulated adbd', () => {
  let adbd: EmulatedAdbd;
  let adbPort = 0;
  let devices: AdbDevices;
  let serial = '';
  let work = '';
  let a: BuiltBundle;
  let b: BuiltBundle;

  before(async () => {
    adbd = await startEmulatedAdbd({ model: 'Pixel Fixture 7', release: '13', abi: 'arm64-v8a' });
    adbPort = await freePort();
    work = await mkdtemp(join(tmpdir(), 'edgetree-deploy-adb-'));
    devices = await AdbDevices.open({ port: adbPort });
    serial = await devices.connect('127.0.0.1', adbd.port);
    await devices.waitFor(serial, 'device', 15_000);
    a = await testBundle(work, 'a', '2025-01-01T00:00:00Z');
    b = await testBundle(work, 'b', '2025-02-01T00:00:00Z');
  });
  after(async () => {
    await killAdbServer({ port: adbPort });
    await adbd?.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('deploy: pushed with progress, sha256sum run on the device, current switched; the files are the bundle\'s', async () => {
    const t = await devices.open(serial);
    try {
      let last = 0;
      const r = await deployBundle(t, a.dir, { remoteRoot: ROOT, onProgress: (p) => { last = p.doneBytes; } });
      assert.equal(r.verifiedOn, 'device');
      assert.equal(last, a.bytes);
      assert.equal(readlinkSync(adbd.hostPath(`${ROOT}/current`)), `bundles/${r.name}`);
      for (const f of a.manifest.files) assert.ok(readFileSync(adbd.hostPath(`${ROOT}/current/${f.path}`)).equals(readFileSync(join(a.dir, f.path))), f.path);
      assert.deepEqual((await verifyDeployedBundle(t, ROOT))?.manifest, a.manifest);
    } finally {
      await t.close();
    }
  });

  test('a push cut off halfway (transport closed) leaves the first bundle current and verifiable', async () => {
    const check = await devices.open(serial);
    const was = await verifyDeployedBundle(check, ROOT);
    await check.close();
    const t = await devices.open(serial);
    let closed = false;
    await assert.rejects(deployBundle(t, b.dir, {
      remoteRoot: ROOT,
      onProgress: (p) => {
        if (!closed && p.phase === 'push' && p.doneBytes > p.totalBytes / 2) {
          closed = true;
          void t.close();
        }
      },
    }));
    assert.ok(closed);
    const after = await devices.open(serial);
    try {
      const now = await verifyDeployedBundle(after, ROOT);
      assert.equal(now?.name, was?.name);
      assert.equal(now?.manifestSha256, was?.manifestSha256);
      assert.equal(readdirSync(adbd.hostPath(`${ROOT}/staging`)).length, 1, 'the cut-off push stayed in staging');
    } finally {
      await after.close();
    }
  });

  test('a device without the hash tool: files pulled back and hashed here, and the result says so', async () => {
    const t = await devices.open(serial);
    try {
      const r = await deployBundle(t, b.dir, { remoteRoot: ROOT, hashCommand: 'sha256sum-not-on-this-device' });
      assert.equal(r.verifiedOn, 'pulled-back');
      assert.equal(readlinkSync(adbd.hostPath(`${ROOT}/current`)), `bundles/${r.name}`);
      assert.deepEqual((await verifyDeployedBundle(t, ROOT))?.manifest, b.manifest);
      assert.deepEqual((await verifyDeployedBundle(t, ROOT, 'previous'))?.manifest, a.manifest);
    } finally {
      await t.close();
    }
  });
});
