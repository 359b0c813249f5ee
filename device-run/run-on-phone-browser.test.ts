// A deployed bundle run in an Android phone's own browser, over the REAL adb server (Debian's
// adb on a private port) connected to the emulated adbd test fixture, whose `am start -d URL`
// opens headless Chromium as "the phone's browser". No phone exists here.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceRunStatus } from '../api/field-test-api.ts';
import { splitTree, storeSearchRun } from '../bundle/testing/split-tree.ts';
import { loadBaseWeights } from '../cloud/base-weights.ts';
import { startCloudServer } from '../cloud/cloud-server.ts';
import type { CloudServer } from '../cloud/cloud-server.ts';
import { loadDataset } from '../datasets/load-dataset.ts';
import { killAdbServer } from '../native-bridge/adb-server.ts';
import { createDeviceRunService } from '../services/device-run-service.ts';
import type { DeviceRunService } from '../services/device-run-service.ts';
import { createStudioServices } from '../services/studio-services.ts';
import type { StudioServices } from '../services/studio-services.ts';
import { startEmulatedAdbd } from '../test/fixtures/emulated-adbd.ts';
import type { EmulatedAdbd } from '../test/fixtures/emulated-adbd.ts';
import { freePort } from '../test/fixtures/free-port.ts';
import type { InferenceTimeline } from '../runtime/core/inference-timeline.ts';
import type { RuntimeLine } from '../runtime/core/runtime-line.ts';
import { testImages } from './test-images.ts';
import { runOnPhoneBrowser } from './run-on-phone-browser.ts';
import { PhoneRunDroppedError } from './phone-run-errors.ts';
import { runProcess } from '../test/fixtures/run-process.ts';
import type { ProcessOutput } from '../test/fixtures/run-process.ts';

const TOKEN = 'phone-browser-run-token';
const BIN = new URL('../bin/edgetree.mjs', import.meta.url).pathname;
const isFinished = (j: { status: string }): boolean => j.status === 'done' || j.status === 'failed' || j.status === 'cancelled';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let work = '';
let home = '';
let adbd: EmulatedAdbd;
let adbPort = 0;
let serial = '';
let cloud: CloudServer;
let services: StudioServices;
let runs: DeviceRunService;
let bundleDir = '';

async function deployed(deviceId: string, dir: string, remoteRoot?: string): Promise<void> {
  let d = await services.startDeploy({ deviceId, bundleDir: dir, ...(remoteRoot !== undefined && { remoteRoot }) });
  while (!isFinished(d)) {
    await sleep(100);
    d = await services.deployStatus({ runId: d.runId });
  }
  assert.equal(d.status, 'done', d.error?.message);
}

async function settled(runId: string): Promise<DeviceRunStatus> {
  for (;;) {
    const st = runs.deviceRunStatus(runId);
    if (isFinished(st)) return st;
    await sleep(100);
  }
}

function runBin(...args: string[]): Promise<ProcessOutput> {
  return runProcess(process.execPath, [BIN, ...args], { env: { ...process.env, EDGETREE_HOME: home, ANDROID_ADB_SERVER_PORT: String(adbPort) } });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'edgetree-phone-run-'));
  home = join(work, 'home');
  adbd = await startEmulatedAdbd({ model: 'Pixel Fixture 7' });
  adbPort = await freePort();
  services = createStudioServices({ home, mode: 'cli', adbPort });
  const adb = await services.devices.adb();
  serial = await adb.connect('127.0.0.1', adbd.port);
  await adb.waitFor(serial, 'device', 15_000);
  cloud = await startCloudServer({ models: new Map([['alexnet/fashion-mnist', loadBaseWeights('alexnet', 'fashion-mnist')]]), token: TOKEN });
  const searchRunId = storeSearchRun(services.db, 'alexnet', 'fashion-mnist', await splitTree('alexnet', 'fashion-mnist'));
  // The bundle names a server nobody listens on: the run's own cloud URL and token must reach the page.
  bundleDir = (await services.packageBundle({ searchRunId, cloudUrl: 'http://127.0.0.1:1', cloudToken: 'unused' })).dir;
  assert.ok(bundleDir.startsWith(join(home, 'bundles')), bundleDir);
  await deployed(`adb:${serial}`, bundleDir);
  await deployed('local', bundleDir);
  runs = createDeviceRunService(services.db, services.devices, home);
});

