import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceRunStatus } from '../api/field-test-api.ts';
import { splitTree, storeSearchRun } from '../bundle/testing/split-tree.ts';
import { loadBaseWeights } from '../cloud/base-weights.ts';
import { startCloudServer } from '../cloud/cloud-server.ts';
import type { CloudServer } from '../cloud/cloud-server.ts';
import { loadDataset } from '../datasets/load-dataset.ts';
import { createDeviceRunService } from './device-run-service.ts';
import type { DeviceRunService } from './device-run-service.ts';
import { createStudioServices } from './studio-services.ts';
import type { StudioServices } from './studio-services.ts';

const TOKEN = 'device-run-service-token';
const isJobFinished = (j: { status: string }): boolean => j.status === 'done' || j.status === 'failed' || j.status === 'cancelled';
let work = '';
let home = '';
let cloud: CloudServer;
let services: StudioServices;
let runs: DeviceRunService;

async function settled(runId: string): Promise<DeviceRunStatus> {
  for (;;) {
    const st = runs.deviceRunStatus(runId);
    if (isJobFinished(st)) return st;
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'edgetree-device-run-svc-'));
  home = join(work, 'home');
  services = createStudioServices({ home, mode: 'cli', adbPort: false });
  cloud = await startCloudServer({ models: new Map([['alexnet/fashion-mnist', loadBaseWeights('alexnet', 'fashion-mnist')]]), token: TOKEN });
  const searchRunId = storeSearchRun(services.db, 'alexnet', 'fashion-mnist', await splitTree('alexnet', 'fashion-mnist'));
  // The bundle names a server nobody listens on: the run's own cloud URL and token must be the ones used.
  const bundle = await services.packageBundle({ searchRunId, cloudUrl: 'http://127.0.0.1:1', cloudToken: 'unused' });
  let deploy = await services.startDeploy({ deviceId: 'local', bundleDir: bundle.dir });
  while (!isJobFinished(deploy)) {
    await new Promise((r) => setTimeout(r, 100));
    deploy = await services.deployStatus({ runId: deploy.runId });
  }
  assert.equal(deploy.status, 'done', deploy.error?.message);
  runs = createDeviceRunService(services.db, services.devices, home);
});

after(async () => {
  await cloud?.close();
  services?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('device-run service on the local device', { timeout: 120_000 }, () => {
  let first: DeviceRunStatus;

  test('a run of the deployed bundle against a loopback cloud: every inference arrives, labelled, and the summary is theirs', async () => {
    const started = await runs.startDeviceRun({ deviceId: 'local', images: 4, cloudUrl: cloud.url, cloudToken: TOKEN });
    assert.equal(started.remoteBundle, join(home, 'device', 'current'));
    assert.equal(started.total, 4);
    first = await settled(started.runId);
    assert.equal(first.status, 'done', first.error?.message);
    assert.equal(first.model, 'alexnet');
    assert.equal(first.dataset, 'fashion-mnist');
    assert.deepEqual(first.inferences.map((x) => x.index), [0, 1, 2, 3]);
    const labels = Array.from((await loadDataset('fashion-mnist', 'test', { limit: 4 })).labels);
    assert.deepEqual(first.inferences.map((x) => x.label), labels);
    for (const x of first.inferences) {
      // Offloaded or not, nothing fell back: the run's cloud answered whenever it was asked.
      assert.equal(x.fallback, false);
      assert.equal(x.cut === null, x.cloudMs === 0);
      // A rate was measured by probing the run's cloud: the bundle's own (port 1) would read as unreachable, 0 Mbit/s.
      assert.ok(x.bandwidthMbps > 0, String(x.bandwidthMbps));
      assert.ok(x.totalMs >= x.edgeMs && x.edgeMs >= 0);
    }
    const correct = first.inferences.filter((x, i) => x.predictedClass === labels[i]).length;
    assert.ok(first.summary !== null);
    assert.equal(first.summary.correct, correct);
    assert.equal(first.summary.accuracy, correct / 4);
    assert.equal(first.summary.offloads, first.inferences.filter((x) => x.cut !== null).length);
    assert.ok(Math.abs(first.summary.meanTotalMs - first.inferences.reduce((s, x) => s + x.totalMs, 0) / 4) < 1e-9);
    // The shipped trained alexnet (92% on the test split): at most one of 4 wrong.
    assert.ok(correct >= 3, `${correct} of 4 right`);
    assert.match(first.message, /^4 inferences on local: mean \d+\.\d ms/);
  });

  test('a remote bundle path with nothing there fails with the DeviceBundleError message; the earlier run and the deployed bundle are untouched', async () => {
    const missing = join(work, 'nowhere');
    const bad = await settled((await runs.startDeviceRun({ deviceId: 'local', remoteBundle: missing, images: 2 })).runId);
    assert.equal(bad.status, 'failed');
    assert.equal(bad.error?.name, 'DeviceBundleError');
    assert.match(bad.error?.message ?? '', new RegExp(`^run on local: bundle ${missing}: no readable manifest\\.json`));
    assert.equal(bad.message, bad.error?.message);
    assert.deepEqual(bad.inferences, []);
    assert.equal(bad.remoteBundle, missing);
    assert.deepEqual(runs.deviceRunStatus(first.runId), first);
    const again = await settled((await runs.startDeviceRun({ deviceId: 'local', images: 1, cloudUrl: cloud.url, cloudToken: TOKEN })).runId);
    assert.equal(again.status, 'done', again.error?.message);
    assert.equal(again.inferences.length, 1);
  });
});