after(async () => {
  await cloud?.close();
  services?.close();
  await killAdbServer({ port: adbPort });
  await adbd?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('a deployed bundle in the phone\'s browser (real adb server, emulated adbd, Chromium as the browser)', { timeout: 180_000 }, () => {
  test('the device-run service on adb: 3 timelines with the Node host\'s classes, labels and summary; the page came over adb reverse, the mappings are gone after', async () => {
    const id = `adb:${serial}`;
    const tunnelledBefore = adbd.reverseConnections();
    const started = await runs.startDeviceRun({ deviceId: id, images: 3, cloudUrl: cloud.url, cloudToken: TOKEN });
    // While it runs, the phone listens on the session's port and, the cloud being on this computer's loopback, the cloud's.
    const mapped = new Set<string>();
    while (!isFinished(runs.deviceRunStatus(started.runId))) {
      for (const r of adbd.reverses()) mapped.add(`${r.remote} ${r.local}`);
      await sleep(10);
    }
    const cloudPort = new URL(cloud.url).port;
    assert.ok(mapped.has(`tcp:${cloudPort} tcp:${cloudPort}`), [...mapped].join(', '));
    assert.equal(mapped.size, 2, [...mapped].join(', '));
    const phone = await settled(started.runId);
    assert.equal(phone.status, 'done', phone.error?.message);
    assert.equal(phone.remoteBundle, '/data/local/tmp/edgetree/current');
    assert.deepEqual([phone.model, phone.dataset], ['alexnet', 'fashion-mnist']);
    assert.deepEqual(phone.inferences.map((x) => x.index), [0, 1, 2]);
    const labels = Array.from((await loadDataset('fashion-mnist', 'test', { limit: 3 })).labels);
    assert.deepEqual(phone.inferences.map((x) => x.label), labels);
    for (const x of phone.inferences) {
      // The run's cloud answered whenever it was asked, and was probed (the bundle's own, port 1, reads 0).
      assert.equal(x.fallback, false);
      assert.equal(x.cut === null, x.cloudMs === 0);
      assert.ok(x.bandwidthMbps > 0, String(x.bandwidthMbps));
    }
    // The same images through the bundle's Node host on this computer.
    const node = await settled((await runs.startDeviceRun({ deviceId: 'local', images: 3, cloudUrl: cloud.url, cloudToken: TOKEN })).runId);
    assert.equal(node.status, 'done', node.error?.message);
    assert.deepEqual(phone.inferences.map((x) => x.predictedClass), node.inferences.map((x) => x.predictedClass));
    const correct = phone.inferences.filter((x, i) => x.predictedClass === labels[i]).length;
    assert.deepEqual(phone.summary, {
      meanTotalMs: phone.inferences.reduce((s, x) => s + x.totalMs, 0) / 3, offloads: phone.inferences.filter((x) => x.cut !== null).length,
      fallbacks: 0, accuracy: correct / 3, correct,
    });
    assert.match(phone.message, new RegExp(`^3 inferences on ${id}: mean \\d+\\.\\d ms`));
    // The phone's browser was sent to its own 127.0.0.1 and reached the studio through the mapping.
    const opened = adbd.openedUrls();
    assert.match(opened[opened.length - 1], /^http:\/\/127\.0\.0\.1:\d+\/runtime\/\?session=/);
    assert.ok(adbd.reverseConnections() > tunnelledBefore);
    assert.deepEqual(adbd.reverses(), [], 'the adb reverse mappings are removed');
  });

  test('a bundle deployed from elsewhere: refused naming its manifest hash; the CLI runs it given the folder it came from', async () => {
    // Same files, another manifest (a later createdAt): another bundle, which this studio's bundles/ lacks.
    const foreign = join(work, 'foreign');
    cpSync(bundleDir, foreign, { recursive: true });
    const m = JSON.parse(readFileSync(join(foreign, 'manifest.json'), 'utf8')) as { createdAt: string };
    m.createdAt = '2030-01-01T00:00:00.000Z';
    writeFileSync(join(foreign, 'manifest.json'), JSON.stringify(m));
    const sha = createHash('sha256').update(readFileSync(join(foreign, 'manifest.json'))).digest('hex');
    await deployed(`adb:${serial}`, foreign, '/data/local/tmp/foreign');
    const remote = '/data/local/tmp/foreign/current';
    const bad = await settled((await runs.startDeviceRun({ deviceId: `adb:${serial}`, remoteBundle: remote, images: 2, cloudUrl: cloud.url, cloudToken: TOKEN })).runId);
    assert.equal(bad.status, 'failed');
    assert.equal(bad.error?.name, 'BundleCopyMissingError');
    assert.equal(bad.error?.message, `run on adb:${serial}: the bundle deployed on adb:${serial} at ${remote} (manifest sha256 ${sha}) has no copy in this studio (looked in ${join(home, 'bundles')}): package and deploy it from here, or name the folder it was deployed from`);
    assert.deepEqual(bad.inferences, []);
    assert.equal(adbd.openedUrls().length, 1, 'no page was opened');

    const r = await runBin('run', '--device', `adb:${serial}`, '--bundle-remote', remote, '--bundle', work, '--images', '2', '--cloud', cloud.url, '--token', TOKEN, '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout) as { lines: RuntimeLine[]; labels: number[]; summary: { inferences: number; correct: number } };
    assert.deepEqual(out.lines.map((l) => l.type), ['start', 'inference', 'inference', 'summary']);
    const ts = out.lines.filter((l): l is InferenceTimeline => l.type === 'inference');
    // The token given reached the page: the cloud answered (the bundle's 'unused' would be refused).
    for (const t of ts) assert.ok(t.fallback === undefined && t.blocks[0].bandwidthMbps > 0, JSON.stringify(t.blocks[0]));
    assert.equal(out.summary.correct, ts.filter((t) => t.predictedClass === out.labels[t.index]).length);
    assert.deepEqual(adbd.reverses(), []);
  });

  test('the phone dropping mid-run (the fixture killed as a pulled cable) fails the run naming the drop, with the timelines received', async () => {
    const transport = await services.devices.openTransport(`adb:${serial}`);
    const manifest = JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8')) as Parameters<typeof testImages>[0];
    const images = await testImages(manifest, 3);
    const seen: RuntimeLine[] = [];
    try {
      await assert.rejects(runOnPhoneBrowser(transport, {
        adb: await services.devices.adb(), remoteBundle: '/data/local/tmp/edgetree/current', bundlePlaces: [join(home, 'bundles')],
        images: images.bytes, count: 500, cloudUrl: cloud.url, token: TOKEN, watchMs: 200,
        onLine: (l) => {
          seen.push(l);
          if (l.type === 'inference' && l.index === 0) adbd.kill();
        },
      }), (e: unknown) => {
        assert.ok(e instanceof PhoneRunDroppedError, String(e));
        const n = e.lines.filter((l) => l.type === 'inference').length;
        assert.ok(n >= 1 && n < 500, `${n} kept`);
        assert.deepEqual(e.lines, seen);
        assert.equal(e.lines[0].type, 'start');
        assert.match(e.message, new RegExp(`^run on adb:${serial.replace(/\./g, '\\.')}: the phone dropped after ${n} inference line\\(s\\) \\(adb now reports it (no longer listed|"offline")\\); the ${n} timeline\\(s\\) received are kept$`));
        return true;
      });
    } finally {
      await transport.close();
    }
  });
});
